"""Reports as data: every answered value of many reports as rows in long format.

One row per answered value: who reported (member, short name, year, edition,
language), which question (its stable id, printed code and key path), where in the
answer (row and field of a table, card or goal, item of a list) and the value. The
meaning of every value comes from the edition's record of the question, so reports
on different editions line up by question id.

Reports are read one at a time and their rows written at once: memory stays flat
however many reports there are.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from .errors import Diagnostic, ExitCode, UserError
from .forms import load_edition
from .forms.spec import Column, Edition, Question
from .validate import CheckResult, check_file

FORMATS = ("csv", "jsonl", "json")

# The columns of a row, in order; docs/data.md describes each.
COLUMNS = (
    "member",
    "short_name",
    "year",
    "edition",
    "language",
    "question",
    "code",
    "key",
    "row",
    "field",
    "item",
    "value",
)

Value = str | int


@dataclass(frozen=True)
class Answer:
    """One answered value of one question, before the report's own columns are added."""

    question: Question
    key: str  # the dotted key path of the question's answer: "steps.step2.a3"
    value: Value
    row: int | None = None  # 1-based row of a table, card, goal or list
    field: str = ""  # column key inside a row, or the key of a table's comment
    item: int | None = None  # 1-based item of a list inside a row (a risk's themes)


@dataclass
class Skipped:
    """A report that could not be exported, with why."""

    path: Path
    exit_code: int
    diagnostics: list[Diagnostic] = field(default_factory=list)  # of an invalid report
    message: str = ""  # an unreadable file's message


@dataclass
class ExportSummary:
    """What an export did: reports and rows written, and the reports skipped."""

    reports: int = 0
    rows: int = 0
    skipped: list[Skipped] = field(default_factory=list)

    @property
    def exit_code(self) -> int:
        return max((s.exit_code for s in self.skipped), default=int(ExitCode.OK))


# -- values by the question's kind ----------------------------------------------------


def _text(value: Any) -> str:
    # A `|` block ends with a newline that is YAML's, not the member's.
    return str(value).rstrip("\n")


def _vocabulary_id(edition: Edition, word: str) -> str:
    """The language-neutral id of a goal status word, or the word when it has none."""
    folded = word.casefold()
    for vocab in edition.goal_statuses:
        if any(folded == w.casefold() for words in vocab.words.values() for w in words):
            return vocab.id
    return word


def _cell(edition: Edition, column: Column, value: Any) -> Iterator[tuple[int | None, Value]]:
    """The value(s) of one cell: (item, value), one per item for a list column."""
    if column.type == "list":
        for i, item in enumerate(value, 1):
            yield i, _text(item)
    elif column.type == "count":
        yield None, int(value)
    elif column.type == "yesno":
        yield None, "yes" if value else "no"
    elif column.type == "status":
        yield None, _vocabulary_id(edition, str(value))
    else:
        yield None, _text(value)


def _rows(edition: Edition, q: Question, key: str, value: Any) -> Iterator[Answer]:
    """A table, cards or goals answer: every cell of every row, then the comment."""
    table = q.table
    assert table is not None  # the edition's spec requires columns for these kinds
    rows = value.get(table.rows_key) if table.rows_key else value
    for n, row in enumerate(rows or (), 1):
        for column in table.columns:
            cell = row.get(column.key)
            if cell is None or cell == "" or cell == []:
                continue
            for item, v in _cell(edition, column, cell):
                yield Answer(q, key, v, row=n, field=column.key, item=item)
    if table.comment_key and isinstance(value, dict) and value.get(table.comment_key):
        yield Answer(q, key, _text(value[table.comment_key]), field=table.comment_key)


def _list(edition: Edition, q: Question, key: str, value: Any) -> Iterator[Answer]:
    for n, item in enumerate(value, 1):
        yield Answer(q, key, _text(item), row=n)


def _number(edition: Edition, q: Question, key: str, value: Any) -> Iterator[Answer]:
    yield Answer(q, key, int(value))


def _plain(edition: Edition, q: Question, key: str, value: Any) -> Iterator[Answer]:
    yield Answer(q, key, _text(value))


