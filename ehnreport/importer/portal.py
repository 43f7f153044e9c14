"""Reading a report's answers from the text of its PDF, by the form's printed labels.

The text is what a PDF reader gives for EHN's portal PDF (or for one ehnreport
built): the pages one after another, each new page starting with a space, a
running footer «|  NTNU  |   8» on some pages, labels and values on lines of
their own, tables flattened cell by cell. The labels come from `formview`; the
text between one label and the next is that label's answer. EHN's fixed prose
(the letter, the method page, the step explanations, the notes under the 2.A
subheadings) lies between labels that have no answer, and is left out.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from ..errors import InputFileError
from ..forms import Column, Edition
from ..forms import Table as FormTable
from ..messages import Msg, Texts, msg
from . import formview as fv
from .text import clean_line, markdown, one_line, paragraphs, squash

_FOOTER = re.compile(r"^\s*\|\s*(?P<name>[^|]*?)\s*\|\s*(?P<page>\d{1,4})\s*$")
_NUMBER_LINE = re.compile(r"^\s*\d{1,3}\s*$")
_COUNT = re.compile(r"^\s*(?P<n>\d[\d .\u00a0\u202f]*?)\s*stk\.?\s+(?P<topic>\S.*?)\s*$")
_URL = re.compile(r"^https?://\S+$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[A-Za-z]{2,}$")
_YEAR_PATTERNS = (
    re.compile(r"Rapporteringsår\s+(20\d\d)\b"),
    re.compile(r"\b(?:Årsrapport|Rapport)\s+(?:for\s+)?(20\d\d)\b"),
)
_CARD_KICKER = re.compile(r"^\s*3\.A\.1\s*·?\s*Prioritert risiko \d+ av \d+\s*$", re.I)


# A line that stands for a table read from a tagged PDF's structure: the mark and
# the table's index in Doc.tables. A private-use character, so no text has it.
TABLE_MARK = "\ue000tabell:"


@dataclass
class Table:
    """A table as a tagged PDF holds it: rows of cells, each cell a list of paragraphs."""

    caption: str
    rows: list[list[list[str]]]

    def body(self, columns: tuple[str, ...]) -> list[list[str]] | None:
        """The rows after the header that names `columns`, cells as text; None if another."""
        want = [squash(c) for c in columns]
        for i, row in enumerate(self.rows):
            cells = [squash(" ".join(c)) for c in row]
            if cells[-len(want) :] == want:
                return [["\n".join(c) for c in r] for r in self.rows[i + 1 :]]
        return None

    def cells(self, columns: tuple[str, ...]) -> list[list[list[str]]] | None:
        """As `body`, with each cell's paragraphs kept apart (a cell's list items)."""
        want = [squash(c) for c in columns]
        for i, row in enumerate(self.rows):
            if [squash(" ".join(c)) for c in row][-len(want) :] == want:
                return self.rows[i + 1 :]
        return None


class NotAReport(InputFileError):
    """The text holds none of the form's labels."""


@dataclass(frozen=True, order=True)
class Pos:
    line: int
    col: int


@dataclass
class Imported:
    """What was read: the report's data, comments to write, and places to check."""

    data: dict[str, Any]
    e: Edition
    notes: dict[str, list[str]] = field(default_factory=dict)  # in the report's language
    warnings: list[Msg] = field(default_factory=list)  # printed in the user's
    short_name: str | None = None
    member_name: str | None = None
    year: int | None = None

    @property
    def language(self) -> str:
        """The report's language: the edition's first, as the imported report says."""
        return self.e.languages[0]

    def check(self, dotted: str, message: Msg, raw: str | None = None) -> None:
        """Mark `dotted` as a place to check, with a comment in the file and a warning."""
        lang = self.language
        lines = [msg("importer.check-note", marker=msg("importer.marker"), problem=message)]
        if raw:
            lines.append(msg("importer.pdf-text", text=" ".join(raw.split())))
        self.notes.setdefault(dotted, []).extend(m.text(lang) for m in lines)
        self.warnings.append(msg("importer.at", path=dotted, problem=message))

    def yes_no(self) -> tuple[Texts, Texts]:
        """The printed words of a yes/no cell, in each language."""
        words = {v.id: v.words for v in self.e.yes_no}

        def printed(key: str, default: str) -> Texts:
            return Texts.of(
                {lang: w[0] for lang, w in words.get(key, {}).items() if w} or {"nb": default}
            )

        return printed("yes", "Ja"), printed("no", "Nei")

    def table(self, dotted: str) -> FormTable:
        """The columns of the table question whose answer stands at `dotted`."""
        t = fv.table_of(self.e, dotted)
        assert t is not None
        return t

    def labels(self, t: FormTable) -> list[tuple[str, str]]:
        """Each column's key and printed label."""
        return [(c.key, fv.column_label(self.e, c)) for c in t.columns]


