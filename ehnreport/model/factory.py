"""The Pydantic models of an edition, built from its data: one factory, cached per edition.

Each question's kind decides its type through HANDLERS, and each table column's type
through COLUMN_HANDLERS; a test checks that every kind and column type the spec allows
has one. Titles and descriptions come from the edition's texts in its first language,
so the JSON Schema and the editor's hover help say what the printed form says.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, Field, WithJsonSchema, create_model
from pydantic_core import PydanticCustomError

from ..forms import Column, Edition, Part, Question, Step, Table, Vocabulary, known_editions
from ..messages import LANGUAGES as MESSAGE_LANGUAGES
from ..messages import Texts, join, msg
from .base import Count, Email, InvalidValue, Strict, Text, Url

# The word before a step's number in its schema title: «Trinn 2: …». The same as
# `step` in words.yaml (a test checks), kept here so that validate reads no YAML file
# besides the report to build its models.
_STEP = {"nb": "Trinn", "nn": "Trinn", "en": "Step"}
_HEX = re.compile(r"#[0-9a-fA-F]{6}\Z")


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_on_white(hex_colour: str) -> float:
    """WCAG 2.1 contrast ratio of a colour against white."""
    return 1.05 / (_luminance(hex_colour) + 0.05)


def _plausible_year(v: int) -> int:
    if not 2000 <= v <= 2100:
        raise InvalidValue(msg("fields.year", year=v))
    return v


def _accent(v: str) -> str:
    if not _HEX.match(v):
        raise InvalidValue(msg("fields.colour-form", value=v))
    ratio = contrast_on_white(v)
    if ratio < 4.5:
        raise InvalidValue(msg("fields.colour-contrast", value=v, ratio=f"{ratio:.1f}"))
    return v.lower()


def _known_edition(v: object) -> object:
    """An edition id that neither ehnreport nor --forms knows, named with the known ones."""
    known = known_editions()
    if isinstance(v, str) and v not in known:
        from ..diagnostics import suggestion

        raise InvalidValue(
            msg("fields.unknown-edition", edition=v).plus(
                suggestion(v, known), msg("fields.known-editions", known=join(known))
            )
        )
    return v


def label_texts(edition: Edition, texts: dict[str, str] | None) -> Texts:
    """A text of the edition in every language of the messages, for a message's parameter.

    A language the edition lacks has the text of its first language.
    """
    first = edition.text(texts, edition.languages[0]) if edition.languages else ""
    return Texts(*(edition.text(texts, lang) or first for lang in MESSAGE_LANGUAGES))


def _literal(values: tuple[str, ...]) -> Any:
    """Literal[...] of values known only when the edition is read."""
    return Literal.__getitem__(values)


Year = Annotated[int, Field(strict=True), AfterValidator(_plausible_year)]
Colour = Annotated[str, AfterValidator(_accent)]


def _accepted(edition: Edition, language: str) -> tuple[str, ...]:
    """The languages whose words a report in `language` may type: its own, and always
    the edition's first (nb), so that a report keeps its words when its language changes."""
    return tuple(dict.fromkeys((language, edition.languages[0])))


def _words(vocabulary: tuple[Vocabulary, ...], edition: Edition, language: str) -> list[str]:
    """Every word of a vocabulary a report in `language` may type, its own words first."""
    return list(
        dict.fromkeys(
            w for lang in _accepted(edition, language) for v in vocabulary for w in v.words[lang]
        )
    )


def _status_type(edition: Edition, language: str) -> Any:
    """Goal status words: in the report's language or nb, any letter case; the word
    printed in the report's language is stored."""
    printed = {
        w.casefold(): v.words[language][0]
        for lang in reversed(_accepted(edition, language))
        for v in edition.goal_statuses
        for w in v.words[lang]
    }

    def status_word(v: object) -> object:
        if isinstance(v, str):
            return printed.get(v.strip().casefold(), v)
        return v

    shown = [v.words[language][0] for v in edition.goal_statuses]
    words = _words(edition.goal_statuses, edition, language)
    return Annotated[
        _literal(tuple(shown)),
        BeforeValidator(status_word),
        # The schema lists the words as written and in lower case, both of which are accepted.
        WithJsonSchema({"enum": list(dict.fromkeys([*words, *(w.lower() for w in words)]))}),
    ]


