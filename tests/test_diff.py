"""`ehnreport diff`: changes question by question, exit codes as diff(1)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.diff import diff, words

from .conftest import EXAMPLE

runner = CliRunner()
B2 = "    b2: |\n      Internopplæring av innkjøpsseksjonen sine ansatte.\n"


def invoke(*args: str, stdin: str | None = None):
    result = runner.invoke(
        app, list(args), input=stdin, catch_exceptions=False, env={"GITHUB_ACTIONS": ""}
    )
    assert "Traceback" not in result.output
    return result


def _changed(tmp_path: Path, old: str, new: str, name: str = "ny.yaml") -> Path:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert old in text
    target = tmp_path / name
    target.write_text(text.replace(old, new), encoding="utf-8")
    return target


def test_the_example_against_itself_is_no_change() -> None:
    result = invoke("diff", str(EXAMPLE), str(EXAMPLE))
    assert result.exit_code == 0, result.output
    assert "Ingen endringer" in result.output


def test_a_changed_answer_is_named_with_its_added_words(tmp_path: Path) -> None:
    new = _changed(
        tmp_path,
        B2,
        "    b2: |\n      Internopplæring av alle innkjøpsseksjonen sine nye ansatte.\n",
    )
    result = invoke("diff", str(EXAMPLE), str(new))
    assert result.exit_code == 1, result.output
    assert "1.B.2 Hvordan sikres det at relevante ansatte" in result.output
    assert "{+alle+}" in result.output and "{+nye+}" in result.output
    # Only 1.B.2 changed.
    assert result.output.count("\n1.") == 1 and "2.A.3" not in result.output

    as_json = invoke("diff", "--format", "json", str(EXAMPLE), str(new))
    assert as_json.exit_code == 1
    doc = json.loads(as_json.output)
    (change,) = doc["changes"]
    assert change["code"] == "1.B.2" and change["path"] == "steps.step1.b2"
    assert change["added"] == ["alle", "nye"]
    assert change["removed"] == []


def test_old_from_standard_input(tmp_path: Path) -> None:
    new = _changed(tmp_path, "  total_value: 2500000000", "  total_value: 2600000000")
    result = invoke("diff", "-", str(new), stdin=EXAMPLE.read_text(encoding="utf-8"))
    assert result.exit_code == 1, result.output
    assert "Samlet verdi innkjøp" in result.output
    assert "2500000000 → 2600000000" in result.output


def test_risks_added_and_removed_row_by_row(tmp_path: Path) -> None:
    new = _changed(tmp_path, "        - name: Transport\n", "        - name: Godstransport\n")
    new = _changed(
        tmp_path,
        "          geography: Globalt\n",
        "          geography: Europa\n",
        name="ny2.yaml",
    )
    result = invoke("diff", str(EXAMPLE), str(new))
    assert result.exit_code == 1
    assert "2.A.3" in result.output
    assert "«Globalt» → «Europa»" in result.output

    both = EXAMPLE.read_text(encoding="utf-8").replace(
        "        - name: Transport\n", "        - name: Godstransport\n"
    )
    changes = diff(_data(EXAMPLE.read_text(encoding="utf-8")), _data(both))
    risks = next(c for c in changes if c.code == "2.A.3")
    assert risks.changed[0].added == ["Godstransport"]
    assert risks.changed[0].removed == ["Transport"]


def _data(text: str) -> dict:
    from ehnreport.loader import load_text

    return load_text(text).data


def test_goals_added_and_figures_changed(tmp_path: Path) -> None:
    new = _changed(
        tmp_path,
        "    - |\n      Sikre basisnivå EHN\n",
        "    - |\n      Sikre basisnivå EHN\n    - |\n      Kurs for alle bestillere\n",
    )
    result = invoke("diff", str(EXAMPLE), str(new))
    assert result.exit_code == 1
    assert "Mål for kommende år" in result.output
    assert "+ lagt til: «Kurs for alle bestillere»" in result.output


def test_html_marks_changes_by_more_than_colour(tmp_path: Path) -> None:
    new = _changed(tmp_path, B2, "    b2: |\n      Internopplæring av nye ansatte.\n")
    out = tmp_path / "endringer.html"
    result = invoke("diff", "--format", "html", "-o", str(out), str(EXAMPLE), str(new))
    assert result.exit_code == 1
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and 'lang="nb"' in page
    assert "<ins>" in page and "<del>" in page
    assert "lagt til: " in page and "fjernet: " in page and "{+" in page and "[-" in page
    assert "http" not in page.replace("https://www.ntnu.no/miljo", "")  # self-contained


@pytest.mark.parametrize(
    ("content", "message"),
    [(None, "fant ikke"), ("report: [\n", "feil.yaml:"), ("report: {}\n", "ikke en gyldig")],
)
def test_trouble_exits_2(tmp_path: Path, content, message) -> None:
    bad = tmp_path / "feil.yaml"
    if content is not None:
        bad.write_text(content, encoding="utf-8")
    result = invoke("diff", str(EXAMPLE), str(bad))
    assert result.exit_code == 2
    assert message in result.output


def test_word_diff_keeps_every_word() -> None:
    ws = words("en to tre", "en tre fire")
    assert " ".join(w.text for w in ws if w.op != "insert") == "en to tre"
    assert " ".join(w.text for w in ws if w.op != "delete") == "en tre fire"


def test_across_years_by_question(tmp_path: Path) -> None:
    draft = tmp_path / "ntnu-2025.yaml"
    assert invoke("next-year", str(EXAMPLE), "-o", str(draft)).exit_code == 0
    result = invoke("diff", "--format", "json", str(EXAMPLE), str(draft))
    assert result.exit_code == 1
    changes = {c["path"]: c for c in json.loads(result.output)["changes"]}
    assert changes["report.year"]["old"] == 2024 and changes["report.year"]["new"] == 2025
    assert changes["steps.step4.a2"]["code"] == "4.A.2"
    assert "steps.step1.b1" not in changes  # kept as it was


def test_across_editions_questions_are_matched_by_id(tmp_path: Path) -> None:
    # In the test edition ehn-public-2025, 1.E.1 is 5.B.1 under the same id: a moved
    # answer is no change, an edited one is named by its new code.
    from ehnreport import forms

    folder = Path(__file__).parent / "data" / "forms"
    draft = tmp_path / "ntnu-2025.yaml"
    try:
        made = invoke("next-year", str(EXAMPLE), "-o", str(draft), "--forms", str(folder))
        assert made.exit_code == 0, made.output
        result = invoke(
            "diff", "--format", "json", "--forms", str(folder), str(EXAMPLE), str(draft)
        )
        assert result.exit_code == 1, result.output
        ids = {c["id"] for c in json.loads(result.output)["changes"]}
        assert "step1.lessons-and-changes" not in ids  # moved, not changed
        assert "report.year" in ids and "report.form" in ids

        text = draft.read_text(encoding="utf-8")
        first = next(ln for ln in text.split("\n") if ln.startswith("    b1: |"))
        edited = draft.with_name("endret.yaml")
        at = text.index(first, text.index("  step5:"))
        edited.write_text(
            text[: at + len(first)] + "\n      Helt ny innledning." + text[at + len(first) :],
            encoding="utf-8",
        )
        again = invoke("diff", "--forms", str(folder), str(draft), str(edited))
        assert again.exit_code == 1, again.output
        assert "5.B.1" in again.output and "{+Helt ny innledning.+}" in again.output
    finally:
        forms.reset_added()
