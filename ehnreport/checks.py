"""Checks across fields that the models alone cannot express.

Which rules apply, and where, is the edition's data: cards that follow a table's rows
(`matches`), columns with a vocabulary (`vocabulary: themes`), the reporting year
(kind `year`) and files in the report's folder (kind `file`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

from . import images
from .diagnostics import SUGGESTIONS, suggestion
from .errors import Diagnostic
from .forms import Edition, Question
from .loader import Loaded, Path_, format_path
from .messages import Msg, Texts, join, msg
from .model import edition_of
from .model.factory import label_texts
from .paths import inside


class _Checks:
    """The cross checks of one report, collecting diagnostics."""

    def __init__(
        self, report: Any, loaded: Loaded, file: str, folder: Path, today: dt.date
    ) -> None:
        self.report = report
        self.edition: Edition = edition_of(report)
        self.lang: str = report.report.language
        self.loaded = loaded
        self.file = file
        self.folder = folder
        self.today = today
        self.out: list[Diagnostic] = []
        # Suggestions cost time; a hostile file can ask for one per value, so only the
        # first SUGGESTIONS problems get one.
        self.suggestions = SUGGESTIONS

    def add(self, severity: str, code: str, path: Path_, message: Msg) -> None:
        line, col = self.loaded.where(path)
        self.out.append(
            Diagnostic(line, col, severity, code, format_path(path), message, self.file)
        )

    def suggest(self, word: str, choices: list[str] | tuple[str, ...]) -> Msg | None:
        if self.suggestions <= 0:
            return None
        self.suggestions -= 1
        return suggestion(word, choices)

    def value(self, path: tuple[str, ...]) -> Any:
        obj = self.report
        for part in path:
            obj = getattr(obj, part)
        return obj

    def run(self) -> list[Diagnostic]:
        for path, q in self.edition.questions():
            RULES[q.kind](self, path, q)
            if q.placeholder is not None:
                _placeholder(self, path, q)
            if q.quoted:
                _quoted(self, path, q)
        return self.out


def _cards(c: _Checks, path: tuple[str, ...], q: Question) -> None:
    """Cards against the rows they follow: same names, same order."""
    _vocabulary(c, path, q)
    t = q.table
    if t is None or t.matches is None or t.match_column is None or t.match_field is None:
        return
    target = c.edition.question(t.matches)
    target_path = c.edition.path_of(t.matches)
    rows_key = target.table.rows_key if target.table else None
    answer = c.value(target_path)
    rows = getattr(answer, rows_key) if answer is not None and rows_key else []
    risks = [getattr(r, t.match_column).strip() for r in rows]
    cards = [getattr(card, t.match_field).strip() for card in c.value(path)]
    risk_set, card_set = set(risks), set(cards)
    for i, name in enumerate(cards):
        if name not in risk_set:
            c.add(
                "warning",
                "card-without-risk",
                (*path, i, t.match_field),
                msg("checks.card-without-risk", name=name, cards=q.code, risks=target.code).plus(
                    c.suggest(name, risks)
                ),
            )
    for i, name in enumerate(risks):
        if name not in card_set:
            c.add(
                "warning",
                "risk-without-card",
                (*target_path, rows_key or "", i, t.match_column),
                msg("checks.risk-without-card", name=name, risks=target.code, cards=q.code),
            )
    common_cards = [n for n in cards if n in risk_set]
    common_risks = [r for r in risks if r in card_set]
    if common_cards != common_risks:
        c.add(
            "warning",
            "card-order",
            path,
            msg(
                "checks.card-order",
                cards=q.code,
                risks=target.code,
                names=join(msg("checks.quoted-name", name=r) for r in common_risks),
            ),
        )


def _vocabulary(c: _Checks, path: tuple[str, ...], q: Question) -> None:
    """Words outside a column's vocabulary (the known themes): allowed, but often a typo."""
    t = q.table
    if t is None:
        return
    columns = [col for col in t.columns if col.vocabulary == "themes"]
    if not columns:
        return
    themes = c.edition.themes or {}
    words = themes.get(c.lang, ())
    # Also the edition's first language (nb): a report keeps its words when its language changes.
    known = {w.casefold() for w in (*words, *themes.get(c.edition.languages[0], ()))}
    answer = c.value(path)
    rows = (getattr(answer, t.rows_key) if t.rows_key else answer) if answer is not None else []
    for i, row in enumerate(rows):
        for col in columns:
            values = getattr(row, col.key)
            for j, word in enumerate(values if isinstance(values, list) else [values]):
                if isinstance(word, str) and word.strip().casefold() not in known:
                    where = (*path, *((t.rows_key,) if t.rows_key else ()), i, col.key)
                    where = (*where, j) if isinstance(values, list) else where
                    c.add(
                        "warning",
                        "unknown-theme",
                        where,
                        msg("checks.unknown-theme", word=word).plus(c.suggest(word, words)),
                    )


