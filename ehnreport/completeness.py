"""Which questions are answered: a warning per empty question, a count per step."""

from __future__ import annotations

from dataclasses import dataclass

from .errors import Diagnostic
from .form import LABELS, STEPS
from .loader import Loaded, format_path
from .model import Report
from .model.base import is_answered

# Labelled fields outside the steps that the form asks every member to fill in.
REQUIRED_PARTS = (
    "foreword.text",
    "key_info.name",
    "key_info.address",
    "key_info.employees",
    "key_info.contact",
    "key_info.email",
    "key_info.structure",
    "procurement.total_value",
    "procurement.active_agreements",
    "procurement.followed_up_agreements",
)


def short(label: str, limit: int = 90) -> str:
    """A long label cut at a word boundary, for one-line messages."""
    if len(label) <= limit:
        return label
    return label[: label.rfind(" ", 0, limit)].rstrip(",.;:") + " …"


# Diagnostic codes of this module: warnings about what is left to write.
COMPLETENESS_CODES = frozenset({"unanswered", "empty-card"})


@dataclass(frozen=True)
class StepCount:
    number: int
    answered: int
    total: int


def _value(report: Report, dotted: str) -> object:
    obj: object = report
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def completeness(
    report: Report, loaded: Loaded, file: str
) -> tuple[list[Diagnostic], list[StepCount]]:
    diags: list[Diagnostic] = []
    counts: list[StepCount] = []

    def warn(path: tuple[str | int, ...], code: str, message: str) -> None:
        line, col = loaded.where(path, key=True)  # the key, or the group it belongs in
        diags.append(Diagnostic(line, col, "warning", code, format_path(path), message, file))

    for dotted in REQUIRED_PARTS:
        if not is_answered(_value(report, dotted)):
            warn(
                tuple(dotted.split(".")),
                "unanswered",
                f"ikke besvart: «{short(LABELS[dotted].label)}».",
            )
    for part in ("current", "next_year"):
        if not getattr(report.goals, part):
            label = LABELS[f"goals.{part}"].label
            warn(("goals", part), "unanswered", f"ikke besvart: «{label}».")

    for step in STEPS:
        model = getattr(report.steps, step.key)
        answered = 0
        for q in step.questions:
            path = ("steps", step.key, q.key)
            value = getattr(model, q.key)
            if is_answered(value):
                answered += 1
            else:
                warn(path, "unanswered", f"{q.code} er ikke besvart: «{short(q.label)}».")
        if step.key == "step3":
            for i, card in enumerate(model.a1):
                fields = [f for f in type(card).model_fields if f != "risk"]
                if not any(is_answered(getattr(card, f)) for f in fields):
                    warn(
                        ("steps", "step3", "a1", i),
                        "empty-card",
                        f"3.A.1 kortet «{card.risk}» har ingen utfylte felt.",
                    )
        counts.append(StepCount(step.number, answered, len(step.questions)))
    return diags, counts