def _yes_no_type(edition: Edition, language: str) -> Any:
    """Yes and no in the report's language or nb, any letter case, or true/false."""
    meaning = {
        w.casefold(): v.id == "yes"
        for lang in _accepted(edition, language)
        for v in edition.yes_no
        for w in v.words[lang]
    }

    words = _words(edition.yes_no, edition, language)
    shown = {v.id: v.words[language][0] for v in edition.yes_no}
    # What a refusal says: the words of the report's language, and every accepted word
    # for «Mente du» (diagnostics.py reads them from the error's context).
    context = {"yes": shown["yes"], "no": shown["no"], "words": tuple(words)}

    def yes_no(v: object) -> object:
        if isinstance(v, str):
            v = meaning.get(v.strip().casefold(), v)
        if v is not None and not isinstance(v, bool):
            raise PydanticCustomError("bool_type", "Input should be a valid boolean", context)
        return v

    return Annotated[
        bool,
        Field(strict=True),
        BeforeValidator(yes_no),
        # The schema says what the validator accepts, so editors do not flag «Ja» and «Nei».
        WithJsonSchema(
            {
                "enum": [
                    *words,
                    *(w.lower() for w in words),
                    *(w.upper() for w in words),
                    True,
                    False,
                ]
            }
        ),
    ]


def _no_number(v: object) -> object:
    """A date is written as a date: pydantic would read a number as seconds since 1970,
    so `date: 0` became 1 January 1970, a date the member never wrote."""
    if isinstance(v, (int, float)):  # bool too
        raise PydanticCustomError("date_type", "Input should be a valid date")
    return v


_Date = Annotated[dt.date, BeforeValidator(_no_number)]


def _empty_list() -> list[Any]:
    """A new empty list, as the default of a list field."""
    return []


def _maker(model: type[BaseModel]) -> Callable[[], BaseModel]:
    """A default factory for a part or step model.

    Pydantic reads each factory's signature while it builds the schema (to see whether
    it takes the validated data); for a model class that means building the class's
    own signature, and for `list` a slow lookup: about 11 ms of `validate`'s start-up
    over the report's 30 defaults. A plain function's signature is read at once.
    """

    def make() -> BaseModel:
        return model()

    return make


# The form's label of each field in every language, for messages: the models' titles are
# in the report's language, a message names the field in the language of the message.
_FIELD_TEXTS: dict[tuple[type[BaseModel], str], Texts] = {}


def field_texts(model: type[BaseModel], name: str) -> Texts | None:
    """The label of field `name` of `model` in every language, or None if it has none."""
    return _FIELD_TEXTS.get((model, name))


