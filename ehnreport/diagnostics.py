"""Pydantic's validation errors as diagnostics: a position, a path and a plain sentence.

Messages are chosen by the error's *type* (its stable identifier), never by parsing
Pydantic's English wording.
"""

from __future__ import annotations

import functools
import re
import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from .errors import Diagnostic
from .loader import Loaded, format_path
from .messages import Msg, Texts, join, msg
from .model.base import InvalidValue
from .model.factory import field_texts

# Bounds on the work one suggestion may cost: difflib is quadratic in the length of
# the word and linear in the number of choices, and both come from the report.
SUGGEST_MAX_WORD = 100
SUGGEST_MAX_CHOICES = 200
SUGGESTIONS = 100  # at most this many suggestions per file


# A number written in groups of digits: "1 180 000 000" (space, no-break or thin space)
# or "1.180.000.000". Dots only in groups of three, so that "1.5" is not read as 15.
_GROUPED = re.compile(r"[-+]?\d+(?:[ \u00a0\u2009\u202f]+\d+)+\Z|[-+]?\d{1,3}(?:\.\d{3})+\Z")
_GROUP_SEPARATORS = re.compile(r"[ .\u00a0\u2009\u202f]")


def suggestion(word: str, choices: typing.Iterable[str]) -> Msg | None:
    """«Mente du «x»?» for the closest choice (any letter case), or None."""
    import difflib  # only needed when there is something to suggest

    choices = list(choices)
    if len(word) > SUGGEST_MAX_WORD or len(choices) > SUGGEST_MAX_CHOICES:
        return None
    lowered = {c.casefold(): c for c in choices}
    match = difflib.get_close_matches(word.casefold(), list(lowered), n=1, cutoff=0.6)
    return msg("fields.did-you-mean", word=lowered[match[0]]) if match else None


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """« Mente du «x»?» in the chosen language, for a sentence still made as text."""
    found = suggestion(word, choices)
    return f" {found.text()}" if found is not None else ""


def _unwrap(tp: Any) -> Any:
    """The model or list type inside Optional[...]."""
    # The models (model/factory.py) have no other union than `X | None`, and `Annotated`
    # only around scalars, where model_at gives None either way (a test checks both).
    if typing.get_origin(tp) in (typing.Union, types.UnionType):
        return next(a for a in typing.get_args(tp) if a is not type(None))
    return tp


def _model_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
    """The model class that holds the value at `loc`, walking field annotations."""
    tp: Any = root
    for part in loc:
        tp = _unwrap(tp)
        if isinstance(part, int):
            if typing.get_origin(tp) is list:
                tp = typing.get_args(tp)[0]
                continue
            return None
        if isinstance(tp, type) and issubclass(tp, BaseModel) and part in tp.model_fields:
            tp = tp.model_fields[part].annotation
            continue
        return None
    tp = _unwrap(tp)
    return tp if isinstance(tp, type) and issubclass(tp, BaseModel) else None


# A report with many errors asks for the same few. Cached by a call, not a decorator, so
# that mutation testing (docs/mutation.md) reaches the function.
model_at = functools.lru_cache(maxsize=1024)(_model_at)


def _kind(value: Any) -> Msg:
    """What a value is, in words; an empty value never gets here (it is «missing»)."""
    if isinstance(value, bool):
        return msg("fields.kind-bool")
    if isinstance(value, int):
        return msg("fields.kind-number")
    if isinstance(value, str):
        return msg("fields.kind-text")
    if isinstance(value, list):
        return msg("fields.kind-list")
    return msg("fields.kind-group")  # the loader reads no other kind of value


def _show(value: Any, limit: int = 60) -> str:
    """A value as the user wrote it, cut short when long."""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    text = text.replace("\n", " ").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field_title(root: type[BaseModel], loc: tuple[str | int, ...]) -> Texts | str:
    """The form's label of the field at `loc`, in every language (the message's is shown)."""
    if not loc or not isinstance(loc[-1], str):
        return ""
    parent = model_at(root, loc[:-1])
    if parent and loc[-1] in parent.model_fields:
        texts = field_texts(parent, loc[-1])
        return texts if texts is not None else parent.model_fields[loc[-1]].title or ""
    return ""


