"""What validation, the cross checks, editions and the build say, in Nynorsk and English.

Each module's messages are rendered from a real diagnostic or error; a field's label is
in the language of the message, the words a member may type in the report's language.
"""

from __future__ import annotations

import ast
import datetime as dt
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

from ehnreport import build, diagnostics, messages, render
from ehnreport.build import BuildOptions, build_report
from ehnreport.errors import BuildError, Diagnostic, ExitCode, ReportInvalid
from ehnreport.forms import EditionError, add_folder, bundled_folder, reset_added
from ehnreport.forms.check import edition_from_data
from ehnreport.loader import load_file
from ehnreport.messages import msg
from ehnreport.validate import check_file

from .conftest import DATA, EXAMPLE, ROOT

PACKAGE = ROOT / "ehnreport"
# The modules whose sentences live in fields.yaml, checks.yaml, forms.yaml and build.yaml.
MODULES = (
    "diagnostics.py",
    "model/base.py",
    "model/factory.py",
    "checks.py",
    "completeness.py",
    "forms/__init__.py",
    "forms/check.py",
    "forms/rules.py",
    "render.py",
    "build.py",
    "pdf.py",
)
AREAS = ("fields", "checks", "forms", "build")
# Keys made from a name rather than written out (diagnostics._titled).
COMPOSED = {"fields.missing", "fields.missing-titled", "fields.empty", "fields.empty-titled"}
MINIMAL = (DATA / "reports" / "valid-minimal.yaml").read_text(encoding="utf-8")


