"""What the form says, as import, next-year and diff need it: one place that reads the form.

Every label the importer looks for, every code, key and kind, and which answers are
the year's figures, comes from here. Today it reads `ehnreport.form`; when the form
is data per edition (`ehnreport.forms.load_edition`), only this module changes. The
names follow that edition record: `id`, `code`, `key`, `kind`, `yearly` ("keep" or
"clear"); until then a question's id is its printed code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .. import form

EDITIONS = form.FORM_EDITIONS
LATEST = form.FORM_EDITIONS[-1]
GOAL_STATUSES = form.GOAL_STATUSES
KNOWN_THEMES = form.KNOWN_THEMES
TABLE_COLUMNS = form.TABLE_COLUMNS
CARD_FIELDS = form.CARD_FIELDS  # key -> printed label; the last two share a label
SUBHEADINGS = form.SUBHEADINGS
INSTRUCTIONS = form.INSTRUCTIONS

# Headings the report prints around the parts outside the steps. The portal and
# ehnreport's templates print the same words.
FOREWORD = form.LABELS["foreword.text"].label
KEY_INFO = "Nøkkelinformasjon om virksomheten og leverandørkjeden"
KEY_INFO_SUB = "Nøkkelinformasjon om virksomheten"
PROCUREMENT = "Informasjon om anskaffelser/avtaler"
GOALS = "Mål og fremdrift"
BACK = "Kontaktinformasjon:"
GOAL_TEXT = form.LABELS["goal.text"].label
GOAL_STATUS = form.LABELS["goal.status"].label
GOALS_CURRENT = form.LABELS["goals.current"].label
GOALS_NEXT = form.LABELS["goals.next_year"].label
# ehnreport prints the 4.A.2 counts as small tables with this header row.
COUNTS_HEADER = ("Antall leverandører", "Tema")
EHN_ADDRESS = "etiskhandel.no"

KEY_INFO_FIELDS = ("name", "address", "employees", "contact", "email", "structure")
PROCUREMENT_FIELDS = ("total_value", "active_agreements", "followed_up_agreements")
NUMBER_FIELDS = {"key_info.employees", "procurement.total_value"} | {
    f"procurement.{k}" for k in PROCUREMENT_FIELDS
}


def label(dotted: str) -> str:
    """The printed label of a field outside the steps, such as 'key_info.address'."""
    return form.LABELS[dotted].label


@dataclass(frozen=True)
class QuestionView:
    """One question as import, next-year and diff see it."""

    id: str  # stable across editions; today the printed code
    code: str  # "2.A.3"
    label: str
    step: str  # "step2"
    key: str  # "a3"
    kind: str  # text, url, table, cards, counts
    yearly: str  # "clear": a figure of the year, cleared by next-year; else "keep"


@dataclass(frozen=True)
class SectionView:
    code: str
    title: str
    questions: tuple[QuestionView, ...]


@dataclass(frozen=True)
class StepView:
    number: int
    key: str
    title: str
    kicker: str
    sections: tuple[SectionView, ...]

    @property
    def questions(self) -> tuple[QuestionView, ...]:
        return tuple(q for s in self.sections for q in s.questions)


# The year's figures: counts, deviations and cases of the reporting year. The text
# answers describe ways of working and carry over as a starting point.
_YEARLY_QUESTIONS = {"4.A.2", "4.A.3", "6.A.2"}
YEARLY_FIELDS = (
    "procurement.total_value",
    "procurement.active_agreements",
    "procurement.followed_up_agreements",
)


def steps(edition: str = LATEST) -> tuple[StepView, ...]:
    """The steps, sections and questions of `edition`, in the printed order."""
    if edition not in EDITIONS:
        raise KeyError(edition)
    return tuple(
        StepView(
            s.number,
            s.key,
            s.title,
            s.kicker,
            tuple(
                SectionView(
                    sec.code,
                    sec.title,
                    tuple(
                        QuestionView(
                            q.code,
                            q.code,
                            q.label,
                            s.key,
                            q.key,
                            q.kind,
                            "clear" if q.code in _YEARLY_QUESTIONS else "keep",
                        )
                        for q in sec.questions
                    ),
                )
                for sec in s.sections
            ),
        )
        for s in form.STEPS
    )


def questions(edition: str = LATEST) -> tuple[QuestionView, ...]:
    """Every question of `edition`, in the printed order."""
    return tuple(q for s in steps(edition) for q in s.questions)


def question_by_id(edition: str = LATEST) -> dict[str, QuestionView]:
    """The questions of `edition` by their stable id."""
    return {q.id: q for q in questions(edition)}


def printed_steps() -> tuple[form.Step, ...]:
    """The form's own step records, for the YAML writer that lays a report out as `init`."""
    return form.STEPS


def help_text(dotted: str) -> str:
    """The help text of a field outside the steps."""
    return form.LABELS[dotted].help


def edition_for_year(year: int) -> str:
    """The newest bundled edition for reports on `year` (today one edition serves all)."""
    return LATEST


def report_errors(data: Any) -> int:
    """How many errors the report model finds in `data` (0: a valid report)."""
    from pydantic import ValidationError

    from ..model import Report

    try:
        Report.model_validate(data)
    except ValidationError as exc:
        return exc.error_count()
    return 0
