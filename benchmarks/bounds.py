"""Resource bounds: time and peak memory of `validate` and `build` on the worst inputs
that the loader's and the models' caps still let through (file size, nesting depth,
values and text after alias expansion, rows and items per list; see README).

    python benchmarks/bounds.py                 # validate and build --html
    python benchmarks/bounds.py --pdf           # also build --pdf (slow on the big cases)
    python benchmarks/bounds.py --check         # exit 1 if a validate takes over 2 s
    python benchmarks/bounds.py --only alias    # cases whose name contains "alias"

Each command runs in its own process; the time is wall-clock and the memory is the
child's peak resident set size (os.wait4). Nothing here uses the network.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ehnreport.loader import MAX_BYTES, MAX_DEPTH, MAX_NODES, MAX_TEXT
from ehnreport.model.base import MAX_ITEMS, MAX_ROWS, MAX_THEMES

VALIDATE_LIMIT_S = 2.0
HEAD = (
    "report:\n  year: 2024\n  form: ehn-public-2024\n"
    "member:\n  name: Eksempel kommune\n  short_name: EKS\n"
)


def _fill(head: str, line: str, tail: str = "", budget: int = MAX_BYTES) -> str:
    """`head`, then `line` as many times as fits in `budget` bytes with `tail`."""
    room = budget - len(head.encode()) - len(tail.encode())
    return head + line * (room // len(line.encode())) + tail


def example() -> str:
    return (ROOT / "examples" / "ntnu-2024.yaml").read_text(encoding="utf-8")


def text_2mib_one_answer() -> str:
    line = "      Lorem ipsum dolor sit amet, consectetur adipiscing elit, æøå ÆØÅ.\n"
    return _fill(HEAD + "steps:\n  step1:\n    a2: |\n", line)


def text_2mib_one_line() -> str:
    head = HEAD + "steps:\n  step1:\n    a2: |\n      "
    return _fill(head, "ord ", "\n")


def table_max_rows() -> str:
    # MAX_ROWS rows of 2.A.2, each cell as long as the file size allows.
    unit = "Lorem ipsum dolor sit amet æøå "
    words = unit * ((MAX_BYTES // MAX_ROWS - 200) // len(unit.encode()))
    rows = "".join(
        f"        - procurement: Anskaffelse nr. {i} {words}\n          suppliers: {i}\n"
        "          qualification: Ja\n          award: Nei\n          contract: Ja\n"
        for i in range(MAX_ROWS)
    )
    return HEAD + "steps:\n  step2:\n    a2:\n      rows:\n" + rows


def table_rows_over_cap() -> str:
    rows = "".join(f"        - procurement: Anskaffelse nr. {i}\n" for i in range(5_000))
    return HEAD + "steps:\n  step2:\n    a2:\n      rows:\n" + rows


def markdown_table_5000_rows() -> str:
    rows = "".join(f"      | rad {i} | *tekst* {i} | {i * 7} |\n" for i in range(5_000))
    return HEAD + "steps:\n  step1:\n    a2: |\n      | A | B | C |\n      |---|---|---|\n" + rows


def deep_nesting_under_cap() -> str:
    # Many values nested MAX_DEPTH - 1 levels (the root mapping is the first level).
    depth = MAX_DEPTH - 1
    line = "k{}: " + "[" * (depth - 1) + "x" + "]" * (depth - 1) + "\n"
    out, i = [HEAD], 0
    size = len(HEAD)
    while True:
        item = line.format(i)
        if size + len(item) > MAX_BYTES:
            break
        out.append(item)
        size += len(item)
        i += 1
        if i * depth > MAX_NODES * 0.95:
            break
    return "".join(out)


def alias_values_under_cap() -> str:
    # goals.next_year is a list of texts: one anchored text, aliased until the count of
    # values after expansion is just under MAX_NODES.
    n = MAX_NODES - 1_000
    return HEAD + "goals:\n  next_year:\n  - &t Mål\n" + "  - *t\n" * (n - 1)


def alias_text_under_cap() -> str:
    # One 3.A.1 card with long texts, aliased until the text after expansion is just
    # under MAX_TEXT: a file of a few KiB that renders like one at the size cap.
    field = "Tiltak og resultater, med **Markdown** og en [lenke](https://eksempel.no). " * 13
    card = "    - &c\n      risk: Lønn\n" + "".join(
        f'      {k}: "{field}"\n'
        for k in ("overall_goal", "status", "year_goal", "measures", "results")
    )
    copies = int(MAX_TEXT * 0.97) // (5 * len(field))
    risks = "  step2:\n    a3:\n      risks:\n        - name: Lønn\n"
    return HEAD + "steps:\n" + risks + "  step3:\n    a1:\n" + card + "    - *c\n" * (copies - 1)


def values_literal_under_cap() -> str:
    n = MAX_NODES - 1_000
    return HEAD + "goals:\n  next_year:\n" + "  - Mål\n" * n


def unknown_keys_99k() -> str:
    return HEAD + "".join(f"k{i}: {i}\n" for i in range(MAX_NODES // 2 - 1_000))


def errors_100k() -> str:
    return HEAD + "goals:\n  next_year:\n" + "    - {}\n" * (MAX_BYTES // 9 - 100)


def risks_and_cards_max() -> str:
    # MAX_ITEMS risks with MAX_THEMES themes and as many cards (a page each), every
    # card field as long as the file size allows.
    unit = "Lorem ipsum dolor sit amet æøå "
    text = unit * ((MAX_BYTES // MAX_ITEMS // 5 - 400) // len(unit.encode()))
    themes = "[" + ", ".join(f"Tema {j}" for j in range(MAX_THEMES)) + "]"
    risks = "".join(
        f"        - name: risiko {i}\n          themes: {themes}\n" for i in range(MAX_ITEMS)
    )
    fields = ("overall_goal", "status", "year_goal", "measures", "results")
    cards = "".join(
        f"      - risk: risiko {i}\n" + "".join(f"        {f}: {text}\n" for f in fields)
        for i in range(MAX_ITEMS)
    )
    return (
        HEAD + "steps:\n  step2:\n    a3:\n      risks:\n" + risks + "  step3:\n    a1:\n" + cards
    )


def risks_and_cards_over_cap() -> str:
    risks = "".join(f"        - name: risiko {i}\n" for i in range(8_000))
    cards = "".join(f"      - risk: kort {i}\n" for i in range(8_000))
    return (
        HEAD + "steps:\n  step2:\n    a3:\n      risks:\n" + risks + "  step3:\n    a1:\n" + cards
    )


def themes_over_cap() -> str:
    themes = "".join(f"            - tema{i}\n" for i in range(20_000))
    return (
        HEAD
        + "steps:\n  step2:\n    a3:\n      risks:\n        - name: r\n          themes:\n"
        + themes
    )


def alias_bomb() -> str:
    text = HEAD + 'x0: &a ["l","l","l","l","l","l","l","l","l"]\n'
    for i in range(1, 10):
        text += f"x{i}: &a{i} [" + ",".join([f"*a{i - 1}" if i > 1 else "*a"] * 9) + "]\n"
    return text


def text_alias_bomb() -> str:
    return (
        HEAD
        + 'x: &t "'
        + "lol " * 250
        + '"\ny: &l ['
        + ", ".join(["*t"] * 50)
        + "]\nz: ["
        + ", ".join(["*l"] * 52)
        + "]\n"
    )


@dataclass
class Case:
    name: str
    make: Callable[[], str]
    build: bool  # a valid report: also measure the build


CASES = [
    Case("example (ntnu-2024)", example, True),
    Case("text at the size cap, one answer", text_2mib_one_answer, True),
    Case("text at the size cap, one line", text_2mib_one_line, True),
    Case("200 long table rows (2.A.2, the cap)", table_max_rows, True),
    Case("5 000 table rows (refused)", table_rows_over_cap, False),
    Case("50 risks + 50 long cards (the cap)", risks_and_cards_max, True),
    Case("5 000 Markdown table rows", markdown_table_5000_rows, True),
    Case("values near the cap, literal", values_literal_under_cap, True),
    Case("values near the cap, via aliases", alias_values_under_cap, True),
    Case("text at the cap via aliases", alias_text_under_cap, True),
    Case("nesting 63 deep, many times", deep_nesting_under_cap, False),
    Case("unknown keys filling the file", unknown_keys_99k, False),
    Case("type errors filling the file", errors_100k, False),
    Case("8 000 risks + cards (refused)", risks_and_cards_over_cap, True),
    Case("20 000 themes (refused)", themes_over_cap, True),
    Case("alias bomb (refused)", alias_bomb, False),
    Case("text alias bomb (refused)", text_alias_bomb, False),
]


def run(cmd: list[str], timeout: float) -> tuple[int | None, float, float]:
    """(exit code, seconds, peak RSS in MiB) of one command; exit None on timeout."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT)
    deadline = start + timeout
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            proc.returncode = os.waitstatus_to_exitcode(status)
            return proc.returncode, time.monotonic() - start, usage.ru_maxrss / 1024
        if time.monotonic() > deadline:
            proc.kill()
            _, status, usage = os.wait4(proc.pid, 0)
            proc.returncode = -9
            return None, time.monotonic() - start, usage.ru_maxrss / 1024
        time.sleep(0.01)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pdf", action="store_true", help="also measure build --pdf")
    parser.add_argument("--no-build", action="store_true", help="measure validate only")
    parser.add_argument(
        "--check", action="store_true", help=f"fail if validate takes over {VALIDATE_LIMIT_S} s"
    )
    parser.add_argument("--only", default="", help="only cases whose name contains this")
    parser.add_argument(
        "--timeout", type=float, default=600, help="seconds per command (default 600)"
    )
    args = parser.parse_args()

    py = sys.executable
    slow: list[str] = []
    print(
        f"caps: {MAX_BYTES // 1024} KiB file, depth {MAX_DEPTH}, {MAX_NODES} values, "
        f"{MAX_TEXT // 1024} KiB text"
    )
    print(f"{'case':32} {'KiB':>6}  {'command':14} {'exit':>4} {'seconds':>8} {'peak MiB':>9}")
    with tempfile.TemporaryDirectory() as tmp:
        for case in CASES:
            if args.only and args.only not in case.name:
                continue
            path = Path(tmp) / "report.yaml"
            text = case.make()
            path.write_text(text, encoding="utf-8")
            size = path.stat().st_size
            assert size <= MAX_BYTES, (case.name, size)
            commands = [("validate", [py, "-m", "ehnreport", "validate", str(path)])]
            if case.build and not args.no_build:
                out = str(Path(tmp) / "out")
                commands.append(
                    (
                        "build --html",
                        [py, "-m", "ehnreport", "build", "--html", "-o", out, str(path)],
                    )
                )
                if args.pdf:
                    commands.append(
                        (
                            "build --pdf",
                            [py, "-m", "ehnreport", "build", "--pdf", "-o", out, str(path)],
                        )
                    )
            for label, cmd in commands:
                code, seconds, rss = run(cmd, args.timeout)
                shown = "T/O" if code is None else str(code)
                print(
                    f"{case.name:32} {size / 1024:6.0f}  {label:14} {shown:>4} "
                    f"{seconds:8.2f} {rss:9.0f}",
                    flush=True,
                )
                if label == "validate" and seconds > VALIDATE_LIMIT_S:
                    slow.append(case.name)
    if args.check and slow:
        print(f"validate over {VALIDATE_LIMIT_S} s: {', '.join(slow)}")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
