"""The rules of an edition that its types alone do not say: languages, ids, keys, references.

Checked for every edition file read from form.yaml (a --forms folder, and the
bundled ones in the tests); the prepared copies of bundled editions skip them.
"""

from __future__ import annotations

import re

from pydantic import BaseModel

from ..messages import join, msg
from . import spec
from .check import Path_, _Reader
from .spec import Edition, Question, Table

_KEY = re.compile(r"[a-z][a-z0-9_]*\Z")
_ID = re.compile(r"[a-z0-9][a-z0-9.-]*\Z")
_LANGUAGE = re.compile(r"[a-z]{2,3}\Z")
# Prose templates an edition may name: a plain file name, never a path.
_TEMPLATE = re.compile(r"[a-z0-9_]+\.html\.j2\Z")


# The kinds whose value is a text, so that min_length and max_length can bound it.
_LENGTH_KINDS = frozenset({"text", "line", "url", "email", "file"})

_MODEL = re.compile(r"[A-Z][A-Za-z0-9]*\Z")
# Names a model field cannot have: pydantic's own attributes.
_RESERVED = frozenset(dir(BaseModel))


def check_rules(reader: _Reader, edition: Edition) -> None:
    """Add every rule broken in `edition` to the reader's problems."""
    _Rules(reader, edition).check()


def prose_templates(edition_id: str, language: str) -> set[str]:
    """The prose templates an edition has in `language`: those in its folder if it is
    bundled, else the default edition's (an edition added with --forms brings none)."""
    from . import DEFAULT, EDITIONS, prose_folder

    folder = prose_folder(edition_id if edition_id in EDITIONS else DEFAULT, language)
    return {p.name for p in folder.glob("*.html.j2")}


