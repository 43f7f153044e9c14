"""`ehnreport next-year`: next year's draft from this year's report.

The year moves on and the PDF's date is dropped; the goals set for the coming year
become the year's goals, without a status; the year's figures are cleared; every
other answer is kept as a starting point, with a comment saying it is last year's
text. Questions are carried by their stable id, so a draft may move to a newer
edition of the form.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from . import messages
from .errors import ReportInvalid
from .forms import Edition, load_edition
from .importer import formview
from .importer.writer import report_yaml
from .messages import msg
from .validate import check_file, printable


@dataclass
class Draft:
    """The draft's YAML text, and what was cleared or could not be carried."""

    text: str
    year: int
    cleared: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    dropped: list[str] = field(default_factory=list)


def default_target(source: Path, year: int) -> Path:
    """ntnu-2024.yaml gives ntnu-2025.yaml; a name without the year gets it added."""
    old = str(year - 1)
    stem = source.stem
    name = stem.replace(old, str(year)) if old in stem else f"{stem}-{year}"
    return source.with_name(name + source.suffix)


def next_edition(old: Edition, year: int) -> Edition:
    """The newest known edition for `year` in `old`'s sector, when it is newer than `old`."""
    newest = load_edition(formview.edition_for_year(year, old.sector))
    return newest if newest.year > old.year else old


def next_year(source: Path, target: Path | None = None) -> tuple[Draft, Path]:
    """The draft for the year after `source`'s. Raises ReportInvalid or InputFileError."""
    result = check_file(source)
    if not result.valid or result.loaded is None:
        raise ReportInvalid(result.diagnostics)
    old: dict[str, Any] = copy.deepcopy(result.loaded.data)
    year = int(old["report"]["year"]) + 1
    target = target or default_target(source, year)
    before = load_edition(old["report"]["form"])
    after = next_edition(before, year)
    draft = Draft(text="", year=year)
    # The draft's comments are part of the report: in its language, as init writes them.
    lang = _language(old, after)

    def say(key: str, **params: messages.Param) -> str:
        return msg(key, **params).text(lang)

    notes: dict[str, list[str]] = {}
    data: dict[str, Any] = {}
    last = say("tools.nextyear.last-year", last=year - 1, year=year)
    old_by_id = formview.by_id(before)
    for qid, new in formview.by_id(after).items():
        was = old_by_id.get(qid)
        value = _get(old, was.path) if was is not None else None
        if new.path == ("report", "year"):
            value = year
        elif new.path == ("report", "form"):
            value = after.id
        elif new.path == ("report", "date"):
            value = None
        elif new.q.kind == "goals" and new.q.yearly == "clear":
            # Last year's goals for the coming year are this year's goals, without status.
            value = _goals_for_the_year(old, before, new.q.table)
            if value:
                notes[new.dotted] = [say("tools.nextyear.goals", year=year)]
        if not formview.answered(value):
            continue
        if new.q.kind == "file" and not (target.parent / str(value)).is_file():
            notes[new.dotted] = [say("tools.nextyear.file-missing", file=str(value))]
            draft.dropped.append(new.dotted)
            continue
        if new.q.yearly == "clear" and new.q.kind != "goals":
            if not (new.q.kind == "list" and new.path[0] == "goals"):  # moved, not cleared
                draft.cleared.append(new.dotted)
            continue
        _put(data, new.path, value)
        # The answers to revise: every step's, and the texts and figures outside them.
        if new.path[0] == "steps" or new.q.kind in ("text", "count"):
            notes[new.dotted] = [last]
            draft.kept.append(new.dotted)
    for qid, was in old_by_id.items():
        if qid not in formview.by_id(after) and formview.answered(_get(old, was.path)):
            code = f"{was.q.code} " if was.q.code else ""
            draft.dropped.append(f"{code}{was.dotted} ({printable(was.label[:60])})")
    if not formview.answered(_get(data, ("member", "logo"))):
        (data.get("member") or {}).pop("logo_alt", None)
    header = [
        say("importer.report-for", year=year, member=str(_get(old, ("member", "name")))),
        say("tools.nextyear.header", source=source.name),
    ]
    draft.text = report_yaml(data, after, header=header, notes=notes, language=lang)
    return draft, target


def _language(data: dict[str, Any], edition: Edition) -> str:
    """The report's language when the edition (and the catalog) has it, else the edition's."""
    lang = _get(data, ("report", "language"))
    if isinstance(lang, str) and lang in edition.languages and lang in messages.LANGUAGES:
        return lang
    first = edition.languages[0]
    return first if first in messages.LANGUAGES else messages.DEFAULT


def _goals_for_the_year(old: dict[str, Any], before: Edition, table: Any) -> list[Any]:
    """Last year's goals for the coming year (the yearly list) as goals without a status."""
    key = table.columns[0].key if table is not None else "text"
    for path, q in before.questions():
        if q.kind == "list" and q.yearly == "clear" and path[0] == "goals":
            return [{key: t} for t in _get(old, path) or []]
    return []


def _get(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        data = data.get(key) if isinstance(data, dict) else None
    return data


def _put(data: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        data = data.setdefault(key, {})
    data[path[-1]] = value
