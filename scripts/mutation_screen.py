"""Screen mutmut's mutants of one module fast, before (or instead of) a full run.

    .venv/bin/python scripts/mutation.py --report MODULE   # mutants/ must exist
    .venv/bin/python scripts/mutation_screen.py diagnostics tests/test_diagnostics.py

Each mutant runs in a forked process: first `validate` on every corpus case, compared
with its golden file, then pytest on the given test files (stopping at the first
failure). A mutant that fails either is killed, as in a mutmut run; one that passes
both is only *not killed by this subset*: the rest of the suite may still kill it, so
the screen's score is a lower bound. docs/mutation.md says how its results are kept.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MUTANTS = ROOT / "mutants"


def corpus_passes() -> bool:
    """Whether `validate` prints each corpus case's golden output."""
    from typer.testing import CliRunner

    from ehnreport.cli import app

    reports = MUTANTS / "tests" / "data" / "reports"
    os.chdir(reports)
    for case in sorted(p.name for p in reports.iterdir() if p.suffix == ".yaml"):
        try:
            result = CliRunner().invoke(app, ["validate", case], catch_exceptions=False)
        except BaseException:  # a mutant may raise anything, SystemExit included
            return False
        expected = (reports / f"{case[:-5]}.expected").read_text(encoding="utf-8")
        if f"exit {result.exit_code}\n{result.output}" != expected:
            return False
    return True


def tests_pass(files: list[str]) -> bool:
    import pytest

    os.chdir(MUTANTS)
    return pytest.main(["-x", "-q", "-p", "no:cacheprovider", *files]) == 0


def screen(name: str, files: list[str], timeout: float) -> str:
    pid = os.fork()
    if pid == 0:
        os.environ["MUTANT_UNDER_TEST"] = name
        quiet = os.open(os.devnull, os.O_WRONLY)
        os.dup2(quiet, 1)
        os.dup2(quiet, 2)
        os._exit(0 if corpus_passes() and tests_pass(files) else 1)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            return "not killed" if os.waitstatus_to_exitcode(status) == 0 else "killed"
        time.sleep(0.02)
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    return "killed"  # out of time, as mutmut counts it


def main() -> None:
    module, files = sys.argv[1], sys.argv[2:]
    sys.path.insert(0, str(MUTANTS))
    os.environ["MUTANT_UNDER_TEST"] = ""
    os.environ.pop("GITHUB_ACTIONS", None)
    sys.argv[1:] = []
    listed = subprocess.run(
        [str(Path(sys.executable).with_name("mutmut")), "results", "--all", "true"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    prefix = f"ehnreport.{module}."
    names = [
        name
        for name in (line.strip().rpartition(": ")[0] for line in listed.splitlines())
        if name.startswith(prefix) and name[len(prefix)] == "x"  # not a submodule's
    ]
    if screen("", files, timeout=600) == "killed":  # no mutant switched on
        sys.exit("the corpus or the tests fail without any mutant: fix that first")
    killed = 0
    for name in names:
        if screen(name, files, timeout=120) == "killed":
            killed += 1
        else:  # printed as found, so that an interrupted screen still says something
            print(f"  not killed: {name}", flush=True)
    print(f"{module}.py: {len(names)} mutants, {killed} killed by the screen, ", end="")
    print(f"{len(names) - killed} not killed ({100 * killed / max(len(names), 1):.1f} %)")


if __name__ == "__main__":
    main()
