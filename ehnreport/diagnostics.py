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

# Bounds on the work one suggestion may cost: difflib is quadratic in the length of
# the word and linear in the number of choices, and both come from the report.
SUGGEST_MAX_WORD = 100
SUGGEST_MAX_CHOICES = 200
SUGGESTIONS = 100  # at most this many suggestions per file


# A number written in groups of digits: "1 180 000 000" (space, no-break or thin space)
# or "1.180.000.000". Dots only in groups of three, so that "1.5" is not read as 15.
_GROUPED = re.compile(r"[-+]?\d+(?:[ \u00a0\u2009\u202f]+\d+)+\Z|[-+]?\d{1,3}(?:\.\d{3})+\Z")
_GROUP_SEPARATORS = re.compile(r"[ .\u00a0\u2009\u202f]")


def did_you_mean(word: str, choices: typing.Iterable[str]) -> str:
    """« Mente du «x»?» for the closest choice, or an empty string."""
    import difflib  # only needed when there is something to suggest

    choices = list(choices)
    if len(word) > SUGGEST_MAX_WORD or len(choices) > SUGGEST_MAX_CHOICES:
        return ""
    lowered = {c.casefold(): c for c in choices}
    match = difflib.get_close_matches(word.casefold(), list(lowered), n=1, cutoff=0.6)
    return f" Mente du «{lowered[match[0]]}»?" if match else ""


def _unwrap(tp: Any) -> Any:
    """The model or list type inside Optional[...] and Annotated[...]."""
    while True:
        origin = typing.get_origin(tp)
        if origin is typing.Annotated:
            tp = typing.get_args(tp)[0]
        elif origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            tp = args[0] if len(args) == 1 else tp
            if len(args) != 1:
                return tp
        else:
            return tp


@functools.lru_cache(maxsize=1024)  # a report with many errors asks for the same few
def model_at(root: type[BaseModel], loc: tuple[str | int, ...]) -> type[BaseModel] | None:
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


def _kind(value: Any) -> str:
    if value is None:
        return "tom"
    if isinstance(value, bool):
        return "en sannhetsverdi (true/false)"
    if isinstance(value, int):
        return "et tall"
    if isinstance(value, str):
        return "en tekst"
    if isinstance(value, list):
        return "en liste"
    if isinstance(value, dict):
        return "en gruppe med nøkler"
    return type(value).__name__


def _show(value: Any, limit: int = 60) -> str:
    """A value as the user wrote it, cut short when long."""
    text = str(value).lower() if isinstance(value, bool) else str(value)
    text = text.replace("\n", " ").strip()
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _field_title(root: type[BaseModel], loc: tuple[str | int, ...]) -> str:
    if not loc or not isinstance(loc[-1], str):
        return ""
    parent = model_at(root, loc[:-1])
    if parent and loc[-1] in parent.model_fields:
        return parent.model_fields[loc[-1]].title or ""
    return ""


