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
import inspect
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

from ehnreport import content, images
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
    # Lines long enough that the file's size cap comes before the answer's line cap.
    line = (
        "      " + "Lorem ipsum dolor sit amet, consectetur adipiscing elit, æøå ÆØÅ. " * 4 + "\n"
    )
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


ANSWERS = [
    ("step1", "a2"),
    ("step1", "b1"),
    ("step1", "b2"),
    ("step1", "c1"),
    ("step1", "d1"),
    ("step1", "e1"),
    ("step3", "b1"),
    ("step3", "b2"),
    ("step3", "b3"),
    ("step3", "b4"),
    ("step3", "b6"),
    ("step3", "b7"),
    ("step4", "a1"),
    ("step5", "a1"),
]


def _answers(bodies: list[str], goals: list[str] | None = None) -> str:
    """A report whose free-text answers are the texts `bodies`, and its next year's
    goals the texts `goals`."""
    assert len(bodies) <= len(ANSWERS)
    steps: dict[str, list[str]] = {}
    for (step, key), body in zip(ANSWERS, bodies, strict=False):
        steps.setdefault(step, []).append(f"    {key}: |\n{_indent(body, 6)}")
    text = HEAD
    if steps:
        text += "steps:\n" + "".join(f"  {s}:\n" + "".join(v) for s, v in steps.items())
    if goals:
        text += "goals:\n  next_year:\n" + "".join(f"  - |\n{_indent(g, 6)}" for g in goals)
    return text


def _indent(text: str, n: int) -> str:
    return "".join(" " * n + line + "\n" for line in text.split("\n"))


def markdown_item_lines_at_cap() -> str:
    # 50 goals, each at the line cap of one item.
    goal = "\n".join("Mål med en linje" for _ in range(content.MAX_ITEM_LINES))
    return _answers([], [goal] * 50)


def _table(columns: int, rows: int) -> str:
    head = "|" + "|".join(f" K{j} " for j in range(columns)) + "|"
    rule = "|" + "|".join("---" for _ in range(columns)) + "|"
    body = ["|" + "|".join(f" {i}.{j} " for j in range(columns)) + "|" for i in range(rows)]
    return "\n".join([head, rule, *body])


def markdown_cells_at_cap() -> str:
    # Tables with as many cells as one report may hold, each answer at its own cap.
    per = content.MAX_CELLS // content.MAX_COLUMNS - 2
    n = content.MAX_REPORT_CELLS // ((per + 2) * content.MAX_COLUMNS)
    return _answers([_table(content.MAX_COLUMNS, per) for _ in range(n)])


def markdown_table_200x1200() -> str:
    return _answers([_table(200, 1200)])[: MAX_BYTES - 10]


def markdown_headings_at_cap() -> str:
    per = content.MAX_HEADINGS
    n = content.MAX_REPORT_HEADINGS // per
    return _answers(["\n\n".join(f"# Overskrift {i}" for i in range(per)) for _ in range(n)])


def markdown_lines_at_cap() -> str:
    per = content.MAX_LINES - 1
    n = content.MAX_REPORT_LINES // content.MAX_LINES + 1
    rest = content.MAX_REPORT_LINES - (n - 1) * content.MAX_LINES - 1
    return _answers(["\n".join("x" for _ in range(k)) for k in [per] * (n - 1) + [rest]])


def markdown_every_cap() -> str:
    return _every_cap(None)


