"""What the answers' Markdown will cost to lay out, and the images it shows, checked in
`validate` without a Markdown parser.

Layout is where a report's cost lies: a table of 200 × 1200 cells in one answer takes
minutes and gigabytes to print, though its HTML takes a second. So the answers are
scanned line by line for what makes layout expensive (table cells and columns,
headings, lines) and held to limits per answer and per report. The scan counts
generously: a line that might be a table row or a heading counts as one, so the
limits hold for whatever markdown-it makes of the text.

The images an answer shows are found with a small scan of the `![alt](file)` syntax
and checked with the same rules (`images.read`) and words as the build, so `validate
--strict` refuses what `build --strict` would refuse.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote

from . import images
from .errors import Diagnostic
from .loader import Loaded, Path_, format_path
from .messages import Msg, msg

MAX_COLUMNS = 30  # per Markdown table
MAX_CELLS = 2_000  # table cells in one answer
MAX_REPORT_CELLS = 4_000
MAX_HEADINGS = 100  # headings in one answer
MAX_REPORT_HEADINGS = 300
MAX_LINES = 2_000  # lines (paragraphs, line breaks, list items) in one answer
# Lines in one text inside a table row, a card or a goal: such boxes lay out far more
# slowly per line than a free-text answer (1000 lines in one goal: 50 s).
MAX_ITEM_LINES = 50
MAX_REPORT_LINES = 4_000

LINK_PREFIXES = ("http://", "https://", "mailto:")  # anything else is shown as plain text

# Sections and fields whose text is printed as written, never as Markdown (names,
# addresses, status words): images and links there are text, so they are not checked.
PLAIN = ("report", "member", "contact")
PLAIN_FIELDS = {("foreword", "name"), ("foreword", "title"), ("key_info", "email")}

_PREFIX = re.compile(r"[ \t>]*(?:(?:[-+*]|\d{1,9}[.)])[ \t]+)*")
_HEADING = re.compile(r"#{1,6}(?:[ \t]|$)|(?:=+|-+)[ \t]*$")
_DELIMITER = re.compile(r"\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")
_IMAGE = re.compile(
    r"!\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*(<[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))*)"
)
_LINK = re.compile(
    r"\[((?:[^\[\]\\]|\\.|\[[^\[\]]*\])*)\]\(\s*(<[^<>\n]*>|(?:[^\s()]|\([^\s()]*\))*)"
)
_REF_LINK = re.compile(r"\[((?:[^\[\]\\]|\\.)*)\](?:\[((?:[^\[\]\\]|\\.)*)\])?")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.-]{1,31}:[^<>\x00-\x20]*)>")
_REF_IMAGE = re.compile(r"!\[((?:[^\[\]\\]|\\.)*)\](?:\[((?:[^\[\]\\]|\\.)*)\])?")
_DEFINITION = re.compile(r"^ {0,3}\[((?:[^\[\]\\]|\\.)+)\]:\s*(<[^<>\n]*>|\S+)", re.M)
_FENCE = re.compile(r"[ \t>]* {0,3}(`{3,}(?=[^`]*$)|~{3,})")  # no ` after a ``` fence


@dataclass(frozen=True)
class Place:
    """Where one answer's text starts in the YAML file."""

    line: int
    column: int


def answer_place(loaded: Loaded | None, path: Path_, lines: list[str]) -> Place:
    """The line and column of an answer's first text line (inside a `|` block, if any)."""
    if loaded is None:
        return Place(1, 1)
    line, col = loaded.where(path)
    src = lines[line - 1] if 0 < line <= len(lines) else ""
    if src[col - 1 : col] in ("|", ">"):
        # A block scalar: the text starts on the next line, at its indentation.
        nxt = lines[line] if line < len(lines) else ""
        return Place(line + 1, len(nxt) - len(nxt.lstrip(" ")) + 1)
    return Place(line, col)


def texts(data: object, path: Path_ = ()) -> Iterator[tuple[Path_, str]]:
    """Every text in the report that is rendered as Markdown, in file order."""
    if isinstance(data, dict):
        for key, value in data.items():
            if not path and key in PLAIN:
                continue
            yield from texts(value, (*path, str(key)))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield from texts(value, (*path, i))
    elif isinstance(data, str) and data.strip() and not _plain(path):
        yield path, data


def _plain(path: Path_) -> bool:
    if path in PLAIN_FIELDS:
        return True
    return len(path) == 4 and path[:2] == ("goals", "current") and path[3] == "status"


@dataclass
class Layout:
    """What one text asks of the layout: an upper bound of each, by a line scan."""

    lines: int = 0
    headings: int = 0
    cells: int = 0
    columns: int = 0


