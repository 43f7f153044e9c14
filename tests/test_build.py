"""Building reports (ehnreport.build, render, pdf): golden HTML, the NTNU PDF's text,
pages and metadata, reproducibility, the sandbox, template overrides and failures.

PDF builds take a second or two each, so there are few: the NTNU example once per
session (module fixture), the minimal report twice (reproducibility), and some tiny
documents printed straight through ehnreport.pdf for the sandbox.
"""

from __future__ import annotations

import base64
import datetime as dt
import html as htmllib
import http.server
import io
import itertools
import os
import re
import shutil
import subprocess
import sys
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import ClassVar

import pytest
from typer.testing import CliRunner

from ehnreport import __version__
from ehnreport.build import BuildOptions, build_report
from ehnreport.cli import app
from ehnreport.errors import ReportInvalid
from ehnreport.forms import DEFAULT, bundled_folder, load_edition
from ehnreport.markdown import MarkdownRenderer
from ehnreport.model.base import is_answered
from ehnreport.render import (
    BUILTIN,
    DEFAULT_ACCENT,
    FONT_FACES,
    PALETTE,
    STATUS_COLOURS,
    environment,
    font_faces,
    format_number,
)
from ehnreport.validate import check_file

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ntnu-2024.yaml"
MINIMAL = Path(__file__).resolve().parent / "data" / "build" / "minimal" / "report.yaml"
GOLDEN = Path(__file__).resolve().parent / "golden"
EDITION = load_edition(DEFAULT)


def nb(texts: dict[str, str] | None) -> str:
    """A text of the bundled edition in Bokmål."""
    return EDITION.text(texts, "nb")


def columns(code: str) -> list[str]:
    """The printed column headers of a table question."""
    table = EDITION.by_code(code).table
    assert table is not None
    return [nb(c.header or c.label) for c in table.columns]


def card_label(key: str) -> str:
    table = EDITION.by_code("3.A.1").table
    assert table is not None
    return nb(table.column(key).label)


FONTS = BUILTIN / "fonts"

runner = CliRunner()
PNG = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"GITHUB_ACTIONS": ""})


def build_html(report: Path, out: Path, *extra: str) -> str:
    result = invoke("build", "--html", "-o", str(out), *extra, str(report))
    assert result.exit_code == 0, result.output
    return (out / f"{report.stem}.html").read_text(encoding="utf-8")


def without_fonts(page: str) -> str:
    """The HTML with each font's base64 replaced by its file name (goldens stay small) and
    the version left out (goldens survive a release)."""
    for face, (name, _, _) in zip(font_faces(), FONT_FACES, strict=True):
        assert face["data"] in page
        page = page.replace(face["data"], f"[EhnreportSans-{name}.ttf]")
    return page.replace(f'content="ehnreport {__version__}"', 'content="ehnreport [version]"')


def copy_report(src: Path, dst_folder: Path, text: str | None = None) -> Path:
    dst_folder.mkdir(parents=True, exist_ok=True)
    dst = dst_folder / "report.yaml"
    dst.write_text(src.read_text(encoding="utf-8") if text is None else text, encoding="utf-8")
    return dst


# -- golden HTML ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("report", "name"), [(MINIMAL, "minimal.html"), (EXAMPLE, "ntnu-2024.html")]
)
def test_golden_html(report: Path, name: str, tmp_path: Path, golden) -> None:
    golden(GOLDEN / name, without_fonts(build_html(report, tmp_path)))


def test_html_is_byte_identical_across_builds(tmp_path: Path) -> None:
    first = build_html(EXAMPLE, tmp_path / "a").encode("utf-8")
    second = build_html(EXAMPLE, tmp_path / "b").encode("utf-8")
    assert first == second


# -- HTML structure ------------------------------------------------------------------