def _titled(key: str, field: str | int, title: Texts | str) -> Msg:
    """`fields.<key>` about `field`, with its label when it has one."""
    if title:
        return msg(f"fields.{key}-titled", name=str(field), title=title)
    return msg(f"fields.{key}", name=str(field))


def _yes_no(err: ErrorDetails, value: Any, suggest: bool) -> Msg:
    """«skriv Ja eller Nei», with the words of the report's language the validator gave."""
    ctx = err.get("ctx") or {}
    words = ctx.get("words")
    m = msg(
        "fields.yes-or-no", yes=ctx.get("yes", "Ja"), no=ctx.get("no", "Nei"), value=_show(value)
    )
    if suggest and isinstance(value, str) and isinstance(words, (list, tuple)):
        return m.plus(suggestion(value.strip(), words))
    return m


_QUOTED = re.compile(r"'([^']+)'|\"([^\"]+)\"")


def _message(err: ErrorDetails, root: type[BaseModel], suggest: bool = True) -> tuple[str, Msg]:
    """(code, message) for one Pydantic error, by its type; `suggest` allows «Mente du»."""
    etype: str = err["type"]
    loc = tuple(err["loc"])
    value = err.get("input")
    ctx = err.get("ctx") or {}
    key = loc[-1] if loc else ""

    if etype == "extra_forbidden":
        parent = model_at(root, loc[:-1])
        allowed = list(parent.model_fields) if parent else []
        hint = suggestion(str(key), allowed) if suggest else None
        name = str(key) if len(str(key)) <= 100 else str(key)[:99] + "…"
        m = msg("fields.unknown-key", name=name)
        if allowed and hint is None:
            return "unknown-key", m.plus(msg("fields.allowed-keys", keys=join(allowed)))
        return "unknown-key", m.plus(hint)
    if etype == "missing":
        return "missing", _titled("missing", key, _field_title(root, loc))
    if value is None and etype.endswith("_type"):
        return "missing", _titled("empty", key, _field_title(root, loc))
    if etype == "string_type":
        m = msg("fields.not-text", kind=_kind(value))
        if isinstance(value, (int, bool)):
            m = m.plus(msg("fields.quote-as-text", value=_show(value)))
        elif isinstance(value, (dict, list)):
            m = m.plus(msg("fields.multiline-text"))
        return "wrong-type", m
    if etype == "int_type":
        hint = None
        digits = value.lstrip("+-") if isinstance(value, str) else ""
        if digits.isdigit() and len(digits) > 18:
            return "wrong-type", msg("fields.number-too-big", value=_show(value))
        if digits.isdigit() and len(digits) > 1 and digits.startswith("0"):
            hint = msg("fields.leading-zero")
        elif digits.isdigit():
            hint = msg("fields.number-in-quotes")
        elif isinstance(value, str) and _GROUPED.match(value.strip()):
            plain = _GROUP_SEPARATORS.sub("", value.strip())
            if len(plain) <= 19:  # a sign and 18 digits: print it as the number it is
                plain = str(int(plain))
            hint = msg("fields.grouped-number", plain=plain)
        m = msg("fields.not-whole-number", kind=_kind(value), value=_show(value))
        return "wrong-type", m.plus(hint)
    if etype == "greater_than_equal":
        return "negative", msg("fields.negative", value=_show(value))
    if etype == "bool_type":
        return "wrong-type", _yes_no(err, value, suggest)
    if etype == "literal_error":
        # Pydantic writes the allowed values as Python does: "'nb', 'nn' or 'en'", and
        # a value with an apostrophe in double quotes.
        expected = [a or b for a, b in _QUOTED.findall(str(ctx.get("expected", "")))]
        m = msg("fields.not-allowed", value=_show(value), allowed=join(expected))
        return "not-allowed", m.plus(suggestion(str(value), expected) if suggest else None)
    if etype == "model_type":
        return "wrong-type", msg("fields.not-a-group", kind=_kind(value))
    if etype == "list_type":
        return "wrong-type", msg("fields.not-a-list", kind=_kind(value))
    if etype == "string_too_short":
        return "missing", msg("fields.cannot-be-empty")
    if etype == "string_too_long":
        return "too-long", msg("fields.too-long", limit=ctx.get("max_length"))
    if etype == "too_long":
        return "too-many", msg("fields.too-many", limit=ctx.get("max_length"))
    if etype in ("date_from_datetime_parsing", "date_type"):
        return "wrong-type", msg("fields.not-a-date", value=_show(value))
    if etype == "value_error" and "error" in ctx:
        error = ctx["error"]
        if isinstance(error, InvalidValue):
            return "invalid-value", error.msg
        return "invalid-value", msg("fields.verbatim", text=str(error))
    return "invalid-value", msg("fields.invalid", value=_show(value))


