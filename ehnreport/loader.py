"""YAML text to plain data with the line and column of every value.

Built on PyYAML's event parser, with our own construction so that none of YAML 1.1's
surprises reach a report: only `true` and `false` are booleans (`NO`, `yes`, `off`
stay text), only plain decimal integers are numbers (`0150`, `12:30`, `1_000`, `.inf`
stay text), dates stay text, tags are refused, a key given twice is an error naming
both lines, and aliases, nesting depth and file size are bounded.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .errors import Diagnostic
from .messages import Msg, Texts, msg

MAX_BYTES = (
    512 * 1024
)  # 512 KiB: 17x the largest real report (about 30 KiB); keeps a build in bounded memory
MAX_DEPTH = 64  # a report nests about 6 levels deep
MAX_NODES = 50_000  # values after alias expansion: stops "billion laughs"
# Characters of text after alias expansion. Without aliases the text of all values is
# never longer than the file, so this only stops aliases that repeat long texts.
MAX_TEXT = MAX_BYTES
MAX_INT_DIGITS = 18  # no real count or amount in NOK needs more

try:  # the C parser is much faster and gives the same events and marks
    _Parser: Any = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - PyYAML built without libyaml
    _Parser = yaml.SafeLoader

_INT = re.compile(r"[-+]?(0|[1-9][0-9]*)\Z")
_NULL = {"", "~", "null"}
# Control characters other than tab and line breaks. YAML refuses them written as they
# are, but a double-quoted escape ("\0", "\e", "\x07") puts them in a value; no report
# needs one, and they break terminals, CI logs and the XML inside a PDF/A.
# Unicode's noncharacters (U+FDD0-U+FDEF and the last two code points of every plane)
# are not text either: "\\uFFFF" in a value makes the PDF/A's XMP metadata not
# well-formed XML. They are refused like control characters.
# One character class of ranges keeps the search fast; it takes in every character
# beyond U+FFFF, and _refused() keeps only the noncharacters among those.
_CONTROL = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef\ufffe\uffff\U00010000-\U0010ffff]"
)
# YAML's line breaks (a lone CR and NEL count too), to find the line a mark is on.
_LINE_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
# After an empty value: blanks, then `#` directly followed by text, as in `accent: #005a70`.
# `# ` with a space is how a comment is written; `#005a70` or `#1` is a value.
_COMMENT_VALUE = re.compile(r"([ \t]+)(#\S.*)")
# "1. " or "2) " at the start of the text or after a space: items of a numbered list.
_NUMBERED_ITEM = re.compile(r"(?:^| )\d{1,3}[.)] ")
_PLAIN_HINT_CHARS = ("*", "- ", ": ", "#", "&", "!", "|", ">", "%", "@", "`")

Path_ = tuple[str | int, ...]


@dataclass
class Loaded:
    """The data of one report file and where each value came from."""

    data: Any
    # path -> (line, column) of the value, 1-based
    positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    # path -> (line, column) of the key that introduced the value
    key_positions: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    source: str = ""
    # problems that do not stop loading, such as free text folded into one line
    warnings: list[Diagnostic] = field(default_factory=list)

    def where(self, path: Path_, *, key: bool = False) -> tuple[int, int]:
        """The position of `path`, or of its nearest ancestor that has one."""
        p = tuple(path)
        while True:
            if key and p in self.key_positions:
                return self.key_positions[p]
            if p in self.positions:
                return self.positions[p]
            if not p:
                return (1, 1)
            p = p[:-1]


class LoadError(Exception):
    """The file could not be turned into data; carries one diagnostic."""

    def __init__(self, diagnostic: Diagnostic):
        super().__init__(diagnostic.message)
        self.diagnostic = diagnostic

    def __str__(self) -> str:
        return self.diagnostic.text()


def _fail(line: int, col: int, code: str, message: Msg, path: str = "") -> LoadError:
    return LoadError(Diagnostic(line, col, "error", code, path, message))


def format_path(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def file_size(n: int) -> Texts:
    """A file size as a reader says it: «700 KiB», «3,2 MiB» (in English «3.2 MiB»).

    Rounded up, so that a file one byte over a cap never reads as the cap itself.
    """
    if n < 1024 * 1024:
        kib = f"{-(-n // 1024)} KiB"
        return Texts(kib, kib, kib)
    tenths = -(-n * 10 // (1024 * 1024))
    comma = f"{tenths // 10},{tenths % 10} MiB"
    return Texts(comma, comma, f"{tenths // 10}.{tenths % 10} MiB")


def decode(raw: bytes, size: int | None = None) -> str:
    """Bytes to text: UTF-8 with or without BOM; anything else is a clear error.

    `size` is the file's size when `raw` holds only its first MAX_BYTES + 1 bytes.
    """
    if len(raw) > MAX_BYTES:
        # Only the cap and one byte more are read: without the file's size, the rest
        # is unknown, and «over» is all that can be said.
        real = size if size is not None and size > MAX_BYTES else None
        if real is None and len(raw) > MAX_BYTES + 1:
            real = len(raw)
        limit = MAX_BYTES // 1024
        said = (
            msg("loader.file-too-large", size=file_size(real), max=limit)
            if real is not None
            else msg("loader.file-too-large-over", max=limit)
        )
        raise _fail(1, 1, "file-too-large", said)
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise _fail(1, 1, "encoding", msg("loader.utf-16"))
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        col = exc.start - (raw.rfind(b"\n", 0, exc.start) + 1) + 1
        raise _fail(
            line, col, "encoding", msg("loader.not-utf-8", byte=f"{raw[exc.start]:02x}")
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line = text.count("\n", 0, nul) + 1
        col = nul - (text.rfind("\n", 0, nul) + 1) + 1
        raise _fail(line, col, "encoding", msg("loader.nul-byte"))
    return text


def _syntax_error(exc: yaml.MarkedYAMLError, text: str) -> LoadError:
    """A parser error as one diagnostic, with a hint where the cause is typical."""
    mark = exc.problem_mark or exc.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = (exc.problem or str(exc)).strip()
    lines = text.splitlines()
    src = lines[line - 1] if line <= len(lines) else ""  # lines count from 1
    at = src[col - 1 : col] if col - 1 < len(src) else ""
    value = src.split(": ", 1)[1].lstrip() if ": " in src else src.lstrip(" -")
    context = (exc.context or "").strip()
    if "\ufeff" not in src and at != "\t":
        indent = _indentation(exc, lines, line)
        if indent is not None:
            return indent
    if "\ufeff" in src:
        col = src.index("\ufeff") + 1  # the parser points past the invisible character
        said = msg("loader.bom-inside")
    elif at == "\t" or "\t" in src[: len(src) - len(src.lstrip())]:
        said = msg("loader.tab-indent")
    elif "nesting depth" in problem:
        said = msg("loader.too-deep", max=MAX_DEPTH)
    elif value.startswith(("*", "&")):
        said = msg("loader.reference-value")
    elif (
        problem.startswith("mapping values are not allowed")
        and _key_length(src, col) > 1024
        and ": " not in src[: col - 1]
    ):
        said = _LONG_KEY
    elif problem.startswith("mapping values are not allowed"):
        said = msg("loader.colon-in-text")
    elif value.startswith(("@", "`")):
        said = msg("loader.at-or-backtick")
    elif "block sequence entries are not allowed" in problem or src.lstrip().startswith("- "):
        said = msg("loader.unexpected-dash")
    elif context.startswith("while scanning a block scalar"):
        said = msg("loader.block-on-next-line")
    elif context.startswith("while scanning a quoted scalar") and exc.context_mark:
        line, col = _pos(exc.context_mark)
        said = msg("loader.quote-not-closed")
    elif (
        "could not find expected ':'" in problem
        and exc.context_mark is not None
        and exc.context_mark.line + 1 == line
        and ":" in src[col - 1 :]
    ):
        # The colon is there, but over 1024 characters after the key began: a YAML rule.
        said = _LONG_KEY
    elif "could not find expected ':'" in problem:
        if exc.context_mark:  # the line without a colon, not the line after it
            line, col = _pos(exc.context_mark)
        said = msg("loader.missing-colon")
    else:
        said = _plain_problem(problem)
        wrote_block = _BLOCK_SIGN.search(src) is not None
        hinted = said.key in _NAMES_A_BLOCK
        if not (wrote_block or hinted) and any(c in src for c in _PLAIN_HINT_CHARS):
            said = said.plus(msg("loader.hint-block"))
    return _fail(line, col, "yaml-syntax", said)


# The parser's problems that remain after the cases above, in plain words. Matched by
# the start of PyYAML's wording, which has not changed in its history.
_PROBLEMS: tuple[tuple[str, str], ...] = (
    ("did not find expected key", "loader.expected-key"),
    ("did not find expected '-' indicator", "loader.expected-item"),
    ("expected <block end>", "loader.indent-mismatch"),
    ("found character that cannot start any token", "loader.cannot-start"),
    ("found unexpected end of stream", "loader.ends-in-value"),
    ("found unknown escape character", "loader.unknown-escape"),
    ("did not find expected ',' or ']'", "loader.list-not-closed"),
    ("did not find expected ',' or '}'", "loader.group-not-closed"),
)
# The problems whose sentence already says to write a `|` block.
_NAMES_A_BLOCK = frozenset({"loader.unknown-escape"})
# YAML ends a key that has gone on for 1024 characters without its colon.
_LONG_KEY = msg("loader.long-key")
_BLOCK_SIGN = re.compile(r"(?:^|[:-] +)[|>][-+1-9]{0,2} *(?:#.*)?$")


def _key_length(src: str, col: int) -> int:
    """Characters from the start of the key on line `src` to the colon at `col`."""
    start = len(src) - len(src.lstrip(" "))
    if src.startswith("- ", start):  # a list item's key begins after its dash
        start += 2
    return col - 1 - start


def _plain_problem(problem: str) -> Msg:
    """A parser problem as a sentence of our own, without the parser's English."""
    for start, key in _PROBLEMS:
        if problem.startswith(start):
            return msg(key)
    return msg("loader.invalid-here")


