"""`ehnreport init` through the CLI runner."""

from __future__ import annotations

from typer.testing import CliRunner

from ehnreport.cli import app

runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False, env={"GITHUB_ACTIONS": ""})
    assert "Traceback" not in result.output
    return result


def test_init_writes_a_report_that_validates(tmp_path):
    target = tmp_path / "report.yaml"
    result = invoke("init", str(target), "--member", "Eksempel kommune", "--year", "2025")
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "Eksempel kommune" in text and "year: 2025" in text
    checked = invoke("validate", str(target))
    assert checked.exit_code == 0
    assert " 0 feil" in checked.output
    assert "error[" not in checked.output


def test_init_refuses_to_overwrite_without_force(tmp_path):
    target = tmp_path / "report.yaml"
    target.write_text("min tekst\n", encoding="utf-8")
    result = invoke("init", str(target))
    assert result.exit_code == 2
    assert "finnes allerede" in result.output
    assert target.read_text(encoding="utf-8") == "min tekst\n"
    assert invoke("init", str(target), "--force").exit_code == 0
    assert target.read_text(encoding="utf-8") != "min tekst\n"


def test_init_refuses_a_folder(tmp_path):
    result = invoke("init", str(tmp_path), "--force")
    assert result.exit_code == 2
    assert "er en mappe" in result.output


def test_init_rejects_an_impossible_year(tmp_path):
    result = invoke("init", str(tmp_path / "r.yaml"), "--year", "1850")
    assert result.exit_code == 2
    assert (
        "ehnreport: 1850 er ikke et mulig rapporteringsår. Skriv året med fire sifre, som 2024."
        in result.output
    )
    assert not (tmp_path / "r.yaml").exists()
