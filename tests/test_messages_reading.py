"""Reading a report and laying out its answers speak nb, nn and en from the catalog."""

from __future__ import annotations

import re
import zlib
from pathlib import Path

import pytest

from ehnreport import content, images, messages
from ehnreport.errors import Diagnostic
from ehnreport.loader import LoadError, decode, load_text
from ehnreport.markdown import MarkdownRenderer
from ehnreport.messages import Msg

PACKAGE = Path(__file__).parent.parent / "ehnreport"
MODULES = ("loader", "indentation", "content", "images", "markdown", "paths")
_KEY = re.compile(r"""["']((?:loader|layout)\.[a-z0-9.-]+)["']""")


def _keys_used() -> set[str]:
    return {k for m in MODULES for k in _KEY.findall((PACKAGE / f"{m}.py").read_text("utf-8"))}


def test_every_key_these_modules_name_is_in_the_catalog_and_every_key_is_used():
    used = _keys_used()
    ours = {k for k in messages.catalog() if k.startswith(("loader.", "layout."))}
    assert len(used) > 60  # the scan finds the keys at all
    assert used - ours == set()
    assert ours - used == set(), "a message no code says"


def _load_error(text: str) -> Diagnostic:
    with pytest.raises(LoadError) as exc:
        load_text(text)
    return exc.value.diagnostic


def test_a_loader_error_in_each_language():
    d = _load_error("member:\n  name: A\n  short_name: B\n  name: C\n")
    assert d.text("nb") == (
        "nøkkelen «name» står to ganger i samme gruppe, på linje 2 og på linje 4. "
        "Slå dem sammen eller fjern den ene."
    )
    assert d.text("nn") == (
        "nøkkelen «name» står to gonger i same gruppe, på linje 2 og på linje 4. "
        "Slå dei saman eller fjern den eine."
    )
    assert d.text("en") == (
        "the key “name” appears twice in the same group, on line 2 and on line 4. "
        "Merge them or remove one of them."
    )
    assert str(LoadError(d)) == d.text()


def test_a_syntax_hint_is_a_sentence_of_its_own_in_each_language():
    d = _load_error("- a\nb: c #\n")
    assert d.message == Msg("loader.expected-item").plus(Msg("loader.hint-block"))
    assert d.text("nb").endswith(
        "Sjekk innrykket. Er dette fri tekst, skriv den som en `|`-blokk med innrykk."
    )
    assert d.text("nn") == (
        "her ventar YAML eit nytt punkt i lista (ei linje som byrjar med «- ») med same "
        "innrykk som punkta over. Sjekk innrykket. Er dette fri tekst, skriv han som ein "
        "`|`-blokk med innrykk."
    )
    assert d.text("en") == (
        "here YAML expects a new item in the list (a line that begins with “- ”) indented "
        "like the items above. Check the indentation. If this is free text, write it as an "
        "indented `|` block."
    )
    d = _load_error('a: "x\\qy"\n')
    assert d.text("nb").endswith("Bruk enkle anførselstegn (') eller en `|`-blokk.")
    assert d.text("en").startswith("unknown escape sequence with \\ in a text")


def test_a_file_size_has_the_decimal_mark_of_the_language():
    with pytest.raises(LoadError) as exc:
        decode(b"a" * (512 * 1024 + 1), size=5 * 1024 * 1024)
    d = exc.value.diagnostic
    assert d.text("nb") == "filen er 5,0 MiB; største tillatte størrelse er 512 KiB."
    assert d.text("nn") == "fila er 5,0 MiB; grensa er 512 KiB."
    assert d.text("en") == "the file is 5.0 MiB; the limit is 512 KiB."


def test_the_comment_value_warning_gives_its_reason_as_a_sentence():
    [w] = load_text("member:\n  name: #Acme\n").warnings
    assert w.code == "comment-value"
    assert w.text("nb") == (
        "«name» blir tom: YAML leser alt fra # som en kommentar, så «#Acme» forsvinner. "
        'Sett verdien i anførselstegn: `name: "#Acme"`.'
    )
    why = w.message.param("why") if isinstance(w.message, Msg) else None
    assert isinstance(why, Msg)
    assert why.text("nb") == w.text("nb").partition(": ")[2]
    assert why.text("en") == (
        "YAML reads everything from # on as a comment, so “#Acme” is lost. "
        'Put the value in quotation marks: `name: "#Acme"`.'
    )
    assert w.text("nn").startswith("«name» blir tom: YAML les alt frå # som ein kommentar")
    [item] = load_text("list:\n  - #1\n").warnings
    assert item.text("en").startswith("the item is left empty: YAML reads everything")