def _indentation(exc: yaml.MarkedYAMLError, lines: list[str], line: int) -> LoadError | None:
    """The parser's error explained as an indentation mistake, when it is one."""
    if any("\t" in src[: len(src) - len(src.lstrip())] for src in lines[:line]):
        return None  # a tab in the indent: the tab hint says it better
    from .indentation import explain  # only a file that does not parse needs it

    context = exc.context_mark.line + 1 if exc.context_mark else 0
    found = explain(lines, exc.problem or "", line, context)
    if found is None:
        return None
    return _fail(found.line, found.col, "yaml-syntax", found.message)


def _refused(value: str) -> int | None:
    """The first control character or noncharacter in `value`, as a code point."""
    for found in _CONTROL.finditer(value):
        code = ord(found.group())
        if code <= 0xFFFF or code & 0xFFFE == 0xFFFE:
            return code
    return None


def _scalar(ev: yaml.ScalarEvent) -> Any:
    """Resolve a scalar: plain true/false/null/decimal ints, everything else text."""
    value = ev.value
    if ev.tag not in (None, "!"):
        raise _tag_error(ev)
    code = _refused(value) if _CONTROL.search(value) else None
    if code is not None:
        shown = f"{code:04X}"
        what = (
            msg("loader.control-character-what", code=shown)
            if code <= 0x9F
            else msg("loader.noncharacter-what", code=shown)
        )
        how = (
            msg("loader.control-character-escaped")
            if ev.style == '"'
            else msg("loader.control-character-pasted")
        )
        raise _fail(
            *_pos(ev.start_mark),
            "control-character",
            msg("loader.control-character", what=what, how=how),
        )
    plain = ev.style in (None, "") and ev.implicit[0]
    if not plain:
        return value
    if value in _NULL:
        return None
    if value in ("true", "false"):
        return value == "true"
    if _INT.match(value):
        digits = value.lstrip("+-")
        if len(digits) > MAX_INT_DIGITS:
            return value  # stays text; the model says whether a number belongs here
        return int(value)
    return value


