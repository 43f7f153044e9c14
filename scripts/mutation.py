"""Run mutation testing (mutmut) on the core modules and print each module's score.

    .venv/bin/pip install -e '.[test,mutation]'
    .venv/bin/python scripts/mutation.py                  # every core module
    .venv/bin/python scripts/mutation.py completeness output --jobs 2
    .venv/bin/python scripts/mutation.py --report         # scores of the last run only

The configuration is [tool.mutmut] in pyproject.toml; docs/mutation.md says how to
read the result and where the scores are kept. mutmut keeps its work in mutants/
and re-tests only what changed since; --fresh starts over.
"""

from __future__ import annotations

import argparse
import datetime as dt
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORE = ("loader", "diagnostics", "checks", "completeness", "markdown", "output")
# A mutant counts as killed when a test failed, ran out of time (an endless loop is
# a failure the user would see) or crashed the test process.
KILLED = {"killed", "timeout", "segfault"}
# Mutants never run: not part of this run's modules, or stopped by the user.
NOT_RUN = {"not checked", "skipped", "check was interrupted by user"}


def mutmut(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).with_name("mutmut")
    return subprocess.run(
        [str(exe), *args], cwd=ROOT, text=True, capture_output=args[0] == "results"
    )


def module_of(name: str) -> str:
    """The module of a mutant: ehnreport.checks.x_f__mutmut_1 (a function) and
    ehnreport.checks.xǁ_Checksǁadd__mutmut_1 (a method) are both of checks."""
    return name.removeprefix("ehnreport.").split(".x", 1)[0]


def statuses() -> dict[str, dict[str, str]]:
    """Module → {mutant name: status} from mutmut's record of every run so far."""
    out = mutmut("results", "--all", "true")
    if out.returncode != 0:
        sys.exit(f"mutmut results failed:\n{out.stderr}")
    by_module: dict[str, dict[str, str]] = {}
    for line in out.stdout.splitlines():
        name, sep, status = line.strip().rpartition(": ")
        if sep:
            by_module.setdefault(module_of(name), {})[name] = status
    return by_module


def report(modules: list[str], seconds: float | None) -> None:
    print(f"\n{dt.date.today().isoformat()}, mutmut, modules: {', '.join(modules)}")
    if seconds is not None:
        print(f"wall time: {seconds / 60:.1f} min")
    print("\n| module | mutants | killed | survived | no tests | score |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    found = statuses()
    survivors = []
    for module in modules:
        mutants = found.get(module, {})
        counts = Counter(mutants.values())
        run = sum(n for s, n in counts.items() if s not in NOT_RUN)
        killed = sum(counts[s] for s in KILLED)
        score = f"{100 * killed / run:.1f} %" if run else "not run"
        print(
            f"| {module}.py | {run} | {killed} | {counts['survived']} | "
            f"{counts['no tests']} | {score} |"
        )
        survivors += [n for n, s in mutants.items() if s not in KILLED | NOT_RUN]
    if survivors:
        print("\nNot killed (see each with: mutmut show NAME):")
        for name in survivors:
            print(f"  {name}: {found[module_of(name)][name]}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("modules", nargs="*", default=list(CORE), help=f"default: {' '.join(CORE)}")
    p.add_argument("--jobs", type=int, default=2, help="test processes at once (default 2)")
    p.add_argument("--fresh", action="store_true", help="remove mutants/ and start over")
    p.add_argument("--report", action="store_true", help="only print the last run's scores")
    args = p.parse_args()
    unknown = [m for m in args.modules if not (ROOT / "ehnreport" / f"{m}.py").is_file()]
    if unknown:
        p.error(f"no such module: {', '.join(unknown)}")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["mutmut"]["only_mutate"])
    unlisted = [m for m in args.modules if f"ehnreport/{m}.py" not in listed]
    if unlisted:
        p.error(f"add to only_mutate in pyproject.toml first: {', '.join(unlisted)}")
    seconds = None
    if not args.report:
        if args.fresh:
            shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        start = time.monotonic()
        # x_* are the functions' mutants, xǁ* the methods' (ehnreport.checks.xǁ_Checksǁadd).
        patterns = [f"ehnreport.{m}.x*" for m in args.modules]
        # mutmut exits non-zero when mutants survive; the table says how many.
        mutmut("run", "--max-children", str(args.jobs), *patterns)
        seconds = time.monotonic() - start
    report(args.modules, seconds)


if __name__ == "__main__":
    main()