class Doc:
    """The text's lines, with page widths, footers removed and the short name noted."""

    def __init__(self, pages: list[list[str]], tables: list[Table] | None = None):
        self.tables = tables or []
        self.lines: list[str] = []
        self.width: list[int] = []
        self.short_names: list[str] = []
        for page in pages:
            kept: list[str] = []
            for raw in page:
                m = _FOOTER.match(raw)
                if m:
                    if m.group("name").strip():
                        self.short_names.append(m.group("name").strip())
                    continue
                kept.append(clean_line(raw).lstrip())
            width = max((len(line.rstrip()) for line in kept), default=80)
            self.lines.extend(kept)
            self.width.extend([width] * len(kept))

    @classmethod
    def from_text(cls, text: str) -> Doc:
        """Split the text into pages where a line starts with one space, as the portal's do."""
        pages: list[list[str]] = [[]]
        for raw in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
            if raw.startswith("\f"):
                pages.append([])
                raw = raw.lstrip("\f")
            elif re.match(r"^ \S", raw) and pages[-1]:
                pages.append([])
            pages[-1].append(raw)
        return cls(pages)

    # -- finding labels ------------------------------------------------------------

    def match_at(self, start: Pos, label: str, whole: bool) -> Pos | None:
        """Where `label` ends if the text at `start` reads it (white space ignored)."""
        target = squash(label)
        k = 0
        line, col = start.line, start.col
        while line < len(self.lines) and line <= start.line + 12:
            text = self.lines[line]
            while col < len(text):
                ch = text[col]
                if ch.isspace():
                    col += 1
                    continue
                if k == len(target):
                    return self._end(Pos(line, col), text, whole)
                if ch.lower() != target[k]:
                    return None
                k += 1
                col += 1
            if k == len(target):
                return self._end(Pos(line, col), text, whole)
            if k == 0:
                return None
            line, col = line + 1, 0
        return None

    def _end(self, pos: Pos, text: str, whole: bool) -> Pos | None:
        rest = text[pos.col :]
        stripped = rest.lstrip()
        if stripped.startswith(":"):  # «Status :» prints a colon after the label
            rest = stripped[1:]
            pos = Pos(pos.line, len(text) - len(rest))
            stripped = rest.lstrip()
        if not stripped:
            return Pos(pos.line + 1, 0)
        if whole:
            return None
        if pos.col > 0 and text[pos.col - 1].isalnum() and text[pos.col].isalnum():
            return None  # the label ended inside a word
        return Pos(pos.line, len(text) - len(stripped))

    def find(
        self, labels: list[str] | str, start: Pos, stop: Pos | None = None, whole: bool = True
    ) -> tuple[Pos, Pos] | None:
        """The first place from `start` where one of `labels` stands: (start, end)."""
        if isinstance(labels, str):
            labels = [labels]
        end_line = stop.line if stop else len(self.lines)
        for i in range(start.line, min(end_line + 1, len(self.lines))):
            col = start.col if i == start.line else 0
            if stop and i == stop.line and stop.col == 0:
                break
            for lab in labels:
                at = Pos(i, col)
                end = self.match_at(at, lab, whole)
                if end is not None and (stop is None or end <= stop):
                    return at, end
        return None

    def span(self, a: Pos, b: Pos) -> list[str]:
        """The text from `a` to `b` as lines."""
        out: list[str] = []
        for i in range(a.line, min(b.line + 1, len(self.lines))):
            text = self.lines[i]
            lo = a.col if i == a.line else 0
            hi = b.col if i == b.line else len(text)
            if i == b.line and b.col == 0:
                break
            out.append(text[lo:hi].lstrip())
        return out

    def width_of(self, a: Pos, b: Pos) -> int:
        lo, hi = a.line, max(a.line, min(b.line, len(self.width) - 1))
        return max(self.width[lo : hi + 1], default=80)

    @property
    def end(self) -> Pos:
        return Pos(len(self.lines), 0)


@dataclass
class Anchor:
    kind: str  # "part", "question", "section" (nothing under it), "skip" (EHN's prose)
    key: str  # the dotted path of the part or question
    labels: list[str]
    whole: bool = True
    at: Pos | None = None
    end: Pos | None = None


def _plan(e: Edition) -> list[Anchor]:
    t = fv.text
    plan = [
        Anchor("part", key, [fv.part_title(e, key)])
        for key in ("foreword", "key_info", "procurement", "goals")
    ]
    for step in e.steps:
        n, title, kicker = step.number, t(e, step.title), t(e, step.kicker)
        variants = [f"{n} {kicker} {title}", f"Trinn {n} · {kicker} {n} {title}"]
        variants += [f"Trinn {n} {n} {title}", f"{n} {title}", title]
        plan.append(Anchor("skip", f"trinn {n}", [v for v in variants if v.strip()]))
        for section in step.sections:
            labels = [f"{section.code} {t(e, section.title)}"]
            if section.subheading:
                labels.append(t(e, section.subheading))
            plan.append(Anchor("section", section.code, labels))
            if section.instruction:
                plan.append(Anchor("skip", section.code, [t(e, section.instruction)]))
            for q in section.questions:
                if q.subheading:
                    plan.append(Anchor("skip", q.code, [t(e, q.subheading)]))
                dotted = f"steps.{step.key}.{q.key}"
                plan.append(Anchor("question", dotted, [f"{q.code} {t(e, q.label)}"]))
    plan.append(Anchor("part", "contact", [fv.BACK]))
    return plan


def read(doc: Doc, edition: Edition) -> Imported:
    """The answers in `doc`, found by the labels of `edition`."""
    result = Imported(data={}, e=edition)
    found: list[Anchor] = []
    cursor = Pos(0, 0)
    for anchor in _plan(edition):
        hit = doc.find(anchor.labels, cursor, whole=anchor.whole)
        if hit is None:
            continue
        anchor.at, anchor.end = hit
        cursor = hit[1]
        found.append(anchor)
    if not found:
        raise NotAReport(msg("importer.not-a-report"))
    total = len(_plan(edition))
    if len(found) < total // 4:
        result.warnings.append(msg("importer.few-labels", found=len(found), total=total))
    questions = {v.dotted: v.q for v in fv.questions(edition) if v.path[0] == "steps"}
    for i, anchor in enumerate(found):
        assert anchor.at is not None and anchor.end is not None
        nxt = found[i + 1].at if i + 1 < len(found) else doc.end
        assert nxt is not None
        if anchor.kind == "section":
            # Nothing stands between a section's title and its first question; text
            # that does is kept as a note at the next question rather than lost.
            stray = Region(doc, anchor.end, nxt)
            if not stray.is_empty():
                after = next((a.key for a in found[i + 1 :] if a.kind == "question"), None)
                where = after or "report.year"
                said = msg("importer.stray-text", section=anchor.key)
                result.check(where, said, one_line(stray.lines))
            continue
        if anchor.kind == "skip":
            continue
        region = Region(doc, anchor.end, nxt)
        if anchor.kind == "part":
            _PARTS[anchor.key](region, result)
        else:
            q = questions[anchor.key]
            _QUESTIONS.get(q.kind, _unknown_kind)(region, result, anchor.key)
    result.short_name = _most_common(doc.short_names)
    result.year = year_of(doc)
    return result


