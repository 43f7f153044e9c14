"""Writing a filled report as `init` lays one out, and checking it before it is kept.

The layout and the YAML scalars come from `ehnreport.scaffold`, the writer `init`
uses: the editor's modeline, every part and question with its code, label and help
as comments, free text as `|` blocks. Unanswered questions are written exactly as
`init` writes them, so a member can fill them in the same way. This module and
`formview` are the only ones of import, next-year and diff that know the scaffold and
the models; when the writer moves to a module of its own, only they change.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from .. import scaffold as _s
from ..errors import BuildError, Diagnostic, UserError
from ..model import Report, Steps
from ..validate import check_file
from . import formview

# Text fields written as `|` blocks even when they hold one line, as `init` does.
_BLOCK_TEXT = {"foreword.text", "key_info.structure", "goal.text", "goal.comment"}

Notes = Mapping[str, list[str]]


def report_yaml(
    data: Mapping[str, Any],
    *,
    header: list[str],
    notes: Notes | None = None,
    schema: str | None = _s.DEFAULT_SCHEMA,
) -> str:
    """The YAML text of the report `data`, laid out as `init` lays out a new report.

    `header` is the opening comment, one paragraph per item. `notes` maps a dotted
    path (such as "steps.step2.a3" or "key_info.employees") to comment lines written
    above that key.
    """
    notes = notes or {}
    out = _s._Writer()
    if schema is not None:
        out.line(0, f"# yaml-language-server: $schema={schema}")
        out.line(0, "#")
    for text in header:
        _s._comment(out, 0, text)
    for part, field in Report.model_fields.items():
        if part == "steps":
            _steps(out, data.get("steps") or {}, notes)
            continue
        out.blank()
        _s._comment(out, 0, field.title or part)
        if field.description:
            _s._comment(out, 0, field.description)
        out.line(0, f"{part}:")
        model = _s.inner_type(field.annotation)
        values = data.get(part) or {}
        for key in model.model_fields:
            _field(out, f"{part}.{key}", key, values.get(key), notes)
    return out.text()


def _note(out: Any, indent: int, dotted: str, notes: Notes) -> None:
    for text in notes.get(dotted, []):
        _s._comment(out, indent, text)


def _field(out: Any, dotted: str, key: str, value: Any, notes: Notes) -> None:
    _s._comment(out, 2, formview.label(dotted))
    _s._help(out, 2, formview.help_text(dotted))
    _note(out, 2, dotted, notes)
    if _empty(value):
        if dotted in _s._EXAMPLES:
            _s._example(out, 2, key, _s._EXAMPLES[dotted])
            out.line(2, f"{key}: []")
        elif dotted in _s._LONG_TEXT:
            out.line(2, f"{key}: |")
        else:
            out.line(2, f"{key}:")
        return
    if dotted == "goals.current":
        value = [{k: _block(v, f"goal.{k}") for k, v in g.items()} for g in value]
    elif dotted == "goals.next_year":
        value = [_block(v, "goal.text") for v in value]
    else:
        value = _block(value, dotted)
    for line in _s._yaml(key, value, 2):
        out.line(0, line)


def _block(value: Any, dotted: str) -> Any:
    """Free text as a `|` block: it ends with a line break."""
    if isinstance(value, str) and (dotted in _BLOCK_TEXT or "\n" in value):
        return value.strip("\n") + "\n"
    return value


# Free-text fields of cards and table rows, written as `|` blocks.
_BLOCK_KEYS = {"overall_goal", "status", "year_goal", "measures", "results", "action"}


def _blocks(row: Any) -> Any:
    """A card or table row with its free-text fields as `|` blocks."""
    if not isinstance(row, dict):
        return row
    return {
        k: (v.strip("\n") + "\n" if k in _BLOCK_KEYS and isinstance(v, str) else v)
        for k, v in row.items()
    }


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def _steps(out: Any, data: Mapping[str, Any], notes: Notes) -> None:
    out.blank()
    _s._comment(out, 0, Report.model_fields["steps"].title or "steps")
    out.line(0, "steps:")
    for step in formview.printed_steps():
        out.blank()
        _s._comment(out, 2, f"Trinn {step.number}: {step.title}")
        answers = data.get(step.key) or {}
        out.line(2, f"{step.key}:")
        model = _s.inner_type(Steps.model_fields[step.key].annotation)
        for section in step.sections:
            out.blank()
            _s._comment(out, 4, section.title, first=f"{section.code} ")
            if section.code in formview.INSTRUCTIONS:
                _s._comment(out, 4, formview.INSTRUCTIONS[section.code])
            for q in section.questions:
                value = answers.get(q.key)
                dotted = f"steps.{step.key}.{q.key}"
                if _empty(value):
                    _s._question(out, q, model)
                    _note(out, 4, dotted, notes)
                    continue
                out.blank()
                if q.code in formview.SUBHEADINGS:
                    _s._comment(out, 4, formview.SUBHEADINGS[q.code].upper())
                _s._comment(out, 4, q.label, first=f"{q.code} ")
                _s._help(out, 4, q.help)
                _note(out, 4, dotted, notes)
                _answer(out, q.key, value, model)


def _answer(out: Any, key: str, value: Any, step_model: type[BaseModel]) -> None:
    if isinstance(value, dict):
        out.line(4, f"{key}:")
        answer = _s.inner_type(step_model.model_fields[key].annotation)
        for sub in answer.model_fields:
            v = value.get(sub)
            if _empty(v):
                if sub in ("rows", "risks", "counts"):
                    out.line(6, f"{sub}: []")
                else:
                    out.line(6, f"{sub}: |")
                continue
            if isinstance(v, list):
                v = [_blocks(row) for row in v]
            elif isinstance(v, str):
                v = v.strip("\n") + "\n"
            for line in _s._yaml(sub, v, 6):
                out.line(0, line)
        return
    if isinstance(value, list):
        value = [_blocks(card) for card in value]
    elif isinstance(value, str) and not value.startswith(("http://", "https://")):
        value = value.strip("\n") + "\n"
    for line in _s._yaml(key, value, 4):
        out.line(0, line)


def write_checked(target: Path, text: str) -> list[Diagnostic]:
    """Write `text` to `target` only if it validates there; return its warnings.

    The text is written to a temporary file beside the target, checked as
    `ehnreport validate` checks it, and renamed into place; an invalid result is
    removed and raises BuildError, so no half-right file is ever left at `target`.
    """
    target = Path(target)
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".yaml", dir=folder)
    except OSError as exc:
        raise BuildError(f"{folder}: kan ikke skrive hit ({exc.strerror}).") from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
        result = check_file(tmp)
        errors = [d for d in result.diagnostics if d.is_error]
        if not result.valid:
            first = errors[0].message if errors else "ukjent feil"
            raise BuildError(
                f"{target}: rapporten som ble laget er ikke gyldig ({first}); "
                "ingenting er skrevet. Meld gjerne fra om dette."
            )
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise BuildError(f"{target}: kunne ikke skrives ({exc.strerror}).") from None
    except (UserError, BaseException):
        tmp.unlink(missing_ok=True)
        raise
    return [d for d in result.diagnostics if not d.is_error]