def test_an_indentation_mistake_in_each_language():
    d = _load_error("steps:\n  step1:\n    a2: |\n    Vedtatt av kommunestyret.\n    a3: x\n")
    assert (d.line, d.column) == (4, 5)
    assert d.text("nn") == (
        "teksten under `|` må ha meir innrykk enn nøkkelen «a2» på linje 3: "
        "minst 5 mellomrom, men linja har 4."
    )
    assert d.text("en") == (
        "the text under `|` must be indented more than the key “a2” on line 3: "
        "by at least 5 spaces, but the line has 4."
    )
    d = _load_error("member:\n  name: A\n   short_name: B\n")
    assert d.text("en") == (
        "the line is indented by 3 spaces, the keys above by 2. "
        "Lines at the same level must be indented exactly alike."
    )


def test_a_layout_limit_in_each_language(tmp_path: Path):
    row = "|" + " x |" * 31
    table = row + "\n|" + "---|" * 31 + "\n" + row + "\n"
    source = "steps:\n  step1:\n    a2: |\n" + "".join(f"      {ln}\n" for ln in table.splitlines())
    [d] = content.check_content(load_text(source), "r.yaml", tmp_path)
    assert d.code == "markdown-limit"
    assert d.text("nb") == "en tabell i svaret har 31 kolonner; største tillatte er 30."
    assert d.text("nn") == "ein tabell i svaret har 31 kolonnar; grensa er 30."
    assert d.text("en") == "a table in the answer has 31 columns; the limit is 30."


def test_a_missing_image_in_each_language(tmp_path: Path):
    source = "steps:\n  step1:\n    a2: |\n      ![Kart](kart.png)\n"
    [d] = content.check_content(load_text(source), "r.yaml", tmp_path)
    assert d.code == "image-refused"
    assert d.text("nb") == (
        "fant ikke bildefilen «kart.png» i rapportens mappe. Bildet er ikke tatt med."
    )
    assert d.text("nn") == (
        "fann ikkje biletfila «kart.png» i mappa til rapporten. Biletet er ikkje teke med."
    )
    assert d.text("en") == (
        "could not find the image file “kart.png” in the report's folder. The image is left out."
    )


def _png(width: int, height: int) -> bytes:
    ihdr = b"IHDR" + width.to_bytes(4, "big") + height.to_bytes(4, "big") + b"\x08\x02\0\0\0"
    chunk = len(ihdr[4:]).to_bytes(4, "big") + ihdr + zlib.crc32(ihdr).to_bytes(4, "big")
    return b"\x89PNG\r\n\x1a\n" + chunk


def test_an_image_too_large_says_its_size_in_each_language(tmp_path: Path):
    (tmp_path / "stor.png").write_bytes(_png(1, 1) + b"\0" * (int(10.05 * 1024 * 1024)))
    problem = images.read("stor.png", tmp_path)
    assert isinstance(problem, Msg)
    assert problem.text("nb") == (
        "bildet «stor.png» er 10,1 MiB; største tillatte størrelse er 10 MiB."
    )
    assert problem.text("en") == "the image “stor.png” is 10.1 MiB; the limit is 10 MiB."
    assert problem.text("nn") == "biletet «stor.png» er 10,1 MiB; grensa er 10 MiB."
    (tmp_path / "bombe.png").write_bytes(_png(6000, 6000))
    bomb = images.read("bombe.png", tmp_path)
    assert isinstance(bomb, Msg)
    assert bomb.text("en") == (
        "the image “bombe.png” is 6000 × 6000 pixels; the limit is 25 million pixels "
        "(for example 5000 × 5000). Save the image at a smaller size."
    )


def test_markdown_warnings_in_each_language(tmp_path: Path):
    md = MarkdownRenderer(folder=tmp_path, file="r.yaml")
    md.block("Se [her](javascript:alert(1)) og ![](logo.png).", ("steps", "step1", "a2"))
    refused, refused_image = md.diagnostics
    assert refused.code == "link-refused"
    assert refused.text("nn") == (
        "lenkja til «javascript:alert(1)» er ikkje tillaten: berre http-, https- og "
        "mailto-lenkjer blir lenkjer i rapporten. Teksten blir vist utan lenkje."
    )
    assert refused.text("en") == (
        "the link to “javascript:alert(1)” is not allowed: only http, https and mailto "
        "links become links in the report. The text is shown without a link."
    )
    assert refused_image.code == "image-refused"
    assert refused_image.text("en").endswith("The image is left out.")
    (tmp_path / "logo.png").write_bytes(_png(2, 2))
    md = MarkdownRenderer(folder=tmp_path, file="r.yaml")
    md.block("![](logo.png)", ("steps", "step1", "a2"))
    [alt] = md.diagnostics
    assert alt.code == "image-alt"
    assert alt.text("en") == (
        "the image “logo.png” has no alternative text, so it is left out. Write a short "
        "description between the brackets: ![description](logo.png)."
    )
    assert alt.text("nn").startswith("biletet «logo.png» manglar alternativ tekst")