def _most_common(names: list[str]) -> str | None:
    if not names:
        return None
    return max(sorted(set(names)), key=names.count)


def year_of(doc: Doc) -> int | None:
    """The reporting year the text names near its start, or None."""
    head = "\n".join(doc.lines[:60])
    for pattern in _YEAR_PATTERNS:
        m = pattern.search(head)
        if m:
            return int(m.group(1))
    return None


@dataclass
class Region:
    """The text between one label and the next."""

    doc: Doc
    a: Pos
    b: Pos

    @property
    def lines(self) -> list[str]:
        return self.doc.span(self.a, self.b)

    @property
    def width(self) -> int:
        return self.doc.width_of(self.a, self.b)

    def text(self) -> str:
        return markdown(self.lines, self.width)

    def is_empty(self) -> bool:
        return not any(line.strip() for line in self.lines)

    def tables(self) -> list[Table]:
        """The tables of a tagged PDF that stand in this region."""
        out = []
        for line in self.lines:
            if line.startswith(TABLE_MARK):
                out.append(self.doc.tables[int(line[len(TABLE_MARK) :].strip())])
        return out

    def prose(self) -> str:
        """The region's text without its tables."""
        lines = [ln for ln in self.lines if not ln.startswith(TABLE_MARK)]
        return markdown(lines, self.width)

    def fields(
        self, labels: Sequence[tuple[str, str | list[str]]], whole: bool = False
    ) -> dict[str, Region]:
        """The region cut at each of `labels` (key, label) in turn: key -> its value."""
        cuts: list[tuple[str, Pos, Pos]] = []
        cursor = self.a
        for key, lab in labels:
            hit = self.doc.find(lab, cursor, self.b, whole=whole)
            if hit is None:
                continue
            cuts.append((key, hit[0], hit[1]))
            cursor = hit[1]
        out: dict[str, Region] = {}
        for i, (key, _, end) in enumerate(cuts):
            stop = cuts[i + 1][1] if i + 1 < len(cuts) else self.b
            out[key] = Region(self.doc, end, stop)
        return out

    def before(self, labels: Sequence[tuple[str, str | list[str]]]) -> Region:
        """The text before the first of `labels`."""
        for _, lab in labels:
            hit = self.doc.find(lab, self.a, self.b, whole=False)
            if hit is not None:
                return Region(self.doc, self.a, hit[0])
        return self


def _number(text: str) -> int | None:
    digits = re.sub(r"[\s.\u00a0\u202f\u2009]", "", text)
    return int(digits) if digits.isdigit() and len(digits) <= 18 else None


# -- the parts outside the steps -------------------------------------------------------


def _foreword(region: Region, out: Imported) -> None:
    lines = [ln for ln in region.lines]
    joined = "\n".join(lines)
    name = title = None
    if "»" in joined:
        body, _, tail = joined.rpartition("»")
        sig = [ln.strip() for ln in tail.split("\n") if ln.strip()]
        lines = body.split("\n")
    else:
        paras = paragraphs(lines)
        sig = []
        if len(paras) > 1 and len(paras[-1]) <= 2 and all(len(x) <= 80 for x in paras[-1]):
            sig = paras[-1]
            lines = [x for p in paras[:-1] for x in [*p, ""]]
    if sig:
        name = sig[0]
        title = " ".join(sig[1:]) or None
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is not None and lines[first].lstrip().startswith("«"):
        lines[first] = lines[first].lstrip()[1:]
    text = markdown(lines, region.width)
    out.data["foreword"] = {"text": text or None, "name": name, "title": title}
    if len(sig) > 2:
        out.check("foreword.name", msg("importer.foreword-signature"), " ".join(sig))


def _short_fields(region: Region, out: Imported, part: str) -> None:
    questions = {q.key: q for q in fv.part(out.e, part).questions}
    labels = [(k, fv.text(out.e, q.label)) for k, q in questions.items()]
    values: dict[str, Any] = {}
    for key, sub in region.fields(labels).items():
        dotted = f"{part}.{key}"
        kind = questions[key].kind
        if sub.is_empty():
            continue
        if kind == "count":
            number = _number(one_line(sub.lines))
            if number is None:
                out.check(dotted, msg("importer.number-unreadable"), one_line(sub.lines))
            else:
                values[key] = number
        elif kind == "text":
            values[key] = sub.text()
        elif kind == "email":
            mail = one_line(sub.lines)
            if _EMAIL.match(mail):
                values[key] = mail
            else:
                out.check(dotted, msg("importer.email-unreadable"), mail)
        else:
            values[key] = one_line(sub.lines)
    out.data[part] = values


def _key_info(region: Region, out: Imported) -> None:
    sub = region.doc.find(fv.KEY_INFO_SUB, region.a, region.b)
    if sub is not None:
        region = Region(region.doc, sub[1], region.b)
    _short_fields(region, out, "key_info")


def _procurement(region: Region, out: Imported) -> None:
    _short_fields(region, out, "procurement")


