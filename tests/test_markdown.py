"""Markdown in answers (ehnreport.markdown): what is kept, what is refused, and where
the warnings point."""

from __future__ import annotations

import base64
import os
import struct
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ehnreport import images
from ehnreport.content import image_names
from ehnreport.errors import Diagnostic
from ehnreport.loader import load_text
from ehnreport.markdown import MarkdownRenderer

PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 16
GIF = b"GIF89a\x01\x00\x01\x00\x00\x00\x00;"
WEBP = b"RIFF\x1a\x00\x00\x00WEBPVP8L" + b"\x00" * 14
SVG = b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg" width="1" height="1"/>'


def render(text: str, folder: Path, level: int = 4) -> tuple[str, MarkdownRenderer]:
    md = MarkdownRenderer(folder=folder, file="report.yaml")
    return str(md.block(text, ("steps", "step1", "a2"), level)), md


def codes(md: MarkdownRenderer) -> list[str]:
    return [d.code for d in md.diagnostics]


# -- text --------------------------------------------------------------------------


def test_single_newline_is_a_line_break(tmp_path: Path) -> None:
    html, md = render("første linje\nandre linje", tmp_path)
    assert html == "<p>første linje<br />\nandre linje</p>\n"
    assert md.diagnostics == []


def test_raw_html_is_shown_as_text(tmp_path: Path) -> None:
    html, _ = render('<script>alert(1)</script> <img src="http://x/y.png"> <b>fet</b>', tmp_path)
    assert "<script>" not in html and "<img" not in html and "<b>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;b&gt;fet&lt;/b&gt;" in html


def test_jinja_looking_text_is_printed_literally(tmp_path: Path) -> None:
    html, _ = render("Svar: {{ 7*7 }} og {% include 'x' %} og {# kommentar #}", tmp_path)
    assert "{{ 7*7 }}" in html
    assert "{% include &#39;x&#39; %}" in html or "{% include 'x' %}" in html
    assert "49" not in html


def test_bare_http_urls_and_email_addresses_become_links(tmp_path: Path) -> None:
    html, md = render("Se https://www.ntnu.no/miljo og skriv til post@ntnu.no.", tmp_path)
    assert '<a href="https://www.ntnu.no/miljo">https://www.ntnu.no/miljo</a>' in html
    assert '<a href="mailto:post@ntnu.no">post@ntnu.no</a>' in html
    assert md.diagnostics == []


@pytest.mark.parametrize(
    "text",
    ["etiskhandel.no og www.ntnu.no", "ftp://ftp.ntnu.no/fil", "//ntnu.no/sti", "javascript:x()"],
)
def test_other_bare_addresses_stay_text_without_a_warning(tmp_path: Path, text: str) -> None:
    html, md = render(text, tmp_path)
    assert "<a " not in html
    assert md.diagnostics == []


def test_bare_url_in_code_is_not_linked(tmp_path: Path) -> None:
    html, _ = render("`https://www.ntnu.no`", tmp_path)
    assert "<a " not in html


@pytest.mark.parametrize(
    ("level", "source", "tag"),
    [
        (4, "# Tittel", "h5"),
        (4, "## Under", "h6"),
        (4, "### Dypere", "h6"),
        (2, "# Tittel", "h3"),
        (6, "# x", "h6"),
    ],
)
def test_headings_are_shifted_below_the_question(
    tmp_path: Path, level: int, source: str, tag: str
) -> None:
    html, _ = render(source, tmp_path, level)
    assert html.startswith(f"<{tag}>") and html.rstrip().endswith(f"</{tag}>")


def test_tables_get_column_scope_and_a_wrapper(tmp_path: Path) -> None:
    html, _ = render("| Tema | Antall |\n|---|---|\n| Lønn | 3 |", tmp_path)
    assert html == (
        '<div class="table-wrap">\n<table>\n<thead>\n<tr>\n'
        '<th scope="col">Tema</th>\n<th scope="col">Antall</th>\n</tr>\n</thead>\n'
        "<tbody>\n<tr>\n<td>Lønn</td>\n<td>3</td>\n</tr>\n</tbody>\n</table>\n</div>\n"
    )


