"""Diagnostics in the formats code-review tools read: SARIF 2.1.0 and GitLab Code Quality.

Both take the results of `validate.check_file` and return plain data for
`json.dumps`. Paths are written as they were given, with forward slashes, so that
the tools can match them to files in the repository. A file name that is not UTF-8
is percent-encoded byte for byte in a URI, and escaped (`\udcff`) where it is text.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from pathlib import PurePath, PureWindowsPath
from typing import Any
from urllib.parse import quote

from ..codes import CODES
from ..errors import Diagnostic, printable
from ..validate import CheckResult

SARIF_SCHEMA = (
    "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
)

_LINE_NUMBER = re.compile(r"\blinje \d+")


def _posix(path: object) -> str:
    """A path as given, with forward slashes; unsafe characters escaped."""
    return printable(_slashes(path))


def _slashes(path: object) -> str:
    text = str(path)
    if "\\" in text:
        return PureWindowsPath(text).as_posix()
    return PurePath(text).as_posix()


def _uri(path: object) -> str:
    """A path as a URI reference: relative stays relative, absolute becomes file://."""
    text = _slashes(path)
    # The name's own bytes: a name that is not UTF-8 came in as lone surrogates.
    try:
        raw = text.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:  # a surrogate no file name decodes to
        raw = printable(text).encode("utf-8")
    if PureWindowsPath(text).drive:  # C:/x would read as a URI with scheme "c"
        return "file:///" + quote(raw, safe="/:")
    if text.startswith("/"):
        return "file://" + quote(raw, safe="/")
    return quote(raw, safe="/")


def _text(d: Diagnostic) -> str:
    return f"{d.path}: {d.text()}" if d.path else d.text()


def _fingerprints(result: CheckResult) -> list[str]:
    """A stable identity per diagnostic: the same problem keeps it when lines move.

    Made of the file, code, YAML path and message, not the line; line numbers inside
    a message are left out too. Repeats of one problem are told apart by their order.
    The message is always taken in nb, so that the identity does not change with the
    language the output is printed in (nor from the versions that printed only nb).
    """
    path = _posix(result.path)
    seen: Counter[str] = Counter()
    out = []
    for d in result.diagnostics:
        message = _LINE_NUMBER.sub("linje", d.text("nb"))
        base = f"{path}\0{d.code}\0{d.path}\0{message}"
        n = seen[base]
        seen[base] += 1
        if n:
            base += f"\0{n}"
        out.append(hashlib.sha256(base.encode("utf-8")).hexdigest())
    return out


def _level(d: Diagnostic, strict: bool) -> str:
    return "error" if d.is_error or strict else "warning"


def sarif(results: list[CheckResult], version: str, *, strict: bool = False) -> dict[str, Any]:
    """A SARIF 2.1.0 log of all diagnostics, for GitHub code scanning and other tools.

    Under `strict` warnings are errors, as they fail the command.
    """
    levels: dict[str, str] = {}
    for r in results:
        for d in r.diagnostics:
            if d.code not in levels or _level(d, strict) == "error":
                levels[d.code] = _level(d, strict)
    rule_ids = sorted(levels)
    index = {code: i for i, code in enumerate(rule_ids)}
    rules = [
        {
            "id": code,
            "name": code,
            "shortDescription": {"text": CODES[code].description},
            "defaultConfiguration": {"level": levels[code]},
        }
        for code in rule_ids
    ]
    out: list[dict[str, Any]] = []
    for r in results:
        uri = _uri(r.path)
        for d, fingerprint in zip(r.diagnostics, _fingerprints(r), strict=True):
            out.append(
                {
                    "ruleId": d.code,
                    "ruleIndex": index[d.code],
                    "level": _level(d, strict),
                    "message": {"text": _text(d)},
                    "locations": [
                        {
                            "physicalLocation": {
                                "artifactLocation": {"uri": uri},
                                "region": {
                                    "startLine": max(d.line, 1),
                                    "startColumn": max(d.column, 1),
                                },
                            }
                        }
                    ],
                    "partialFingerprints": {"ehnreport/v1": fingerprint},
                }
            )
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {"driver": {"name": "ehnreport", "version": version, "rules": rules}},
                "columnKind": "unicodeCodePoints",
                "results": out,
            }
        ],
    }


def gitlab(results: list[CheckResult], *, strict: bool = False) -> list[dict[str, Any]]:
    """A GitLab Code Quality report: one issue per diagnostic.

    Errors are "major", warnings "minor" ("major" too under `strict`).
    """
    out: list[dict[str, Any]] = []
    for r in results:
        path = _posix(r.path)
        for d, fingerprint in zip(r.diagnostics, _fingerprints(r), strict=True):
            out.append(
                {
                    "description": _text(d),
                    "check_name": d.code,
                    "fingerprint": fingerprint,
                    "severity": "major" if _level(d, strict) == "error" else "minor",
                    "location": {"path": path, "lines": {"begin": max(d.line, 1)}},
                }
            )
    return out
