"""Time and peak memory of `ehnreport import` on ordinary and worst-case texts.

    python benchmarks/importer.py

Cases: the portal-style texts in tests/data/import/, that text repeated up to the
2 MiB cap, and 1.9 MiB of words without the form's labels (every label is searched
for through the whole text). Each import runs in its own process; the time is
wall-clock and the memory the child's peak resident set size (os.wait4).
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "data" / "import"


def run(source: Path, out: Path) -> tuple[float, int, int]:
    """Seconds, peak KiB and exit code of one import."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "ehnreport", "import", str(source), "-o", str(out), "--force"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        cwd=ROOT,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    return time.perf_counter() - start, usage.ru_maxrss, os.waitstatus_to_exitcode(status)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        cases: list[tuple[str, Path]] = [(p.name, p) for p in sorted(CORPUS.glob("*.txt"))]
        text = (CORPUS / "fjellbygd-2023.txt").read_text(encoding="utf-8")
        repeated = folder / "repeated.txt"
        repeated.write_text((text * 400)[: 2 * 1024 * 1024 - 16], encoding="utf-8")
        cases.append(("portal text repeated to 2 MiB", repeated))
        rng = random.Random(1)
        words = text.split()
        noise = "\n".join(" ".join(rng.choice(words) for _ in range(12)) for _ in range(40000))
        noisy = folder / "noise.txt"
        noisy.write_text(noise[:1_900_000] + "\n Kontaktinformasjon:\n\nX\n", encoding="utf-8")
        cases.append(("1.9 MiB without labels", noisy))
        print(f"{'case':<34} {'seconds':>8} {'MiB':>6} {'exit':>5}")
        for name, source in cases:
            seconds, kib, code = run(source, folder / "out.yaml")
            print(f"{name:<34} {seconds:>8.2f} {kib / 1024:>6.0f} {code:>5}")


if __name__ == "__main__":
    main()