def _status(text: str, words: list[str]) -> tuple[str | None, str | None]:
    """A goal's status split into the status word and the comment after it."""
    stripped = text.strip()
    for word in words:
        if stripped.casefold().startswith(word.casefold()):
            rest = stripped[len(word) :]
            if rest and rest[0].isalnum():
                continue
            comment = rest.lstrip(" .,:;–-\n").strip()
            return word, comment or None
    return None, stripped or None


def _drop_number_tail(lines: list[str], always: bool = False) -> list[str]:
    """Lines without the next item's number at the end («2» before goal two).

    A goal never ends in a bare number (`always`); a table cell may be one («1»
    supplier), so there only a number after a blank line is taken as the next row's.
    """
    lines = [ln for ln in lines]
    while lines and not lines[-1].strip():
        lines.pop()
    while always and len(lines) >= 2 and _NUMBER_LINE.match(lines[-1]):
        lines.pop()
        while lines and not lines[-1].strip():
            lines.pop()
    # A number after a blank line is the next item's, when something comes before it.
    while len(lines) >= 3 and _NUMBER_LINE.match(lines[-1]) and not lines[-2].strip():
        lines = lines[:-2]
        while lines and not lines[-1].strip():
            lines.pop()
    while lines and not lines[0].strip():
        lines.pop(0)
    return lines


def _goals(region: Region, out: Imported) -> None:
    doc, e = region.doc, out.e
    goals = {q.kind: q for q in fv.part(e, "goals").questions}
    cur_q, next_q = goals["goals"], goals["list"]
    assert cur_q.table is not None
    columns = cur_q.table.columns
    text_col = columns[0]
    status_col = next(c for c in columns if c.type == "status")
    comment_col = next(c for c in columns if c not in (text_col, status_col))
    goal_text, goal_status = fv.column_label(e, text_col), fv.column_label(e, status_col)
    words = fv.goal_statuses(e)
    parts = region.fields(
        [("current", fv.text(e, cur_q.label)), ("next", fv.text(e, next_q.label))]
    )
    current: list[dict[str, Any]] = []
    if "current" in parts:
        cur = parts["current"]
        cursor = cur.a
        while True:
            hit = doc.find(goal_text, cursor, cur.b, whole=False)
            if hit is None:
                break
            status = doc.find(goal_status, hit[1], cur.b, whole=False)
            nxt = doc.find(goal_text, hit[1], cur.b, whole=False)
            stop = nxt[0] if nxt else cur.b
            if status is None or status[0] > stop:
                text_lines, status_lines = doc.span(hit[1], stop), []
            else:
                text_lines, status_lines = doc.span(hit[1], status[0]), doc.span(status[1], stop)
            width = doc.width_of(hit[1], stop)
            goal: dict[str, Any] = {
                text_col.key: markdown(_drop_number_tail(text_lines, True), width)
            }
            said = markdown(_drop_number_tail(status_lines, True), width)
            word, comment = _status(said, words)
            if word:
                goal[status_col.key] = word
            if comment:
                goal[comment_col.key] = comment
            current.append(goal)
            cursor = hit[1]
    nexts: list[str] = []
    if "next" in parts:
        nexts = _numbered_items(parts["next"])
    out.data["goals"] = {cur_q.key: current, next_q.key: nexts}


def _numbered_items(region: Region) -> list[str]:
    """Items printed with their number on a line of their own, or before the text."""
    # A tagged PDF gives each item as a list item: «- 1 Sikre basisnivå».
    lines = [re.sub(r"^- (?=\d)", "", ln) for ln in region.lines]
    items: list[list[str]] = []
    if any(_NUMBER_LINE.match(ln) for ln in lines):
        for ln in lines:
            if _NUMBER_LINE.match(ln):
                items.append([])
            elif items:
                items[-1].append(ln)
            elif ln.strip():
                items.append([ln])
    else:
        n = 1
        for ln in lines:
            m = re.match(rf"^{n}\s+(\S.*)$", ln)
            if m:
                items.append([m.group(1)])
                n += 1
            elif items:
                items[-1].append(ln)
            elif ln.strip():
                items.append([ln])
    texts = [markdown(item, region.width) for item in items]
    return [t for t in texts if t.strip()]


def _back(region: Region, out: Imported) -> None:
    lines = [ln.strip() for ln in region.lines if ln.strip()]
    lines = [ln for ln in lines if fv.EHN_ADDRESS not in ln.casefold()]
    contact: dict[str, Any] = {}
    if lines:
        out.member_name = lines[0]
        lines = lines[1:]
    for ln in lines:
        if _EMAIL.match(ln) and "email" not in contact:
            contact["email"] = ln
        elif "name" not in contact and "email" not in contact:
            contact["name"] = ln
    out.data["contact"] = contact


_PARTS: dict[str, Callable[[Region, Imported], None]] = {
    "foreword": _foreword,
    "key_info": _key_info,
    "procurement": _procurement,
    "goals": _goals,
    "contact": _back,
}


# -- the questions of the steps --------------------------------------------------------


def _put(out: Imported, dotted: str, value: Any) -> None:
    _, step, key = dotted.split(".")
    out.data.setdefault("steps", {}).setdefault(step, {})[key] = value


def _text(region: Region, out: Imported, dotted: str) -> None:
    text = region.text()
    if text:
        _put(out, dotted, text)


def _line(region: Region, out: Imported, dotted: str) -> None:
    text = one_line(region.lines)
    if text:
        _put(out, dotted, text)


def _url(region: Region, out: Imported, dotted: str) -> None:
    text = one_line(region.lines)
    if not text:
        return
    if _URL.match(text):
        _put(out, dotted, text)
    else:
        out.check(dotted, msg("importer.not-a-url"), text)


