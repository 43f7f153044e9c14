"""The edition format: typed records of an edition's parts, steps, sections and questions.

An edition file (`form.yaml`) is read into these records: immutable NamedTuples,
which Python makes about ten times faster than frozen dataclasses (this module is
imported by every `validate`). Every text a
reader sees is a map from a BCP 47 language code to the text (`{"nb": "…"}`), so that
another language is one more key, never another file layout. docs/skjemautgaver.md
describes each field.
"""

# Annotations are evaluated when the classes are made (no `from __future__ import
# annotations`), so that reading an edition needs no evaluation of strings.
from collections.abc import Iterator
from typing import Any, Literal, NamedTuple

# The version of the edition format itself; bumped when a field changes meaning.
FORMAT = 1

# A text in each of the edition's languages: {"nb": "…"}.
Texts = dict[str, str]

# What a question's answer is. Each stage has a handler for every kind (a test checks).
Kind = Literal[
    "text",  # Markdown text
    "line",  # one line of Markdown text (names, titles)
    "url",  # a web address
    "email",  # an e-mail address
    "count",  # a whole number, 0 or more
    "year",  # the reporting year
    "edition",  # the form edition the report follows
    "language",  # the report's language, a BCP 47 code
    "colour",  # a "#RRGGBB" colour readable on white
    "date",  # YYYY-MM-DD
    "file",  # a file in the report's folder (the logo)
    "list",  # a list of texts
    "goals",  # a list of goals with a status
    "table",  # rows with declared columns, and a comment
    "cards",  # one card per row of another table, with declared fields
]
KINDS: tuple[str, ...] = Kind.__args__  # type: ignore[attr-defined]

# What one cell of a table row, card or goal holds.
ColumnType = Literal["text", "count", "yesno", "list", "status"]
COLUMN_TYPES: tuple[str, ...] = ColumnType.__args__  # type: ignore[attr-defined]

# The languages ehnreport can print a report in: its own fixed words
# (ehnreport/templates/words.yaml) exist in each, and an edition declares some of them.
LANGUAGES: tuple[str, ...] = ("nb", "nn", "en")

# What next year's draft does with an answer: keep it to be revised, or clear it.
Yearly = Literal["keep", "clear"]


class Column(NamedTuple):
    """A column of a table, a field of a card or of a goal."""

    key: str
    label: Texts
    help: Texts
    type: ColumnType = "text"
    required: bool = False  # the key must be written (a row's name)
    header: Texts | None = None  # printed column header, when it differs from the label
    vocabulary: str | None = None  # "themes": values outside it are warned
    max_items: int | None = None  # for a list
    complete: bool = True  # an empty card field is warned
    short: Texts | None = None  # a short name printed above the label, to tell apart
    # fields that share one long label (3.A.1's measures and results)


class Table(NamedTuple):
    """The shape of a table, cards or goals answer: its rows' columns and the comment."""

    model: str  # name of the answer's model in the JSON Schema
    doc: str  # its description there
    row_model: str
    row_doc: str
    columns: tuple[Column, ...]
    max_rows: int
    rows_key: str | None = None  # key of the row list; None when the answer is the list
    rows_label: Texts | None = None
    rows_help: Texts | None = None
    comment_key: str | None = None  # key of the free text under the table
    comment_label: Texts | None = None
    comment_help: Texts | None = None
    layout: Literal["rows", "grouped"] = "rows"  # grouped: one small table per value
    group_by: str | None = None  # the column whose values group a grouped table
    numbered: bool = False  # a «Nr.» column first
    narrow: bool = False  # every column but the first is narrow
    row_header: bool = False  # the first column heads its row
    empty_row: bool = False  # print one empty numbered row when there are none
    css: str = ""  # the table's class in the HTML
    cell_suffix: Texts | None = None  # printed after a count cell («stk»)
    matches: str | None = None  # cards: id of the table question whose rows they follow
    match_column: str | None = None  # the column of that table holding the row's name
    match_field: str | None = None  # the card field that repeats that name
    kicker: Texts | None = None  # cards: «Prioritert risiko» above each card

    def column(self, key: str) -> Column:
        """The column with this key."""
        return next(c for c in self.columns if c.key == key)