def test_a_template_that_gives_no_level_gets_headings_below_a_question(tmp_path: Path) -> None:
    # `| markdown(path)` in a member's own template: the answer of a question (h4).
    md = MarkdownRenderer(folder=tmp_path)
    assert str(md.block("# Tittel", ("steps", "step1", "a2"))).startswith("<h5")


def test_empty_answer_renders_nothing(tmp_path: Path) -> None:
    md = MarkdownRenderer(folder=tmp_path)
    assert md.block(None, ()) == "" and md.block("  \n", ()) == ""
    assert md.inline(None, ()) == ""


def test_inline_has_no_paragraph(tmp_path: Path) -> None:
    md = MarkdownRenderer(folder=tmp_path)
    assert str(md.inline("Lønn og *arbeidstid*\n", ())) == "Lønn og <em>arbeidstid</em>"


# -- links -------------------------------------------------------------------------


@pytest.mark.parametrize(
    "href", ["https://etiskhandel.no/", "http://example.no/a?b=c", "mailto:post@example.no"]
)
def test_allowed_links(tmp_path: Path, href: str) -> None:
    html, md = render(f"[lenke]({href})", tmp_path)
    assert f'<a href="{href}">lenke</a>' in html
    assert md.diagnostics == []


@pytest.mark.parametrize(
    "source",
    [
        "[klikk](javascript:alert(1))",
        "[klikk](JAVASCRIPT:alert(1))",
        "[klikk](file:///etc/passwd)",
        "[klikk](data:text/html;base64,PHNjcmlwdD4=)",
        "[klikk](vbscript:msgbox)",
        "[klikk](policy.pdf)",
        "[klikk](../hemmelig.txt)",
        "[klikk](#seksjon)",
        "[klikk](//evil.example/x)",
        "[klikk](http:evil)",
        "<javascript:alert(1)>",
    ],
)
def test_refused_links_become_plain_text(tmp_path: Path, source: str) -> None:
    html, md = render(f"Se {source} her.", tmp_path)
    assert "<a " not in html
    assert codes(md) == ["link-refused"]
    assert md.diagnostics[0].severity == "warning"
    assert "bare http-, https- og mailto-lenker" in md.diagnostics[0].text()
    # The warning names the link, so the user can find it in a long answer.
    href = source[source.index("(") + 1 : -1] if source.startswith("[") else source[1:-1]
    assert f"lenken til «{href}» er ikke tillatt" in md.diagnostics[0].text()


def test_refused_link_keeps_its_text_and_nested_markup(tmp_path: Path) -> None:
    html, _ = render("[*viktig* tekst](javascript:x) og [ok](https://a.no)", tmp_path)
    assert "<em>viktig</em> tekst og" in html
    assert '<a href="https://a.no">ok</a>' in html


# -- images ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "mime"),
    [
        (PNG, "image/png"),
        (JPEG, "image/jpeg"),
        (GIF, "image/gif"),
        (WEBP, "image/webp"),
        (SVG, "image/svg+xml"),
    ],
)
def test_sniff_image(data: bytes, mime: str) -> None:
    assert images.sniff(data) == mime


def test_sniff_refuses_other_files() -> None:
    assert images.sniff(b"%PDF-1.7") is None
    assert images.sniff(b"<html><body>") is None
    assert images.sniff(b"") is None


def test_image_in_the_folder_is_embedded_by_its_content(tmp_path: Path) -> None:
    (tmp_path / "figur.jpg").write_bytes(PNG)  # the name lies; the bytes decide
    html, md = render('![Figur over risiko](figur.jpg "Risiko")', tmp_path)
    src = "data:image/png;base64," + base64.b64encode(PNG).decode()
    assert f'<img src="{src}" alt="Figur over risiko" title="Risiko" />' in html
    assert md.diagnostics == []


