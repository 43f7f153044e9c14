"""`ehnreport next-year`: next year's draft from this year's report."""

from __future__ import annotations

import shutil
from pathlib import Path

from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.loader import load_file
from ehnreport.nextyear import default_target

from .conftest import EXAMPLE

runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False, env={"GITHUB_ACTIONS": ""})
    assert "Traceback" not in result.output
    return result


def _draft(tmp_path: Path) -> tuple[Path, dict]:
    target = tmp_path / "ntnu-2025.yaml"
    result = invoke("next-year", str(EXAMPLE), "-o", str(target))
    assert result.exit_code == 0, result.output
    return target, load_file(target).data


def test_the_example_moves_to_2025_and_validates(tmp_path: Path) -> None:
    target, data = _draft(tmp_path)
    assert data["report"]["year"] == 2025
    assert data["report"].get("date") is None
    checked = invoke("validate", str(target))
    assert checked.exit_code == 0 and " 0 feil" in checked.output


def test_next_years_goals_become_the_goals_without_status(tmp_path: Path) -> None:
    _, data = _draft(tmp_path)
    old = load_file(EXAMPLE).data["goals"]["next_year"]
    assert len(old) == 2
    current = data["goals"]["current"]
    assert [g["text"] for g in current] == old
    assert all(g.get("status") is None and g.get("comment") is None for g in current)
    assert data["goals"]["next_year"] == []


def test_the_years_figures_are_cleared(tmp_path: Path) -> None:
    _, data = _draft(tmp_path)
    assert all(v is None for v in data["procurement"].values())
    assert data["steps"]["step4"]["a2"]["counts"] == []
    assert not (data["steps"]["step4"]["a2"].get("text") or "").strip()


def test_other_answers_are_kept_with_a_comment(tmp_path: Path) -> None:
    target, data = _draft(tmp_path)
    old = load_file(EXAMPLE).data
    assert data["steps"]["step1"]["b1"] == old["steps"]["step1"]["b1"]
    assert data["steps"]["step2"]["a3"] == old["steps"]["step2"]["a3"]
    assert data["key_info"] == old["key_info"]
    text = target.read_text(encoding="utf-8")
    before_b1 = text[: text.index("    b1: |")].rsplit("\n", 3)[-2]
    assert "Fjorårets tekst (2024); oppdater den for 2025." in before_b1


def test_refuses_to_overwrite(tmp_path: Path) -> None:
    target = tmp_path / "utkast.yaml"
    target.write_text("kladd\n", encoding="utf-8")
    result = invoke("next-year", str(EXAMPLE), "-o", str(target))
    assert result.exit_code == 2 and "--force" in result.output
    assert target.read_text(encoding="utf-8") == "kladd\n"
    assert invoke("next-year", str(EXAMPLE), "-o", str(target), "--force").exit_code == 0


def test_default_name_carries_the_year(tmp_path: Path) -> None:
    source = tmp_path / "ntnu-2024.yaml"
    shutil.copy(EXAMPLE, source)
    assert default_target(source, 2025) == tmp_path / "ntnu-2025.yaml"
    assert default_target(tmp_path / "report.yaml", 2025) == tmp_path / "report-2025.yaml"
    result = invoke("next-year", str(source))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "ntnu-2025.yaml").is_file()


def test_an_invalid_report_gives_exit_1_and_no_draft(tmp_path: Path) -> None:
    source = tmp_path / "feil-2024.yaml"
    source.write_text(
        "report:\n  year: 2024\n  form: ehn-public-2024\nmember:\n  name: X\n  shortname: X\n",
        encoding="utf-8",
    )
    result = invoke("next-year", str(source))
    assert result.exit_code == 1
    assert "shortname" in result.output
    assert not (tmp_path / "feil-2025.yaml").exists()


def test_a_missing_report_gives_exit_2(tmp_path: Path) -> None:
    result = invoke("next-year", str(tmp_path / "finnes-ikke.yaml"))
    assert result.exit_code == 2 and "fant ikke" in result.output


def test_never_writes_over_this_years_report(tmp_path: Path) -> None:
    source = tmp_path / "report.yaml"
    shutil.copy(EXAMPLE, source)
    result = invoke("next-year", str(source), "-o", str(source), "--force")
    assert result.exit_code == 2 and "årets rapport selv" in result.output
    assert source.read_bytes() == EXAMPLE.read_bytes()


def test_a_newer_edition_takes_the_answers_by_question_id(tmp_path: Path) -> None:
    # The test edition ehn-public-2025 moves 1.E.1 to 5.B.1 (same id) and removes 1.D.2.
    from ehnreport import forms

    folder = Path(__file__).parent / "data" / "forms"
    source = tmp_path / "ntnu-2024.yaml"
    text = EXAMPLE.read_text(encoding="utf-8")
    answer = "    d2: |\n      Prinsipperklæringen følges opp i kontraktsmøtene.\n"
    source.write_text(text.replace("    e1: |", answer + "    e1: |", 1), encoding="utf-8")
    target = tmp_path / "ntnu-2025.yaml"
    try:
        result = invoke("next-year", str(source), "-o", str(target), "--forms", str(folder))
        assert result.exit_code == 0, result.output
        assert "Ikke overført: 1.D.2" in result.output
        data = load_file(target).data
        old = load_file(source).data
        assert old["steps"]["step1"]["d2"]
        assert data["report"]["form"] == "ehn-public-2025"
        assert data["steps"]["step5"]["b1"] == old["steps"]["step1"]["e1"]
        assert "e1" not in (data["steps"].get("step1") or {})
        assert "d2" not in (data["steps"].get("step1") or {})
        checked = invoke("validate", "--forms", str(folder), str(target))
        assert checked.exit_code == 0 and " 0 feil" in checked.output
    finally:
        forms.reset_added()
