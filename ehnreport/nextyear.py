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

from .errors import ReportInvalid
from .importer import formview
from .importer.writer import report_yaml
from .validate import check_file, printable

# Text parts outside the steps that carry over with a comment.
_KEPT_PARTS = ("foreword.text", "key_info.structure", "key_info.employees")


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


def next_year(source: Path, target: Path | None = None) -> tuple[Draft, Path]:
    """The draft for the year after `source`'s. Raises ReportInvalid or InputFileError."""
    result = check_file(source)
    if not result.valid or result.loaded is None:
        raise ReportInvalid(result.diagnostics)
    old: dict[str, Any] = copy.deepcopy(result.loaded.data)
    year = int(old["report"]["year"]) + 1
    target = target or default_target(source, year)
    old_edition = old["report"].get("form", formview.LATEST)
    edition = formview.edition_for_year(year)
    draft = Draft(text="", year=year)
    notes: dict[str, list[str]] = {}
    data: dict[str, Any] = {k: v for k, v in old.items() if k != "steps"}

    meta = {k: v for k, v in (old.get("report") or {}).items() if k != "date"}
    meta.update(year=year, form=edition)
    data["report"] = meta
    member = dict(old.get("member") or {})
    logo = member.get("logo")
    if logo and not (target.parent / logo).is_file():
        member.pop("logo", None)
        member.pop("logo_alt", None)
        notes["member.logo"] = [
            f"Logoen «{logo}» ligger ikke ved siden av denne filen; legg den inn igjen."
        ]
        draft.dropped.append("member.logo")
    data["member"] = member

    goals = old.get("goals") or {}
    data["goals"] = {"current": [{"text": t} for t in goals.get("next_year") or []]}
    if data["goals"]["current"]:
        notes["goals.current"] = [
            f"Målene for {year} fra fjorårets rapport; sett status når året er omme."
        ]
    procurement = dict(old.get("procurement") or {})
    for dotted in formview.YEARLY_FIELDS:
        part, key = dotted.split(".")
        if part == "procurement" and procurement.pop(key, None) is not None:
            draft.cleared.append(dotted)
    data["procurement"] = procurement

    last = f"Fjorårets tekst ({year - 1}); oppdater den for {year}."
    for dotted in _KEPT_PARTS:
        part, key = dotted.split(".")
        if _answered((data.get(part) or {}).get(key)):
            notes[dotted] = [last]
            draft.kept.append(dotted)

    data["steps"] = _steps(old.get("steps") or {}, old_edition, edition, notes, draft, last)
    header = [
        f"Rapport til Etisk handel Norge (EHN) for {year}: {member.get('name', '')}.",
        f"Utkast laget med «ehnreport next-year» fra {source.name}. Fjorårets tall er "
        "fjernet; de andre svarene står som utgangspunkt og må oppdateres.",
    ]
    draft.text = report_yaml(data, header=header, notes=notes)
    return draft, target


def _steps(
    old: dict[str, Any],
    old_edition: str,
    edition: str,
    notes: dict[str, list[str]],
    draft: Draft,
    last: str,
) -> dict[str, Any]:
    """The step answers carried by question id into `edition`."""
    before = formview.question_by_id(old_edition)
    after = formview.question_by_id(edition)
    steps: dict[str, Any] = {}
    for qid, q in before.items():
        value = (old.get(q.step) or {}).get(q.key)
        if not _answered(value):
            continue
        new = after.get(qid)
        if new is None:
            draft.dropped.append(f"{q.code} ({printable(q.label[:60])})")
            continue
        dotted = f"steps.{new.step}.{new.key}"
        if new.yearly == "clear":
            draft.cleared.append(dotted)
            continue
        steps.setdefault(new.step, {})[new.key] = value
        notes[dotted] = [last]
        draft.kept.append(dotted)
    return steps


def _answered(value: Any) -> bool:
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, dict):
        return any(_answered(v) for v in value.values())
    if isinstance(value, list):
        return any(_answered(v) for v in value)
    return True