# One handler per kind of question (a test checks that every kind has one).
HANDLERS: dict[str, Callable[[Edition, Question, str, Any], Iterator[Answer]]] = {
    "text": _plain,
    "line": _plain,
    "url": _plain,
    "email": _plain,
    "count": _number,
    "year": _number,
    "edition": _plain,
    "language": _plain,
    "colour": _plain,
    "date": _plain,
    "file": _plain,
    "list": _list,
    "goals": _rows,
    "table": _rows,
    "cards": _rows,
}


def _at(data: Any, path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def answers(data: dict[str, Any], edition: Edition, *, personal: bool = False) -> Iterator[Answer]:
    """Every answered value of a validated report's data, in the form's order.

    `data` is the report model's `model_dump()`. Questions the edition marks as
    holding personal data are left out unless `personal` is true.
    """
    for path, q in edition.questions():
        if q.personal and not personal:
            continue
        value = _at(data, path)
        if value is None or value == "" or value == [] or value == {}:
            continue
        yield from HANDLERS[q.kind](edition, q, ".".join(path), value)


# -- rows and their formats -----------------------------------------------------------


def report_rows(result: CheckResult, *, personal: bool = False) -> Iterator[dict[str, Any]]:
    """The rows of one valid report."""
    assert result.report is not None
    data = result.report.model_dump()
    meta = data.get("report") or {}
    member = data.get("member") or {}
    edition = load_edition(meta["form"])
    common = {
        "member": member.get("name", ""),
        "short_name": member.get("short_name", ""),
        "year": meta.get("year"),
        "edition": edition.id,
        "language": meta.get("language") or "nb",
    }
    for a in answers(data, edition, personal=personal):
        yield {
            **common,
            "question": a.question.id,
            "code": a.question.code,
            "key": a.key,
            "row": a.row,
            "field": a.field,
            "item": a.item,
            "value": a.value,
        }


# Characters that make a spreadsheet read a cell as a formula (or, for tab and
# carriage return, move it): such a cell gets a leading apostrophe, which the
# spreadsheet shows as text and does not execute.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Value | None) -> Value | None:
    """A CSV cell that a spreadsheet will never execute as a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


class _Writer:
    """Writes rows in one of FORMATS to a text stream, one row at a time."""

    def __init__(self, fmt: str, out: IO[str]) -> None:
        self.fmt, self.out, self.count = fmt, out, 0
        if fmt == "csv":
            # RFC 4180: CRLF line ends, fields quoted when they need it.
            self.csv = csv.writer(out, lineterminator="\r\n", quoting=csv.QUOTE_MINIMAL)
            self.csv.writerow(COLUMNS)
        elif fmt == "json":
            out.write("[")

    def row(self, row: dict[str, Any]) -> None:
        if self.fmt == "csv":
            self.csv.writerow(["" if row[c] is None else neutralise(row[c]) for c in COLUMNS])
        elif self.fmt == "jsonl":
            self.out.write(json.dumps(row, ensure_ascii=False) + "\n")
        else:
            self.out.write(("," if self.count else "") + "\n" + json.dumps(row, ensure_ascii=False))
        self.count += 1

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "]\n")


def checked(paths: Iterable[Path]) -> Iterator[CheckResult | Skipped]:
    """Check each report in turn: its result when valid, else why it is skipped."""
    for path in paths:
        try:
            result = check_file(path)
        except UserError as exc:
            yield Skipped(path, int(exc.exit_code), message=str(exc))
            continue
        if result.valid:
            yield result
        else:
            yield Skipped(path, int(ExitCode.INVALID), diagnostics=result.diagnostics)


def export(
    paths: Iterable[Path],
    out: IO[str],
    fmt: str = "csv",
    *,
    personal: bool = False,
    on_skip: Callable[[Skipped], None] | None = None,
) -> ExportSummary:
    """Write the rows of every valid report to `out`; invalid ones are skipped."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    summary = ExportSummary()
    writer = _Writer(fmt, out)
    for item in checked(paths):
        if isinstance(item, Skipped):
            summary.skipped.append(item)
            if on_skip:
                on_skip(item)
            continue
        summary.reports += 1
        for row in report_rows(item, personal=personal):
            writer.row(row)
    writer.close()
    summary.rows = writer.count
    return summary


def export_text(paths: Iterable[Path], fmt: str = "csv", *, personal: bool = False) -> str:
    """The export as one string (for tests and small jobs)."""
    buf = io.StringIO(newline="")
    export(paths, buf, fmt, personal=personal)
    return buf.getvalue()