class _Rules:
    """What the types alone do not say: languages, unique ids and keys, references."""

    def __init__(self, reader: _Reader, edition: Edition) -> None:
        self.r = reader
        self.e = edition
        first = edition.languages[0] if edition.languages else ""
        # None when the first language is missing or one ehnreport cannot print: that
        # mistake is said at `languages`, not again at every template.
        self.prose = prose_templates(edition.id, first) if first in spec.LANGUAGES else None

    def template(self, name: str | None, path: Path_, example: str) -> None:
        if name is None:
            return
        if not _TEMPLATE.match(name):
            self.r.fail(path, msg("forms.template-name", example=example))
        elif self.prose is not None and name not in self.prose:
            self.r.fail(
                path, msg("forms.template-not-found", name=name, names=join(sorted(self.prose)))
            )

    def check(self) -> None:
        e = self.e
        if e.format != spec.FORMAT:
            self.r.fail(("format",), msg("forms.format", format=e.format, supported=spec.FORMAT))
        if not _ID.match(e.id):
            self.r.fail(("id",), msg("forms.edition-id"))
        if not e.languages:
            self.r.fail(("languages",), msg("forms.no-language"))
        for i, lang in enumerate(e.languages):
            if not _LANGUAGE.match(lang):
                self.r.fail(("languages", i), msg("forms.language-code", language=lang))
            elif lang not in spec.LANGUAGES:
                self.r.fail(
                    ("languages", i),
                    msg(
                        "forms.language-unsupported", language=lang, languages=join(spec.LANGUAGES)
                    ),
                )
            else:
                self.prose_in(lang, i)
        self.yes_no()
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
                self.r.fail(("steps", i, "number"), msg("forms.step-number", number=i + 1))
            self.template(step.intro, ("steps", i, "intro"), "step1_intro.html.j2")
            keys = set()
            for j, section in enumerate(step.sections):
                for k, q in enumerate(section.questions):
                    self.question(q, ("steps", i, "sections", j, "questions", k), keys, ids, codes)
        self.models(ids)
        for _, q in e.questions():
            if q.table is not None and q.table.matches is not None:
                self.matches(q.table, ids[q.id])

    def prose_in(self, language: str, index: int) -> None:
        """Each prose template of the edition's first language exists in `language` too."""
        if self.prose is None:
            return
        missing = sorted(self.prose - prose_templates(self.e.id, language))
        if missing:
            self.r.fail(
                ("languages", index),
                msg("forms.prose-missing", names=join(missing), language=language),
            )

    def yes_no(self) -> None:
        """Yes/no columns need the words for yes and no (ids "yes" and "no"), and status
        columns at least one status."""
        types = {c.type for _, q in self.e.questions() if q.table for c in q.table.columns}
        ids = [v.id for v in self.e.yes_no]
        if ("yesno" in types or ids) and sorted(ids) != ["no", "yes"]:
            self.r.fail(
                ("yes_no",) if ids else (),
                msg("forms.yes-no"),
            )
        for group, vocabulary in (
            ("goal_statuses", self.e.goal_statuses),
            ("yes_no", self.e.yes_no),
        ):
            for i, v in enumerate(vocabulary):
                for lang, words in v.words.items():
                    if not words:
                        self.r.fail((group, i, "words", lang), msg("forms.no-words"))
        if "status" in types and not self.e.goal_statuses:
            self.r.fail((), msg("forms.no-status"))

    def models(self, ids: dict[str, Path_]) -> None:
        """Model names (the JSON Schema's $defs) are class-like and used once each."""
        e = self.e
        names: list[tuple[str, Path_]] = [
            (e.model, ("model",)),
            (e.steps_model, ("steps_model",)),
        ]
        for group, parts in (("parts_before", e.parts_before), ("parts_after", e.parts_after)):
            names += [(p.model, (group, i, "model")) for i, p in enumerate(parts)]
        names += [(s.model, ("steps", i, "model")) for i, s in enumerate(e.steps)]
        for _, q in e.questions():
            t = q.table
            if t is None or q.id not in ids:
                continue
            path = ids[q.id]
            if q.kind == "table":  # the answer and its rows are both models
                names.append((t.model, (*path, "table", "model")))
            names.append((t.row_model, (*path, "table", "row_model")))
        seen: set[str] = set()
        for name, at in names:
            if not _MODEL.match(name):
                self.r.fail(at, msg("forms.model-name", name=name))
            elif name in seen:
                self.r.fail(at, msg("forms.model-used", name=name))
            seen.add(name)

    def unique_key(self, seen: set[str], key: str, path: Path_) -> None:
        if not _KEY.match(key):
            self.r.fail(path, msg("forms.key-form", name=key))
        elif key.startswith("model_") or key in _RESERVED:
            self.r.fail(path, msg("forms.key-reserved", name=key))
        elif key in seen:
            self.r.fail(path, msg("forms.key-used", name=key))
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
            self.r.fail((*path, "id"), msg("forms.question-id"))
        elif q.id in ids:
            self.r.fail((*path, "id"), msg("forms.question-id-used", id=q.id))
        ids[q.id] = path
        if q.code:
            if q.code in codes:
                self.r.fail((*path, "code"), msg("forms.code-used", code=q.code))
            codes[q.code] = path
        self.template(q.note, (*path, "note"), "step2_priority.html.j2")
        if q.kind not in _LENGTH_KINDS:  # a length bound on a number or a date means nothing
            for name in ("min_length", "max_length"):
                if getattr(q, name) is not None:
                    kinds = join(sorted(_LENGTH_KINDS))
                    self.r.fail((*path, name), msg("forms.length-kind", kind=q.kind, kinds=kinds))
        needs_table = q.kind in ("table", "cards", "goals")
        if needs_table and q.table is None:
            self.r.fail(path, msg("forms.needs-table", kind=q.kind))
        if not needs_table and q.table is not None:
            self.r.fail((*path, "table"), msg("forms.no-table", kind=q.kind), key=True)
        if q.table is not None:
            self.table(q, q.table, (*path, "table"))

    def table(self, q: Question, t: Table, path: Path_) -> None:
        seen: set[str] = set()
        for i, c in enumerate(t.columns):
            self.unique_key(seen, c.key, (*path, "columns", i, "key"))
            if c.vocabulary is not None and c.vocabulary != "themes":
                self.r.fail((*path, "columns", i, "vocabulary"), msg("forms.vocabulary"))
        if not t.columns:
            self.r.fail((*path, "columns"), msg("forms.no-columns"))
        if q.kind == "table" and (t.rows_key is None or t.rows_label is None):
            self.r.fail(path, msg("forms.rows"))
        if q.kind == "table" and t.comment_key is not None and t.comment_label is None:
            self.r.fail(path, msg("forms.comment"))
        if t.layout == "grouped" and t.group_by not in seen:
            self.r.fail((*path, "group_by"), msg("forms.group-by"))
        if q.kind == "cards" and (t.matches is None or t.match_field not in seen):
            self.r.fail(path, msg("forms.cards"))
        if t.max_rows < 1:
            self.r.fail((*path, "max_rows"), msg("forms.max-rows"))

    def matches(self, t: Table, path: Path_) -> None:
        try:
            target = self.e.question(t.matches or "")
        except KeyError:
            self.r.fail((*path, "table", "matches"), msg("forms.matches-not-found", id=t.matches))
            return
        if target.table is None or t.match_column not in {c.key for c in target.table.columns}:
            self.r.fail(
                (*path, "table", "match_column"),
                msg("forms.match-column", column=t.match_column, table=t.matches),
            )