class _Build:
    """The models of one edition, built once."""

    def __init__(self, edition: Edition, language: str) -> None:
        self.e = edition
        self.lang = language

    def t(self, texts: dict[str, str] | None) -> str:
        return self.e.text(texts, self.lang)

    def texts(self, texts: dict[str, str] | None, before: str = "") -> Texts:
        """`texts` in every language of the messages, each after `before`."""
        return Texts(*(before + t for t in label_texts(self.e, texts)))

    # Question kinds: each returns (annotation, Field keyword arguments).
    def scalar(self, tp: Any, q: Question) -> tuple[Any, dict[str, Any]]:
        kw: dict[str, Any] = {}
        if q.min_length is not None:
            kw["min_length"] = q.min_length
        if q.max_length is not None:
            kw["max_length"] = q.max_length
        if q.required:
            return tp, kw
        if q.default is not None:  # a default value: the key may be left out, not emptied
            return tp, {**kw, "default": q.default}
        return tp | None, {**kw, "default": None}

    def text(self, q: Question) -> tuple[Any, dict[str, Any]]:
        return self.scalar(Text, q)

    def url(self, q: Question) -> tuple[Any, dict[str, Any]]:
        return self.scalar(Url, q)

    def email(self, q: Question) -> tuple[Any, dict[str, Any]]:
        return self.scalar(Email, q)

    def count(self, q: Question) -> tuple[Any, dict[str, Any]]:
        return self.scalar(Count, q)

    def year(self, q: Question) -> tuple[Any, dict[str, Any]]:
        return self.scalar(Year, q)

    def edition(self, q: Question) -> tuple[Any, dict[str, Any]]:
        tp: Any = Annotated[_literal((self.e.id,)), BeforeValidator(_known_edition)]
        return self.scalar(tp, q)

    def language(self, q: Question) -> tuple[Any, dict[str, Any]]:
        return self.scalar(_literal(self.e.languages), q)

    def colour(self, q: Question) -> tuple[Any, dict[str, Any]]:
        return self.scalar(Colour, q)

    def date(self, q: Question) -> tuple[Any, dict[str, Any]]:
        return self.scalar(_Date, q)

    def file(self, q: Question) -> tuple[Any, dict[str, Any]]:
        return self.scalar(str, q)

    def list(self, q: Question) -> tuple[Any, dict[str, Any]]:
        return list[Text], self.limit({"default_factory": _empty_list}, q.max_items)

    def goals(self, q: Question) -> tuple[Any, dict[str, Any]]:
        assert q.table is not None
        return list[self.row(q.table)], self.limit(  # type: ignore[misc]
            {"default_factory": _empty_list}, q.max_items
        )

    def cards(self, q: Question) -> tuple[Any, dict[str, Any]]:
        assert q.table is not None
        return list[self.row(q.table)], self.limit(  # type: ignore[misc]
            {"default_factory": _empty_list}, q.table.max_rows
        )

    def table(self, q: Question) -> tuple[Any, dict[str, Any]]:
        t = q.table
        assert t is not None and t.rows_key is not None
        fields: dict[str, Any] = {
            t.rows_key: (
                list[self.row(t)],  # type: ignore[misc]
                Field(
                    default_factory=_empty_list,
                    max_length=t.max_rows,
                    title=self.t(t.rows_label),
                    description=self.t(t.rows_help),
                ),
            )
        }
        if t.comment_key is not None:
            fields[t.comment_key] = (
                Text | None,
                Field(
                    default=None, title=self.t(t.comment_label), description=self.t(t.comment_help)
                ),
            )
        titles = {t.rows_key: self.texts(t.rows_label)}
        if t.comment_key is not None:
            titles[t.comment_key] = self.texts(t.comment_label)
        return self.model(t.model, t.doc, fields, titles) | None, {"default": None}

    @staticmethod
    def limit(kw: dict[str, Any], n: int | None) -> dict[str, Any]:
        return {**kw, "max_length": n} if n is not None else kw

    def row(self, t: Table) -> type[BaseModel]:
        fields = {c.key: self.column(c) for c in t.columns}
        titles = {c.key: self.texts(c.label) for c in t.columns}
        return self.model(t.row_model, t.row_doc, fields, titles)

    def column(self, c: Column) -> tuple[Any, Any]:
        tp, kw = COLUMN_HANDLERS[c.type](self, c)
        if not c.required and "default_factory" not in kw:
            tp, kw = tp | None, {**kw, "default": None}
        return tp, Field(title=self.t(c.label), description=self.t(c.help), **kw)

    def model(
        self, name: str, doc: str, fields: dict[str, Any], titles: dict[str, Texts]
    ) -> type[BaseModel]:
        model: type[BaseModel] = create_model(name, __base__=Strict, __doc__=doc, **fields)
        _remember(model, titles)
        return model

    def question(self, q: Question, in_step: bool) -> tuple[Any, Any]:
        tp, kw = HANDLERS[q.kind](self, q)
        label = self.t(q.label)
        if in_step:
            return tp, Field(
                title=f"{q.code} {label}",
                description=self.t(q.help),
                json_schema_extra={"x-code": q.code},
                **kw,
            )
        return tp, Field(title=label, description=self.t(q.help), **kw)

    def part(self, p: Part) -> tuple[Any, Any]:
        fields = {q.key: self.question(q, in_step=False) for q in p.questions}
        titles = {q.key: self.texts(q.label) for q in p.questions}
        model = self.model(p.model, p.doc, fields, titles)
        kw: dict[str, Any] = {"title": self.t(p.title)}
        if p.description:
            kw["description"] = self.t(p.description)
        if not p.required:
            kw["default_factory"] = _maker(model)
        return model, Field(**kw)

    def step(self, s: Step) -> tuple[Any, Any]:
        fields = {q.key: self.question(q, in_step=True) for q in s.questions}
        titles = {q.key: self.texts(q.label, f"{q.code} ") for q in s.questions}
        model = self.model(s.model, s.doc, fields, titles)
        return model, Field(
            default_factory=_maker(model), title=f"{_STEP[self.lang]} {s.number}: {self.t(s.title)}"
        )

    def report(self) -> type[BaseModel]:
        e = self.e
        steps = self.model(
            e.steps_model,
            e.steps_doc,
            {s.key: self.step(s) for s in e.steps},
            {s.key: self.step_texts(s) for s in e.steps},
        )
        fields: dict[str, Any] = {p.key: self.part(p) for p in e.parts_before}
        fields["steps"] = (
            steps,
            Field(default_factory=_maker(steps), title=self.t(e.steps_title)),
        )
        fields.update({p.key: self.part(p) for p in e.parts_after})
        # The schema's title is the root's config; create_model takes a config or a base,
        # not both, so the title comes in through a small base of its own.
        model: type[BaseModel] = create_model(
            e.model, __base__=_root_base(e.schema_title), __doc__=e.doc, **fields
        )
        titles = {p.key: self.texts(p.title) for p in (*e.parts_before, *e.parts_after)}
        _remember(model, {**titles, "steps": self.texts(e.steps_title)})
        return model

    def step_texts(self, s: Step) -> Texts:
        """A step's title as its schema title says it, «Trinn 2: …», in every language."""
        title = label_texts(self.e, s.title)
        return Texts(
            *(
                f"{_STEP[lang]} {s.number}: {t}"
                for lang, t in zip(MESSAGE_LANGUAGES, title, strict=True)
            )
        )


