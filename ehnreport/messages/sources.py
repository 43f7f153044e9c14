"""The YAML sources of the message catalog: reading, checking and preparing them."""

from __future__ import annotations

import json
import re
import string
from pathlib import Path

from . import LANGUAGES, PREPARED

HERE = Path(__file__).resolve().parent
_KEY = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*\Z")


def read() -> dict[str, dict[str, str]]:
    """Every message of every YAML file here, its key prefixed by the file's name."""
    import yaml

    out: dict[str, dict[str, str]] = {}
    for path in sorted(HERE.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if not isinstance(data, dict):
            raise ValueError(f"{path.name}: not a mapping of messages")
        for key, texts in data.items():
            out[f"{path.stem}.{key}"] = texts
    return out


def placeholders(template: str) -> set[str]:
    """The `{names}` a template fills in."""
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def problems(data: dict[str, dict[str, str]]) -> list[str]:
    """What is wrong with the catalog: a key, a missing language, a placeholder that differs."""
    found: list[str] = []
    for key, texts in data.items():
        if not _KEY.match(key):
            found.append(f"{key}: a key is lower-case words joined by - _ or .")
        if not isinstance(texts, dict):
            found.append(f"{key}: not a mapping of languages")
            continue
        for lang in LANGUAGES:
            text = texts.get(lang)
            if not isinstance(text, str) or not text.strip():
                found.append(f"{key}: no text in {lang}")
        for extra in sorted(set(texts) - set(LANGUAGES)):
            found.append(f"{key}: {extra} is not a language of the catalog")
        try:
            names = {lang: placeholders(texts[lang]) for lang in LANGUAGES if lang in texts}
        except ValueError as exc:
            found.append(f"{key}: {exc}")
            continue
        if len({frozenset(n) for n in names.values()}) > 1:
            found.append(f"{key}: the languages fill in different placeholders: {names}")
    return found


def prepared_text(data: dict[str, dict[str, str]]) -> str:
    """The prepared copy, as `python -m ehnreport.messages` writes it."""
    ordered = {k: {lang: data[k][lang] for lang in LANGUAGES} for k in sorted(data)}
    return json.dumps(ordered, ensure_ascii=False, indent=1) + "\n"


def write() -> Path:
    """Check the sources and write the prepared copy; ValueError on any problem."""
    data = read()
    found = problems(data)
    if found:
        raise ValueError("\n".join(found))
    target = HERE / PREPARED
    target.write_text(prepared_text(data), encoding="utf-8")
    return target
