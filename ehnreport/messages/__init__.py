"""Every sentence ehnreport says to its user, in each language: the YAML files here.

A message is a key and its parameters (`Msg`), made into a sentence only when it is
printed, in the language the user chose with `--lang` or `EHNREPORT_LANG` (default
nb). So a diagnostic keeps its code, path and parameters whatever the language, and
the machine formats and fingerprints never move with it.

A key ending in `-one` is the same sentence for `count=1`, chosen by itself when the
message has that parameter (a language without a singular form repeats the text).
Each file here is one area (`loader.yaml` holds the keys `loader.*`); each key has a
text in every language of LANGUAGES, side by side, with the same `{names}` in each.
The program reads `catalog.json`, a prepared copy of all of them that
`python -m ehnreport.messages` writes (JSON reads in well under a millisecond; the
YAML would cost `validate` several); tests/test_messages.py keeps the two equal,
and checks that no text is missing and no placeholder differs between languages.
"""

from __future__ import annotations

import functools
import json
import os
import pkgutil
from collections.abc import Iterable, Sequence
from typing import NamedTuple, Union

LANGUAGES: tuple[str, ...] = ("nb", "nn", "en")
DEFAULT = "nb"
ENV = "EHNREPORT_LANG"
PREPARED = "catalog.json"


class Texts(NamedTuple):
    """A text given in each language, such as a form label, used as a parameter."""

    nb: str
    nn: str
    en: str

    @classmethod
    def of(cls, texts: dict[str, str] | None) -> Texts:
        """From an edition's `{nb, nn, en}` mapping; a missing language falls back to nb."""
        texts = texts or {}
        nb = texts.get("nb", "")
        return cls(nb, texts.get("nn") or nb, texts.get("en") or nb)

    def pick(self, lang: str) -> str:
        return str(getattr(self, lang, self.nb))


# What a parameter may be: text and numbers as they are, another message or a text in
# each language in the language of the sentence, a sequence of them joined by ", ".
Param = Union[str, int, float, None, "Msg", Texts, tuple["Param", ...]]


class Msg(NamedTuple):
    """A message: a catalog key, its parameters, and messages that follow it."""

    key: str
    params: tuple[tuple[str, Param], ...] = ()
    more: tuple[Msg, ...] = ()

    def plus(self, *others: Msg | None) -> Msg:
        """This message followed by `others` (None is skipped), each as its own sentence."""
        extra = tuple(o for o in others if o is not None)
        return self._replace(more=self.more + extra) if extra else self

    def text(self, lang: str | None = None) -> str:
        """The sentence in `lang` (default: the chosen language)."""
        return render(self, lang)

    def param(self, name: str) -> Param:
        """The value of one parameter, or None."""
        return dict(self.params).get(name)

    def __str__(self) -> str:
        return render(self)


def msg(key: str, **params: Param) -> Msg:
    """A message for `key` with `params` (keyword order kept, so equal calls compare equal)."""
    for name, value in params.items():
        if isinstance(value, list):  # keep messages hashable
            params[name] = tuple(value)
    return Msg(key, tuple(params.items()))


class _Chosen:
    language: str = DEFAULT


_chosen = _Chosen()


def language() -> str:
    """The language messages are printed in now."""
    return _chosen.language


def choose(lang: str) -> None:
    """Print messages in `lang` from now on (one of LANGUAGES)."""
    if lang not in LANGUAGES:
        raise ValueError(lang)
    _chosen.language = lang


def from_argv(argv: Sequence[str], environ: dict[str, str] | None = None) -> str | None:
    """The language asked for by `--lang L` (or `--lang=L`) in `argv`, else EHNREPORT_LANG.

    Returns the value as given (None when neither is set); the caller checks it, so
    that a wrong value is reported, not silently replaced.
    """
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.partition("=")[2]
    value = (os.environ if environ is None else environ).get(ENV, "")
    return value or None


@functools.cache
def catalog() -> dict[str, dict[str, str]]:
    """Every message: key -> language -> text, from the prepared copy."""
    raw = pkgutil.get_data(__package__, PREPARED)
    if raw is None:  # pragma: no cover - a loader that cannot read package data
        raise FileNotFoundError(PREPARED)
    data: dict[str, dict[str, str]] = json.loads(raw)
    return data


def _value(value: Param, lang: str) -> str:
    if isinstance(value, Msg):
        return render(value, lang)
    if isinstance(value, Texts):
        return value.pick(lang)
    if isinstance(value, tuple):
        return ", ".join(_value(v, lang) for v in value)
    if value is None:
        return ""
    return str(value)


def render(m: Msg | str, lang: str | None = None) -> str:
    """`m` as a sentence in `lang` (default: the chosen language); a str is kept as it is."""
    if isinstance(m, str):
        return m
    lang = lang or _chosen.language
    found = catalog()
    texts = found[m.key]
    # A sentence with a count of one may have its own form: "1 warning", not "1 warnings".
    if m.params and dict(m.params).get("count") == 1:
        texts = found.get(f"{m.key}-one", texts)
    template = texts.get(lang) or texts[DEFAULT]
    text = template.format_map({name: _value(v, lang) for name, v in m.params})
    if m.more:
        text = " ".join([text, *(render(o, lang) for o in m.more)])
    return text


def join(items: Iterable[Param]) -> tuple[Param, ...]:
    """Items for a parameter that lists them."""
    return tuple(items)