class _Frame:
    __slots__ = (
        "anchor",
        "first",
        "first_chars",
        "pending",
        "keys",
        "kind",
        "mark",
        "path",
        "value",
    )

    def __init__(
        self, kind: str, path: Path_, anchor: str | None, mark: Any, first: int, first_chars: int
    ):
        self.kind = kind
        self.value: Any = {} if kind == "map" else []
        self.path = path
        # The key waiting for its value, and the key's position.
        self.pending: tuple[str, tuple[int, int]] | None = None
        self.anchor = anchor
        self.mark = mark
        self.first = first  # node counter when the collection started
        self.first_chars = first_chars  # text counter when the collection started
        self.keys: dict[str, int] = {}  # key -> line, to report duplicates


def _pos(mark: Any) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


class _Composer:
    """Builds plain data and positions from PyYAML's events, one method per event kind."""

    def __init__(self, text: str):
        self.text = text
        self.out = Loaded(data=None, source=text)
        # name -> value, expanded node count, expanded characters of text
        self.anchors: dict[str, tuple[Any, int, int]] = {}
        self.stack: list[_Frame] = []
        self.nodes = 0  # values seen, aliases counted at their full expanded size
        self.chars = 0  # characters of text seen, aliases counted at their full expanded size
        self.documents = 0
        self.aliased = False  # whether an alias has been expanded: the caps' messages differ
        self.lines: list[str] | None = None  # split only when a warning needs a line
        self.handlers: dict[type, Any] = {
            yaml.DocumentStartEvent: self.document_start,
            yaml.MappingStartEvent: self.collection_start,
            yaml.SequenceStartEvent: self.collection_start,
            yaml.MappingEndEvent: self.collection_end,
            yaml.SequenceEndEvent: self.collection_end,
            yaml.ScalarEvent: self.scalar,
            yaml.AliasEvent: self.alias,
        }

    def compose(self) -> Loaded:
        """Feed every event of the text to its method; the other kinds carry nothing."""
        handlers = self.handlers
        for ev in yaml.parse(self.text, Loader=_Parser):
            handler = handlers.get(type(ev))
            if handler is not None:
                handler(ev)
        return self.out

    # -- bookkeeping ----------------------------------------------------------------

    def count(self, n: int, mark: Any, text_chars: int = 0) -> None:
        """Add values and text to the totals; over a cap is an error at `mark`."""
        self.nodes += n
        self.chars += text_chars
        if self.nodes <= MAX_NODES and self.chars <= MAX_TEXT:
            return
        if self.nodes > MAX_NODES:
            # Without an alias there is nothing to expand: the file itself is that large.
            key = "loader.too-many-values" if self.aliased else "loader.too-many-values-plain"
            raise _fail(*_pos(mark), "too-large", msg(key, max=MAX_NODES))
        if self.chars > MAX_TEXT:
            raise _fail(*_pos(mark), "too-large", msg("loader.too-much-text", max=MAX_TEXT // 1024))

    def child_path(self) -> Path_ | None:
        """Path of the value about to be placed; None when it is a mapping key."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.kind == "seq":
            return top.path + (len(top.value),)
        if top.pending is None:
            return None
        return top.path + (top.pending[0],)

    def place(self, value: Any, mark: Any) -> None:
        """Put a finished value where it belongs: root, list item, key or a key's value."""
        pos = _pos(mark)
        out = self.out
        if not self.stack:
            out.data = value
            out.positions[()] = pos
            return
        top = self.stack[-1]
        if top.kind == "seq":
            out.positions.setdefault(top.path + (len(top.value),), pos)
            top.value.append(value)
            return
        if top.pending is None:  # this value is a key
            self.key(top, value, pos)
            return
        key, key_pos = top.pending
        path = top.path + (key,)
        top.value[key] = value
        out.key_positions[path] = key_pos
        out.positions.setdefault(path, pos)
        top.pending = None

    def key(self, top: _Frame, value: Any, pos: tuple[int, int]) -> None:
        """Accept `value` as the next key of mapping `top`, or refuse it."""
        if value is None:
            raise _fail(*pos, "bad-key", msg("loader.null-key"))
        if isinstance(value, bool):
            raise _fail(*pos, "bad-key", msg("loader.bool-key", name=str(value).lower()))
        if isinstance(value, (list, dict)):  # an alias (`*navn`) of a list or group
            raise _fail(*pos, "bad-key", msg("loader.key-not-text"))
        key = str(value)
        if key in top.keys:
            raise _fail(
                *pos,
                "duplicate-key",
                msg("loader.duplicate-key", name=key, first=top.keys[key], second=pos[0]),
                format_path(top.path + (key,)),
            )
        if key == "<<":
            raise _fail(*pos, "yaml-merge", msg("loader.yaml-merge"))
        top.keys[key] = pos[0]
        top.pending = (key, pos)

    # -- one method per event kind --------------------------------------------------

    def document_start(self, ev: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise _fail(
                _pos(ev.start_mark)[0],
                1,
                "multiple-documents",
                msg("loader.multiple-documents"),
            )

    def collection_start(self, ev: yaml.CollectionStartEvent) -> None:
        if ev.tag not in (None, "!"):
            raise _tag_error(ev)
        if len(self.stack) >= MAX_DEPTH:
            raise _fail(*_pos(ev.start_mark), "too-deep", msg("loader.too-deep", max=MAX_DEPTH))
        path = self.child_path()
        if path is None:
            raise _fail(*_pos(ev.start_mark), "bad-key", msg("loader.key-not-text"))
        self.count(1, ev.start_mark)
        kind = "map" if isinstance(ev, yaml.MappingStartEvent) else "seq"
        self.stack.append(_Frame(kind, path, ev.anchor, ev.start_mark, self.nodes, self.chars))

    def collection_end(self, ev: yaml.CollectionEndEvent) -> None:
        frame = self.stack.pop()
        if frame.anchor:
            self.anchors[frame.anchor] = (
                frame.value,
                self.nodes - frame.first + 1,
                self.chars - frame.first_chars,
            )
        self.place(frame.value, frame.mark)

    def scalar(self, ev: yaml.ScalarEvent) -> None:
        value = _scalar(ev)
        start: Any = ev.start_mark
        end: Any = ev.end_mark
        self.count(1, start, len(ev.value))
        if not ev.style:  # plain: no style (None, or "" from some PyYAML versions)
            if end.line > start.line:
                self.folded_warning(ev)
            elif value is None and not ev.value:
                self.comment_warning(ev)
        if ev.anchor:
            self.anchors[ev.anchor] = (value, 1, len(ev.value))
        self.place(value, start)

    def alias(self, ev: yaml.AliasEvent) -> None:
        if ev.anchor not in self.anchors:
            raise _fail(
                *_pos(ev.start_mark),
                "yaml-alias",
                msg("loader.undefined-alias", anchor=ev.anchor),
            )
        # Values inside an alias take the alias's position (Loaded.where).
        value, size, size_chars = self.anchors[ev.anchor]
        self.aliased = True
        self.count(size, ev.start_mark, size_chars)
        self.place(value, ev.start_mark)

    # -- warnings -------------------------------------------------------------------

    def folded_warning(self, ev: yaml.ScalarEvent) -> None:
        """Plain text over several lines: YAML joins the lines into one."""
        path = self.child_path()
        top = self.stack[-1] if self.stack else None
        # The fix, `|` after the colon, is on the key's line: point there.
        line, col = top.pending[1] if top and top.pending else _pos(ev.start_mark)
        if len(_NUMBERED_ITEM.findall(ev.value)) > 1:
            key = f"{path[-1]}: |" if path and isinstance(path[-1], str) else "- |"
            message = msg("loader.folded-list", name=key)
        else:
            message = msg("loader.folded-text")
        self.out.warnings.append(
            Diagnostic(line, col, "warning", "folded-text", format_path(path or ()), message)
        )

    def comment_warning(self, ev: yaml.ScalarEvent) -> None:
        """An empty value followed by `#text` on its line: the user meant a value."""
        line_no, col = _pos(ev.start_mark)
        found = _COMMENT_VALUE.match(self.line(line_no - 1), col - 1)
        if not found:
            return
        path = self.child_path()
        if path is None:  # an empty key: refused as a key in place()
            return
        written = found.group(2).rstrip()
        if len(written) > 40:
            written = written[:39] + "…"
        quoted = f'"{written}"' if '"' not in written else "'" + written.replace("'", "''") + "'"
        if path and isinstance(path[-1], str):
            where, fix = msg("loader.comment-value-key", name=path[-1]), f"{path[-1]}: {quoted}"
        else:
            where, fix = msg("loader.comment-value-item"), f"- {quoted}"
        # `why` is a sentence of its own: a "missing" error for the same value repeats it.
        why = msg("loader.comment-value-why", written=written, fix=fix)
        self.out.warnings.append(
            Diagnostic(
                line_no,
                found.start(2) + 1,
                "warning",
                "comment-value",
                format_path(path),
                msg("loader.comment-value", where=where, why=why),
            )
        )

    def line(self, index: int) -> str:
        """Line `index` (0-based) of the text, split the way YAML counts lines."""
        if self.lines is None:
            self.lines = _LINE_BREAK.split(self.text)
        return self.lines[index] if index < len(self.lines) else ""


def _tag_error(ev: Any) -> LoadError:
    return _fail(
        *_pos(ev.start_mark),
        "yaml-tag",
        msg("loader.yaml-tag", tag=ev.tag),
    )


def load_text(text: str) -> Loaded:
    """Parse YAML text into plain data and positions, or raise LoadError."""
    try:
        return _Composer(text).compose()
    except LoadError:
        raise
    except yaml.MarkedYAMLError as exc:
        raise _syntax_error(exc, text) from None
    except yaml.reader.ReaderError as exc:  # a character YAML does not allow in a file
        line, col = _offset_position(text, exc.position)
        raise _fail(
            line,
            col,
            "control-character",
            msg("loader.control-character-in-file", code=f"{exc.character:04X}"),
        ) from None
    except yaml.YAMLError as exc:  # pragma: no cover - every error above has a mark
        detail = " ".join(str(exc).split())
        raise _fail(1, 1, "yaml-syntax", msg("loader.invalid", detail=detail)) from None


def _offset_position(text: str, offset: int) -> tuple[int, int]:
    """Line and column (1-based) of a UTF-8 byte offset into `text`."""
    before = text.encode("utf-8")[:offset].decode("utf-8", "replace")
    return before.count("\n") + 1, len(before) - (before.rfind("\n") + 1) + 1


def load_file(path: Path) -> Loaded:
    """Read and parse a report file (size-capped, UTF-8)."""
    with path.open("rb") as fh:
        raw = fh.read(MAX_BYTES + 1)
        size = None
        if len(raw) > MAX_BYTES:
            info = os.fstat(fh.fileno())
            # A pipe or device has no size to tell: the message then says «over».
            size = info.st_size if stat.S_ISREG(info.st_mode) else None
    return load_text(decode(raw, size))
