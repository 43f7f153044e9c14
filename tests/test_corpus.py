"""The corpus of reports under tests/data/reports: what the user sees for each one.

Each case's exit code and its full output (every error and warning, then the summary)
are stored beside it as NAME.expected (golden; rewrite with --update-golden):

- NAME.yaml: `ehnreport validate NAME.yaml`;
- GENERATED: files too large to keep in the repository, written when the test runs;
- build-NAME/ (a folder with report.yaml and its files): `ehnreport build --html`, and
  `--pdf --templates templates` when the folder has templates; these show the warnings
  that only building finds (links, images, what the PDF tried to fetch).

Every diagnostic code in the package's source must appear in at least one golden file,
so each message a user can meet is pinned with its code, path, line and sentence.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.loader import MAX_BYTES

from .conftest import DATA
from .diagnostic_codes import scan

REPORTS = DATA / "reports"
CASES = sorted(p.name for p in REPORTS.iterdir() if p.suffix == ".yaml")
BUILD_CASES = sorted(
    p.name for p in REPORTS.iterdir() if p.is_dir() and p.name.startswith("build-")
)

# name → the file's bytes
GENERATED: dict[str, Callable[[], bytes]] = {
    # One byte over the cap, as a comment: only the size is wrong.
    "file-too-large.yaml": lambda: b"report:\n  year: 2024\n#" + b"x" * MAX_BYTES + b"\n",
}


def run(args: list[str]) -> str:
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert "Traceback" not in result.output
    return f"exit {result.exit_code}\n{result.output}"


@pytest.fixture
def quiet_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


@pytest.mark.parametrize("name", CASES)
def test_report_corpus(name, golden, monkeypatch, quiet_env):
    monkeypatch.chdir(REPORTS)
    golden(REPORTS / (name[:-5] + ".expected"), run(["validate", name]))


@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_corpus(name, golden, monkeypatch, tmp_path, quiet_env):
    (tmp_path / name).write_bytes(GENERATED[name]())
    monkeypatch.chdir(tmp_path)
    golden(REPORTS / (name[:-5] + ".expected"), run(["validate", name]))


@pytest.mark.parametrize("name", BUILD_CASES)
def test_build_corpus(name, golden, monkeypatch, tmp_path, quiet_env):
    case = tmp_path / name
    shutil.copytree(REPORTS / name, case)
    monkeypatch.chdir(case)
    args = ["build", "--html", "-o", "out"]
    if (case / "templates").is_dir():
        args += ["--pdf", "--templates", "templates"]
    output = run([*args, "report.yaml"])
    written = sorted(str(p.relative_to(case)) for p in (case / "out").rglob("*"))
    golden(REPORTS / f"{name}.expected", output + "".join(f"wrote {w}\n" for w in written))


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


def _shown_codes() -> dict[str, set[str]]:
    """Code → the golden files that show it as `error[code]` or `warning[code]`."""
    shown: dict[str, set[str]] = {}
    for path in REPORTS.glob("*.expected"):
        for code in re.findall(r"\b(?:error|warning)\[([a-z0-9-]+)\]", path.read_text("utf-8")):
            shown.setdefault(code, set()).add(path.name)
    return shown


def test_every_diagnostic_code_is_shown_in_a_golden_file():
    found = scan()
    assert not found.unreadable, (
        "cannot tell which code these calls make; write the code as a string literal, "
        f"or teach tests/diagnostic_codes.py the new form: {found.unreadable}"
    )
    missing = {
        code: where for code, where in sorted(found.codes.items()) if code not in _shown_codes()
    }
    assert not missing, f"no golden file under {REPORTS} shows these codes: {missing}"


def test_golden_files_only_show_codes_the_source_makes():
    # The other direction: a golden file with a code the scan missed means the scan
    # has a blind spot, and the test above would pass without looking.
    assert set(_shown_codes()) <= set(scan().codes)


def test_the_scan_finds_codes_in_every_module_that_makes_them():
    # A scan that quietly found nothing would let the coverage test pass without looking.
    modules = {where.split(":")[0] for places in scan().codes.values() for where in places}
    for module in (
        "loader",
        "diagnostics",
        "checks",
        "completeness",
        "markdown",
        "render",
        "build",
        "validate",
    ):
        assert f"ehnreport/{module}.py" in modules, module


def test_the_scan_reads_helpers_and_returned_tuples(tmp_path: Path):
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "m.py").write_text(
        "def _fail(line, code, message):\n"
        "    return Diagnostic(line, 1, 'error', code, '', message)\n"
        "def _message(err):\n"
        "    if err:\n"
        "        return 'from-tuple', 'x'\n"
        "    return 'other-tuple', 'y'\n"
        "class R:\n"
        "    def warn(self, place, line, code, message):\n"
        "        self.out.append(Diagnostic(line, 1, 'warning', code, '', message))\n"
        "def f(r, err):\n"
        "    def add(severity, code):\n"
        "        Diagnostic(1, 1, severity, code, '', '')\n"
        "    add('warning', 'nested-helper')\n"
        "    r.warn(None, 1, 'method-helper', 'm')\n"
        "    code, message = _message(err)\n"
        "    Diagnostic(1, 1, 'error', code, '', message)\n"
        "    raise _fail(1, 'forwarded', 'm')\n"
        "def g(x):\n"
        "    Diagnostic(1, 1, 'error', x.upper(), '', '')\n",
        encoding="utf-8",
    )
    found = scan(package)
    assert set(found.codes) == {
        "forwarded",
        "from-tuple",
        "other-tuple",
        "method-helper",
        "nested-helper",
    }
    assert found.unreadable == ["pkg/m.py:19"]
