"""Indentation mistakes behind a YAML syntax error, found in the source lines.

The parser reports where it gave up, often a line after the mistake and in its own
English. When the error follows a typical indentation mistake of someone who does not
write YAML every day, this module names the first line that is wrong and says what is
wrong with it: text under `|` with too little indent, a key one space off, a line that
continues a text without more indent, a numbered list written without `|`, a missing
space after a colon. It is read only when a file does not parse, so it costs nothing
on the way of a valid report.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .messages import Msg, msg

# Indent and list dashes at the start of a line; the sign of a `|` or `>` block with
# its optional comment, after the colon. Every pattern here runs in linear time, as
# a line can be half a megabyte long.
_LEAD = re.compile(r"( *)((?:- +)*)")
_SIGN = re.compile(r"([|>])[-+1-9]{0,2}(?:\s+#.*)?")
_ITEM = re.compile(r"( *)((?:- +)+|-$)")
_NUMBERED = re.compile(r"\d{1,3}[.)] ")
# `name:A` or `a1:https://x.no`, but not a bare `https://x.no`.
_NO_SPACE = re.compile(r"( *)([^\s:#'\"-][^\s:#]*):(?!//)(\S.*)$")


@dataclass
class Line:
    """One source line as far as indentation is concerned."""

    no: int  # 1-based
    indent: int
    kind: str  # blank, comment, block (text inside `|`), header, key, item or text
    col: int = 0  # 0-based column of the key, or of the item's content
    dash: int = -1  # 0-based column of the first `- `, or -1
    key: str = ""
    value: str = ""  # what follows the key's colon, stripped; a header's `|` or `>`
    text: str = ""


@dataclass
class Problem:
    """A line that is wrong and the sentence that says why."""

    line: int
    col: int
    message: Msg


def _key_split(raw: str, start: int) -> tuple[str, str] | None:
    """(key, what follows its colon) when `raw` holds `key: ...` from `start`, else None."""
    if start >= len(raw) or raw[start] in "#":
        return None
    if raw[start] in "'\"":
        end = raw.find(raw[start], start + 1)
        if end < 0:
            return None
        colon = end + 1
        while colon < len(raw) and raw[colon] == " ":
            colon += 1
        if colon >= len(raw) or raw[colon] != ":":
            return None
        key = raw[start + 1 : end]
    else:
        colon = raw.find(":", start)
        while colon >= 0 and colon + 1 < len(raw) and raw[colon + 1] not in " \t":
            colon = raw.find(":", colon + 1)
        comment = raw.find(" #", start)
        if colon < 0 or 0 <= comment < colon:
            return None
        key = raw[start:colon].rstrip()
    if colon + 1 < len(raw) and raw[colon + 1] not in " \t":
        return None
    return key, raw[colon + 1 :].strip()


def _classify(no: int, raw: str) -> Line:
    stripped = raw.strip()
    indent = len(raw) - len(raw.lstrip(" "))
    if not stripped:
        return Line(no, indent, "blank")
    if stripped.startswith("#"):
        return Line(no, indent, "comment", text=stripped)
    dash = indent if stripped.startswith("-") and (stripped == "-" or stripped[1] == " ") else -1
    lead = _LEAD.match(raw)
    assert lead is not None  # the pattern matches the empty string
    start = lead.end()
    split = _key_split(raw, start)
    key, rest = ("", raw[start:].strip()) if split is None else split
    sign = _SIGN.fullmatch(rest)
    if sign and (key or lead.group(2)):
        col = start if key else max(dash, indent)
        return Line(no, indent, "header", col, dash, key, sign.group(1), stripped)
    if split is not None:
        return Line(no, indent, "key", start, dash, key, rest, stripped)
    item = _ITEM.match(raw)
    if item:
        return Line(no, indent, "item", len(item.group(0)), dash, text=stripped)
    return Line(no, indent, "text", indent, text=stripped)


def scan(lines: list[str]) -> tuple[list[Line], list[Problem]]:
    """Every line classified, and the places where a `|` block ends in a mistake."""
    out: list[Line] = []
    problems: list[Problem] = []
    block: tuple[Line, int | None] | None = None  # the header and the text's indent
    # A comment with less indent than the text ends the block; text after it is lost.
    ended_by: tuple[Line, int, Line] | None = None
    for no, raw in enumerate(lines, 1):
        line = _classify(no, raw)
        if ended_by is not None and line.kind not in ("blank", "comment"):
            opened, depth, comment = ended_by
            ended_by = None
            if line.kind == "text" and line.indent >= depth:
                problems.append(
                    Problem(
                        comment.no,
                        comment.indent + 1,
                        msg(
                            "loader.indent-comment-ends-block",
                            sign=opened.value,
                            line=opened.no,
                            depth=depth,
                        ),
                    )
                )
        if block is not None and line.kind != "blank":
            header, inner = block
            if inner is None and line.indent > header.col:
                block = (header, line.indent)
                line.kind = "block"
            elif inner is not None and line.indent >= inner:
                line.kind = "block"
            else:
                block = None
                if line.kind == "comment" and inner is not None:
                    ended_by = (header, inner, line)
                problem = _block_end(header, inner, line)
                if problem:
                    problems.append(problem)
        elif block is not None:
            line.kind = "blank"
        out.append(line)
        if line.kind == "header":
            block = (line, None)
    return out, problems


def _block_end(header: Line, inner: int | None, line: Line) -> Problem | None:
    """The line after a `|` block, if it shows the block's text was meant to go on."""
    sign = header.value  # `|` or `>`
    owner = (
        msg("loader.indent-owner-key", name=header.key)
        if header.key
        else msg("loader.indent-owner-dash")
    )
    if line.kind == "comment":
        return None
    if inner is not None and header.col < line.indent < inner:
        if line.kind in ("key", "header"):
            return _misplaced(line, [header.col], _KEYS)
        return Problem(
            line.no,
            line.indent + 1,
            msg(
                "loader.indent-block-line",
                indent=line.indent,
                sign=sign,
                line=header.no,
                inner=inner,
            ),
        )
    if line.kind == "text" and line.indent <= header.col:
        return Problem(
            line.no,
            line.indent + 1,
            msg(
                "loader.indent-block-owner",
                sign=sign,
                owner=owner,
                line=header.no,
                least=header.col + 1,
                indent=line.indent,
            ),
        )
    return None


