"""A new, empty report for a form edition: every part and question, ready to fill in.

Labels, help texts, keys and examples come from the edition's data, so the scaffold
follows the form when it changes, and a new edition needs no code here. The text is
valid as written: `ehnreport validate` gives warnings for the unanswered questions
and no errors. Values are written by `yamlwriter`, which the loader reads back exactly.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from collections.abc import Callable, Mapping
from typing import Any

from .forms import DEFAULT, Edition, Question, load_edition
from .messages import Msg, msg
from .words import words
from .yamlwriter import CONTROL, key_value, scalar

FORM_EDITION = DEFAULT
DEFAULT_MEMBER = "Virksomhetens navn"
DEFAULT_SHORT_NAME = "Kortnavn"
DEFAULT_SCHEMA = "schema/ehnreport.schema.json"
WIDTH = 88  # comment lines are wrapped to this many characters
MAX_SHORT_NAME = 40  # as member.short_name's max_length in the bundled edition

_CONTROL = CONTROL


def scaffold(
    member: str | None = None,
    year: int | None = None,
    short_name: str | None = None,
    *,
    schema: str | None = DEFAULT_SCHEMA,
    today: dt.date | None = None,
    form: str = DEFAULT,
    language: str | None = None,
) -> str:
    """The YAML text of a new report for `member` and reporting `year`.

    `year` defaults to the calendar year before `today`; `short_name` to the member's
    name when it fits the running footer. `schema` is the path written on the
    editor's modeline (none when None); `form` the edition (bundled, or added with
    --forms); `language` the report's language, which its comments are in too (default:
    the edition's first). Raises ValueError, its argument a `Msg` (a sentence in the
    chosen language), for a name, year or language the report could not hold, so the
    result is always valid; KeyError for an unknown form.
    """
    edition = load_edition(form)
    lang = language or edition.languages[0]
    if lang not in edition.languages:
        raise ValueError(
            msg(
                "tools.scaffold.no-language",
                form=edition.id,
                lang=lang,
                languages=edition.languages,
            )
        )
    if year is None:
        year = (today or dt.date.today()).year - 1
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValueError(msg("tools.scaffold.bad-year", year=str(year)))
    name = (
        _clean(member, msg("tools.scaffold.member-name"))
        if member is not None
        else _placeholder(edition, "member.name", lang, DEFAULT_MEMBER)
    )
    if short_name is not None:
        short = _clean(short_name, msg("tools.scaffold.short-name"))
    elif member is None:
        short = _placeholder(edition, "member.short-name", lang, DEFAULT_SHORT_NAME)
    else:
        short = _shorten(name)
    if len(short) > MAX_SHORT_NAME:
        raise ValueError(
            msg("tools.scaffold.short-too-long", short=short, length=len(short), max=MAX_SHORT_NAME)
        )
    if schema is not None and (not schema.strip() or _CONTROL.search(schema)):
        raise ValueError(msg("tools.scaffold.bad-schema"))

    # Values the scaffold fills in, by the kind of question: the rest are left empty.
    values: dict[str, Any] = {"year": year, "edition": edition.id, "language": lang}
    names = {("member", "name"): name, ("member", "short_name"): short}
    if member is not None:
        names[("key_info", "name")] = name
    out = _Writer(edition, values, names, lang)
    _layout(out, schema, lambda: _header(out, name, year, edition.id))
    return out.text()


# Lines under a question's label and help in a filled report: the comments and the key
# with its value; None leaves the question as a new report leaves it.
Answer = Callable[[tuple[str, ...], Question, int], list[str] | None]


def filled(
    edition: Edition,
    header: list[str],
    answer: Answer,
    *,
    schema: str | None = DEFAULT_SCHEMA,
    language: str = "nb",
) -> str:
    """A report laid out as `init` lays one out, each question's lines from `answer`.

    `header` is the opening comment, one paragraph per item; `answer(path, question,
    indent)` is called with each question's key path in form order; the form's
    labels and help are written in `language`.
    """
    out = _Writer(edition, {}, {}, language, answer)
    _layout(out, schema, lambda: out.lines.extend(ln for t in header for ln in comment(0, t)))
    return out.text()


def _layout(out: _Writer, schema: str | None, header: Callable[[], object]) -> None:
    if schema is not None:
        out.line(0, f"# yaml-language-server: $schema={schema}")
        out.line(0, "#")
    header()
    for part in out.edition.parts_before:
        _part(out, part.key, part.title, part.description, part.questions)
    _steps(out)
    for part in out.edition.parts_after:
        _part(out, part.key, part.title, part.description, part.questions)


def _placeholder(edition: Edition, question_id: str, language: str, default: str) -> str:
    """The name `init` writes for a question, in the report's language."""
    try:
        q = edition.question(question_id)
    except KeyError:
        return default
    return edition.text(q.placeholder, language) or default


