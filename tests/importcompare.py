"""Comparing two reports answer by answer: the measure the import tests use."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from ehnreport.loader import load_file


def leaves(value: Any, path: tuple[Any, ...] = ()) -> dict[tuple[Any, ...], str]:
    """Every answered value of a report, by its path, normalised for comparison."""
    out: dict[tuple[Any, ...], str] = {}
    if isinstance(value, dict):
        for k, v in value.items():
            out.update(leaves(v, (*path, k)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out.update(leaves(v, (*path, i)))
    elif value is not None and str(value).strip():
        out[path] = normalise(value)
    return out


def normalise(value: Any) -> str:
    """White space and Markdown markup aside: escapes, list markers, emphasis."""
    text = str(value)
    text = re.sub(r"(?m)^\s*(?:[-*+]|\d{1,3}[.)])\s+", "", text)
    text = re.sub(r"\\([\\`*_{}\[\]()#+\-.!>|=])", r"\1", text)
    text = text.replace("**", "")
    return " ".join(text.split())


def compare(expected: dict[str, Any], got: dict[str, Any]) -> tuple[float, list[str], list[str]]:
    """(share of expected answers found equal, paths missing or different, paths extra)."""
    want, have = leaves(expected), leaves(got)
    same = [p for p in want if have.get(p) == want[p]]
    missing = [
        f"{'.'.join(map(str, p))}: {want[p][:60]!r} != {have.get(p, '')[:60]!r}"
        for p in want
        if have.get(p) != want[p]
    ]
    extra = [".".join(map(str, p)) for p in have if p not in want]
    return len(same) / max(len(want), 1), missing, extra


def compare_files(expected: Path, got: Path) -> tuple[float, list[str], list[str]]:
    return compare(load_file(expected).data, load_file(got).data)