def _shape(t: FormTable) -> str:
    """Which reader a table needs, by what its columns hold."""
    if t.layout == "grouped":
        return "counts"
    if any(c.type == "list" for c in t.columns):
        return "risks"
    if any(c.type in ("count", "yesno") for c in t.columns):
        return "requirements"
    return "deviations"


def _table(region: Region, out: Imported, dotted: str) -> None:
    shape = _shape(out.table(dotted))
    if shape == "counts":
        _counts(region, out, dotted)
    elif region.tables():
        _TAGGED[shape](region, out, dotted)
    else:
        _TABLES[shape](region, out, dotted)


def _headers(out: Imported, t: FormTable) -> tuple[str, ...]:
    """The column headers a table prints."""
    return tuple(fv.text(out.e, c.header or c.label) for c in t.columns)


_Rows = TypeVar("_Rows")


def _read_tables(
    region: Region, out: Imported, dotted: str, read: Callable[[Table], _Rows | None]
) -> Iterator[tuple[Table, _Rows]]:
    """Each tagged table in `region` with its rows as `read` finds them. A table `read`
    cannot read (its header is not the form's) is said, with its text to check."""
    for table in region.tables():
        rows = read(table)
        if rows is None:
            _unread(out, dotted, table)
        else:
            yield table, rows


def _tagged_rows(
    region: Region, headers: tuple[str, ...], out: Imported, dotted: str
) -> list[list[str]]:
    found = _read_tables(region, out, dotted, lambda table: table.body(headers))
    return [row for _, body in found for row in body]


def _row_text(row: list[list[str]]) -> str:
    """A tagged table's row as one line of text, its cells apart."""
    return " | ".join(" ".join(cell) for cell in row)


def _unread(out: Imported, dotted: str, table: Table) -> None:
    """A table under the question whose header is not the form's: its text, to check."""
    out.check(dotted, msg("importer.table-unreadable"), " / ".join(map(_row_text, table.rows)))


def _no_name(out: Imported, dotted: str, row: int, name: Column) -> None:
    """A row with answers but no name is left out, and that is said: never lost unseen."""
    out.check(dotted, msg("importer.row-without-name", row=row, label=Texts.of(name.label)))


def _put_cell(
    out: Imported, dotted: str, row: int, item: dict[str, Any], key: str, kind: str, cell: str
) -> None:
    """One table cell into `item`: a count as a number, Ja/Nei as a truth value, else text;
    a count or Ja/Nei that cannot be read is a place to check, never a guess."""
    if kind == "count":
        number = _number(cell)
        if number is None:
            out.check(dotted, msg("importer.row-count-unreadable", row=row), cell)
        else:
            item[key] = number
    elif kind == "yesno":
        word = _yes_no(cell)
        if word is None:
            yes, no = out.yes_no()
            said = msg("importer.row-not-yes-no", row=row, cell=cell, yes=yes, no=no)
            out.check(dotted, said, cell)
        else:
            item[key] = word
    else:
        item[key] = cell


def _tagged_requirements(region: Region, out: Imported, dotted: str) -> None:
    t = out.table(dotted)
    columns = {c.key: c for c in t.columns}
    keys = tuple(columns)
    rows: list[dict[str, Any]] = []
    for i, row in enumerate(_tagged_rows(region, _headers(out, t), out, dotted), 1):
        cells = dict(zip(keys, row[-len(keys) :], strict=False))
        item: dict[str, Any] = {}
        for key, cell in cells.items():
            cell = " ".join(cell.split())
            if not cell:
                continue
            _put_cell(out, dotted, i, item, key, columns[key].type, cell)
        if item.get(keys[0]):
            rows.append(item)
        elif item:
            _no_name(out, dotted, i, t.columns[0])
    _put_table(out, dotted, t, rows, region.prose())


def _put_table(out: Imported, dotted: str, t: FormTable, rows: list[Any], comment: str) -> None:
    """A table's rows and the comment under it, under the table's keys."""
    assert t.rows_key is not None
    value: dict[str, Any] = {t.rows_key: rows}
    if comment and t.comment_key is not None:
        value[t.comment_key] = comment
    elif comment:
        out.check(dotted, msg("importer.comment-without-field"), comment)
    _put(out, dotted, value)


def _roles(t: FormTable) -> tuple[Column, Column, Column | None]:
    """A risk table's columns: the name, the themes (a list), the geography."""
    name = t.columns[0]
    listed = next(c for c in t.columns if c.type == "list")
    rest = [c for c in t.columns if c not in (name, listed)]
    return name, listed, rest[0] if rest else None


def _tagged_risks(region: Region, out: Imported, dotted: str) -> None:
    t = out.table(dotted)
    name_c, themes_c, geo_c = _roles(t)
    at = {c.key: i for i, c in enumerate(t.columns)}
    risks: list[dict[str, Any]] = []
    number = 0
    headers = _headers(out, t)
    for _, rows in _read_tables(region, out, dotted, lambda table: table.cells(headers)):
        for row in rows:
            number += 1
            if len(row) < len(t.columns):
                if _row_text(row).strip():
                    out.check(dotted, msg("importer.row-unreadable"), _row_text(row))
                continue
            name = " ".join(" ".join(row[at[name_c.key]]).split())
            themes = [x for x in row[at[themes_c.key]] if x.strip()]
            risk: dict[str, Any] = {name_c.key: name, themes_c.key: themes}
            geo = " ".join(" ".join(row[at[geo_c.key]]).split()) if geo_c else ""
            if geo and geo_c is not None:
                risk[geo_c.key] = geo
            if name:
                risks.append(risk)
            elif themes or geo:
                _no_name(out, dotted, number, name_c)
    _put_table(out, dotted, t, risks, region.prose())