def free_text(path: Path_) -> bool:
    """Whether `path` is a free-text answer (a step's answer, the foreword), not an item."""
    if any(isinstance(p, int) for p in path):
        return False
    return path[:1] in (("steps",), ("foreword",)) or path == ("key_info", "structure")


def layout(text: str) -> Layout:
    """Count lines, headings and table cells in `text`, never fewer than markdown-it makes."""
    rows = text.rstrip("\n").split("\n")  # the newline ending a `|` block makes no line
    out = Layout(lines=len(rows))
    table_columns = 0
    for i, raw in enumerate(rows):
        body = raw[_PREFIX.match(raw).end() :]  # type: ignore[union-attr]  # always matches
        if not body.strip():
            table_columns = 0  # a blank line ends a table
            continue
        if _HEADING.match(body):
            out.headings += 1
        if "-" in body and _DELIMITER.match(body) and i > 0:
            header = rows[i - 1]
            if "|" in body or "|" in header:
                table_columns = max(_columns(body), _columns(header))
                out.columns = max(out.columns, table_columns)
                out.cells += 2 * table_columns  # the header row and this row
                continue
        if table_columns:
            out.cells += table_columns
    return out


def _columns(row: str) -> int:
    """Cells in a table row: its pipes, less the optional ones at either end, plus one."""
    row = row.strip()
    return row.removeprefix("|").removesuffix("|").count("|") + 1


def link_refusal(href: str) -> Msg | None:
    """Why a link to `href` is shown as plain text, or None if it is allowed."""
    if href.lower().startswith(LINK_PREFIXES):
        return None
    full = unquote(href)  # decoded first, so the raw and the encoded target read alike
    shown = full if len(full) <= 80 else full[:77] + "…"
    return msg("layout.link-refused", target=shown)


def missing_alt(src: str) -> Msg:
    """The warning for an image without alt text."""
    return msg("layout.image-alt", src=src)


def left_out(why: Msg) -> Msg:
    """Why an image is refused, and that the report is made without it."""
    return why.plus(msg("layout.image-left-out"))


def image_names(text: str) -> Iterator[tuple[int, str]]:
    """(line within `text`, file name) of every image the Markdown in `text` shows."""
    for line, name, _ in images_and_links(text, links=False):
        yield line, name


def images_and_links(text: str, links: bool = True) -> Iterator[tuple[int, str, str | None]]:
    """(line, target, alt text) of every image, and (line, target, None) of every link
    (with `links`), that the Markdown in `text` makes."""
    blocks = _without_fenced_code(text)
    # Code spans do not exist inside a reference definition's destination.
    # Every line that may define a label: the scan does not decide which one is valid
    # (markdown-it takes the first valid one), so a reference counts each candidate.
    definitions: dict[str, list[str]] = {}
    for m in _DEFINITION.finditer(blocks):
        definitions.setdefault(_label(m.group(1)), []).append(_destination(m.group(2)))
    # Code spans are not blanked: whether backticks make one depends on what else
    # markdown-it finds first (a link, a bare URL, a definition), so an image or link
    # written in `code` counts too; the scan errs on the side of one warning too many.
    plain = blocks
    found: list[tuple[int, str, str | None]] = []
    for m in _IMAGE.finditer(plain):
        if _escaped(plain, m.start()):
            continue
        found.append((m.start(), _destination(m.group(2)), m.group(1)))
    for m in _REF_IMAGE.finditer(plain):
        if _escaped(plain, m.start()) or plain.startswith("(", m.end()):
            continue
        label = _label(m.group(2) or m.group(1))
        for target in definitions.get(label, []):
            found.append((m.start(), target, m.group(1)))
    if links:
        for m in _LINK.finditer(plain):
            if _escaped(plain, m.start()) or _after_bang(plain, m.start()):
                continue
            found.append((m.start(), _destination(m.group(2)), None))
        for m in _AUTOLINK.finditer(plain):
            if not _escaped(plain, m.start()):
                found.append((m.start(), m.group(1), None))
        for m in _REF_LINK.finditer(plain):
            if _escaped(plain, m.start()) or _after_bang(plain, m.start()):
                continue
            if plain.startswith("(", m.end()):
                continue
            # A label that begins a definition line counts too: whether that line really
            # is a definition, or a paragraph with a link in it, is markdown-it's call.
            label = _label(m.group(2) or m.group(1))
            for target in definitions.get(label, []):
                found.append((m.start(), target, None))
    line, counted = 0, 0
    for start, target, alt in sorted(found, key=lambda f: f[0]):
        line += plain.count("\n", counted, start)  # counted once: linear in the text
        counted = start
        yield line, target, alt


