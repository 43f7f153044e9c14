"""Diagnostics for a person at a terminal: grouped by file, with the source line and a caret.

Colour is plain ANSI escapes, so no extra dependency is needed; `use_color` says when
to use it. Text from the report is shown with control characters made visible, so a
report cannot send escape sequences to the terminal.

The view is bounded whatever the file: a shown source line is clipped to a window
around the column (`LINE_WIDTH`), and at most `MAX_SHOWN` diagnostics per file are
shown with their line; the rest are counted. The plain `text` format, which a
terminal gets when output is redirected, lists every one.
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import IO, Any

from ..errors import Diagnostic, printable
from ..loader import MAX_BYTES, format_path
from ..messages import msg
from ..validate import CheckResult

_RESET = "\x1b[0m"
_STYLES = {
    "error": "\x1b[1;31m",  # bold red
    "warning": "\x1b[1;33m",  # bold yellow
    "where": "\x1b[1m",  # bold
    "gutter": "\x1b[34m",  # blue
    "path": "\x1b[36m",  # cyan
    "file": "\x1b[1;4m",  # bold underlined
}
_TAB = 4  # a tab in a shown source line takes this many columns
LINE_WIDTH = 100  # columns of a source line shown around the caret
MAX_SHOWN = 50  # diagnostics per file shown with their source line
# Load errors whose line and column do not point into readable text.
_NO_SOURCE = {"encoding", "file-too-large"}


def use_color(stream: IO[Any], environ: Mapping[str, str] | None = None) -> bool:
    """Whether to colour output for `stream`: a terminal, NO_COLOR unset, TERM not dumb."""
    env = os.environ if environ is None else environ
    if env.get("NO_COLOR", "") != "" or env.get("TERM") == "dumb":
        return False
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed stream
        return False


def render_diagnostics(
    results: Iterable[CheckResult],
    *,
    color: bool,
    source_lines: bool,
    quiet: bool = False,
) -> str:
    """The diagnostics of `results`, file by file; warnings left out when `quiet`.

    With `source_lines` every diagnostic is followed by the line it points at and a
    caret under the column; without, it is one `file:line:col: ...` line.
    """

    def paint(style: str, text: str) -> str:
        return f"{_STYLES[style]}{text}{_RESET}" if color else text

    blocks: list[str] = []
    for result in results:
        shown = [d for d in result.diagnostics if d.is_error or not quiet]
        if not shown:
            continue
        out: list[str] = []
        if not source_lines:
            for d in shown:
                where = f"{printable(d.file or str(result.path))}:{d.line}:{d.column}:"
                out.append(f"{paint('where', where)} {_head(d, paint)}")
            blocks.append("\n".join(out))
            continue
        lines = _source_lines(result)
        present = _present_paths(result)
        width = max(len(str(d.line)) for d in shown)
        pad = " " * width
        bar = paint("gutter", "|")
        out.append(paint("file", printable(str(result.path))))
        for d in shown[:MAX_SHOWN]:
            file = printable(d.file or str(result.path))
            out += ["", _head(d, paint)]
            out.append(f"{pad}{paint('gutter', '-->')} {file}:{d.line}:{d.column}")
            if lines is None or not 1 <= d.line <= len(lines):
                continue
            text, caret = _show_line(lines[d.line - 1], d.column)
            out.append(f"{pad} {bar}")
            out.append(f"{paint('gutter', str(d.line).rjust(width))} {bar} {text}".rstrip())
            out.append(f"{pad} {bar} {' ' * caret}{paint(_style(d), '^')}")
            if present is not None and d.path and d.path not in present:
                note = msg("cli.terminal.not-in-file", path=printable(d.path)).text()
                out.append(f"{pad} = {note}")
        if len(shown) > MAX_SHOWN:
            out += ["", _rest(shown[MAX_SHOWN:], str(result.path))]
        blocks.append("\n".join(out))
    return ("\n\n" if source_lines else "\n").join(blocks) + "\n" if blocks else ""


def _rest(rest: list[Diagnostic], path: str) -> str:
    from . import counted

    errors = sum(d.is_error for d in rest)
    return msg(
        "cli.terminal.rest",
        count=len(rest),
        errors=counted("errors", errors),
        warnings=counted("warnings", len(rest) - errors),
        path=printable(path),
    ).text()


def _style(d: Diagnostic) -> str:
    return d.severity if d.severity in ("error", "warning") else "error"


def _head(d: Diagnostic, paint: Callable[[str, str], str]) -> str:
    """`error[code] path: message`, painted."""
    path = f" {paint('path', printable(d.path))}:" if d.path else ""
    return f"{paint(_style(d), f'{d.severity}[{d.code}]')}{path} {d.text()}"


def _present_paths(result: CheckResult) -> set[str] | None:
    """The YAML paths written in the file, to tell a missing key from a present one."""
    if result.loaded is None:
        return None
    return {format_path(p) for p in result.loaded.positions}


def _source_lines(result: CheckResult) -> list[str] | None:
    """The report's lines: from the loaded text, or read again when loading failed."""
    if result.loaded is not None:
        return result.loaded.source.splitlines()
    if any(d.code in _NO_SOURCE for d in result.diagnostics):
        return None
    try:
        with open(result.path, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)
    except OSError:
        return None
    return raw.decode("utf-8-sig", errors="replace").splitlines()


def _show_line(line: str, column: int) -> tuple[str, int]:
    """The line as shown (tabs expanded, controls visible) and the caret's offset.

    A long line is clipped to about `LINE_WIDTH` characters around the column, with
    «…» where text is left out; the caret keeps pointing at the same character.
    """
    half = LINE_WIDTH // 2
    if len(line) > LINE_WIDTH:
        start = max(0, min(column - 1 - half, len(line) - LINE_WIDTH))
        end = start + LINE_WIDTH
        head = "…" if start > 0 else ""
        tail = "…" if end < len(line) else ""
        text, caret = _show_line(line[start:end], column - start)
        return head + text + tail, caret + len(head)
    shown: list[str] = []
    caret = 0
    width = 0
    for i, ch in enumerate(line):
        if i == column - 1:
            caret = width
        piece = " " * _TAB if ch == "\t" else printable(ch)
        shown.append(piece)
        width += sum(_width(c) for c in piece)
    if column - 1 >= len(line):
        caret = width + (column - 1 - len(line))
    return "".join(shown), caret


def _width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