class Question(NamedTuple):
    """One question or field of the form: the record every stage reads."""

    id: str  # stable across editions: "step2.risk-mapping"
    key: str  # YAML key inside its part or step
    kind: Kind
    label: Texts
    help: Texts
    code: str = ""  # printed code, "2.A.3"; none outside the steps
    complete: bool = False  # warned when unanswered, and counted in its step
    yearly: Yearly = "keep"
    personal: bool = False  # holds personal data (a name, an e-mail, a phone number)
    required: bool = False  # the key must be written
    min_length: int | None = None
    max_length: int | None = None
    max_items: int | None = None  # for list and goals
    default: str | None = None
    subheading: Texts | None = None  # printed above the question
    note: str | None = None  # prose template under the subheading
    always_shown: bool = False  # printed (empty) even when unanswered
    placeholder: Texts | None = None  # what `init` writes here; left in, it is warned
    quoted: bool = False  # printed inside « »: an answer that brings its own is warned
    table: Table | None = None
    example: dict[str, Any] | None = None  # an example answer per language, for `init`


class Section(NamedTuple):
    """A lettered section of a step ("2.A"), with its questions."""

    code: str
    title: Texts
    questions: tuple[Question, ...]
    phases: Texts | None = None  # procurement phases, in brackets in the contents
    new_page: bool = False
    subheading: Texts | None = None  # printed instead of the code and title
    instruction: Texts | None = None


class Step(NamedTuple):
    """One of the six OECD steps."""

    number: int
    key: str  # "step1"
    title: Texts
    model: str
    doc: str
    sections: tuple[Section, ...]
    kicker: Texts | None = None
    oecd: Texts | None = None  # the OECD step's short name
    intro: str | None = None  # prose template on the step's divider page

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)


class Part(NamedTuple):
    """A part of the report outside the steps: cover data, foreword, key figures, goals."""

    key: str  # "key_info"
    title: Texts
    model: str
    doc: str
    questions: tuple[Question, ...]
    description: Texts | None = None
    required: bool = False  # the part must be written (report:, member:)


class Vocabulary(NamedTuple):
    """A closed or open list of words: each entry an id and its words per language."""

    id: str
    words: dict[str, tuple[str, ...]]  # language -> accepted words, the printed one first


class Edition(NamedTuple):
    """One edition of a form: everything a report on it is checked and printed by."""

    format: int
    id: str  # "ehn-public-2024"
    sector: str  # "public"
    year: int  # the reporting year it was made for
    languages: tuple[str, ...]
    title: Texts
    model: str  # the report's model name, and its title and description in the schema
    schema_title: str
    doc: str
    steps_title: Texts
    steps_model: str
    steps_doc: str
    parts_before: tuple[Part, ...]  # printed before the steps
    steps: tuple[Step, ...]
    parts_after: tuple[Part, ...]  # printed after the steps
    goal_statuses: tuple[Vocabulary, ...] = ()
    yes_no: tuple[Vocabulary, ...] = ()  # the words of a yes/no cell: ids "yes" and "no"
    themes: dict[str, tuple[str, ...]] | None = None  # language -> known words

    @property
    def parts(self) -> tuple[Part, ...]:
        return self.parts_before + self.parts_after

    def questions(self) -> Iterator[tuple[tuple[str, ...], Question]]:
        """Every question in form order, with the key path of its answer."""
        for part in self.parts_before:
            for q in part.questions:
                yield (part.key, q.key), q
        for step in self.steps:
            for q in step.questions:
                yield ("steps", step.key, q.key), q
        for part in self.parts_after:
            for q in part.questions:
                yield (part.key, q.key), q

    def question(self, id: str) -> Question:
        """The question with this stable id; KeyError when the edition has none."""
        return self._find(id)[1]

    def path_of(self, id: str) -> tuple[str, ...]:
        """The key path of the question with this id: ("steps", "step2", "a3")."""
        return self._find(id)[0]

    def _find(self, id: str) -> tuple[tuple[str, ...], Question]:
        # A walk, not an index: an edition has about sixty questions, and a build asks
        # for a few dozen of them (a few microseconds each).
        for path, q in self.questions():
            if q.id == id:
                return path, q
        raise KeyError(id)

    def by_code(self, code: str) -> Question:
        """The question with this printed code, "2.A.3"; KeyError when none."""
        for _, q in self.questions():
            if q.code == code:
                return q
        raise KeyError(code)

    def text(self, texts: Texts | None, language: str = "nb") -> str:
        """A text in `language`, or "" when there is none."""
        return (texts or {}).get(language, "")