def test_image_in_a_subfolder_with_a_space_in_its_name(tmp_path: Path) -> None:
    (tmp_path / "bilder").mkdir()
    (tmp_path / "bilder" / "min figur.png").write_bytes(PNG)
    html, md = render("![Figur](<bilder/min figur.png>)", tmp_path)
    assert "data:image/png;base64," in html
    assert md.diagnostics == []


def test_image_without_alt_text_is_left_out(tmp_path: Path) -> None:
    (tmp_path / "figur.png").write_bytes(PNG)
    html, md = render("Før ![](figur.png) etter", tmp_path)
    assert "<img" not in html and "Før  etter" in html
    assert codes(md) == ["image-alt"]
    assert "mangler alternativ tekst" in md.diagnostics[0].text()


def _symlink(link: Path, target: Path) -> None:
    try:
        os.symlink(target, link)
    except (OSError, NotImplementedError):  # pragma: no cover - Windows without rights
        pytest.skip("symbolic links are not available here")


@pytest.mark.parametrize(
    ("src", "why"),
    [
        ("http://127.0.0.1:9/x.png", "adresse (URL)"),
        ("https://example.no/x.png", "adresse (URL)"),
        ("data:image/png;base64,iVBORw0KGgo=", "adresse (URL)"),
        ("file:///etc/hostname", "adresse (URL)"),
        ("/etc/hostname", "absolutt sti"),
        ("../utenfor.png", "peker ut av"),
        ("bilder/../../utenfor.png", "peker ut av"),
        ("finnes-ikke.png", "fant ikke"),
        ("ikke-bilde.png", "ikke et bilde"),
        ("lenke-ut.png", "snarvei"),
        ("a%00b.png", "NUL-tegn"),
        ("mappe-ut/utenfor.png", "snarvei"),
    ],
)
def test_refused_images(tmp_path: Path, src: str, why: str) -> None:
    report = tmp_path / "rapport"
    report.mkdir()
    (tmp_path / "utenfor.png").write_bytes(PNG)
    (report / "ikke-bilde.png").write_bytes(b"%PDF-1.7 not an image")
    _symlink(report / "lenke-ut.png", tmp_path / "utenfor.png")
    _symlink(report / "mappe-ut", tmp_path)
    html, md = render(f"![Figur]({src})", report)
    assert "<img" not in html
    assert "Figur" in html  # the alt text stands in for the image
    assert codes(md) == ["image-refused"]
    assert why in md.diagnostics[0].text()
    assert "Bildet er ikke tatt med" in md.diagnostics[0].text()


def test_symlink_inside_the_folder_is_allowed(tmp_path: Path) -> None:
    (tmp_path / "ekte.png").write_bytes(PNG)
    _symlink(tmp_path / "alias.png", tmp_path / "ekte.png")
    html, md = render("![Figur](alias.png)", tmp_path)
    assert "data:image/png;base64," in html and md.diagnostics == []


def test_too_large_image_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(images, "MAX_IMAGE_BYTES", 10)
    (tmp_path / "stor.png").write_bytes(PNG)
    data_uri, problem = MarkdownRenderer(tmp_path).image("stor.png")
    assert data_uri is None and problem is not None and "største tillatte" in problem.text()


def test_folder_itself_is_not_an_image(tmp_path: Path) -> None:
    data_uri, problem = MarkdownRenderer(tmp_path).image(".")
    assert data_uri is None and problem is not None


# -- where warnings point ----------------------------------------------------------


def _a2_warnings(tmp_path: Path, answer: str) -> list[Diagnostic]:
    """The warnings of `answer` rendered as steps.step1.a2, a `|` block from line 4."""
    block = "".join(f"      {line}\n" if line else "\n" for line in answer.split("\n"))
    loaded = load_text("steps:\n  step1:\n    a2: |\n" + block)
    md = MarkdownRenderer(folder=tmp_path, loaded=loaded, file="r.yaml")
    md.block(loaded.data["steps"]["step1"]["a2"], ("steps", "step1", "a2"))
    return md.diagnostics


