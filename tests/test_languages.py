"""A report in Bokmål, Nynorsk or English: the texts, prose and fixed words of each
language, the words members type, and the built HTML and PDF of the NTNU example.

The PDFs are built once per language for the module (a second or two each).
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from ehnreport import forms, words
from ehnreport.cli import app
from ehnreport.forms import DEFAULT, LANGUAGES, EditionError, bundled_folder, load_edition
from ehnreport.render import format_date, format_number, quoted
from ehnreport.validate import check_file

from .conftest import ROOT
from .test_build import GOLDEN, without_fonts

EXAMPLE = ROOT / "examples" / "ntnu-2024.yaml"
EDITION = load_edition(DEFAULT)
FORM = bundled_folder(DEFAULT) / "form.yaml"
TEMPLATES = ROOT / "ehnreport" / "templates"
runner = CliRunner()

# ehnreport's own Norwegian words, none of which an English build may print.
NORWEGIAN = (
    "Nøkkelinformasjon",
    "Innhold",
    "Kontaktinformasjon",
    "Forord fra",
    "Mål og fremdrift",
    "Overordnet mål",
    "Antall ansatte",
    "Rapporteringsår",
    "Prioritert risiko",
    "Geografi",
    "Til lesere",
)


def invoke(*args: str):
    return runner.invoke(app, list(args), catch_exceptions=False, env={"GITHUB_ACTIONS": ""})


def in_language(language: str, folder: Path, text: str | None = None) -> Path:
    """The NTNU example (or `text`) with `report.language` set, as folder/ntnu-2024.yaml."""
    text = EXAMPLE.read_text(encoding="utf-8") if text is None else text
    assert text.count("\n  language: nb\n") == 1
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "ntnu-2024.yaml"
    path.write_text(text.replace("\n  language: nb\n", f"\n  language: {language}\n"), "utf-8")
    return path


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, tuple[str, Path]]:
    """The NTNU example built to HTML and PDF in each language: language -> (HTML, PDF)."""
    out: dict[str, tuple[str, Path]] = {}
    for language in LANGUAGES:
        folder = tmp_path_factory.mktemp(language)
        report = in_language(language, folder / "src")
        result = invoke("build", "-o", str(folder / "out"), str(report))
        assert result.exit_code == 0, result.output
        html = (folder / "out" / "ntnu-2024.html").read_text(encoding="utf-8")
        out[language] = (html, folder / "out" / "ntnu-2024.pdf")
    return out


# -- the data: every text, word and prose template in every language ------------------


def test_the_bundled_edition_declares_the_three_languages() -> None:
    assert EDITION.languages == ("nb", "nn", "en")


def test_every_fixed_word_has_every_language() -> None:
    catalog = words.catalog()
    assert catalog, "words.yaml is empty"
    for key, texts in catalog.items():
        assert set(texts) == set(LANGUAGES), f"{key}: {sorted(texts)}"
        assert all(isinstance(t, str) and t for t in texts.values()), key


def test_the_models_step_word_is_the_catalogs() -> None:
    from ehnreport.model.factory import _STEP

    assert _STEP == {language: words.words(language)["step"] for language in LANGUAGES}


def test_every_word_a_template_names_is_in_the_catalog() -> None:
    named = set()
    for path in TEMPLATES.rglob("*.j2"):
        named |= set(re.findall(r"\bwords\.([a-z_]+)", path.read_text(encoding="utf-8")))
    assert named, "no template uses the catalog"
    assert named <= set(words.catalog()), named - set(words.catalog())


def test_an_edition_text_without_a_declared_language_is_a_mistake(tmp_path: Path) -> None:
    text = FORM.read_text(encoding="utf-8")
    line = "          en: Number of employees\n"
    assert text.count(line) == 1
    path = tmp_path / "form.yaml"
    path.write_text(text.replace(line, ""), encoding="utf-8")
    with pytest.raises(EditionError) as exc:
        forms.load_edition_file(path)
    [d] = exc.value.diagnostics
    assert "mangler språket en" in d.text() and d.path.endswith("employees].label") is False
    lines = text.splitlines()
    at = lines.index(line.rstrip("\n"))  # the text's own lines: label:, nb:, nn:, en:
    assert at - 3 <= d.line - 1 <= at


def test_an_edition_lacking_a_prose_template_in_a_language_is_a_mistake(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    copy = tmp_path / DEFAULT
    shutil.copytree(bundled_folder(DEFAULT), copy)
    (copy / "en" / "step3_intro.html.j2").unlink()
    monkeypatch.setattr(forms, "bundled_folder", lambda edition_id: copy)
    with pytest.raises(EditionError) as exc:
        forms.load_edition_file(copy / "form.yaml")
    messages = [d.text() for d in exc.value.diagnostics]
    assert len(messages) == 1 and "step3_intro.html.j2" in messages[0] and "«en»" in messages[0]


def test_an_edition_in_a_language_ehnreport_cannot_print_is_a_mistake() -> None:
    from ehnreport.forms.check import edition_from_data
    from ehnreport.loader import load_file

    def add_german(node: object) -> None:  # every text and word list, also in "de"
        if isinstance(node, dict):
            if "nb" in node and "en" in node:
                node["de"] = node["en"]
            for value in node.values():
                add_german(value)
        elif isinstance(node, list):
            for item in node:
                add_german(item)

    data = load_file(FORM).data
    data["languages"] = ["nb", "nn", "en", "de"]
    add_german(data)
    with pytest.raises(EditionError) as exc:
        edition_from_data(data)
    [d] = exc.value.diagnostics
    assert "«de»" in d.text() and "nb, nn, en" in d.text()


def test_prose_templates_are_the_same_in_each_language() -> None:
    folder = bundled_folder(DEFAULT)
    names = {p.name for p in (folder / "nb").glob("*.html.j2")}
    assert "ehn_letter.html.j2" in names
    for language in LANGUAGES:
        assert {p.name for p in (folder / language).glob("*.html.j2")} == names, language


# -- numbers, dates and quotation marks ------------------------------------------------


def test_numbers_are_grouped_as_each_language_writes_them() -> None:
    assert format_number(2_500_000_000, "en") == "2,500,000,000"
    assert format_number(2_500_000_000, "nb") == "2\u00a0500\u00a0000\u00a0000"
    assert format_number(2_500_000_000, "nn") == "2\u00a0500\u00a0000\u00a0000"
    assert format_number(673, "en") == "673" and format_number(None, "en") == ""


def test_dates_in_words_follow_the_language() -> None:
    day = dt.date(2025, 12, 31)
    assert format_date(day, "nb") == "31. desember 2025"
    assert format_date(day, "nn") == "31. desember 2025"
    assert format_date(day, "en") == "31 December 2025"
    assert format_date(dt.date(2024, 5, 1), "en") == "1 May 2024"


def test_quotation_marks_follow_the_language() -> None:
    from markupsafe import Markup

    assert quoted(Markup("<p>Hei</p>\n"), "nb") == "<p>«Hei»</p>\n"
    assert quoted(Markup("<p>Hello</p>\n"), "en") == "<p>\u201cHello\u201d</p>\n"


# -- words members type ----------------------------------------------------------------


def _goals_report(tmp_path: Path, language: str, statuses: list[str], yes: str) -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    text = text.replace("status: Forsinket", f"status: {statuses[0]}", 1)
    text = text.replace("status: Utgår", f"status: {statuses[1]}", 1)
    text = text.replace("qualification: Ja", f"qualification: {yes}", 1)
    return in_language(language, tmp_path, text)


@pytest.mark.parametrize(
    ("language", "typed", "stored", "yes"),
    [
        ("en", ["in progress", "DISCONTINUED"], ["In progress", "Discontinued"], "yes"),
        ("en", ["Forsinket", "utgår"], ["Delayed", "Discontinued"], "Ja"),
        ("nn", ["forseinka", "Går ut"], ["Forseinka", "Går ut"], "JA"),
        ("nn", ["Gjennomført", "Ikke startet"], ["Gjennomført", "Ikkje starta"], "ja"),
        ("nb", ["pågår", "Utgår"], ["Pågår", "Utgår"], "Ja"),
    ],
)
def test_status_and_yes_no_in_the_reports_language_or_nb(
    tmp_path: Path, language: str, typed: list[str], stored: list[str], yes: str
) -> None:
    result = check_file(_goals_report(tmp_path, language, typed, yes))
    assert result.valid, [d.text() for d in result.diagnostics if d.is_error]
    goals = result.report.goals.current
    assert [goals[0].status, goals[1].status] == stored
    assert result.report.steps.step2.a2.rows[0].qualification is True


def test_english_words_are_not_accepted_in_a_bokmal_report(tmp_path: Path) -> None:
    result = check_file(_goals_report(tmp_path, "nb", ["Delayed", "Utgår"], "Ja"))
    assert not result.valid
    [error] = [d for d in result.diagnostics if d.is_error]
    assert error.path == "goals.current[0].status" and "Forsinket" in error.text()


def test_a_wrong_status_word_suggests_the_reports_language(tmp_path: Path) -> None:
    result = check_file(_goals_report(tmp_path, "en", ["Complted", "Utgår"], "Ja"))
    [error] = [d for d in result.diagnostics if d.is_error]
    assert "Mente du «Completed»?" in error.text()
    assert "Gjennomført" not in error.text()


def test_a_wrong_yes_no_word_is_an_error(tmp_path: Path) -> None:
    result = check_file(_goals_report(tmp_path, "en", ["Completed", "Utgår"], "Yess"))
    [error] = [d for d in result.diagnostics if d.is_error]
    assert error.path == "steps.step2.a2.rows[0].qualification"


# -- the built report ------------------------------------------------------------------


class _Headings(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.headings: list[str] = []
        self._open: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("h1", "h2", "h3"):
            self._open = []

    def handle_endtag(self, tag: str) -> None:
        if tag in ("h1", "h2", "h3") and self._open is not None:
            self.headings.append(" ".join("".join(self._open).split()))
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            self._open.append(data)


def headings(page: str) -> list[str]:
    parser = _Headings()
    parser.feed(page)
    return parser.headings


def pdf_text(pdf: Path) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(pdf).pages)


@pytest.mark.parametrize("language", ["nn", "en"])
def test_golden_html_per_language(
    language: str, built: dict[str, tuple[str, Path]], golden
) -> None:
    golden(GOLDEN / f"ntnu-2024.{language}.html", without_fonts(built[language][0]))


@pytest.mark.parametrize("language", LANGUAGES)
def test_html_and_pdf_carry_the_reports_language(
    language: str, built: dict[str, tuple[str, Path]]
) -> None:
    page, pdf = built[language]
    assert f'<html lang="{language}">' in page
    assert PdfReader(pdf).trailer["/Root"]["/Lang"] == language


def test_english_pdf_has_none_of_ehnreports_norwegian_words(
    built: dict[str, tuple[str, Path]],
) -> None:
    page, pdf = built["en"]
    text = pdf_text(pdf)
    found = [w for w in NORWEGIAN if w in text]
    assert not found
    # The member's own answers stay as written.
    assert "Dagens policy utviklet av økonomiavdelingen" in " ".join(text.split())
    meta = PdfReader(pdf).metadata
    assert meta is not None
    assert meta.title == "NTNU – Report on ethical trade and due diligence 2024"
    assert meta.subject is not None and meta.subject.startswith("Report from NTNU")
    assert meta["/Keywords"] == "ethical trade, due diligence, procurement, 2024"
    total = check_file(EXAMPLE).report.procurement.total_value
    assert total >= 1000 and format_number(total, "en") in text  # English digit grouping
    assert "Delayed" in text and "Forsinket" not in text
    assert "No." in page and "Skip to the report" in page


def test_nynorsk_headings_differ_from_bokmal(built: dict[str, tuple[str, Path]]) -> None:
    nb, nn = headings(built["nb"][0]), headings(built["nn"][0])
    assert len(nb) == len(nn) and len(nb) > 20
    differ = sum(a != b for a, b in zip(nb, nn, strict=True))
    assert differ / len(nb) >= 0.4, (differ, len(nb))
    text = pdf_text(built["nn"][1])
    assert "Innhald" in text and "Innhold" not in text
    assert "verksemda" in text and "leverandørkjeda" in text


def test_every_language_keeps_the_status_colours(built: dict[str, tuple[str, Path]]) -> None:
    for language, word in (("nb", "Forsinket"), ("nn", "Forseinka"), ("en", "Delayed")):
        page = built[language][0]
        css_class = {"nb": "forsinket", "nn": "forseinka", "en": "delayed"}[language]
        assert f".status-{css_class} {{ color: #7a4a00;" in page
        assert f'<span class="status status-{css_class}">{word}</span>' in page


# -- schema and init -------------------------------------------------------------------


def test_schema_in_english(tmp_path: Path) -> None:
    import json

    result = invoke("schema", "--lang", "en")
    assert result.exit_code == 0, result.output
    schema = json.loads(result.output)
    employees = schema["$defs"]["KeyInfo"]["properties"]["employees"]
    assert employees["title"] == "Number of employees"
    assert "Antall ansatte" not in result.output
    status = schema["$defs"]["Goal"]["properties"]["status"]["anyOf"][0]["enum"]
    assert "Completed" in status and "Gjennomført" in status
    committed = (ROOT / "schema" / "ehnreport.schema.json").read_text(encoding="utf-8")
    assert invoke("schema").output == committed
    assert invoke("schema", "--lang", "nb").output == committed


def test_schema_and_init_refuse_a_language_the_edition_lacks(tmp_path: Path) -> None:
    for args in (("schema", "--lang", "de"), ("init", "--lang", "de", str(tmp_path / "r.yaml"))):
        result = runner.invoke(app, list(args))
        assert result.exit_code == 2
        # Not a language of ehnreport at all: refused before the edition is looked at.
        assert "«de»" in result.output and "nb, nn eller en" in result.output
    assert not (tmp_path / "r.yaml").exists()


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [
        (
            "en",
            ["# How to fill it in:", "# Guidance: ", "# Step 2: ", "status: In progress"],
            ["Veiledning", "Slik fyller du ut", "Trinn "],
        ),
        (
            "nn",
            ["# Rettleiing: ", "# Døme på fri tekst:", "Namnet på verksemda"],
            ["Veiledning", "Eksempel på fri tekst"],
        ),
    ],
)
def test_init_writes_the_language_and_its_comments_in_it(
    tmp_path: Path, language: str, said: list[str], not_said: list[str]
) -> None:
    path = tmp_path / "report.yaml"
    result = invoke("init", "--lang", language, str(path))
    assert result.exit_code == 0, result.output
    text = path.read_text(encoding="utf-8")
    assert f"\n  language: {language}\n" in text
    for words_ in said:
        assert words_ in text, words_
    for words_ in not_said:
        assert words_ not in text, words_
    checked = check_file(path)
    assert checked.valid, [d.text() for d in checked.diagnostics if d.is_error]
    assert checked.report.report.language == language
    # The placeholder names are the language's, and are still warned until replaced.
    assert any(d.code == "placeholder" for d in checked.diagnostics)