def _tagged_deviations(region: Region, out: Imported, dotted: str) -> None:
    t = out.table(dotted)
    keys = tuple(c.key for c in t.columns)
    rows = []
    for row in _tagged_rows(region, _headers(out, t), out, dotted):
        item = {k: c.strip() for k, c in zip(keys, row[-len(keys) :], strict=False) if c.strip()}
        if item:
            rows.append(item)
    comment = region.prose()
    if rows or comment:
        _put_table(out, dotted, t, rows, comment)


def _count_roles(out: Imported, t: FormTable) -> tuple[str, str, str, tuple[str, str]]:
    """A grouped table's keys (group, count, other) and the header it prints per group."""
    group = t.group_by or t.columns[0].key
    count = next(c for c in t.columns if c.type == "count")
    other = next(c for c in t.columns if c.key not in (group, count.key))
    header = (fv.text(out.e, count.header or count.label), fv.text(out.e, other.label))
    return group, count.key, other.key, header


def _tagged_counts(region: Region, out: Imported, dotted: str) -> None:
    t = out.table(dotted)
    group, count, other, header = _count_roles(out, t)
    counts: list[dict[str, Any]] = []
    for table, body in _read_tables(region, out, dotted, lambda table: table.body(header)):
        for row in body:
            number = _number(re.sub(r"\s*stk\.?\s*$", "", row[0]))
            if number is None or len(row) < 2:
                out.check(dotted, msg("importer.row-unreadable"), " ".join(row))
                continue
            counts.append({group: table.caption, other: row[1], count: number})
    _put_table(out, dotted, t, counts, region.prose())


def _rows(
    region: Region, columns: list[tuple[str, str]]
) -> tuple[list[dict[str, Region]], Region | None]:
    """Rows printed label by label («I hvilke type anskaffelser Kaffe…»), and what follows."""
    doc = region.doc
    first = columns[0][1]
    starts: list[tuple[Pos, Pos]] = []
    cursor = region.a
    while True:
        hit = doc.find(first, cursor, region.b, whole=False)
        if hit is None:
            break
        starts.append(hit)
        cursor = hit[1]
    rows: list[dict[str, Region]] = []
    tail: Region | None = None
    for i, (at, _) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else region.b
        rows.append(Region(doc, at, stop).fields(columns))
    if rows:
        last_key = columns[-1][0]
        last = rows[-1].get(last_key)
        if last is not None:
            # The last cell is one paragraph; what follows it is the comment.
            paras_start = _after_first_paragraph(last)
            if paras_start is not None:
                rows[-1][last_key] = Region(doc, last.a, paras_start)
                tail = Region(doc, paras_start, region.b)
        for row in rows:
            for key, cell in row.items():
                row[key] = Region(doc, cell.a, cell.b)
    else:
        tail = region
    return rows, tail


def _after_first_paragraph(region: Region) -> Pos | None:
    doc = region.doc
    seen = False
    for i in range(region.a.line, min(region.b.line + 1, len(doc.lines))):
        text = doc.lines[i][region.a.col :] if i == region.a.line else doc.lines[i]
        if text.strip():
            seen = True
        elif seen:
            return Pos(i, 0)
    return None


def _cell(region: Region) -> str:
    return one_line(_drop_number_tail(region.lines))


def _yes_no(text: str) -> str | None:
    word = text.strip().rstrip(".").casefold()
    return {"ja": "Ja", "nei": "Nei"}.get(word)


def _requirements(region: Region, out: Imported, dotted: str) -> None:
    t = out.table(dotted)
    types = {c.key: c.type for c in t.columns}
    keys = tuple(types)
    rows, tail = _rows(region, out.labels(t))
    parsed: list[dict[str, Any]] = []
    extra: list[str] = []
    for i, row in enumerate(rows, 1):
        item: dict[str, Any] = {}
        for key in keys:
            lines = [ln for ln in row[key].lines if ln.strip()] if key in row else []
            if types[key] in ("count", "yesno") and len(lines) > 1:
                # A count or Ja/Nei is one word on one line. What follows it is the next
                # row's number, or (after the last row) the comment, when the PDF's text
                # lost the blank line between them.
                rest = [ln for ln in lines[1:] if not _NUMBER_LINE.match(ln)]
                if i == len(rows) and key == keys[-1]:
                    extra = rest
                elif rest:
                    out.check(dotted, msg("importer.row-text-after", row=i), " ".join(rest))
                lines = lines[:1]
            cell = one_line(_drop_number_tail(lines, key == keys[0]))
            if not cell:
                continue
            _put_cell(out, dotted, i, item, key, types[key], cell)
        if keys[0] not in item:
            if item:
                _no_name(out, dotted, i, t.columns[0])
            continue
        parsed.append(item)
    comment = markdown(extra, region.width) if extra else ""
    comment = "\n\n".join(x for x in (comment, tail.text() if tail else "") if x)
    if parsed or comment:
        _put_table(out, dotted, t, parsed, comment)


def _theme_of(piece: str, themes: tuple[str, ...]) -> str | None:
    for theme in themes:
        if piece.strip().casefold() == theme.casefold():
            return theme
    return None


# The kinds of piece a line of the 2.A.3 table is split into; _BLANK is an empty line.
_THEME, _TEXT, _BEFORE, _AFTER, _BLANK = "theme", "text", "text-before", "text-after", "blank"