class Outline(HTMLParser):
    """Collects what the accessibility checks need from a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.headings: list[int] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


@pytest.fixture(scope="module")
def ntnu_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    return build_html(EXAMPLE, tmp_path_factory.mktemp("ntnu-html"))


def test_html_is_semantic_and_accessible(ntnu_html: str) -> None:
    page = Outline()
    page.feed(ntnu_html)
    assert ntnu_html.startswith('<!DOCTYPE html>\n<html lang="nb">')
    assert page.title == "NTNU – Rapport om etisk handel og aktsomhetsvurderinger 2024"
    names = [t for t, _ in page.tags]
    for landmark in ("header", "main", "nav", "section", "article", "footer"):
        assert landmark in names
    # One h1, and the outline never skips a level on the way down.
    assert page.headings.count(1) == 1 and page.headings[0] == 1
    for before, after in itertools.pairwise(page.headings):
        assert after <= before + 1, (before, after)
    for tag, attrs in page.tags:
        if tag == "th":
            assert attrs.get("scope") in ("col", "row"), attrs
        if tag == "img":
            assert attrs.get("alt"), attrs
        if tag in ("img", "script", "link", "iframe", "object", "embed"):
            assert tag == "img" and str(attrs.get("src", "")).startswith("data:"), (tag, attrs)
        if tag == "a":
            href = str(attrs.get("href"))
            assert href.startswith(("#", "https://", "http://", "mailto:")), href
    meta = {a.get("name"): a.get("content") for t, a in page.tags if t == "meta" and a.get("name")}
    assert meta["author"] == "NTNU"
    assert meta["dcterms.created"] == meta["dcterms.modified"] == "2025-12-31"
    assert meta["viewport"] == "width=device-width, initial-scale=1"


def test_html_is_self_contained(ntnu_html: str) -> None:
    css = "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", ntnu_html, flags=re.DOTALL))
    assert "@import" not in css
    for url in re.findall(r"url\(\s*([^)]*)\)", css):
        assert url.strip("'\" ").startswith("data:"), url[:60]
    assert '<style media="screen">' in ntnu_html
    assert "@media print" in css and "@page" in css


def test_numbers_use_no_break_spaces(ntnu_html: str) -> None:
    assert format_number(8731) == "8\u00a0731"
    assert format_number(2_500_000_000) == "2\u00a0500\u00a0000\u00a0000"
    assert format_number(673) == "673" and format_number(0) == "0" and format_number(None) == ""
    assert '<span class="num">8\u00a0731</span>' in ntnu_html
    assert '<span class="num">2\u00a0500\u00a0000\u00a0000</span>' in ntnu_html


def test_goals_show_status_words_and_free_text_status(ntnu_html: str) -> None:
    assert '<span class="status status-forsinket">Forsinket</span>' in ntnu_html
    assert '<span class="status status-utgar">Utgår</span>' in ntnu_html
    # NTNU's third goal has no status word: its comment is the status.
    third = ntnu_html.split('<span class="goal-number" aria-hidden="true">3</span>', 1)[1]
    status = third.split("<dt>Status:</dt>", 1)[1].split("</dd>", 1)[0]
    assert 'class="status ' not in status and "Etablert gruppe" in status


def test_unanswered_questions_print_only_their_label(ntnu_html: str) -> None:
    block = ntnu_html.split('id="sporsmal-1-d-2"', 1)[1].split('<div class="question', 1)[0]
    assert "unanswered" in ntnu_html.split('id="sporsmal-1-d-2"', 1)[0].rsplit("<div", 1)[1]
    assert "Hvordan jobbes det med å ivareta prinsipperklæringen?" in block
    assert 'class="answer' not in block


def test_empty_deviation_table_prints_one_numbered_row(ntnu_html: str) -> None:
    table = ntnu_html.split('<table class="form-table deviations">', 1)[1].split("</table>", 1)[0]
    for label in columns("4.A.3"):
        assert f'<th scope="col">{htmllib.escape(label, quote=False)}</th>' in table
    assert table.count("<tr") == 2
    assert '<tr class="empty-row">\n<th scope="row" class="col-nr">1</th>' in table


def test_cards_print_the_measures_label_twice(ntnu_html: str) -> None:
    card = ntnu_html.split('<article class="card" id="kort-1"', 1)[1].split("</article>", 1)[0]
    label = htmllib.escape(card_label("measures"), quote=False)
    assert card.count(f" {label}:</dt>") == 2
    # A short name above the shared label tells the two fields apart.
    assert f'<dt><span class="card-field-name">Tiltak</span> {label}:</dt>' in card
    assert f'<dt><span class="card-field-name">Resultater og planer</span> {label}:</dt>' in card
    for key in ("overall_goal", "status", "year_goal"):
        assert f"<dt>{card_label(key)}:</dt>" in card
    assert ntnu_html.count('<article class="card"') == 4


def test_minimal_report_details(tmp_path: Path) -> None:
    page = build_html(MINIMAL, tmp_path)
    assert '<h1 class="cover-title">Rapport om etisk handel og aktsomhetsvurderinger</h1>' in page
    assert "--accent" not in page and DEFAULT_ACCENT in page
    assert '<a class="url" href="https://www.eksempel.no/innkjop/policy">' in page
    # Jinja-looking text in an answer is printed as written.
    assert "Teksten {{ 7*7 }} og {% include 'x' %} skrives ut som den står." in page
    # A single newline in an answer is a line break.
    assert "vedtatt av kommunestyret i 2023.<br />\nDen revideres" in page
    # The back page falls back to the key information's e-mail.
    back = page.split('<footer class="back"', 1)[1]
    assert 'href="mailto:innkjop@eksempel.no"' in back


def test_title_accent_and_logo(tmp_path: Path) -> None:
    text = MINIMAL.read_text(encoding="utf-8")
    text = text.replace(
        "  date: 2025-03-01\n",
        '  date: 2025-03-01\n  title: Årsrapport etisk handel\n  accent: "#7a1f3d"\n',
    )
    text = text.replace("  short_name: EKS\n", "  short_name: EKS\n  logo: logo.png\n")
    report = copy_report(MINIMAL, tmp_path / "r", text)
    (report.parent / "logo.png").write_bytes(PNG)
    page = build_html(report, tmp_path / "out")
    assert '<h1 class="cover-title">Årsrapport etisk handel</h1>' in page
    assert "#7a1f3d" in page and DEFAULT_ACCENT not in page
    assert '<img src="data:image/png;base64,' in page
    assert 'alt="Logo: Eksempel kommune"' in page


# -- colours -------------------------------------------------------------------------


def _contrast(a: str, b: str) -> float:
    def lum(c: str) -> float:
        def ch(v: int) -> float:
            s = v / 255
            return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

        r, g, bl = (int(c[i : i + 2], 16) for i in (1, 3, 5))
        return 0.2126 * ch(r) + 0.7152 * ch(g) + 0.0722 * ch(bl)

    hi, lo = sorted((lum(a), lum(b)), reverse=True)
    return (hi + 0.05) / (lo + 0.05)


def test_colours_meet_wcag_aa() -> None:
    assert _contrast(DEFAULT_ACCENT, "#ffffff") >= 4.5
    assert _contrast(PALETTE["text"], "#ffffff") >= 4.5
    assert _contrast(PALETTE["muted"], "#ffffff") >= 4.5
    assert set(STATUS_COLOURS) == {v.id for v in EDITION.goal_statuses}
    for fg, bg in STATUS_COLOURS.values():
        assert _contrast(fg, bg) >= 4.5


# -- fonts ---------------------------------------------------------------------------


def test_bundled_fonts_are_renamed_subsets_with_their_licence() -> None:
    from fontTools.ttLib import TTFont

    for name, weight, _style in FONT_FACES:
        path = FONTS / f"EhnreportSans-{name}.ttf"
        assert path.stat().st_size < 100_000
        font = TTFont(path)
        cmap = font.getBestCmap()
        for ch in "æøåÆØÅ«»–—…‘’“”•€\u00a0\u202fčŁő":
            assert ord(ch) in cmap, (name, ch)
        names = font["name"]
        for nid in (1, 4, 6, 16):
            value = names.getDebugName(nid) or ""
            assert "Lato" not in value, (name, nid, value)  # OFL: Reserved Font Name
        assert names.getDebugName(16) == "Ehnreport Sans"
        assert font["OS/2"].usWeightClass == weight
    licence = (FONTS / "OFL.txt").read_text(encoding="utf-8")
    assert 'with Reserved Font Name "Lato"' in licence
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert (FONTS / "README.md").exists()


# -- templates -----------------------------------------------------------------------


def test_every_builtin_template_compiles() -> None:
    env = environment(edition=EDITION)
    # render_html adds the Markdown filters (they need the report's renderer).
    env.filters["markdown"] = env.filters["markdown_inline"] = lambda text, *args: text
    prose = bundled_folder(DEFAULT) / "nb"
    names = sorted(str(p.relative_to(BUILTIN)) for p in BUILTIN.rglob("*.j2"))
    names += sorted(p.name for p in prose.glob("*.j2"))
    assert {"report.html.j2", "ehn_letter.html.j2", "ehn_method.html.j2", "step.html.j2"} <= set(
        names
    )
    for name in names:
        env.get_template(name)


def test_override_replaces_a_template(tmp_path: Path) -> None:
    mine = tmp_path / "maler"
    mine.mkdir()
    (mine / "ehn_letter.html.j2").write_text(
        '<section class="ehn-page" id="til-lesere"><h2>Til lesere av rapporten</h2>'
        "<p>EHNs offisielle tekst.</p></section>\n",
        encoding="utf-8",
    )
    page = build_html(MINIMAL, tmp_path / "out", "--templates", str(mine))
    assert "<p>EHNs offisielle tekst.</p>" in page
    assert "Det offentlige er den største innkjøperen" not in page
    assert "Rapportering på aktsomhetsvurderinger" in page  # the other templates stay


def test_override_can_extend_the_builtin_and_replace_one_block(tmp_path: Path) -> None:
    mine = tmp_path / "maler"
    mine.mkdir()
    (mine / "ehn_letter.html.j2").write_text(
        '{% extends "builtin/ehn_letter.html.j2" %}\n'
        "{% block body %}<p>Kort hilsen.</p>{% endblock %}\n"
        '{% block signature %}<p class="signature">Daglig leder</p>{% endblock %}\n',
        encoding="utf-8",
    )
    page = build_html(MINIMAL, tmp_path / "out", "--templates", str(mine))
    letter = page.split('id="til-lesere"', 1)[1].split("</section>", 1)[0]
    assert "<p>Kort hilsen.</p>" in letter and "Daglig leder" in letter
    assert "Til lesere av rapporten" in letter


def test_answers_never_become_template_source(tmp_path: Path) -> None:
    mine = tmp_path / "maler"
    mine.mkdir()
    (mine / "x").write_text("HEMMELIG", encoding="utf-8")
    page = build_html(MINIMAL, tmp_path / "out", "--templates", str(mine))
    assert "HEMMELIG" not in page and "{% include 'x' %}" in page


@pytest.mark.parametrize(
    ("template", "source", "message"),
    [
        ("cover.html.j2", "<h1>{% if %}</h1>", "syntaksfeil i malen"),
        ("cover.html.j2", "<h1>{{ no_such_thing.name }}</h1>", "ukjent navn i en mal"),
        (
            "cover.html.j2",
            '{% include "mangler.html.j2" %}',
            "malen «mangler.html.j2» finnes verken",
        ),
    ],
)
def test_broken_template_exits_3_and_leaves_earlier_output(
    tmp_path: Path, template: str, source: str, message: str
) -> None:
    out = tmp_path / "out"
    build_html(MINIMAL, out)
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    mine = tmp_path / "maler"
    mine.mkdir()
    (mine / template).write_text(source, encoding="utf-8")
    result = invoke("build", "--html", "-o", str(out), "--templates", str(mine), str(MINIMAL))
    assert result.exit_code == 3, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before  # untouched, no temp files


def test_missing_template_folder_is_a_usage_error(tmp_path: Path) -> None:
    result = invoke(
        "build", "--html", "-o", str(tmp_path), "--templates", str(tmp_path / "nei"), str(MINIMAL)
    )
    assert result.exit_code == 2
    assert str(tmp_path / "nei") in result.output and "Traceback" not in result.output
    assert not any(tmp_path.iterdir())


# -- strict and warnings -------------------------------------------------------------


def _report_with_warnings(tmp_path: Path) -> Path:
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "      Den revideres hvert andre år.\n",
        "      Den revideres hvert andre år. [Policy](policy.pdf) ![](kart.png)\n",
    )
    report = copy_report(MINIMAL, tmp_path / "r", text)
    return report


def test_render_warnings_are_reported_with_their_line(tmp_path: Path) -> None:
    report = _report_with_warnings(tmp_path)
    result = check_file(report)
    outcome = build_report(
        result,
        BuildOptions(
            out_dir=tmp_path / "out",
            html=True,
            pdf=False,
            templates=None,
            pdf_variant=None,
            strict=False,
        ),
    )
    found = sorted((d.code, d.line, d.path) for d in outcome.diagnostics)
    assert found == [
        ("image-refused", 39, "steps.step1.a2"),
        ("link-refused", 39, "steps.step1.a2"),
    ]
    assert outcome.written == [tmp_path / "out" / "report.html"]


def test_strict_writes_nothing_when_rendering_warns(tmp_path: Path) -> None:
    report = _report_with_warnings(tmp_path)
    result = check_file(report)
    with pytest.raises(ReportInvalid) as info:
        build_report(
            result,
            BuildOptions(
                out_dir=tmp_path / "out",
                html=True,
                pdf=True,
                templates=None,
                pdf_variant="pdf/a-2a",
                strict=True,
            ),
        )
    assert {d.code for d in info.value.diagnostics} == {"image-refused", "link-refused"}
    assert "--strict" in str(info.value)
    assert not (tmp_path / "out").exists()


# -- lazy imports --------------------------------------------------------------------


def test_validate_and_html_builds_do_not_import_weasyprint(tmp_path: Path) -> None:
    script = (
        "import sys\n"
        "from typer.testing import CliRunner\n"
        "from ehnreport.cli import app\n"
        "heavy = ('weasyprint', 'jinja2', 'markdown_it', 'ehnreport.build', 'ehnreport.render')\n"
        f"r = CliRunner().invoke(app, ['validate', {str(EXAMPLE)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print(sorted(m for m in heavy if m in sys.modules))\n"
        f"r = CliRunner().invoke(app, ['build', '--html', '-o', {str(tmp_path)!r}, "
        f"{str(EXAMPLE)!r}])\n"
        "assert r.exit_code == 0, r.output\n"
        "print('weasyprint' in sys.modules)\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    assert proc.stdout.splitlines() == ["[]", "False"]


# -- the NTNU PDF --------------------------------------------------------------------


@pytest.fixture(scope="module")
def ntnu_pdf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("ntnu-pdf")
    result = invoke("build", "--pdf", "-o", str(out), str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["ntnu-2024.pdf"]
    return out / "ntnu-2024.pdf"


@pytest.fixture(scope="module")
def ntnu_pages(ntnu_pdf: Path) -> list[str]:
    from pypdf import PdfReader

    return [page.extract_text() or "" for page in PdfReader(ntnu_pdf).pages]


FOOTER = re.compile(r"\bNTNU\s*\|\s*(\d+)\s*$")


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text).casefold()


def _html_lines(html: str) -> list[str]:
    """The text of rendered Markdown, one string per paragraph, list item or line."""
    text = re.sub(r"<br\s*/?>|</(p|li|h[1-6]|td|th|dt|dd|caption)>", "\n", html)
    text = htmllib.unescape(re.sub(r"<[^>]+>", "", text))
    return [line.strip() for line in text.splitlines() if line.strip()]


def _expected_sequence() -> list[str]:
    """Every label of the form and every answer of NTNU's report, in the seed's order."""
    result = check_file(EXAMPLE)
    report = result.report
    assert report is not None
    md = MarkdownRenderer(folder=EXAMPLE.parent)
    seq: list[str] = [
        "Til lesere av rapporten",
        "Rapportering på aktsomhetsvurderinger med hensyn til mennesker, dyr, samfunn og miljø",
    ]

    def answer(text: str | None) -> None:
        if is_answered(text):
            seq.extend(_html_lines(str(md.block(text, ()))))

    def L(dotted: str) -> str:
        part, key = dotted.split(".")
        return nb(EDITION.question(f"{part}.{key}".replace("_", "-")).label)

    seq.append("Forord fra virksomhetsleder")
    answer(report.foreword.text)
    seq += [report.foreword.name or "", report.foreword.title or ""]
    seq.append("Nøkkelinformasjon om virksomheten og leverandørkjeden")
    ki = report.key_info
    for key, value in [
        ("name", ki.name),
        ("address", ki.address),
        ("employees", format_number(ki.employees)),
        ("contact", ki.contact),
        ("email", ki.email),
    ]:
        seq += [L(f"key_info.{key}"), str(value)]
    seq.append(L("key_info.structure"))
    answer(ki.structure)
    seq.append("Informasjon om anskaffelser/avtaler")
    pr = report.procurement
    for key in ("total_value", "active_agreements", "followed_up_agreements"):
        seq.append(L(f"procurement.{key}"))
        if getattr(pr, key) is not None:
            seq.append(format_number(getattr(pr, key)))
    seq += ["Mål og fremdrift", L("goals.current")]
    for goal in report.goals.current:
        seq += ["Mål :", goal.text.strip(), "Status :"]
        if goal.status:
            seq.append(goal.status)
        if goal.comment:
            seq.append(goal.comment.strip())
    seq.append(L("goals.next_year"))
    seq += [t.strip() for t in report.goals.next_year]
    for step in EDITION.steps:
        answers = getattr(report.steps, step.key)
        seq.append(nb(step.title))
        for section in step.sections:
            if section.subheading:
                seq.append(nb(section.subheading))
            else:
                seq.append(f"{section.code} {nb(section.title)}")
            if section.instruction:
                seq.append(nb(section.instruction))
            for q in section.questions:
                if q.subheading:
                    seq.append(nb(q.subheading))
                seq.append(f"{q.code} {nb(q.label)}")
                value = getattr(answers, q.key)
                if q.code == "2.A.2" and value:
                    seq += columns("2.A.2")
                    for row in value.rows:
                        seq += [
                            row.procurement,
                            str(row.suppliers),
                            *(
                                "Ja" if v else "Nei"
                                for v in (row.qualification, row.award, row.contract)
                            ),
                        ]
                    answer(value.comment)
                elif q.code == "2.A.3" and value:
                    seq += columns("2.A.3")
                    for risk in value.risks:
                        seq += [risk.name, *risk.themes] + (
                            [risk.geography] if risk.geography else []
                        )
                    answer(value.comment)
                elif q.code == "4.A.3":
                    seq += columns("4.A.3")
                elif q.kind == "cards":
                    for card in value:
                        seq.append(card.risk)
                        short = {"measures": "Tiltak", "results": "Resultater og planer"}
                        for key in ("overall_goal", "status", "year_goal", "measures", "results"):
                            seq += [short.get(key, ""), f"{card_label(key)}:"]
                            answer(getattr(card, key))
                elif q.code == "4.A.2" and value:
                    for item in value.counts:
                        seq += [f"{format_number(item.count)} stk", item.topic]
                    answer(value.text)
                elif isinstance(value, str):
                    answer(value)
    seq += [
        "Kontaktinformasjon:",
        report.member.name,
        report.contact.name or "",
        report.contact.email or "",
        "etiskhandel.no",
    ]
    return [s for s in seq if s]


def test_pdf_text_has_every_label_and_answer_in_order(ntnu_pages: list[str]) -> None:
    body = _squash("".join(FOOTER.sub("", page) for page in ntnu_pages))
    position = 0
    for expected in _expected_sequence():
        found = body.find(_squash(expected), position)
        assert found >= 0, f"not found after position {position}: {expected!r}"
        position = found + len(_squash(expected))


def test_pdf_each_step_and_card_starts_a_page(ntnu_pages: list[str]) -> None:
    for step in EDITION.steps:
        starts = [
            i for i, p in enumerate(ntnu_pages) if p.lstrip().startswith(f"TRINN {step.number}")
        ]
        assert len(starts) == 1, step.number
        assert _squash(nb(step.title)) in _squash(ntnu_pages[starts[0]])
    cards = [p for p in ntnu_pages if _squash(p).startswith("3.a.1·prioritertrisiko")]
    assert len(cards) == 4
    for section in ("1.B", "1.C", "1.D", "1.E", "6.B"):
        title = next(nb(s.title) for st in EDITION.steps for s in st.sections if s.code == section)
        assert sum(_squash(p).startswith(_squash(f"{section} {title}")) for p in ntnu_pages) == 1, (
            section
        )


def test_pdf_footer_only_on_member_pages(ntnu_pages: list[str]) -> None:
    for number, text in enumerate(ntnu_pages, start=1):
        match = FOOTER.search(text.rstrip())
        if number <= 3 or number == len(ntnu_pages):  # cover, EHN's two pages, back page
            assert match is None, number
        else:
            assert match is not None and int(match.group(1)) == number, (number, text[-80:])


def test_pdf_numbers_are_findable(ntnu_pages: list[str], ntnu_pdf: Path) -> None:
    text = "\n".join(ntnu_pages)
    assert "8 731" in text.replace("\u00a0", " ")
    assert "2 500 000 000" in text.replace("\u00a0", " ")
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    out = subprocess.run(
        ["pdftotext", str(ntnu_pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "8 731" in out and "2 500 000 000" in out


def test_pdf_contents_has_page_numbers(ntnu_pages: list[str]) -> None:
    contents = next(p for p in ntnu_pages if p.lstrip().startswith("Innhold"))
    for step in EDITION.steps:
        first_page = next(
            i for i, p in enumerate(ntnu_pages, 1) if p.lstrip().startswith(f"TRINN {step.number}")
        )
        pattern = (
            re.escape(str(step.number))
            + r"\s*"
            + r"\s*".join(map(re.escape, nb(step.title).split()))
        )
        line = re.search(pattern + r".*?\.{3,}\s*(\d+)", contents, flags=re.DOTALL)
        assert line is not None and int(line.group(1)) == first_page, step.number


def test_pdf_metadata_tags_and_pdfa(ntnu_pdf: Path) -> None:
    from pypdf import PdfReader

    reader = PdfReader(ntnu_pdf)
    info = reader.metadata
    assert info is not None
    assert info.title == "NTNU – Rapport om etisk handel og aktsomhetsvurderinger 2024"
    assert info.author == "NTNU"
    assert str(info["/CreationDate"]).startswith("D:20251231")
    root = reader.trailer["/Root"]
    assert root["/Lang"] == "nb"
    assert root["/MarkInfo"]["/Marked"] in (True, "true")
    assert "/StructTreeRoot" in root
    xmp = root["/Metadata"].get_object().get_data().decode("utf-8")
    assert 'pdfaid:part="2"' in xmp and 'pdfaid:conformance="A"' in xmp


def test_pdf_builds_are_byte_identical(tmp_path: Path) -> None:
    first = invoke("build", "-o", str(tmp_path / "a"), str(MINIMAL))
    second = invoke("build", "-o", str(tmp_path / "b"), str(MINIMAL))
    assert first.exit_code == second.exit_code == 0, first.output + second.output
    for name in ("report.pdf", "report.html"):
        assert (tmp_path / "a" / name).read_bytes() == (tmp_path / "b" / name).read_bytes(), name
    from pypdf import PdfReader

    info = PdfReader(tmp_path / "a" / "report.pdf").metadata
    assert info is not None and str(info["/ModDate"]).startswith("D:20250301")  # report.date


# -- the sandbox ---------------------------------------------------------------------


class _Recorder(http.server.BaseHTTPRequestHandler):
    requests: ClassVar[list[str]] = []

    def do_GET(self) -> None:
        self.requests.append(self.path)
        self.send_response(404)
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[tuple[str, list[str]]]:
    """A local HTTP server that records every request it gets."""
    requests: list[str] = []
    handler = type("Handler", (_Recorder,), {"requests": requests})
    httpd = http.server.HTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{httpd.server_address[1]}", requests
    finally:
        httpd.shutdown()
        httpd.server_close()
        thread.join()


def _print(html: str, base: Path):
    from ehnreport.pdf import print_pdf

    return print_pdf(
        html,
        base=base,
        roots=[BUILTIN],
        variant="pdf/a-2b",
        identifier=b"test",
        date=dt.date(2025, 1, 1),
    )


def test_pdf_fetcher_never_uses_the_network(tmp_path: Path, server: tuple[str, list[str]]) -> None:
    url, requests = server
    page = (
        f'<html lang="nb"><head><title>t</title><link rel="stylesheet" href="{url}/a.css">'
        f"<style>@import url({url}/b.css); p {{ background: url({url}/c.png) }}</style></head>"
        f'<body><p>x</p><img src="{url}/d.png" alt="d"><img src="https://127.0.0.1:1/e.png" '
        'alt="e"></body></html>'
    )
    printed = _print(page, tmp_path)
    assert printed.data.startswith(b"%PDF-")
    assert {u.rsplit("/", 1)[1] for u in printed.refused} >= {
        "a.css",
        "b.css",
        "c.png",
        "d.png",
        "e.png",
    }
    assert requests == []


def test_pdf_fetcher_allows_only_the_report_folder(tmp_path: Path) -> None:
    report = tmp_path / "rapport"
    report.mkdir()
    (report / "inne.png").write_bytes(PNG)
    (tmp_path / "ute.png").write_bytes(PNG)
    try:
        os.symlink(tmp_path / "ute.png", report / "lenke.png")
    except (OSError, NotImplementedError):  # pragma: no cover - Windows without rights
        pytest.skip("symbolic links are not available here")
    page = (
        '<html lang="nb"><head><title>t</title></head><body>'
        '<img src="inne.png" alt="a"><img src="../ute.png" alt="b">'
        f'<img src="{(tmp_path / "ute.png").as_uri()}" alt="c"><img src="lenke.png" alt="d">'
        '<img src="file:///etc/passwd" alt="e"></body></html>'
    )
    printed = _print(page, report)
    # WeasyPrint asks once per distinct URL: ../ute.png and its file: URI are the same.
    assert {u.rsplit("/", 1)[1] for u in printed.refused} == {"lenke.png", "passwd", "ute.png"}


def test_build_with_remote_image_makes_no_request(
    tmp_path: Path, server: tuple[str, list[str]]
) -> None:
    url, requests = server
    text = MINIMAL.read_text(encoding="utf-8").replace(
        "      Den revideres hvert andre år.\n",
        f"      Den revideres hvert andre år. ![Kart]({url}/kart.png)\n",
    )
    report = copy_report(MINIMAL, tmp_path / "r", text)
    mine = tmp_path / "maler"
    mine.mkdir()
    (mine / "back.html.j2").write_text(
        f'{{% extends "builtin/back.html.j2" %}}{{% block ehn %}}<img src="{url}/logo.png" '
        f'alt="EHN">{{% endblock %}}',
        encoding="utf-8",
    )
    outcome = build_report(
        check_file(report),
        BuildOptions(
            out_dir=tmp_path / "out",
            html=False,
            pdf=True,
            templates=mine,
            pdf_variant="pdf/a-2a",
            strict=False,
        ),
    )
    assert sorted(d.code for d in outcome.diagnostics) == ["fetch-refused", "image-refused"]
    assert requests == []
    result = invoke(
        "build",
        "--pdf",
        "--strict",
        "-o",
        str(tmp_path / "strict"),
        "--templates",
        str(mine),
        str(report),
    )
    assert result.exit_code == 1 and not (tmp_path / "strict").exists()
    assert f"ehnreport: {report}: rapporten er ikke gyldig; ingen filer er skrevet." in (
        result.output
    )


def test_pdf_ua_variant(tmp_path: Path) -> None:
    from ehnreport.pdf import print_pdf

    printed = print_pdf(
        '<html lang="nb"><head><title>UA</title></head><body><h1>Hei</h1></body></html>',
        base=tmp_path,
        roots=[],
        variant="pdf/ua-1",
        identifier=b"x",
        date=dt.date(2025, 1, 1),
    )
    from pypdf import PdfReader

    root = PdfReader(io.BytesIO(printed.data)).trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert b"pdfuaid:part" in root["/Metadata"].get_object().get_data()


# -- the edges of the rules ----------------------------------------------------------
# Each test here was written against a change to the package that no other test caught.


def _markdown(text: str, folder: Path) -> tuple[str, MarkdownRenderer]:
    md = MarkdownRenderer(folder=folder, file="report.yaml")
    return str(md.block(text, ("steps", "step1", "a2"))), md


def test_a_long_refused_link_is_named_cut_short(tmp_path: Path) -> None:
    href = "javascript:" + "a" * 66 + "bcdefghijklmnopqrstuvwxyz"  # 102 characters
    page, md = _markdown(f"Se [her]({href}).", tmp_path)
    assert page == "<p>Se her.</p>\n"
    [warning] = md.diagnostics
    assert f"lenken til «{href[:77]}…» er ikke tillatt" in warning.text()
    assert href[77:] not in warning.message


def test_a_refused_link_after_an_allowed_one_leaves_no_stray_close_tag(tmp_path: Path) -> None:
    page, md = _markdown(
        "[ok](https://a.no) og [*ikke*](javascript:x) og [ok igjen](mailto:a@b.no)", tmp_path
    )
    assert page == (
        '<p><a href="https://a.no">ok</a> og <em>ikke</em> og '
        '<a href="mailto:a@b.no">ok igjen</a></p>\n'
    )
    assert [d.code for d in md.diagnostics] == ["link-refused"]


def test_the_image_size_cap_is_exact(tmp_path: Path) -> None:
    from ehnreport.images import MAX_IMAGE_BYTES

    assert MAX_IMAGE_BYTES == 10 * 1024 * 1024  # as SECURITY.md and the guide say
    (tmp_path / "stor.png").write_bytes(PNG + b"\0" * (MAX_IMAGE_BYTES - len(PNG)))
    (tmp_path / "for-stor.png").write_bytes(PNG + b"\0" * (MAX_IMAGE_BYTES + 1 - len(PNG)))
    page, md = _markdown("![Stor](stor.png)\n\n![For stor](for-stor.png)", tmp_path)
    assert page.count('<img src="data:image/png;base64,') == 1
    [warning] = md.diagnostics
    assert warning.code == "image-refused"
    assert warning.text().startswith(
        "bildet «for-stor.png» er 10,1 MiB; største tillatte størrelse er 10 MiB."
    )


@pytest.mark.parametrize(
    ("kind", "data"),
    [
        ("WAV", b"RIFF\x24\x00\x00\x00WAVEfmt \x10\x00\x00\x00"),
        ("AVI", b"RIFF\x24\x00\x00\x00AVI LIST\x10\x00\x00\x00"),
        ("RIFF alone", b"RIFF\x24\x00\x00\x00"),
    ],
)
def test_a_riff_file_that_is_not_webp_is_not_an_image(
    tmp_path: Path, kind: str, data: bytes
) -> None:
    (tmp_path / "lyd.webp").write_bytes(data)
    page, md = _markdown("![Lyd](lyd.webp)", tmp_path)
    assert "<img" not in page, kind
    assert [d.text() for d in md.diagnostics] == [
        "«lyd.webp» er ikke et bilde i formatene PNG, JPEG, GIF, SVG eller WebP. "
        "Bildet er ikke tatt med."
    ]


def test_a_webp_file_is_an_image(tmp_path: Path) -> None:
    # A lossless (VP8L) WebP of 1 × 1 pixel: the header says its size.
    webp = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f\x00\x00\x00\x00" + b"\x00" * 8
    (tmp_path / "bilde.webp").write_bytes(webp)
    page, md = _markdown("![Bilde](bilde.webp)", tmp_path)
    assert '<img src="data:image/webp;base64,' in page and md.diagnostics == []


def test_build_into_a_new_nested_folder(tmp_path: Path) -> None:
    out = tmp_path / "ny" / "mappe" / "bygg"
    result = invoke("build", "--html", "-o", str(out), str(MINIMAL))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
    assert f"skrev {out / 'report.html'}" in result.output