def _message(err: ErrorDetails, root: type[BaseModel], suggest: bool = True) -> tuple[str, str]:
    """(code, sentence) for one Pydantic error, by its type; `suggest` allows «Mente du»."""
    etype: str = err["type"]
    loc = tuple(err["loc"])
    value = err.get("input")
    ctx = err.get("ctx") or {}
    key = loc[-1] if loc else ""

    if etype == "extra_forbidden":
        parent = model_at(root, loc[:-1])
        allowed = list(parent.model_fields) if parent else []
        hint = did_you_mean(str(key), allowed) if suggest else ""
        name = str(key) if len(str(key)) <= 100 else str(key)[:99] + "…"
        msg = f"ukjent nøkkel «{name}».{hint}"
        if allowed and not hint:
            msg += f" Tillatte nøkler her: {', '.join(allowed)}."
        return "unknown-key", msg
    if etype == "missing":
        title = _field_title(root, loc)
        what = f" ({title})" if title else ""
        return "missing", f"«{key}»{what} mangler og må fylles ut."
    if value is None and etype.endswith("_type"):
        title = _field_title(root, loc)
        what = f" ({title})" if title else ""
        return "missing", f"«{key}»{what} er tom og må fylles ut."
    if etype == "string_type":
        hint = ""
        if isinstance(value, (int, bool)):
            hint = f' Skal det stå som tekst, sett det i anførselstegn: "{_show(value)}".'
        elif isinstance(value, (dict, list)):
            hint = " Fri tekst over flere linjer skrives som en `|`-blokk med innrykk."
        return "wrong-type", f"her skal det stå tekst, men det står {_kind(value)}.{hint}"
    if etype in ("int_type", "int_parsing", "int_from_float"):
        hint = ""
        digits = value.lstrip("+-") if isinstance(value, str) else ""
        if digits.isdigit() and len(digits) > 18:
            return "wrong-type", f"tallet «{_show(value)}» er for stort."
        if digits.isdigit() and len(digits) > 1 and digits.startswith("0"):
            hint = " Et tall kan ikke begynne med 0; fjern nullen foran."
        elif digits.isdigit():
            hint = " Skriv tallet uten anførselstegn."
        elif isinstance(value, str) and _GROUPED.match(value.strip()):
            plain = _GROUP_SEPARATORS.sub("", value.strip())
            if len(plain) <= 19:  # a sign and 18 digits: print it as the number it is
                plain = str(int(plain))
            hint = f" Skriv {plain}, uten mellomrom eller punktum."
        return (
            "wrong-type",
            f"her skal det stå et helt tall, men det står {_kind(value)} «{_show(value)}».{hint}",
        )
    if etype in ("greater_than_equal", "greater_than"):
        return "negative", f"kan ikke være negativt (står {_show(value)})."
    if etype == "bool_type":
        return "wrong-type", f"skriv Ja eller Nei (står «{_show(value)}»)."
    if etype == "literal_error":
        expected = [
            e.strip().strip("'")
            for e in str(ctx.get("expected", "")).replace(" or ", ", ").split(",")
        ]
        expected = [e for e in expected if e]
        return (
            "not-allowed",
            f"«{_show(value)}» er ikke tillatt her. Velg en av: {', '.join(expected)}."
            f"{did_you_mean(str(value), expected) if suggest else ''}",
        )
    if etype in ("model_type", "dict_type", "model_attributes_type"):
        return (
            "wrong-type",
            f"her skal det stå en gruppe med nøkler (nøkkel: verdi på egne linjer med innrykk), "
            f"men det står {_kind(value)}.",
        )
    if etype == "list_type":
        return (
            "wrong-type",
            "her skal det stå en liste (linjer som begynner med «- »), "
            f"men det står {_kind(value)}.",
        )
    if etype in ("string_too_short", "too_short"):
        return "missing", "kan ikke være tom."
    if etype == "string_too_long":
        return "too-long", f"er for lang; største lengde er {ctx.get('max_length')} tegn."
    if etype == "too_long":
        return (
            "too-many",
            f"har for mange elementer; høyst {ctx.get('max_length')} er tillatt i én rapport.",
        )
    if etype in ("date_from_datetime_parsing", "date_parsing", "date_type"):
        return "wrong-type", f"«{_show(value)}» er ikke en dato på formen ÅÅÅÅ-MM-DD."
    if etype == "value_error" and "error" in ctx:
        return "invalid-value", str(ctx["error"])
    return "invalid-value", f"ugyldig verdi «{_show(value)}»."


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

    def hint(self, loc: tuple[str | int, ...], line: int) -> str:
        parent_loc = loc[:-1]
        if parent_loc not in self.before:
            self.before[parent_loc] = self._previous_keys(parent_loc)
        before = self.before[parent_loc].get(str(loc[-1]))
        if before is None:
            return ""
        at = self.loaded.key_positions.get(parent_loc + (before,))
        if self.lines is None:
            self.lines = self.loaded.source.splitlines()
        if at is None or not at[0] < line <= len(self.lines):
            return ""
        sign = _BLOCK_END.search(self.lines[at[0] - 1])
        if sign is None:
            return ""
        return (
            f" Er linjen teksten under «{before}: {sign.group(1)}» på linje {at[0]}, må den ha "
            f"mer innrykk enn «{before}»."
        )

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


def from_validation_error(
    exc: ValidationError, loaded: Loaded, root: type[BaseModel], file: str
) -> list[Diagnostic]:
    """One diagnostic per location, in file order."""
    seen: set[str] = set()
    out: list[Diagnostic] = []
    # Why a value is empty when YAML read it as a comment: said with the error, since a
    # report with errors shows no warnings.
    commented = {
        w.path: w.text().partition(": ")[2] for w in loaded.warnings if w.code == "comment-value"
    }
    blocks = _EmptyBlocks(loaded)
    for err in exc.errors(include_url=False):
        loc = tuple(err["loc"])
        path = format_path(loc)
        if path in seen:
            continue
        seen.add(path)
        code, message = _message(err, root, suggest=len(out) < SUGGESTIONS)
        if path in commented and err.get("input", "") is None:
            message += " " + commented[path][:1].upper() + commented[path][1:]
        if err["type"] == "extra_forbidden":
            line, col = loaded.where(loc, key=True)
            message += blocks.hint(loc, line)
        elif err["type"] == "missing":
            line, col = loaded.where(loc[:-1])
        else:
            line, col = loaded.where(loc)
        out.append(Diagnostic(line, col, "error", code, path, message, file))
    return sorted(out)
