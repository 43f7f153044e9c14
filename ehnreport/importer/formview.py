"""What the form says, as import, next-year and diff need it, read from the edition's data.

Labels, codes, keys, kinds, table columns, status words, themes and yearly flags all
come from `ehnreport.forms.load_edition`; this module only puts them in the shape the
readers look for (the text in the edition's first language, questions with their key
path) and keeps the few words the templates print outside the edition.
"""

from __future__ import annotations

from typing import Any, NamedTuple

from ..errors import InputFileError
from ..forms import Column, Edition, Part, Question, Table, known_editions, load_edition
from ..messages import msg
from ..validate import printable

# Headings the report templates print around the parts, and that the edition does not
# hold (the portal prints the same words).
KEY_INFO_SUB = "Nøkkelinformasjon om virksomheten"
BACK = "Kontaktinformasjon:"
EHN_ADDRESS = "etiskhandel.no"


def edition(edition_id: str) -> Edition:
    """The edition with this id, or InputFileError naming the known ones."""
    try:
        return load_edition(edition_id)
    except KeyError:
        known = ", ".join(known_editions())
        raise InputFileError(
            msg("importer.unknown-edition", form=printable(edition_id), known=known)
        ) from None


def edition_for_year(year: int, sector: str = "public") -> str:
    """The newest known edition made for `year` or earlier, in `sector`.

    A report on a year before every edition gets the oldest one.
    """
    editions = [load_edition(i) for i in known_editions()]
    fitting = [e for e in editions if e.sector == sector] or editions
    earlier = [e for e in fitting if e.year <= year]
    if not earlier:
        return min(fitting, key=lambda e: e.year).id
    return max(enumerate(earlier), key=lambda ie: (ie[1].year, ie[0]))[1].id


def text(e: Edition, texts: dict[str, str] | None) -> str:
    """A text of the edition in its first language."""
    return e.text(texts, e.languages[0])


class QuestionView(NamedTuple):
    """One question with where its answer stands: ("steps", "step2", "a3")."""

    path: tuple[str, ...]
    q: Question
    label: str

    @property
    def dotted(self) -> str:
        return ".".join(self.path)


def questions(e: Edition) -> list[QuestionView]:
    """Every question of `e` in form order, with its key path and label."""
    return [QuestionView(path, q, text(e, q.label)) for path, q in e.questions()]


def by_id(e: Edition) -> dict[str, QuestionView]:
    """The questions of `e` by their stable id."""
    return {v.q.id: v for v in questions(e)}


def part(e: Edition, key: str) -> Part:
    """The part outside the steps with this key; KeyError when the edition has none."""
    for p in e.parts:
        if p.key == key:
            return p
    raise KeyError(key)


def part_title(e: Edition, key: str) -> str:
    """The printed title of a part, or "" when the edition has no such part."""
    return next((text(e, p.title) for p in e.parts if p.key == key), "")


def column_label(e: Edition, c: Column) -> str:
    """A column's printed label."""
    return text(e, c.label)


def goal_statuses(e: Edition) -> list[str]:
    """Every accepted status word, the printed one of each status first."""
    lang = e.languages[0]  # every status has words in each language (forms/rules.py)
    return [w for v in e.goal_statuses for w in v.words[lang]]


def themes(e: Edition) -> tuple[str, ...]:
    """The edition's known themes of 2.A.3 in its first language."""
    return e.themes[e.languages[0]] if e.themes else ()  # in each language, if any


def table_of(e: Edition, dotted: str) -> Table | None:
    """The table of the question whose answer stands at `dotted`."""
    for path, q in e.questions():
        if ".".join(path) == dotted:
            return q.table
    return None


def name_columns(t: Table) -> tuple[str, ...]:
    """The columns that name a row, to match rows of two versions: the required text."""
    named = tuple(c.key for c in t.columns if c.required and c.type != "count")
    return named or (t.columns[0].key,)


def answered(value: Any) -> bool:
    """Whether an answer in a report's data holds anything: text, a number, a filled row."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(answered(v) for v in value.values())
    if isinstance(value, list):
        return any(answered(v) for v in value)
    return True


def report_errors(data: Any) -> int:
    """How many errors the report model of `data`'s edition finds (0: a valid report)."""
    from pydantic import ValidationError

    from ..model import model_for

    try:
        model_for(data).model_validate(data)  # an unknown edition: the default one's model
    except ValidationError as exc:
        return exc.error_count()
    return 0