def test_warning_points_at_the_line_inside_a_block(tmp_path: Path) -> None:
    answer = (
        "Første linje.\nAndre linje med [lenke](javascript:x).\n\nNytt avsnitt med ![](bilde.png)."
    )
    warned = _a2_warnings(tmp_path, answer)  # the answer's lines are 4 to 7
    where = [(d.code, d.line, d.column, d.path, d.file) for d in warned]
    assert where == [
        ("link-refused", 5, 7, "steps.step1.a2", "r.yaml"),
        ("image-refused", 7, 7, "steps.step1.a2", "r.yaml"),
    ]


def test_warning_points_at_a_one_line_value(tmp_path: Path) -> None:
    loaded = load_text('goals:\n  next_year:\n    - "Mål med [lenke](file:///x)"\n')
    md = MarkdownRenderer(folder=tmp_path, loaded=loaded, file="r.yaml")
    md.inline(loaded.data["goals"]["next_year"][0], ("goals", "next_year", 0))
    d = md.diagnostics[0]
    assert (d.code, d.line, d.column, d.path) == ("link-refused", 3, 7, "goals.next_year[0]")


# -- generated answers with images, links, tables and odd file names, rendered ---------------

_FUZZ = os.environ.get("EHNREPORT_FUZZ_EXAMPLES", "").strip()
# Deterministic in CI; EHNREPORT_FUZZ_EXAMPLES=5000 makes a long randomized run.
RENDER_BUDGET = settings(
    max_examples=int(_FUZZ) if _FUZZ.isdigit() and int(_FUZZ) > 0 else 60,
    derandomize=not _FUZZ,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

ODD_NAMES = [
    "figur.png",
    "mellom rom.png",
    "æøå Å.png",
    "a%41.png",
    "spørsmål?.png",
    "hash#.png",
    "(parentes).png",
    "[klammer].png",
    '"sitat".png',
    "-strek.png",
    "ny\nlinje.png",
    "esc\x1b[2J.png",
    "bidi\u202egnp.png",
    "bombe.png",
    "tegning.svg",
    "ikke-bilde.png",
]


def _target(name: str, mode: int) -> str:
    """A Markdown link target for `name`: as written, percent-encoded, or in <…>."""
    if mode == 0:
        return "".join(c if c.isalnum() or c in "._-" else f"%{ord(c):02X}" for c in name)
    if mode == 1:
        return "<" + name.replace("\n", " ").replace(">", "%3E").replace("<", "%3C") + ">"
    return quote(name, safe="")


_PIECE = st.one_of(
    st.builds(
        lambda alt, name, mode: f"![{alt}]({_target(name, mode)})",
        st.sampled_from(["", "Figur", "**fet**", "a]b", "[x]"]),
        st.sampled_from(ODD_NAMES + ["../ute.png", "/etc/passwd", "http://127.0.0.1/x.png"]),
        st.integers(0, 2),
    ),
    st.builds(
        lambda text, href: f"[{text}]({href})",
        st.sampled_from(["lenke", "", "`kode`"]),
        st.sampled_from(
            [
                "https://www.ntnu.no/",
                "javascript:alert(1)",
                "JaVaScRiPt:x",
                "data:text/html,x",
                "mailto:a@b.no",
                "%0A::error::x",
                "file:///etc/passwd",
                "<https://a.no/(x)>",
            ]
        ),
    ),
    st.sampled_from(
        [
            "| a | b |\n|---|---|\n| ![x](figur.png) | [l](https://a.no) |",
            "Se https://www.ntnu.no/miljo og post@ntnu.no",
            "# Tittel",
            "- punkt\n- ![p](bombe.png)",
            "`![x](figur.png)`",
            "\\![x](figur.png)",
            "![r][ref]\n\n[ref]: tegning.svg",
            "<img src=x onerror=alert(1)>",
            "\n\n",
            "tekst ",
        ]
    ),
)


@RENDER_BUDGET
@given(text=st.lists(_PIECE, max_size=8).map(" ".join))
def test_generated_answers_render_safely_and_validate_sees_their_images(
    text: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from .test_hostile import assert_safe_page, png

    folder = tmp_path_factory.mktemp("r")
    for name in ODD_NAMES:
        data = png(3, 3) if name.endswith(".png") else b""
        if name == "bombe.png":
            data = png(3, 3)[:16] + struct.pack(">II", 20000, 20000) + png(3, 3)[24:]
        if name == "tegning.svg":
            data = b'<svg xmlns="http://www.w3.org/2000/svg"><rect width="1" height="1"/></svg>'
        if name == "ikke-bilde.png":
            data = b"report: {}\n"
        (folder / name).write_bytes(data)
    (folder.parent / "ute.png").write_bytes(png(7, 13))
    md = MarkdownRenderer(folder=folder)
    html = str(md.block(text, ("steps", "step1", "a2")))
    html += str(md.inline(text.replace("\n", " "), ("goals", "next_year", 0)))
    assert_safe_page(html)
    assert base64.b64encode(png(7, 13)).decode() not in html  # outside the folder
    assert base64.b64encode(b"report: {}").decode() not in html  # not an image
    # validate's scan sees every image the renderer refused (or more: it counts generously).
    rendered = {d.text() for d in md.diagnostics if d.code == "image-refused" and "«" in d.text()}
    names = {name for _, name in image_names(text)}
    for message in rendered:
        assert any(f"«{n}»" in message or f"«{n!r}»" in message for n in names), (message, names)


@pytest.mark.parametrize("newline", ["\n", "  \n", "\\\n"])
def test_a_warning_after_a_line_break_of_any_kind_points_at_its_own_line(
    tmp_path: Path, newline: str
) -> None:
    """A soft break, two blanks or a backslash before the newline: each is one line on."""
    answer = f"Første linje.{newline}Andre linje med [lenke](javascript:x)."
    warned = _a2_warnings(tmp_path, answer)
    assert [(d.code, d.line) for d in warned] == [("link-refused", 5)]


def test_a_refused_link_without_text_leaves_no_closing_tag(tmp_path: Path) -> None:
    html, md = render("Før [](javascript:x) etter [ok](https://a.no)", tmp_path)
    assert html == '<p>Før  etter <a href="https://a.no">ok</a></p>\n'
    assert codes(md) == ["link-refused"]


def test_quotes_and_dashes_stay_as_typed(tmp_path: Path) -> None:
    html, _ = render('"Sitat" -- og (c) ...', tmp_path)
    assert html == "<p>&quot;Sitat&quot; -- og (c) ...</p>\n"


def test_an_allowed_link_before_a_refused_one_keeps_its_own_closing_tag(tmp_path: Path) -> None:
    html, md = render("[ok](https://a.no) og [nei](javascript:x) til slutt", tmp_path)
    assert html == '<p><a href="https://a.no">ok</a> og nei til slutt</p>\n'
    assert codes(md) == ["link-refused"]


def test_an_image_without_a_title_gets_no_title_attribute(tmp_path: Path) -> None:
    (tmp_path / "figur.png").write_bytes(PNG)
    html, md = render("![Figur](figur.png)", tmp_path)
    src = "data:image/png;base64," + base64.b64encode(PNG).decode("ascii")
    assert html == f'<p><img src="{src}" alt="Figur" /></p>\n'
    assert md.diagnostics == []


def test_warnings_count_every_line_break_before_them(tmp_path: Path) -> None:
    answer = "En,\nto,\ntre [lenke](javascript:x) og [lenke](javascript:y)."
    warned = _a2_warnings(tmp_path, answer)  # lines 4, 5 and 6
    assert [(d.code, d.line) for d in warned] == [("link-refused", 6)] * 2


def test_each_time_an_image_is_shown_counts_against_the_reports_budget(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(images, "MAX_IMAGES", 2)
    (tmp_path / "figur.png").write_bytes(PNG)
    md = MarkdownRenderer(folder=tmp_path, file="report.yaml")
    shown = [md.image("figur.png")[0] is not None for _ in range(3)]
    assert shown == [True, True, False]
    problem = md.image("figur.png")[1]
    assert problem is not None
    assert problem.text() == "rapporten viser flere enn 2 bilder; «figur.png» er ett for mye."
