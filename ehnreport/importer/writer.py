"""Writing a filled report as `init` lays one out, and checking it before it is kept.

The layout is `init`'s own (`scaffold.filled`): the editor's modeline, every part and
question of the edition with its code, label and help as comments, unanswered
questions exactly as a new report has them. The values are written by `yamlwriter`;
free text (the edition's `text` kind, and the prose fields of cards and goals) as `|`
blocks.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from ..errors import BuildError, Diagnostic, os_reason
from ..forms import Edition, Question
from ..messages import msg
from ..scaffold import DEFAULT_SCHEMA, comment, filled
from ..validate import check_file
from ..yamlwriter import key_value

Notes = Mapping[str, list[str]]


def report_yaml(
    data: Mapping[str, Any],
    edition: Edition,
    *,
    header: list[str],
    notes: Notes | None = None,
    schema: str | None = DEFAULT_SCHEMA,
    language: str = "nb",
) -> str:
    """The YAML text of the report `data` on `edition`, laid out as `init` lays one out.

    `header` is the opening comment, one paragraph per item. `notes` maps a dotted
    path (such as "steps.step2.a3" or "key_info.employees") to comment lines written
    above that key. The form's labels and help are written in `language`.
    """
    notes = notes or {}

    def answer(path: tuple[str, ...], q: Question, indent: int) -> list[str] | None:
        dotted = ".".join(path)
        lines = [ln for text in notes.get(dotted, []) for ln in comment(indent, text)]
        value: Any = data
        for key in path:
            value = value.get(key) if isinstance(value, Mapping) else None
        if _empty(value):
            return lines or None
        return lines + key_value(q.key, _as_written(q, value), indent)

    return filled(edition, header, answer, schema=schema, language=language)


def _block(value: str) -> str:
    """Free text as a `|` block: it ends with one line break. Blank text stays as it is."""
    return value.strip("\n") + "\n" if value.strip() else value


def _text(value: Any) -> Any:
    """`value` as a block if it is a text; anything else as it is."""
    return _block(value) if isinstance(value, str) else value


def _as_written(q: Question, value: Any) -> Any:
    """`value` with its free text as `|` blocks, as a member fills in a new report."""
    if q.kind == "text" or (q.kind == "list" and isinstance(value, list)):
        return [_text(v) for v in value] if isinstance(value, list) else _text(value)
    t = q.table
    if t is None:
        return value
    # The prose of a card or a goal; a table's cells stay on their line unless they
    # hold a line break.
    prose = {
        c.key
        for c in t.columns
        if c.type == "text" and q.kind in ("cards", "goals") and c.key != t.match_field
    }

    def row(r: Any) -> Any:
        if not isinstance(r, Mapping):
            return r
        return {
            k: (_block(v) if isinstance(v, str) and (k in prose or "\n" in v) else v)
            for k, v in r.items()
            if v is not None
        }

    if isinstance(value, list):
        return [row(r) for r in value]
    if isinstance(value, Mapping):
        out = {k: v for k, v in value.items() if v is not None}
        if t.rows_key is not None and isinstance(out.get(t.rows_key), list):
            out[t.rows_key] = [row(r) for r in out[t.rows_key]]
        if t.comment_key is not None and isinstance(out.get(t.comment_key), str):
            out[t.comment_key] = _block(out[t.comment_key])
        return out
    return value


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return not value
    return False


def write_checked(target: Path, text: str) -> list[Diagnostic]:
    """Write `text` to `target` only if it validates there; return its warnings.

    The text is written to a temporary file beside the target, checked as
    `ehnreport validate` checks it, and renamed into place; an invalid result is
    removed and raises BuildError, so no half-right file is ever left at `target`.
    """
    target = Path(target)
    folder = target.parent  # "." for a bare file name
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".yaml", dir=folder)
    except OSError as exc:
        raise BuildError(
            msg("importer.cannot-write-here", folder=str(folder), reason=os_reason(exc))
        ) from None
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(text.encode("utf-8"))
        result = check_file(tmp)
        # Every way a report is found invalid gives an error, so this is `result.valid`.
        errors = [d for d in result.diagnostics if d.is_error]
        if errors:
            raise BuildError(
                msg("importer.made-invalid", file=str(target), first=errors[0].message)
            )
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        raise BuildError(
            msg("importer.not-written", file=str(target), reason=os_reason(exc))
        ) from None
    finally:
        tmp.unlink(missing_ok=True)  # gone once renamed; left behind by any failure
    return [d for d in result.diagnostics if not d.is_error]
