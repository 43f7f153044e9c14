"""The `json` format: every file, its diagnostics and answered questions per step."""

from __future__ import annotations

import json

from ..errors import printable
from ..validate import CheckResult


def json_document(results: list[CheckResult], *, strict: bool = False) -> str:
    """The JSON text (UTF-8 safe: a file name that is not UTF-8 is written escaped)."""
    doc = {
        "files": [
            {
                "path": printable(str(r.path)),
                "valid": r.ok(strict),
                "diagnostics": [d.as_dict() for d in r.diagnostics],
                "answered": [
                    {"step": c.number, "answered": c.answered, "total": c.total} for c in r.counts
                ],
            }
            for r in results
        ]
    }
    return json.dumps(doc, ensure_ascii=False, indent=2)