_BLOCK_END = re.compile(r":\s*([|>])[-+1-9]{0,2}\s*(?:#.*)?\Z")


class _EmptyBlocks:
    """Hints for unknown keys that follow an empty `|` block: they are the block's text.

    Lines and key orders are worked out once per file and per group, as one line may
    hold thousands of unknown keys.
    """

    def __init__(self, loaded: Loaded):
        self.loaded = loaded
        self.lines: list[str] | None = None
        self.before: dict[tuple[str | int, ...], dict[str, str]] = {}

    def hint(self, loc: tuple[str | int, ...], line: int) -> Msg | None:
        parent_loc = loc[:-1]
        if parent_loc not in self.before:
            self.before[parent_loc] = self._previous_keys(parent_loc)
        before = self.before[parent_loc].get(str(loc[-1]))
        if before is None:
            return None
        at = self.loaded.key_positions.get(parent_loc + (before,))
        if self.lines is None:
            self.lines = self.loaded.source.splitlines()
        if at is None or not at[0] < line <= len(self.lines):
            return None
        sign = _BLOCK_END.search(self.lines[at[0] - 1])
        if sign is None:
            return None
        return msg("fields.block-text", name=before, sign=sign.group(1), line=at[0])

    def _previous_keys(self, parent_loc: tuple[str | int, ...]) -> dict[str, str]:
        """key -> the key before it, where that one holds an empty text."""
        parent: Any = self.loaded.data
        for part in parent_loc:
            try:
                parent = parent[part]
            except (KeyError, IndexError, TypeError):
                return {}
        if not isinstance(parent, dict):
            return {}
        keys = list(parent)
        return {k: p for p, k in zip(keys, keys[1:], strict=False) if parent[p] == ""}


def _why(warning: Diagnostic) -> Msg | None:
    """Why a value YAML read as a comment is empty: the loader's `why`, as its own sentence."""
    why = warning.message.param("why")
    return why if isinstance(why, Msg) else None


def from_validation_error(
    exc: ValidationError, loaded: Loaded, root: type[BaseModel], file: str
) -> list[Diagnostic]:
    """One diagnostic per location, in file order."""
    seen: set[str] = set()
    out: list[Diagnostic] = []
    # Why a value is empty when YAML read it as a comment: said with the error, since a
    # report with errors shows no warnings.
    commented = {w.path: _why(w) for w in loaded.warnings if w.code == "comment-value"}
    blocks = _EmptyBlocks(loaded)
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path = format_path(loc)
        if path in seen:
            continue
        seen.add(path)
        code, message = _message(err, root, suggest=len(out) < SUGGESTIONS)
        if path in commented and err.get("input", "") is None:
            message = message.plus(commented[path])
        if err["type"] == "extra_forbidden":
            line, col = loaded.where(loc, key=True)
            message = message.plus(blocks.hint(loc, line))
        elif err["type"] == "missing":
            line, col = loaded.where(loc[:-1])
        else:
            line, col = loaded.where(loc)
        out.append(Diagnostic(line, col, "error", code, path, message, file))
    return sorted(out)
