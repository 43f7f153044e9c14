"""How long `build --jobs N --pdf` takes to stop on SIGTERM or SIGKILL, and what it leaves.

    .venv/bin/python benchmarks/stop.py                 # 4 copies of the example, 2 jobs
    .venv/bin/python benchmarks/stop.py --reports 8 --jobs 2 --runs 5

Each run starts the command in its own process group, waits until its workers exist and
have been rendering for `--delay` seconds, sends the signal to the command alone (as
a CI runner or `kill PID` does), and measures the time until every process of the
group is gone. It then records the output folder (names, sizes, modification
times), waits `--after` seconds and checks that nothing changed: no file written after
the command ended. Linux only (/proc). Prints one line per run and the medians.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ntnu-2024.yaml"


def group(pgid: int) -> list[int]:
    """Live (not zombie) processes whose process group is `pgid`."""
    out = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == pgid and fields[0] not in ("Z", "X"):
            out.append(int(entry.name))
    return out


def listing(folder: Path) -> dict[str, tuple[int, int]]:
    if not folder.exists():
        return {}
    return {p.name: (p.stat().st_size, p.stat().st_mtime_ns) for p in folder.iterdir()}


def one(
    tmp: Path, signum: int, reports: int, jobs: int, delay: float, after: float
) -> tuple[str, float]:
    src = tmp / "src"
    out = tmp / "out"
    shutil.rmtree(out, ignore_errors=True)
    src.mkdir(exist_ok=True)
    for i in range(reports):
        shutil.copy(EXAMPLE, src / f"r{i}.yaml")
    for logo in EXAMPLE.parent.glob("*.svg"):
        shutil.copy(logo, src / logo.name)
    cmd = [sys.executable, "-m", "ehnreport", "build", "--pdf", "--jobs", str(jobs)]
    proc = subprocess.Popen(
        [*cmd, "-o", str(out), str(src)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        start_new_session=True,
        env={**os.environ, "GITHUB_ACTIONS": ""},
    )
    # The command, the resource tracker, the server and the workers.
    deadline = time.monotonic() + 120
    while len(group(proc.pid)) < 3 + jobs and time.monotonic() < deadline:
        time.sleep(0.01)
    time.sleep(delay)
    everyone = group(proc.pid)
    started = time.monotonic()
    os.kill(proc.pid, signum)
    _, err = proc.communicate()
    ended = time.monotonic() - started
    while group(proc.pid):
        time.sleep(0.001)
    gone = time.monotonic() - started
    before = listing(out)
    time.sleep(after)
    changed = listing(out) != before
    leftovers = sorted(n for n in before if n.endswith(".tmp"))
    traceback = b"Traceback" in err
    return (
        f"{signal.Signals(signum).name:8} exit {proc.returncode:4}  processes {len(everyone)}  "
        f"command ended {ended:6.3f} s  all gone {gone:6.3f} s  "
        f"files {len(before)}  tmp {len(leftovers)}  "
        f"written after end: {'YES' if changed else 'no'}  "
        f"traceback: {'YES' if traceback else 'no'}"
    ), gone


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=4)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--delay", type=float, default=1.5)
    parser.add_argument("--after", type=float, default=3.0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        for signum in (signal.SIGTERM, signal.SIGHUP, signal.SIGKILL):
            times = []
            for _ in range(args.runs):
                line, gone = one(
                    Path(name), signum, args.reports, args.jobs, args.delay, args.after
                )
                print(line, flush=True)
                times.append(gone)
            print(
                f"{signal.Signals(signum).name}: median all gone {statistics.median(times):.3f} s"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