def _split_line(line: str, themes: tuple[str, ...]) -> list[tuple[str, str]]:
    """A line of the flattened 2.A.3 table as pieces: (_THEME, t), (_TEXT, s), or a text
    on the line of a theme, before it (_BEFORE) or after it (_AFTER)."""
    line = line.strip()
    if not line:
        return []
    whole = _theme_of(line, themes)
    if whole:
        return [(_THEME, whole)]
    if len(line) > _MAX_CELL_LINE:  # a sentence of the comment, not a cell
        return [(_TEXT, line)]
    for theme in sorted(themes, key=len, reverse=True):
        if line.casefold().endswith(" " + theme.casefold()):
            return [(_BEFORE, line[: -len(theme)].strip()), (_THEME, theme)]
        if line.casefold().startswith(theme.casefold() + " "):
            rest = line[len(theme) :].strip()
            more = _theme_of(rest, themes)
            return [(_THEME, theme), (_THEME, more) if more else (_AFTER, rest)]
    return [(_TEXT, line)]


# A line of a table cell; longer lines are prose (the comment under the table).
_MAX_CELL_LINE = 80


def _risks(region: Region, out: Imported, dotted: str) -> None:
    doc = region.doc
    t = out.table(dotted)
    name_c, themes_c, geo_c = _roles(t)
    themes = fv.themes(out.e)
    header = doc.find(" ".join(_headers(out, t)), region.a, region.b, whole=False)
    start = header[1] if header else region.a
    lines = doc.span(start, region.b)
    width = doc.width_of(start, region.b)
    # Each line becomes pieces; a blank line is a paragraph break.
    pieces: list[tuple[str, str]] = []
    for line in lines:
        pieces.extend(_split_line(line, themes) or [(_BLANK, "")])
    runs: list[tuple[int, int]] = []  # [start, end) of each run of themes
    i = 0
    while i < len(pieces):
        if pieces[i][0] == _THEME:
            j = i
            while j < len(pieces) and pieces[j][0] == _THEME:
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    if not runs:
        text = markdown(lines, width)
        if text:
            out.check(dotted, msg("importer.table-unreadable"), text)
            _put_table(out, dotted, t, [], text)
        return
    risks: list[dict[str, Any]] = []
    gaps = [pieces[: runs[0][0]]]
    gaps += [pieces[runs[k][1] : runs[k + 1][0]] for k in range(len(runs) - 1)]
    gaps.append(pieces[runs[-1][1] :])
    names: list[str] = []
    geos: list[str | None] = [None] * len(runs)
    comment_lines: list[str] = []
    for k, gap in enumerate(gaps):
        geo, rest = _geo(gap) if k > 0 else (None, gap)
        filled = [p for p in rest if p[0] != _BLANK]
        if filled and filled[-1][0] == _BEFORE:
            # «Transport Miljø»: the name stands on the line of its first theme; the
            # text between the themes before and this line is their geography. (A
            # text-before piece stands just before a theme: never in the last gap.)
            names.append(filled[-1][1])
            middle = [t for _, t in filled[:-1]]
            if middle and k > 0 and geo is None:
                geo = one_line(middle)
            elif middle:
                out.check(dotted, msg("importer.text-before-risk", n=k + 1), " ".join(middle))
            if k > 0:
                geos[k - 1] = geo
            continue
        if k > 0:
            geos[k - 1] = geo
        paras = _gap_paragraphs(rest)
        if k < len(runs):
            if len(paras) > 1 and k > 0 and geo is None:
                geos[k - 1] = one_line(paras[0])
                paras = paras[1:]
            elif len(paras) == 1 and len(paras[0]) > 1 and k > 0 and geo is None:
                # No blank line between the geography and the next name: a short first
                # line is the geography (a wrapped name's first line fills the column).
                if len(paras[0][0]) <= 30 and not paras[0][0].endswith("."):
                    geos[k - 1] = paras[0][0]
                    paras = [paras[0][1:]]
            if len(paras) > 1:
                raw = " ".join(x for p in paras for x in p)
                out.check(dotted, msg("importer.risk-name-unsure", n=k + 1), raw)
            names.append(one_line([x for p in paras for x in p]))
        else:
            if paras and geo is None and _short(paras[0]):
                geos[k - 1] = one_line(paras[0])
                paras = paras[1:]
            comment_lines = [x for p in paras for x in [*p, ""]]
    for k, (a, b) in enumerate(runs):
        risk: dict[str, Any] = {
            name_c.key: names[k],
            themes_c.key: [x for _, x in pieces[a:b]],
        }
        if geos[k] and geo_c is not None:
            risk[geo_c.key] = geos[k]
        if not risk[name_c.key]:
            out.check(dotted, msg("importer.risk-without-name", n=k + 1))
            risk[name_c.key] = f"Risiko {k + 1}"
        risks.append(risk)
    _put_table(out, dotted, t, risks, markdown(comment_lines, width))


def _geo(gap: list[tuple[str, str]]) -> tuple[str | None, list[tuple[str, str]]]:
    if gap and gap[0][0] == _AFTER:
        return gap[0][1], gap[1:]
    return None, gap


def _gap_paragraphs(gap: list[tuple[str, str]]) -> list[list[str]]:
    paras: list[list[str]] = [[]]
    for kind, text in gap:
        if kind == _BLANK:
            if paras[-1]:
                paras.append([])
        else:
            paras[-1].append(text)
    return [p for p in paras if p]


def _short(para: list[str]) -> bool:
    return len(para) == 1 and len(para[0]) <= 40 and not para[0].rstrip().endswith(".")


