"""Benchmark `ehnreport export` and `ehnreport overview` over many reports.

    .venv/bin/python benchmarks/export.py                 # 500 reports, 3 runs each
    .venv/bin/python benchmarks/export.py --reports 100 --runs 5

Writes K distinct member reports (benchmarks/gen.py, the example's answers under K
names and figures) into a temporary folder, then times each command as its own
process and reads its peak memory (max RSS, from os.wait4). Memory must stay flat:
the same command over a tenth of the reports is measured beside it, and the table
gives the ratio of the peaks (near 1 when reports are streamed, not held).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen  # benchmarks/gen.py, beside this file


def _run(argv: list[str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one process."""
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        pid = os.posix_spawn(
            sys.executable,
            [sys.executable, "-m", "ehnreport", *argv],
            os.environ,
            file_actions=[
                (os.POSIX_SPAWN_DUP2, null.fileno(), 1),
                (os.POSIX_SPAWN_DUP2, null.fileno(), 2),
            ],
        )
        _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1):
        raise SystemExit(f"ehnreport {' '.join(argv)} exited {code}")
    return seconds, usage.ru_maxrss / 1024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="ehnreport-export-") as tmp:
        many, few = Path(tmp, "many"), Path(tmp, "few")
        gen.generate(many, members=args.reports)
        gen.generate(few, members=max(1, args.reports // 10))
        out = Path(tmp, "out")
        cases = {
            "export csv": ["export", "-o", str(out), "--format", "csv"],
            "export jsonl": ["export", "-o", str(out), "--format", "jsonl"],
            "overview": ["overview", "-o", str(out)],
        }
        print(f"{args.reports} reports, {args.runs} runs each; median (min–max), peak RSS\n")
        print("| Command | Reports | Median | Min – max | Per report | Max RSS |")
        print("|---|---|---|---|---|---|")
        for name, argv_ in cases.items():
            peaks: dict[str, float] = {}
            for label, folder, k in (
                ("few", few, max(1, args.reports // 10)),
                ("many", many, args.reports),
            ):
                _run([*argv_, str(folder)])  # warm-up: bytecode and disk cache
                runs = [_run([*argv_, str(folder)]) for _ in range(args.runs)]
                times = [t for t, _ in runs]
                peaks[label] = max(r for _, r in runs)
                median = statistics.median(times)
                print(
                    f"| {name} | {k} | {median:.2f} s | {min(times):.2f} – {max(times):.2f} s "
                    f"| {1000 * median / k:.1f} ms | {peaks[label]:.0f} MiB |"
                )
            print(
                f"| {name}: peak memory, {args.reports} ÷ {args.reports // 10} reports "
                f"| | | | | {peaks['many'] / peaks['few']:.2f}× |"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
