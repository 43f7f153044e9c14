"""Which questions are answered: a warning per empty question, a count per step.

Which questions count is the edition's `complete` flag; how emptiness is judged
depends on the question's kind (HANDLERS, one per kind, checked by a test).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from .errors import Diagnostic
from .forms import Edition, Question
from .loader import Loaded, format_path
from .messages import Msg, Texts, msg
from .model import edition_of
from .model.base import is_answered
from .model.factory import label_texts


def short(label: str, limit: int) -> str:
    """A long label cut at a word boundary, for one-line messages."""
    if len(label) <= limit:
        return label
    cut = label.rfind(" ", 0, limit)
    return label[: cut if cut > 0 else limit].rstrip(",.;:") + " …"  # one long word: cut it


# Diagnostic codes of this module: warnings about what is left to write.
COMPLETENESS_CODES = frozenset({"unanswered", "empty-card"})


@dataclass(frozen=True)
class StepCount:
    number: int
    answered: int
    total: int


# A problem found in one answer: (path inside the answer, code, message).
Gap = tuple[tuple[str | int, ...], str, Msg]


def _label(e: Edition, texts: dict[str, str] | None, limit: int = 90) -> Texts:
    """A form label in every language (the message's is shown), cut short when long."""
    return Texts(*(short(t, limit) for t in label_texts(e, texts)))


def _whole(e: Edition, q: Question, value: Any) -> Iterator[Gap]:
    """The answer is empty: the question is unanswered."""
    if not is_answered(value):
        label = _label(e, q.label)
        if q.code:
            yield (), "unanswered", msg("checks.unanswered-code", code=q.code, label=label)
        else:
            yield (), "unanswered", msg("checks.unanswered", label=label)


def _cards(e: Edition, q: Question, value: Any) -> Iterator[Gap]:
    """No cards is an unanswered question; an empty card, or an empty field, is warned."""
    yield from _whole(e, q, value)
    assert q.table is not None and q.table.match_field is not None  # the edition checks both
    t = q.table
    match_field = q.table.match_field
    fields = [c for c in t.columns if c.complete and c.key != match_field]
    for i, card in enumerate(value):
        name = getattr(card, match_field, "")
        empty = [c for c in fields if not is_answered(getattr(card, c.key))]
        if len(empty) == len(fields):
            yield (i,), "empty-card", msg("checks.empty-card", code=q.code, name=name)
            continue
        for c in empty:
            yield (
                (i, c.key),
                "unanswered",
                msg(
                    "checks.card-field-unanswered",
                    code=q.code,
                    name=name,
                    label=_label(e, c.label, 60),
                ),
            )


Handler = Callable[[Edition, Question, Any], Iterator[Gap]]

# How each kind of question is judged unanswered.
HANDLERS: dict[str, Handler] = {
    "text": _whole,
    "line": _whole,
    "url": _whole,
    "email": _whole,
    "count": _whole,
    "year": _whole,
    "edition": _whole,
    "language": _whole,
    "colour": _whole,
    "date": _whole,
    "file": _whole,
    "list": _whole,
    "goals": _whole,
    "table": _whole,
    "cards": _cards,
}


def _value(report: Any, path: tuple[str, ...]) -> Any:
    obj = report
    for part in path:
        obj = getattr(obj, part)
    return obj


def completeness(
    report: Any, loaded: Loaded, file: str
) -> tuple[list[Diagnostic], list[StepCount]]:
    edition = edition_of(report)
    diags: list[Diagnostic] = []

    def check(path: tuple[str, ...], q: Question) -> bool:
        """Warn about what `q` lacks; whether it is fully answered."""
        gaps = list(HANDLERS[q.kind](edition, q, _value(report, path)))
        for sub, code, message in gaps:
            where = (*path, *sub)
            line, col = loaded.where(where, key=True)  # the key, or the group it belongs in
            diags.append(Diagnostic(line, col, "warning", code, format_path(where), message, file))
        return not gaps

    for part in edition.parts:
        for q in part.questions:
            if q.complete:
                check((part.key, q.key), q)
    counts: list[StepCount] = []
    for step in edition.steps:
        counted = [q for q in step.questions if q.complete]
        answered = sum(check(("steps", step.key, q.key), q) for q in counted)
        counts.append(StepCount(step.number, answered, len(counted)))
    return diags, counts