# Which lines a misplaced line is measured against.
_KEYS = msg("loader.indent-the-keys")
_ITEMS = msg("loader.indent-the-items")


def _misplaced(line: Line, levels: list[int], what: Msg) -> Problem:
    at = line.dash if line.dash >= 0 else line.col
    above = [lv for lv in levels if lv > at]
    near = min(above) if above else max(levels)
    return Problem(
        line.no,
        at + 1,
        msg("loader.indent-misplaced", at=at, what=what, near=near),
    )


def _previous(lines: list[Line], no: int) -> Line | None:
    """The nearest key, `|` header or `- ` above line `no`; text and comments are skipped."""
    for line in reversed(lines[: no - 1]):
        if line.kind in ("key", "header", "item"):
            return line
    return None


def _levels(lines: list[Line], start: Line) -> tuple[list[int], list[int]]:
    """Columns of the keys and of the `- ` open at `start`: its own, its parents'."""
    keys: list[int] = []
    dashes: list[int] = []
    low = 1 << 30
    for line in reversed(lines[: start.no]):
        if line.kind not in ("key", "header", "item"):
            continue
        first = line.dash if line.dash >= 0 else line.col
        if first >= low and line is not start:
            continue
        if line.kind != "item" or line.col != line.dash:
            keys.append(line.col)
        if line.dash >= 0:
            dashes.append(line.dash)
        low = min(low, first)
        if low == 0:
            break
    return keys, dashes


