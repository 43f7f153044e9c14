"""Cross checks at their edges: themes in every language, the suggestion cap, the year,
text `init` wrote, quotes, file names, and rules that follow an edition's data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ehnreport import forms
from ehnreport.checks import local_file_problem
from ehnreport.cli import app
from ehnreport.diagnostics import SUGGESTIONS
from ehnreport.errors import Diagnostic
from ehnreport.loader import load_file
from ehnreport.validate import check_file
from ehnreport.yamlwriter import dump

from .conftest import DATA

MINIMAL = (DATA / "reports" / "valid-minimal.yaml").read_text(encoding="utf-8")


@pytest.fixture(autouse=True)
def _forget_added_editions() -> Iterator[None]:
    yield
    forms.reset_added()


def _report(tmp_path: Path, text: str, name: str = "report.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _with(old: str, new: str, text: str = MINIMAL) -> str:
    assert old in text
    return text.replace(old, new, 1)


def _risks(*rows: tuple[str, list[str]]) -> str:
    """A 2.A.3 answer (step 2) with these risks and themes."""
    lines = ["  step2:", "    a3:", "      risks:"]
    for name, themes in rows:
        lines += [f"        - name: {name}", f"          themes: [{', '.join(themes)}]"]
    return "\n".join(lines) + "\n"


def _warnings(path: Path, code: str) -> list[Diagnostic]:
    return [d for d in check_file(path).diagnostics if d.code == code]


# -- themes ----------------------------------------------------------------------------


def test_a_report_in_another_language_keeps_the_first_languages_themes(tmp_path: Path) -> None:
    # «Utslipp» is nb, «Emissions» en and «Utslepp» nn; an en report knows nb and en.
    text = _with("  form: ehn-public-2024\n", "  form: ehn-public-2024\n  language: en\n")
    path = _report(tmp_path, text + _risks(("Reiser", ["Utslipp", "Emissions", "Utslepp"])))
    found = _warnings(path, "unknown-theme")
    assert [(d.path, d.text("nb")) for d in found] == [
        (
            "steps.step2.a3.risks[0].themes[2]",
            "«Utslepp» er ikke blant de kjente temaene.",
        )
    ]


def test_the_suggestion_cap_gives_exactly_the_first_suggestions_a_hint(tmp_path: Path) -> None:
    # Every theme is one letter off a known one: each would get «Mente du», but a file
    # gets at most SUGGESTIONS of them, in file order, and the rest the bare sentence.
    rows = [(f"Risiko {i}", ["Utslip"] * 30) for i in range(5)]
    path = _report(tmp_path, MINIMAL + _risks(*rows))
    texts = [d.text("nb") for d in _warnings(path, "unknown-theme")]
    hinted = "«Utslip» er ikke blant de kjente temaene. Mente du «Utslipp»?"
    bare = "«Utslip» er ikke blant de kjente temaene."
    assert len(texts) == 150 > SUGGESTIONS == 100
    assert texts == [hinted] * SUGGESTIONS + [bare] * (150 - SUGGESTIONS)


# -- the reporting year, text `init` wrote, quotes ------------------------------------


def test_the_current_year_is_not_in_the_future(tmp_path: Path) -> None:
    year = dt.date.today().year
    now = _report(tmp_path, _with("year: 2024", f"year: {year}"), "now.yaml")
    assert _warnings(now, "future-year") == []
    later = _report(tmp_path, _with("year: 2024", f"year: {year + 1}"), "later.yaml")
    assert [d.text("nb") for d in _warnings(later, "future-year")] == [
        f"rapporteringsåret {year + 1} har ikke begynt ennå."
    ]


def test_the_placeholder_init_wrote_is_found_in_the_reports_language(tmp_path: Path) -> None:
    text = _with("  form: ehn-public-2024\n", "  form: ehn-public-2024\n  language: en\n")
    text = _with("  name: Eksempel kommune", "  name: The organisation's name", text)
    found = _warnings(_report(tmp_path, text), "placeholder")
    assert [d.path for d in found] == ["member.name"]
    assert (
        found[0]
        .text("nb")
        .startswith("«The organisation's name» er teksten «ehnreport init» skrev her;")
    )


def test_a_quote_after_leading_spaces_is_still_a_quote(tmp_path: Path) -> None:
    text = MINIMAL + 'foreword:\n  text: "  «Vi tar ansvar.»"\n'
    found = _warnings(_report(tmp_path, text), "quoted-text")
    assert [d.path for d in found] == ["foreword.text"]


# -- file names ------------------------------------------------------------------------


def test_a_file_colon_name_is_refused_as_an_address(tmp_path: Path) -> None:
    # Even when a file of that name is in the folder: «file:» is a scheme, not a name.
    (tmp_path / "file:logo.png").write_bytes(b"\x89PNG\r\n\x1a\n")
    text = _with("  short_name: EKS\n", '  short_name: EKS\n  logo: "file:logo.png"\n')
    found = _warnings(_report(tmp_path, text), "logo")
    assert [d.text("nb") for d in found] == [
        "«file:logo.png» må være et filnavn i rapportens mappe, ikke en nettadresse."
    ]


def test_a_nul_in_a_file_name_is_said_as_such(tmp_path: Path) -> None:
    # A report cannot carry a NUL this far (the loader refuses control characters);
    # a library caller can, and hears why, never «kan ikke leses».
    problem = local_file_problem("logo\x00.png", tmp_path)
    assert problem is not None
    assert problem.text("nb") == (
        "filnavnet inneholder en NUL-byte (\\0) og kan ikke være et filnavn."
    )


# -- rules that follow an edition's data -----------------------------------------------


def _edition(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    """A --forms folder with a copy of the bundled edition as ehn-public-2098, changed."""
    folder = tmp_path / "skjema"
    (folder / "ehn-public-2098").mkdir(parents=True)
    data = load_file(forms.bundled_folder(forms.DEFAULT) / "form.yaml").data
    data["id"] = "ehn-public-2098"
    change(data)
    (folder / "ehn-public-2098" / "form.yaml").write_text(dump(data), encoding="utf-8")
    return folder


def _question(data: dict[str, Any], kind: str) -> dict[str, Any]:
    for step in data["steps"]:
        for section in step["sections"]:
            for q in section["questions"]:
                if q["kind"] == kind:
                    return q
    raise AssertionError(kind)


def _validate(folder: Path, report: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.chdir(report.parent)  # the output names the file as given
    result = CliRunner().invoke(
        app, ["validate", "--forms", str(folder), report.name], env={"GITHUB_ACTIONS": ""}
    )
    assert "Traceback" not in result.output
    return result.output


def test_a_themes_column_on_cards_is_checked_once_per_card(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def theme_on_cards(data: dict[str, Any]) -> None:
        columns = _question(data, "cards")["table"]["columns"]
        columns.append(
            {
                "key": "theme",
                "label": {"nb": "Tema", "nn": "Tema", "en": "Theme"},
                "help": {"nb": "Ett tema.", "nn": "Eitt tema.", "en": "One theme."},
                "vocabulary": "themes",
            }
        )

    folder = _edition(tmp_path, theme_on_cards)
    text = _with("form: ehn-public-2024", "form: ehn-public-2098")
    text += _risks(("Reiser", ["Miljø"]), ("Mat", ["Miljø"]))
    text += "  step3:\n    a1:\n      - risk: Reiser\n        theme: Utslip\n"
    text += "      - risk: Mat\n        theme: Utslipp\n"
    output = _validate(folder, _report(tmp_path, text), monkeypatch)
    found = [line for line in output.splitlines() if "[unknown-theme]" in line]
    assert found == [
        "report.yaml:26:16: warning[unknown-theme] steps.step3.a1[0].theme: «Utslip» er "
        "ikke blant de kjente temaene. Mente du «Utslipp»?"
    ]


def test_an_edition_without_themes_warns_of_every_word(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An edition without themes: a column with the vocabulary knows no words, so every
    # word is unknown, said without a suggestion, and nothing fails.
    def no_themes(data: dict[str, Any]) -> None:
        del data["themes"]

    folder = _edition(tmp_path, no_themes)
    text = _with("  form: ehn-public-2024\n", "  form: ehn-public-2098\n  language: en\n")
    report = _report(tmp_path, text + _risks(("Reiser", ["Utslepp"])))
    output = _validate(folder, report, monkeypatch)
    found = [line for line in output.splitlines() if "[unknown-theme]" in line]
    assert found == [
        "report.yaml:21:20: warning[unknown-theme] steps.step2.a3.risks[0].themes[0]: "
        "«Utslepp» er ikke blant de kjente temaene."
    ]


@pytest.mark.parametrize(
    ("label", "limit", "said"),
    [
        ("Kort etikett", 60, "Kort etikett"),
        ("a" * 60, 60, "a" * 60),
        ("Ord, " * 20, 60, ("Ord, " * 12).rstrip().rstrip(",") + " …"),
        ("x" * 100, 60, "x" * 60 + " …"),  # one long word is cut at the limit
        ("Å " + "x" * 100, 60, "Å …"),  # a word of one letter before it is a word too
        ("Nivå X, " + "y" * 60, 60, "Nivå X …"),  # only the punctuation goes
    ],
)
def test_a_long_label_is_cut_at_a_word_and_marked(label: str, limit: int, said: str) -> None:
    from ehnreport.completeness import short

    assert short(label, limit) == said