def _every_cap(tmp: Path | None) -> str:
    # Tables, headings and lines each at the report's cap, at once (table rows and
    # headings count as lines too); with `tmp`, also images at the report's caps.
    cols = content.MAX_COLUMNS
    rows = content.MAX_CELLS // cols - 2
    tables = [_table(cols, rows)] * (content.MAX_REPORT_CELLS // ((rows + 2) * cols))
    per = content.MAX_HEADINGS
    headings = ["\n".join(f"# Overskrift {i}" for i in range(per))] * (
        content.MAX_REPORT_HEADINGS // per
    )
    side = int(images.MAX_PIXELS**0.5)
    count = images.MAX_REPORT_PIXELS // (side * side) if tmp is not None else 0
    used = sum(t.count("\n") + 1 for t in tables + headings) + 2 * count
    left = content.MAX_REPORT_LINES - used
    plain = []
    while left > 0:
        n = min(left, content.MAX_LINES)
        plain.append("\n".join("Linje med litt tekst" for _ in range(n)))
        left -= n
    if tmp is not None:
        for i in range(count):
            (tmp / f"b{i}.png").write_bytes(_png(side, side))
        plain[-1] += "\n\n" + "\n\n".join(f"![Bilde {i}](b{i}.png)" for i in range(count))
    return _answers(tables + headings + plain)


def every_cap_with_images(tmp: Path) -> str:
    return _every_cap(tmp)


def markdown_40000_lines() -> str:
    return _answers(["\n".join("x" for _ in range(40_000))])


def _image_report(tmp: Path, files: dict[str, bytes], answer: str) -> str:
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    return _answers([answer])


def _png(width: int, height: int) -> bytes:
    import struct
    import zlib

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    comp = zlib.compressobj(9)
    row = b"\x00" + b"\x80\x40\x20" * width
    raw = b"".join(comp.compress(row) for _ in range(height)) + comp.flush()
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


def _use_bomb(levels: int) -> bytes:
    parts = ['<g id="l0"><rect width="1" height="1"/></g>']
    for k in range(1, levels + 1):
        parts.append(f'<g id="l{k}">' + f'<use href="#l{k - 1}"/>' * 10 + "</g>")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100"><defs>'
        + "".join(parts)
        + f'</defs><use href="#l{levels}"/></svg>'
    ).encode()


def png_13000(tmp: Path) -> str:
    return _image_report(tmp, {"stor.png": _png(13000, 13000)}, "![Stort](stor.png)")


def png_at_cap(tmp: Path) -> str:
    # As many pixels as one report may hold: images just under the per-image cap.
    side = int(images.MAX_PIXELS**0.5)
    n = images.MAX_REPORT_PIXELS // (side * side)
    files = {f"b{i}.png": _png(side, side) for i in range(n)}
    return _image_report(tmp, files, "\n\n".join(f"![Bilde {i}](b{i}.png)" for i in range(n)))


def svg_use_bomb(tmp: Path) -> str:
    return _image_report(tmp, {"bombe.svg": _use_bomb(6)}, "![Tegning](bombe.svg)")


def svg_at_cap(tmp: Path) -> str:
    # use levels of ten until one drawing is just under the element cap; as many as fit.
    files, refs = {}, []
    for i in range(images.MAX_REPORT_SVG_ELEMENTS // 4000):
        files[f"t{i}.svg"] = _svg_elements(3900)
        refs.append(f"![Tegning {i}](t{i}.svg)")
    return _image_report(tmp, files, "\n\n".join(refs))


def _svg_elements(n: int) -> bytes:
    rects = "".join(f'<rect x="{i % 100}" y="{i // 100}" width="1" height="1"/>' for i in range(n))
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="100" height="100">{rects}</svg>'.encode()
    )


def many_images(tmp: Path) -> str:
    files = {"liten.png": _png(400, 300)}
    return _image_report(tmp, files, "\n\n".join("![Bilde](liten.png)" for _ in range(5000)))


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
    make: Callable[[], str] | Callable[[Path], str]  # the latter writes images beside it
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
    Case("Markdown cells at the caps", markdown_cells_at_cap, True),
    Case("Markdown table 200x1200 (refused)", markdown_table_200x1200, True),
    Case("Markdown headings at the caps", markdown_headings_at_cap, True),
    Case("Markdown lines at the caps", markdown_lines_at_cap, True),
    Case("Markdown lines in 50 goals at the cap", markdown_item_lines_at_cap, True),
    Case("Markdown: every cap at once", markdown_every_cap, True),
    Case("every Markdown and image cap", every_cap_with_images, True),
    Case("40 000 Markdown lines (refused)", markdown_40000_lines, True),
    Case("image: PNG 13000x13000 (refused)", png_13000, True),
    Case("image: PNGs at the pixel caps", png_at_cap, True),
    Case("image: SVG <use> bomb (refused)", svg_use_bomb, True),
    Case("image: SVGs at the element caps", svg_at_cap, True),
    Case("image: 5 000 references (capped)", many_images, True),
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
            params = inspect.signature(case.make).parameters
            text = case.make(Path(tmp)) if params else case.make()  # type: ignore[call-arg]
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
