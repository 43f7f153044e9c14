"""Run mutation testing (mutmut) on the core modules and print each module's score.

    .venv/bin/pip install -e '.[test,mutation]'
    .venv/bin/python scripts/mutation.py                  # every core module, every mutant
    .venv/bin/python scripts/mutation.py completeness output --jobs 2
    .venv/bin/python scripts/mutation.py --sample 60 --seed 1   # 60 mutants drawn per module
    .venv/bin/python scripts/mutation.py --report         # scores of the last run only

The configuration is [tool.mutmut] in pyproject.toml; docs/mutation.md says how to
read the result and where the scores are kept. mutmut keeps its work in mutants/
and re-tests only what changed since; --fresh starts over.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import random
import shutil
import subprocess
import sys
import time
import tomllib
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "mutants" / "sample.json"
# The modules the target holds for (docs/mutation.md), then the forms and import code.
CORE = ("loader", "diagnostics", "checks", "completeness", "markdown", "output")
FORMS = ("forms", "forms.check", "forms.rules", "forms.spec")
IMPORT = (
    "importer",
    "importer.formview",
    "importer.pdftext",
    "importer.portal",
    "importer.text",
    "importer.writer",
)
ALL = CORE + FORMS + IMPORT
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


def path_of(module: str) -> str:
    """ehnreport/forms/rules.py for forms.rules; ehnreport/forms/__init__.py for forms."""
    base = ROOT / "ehnreport" / module.replace(".", "/")
    return str(
        (base / "__init__.py" if base.is_dir() else base.with_suffix(".py")).relative_to(ROOT)
    )


def module_of(name: str) -> str:
    """The module of a mutant: ehnreport.checks.x_f__mutmut_1 (a function) and
    ehnreport.checks.xǁ_Checksǁadd__mutmut_1 (a method) are both of checks; a
    package's own mutants are ehnreport.forms.x_f__mutmut_1 (mutmut may add __init__)."""
    return name.removeprefix("ehnreport.").split(".x", 1)[0].removesuffix(".__init__")


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


def generate() -> None:
    """Write mutants/ (the copy of the code with every mutant in it) and run no test,
    so that a sample can be drawn from the mutants' names."""
    script = (
        "import os, mutmut.__main__ as m\n"
        "from mutmut.utils.file_utils import copy_src_dir, copy_also_copy_files\n"
        "m.set_mutant_under_test('mutant_generation')\n"
        "os.makedirs('mutants', exist_ok=True)\n"
        "copy_src_dir(); copy_also_copy_files(); m.create_mutants(2)\n"
    )
    subprocess.run(
        [str(Path(sys.executable).with_name("python")), "-c", script],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def draw(modules: list[str], size: int, seed: int) -> list[str]:
    """`size` mutants of each module, drawn with `seed` from the sorted names, so the
    same seed on the same source draws the same mutants."""
    found = statuses()
    chosen: list[str] = []
    for module in modules:
        names = sorted(found.get(module, {}))
        chosen += random.Random(f"{seed}:{module}").sample(names, min(size, len(names)))
    return chosen


def wilson(killed: int, run: int) -> str:
    """The 95 % interval of a score measured on a sample (Wilson's)."""
    z, p = 1.96, killed / run
    centre = (p + z * z / (2 * run)) / (1 + z * z / run)
    half = z * math.sqrt(p * (1 - p) / run + z * z / (4 * run * run)) / (1 + z * z / run)
    return f"{100 * (centre - half):.1f}–{100 * min(1.0, centre + half):.1f} %"


def report(modules: list[str], seconds: float | None, sample: set[str] | None) -> None:
    what = "every mutant" if sample is None else "a seeded sample"
    print(f"\n{dt.date.today().isoformat()}, mutmut, {what}, modules: {', '.join(modules)}")
    if seconds is not None:
        print(f"wall time: {seconds / 60:.1f} min")
    extra = "" if sample is None else " 95 % interval |"
    print(f"\n| module | mutants | killed | survived | no tests | score |{extra}")
    print("| --- | ---: | ---: | ---: | ---: | ---: |" + ("" if sample is None else " ---: |"))
    found = statuses()
    survivors = []
    for module in modules:
        mutants = {n: s for n, s in found.get(module, {}).items() if sample is None or n in sample}
        counts = Counter(mutants.values())
        run = sum(n for s, n in counts.items() if s not in NOT_RUN)
        killed = sum(counts[s] for s in KILLED)
        score = f"{100 * killed / run:.1f} %" if run else "not run"
        interval = "" if sample is None else f" {wilson(killed, run) if run else ''} |"
        print(
            f"| {path_of(module).removeprefix('ehnreport/')} | {run} | {killed} | "
            f"{counts['survived']} | {counts['no tests']} | {score} |{interval}"
        )
        survivors += [n for n, s in mutants.items() if s not in KILLED | NOT_RUN]
    if survivors:
        print("\nNot killed (see each with: mutmut show NAME):")
        for name in survivors:
            print(f"  {name}: {found[module_of(name)][name]}")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "modules", nargs="*", default=list(CORE), help=f"default: {' '.join(CORE)}; or: all"
    )
    p.add_argument("--jobs", type=int, default=2, help="test processes at once (default 2)")
    p.add_argument("--fresh", action="store_true", help="remove mutants/ and start over")
    p.add_argument("--sample", type=int, metavar="N", help="run N mutants drawn per module")
    p.add_argument("--seed", type=int, default=1, help="the draw's seed (default 1)")
    p.add_argument("--report", action="store_true", help="only print the last run's scores")
    args = p.parse_args()
    modules = list(ALL) if args.modules == ["all"] else args.modules
    unknown = [m for m in modules if not (ROOT / path_of(m)).is_file()]
    if unknown:
        p.error(f"no such module: {', '.join(unknown)}")
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    listed = set(config["tool"]["mutmut"]["only_mutate"])
    unlisted = [m for m in modules if path_of(m) not in listed]
    if unlisted:
        p.error(f"add to only_mutate in pyproject.toml first: {', '.join(unlisted)}")
    seconds = None
    sample: set[str] | None = None
    if args.report:
        if SAMPLE.is_file():
            sample = set(json.loads(SAMPLE.read_text(encoding="utf-8")))
    else:
        if args.fresh:
            shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        start = time.monotonic()
        if args.sample:
            generate()
            names = draw(modules, args.sample, args.seed)
            SAMPLE.write_text(json.dumps(names, indent=0), encoding="utf-8")
            sample = set(names)
            targets = names
        else:
            SAMPLE.unlink(missing_ok=True)
            # x_* are the functions' mutants, xǁ* the methods' (ehnreport.checks.xǁ_Checksǁadd).
            targets = [f"ehnreport.{m}.x*" for m in modules]
        # mutmut exits non-zero when mutants survive; the table says how many.
        mutmut("run", "--max-children", str(args.jobs), *targets)
        seconds = time.monotonic() - start
    report(modules, seconds, sample)


if __name__ == "__main__":
    os.environ.pop("GITHUB_ACTIONS", None)
    main()