def _literal_keys() -> dict[str, str]:
    """Every key written out as `msg("area.key", ...)` in MODULES: key -> module."""
    found: dict[str, str] = {}
    for name in MODULES:
        tree = ast.parse((PACKAGE / name).read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "msg"
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                found[node.args[0].value] = name
    return found


def test_every_key_these_modules_use_is_in_the_catalog() -> None:
    used = _literal_keys()
    assert len(used) > 100  # the parse found the calls
    missing = {key: module for key, module in used.items() if key not in messages.catalog()}
    assert not missing


def test_every_key_of_these_areas_is_used() -> None:
    own = {k for k in messages.catalog() if k.split(".")[0] in AREAS}
    used = set(_literal_keys())
    # A "-one" key is its base's sentence for a count of one, chosen when the base is.
    assert {k for k in own - used - COMPOSED if k.removesuffix("-one") not in used} == set()
    assert COMPOSED <= own


def _report(tmp_path: Path, text: str, *, language: str | None = None) -> Path:
    if language is not None:
        assert text.count("\n  language: nb\n") <= 1
        if "\n  language: nb\n" in text:
            text = text.replace("\n  language: nb\n", f"\n  language: {language}\n")
        else:
            text = text.replace("\n  year: ", f"\n  language: {language}\n  year: ", 1)
    path = tmp_path / "report.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def _one(tmp_path: Path, old: str, new: str, *, code: str, language: str | None = None, **kw: Any):
    """The one diagnostic with `code` of the minimal report with `old` replaced by `new`."""
    text = MINIMAL if old in MINIMAL else EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    result = check_file(_report(tmp_path, text.replace(old, new, 1), language=language), **kw)
    [found] = [d for d in result.diagnostics if d.code == code]
    return found


# -- diagnostics.py: pydantic's errors -------------------------------------------------


def test_a_missing_field_is_named_by_its_label_in_the_language_of_the_message(tmp_path):
    d = _one(tmp_path, "  short_name: EKS\n", "", code="missing")
    assert d.text("nb") == "«short_name» (Kortnavn) mangler og må fylles ut."
    assert d.text("nn") == "«short_name» (Kortnamn) manglar og må fyllast ut."
    assert d.text("en") == "“short_name” (Short name) is missing and must be filled in."


def test_the_label_follows_the_message_not_the_report(tmp_path):
    d = _one(tmp_path, "short_name: EKS", "short_name:", code="missing", language="en")
    assert d.text("nb") == "«short_name» (Kortnavn) er tom og må fylles ut."
    assert d.text("en") == "“short_name” (Short name) is empty and must be filled in."


def test_an_unknown_key_suggests_in_the_language_of_the_message(tmp_path):
    d = _one(tmp_path, "employees: 1200", "employes: 1200", code="unknown-key")
    assert d.text("nb") == "ukjent nøkkel «employes». Mente du «employees»?"
    assert d.text("nn") == "ukjend nøkkel «employes». Meinte du «employees»?"
    assert d.text("en") == "unknown key “employes”. Did you mean “employees”?"


def test_a_number_hint_in_nynorsk_and_english(tmp_path):
    d = _one(tmp_path, "employees: 1200", "employees: 1 200", code="wrong-type")
    assert d.text("nn") == (
        "her skal det stå eit heilt tal, men det står ein tekst «1 200». "
        "Skriv 1200, utan mellomrom eller punktum."
    )
    assert d.text("en") == (
        "this should be a whole number, but it is a text: “1 200”. "
        "Write 1200, without spaces or full stops."
    )


# -- words members type: statuses and yes/no -------------------------------------------


def test_a_wrong_status_lists_the_reports_words_in_the_users_language(tmp_path):
    d = _one(tmp_path, "status: Forsinket", "status: Complted", code="not-allowed", language="en")
    allowed = "Completed, In progress, Delayed, Not started, Discontinued"
    assert d.text("en") == (
        f"“Complted” is not allowed here. Choose one of: {allowed}. Did you mean “Completed”?"
    )
    assert d.text("nb") == (
        f"«Complted» er ikke tillatt her. Velg en av: {allowed}. Mente du «Completed»?"
    )


def test_a_wrong_status_in_a_nynorsk_report(tmp_path):
    d = _one(tmp_path, "status: Forsinket", "status: forseinkka", code="not-allowed", language="nn")
    allowed = "Gjennomført, Pågår, Forseinka, Ikkje starta, Går ut"
    assert d.text("nn") == (
        f"«forseinkka» er ikkje tillate her. Vel ein av: {allowed}. Meinte du «Forseinka»?"
    )
    assert d.text("en").endswith(f"Choose one of: {allowed}. Did you mean “Forseinka”?")


def test_a_wrong_yes_no_word_says_the_reports_words_and_suggests(tmp_path):
    d = _one(tmp_path, "qualification: Ja", "qualification: Yess", code="wrong-type", language="en")
    assert d.path == "steps.step2.a2.rows[0].qualification"
    assert d.text("en") == "write Yes or No (it is “Yess”). Did you mean “Yes”?"
    assert d.text("nn") == "skriv Yes eller No (står «Yess»). Meinte du «Yes»?"


def test_a_near_ja_in_a_nynorsk_report_suggests_ja(tmp_path):
    d = _one(tmp_path, "qualification: Ja", "qualification: jaa", code="wrong-type", language="nn")
    assert d.text("nn") == "skriv Ja eller Nei (står «jaa»). Meinte du «Ja»?"
    assert d.text("en") == "write Ja or Nei (it is “jaa”). Did you mean “Ja”?"


def test_a_number_for_yes_no_is_refused_with_the_words_and_no_suggestion(tmp_path):
    d = _one(tmp_path, "qualification: Ja", "qualification: 1", code="wrong-type", language="en")
    assert d.text("en") == "write Yes or No (it is “1”)."


def test_yes_no_words_are_still_read_case_blind(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8").replace("qualification: Ja", "qualification: YES")
    result = check_file(_report(tmp_path, text, language="en"))
    assert result.valid
    assert result.report.steps.step2.a2.rows[0].qualification is True


def test_why_a_commented_value_is_empty_is_the_loaders_why():
    why = msg("fields.quote-as-text", value="#EKS")
    said = Diagnostic(1, 1, "warning", "comment-value", "a", msg("fields.verbatim", text="x"))
    assert diagnostics._why(said) is None  # a message without `why`
    said = Diagnostic(1, 1, "warning", "comment-value", "a", _with_why(why))
    assert diagnostics._why(said) == why
    with pytest.raises(TypeError, match="is a Msg"):  # a finished sentence is refused
        Diagnostic(1, 1, "warning", "comment-value", "a", "linje 7: YAML leser alt")  # type: ignore[arg-type]


def _with_why(why: messages.Msg) -> messages.Msg:
    """A message with a `why`, as the loader's comment-value warning carries it."""
    return msg("fields.verbatim", text="", why=why)


# -- the models' validators ------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "nn", "en"),
    [
        (
            "year: 2024",
            "year: 1999",
            "1999 er ikkje eit mogleg rapporteringsår. Skriv året med fire siffer, som 2024.",
            "1999 is not a possible reporting year. Write the year with four digits, such as 2024.",
        ),
        (
            "email: innkjop@eksempel.kommune.no",
            "email: innkjop",
            "«innkjop» er ikkje ei gyldig e-postadresse (namn@eksempel.no).",
            "“innkjop” is not a valid email address (name@example.com).",
        ),
        (
            "a1: https://www.eksempel.kommune.no/policy",
            "a1: www.eksempel.no",
            "«www.eksempel.no» er ikkje ei gyldig nettadresse. Skriv heile adressa, med https:// "
            "framfor.",
            "“www.eksempel.no” is not a valid web address. Write the whole address, beginning "
            "with https://.",
        ),
        (
            "form: ehn-public-2024",
            "form: ehn-public-2042",
            "ukjend skjemautgåve «ehn-public-2042». Meinte du «ehn-public-2024»? Kjende utgåver: "
            "ehn-public-2024. Ei utgåve som ikkje følgjer med ehnreport, legg du til med --forms "
            "MAPPE.",
            "unknown form edition “ehn-public-2042”. Did you mean “ehn-public-2024”? Known "
            "editions: ehn-public-2024. An edition that does not come with ehnreport is added "
            "with --forms FOLDER.",
        ),
        (
            "form: ehn-public-2024",
            'form: ehn-public-2024\n  accent: "#ffff00"',
            "fargen #ffff00 har kontrast 1.1:1 mot kvitt; universell utforming krev minst 4.5:1. "
            "Vel ein mørkare farge.",
            "the colour #ffff00 has a contrast of 1.1:1 against white; accessibility requires at "
            "least 4.5:1. Choose a darker colour.",
        ),
    ],
)
def test_a_validators_refusal_in_nynorsk_and_english(tmp_path, old, new, nn, en):
    d = _one(tmp_path, old, new, code="invalid-value")
    assert (d.text("nn"), d.text("en")) == (nn, en)


# -- checks.py and completeness.py -----------------------------------------------------


def test_cross_checks_in_nynorsk_and_english(tmp_path):
    d = _one(tmp_path, "year: 2024", "year: 2024", code="future-year", today=dt.date(2023, 6, 1))
    assert d.text("nn") == "rapporteringsåret 2024 har ikkje byrja enno."
    assert d.text("en") == "the reporting year 2024 has not begun yet."
    d = _one(tmp_path, "[Lønn, Arbeidstid]", "[Lønnn, Arbeidstid]", code="unknown-theme")
    assert d.text("nn") == "«Lønnn» er ikkje blant dei kjende temaa. Meinte du «Lønn»?"
    assert d.text("en") == "“Lønnn” is not one of the known themes. Did you mean “Lønn”?"


def test_a_placeholder_names_the_field_in_the_language_of_the_message(tmp_path):
    d = _one(tmp_path, "name: Eksempel kommune", "name: Virksomhetens navn", code="placeholder")
    assert d.text("nb") == (
        "«Virksomhetens navn» er teksten «ehnreport init» skrev her; skriv inn virksomhetens navn."
    )
    assert d.text("en") == (
        "“Virksomhetens navn” is the text “ehnreport init” wrote here; "
        "fill in the organisation's name."
    )


def test_a_local_file_problem_in_english(tmp_path):
    d = _one(tmp_path, "short_name: EKS", "short_name: EKS\n  logo: nowhere.png", code="logo")
    assert d.text("en") == "could not find the file “nowhere.png” in the report's folder."
    assert d.text("nn") == "fann ikkje fila «nowhere.png» i mappa til rapporten."


def test_cards_and_risks_in_english(tmp_path):
    text = EXAMPLE.read_text(encoding="utf-8")
    result = check_file(_report(tmp_path, text.replace("- risk: Transport", "- risk: Transprt")))
    shown = {d.code: d.text("en") for d in result.diagnostics}
    assert shown["risk-without-card"] == (
        "the risk “Transport” in 2.A.3 has no card in 3.A.1. Add a card with the same name."
    )
    assert shown["card-without-risk"] == (
        "the card “Transprt” in 3.A.1 has no risk with the same name in 2.A.3. "
        "Did you mean “Transport”?"
    )


def test_unanswered_questions_are_named_in_the_language_of_the_message(tmp_path):
    result = check_file(_report(tmp_path, MINIMAL))
    shown = {d.path: d for d in result.diagnostics if d.code == "unanswered"}
    foreword = shown["foreword.text"]
    assert foreword.text("nb") == "ikke besvart: «Forord fra virksomhetsleder»."
    assert foreword.text("nn") == "ikkje svara på: «Føreord frå verksemdsleiar»."
    assert foreword.text("en") == "not answered: “Foreword by the head of the organisation”."
    coded = shown["steps.step1.d2"]
    assert coded.text("en") == (
        "1.D.2 is not answered: “How is work carried out to uphold the Declaration of Principles?”."
    )
    assert coded.text("nn") == (
        "1.D.2 er ikkje svara på: «Korleis blir det arbeidd med å vareta prinsipperklæringa?»."
    )


# -- the editions (forms) --------------------------------------------------------------


def _form_data() -> dict[str, Any]:
    data: dict[str, Any] = load_file(bundled_folder("ehn-public-2024") / "form.yaml").data
    return data


def test_an_edition_mistake_in_nynorsk_and_english():
    data = _form_data()
    data["titel"] = data["title"]
    with pytest.raises(EditionError) as exc:
        edition_from_data(data)
    [unknown] = exc.value.diagnostics
    assert unknown.path == "titel"
    assert unknown.text("en").startswith(
        "unknown key “titel”. Did you mean “title”? Keys allowed here: format, "
    )
    assert unknown.text("nn").startswith(
        "ukjend nøkkel «titel». Meinte du «title»? Tillatne nøklar her: format, "
    )


def test_an_edition_rule_in_english():
    data = _form_data()
    data["format"] = 99
    with pytest.raises(EditionError) as exc:
        edition_from_data(data)
    [d] = exc.value.diagnostics
    assert d.text("en").startswith("the format is 99; this version reads format ")
    assert d.text("nn").startswith("formatet er 99; denne versjonen les format ")


def test_a_forms_folder_that_is_not_there(tmp_path, monkeypatch):
    try:
        with pytest.raises(EditionError) as exc:
            add_folder(tmp_path / "nowhere")
    finally:
        reset_added()
    [d] = exc.value.diagnostics
    assert (d.text("nn"), d.text("en")) == (
        "fann ikkje mappa (--forms).",
        "could not find the folder (--forms).",
    )
    # The error is said in the language chosen when it is printed, not when it was made.
    monkeypatch.setattr(messages._chosen, "language", "en")
    assert str(exc.value) == "could not find the folder (--forms)."


# -- render.py, build.py and pdf.py ----------------------------------------------------


def _valid(tmp_path: Path):
    result = check_file(_report(tmp_path, MINIMAL))
    assert result.valid
    return result


def test_a_template_error_in_english(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text("{% if %}\n", encoding="utf-8")
    options = BuildOptions(out_dir=tmp_path / "out", pdf=False, templates=templates)
    with pytest.raises(BuildError) as exc:
        build_report(_valid(tmp_path), options)
    assert str(exc.value.msg.text("en")).startswith("syntax error in the template ")
    assert ", line 1: " in exc.value.msg.text("en")
    assert not (tmp_path / "out").exists()


def test_a_missing_template_says_where_in_nynorsk(tmp_path):
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "report.html.j2").write_text('{% include "nowhere.j2" %}\n', encoding="utf-8")
    options = BuildOptions(out_dir=tmp_path / "out", pdf=False, templates=templates)
    with pytest.raises(BuildError) as exc:
        build_report(_valid(tmp_path), options)
    said = exc.value.msg.text("nn")
    assert said.startswith(f"malen «nowhere.j2» finst verken i {templates} eller blant dei ")
    assert said.endswith(f"(malen {templates / 'report.html.j2'}, linje 1)")


def test_a_logo_warning_in_english():
    md: Any = SimpleNamespace(loaded=None, file="report.yaml")
    d = render._logo_warning(md, msg("checks.file-not-found", name="logo.png"))
    assert d.text("en") == (
        "could not find the file “logo.png” in the report's folder. "
        "The cover is made without a logo."
    )
    assert render._logo_warning(md, "«x» er ødelagt.").text("en") == (
        "«x» er ødelagt. The cover is made without a logo."
    )


def test_the_builds_warnings_in_nynorsk_and_english():
    d = build._refused("https://example.com/a.png", "report.yaml")
    assert d.text("en").startswith("the PDF tried to fetch “https://example.com/a.png”, but only ")
    assert d.text("nn").endswith("Det er utelate frå PDF-en.")
    exc = build._strict_failure([d, d])
    assert isinstance(exc, ReportInvalid) and exc.exit_code == ExitCode.INVALID
    assert exc.diagnostics == [d, d]
    assert str(exc) == "2 advarsler ved bygging gir feil med --strict; ingen filer er skrevet"
    assert exc.msg.text("en") == (
        "2 warnings while building are errors with --strict; no files were written"
    )


def test_the_pdf_sandbox_and_a_failed_print_in_english(tmp_path):
    from ehnreport import pdf

    fetcher = pdf.SandboxFetcher([tmp_path])
    with pytest.raises(ValueError) as refused:
        fetcher.fetch("https://example.com/a.png")
    assert isinstance(refused.value, pdf.InvalidValue)
    assert refused.value.msg.text("en") == (
        "ehnreport does not allow fetching https://example.com/a.png"
    )
    with pytest.raises(BuildError) as exc:
        pdf.print_pdf(
            "<p>x</p>",
            base=tmp_path,
            roots=[],
            variant="pdf/no-such-variant",
            identifier=b"0" * 32,
            date=dt.date(2025, 1, 1),
        )
    said = exc.value.msg.text("en")
    assert said.startswith("the PDF could not be made: ")
    assert said.endswith(". If your own templates (--templates) cause it, try without them.")
