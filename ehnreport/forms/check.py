"""Reading an edition's data into the spec's records, checking every field on the way.

The check is strict in the way a report's is: unknown keys, missing keys, values of
the wrong type and texts missing a language are mistakes, each reported at its own
line and column with a message of the catalog (forms.yaml); rules.py adds duplicate
ids and keys and references to questions or columns that do not exist. The prepared copies of the
bundled editions are read by the same code, with the types checked only.
"""

from __future__ import annotations

import functools
import types
import typing
from collections.abc import Callable
from typing import Any

from ..errors import Diagnostic
from ..messages import Msg, join, msg
from .spec import Edition

Path_ = tuple[str | int, ...]
_MAX_ERRORS = 50


class EditionError(Exception):
    """An edition file with mistakes; carries one diagnostic per mistake."""

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(diagnostics)
        self.diagnostics = diagnostics

    def __str__(self) -> str:
        # Said when printed, in the language chosen by then.
        return "; ".join(d.text() for d in self.diagnostics)


class _Reader:
    def __init__(self, loaded: Any, file: str, languages: tuple[str, ...] | None) -> None:
        # None when `languages:` itself cannot be read: its own mistake is then the one
        # to say, not one for every text of the edition.
        self.languages = languages
        self.loaded = loaded
        self.file = file
        self.problems: list[Diagnostic] = []

    def fail(self, path: Path_, message: Msg, *, key: bool = False) -> None:
        if len(self.problems) >= _MAX_ERRORS:
            return
        line, col = self.loaded.where(path, key=key) if self.loaded is not None else (1, 1)
        where = ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path)
        self.problems.append(
            Diagnostic(
                line, col, "error", "form-spec", where.replace(".[", "["), message, self.file
            )
        )

    def read(self, tp: Any, value: Any, path: Path_) -> Any:
        origin = typing.get_origin(tp)
        if isinstance(tp, type) and hasattr(tp, "_fields"):  # a spec record (NamedTuple)
            return self.record(tp, value, path)
        if origin in (typing.Union, types.UnionType):
            args = [a for a in typing.get_args(tp) if a is not type(None)]
            return None if value is None else self.read(args[0], value, path)
        if origin is typing.Literal:
            choices = typing.get_args(tp)
            if value not in choices:
                self.fail(
                    path,
                    msg("forms.not-allowed", value=str(value), allowed=join(map(str, choices))),
                )
            return value
        if origin is tuple:
            if not isinstance(value, list):
                self.fail(path, msg("forms.not-a-list"))
                return ()
            item = typing.get_args(tp)[0]
            return tuple(self.read(item, v, (*path, i)) for i, v in enumerate(value))
        if origin is dict:
            if not isinstance(value, dict):
                self.fail(path, msg("forms.not-texts"))
                return {}
            # Every map in the spec is a text (or word list) per language.
            self.languages_of(value, path)
            item = typing.get_args(tp)[1]
            return {str(k): self.read(item, v, (*path, k)) for k, v in value.items()}
        if tp is Any:
            return value
        if tp is bool:
            if not isinstance(value, bool):
                self.fail(path, msg("forms.not-bool"))
            return value
        if tp is int:
            if isinstance(value, bool) or not isinstance(value, int):
                self.fail(path, msg("forms.not-whole-number"))
            return value
        if tp is str:
            if not isinstance(value, str) or not value.strip():
                self.fail(path, msg("forms.not-text"))
            return value
        raise TypeError(tp)  # pragma: no cover - a type the spec does not use

    def languages_of(self, value: dict[Any, Any], path: Path_) -> None:
        if self.languages is None:
            return
        missing = [lang for lang in self.languages if lang not in value]
        if missing:
            self.fail(path, msg("forms.language-missing", languages=join(missing)))
        for key in value:
            if key not in self.languages:
                self.fail(
                    (*path, key),
                    msg("forms.not-a-language", name=str(key), languages=join(self.languages)),
                    key=True,
                )

    def record(self, cls: Any, value: Any, path: Path_) -> Any:
        if not isinstance(value, dict):
            self.fail(path, msg("forms.not-a-record", record=cls.__name__))
            return None
        fields = _fields(cls)
        kwargs: dict[str, Any] = {}
        for key, item in value.items():
            if key not in fields:
                from ..diagnostics import suggestion

                self.fail(
                    (*path, key),
                    msg("fields.unknown-key", name=str(key)).plus(
                        suggestion(str(key), list(fields)),
                        msg("fields.allowed-keys", keys=join(fields)),
                    ),
                    key=True,
                )
                continue
            kwargs[key] = self.read(fields[key][0], item, (*path, key))
        for key, (_, required) in fields.items():
            if required and key not in value:
                self.fail(path, msg("forms.key-missing", name=key), key=True)
        if any(required and key not in kwargs for key, (_, required) in fields.items()):
            return None
        try:
            return cls(**kwargs)
        except TypeError:  # a field read as None after a reported mistake
            return None


def _read_fields(cls: type[Any]) -> dict[str, tuple[Any, bool]]:
    """Each field of a spec record: its type and whether it must be written."""
    defaults = cls._field_defaults
    return {name: (tp, name not in defaults) for name, tp in cls.__annotations__.items()}


# Read once per record type. Cached by a call, not a decorator, so that mutation testing
# (docs/mutation.md) reaches the function.
_fields = functools.cache(_read_fields)


def trusted_edition(data: Any) -> Edition:
    """The edition in a bundled edition's prepared copy, read without checking it.

    The prepared copy is written from form.yaml, which a test checks in full and keeps
    equal to it; reading it through the checking reader cost `validate` about 13 ms
    at every start, most of it checks that cannot fail here.
    """
    edition: Edition = _converter(Edition)(data)
    return edition


def _make_converter(tp: Any) -> Callable[[Any], Any]:
    """A function turning JSON data into values of the spec type `tp`, made once per type."""
    if isinstance(tp, type) and hasattr(tp, "_fields"):  # a spec record (NamedTuple)
        fields = {name: _converter(ftp) for name, (ftp, _) in _fields(tp).items()}

        def record(value: Any) -> Any:
            return tp(**{k: fields[k](v) for k, v in value.items()})

        return record
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        inner = _converter(next(a for a in typing.get_args(tp) if a is not type(None)))
        return lambda value: None if value is None else inner(value)
    if origin is tuple:
        item = _converter(typing.get_args(tp)[0])
        return lambda value: tuple(item(v) for v in value)
    if origin is dict:
        item = _converter(typing.get_args(tp)[1])
        return lambda value: {k: item(v) for k, v in value.items()}
    return lambda value: value


# Made once per type. Cached by a call, not a decorator, so that mutation testing
# (docs/mutation.md) reaches the function.
_converter = functools.cache(_make_converter)


def edition_from_data(
    data: Any, *, loaded: Any = None, file: str = "", rules: bool = True
) -> Edition:
    """The edition in `data`; raises EditionError listing every mistake in it.

    `rules=False` checks the types only, not ids, keys and references: for the
    prepared copies of the bundled editions, whose form.yaml a test checks in full.
    """
    langs = data.get("languages") if isinstance(data, dict) else None
    languages = None  # not readable: said once, at `languages`
    if isinstance(langs, list) and langs and all(isinstance(x, str) for x in langs):
        languages = tuple(langs)
    reader = _Reader(loaded, file, languages)
    edition: Edition | None = reader.read(Edition, data, ())
    if rules and edition is not None and not reader.problems:
        from .rules import check_rules

        check_rules(reader, edition)
    if reader.problems or edition is None:
        raise EditionError(reader.problems)
    return edition