def _year(c: _Checks, path: tuple[str, ...], q: Question) -> None:
    """The reporting year: in the future is almost always a typo."""
    year = c.value(path)
    if year is not None and year > c.today.year:
        c.add("warning", "future-year", path, msg("checks.future-year", year=year))


def _file(c: _Checks, path: tuple[str, ...], q: Question) -> None:
    """A file named in the report must be a file inside the report's folder."""
    name = c.value(path)
    if name:
        problem = local_file_problem(name, c.folder)
        if problem:
            c.add("error", "logo", path, problem)


def _placeholder(c: _Checks, path: tuple[str, ...], q: Question) -> None:
    """The text `init` wrote in place of a name, left in."""
    value = c.value(path)
    shown = c.edition.text(q.placeholder, c.lang)
    if isinstance(value, str) and value.strip() == shown:
        label = Texts(*(t.lower() for t in label_texts(c.edition, q.label)))
        c.add("warning", "placeholder", path, msg("checks.placeholder", shown=shown, label=label))


def _quoted(c: _Checks, path: tuple[str, ...], q: Question) -> None:
    """A text printed inside « » that brings its own."""
    value = c.value(path)
    if isinstance(value, str) and value.lstrip().startswith("«"):
        c.add(
            "warning",
            "quoted-text",
            path,
            msg("checks.quoted-text"),
        )


def _none(c: _Checks, path: tuple[str, ...], q: Question) -> None:
    """No rule across fields for this kind."""


# The cross-field rules of each kind of question. A test checks every kind has one.
RULES: dict[str, Callable[[_Checks, tuple[str, ...], Question], None]] = {
    "text": _none,
    "line": _none,
    "url": _none,
    "email": _none,
    "count": _none,
    "year": _year,
    "edition": _none,
    "language": _none,
    "colour": _none,
    "date": _none,
    "file": _file,
    "list": _none,
    "goals": _none,
    "table": _vocabulary,
    "cards": _cards,
}


def cross_checks(
    report: Any, loaded: Loaded, file: str, folder: Path, today: dt.date | None = None
) -> list[Diagnostic]:
    return _Checks(report, loaded, file, folder, today or dt.date.today()).run()


def local_file_problem(name: str, folder: Path) -> Msg | None:
    """Why `name` is not a readable file inside `folder`, or None if it is."""
    if "://" in name or name.startswith(("data:", "file:")):
        return msg("checks.file-is-address", name=name)
    if "\x00" in name:
        return msg("checks.file-nul")
    try:
        target = (folder / name).resolve()
        root = folder.resolve()
    except (OSError, RuntimeError, ValueError):
        return msg("checks.file-unreadable", name=name)
    if target != root and not inside(target, root):
        return msg("checks.file-outside", name=name)
    try:
        is_file = target.is_file()
    except (OSError, ValueError):  # a name too long for the file system, and the like
        is_file = False
    if not is_file:
        return msg("checks.file-not-found", name=name)
    image = images.read(name, folder)  # the type and cost checks the build makes
    return None if isinstance(image, images.Image) else image