def _clean(value: str, what: Msg) -> str:
    """One line of text without control characters, or ValueError."""
    text = " ".join(value.split())
    if not text:
        raise ValueError(msg("tools.scaffold.empty", what=what))
    if _CONTROL.search(text):
        raise ValueError(msg("tools.scaffold.control", what=what))
    return text


def _shorten(name: str) -> str:
    """The name, cut at a word boundary to fit the running footer."""
    if len(name) <= MAX_SHORT_NAME:
        return name
    cut = name.rfind(" ", 0, MAX_SHORT_NAME + 1)
    short = (name[:cut] if cut > 0 else name[:MAX_SHORT_NAME]).rstrip(" ,.;:-")
    return short or name[:MAX_SHORT_NAME].strip()


class _Writer:
    def __init__(
        self,
        edition: Edition,
        values: Mapping[str, Any],
        names: Mapping[tuple[str, str], str],
        language: str,
        answer: Answer | None = None,
    ) -> None:
        self.edition = edition
        self.lang = language
        self.w = words(language)
        self.values = values
        self.names = names
        self.answer = answer
        self.lines: list[str] = []

    def question(self, indent: int, path: tuple[str, ...], q: Question) -> None:
        """The key of `q` with its value: the filled answer, or as a new report has it."""
        lines = self.answer(path, q, indent) if self.answer is not None else None
        if lines is not None:
            self.lines.extend(lines)
            return
        name = self.names.get((path[0], path[-1])) if len(path) == 2 else None
        if name is not None:
            self.line(indent, f"{q.key}: {scalar(name)}")
        else:
            ANSWERS[q.kind](self, indent, q)

    def t(self, texts: dict[str, str] | None) -> str:
        return self.edition.text(texts, self.lang)

    def line(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def _comment(
    out: _Writer, indent: int, text: str, first: str = "", hang: int | None = None
) -> None:
    """`text` as comment lines of at most WIDTH characters, after `first` on line one.

    Comments stand at the indentation of the keys around them: a comment indented
    deeper, right after an empty `|` block, would become the block's text.
    """
    out.lines.extend(comment(indent, text, first, hang))


def comment(indent: int, text: str, first: str = "", hang: int | None = None) -> list[str]:
    """`text` as the comment lines `init` writes at `indent`, after `first` on line one."""
    lead = " " * indent + "# "
    rest = lead + " " * (len(first) if hang is None else hang)
    return textwrap.wrap(
        first + text,
        width=WIDTH,
        initial_indent=lead,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _help(out: _Writer, indent: int, text: str) -> None:
    _comment(out, indent, text, first=out.w["init_help"] + " ")


def _header(out: _Writer, name: str, year: int, edition_id: str) -> None:
    w = out.w
    _comment(out, 0, w["init_title"].format(year=year, name=name))
    _comment(out, 0, w["init_made"].format(edition=edition_id))
    out.line(0, "#")
    out.line(0, "# " + w["init_how"])
    for key in (
        "init_tip_questions",
        "init_tip_blocks",
        "init_tip_empty",
        "init_tip_numbers",
        "init_tip_commands",
    ):
        _comment(out, 0, w[key], first="- ")
    out.line(0, "#")
    out.line(0, "# " + w["init_example"])
    for text in (
        "  a2: |",
        "    " + w["init_example_line1"],
        "    - " + w["init_example_line2"],
    ):
        out.line(0, "# " + text)


def _part(
    out: _Writer,
    key: str,
    title: dict[str, str],
    description: dict[str, str] | None,
    questions: tuple[Question, ...],
) -> None:
    """One part outside the steps: each field with its label, help and an empty value."""
    out.blank()
    _comment(out, 0, out.t(title) or key)
    if description:
        _comment(out, 0, out.t(description))
    out.line(0, f"{key}:")
    for q in questions:
        _comment(out, 2, out.t(q.label))
        _help(out, 2, out.t(q.help))
        out.question(2, (key, q.key), q)


def _steps(out: _Writer) -> None:
    out.blank()
    _comment(out, 0, out.t(out.edition.steps_title) or "steps")
    out.line(0, "steps:")
    for step in out.edition.steps:
        out.blank()
        _comment(out, 2, f"{out.w['step']} {step.number}: {out.t(step.title)}")
        out.line(2, f"{step.key}:")
        for section in step.sections:
            out.blank()
            _comment(out, 4, out.t(section.title), first=f"{section.code} ")
            if section.instruction:
                _comment(out, 4, out.t(section.instruction))
            for q in section.questions:
                out.blank()
                if q.subheading:
                    _comment(out, 4, out.t(q.subheading).upper())
                _comment(out, 4, out.t(q.label), first=f"{q.code} ")
                _help(out, 4, out.t(q.help))
                out.question(4, ("steps", step.key, q.key), q)


# How a new report leaves each kind of question: an empty value, an empty `|` block
# for free text, an empty list under a commented example, or a value filled in.
def _empty(out: _Writer, indent: int, q: Question) -> None:
    out.line(indent, f"{q.key}:")


def _block(out: _Writer, indent: int, q: Question) -> None:
    out.line(indent, f"{q.key}: |")


def _filled(out: _Writer, indent: int, q: Question) -> None:
    value = out.values.get(q.kind)
    out.line(indent, f"{q.key}: {scalar(value)}" if value is not None else f"{q.key}:")


def _list(out: _Writer, indent: int, q: Question) -> None:
    if q.example is not None:
        _example(out, indent, q.key, q.example[out.lang])
    out.line(indent, f"{q.key}: []")


def _table(out: _Writer, indent: int, q: Question) -> None:
    t = q.table
    assert t is not None and t.rows_key is not None
    out.line(indent, f"{q.key}:")
    _comment(out, indent + 2, out.t(t.rows_help) or out.t(t.rows_label))
    if q.example is not None:
        _example(out, indent + 2, t.rows_key, q.example[out.lang])
    out.line(indent + 2, f"{t.rows_key}: []")
    if t.comment_key is not None:
        _comment(out, indent + 2, out.t(t.comment_help) or out.t(t.comment_label))
        out.line(indent + 2, f"{t.comment_key}: |")


ANSWERS: dict[str, Callable[[_Writer, int, Question], None]] = {
    "text": _block,
    "line": _empty,
    "url": _empty,
    "email": _empty,
    "count": _empty,
    "year": _filled,
    "edition": _filled,
    "language": _filled,
    "colour": _empty,
    "date": _empty,
    "file": _empty,
    "list": _list,
    "goals": _list,
    "table": _table,
    "cards": _list,
}


def _example(out: _Writer, indent: int, key: str, rows: list[Any]) -> None:
    """A commented example of a list, to write in place of the empty `[]` below it."""
    _comment(out, indent, out.w["init_list_example"])
    for line in key_value(key, rows, 0):
        out.line(indent, "#   " + line if line else "#")
