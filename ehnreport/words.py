"""The fixed words ehnreport itself writes, in each language it prints: words.yaml.

The form's own texts are in each edition's form.yaml; these are the words around them,
in the report's pages (the cover, the contents, headings, the PDF's metadata, number
and date formats) and in a new report from `init`. One file for every language, each
word with all of them side by side, so that a missing translation is seen where the
word is, and a test checks that none is missing. Read on first use, never at import.
"""

from __future__ import annotations

import functools
import pkgutil

from .forms.spec import LANGUAGES

WORDS_FILE = "words.yaml"


@functools.cache
def catalog() -> dict[str, dict[str, str]]:
    """Every fixed word: key -> language -> text."""
    import yaml

    raw = pkgutil.get_data(__package__, WORDS_FILE)
    if raw is None:  # pragma: no cover - a loader that cannot read package data
        raise FileNotFoundError(WORDS_FILE)
    data: dict[str, dict[str, str]] = yaml.safe_load(raw.decode("utf-8"))
    return data


@functools.cache
def words(language: str) -> dict[str, str]:
    """The fixed words in `language` (one of LANGUAGES): key -> text."""
    if language not in LANGUAGES:
        raise KeyError(language)
    return {key: texts[language] for key, texts in catalog().items()}