def _misindented(lines: list[Line], line: Line) -> Problem | None:
    """`line` (a key or a `- `) against the lines above it."""
    above = _previous(lines, line.no)
    if above is None:
        return None
    keys, dashes = _levels(lines, above)
    if line.kind == "item" or (line.dash >= 0 and line.dash == line.indent):
        at, levels, what = line.dash, dashes, _ITEMS
        if above.kind == "key" and above.value and at > above.col:
            return Problem(
                line.no,
                at + 1,
                msg("loader.indent-list-after-value", name=above.key, line=above.no),
            )
        if not levels:
            return None
    else:
        at, levels, what = line.col, keys, _KEYS
    opens = above.kind == "key" and not above.value
    deepest = above.col if above.kind != "item" else above.dash
    if at > deepest:
        if opens:
            return None
        return _misplaced(line, [deepest], _KEYS)
    if at in levels or at in keys or at in dashes:
        return None
    return _misplaced(line, levels or keys, what)


def explain(lines: list[str], problem: str, line: int, context_line: int) -> Problem | None:
    """The first indentation mistake behind the parser's error at `line`, if it is one."""
    upto = max(line, context_line)
    scanned, problems = scan(lines[:upto])
    for found in problems:
        if found.line <= upto:
            return found
    if problem.startswith("could not find expected ':'") and 0 < context_line <= len(scanned):
        return _continued(scanned, scanned[context_line - 1])
    if not 0 < line <= len(scanned):
        return None
    here = scanned[line - 1]
    if problem.startswith(("mapping values are not allowed", "did not find expected")):
        spaceless = _spaceless(scanned, here)
        if spaceless:
            return spaceless
        if here.kind in ("key", "header", "item"):
            return _misindented(scanned, here)
    return None


def _spaceless(lines: list[Line], here: Line) -> Problem | None:
    """`name:A` above `here`: a key without a blank after its colon.

    The lines after such a key read as more of its text, so the parser may stop some
    lines later: walk back over them to the line where that text began.
    """
    for line in reversed(lines[: here.no]):
        if line.kind in ("blank", "comment"):
            continue
        found = _spaceless_key(line)
        if found:
            return found
        if line.kind != "text" and line is not here:
            return None
    return None


def _spaceless_key(line: Line) -> Problem | None:
    """The problem of `line` if it is `name:A` or `- name:A`."""
    if line.kind == "text":
        found = _NO_SPACE.fullmatch(line.text)
        return _no_space(line, found, line.indent) if found else None
    if line.kind == "item" and line.dash >= 0:
        rest = line.text.lstrip("- ")
        found = _NO_SPACE.fullmatch(rest)
        return _no_space(line, found, line.indent + len(line.text) - len(rest)) if found else None
    return None


def _continued(lines: list[Line], here: Line) -> Problem | None:
    """A line without a colon under a key: more of its text, or a numbered list."""
    if here.kind != "text":
        return None
    spaceless = _spaceless_key(here)
    if spaceless:
        return spaceless
    after = next((ln for ln in lines[here.no :] if ln.kind not in ("blank", "comment")), None)
    word = here.text.split()[0].rstrip(":")
    if after is not None and after.indent > here.indent and after.kind in ("key", "item"):
        return Problem(
            here.no,
            here.indent + len(here.text.split()[0]) + 1,
            msg("loader.indent-key-without-colon", word=word),
        )
    above = _previous(lines, here.no)
    if above is None or above.kind != "key" or here.indent > above.col:
        return None
    if _NUMBERED.match(here.text) and (not above.value or _NUMBERED.match(above.value)):
        return Problem(
            above.no,
            above.col + 1,
            msg("loader.indent-numbered-list", name=above.key),
        )
    if not above.value or here.indent < above.col:
        return None
    return Problem(
        here.no,
        here.indent + 1,
        msg("loader.indent-continued-text", name=above.key, line=above.no),
    )


def _no_space(line: Line, found: re.Match[str], start: int) -> Problem:
    key, value = found.group(2), found.group(3)
    return Problem(
        line.no,
        start + len(key) + 2,
        msg("loader.indent-no-space", name=key, value=value),
    )