def _cards(region: Region, out: Imported, dotted: str) -> None:
    doc = region.doc
    t = out.table(dotted)
    assert t.match_field is not None  # an edition's cards always name it (forms/rules.py)
    match = t.match_field
    # ehnreport prints a short name above a label two fields share («Tiltak»); the
    # portal prints the label alone.
    labels: list[tuple[str, str | list[str]]] = []
    for c in t.columns:
        if c.key == match:
            continue
        label = fv.column_label(out.e, c)
        short = fv.text(out.e, c.short)
        labels.append((c.key, [f"{short} {label}", label] if short else label))
    keys = [k for k, _ in labels]
    first = labels[0][1]
    starts: list[Pos] = []
    cursor = region.a
    while True:
        hit = doc.find(first, cursor, region.b, whole=False)
        if hit is None:
            break
        starts.append(hit[0])
        cursor = hit[1]
    risks = _matched_names(out, t)
    cards: list[dict[str, Any]] = []
    title_start = region.a
    for i, at in enumerate(starts):
        stop = starts[i + 1] if i + 1 < len(starts) else region.b
        body = Region(doc, at, stop)
        parts = body.fields(labels)
        title_lines = [
            ln for ln in doc.span(title_start, at) if ln.strip() and not _CARD_KICKER.match(ln)
        ]
        title = one_line(title_lines)
        card: dict[str, Any] = {match: title}
        last_key = keys[-1]
        next_title = stop
        if last_key in parts and i + 1 < len(starts):
            # The next card's risk name stands after this card's last field.
            next_title = _title_start(parts[last_key], risks, i + 1, doc)
            parts[last_key] = Region(doc, parts[last_key].a, next_title)
        for key, sub in parts.items():
            kept = [ln for ln in sub.lines if not _CARD_KICKER.match(ln)]
            text = markdown(kept, sub.width)
            if text:
                card[key] = text
        matched = _match_risk(title, risks)
        if matched is not None:
            card[match] = matched
        elif risks:
            out.check(dotted, msg("importer.card-not-a-row", n=i + 1, title=title))
        if not card[match]:
            card[match] = risks[i] if i < len(risks) else f"Risiko {i + 1}"
            out.check(dotted, msg("importer.card-without-name", n=i + 1))
        cards.append(card)
        title_start = next_title
    if cards:
        _put(out, dotted, cards)
    elif not region.is_empty():
        text = region.text()
        out.check(dotted, msg("importer.cards-unreadable"), text)


def _matched_names(out: Imported, t: FormTable) -> list[str]:
    """The names of the rows the cards follow (the risks of 2.A.3), as read."""
    if t.matches is None:
        return []
    value: Any = out.data
    for key in out.e.path_of(t.matches):
        value = value.get(key) if isinstance(value, dict) else None
    followed = out.e.question(t.matches).table
    if not isinstance(value, dict) or followed is None or followed.rows_key is None:
        return []
    column = t.match_column or followed.columns[0].key
    return [r[column] for r in value.get(followed.rows_key) or [] if r.get(column)]


def _title_start(last: Region, risks: list[str], index: int, doc: Doc) -> Pos:
    """Where the next card's title begins inside the previous card's last field."""
    if index < len(risks):
        found: Pos | None = None
        cursor = last.a
        while (hit := doc.find(risks[index], cursor, last.b, whole=False)) is not None:
            found, cursor = hit[0], hit[1]
        if found is not None:
            return found
    # Without a known name: the last paragraph before the next card.
    lines = doc.span(last.a, last.b)
    for i in range(len(lines) - 1, -1, -1):
        if not lines[i].strip() and any(x.strip() for x in lines[i:]):
            return Pos(last.a.line + i, 0) if i else last.a
    return last.a


def _match_risk(title: str, risks: list[str]) -> str | None:
    for name in risks:
        if squash(name) == squash(title):
            return name
    return None


def _counts(region: Region, out: Imported, dotted: str) -> None:
    if region.tables():
        _tagged_counts(region, out, dotted)
        return
    t = out.table(dotted)
    group, count, other, header = _count_roles(out, t)
    lines = [ln for ln in region.lines]
    counts: list[dict[str, Any]] = []
    text_lines: list[str] = []
    method: str | None = None
    pending: list[str] = []
    for ln in lines:
        if squash(ln) == squash(" ".join(header)):
            continue
        m = _COUNT.match(ln)
        if m and _number(m.group("n")) is not None:
            if pending:
                method = one_line(pending).rstrip(":").strip()
                pending = []
            if method is None:
                out.check(dotted, msg("importer.count-without-method"), ln)
                method = "Uten metode"
            counts.append({group: method, other: m.group("topic"), count: _number(m.group("n"))})
            continue
        if ln.strip():
            pending.append(ln)
        else:
            if pending:
                text_lines.extend([*pending, ""])
                pending = []
            method = None
    text_lines.extend(pending)
    text = markdown(text_lines, region.width)
    if counts or text:
        _put_table(out, dotted, t, counts, text)


def _deviations(region: Region, out: Imported, dotted: str) -> None:
    t = out.table(dotted)
    keys = tuple(c.key for c in t.columns)
    rows, tail = _rows(region, out.labels(t))
    parsed: list[dict[str, Any]] = []
    for row in rows:
        item = {k: _cell(row[k]) for k in keys if k in row and _cell(row[k])}
        if item:
            parsed.append(item)
    comment = tail.text() if tail is not None else ""
    if parsed or comment:
        _put_table(out, dotted, t, parsed, comment)


_TABLES: dict[str, Callable[[Region, Imported, str], None]] = {
    "requirements": _requirements,
    "risks": _risks,
    "deviations": _deviations,
}
_TAGGED: dict[str, Callable[[Region, Imported, str], None]] = {
    "requirements": _tagged_requirements,
    "risks": _tagged_risks,
    "deviations": _tagged_deviations,
}


def _unknown_kind(region: Region, out: Imported, dotted: str) -> None:
    """An answer of a kind the importer cannot read from a PDF: kept as a place to check."""
    if not region.is_empty():
        out.check(dotted, msg("importer.answer-unreadable"), one_line(region.lines))


_QUESTIONS: dict[str, Callable[[Region, Imported, str], None]] = {
    "text": _text,
    "line": _line,
    "url": _url,
    "table": _table,
    "cards": _cards,
}