def _remember(model: type[BaseModel], titles: dict[str, Texts]) -> None:
    """Keep the labels of `model`'s fields, those that have one, for messages."""
    for name, texts in titles.items():
        if texts.nb.strip():
            _FIELD_TEXTS[(model, name)] = texts


def _root_base(title: str) -> type[Strict]:
    class Root(Strict):
        model_config = Strict.model_config | {"title": title}

    return Root


# The type of each question kind and each column type. A test checks both are complete.
HANDLERS: dict[str, Callable[[_Build, Question], tuple[Any, dict[str, Any]]]] = {
    "text": _Build.text,
    "line": _Build.text,
    "url": _Build.url,
    "email": _Build.email,
    "count": _Build.count,
    "year": _Build.year,
    "edition": _Build.edition,
    "language": _Build.language,
    "colour": _Build.colour,
    "date": _Build.date,
    "file": _Build.file,
    "list": _Build.list,
    "goals": _Build.goals,
    "table": _Build.table,
    "cards": _Build.cards,
}


def _text_column(b: _Build, c: Column) -> tuple[Any, dict[str, Any]]:
    return Text, {}


def _count_column(b: _Build, c: Column) -> tuple[Any, dict[str, Any]]:
    return Count, {}


def _yes_no_column(b: _Build, c: Column) -> tuple[Any, dict[str, Any]]:
    return _yes_no_type(b.e, b.lang), {}


def _list_column(b: _Build, c: Column) -> tuple[Any, dict[str, Any]]:
    return list[Text], _Build.limit({"default_factory": _empty_list}, c.max_items)


def _status_column(b: _Build, c: Column) -> tuple[Any, dict[str, Any]]:
    return _status_type(b.e, b.lang), {}


COLUMN_HANDLERS: dict[str, Callable[[_Build, Column], tuple[Any, dict[str, Any]]]] = {
    "text": _text_column,
    "count": _count_column,
    "yesno": _yes_no_column,
    "list": _list_column,
    "status": _status_column,
}

_built: dict[tuple[str, str], tuple[Edition, type[BaseModel]]] = {}


def report_model(edition: Edition, language: str | None = None) -> type[BaseModel]:
    """The report model of `edition` in `language` (default: its first), built on first
    use and kept for the process.

    A model per language, rather than one model reading the language from pydantic's
    validation context: the words a member may type and the titles and descriptions
    of the JSON Schema both follow the language, and one mechanism serves both.
    """
    lang = language if language in edition.languages else edition.languages[0]
    cached = _built.get((edition.id, lang))
    if cached is not None and cached[0] is edition:
        return cached[1]
    model = _Build(edition, lang).report()
    _built[(edition.id, lang)] = (edition, model)
    return model
