"""The program's start-up: what importing the package loads, and the garbage collector
turned off while the program loads and back on before any report is read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest

from .conftest import ROOT

# Runs the command line in a new process and says, on its last line of standard error,
# whether the collector is on and how many objects were set aside while loading.
PROBE = (
    "import gc, sys\n"
    "sys.argv[0] = 'ehnreport'\n"
    "from ehnreport.__main__ import main\n"
    "try:\n    main()\nexcept SystemExit:\n    pass\n"
    "print(gc.isenabled(), gc.get_freeze_count() > 0, file=sys.stderr)\n"
)


def _probe(code: str, argv: list[str], cwd: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": ""},
        cwd=cwd,
        check=False,
    )


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    path = tmp_path_factory.mktemp("startup")
    shutil.copy(ROOT / "examples" / "ntnu-2024.yaml", path / "ntnu.yaml")
    return path


@pytest.mark.parametrize(
    "argv",
    [
        ["validate", "ntnu.yaml"],  # the quick start
        ["validate", "--format", "json", "ntnu.yaml"],  # the Typer application
        ["--version"],
    ],
    ids=" ".join,
)
def test_the_collector_is_on_again_once_the_program_is_loaded(folder, argv):
    done = _probe(PROBE, argv, folder)
    assert done.stderr.strip().splitlines()[-1] == "True True", done.stderr


def test_the_collector_is_on_while_a_report_is_checked(folder):
    code = (
        "import gc, sys\n"
        "sys.argv[0] = 'ehnreport'\n"
        "import ehnreport.validate as v\n"
        "real = v.check_file\n"
        "def check_file(path, **kw):\n"
        "    print('collecting', gc.isenabled(), file=sys.stderr)\n"
        "    return real(path, **kw)\n"
        "v.check_file = check_file\n"
        "from ehnreport.__main__ import main\n"
        "main()\n"
    )
    done = _probe(code, ["validate", "ntnu.yaml"], folder)
    assert done.returncode == 0, done.stderr
    assert "collecting True" in done.stderr.splitlines()


def test_importing_the_package_loads_no_checking_machinery(folder):
    code = (
        "import sys\n"
        "import ehnreport\n"
        "print(sorted(m for m in sys.modules if m.startswith(('ehnreport.', 'pydantic'))))\n"
        "from ehnreport import CheckResult, check_file\n"
        "from ehnreport.validate import CheckResult as C, check_file as f\n"
        "print(check_file is f and CheckResult is C)\n"
        "try:\n    ehnreport.nothing\nexcept AttributeError as exc:\n    print(exc)\n"
    )
    done = _probe(code, [], folder)
    assert done.stdout.splitlines() == [
        "[]",
        "True",
        "module 'ehnreport' has no attribute 'nothing'",
    ], done.stderr
