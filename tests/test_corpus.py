"""The corpus of reports under tests/data/reports: each file's exit code and output
are stored beside it as NAME.expected (golden; rewrite with --update-golden)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from ehnreport.cli import app

from .conftest import DATA

REPORTS = DATA / "reports"
CASES = sorted(p.name for p in REPORTS.iterdir() if p.suffix == ".yaml")


@pytest.mark.parametrize("name", CASES)
def test_report_corpus(name, golden, monkeypatch):
    monkeypatch.chdir(REPORTS)
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    # Only the valid-* cases list every warning; the others show errors and the summary.
    args = ["validate", name] if name.startswith("valid-") else ["validate", "--quiet", name]
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert "Traceback" not in result.output
    golden(REPORTS / (name[:-5] + ".expected"), f"exit {result.exit_code}\n{result.output}")


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