def _after_bang(text: str, i: int) -> bool:
    return i > 0 and text[i - 1] == "!" and not _escaped(text, i - 1)


def _without_fenced_code(text: str) -> str:
    """`text` with fenced code blocks (shown as written) blanked, lines kept."""
    if "```" not in text and "~~~" not in text:
        return text
    out, fence = [], ""
    for line in text.split("\n"):
        m = _FENCE.match(line)
        if fence:
            if m and m.group(1).startswith(fence) and not line[m.end() :].strip():
                fence = ""
            out.append("")
        elif m:
            fence = m.group(1)
            out.append("")
        else:
            out.append(line)
    return "\n".join(out)


def _escaped(text: str, i: int) -> bool:
    slashes = 0
    while i - slashes > 0 and text[i - slashes - 1] == "\\":
        slashes += 1
    return slashes % 2 == 1


def _label(text: str) -> str:
    return " ".join(text.split()).casefold()


def _destination(raw: str) -> str:
    if raw.startswith("<") and raw.endswith(">"):
        raw = raw[1:-1]
    return unquote(re.sub(r"\\([!-/:-@\[-`{-~])", r"\1", raw))


def check_content(loaded: Loaded, file: str, folder: Path) -> list[Diagnostic]:
    """The layout limits and the images of every answer, as diagnostics."""
    out: list[Diagnostic] = []
    lines = loaded.source.splitlines()
    totals = Layout()
    budget = images.Budget()
    seen: dict[str, images.Image | Msg] = {}
    report_full = False
    member = loaded.data.get("member") if isinstance(loaded.data, dict) else None
    logo = member.get("logo") if isinstance(member, dict) else None
    if isinstance(logo, str) and logo.strip():
        # The cover comes first: the logo counts against the budget before any answer.
        # A logo that cannot be shown is checks.py's error[logo].
        image = images.read(logo, folder)
        if not isinstance(image, Msg):
            budget.charge(image, logo)

    def add(severity: str, code: str, path: Path_, line: int, col: int, message: Msg) -> None:
        out.append(Diagnostic(line, col, severity, code, format_path(path), message, file))

    for path, text in texts(loaded.data):
        place = answer_place(loaded, path, lines)
        cost = layout(text)
        over = _answer_limits(cost, MAX_LINES if free_text(path) else MAX_ITEM_LINES)
        for problem in over:
            add("error", "markdown-limit", path, place.line, place.column, problem)
        before = Layout(totals.lines, totals.headings, totals.cells)
        totals.lines += cost.lines
        totals.headings += cost.headings
        totals.cells += cost.cells
        if not report_full and not over:
            full = _report_limits(before, totals)
            if full:
                report_full = True
                add("error", "markdown-limit", path, place.line, place.column, full)
        for offset, name, alt in images_and_links(text):
            where = (place.line + offset, place.column)
            if alt is None:  # a link
                refusal = link_refusal(name)
                if refusal:
                    add("warning", "link-refused", path, *where, refusal)
                continue
            key = name.strip()
            if key not in seen:
                seen[key] = images.read(name, folder)
            image = seen[key]
            if isinstance(image, Msg):
                add("warning", "image-refused", path, *where, left_out(image))
                continue
            spent = budget.charge(image, name)
            if spent:
                add("error", "image-limit", path, *where, spent)
                return out  # every later image would say the same
            if not re.sub(r"[*_`\\\[\]]", "", alt).strip():
                add("warning", "image-alt", path, *where, missing_alt(name))
    return out


def _answer_limits(cost: Layout, max_lines: int) -> list[Msg]:
    out = []
    if cost.columns > MAX_COLUMNS:
        out.append(msg("layout.table-columns", count=cost.columns, max=MAX_COLUMNS))
    if cost.cells > MAX_CELLS:
        out.append(msg("layout.table-cells", count=cost.cells, max=MAX_CELLS))
    if cost.headings > MAX_HEADINGS:
        out.append(msg("layout.headings", count=cost.headings, max=MAX_HEADINGS))
    if cost.lines > max_lines:
        key = "layout.lines-in-answer" if max_lines == MAX_LINES else "layout.lines-in-item"
        out.append(msg(key, count=cost.lines, max=max_lines))
    return out


def _report_limits(before: Layout, after: Layout) -> Msg | None:
    for key, limit, b, a in (
        ("layout.report-cells", MAX_REPORT_CELLS, before.cells, after.cells),
        ("layout.report-headings", MAX_REPORT_HEADINGS, before.headings, after.headings),
        ("layout.report-lines", MAX_REPORT_LINES, before.lines, after.lines),
    ):
        if b <= limit < a:
            return msg(key, max=limit)
    return None
