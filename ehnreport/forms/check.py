"""Reading an edition's data into the spec's records, checking every field on the way.

The check is strict in the way a report's is: unknown keys, missing keys, values of
the wrong type, texts missing a language, duplicate ids and keys, and references to
questions or columns that do not exist are all mistakes, each reported at its own
line and column with a Norwegian message. It runs on the prepared bundled editions
too, so that there is one way of reading an edition.
"""

from __future__ import annotations

import dataclasses
import re
import types
import typing
from typing import Any

from ..errors import Diagnostic
from . import spec
from .spec import Edition, Question, Table

Path_ = tuple[str | int, ...]
_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_ID = re.compile(r"[a-z0-9][a-z0-9.-]*\Z")
_LANGUAGE = re.compile(r"[a-z]{2,3}\Z")
# Prose templates an edition may name: a plain file name, never a path.
_TEMPLATE = re.compile(r"[a-z0-9_]+\.html\.j2\Z")
_MAX_ERRORS = 50


class EditionError(Exception):
    """An edition file with mistakes; carries one diagnostic per mistake."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__("; ".join(d.message for d in diagnostics))
        self.diagnostics = diagnostics


class _Reader:
    def __init__(self, loaded: Any, file: str, languages: tuple[str, ...]) -> None:
        self.languages = languages
        self.loaded = loaded
        self.file = file
        self.problems: list[Diagnostic] = []

    def fail(self, path: Path_, message: str, *, key: bool = False) -> None:
        if len(self.problems) >= _MAX_ERRORS:
            return
        line, col = self.loaded.where(path, key=key) if self.loaded is not None else (1, 1)
        where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path)
        self.problems.append(
            Diagnostic(
                line, col, "error", "form-spec", where.replace(".[", "["), message, self.file
            )
        )

    def read(self, tp: Any, value: Any, path: Path_) -> Any:
        origin = typing.get_origin(tp)
        if dataclasses.is_dataclass(tp) and isinstance(tp, type):
            return self.record(tp, value, path)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            return None if value is None else self.read(args[0], value, path)
        if origin is typing.Literal:
            choices = typing.get_args(tp)
            if value not in choices:
                self.fail(
                    path, f"«{value}» er ikke tillatt her. Tillatt: {', '.join(map(str, choices))}."
                )
            return value
        if origin is tuple:
            if not isinstance(value, list):
                self.fail(path, "her skal det stå en liste.")
                return ()
            item = typing.get_args(tp)[0]
            return tuple(self.read(item, v, (*path, i)) for i, v in enumerate(value))
        if origin is dict:
            if not isinstance(value, dict):
                self.fail(path, "her skal det stå en gruppe med nøkler (språkkode: tekst).")
                return {}
            # Every map in the spec is a text (or word list) per language.
            self.languages_of(value, path)
            item = typing.get_args(tp)[1]
            return {str(k): self.read(item, v, (*path, k)) for k, v in value.items()}
        if tp is Any:
            return value
        if tp is bool:
            if not isinstance(value, bool):
                self.fail(path, "her skal det stå true eller false.")
            return value
        if tp is int:
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(path, "her skal det stå et helt tall.")
            return value
        if tp is str:
            if not isinstance(value, str) or not value.strip():
                self.fail(path, "her skal det stå en tekst.")
            return value
        raise TypeError(tp)  # pragma: no cover - a type the spec does not use

    def languages_of(self, value: dict[Any, Any], path: Path_) -> None:
        missing = [lang for lang in self.languages if lang not in value]
        if missing:
            self.fail(path, f"teksten mangler språket {', '.join(missing)}.")
        for key in value:
            if key not in self.languages:
                self.fail(
                    (*path, key),
                    f"«{key}» er ikke blant utgavens språk ({', '.join(self.languages)}); "
                    "legg språket til i languages: først.",
                    key=True,
                )

    def record(self, cls: type[Any], value: Any, path: Path_) -> Any:
        if not isinstance(value, dict):
            self.fail(path, f"her skal det stå en gruppe med nøkler ({cls.__name__}).")
            return None
        fields = _fields(cls)
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            if key not in fields:
                from ..diagnostics import did_you_mean

                self.fail(
                    (*path, key),
                    f"ukjent nøkkel «{key}».{did_you_mean(str(key), list(fields))} "
                    f"Tillatte nøkler her: {', '.join(fields)}.",
                    key=True,
                )
                continue
            kwargs[key] = self.read(fields[key][0], item, (*path, key))
        for key, (_, required) in fields.items():
            if required and key not in value:
                self.fail(path, f"«{key}» mangler.", key=True)
        if any(required and key not in kwargs for key, (_, required) in fields.items()):
            return None
        try:
            return cls(**kwargs)
        except TypeError:  # a field read as None after a reported mistake
            return None


def _fields(cls: type[Any]) -> dict[str, tuple[Any, bool]]:
    """Each field of a spec record: its type and whether it must be written."""
    found = _FIELDS.get(cls)
    if found is None:
        found = _FIELDS[cls] = _read_fields(cls)
    return found


_FIELDS: dict[type[Any], dict[str, tuple[Any, bool]]] = {}


def _read_fields(cls: type[Any]) -> dict[str, tuple[Any, bool]]:
    hints = typing.get_type_hints(cls, vars(spec))
    return {
        f.name: (
            hints[f.name],
            f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING,
        )
        for f in dataclasses.fields(cls)
        if f.init
    }


def edition_from_data(data: Any, *, loaded: Any = None, file: str = "") -> Edition:
    """The edition in `data`; raises EditionError listing every mistake in it."""
    langs = data.get("languages") if isinstance(data, dict) else None
    languages = tuple(x for x in langs if isinstance(x, str)) if isinstance(langs, list) else ()
    reader = _Reader(loaded, file, languages)
    edition = reader.read(Edition, data, ())
    if edition is not None and not reader.problems:
        _Rules(reader, edition, data).check()
    if reader.problems or edition is None:
        raise EditionError(reader.problems)
    return typing.cast(Edition, edition)


class _Rules:
    """What the types alone do not say: languages, unique ids and keys, references."""

    def __init__(self, reader: _Reader, edition: Edition, data: Any) -> None:
        self.r = reader
        self.e = edition
        self.data = data

    def check(self) -> None:
        e = self.e
        if e.format != spec.FORMAT:
            self.r.fail(
                ("format",), f"formatet er {e.format}; denne versjonen leser format {spec.FORMAT}."
            )
        if not _ID.match(e.id):
            self.r.fail(
                ("id",), "id skrives med små bokstaver, tall og bindestrek: ehn-public-2025."
            )
        if not e.languages:
            self.r.fail(("languages",), "utgaven må ha minst ett språk, for eksempel [nb].")
        for i, lang in enumerate(e.languages):
            if not _LANGUAGE.match(lang):
                self.r.fail(("languages", i), f"«{lang}» er ikke en språkkode som nb, nn eller en.")
        ids: dict[str, Path_] = {}
        codes: dict[str, Path_] = {}
        parts = [("parts_before", i, p) for i, p in enumerate(e.parts_before)]
        parts += [("parts_after", i, p) for i, p in enumerate(e.parts_after)]
        part_keys = {"steps"}
        for where, i, part in parts:
            self.unique_key(part_keys, part.key, (where, i, "key"))
            keys: set[str] = set()
            for j, q in enumerate(part.questions):
                self.question(q, (where, i, "questions", j), keys, ids, codes)
        step_keys: set[str] = set()
        for i, step in enumerate(e.steps):
            self.unique_key(step_keys, step.key, ("steps", i, "key"))
            if step.number != i + 1:
                self.r.fail(
                    ("steps", i, "number"), f"trinn nummer {i + 1} skal ha number: {i + 1}."
                )
            if step.intro is not None and not _TEMPLATE.match(step.intro):
                self.r.fail(
                    ("steps", i, "intro"),
                    "intro er navnet på en tekstmal, som step1_intro.html.j2.",
                )
            keys = set()
            for j, section in enumerate(step.sections):
                for k, q in enumerate(section.questions):
                    self.question(q, ("steps", i, "sections", j, "questions", k), keys, ids, codes)
        for _, q in e.questions():
            if q.table is not None and q.table.matches is not None:
                self.matches(q.table, ids[q.id])

    def unique_key(self, seen: set[str], key: str, path: Path_) -> None:
        if not _KEY.match(key):
            self.r.fail(
                path, f"nøkkelen «{key}» skrives med små bokstaver, tall og _ (a1, key_info)."
            )
        elif key in seen:
            self.r.fail(path, f"nøkkelen «{key}» er brukt før på samme nivå.")
        seen.add(key)

    def question(
        self,
        q: Question,
        path: Path_,
        keys: set[str],
        ids: dict[str, Path_],
        codes: dict[str, Path_],
    ) -> None:
        self.unique_key(keys, q.key, (*path, "key"))
        if not _ID.match(q.id):
            self.r.fail((*path, "id"), "id skrives med små bokstaver, tall, punktum og bindestrek.")
        elif q.id in ids:
            self.r.fail((*path, "id"), f"id «{q.id}» er brukt før; hvert spørsmål har sin egen id.")
        ids[q.id] = path
        if q.code:
            if q.code in codes:
                self.r.fail((*path, "code"), f"koden {q.code} er brukt før.")
            codes[q.code] = path
        if q.note is not None and not _TEMPLATE.match(q.note):
            self.r.fail(
                (*path, "note"), "note er navnet på en tekstmal, som step2_priority.html.j2."
            )
        needs_table = q.kind in ("table", "cards", "goals")
        if needs_table and q.table is None:
            self.r.fail(path, f"et spørsmål av typen {q.kind} må ha table: med kolonnene.")
        if not needs_table and q.table is not None:
            self.r.fail(
                (*path, "table"), f"et spørsmål av typen {q.kind} har ingen tabell.", key=True
            )
        if q.table is not None:
            self.table(q, q.table, (*path, "table"))

    def table(self, q: Question, t: Table, path: Path_) -> None:
        seen: set[str] = set()
        for i, c in enumerate(t.columns):
            self.unique_key(seen, c.key, (*path, "columns", i, "key"))
            if c.vocabulary is not None and c.vocabulary != "themes":
                self.r.fail((*path, "columns", i, "vocabulary"), "den eneste ordlisten er themes.")
        if not t.columns:
            self.r.fail((*path, "columns"), "tabellen må ha minst én kolonne.")
        if q.kind == "table" and (t.rows_key is None or t.rows_label is None):
            self.r.fail(path, "en tabell må ha rows_key og rows_label.")
        if q.kind == "table" and t.comment_key is not None and t.comment_label is None:
            self.r.fail(path, "comment_key må ha comment_label.")
        if t.layout == "grouped" and t.group_by not in seen:
            self.r.fail((*path, "group_by"), "group_by må være en av tabellens kolonner.")
        if q.kind == "cards" and (t.matches is None or t.match_field not in seen):
            self.r.fail(path, "kort må ha matches (id-en til tabellen de følger) og match_field.")
        if t.max_rows < 1:
            self.r.fail((*path, "max_rows"), "max_rows må være minst 1.")

    def matches(self, t: Table, path: Path_) -> None:
        try:
            target = self.e.question(t.matches or "")
        except KeyError:
            self.r.fail((*path, "table", "matches"), f"fant ikke spørsmålet med id «{t.matches}».")
            return
        if target.table is None or t.match_column not in {c.key for c in target.table.columns}:
            self.r.fail(
                (*path, "table", "match_column"),
                f"«{t.match_column}» er ikke en kolonne i tabellen «{t.matches}».",
            )
