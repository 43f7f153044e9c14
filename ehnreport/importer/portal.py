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
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..errors import InputFileError
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
    col: int = 0


@dataclass
class Imported:
    """What was read: the report's data, comments to write, and places to check."""

    data: dict[str, Any]
    notes: dict[str, list[str]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    short_name: str | None = None
    member_name: str | None = None
    year: int | None = None

    def check(self, dotted: str, message: str, raw: str | None = None) -> None:
        """Mark `dotted` as a place to check, with a comment in the file and a warning."""
        lines = [f"SJEKK: {message}"]
        if raw:
            lines.append("Teksten fra PDF-en: " + " ".join(raw.split()))
        self.notes.setdefault(dotted, []).extend(lines)
        self.warnings.append(f"{dotted}: {message}")


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


def _plan(edition: str) -> list[Anchor]:
    plan = [
        Anchor("part", "foreword", [fv.FOREWORD]),
        Anchor("part", "key_info", [fv.KEY_INFO]),
        Anchor("part", "procurement", [fv.PROCUREMENT]),
        Anchor("part", "goals", [fv.GOALS]),
    ]
    for step in fv.steps(edition):
        n, title = step.number, step.title
        variants = [f"{n} {step.kicker} {title}", f"Trinn {n} · {step.kicker} {n} {title}"]
        variants += [f"Trinn {n} {n} {title}", f"{n} {title}", title]
        plan.append(Anchor("skip", f"trinn {n}", [v for v in variants if v.strip()]))
        for section in step.sections:
            labels = [f"{section.code} {section.title}"]
            if section.code in fv.SUBHEADINGS:
                labels.append(fv.SUBHEADINGS[section.code])
            plan.append(Anchor("section", section.code, labels))
            if section.code in fv.INSTRUCTIONS:
                plan.append(Anchor("skip", section.code, [fv.INSTRUCTIONS[section.code]]))
            for q in section.questions:
                if q.code in fv.SUBHEADINGS:
                    plan.append(Anchor("skip", q.code, [fv.SUBHEADINGS[q.code]]))
                plan.append(Anchor("question", f"steps.{q.step}.{q.key}", [f"{q.code} {q.label}"]))
    plan.append(Anchor("part", "contact", [fv.BACK]))
    return plan


def read(doc: Doc, edition: str = fv.LATEST) -> Imported:
    """The answers in `doc`, found by the labels of `edition`."""
    result = Imported(data={})
    found: list[Anchor] = []
    cursor = Pos(0)
    for anchor in _plan(edition):
        hit = doc.find(anchor.labels, cursor, whole=anchor.whole)
        if hit is None:
            continue
        anchor.at, anchor.end = hit
        cursor = hit[1]
        found.append(anchor)
    if not found:
        raise NotAReport(
            "fant ingen av skjemaets ledetekster i teksten; er dette en rapport til EHN?"
        )
    total = len(_plan(edition))
    if len(found) < total // 4:
        result.warnings.append(
            f"teksten har bare {len(found)} av skjemaets {total} ledetekster; "
            "er det hele rapporten?"
        )
    questions = {f"steps.{q.step}.{q.key}": q for q in fv.questions(edition)}
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
                result.check(
                    where,
                    f"tekst etter overskriften {anchor.key} hører ikke til noe spørsmål.",
                    one_line(stray.lines),
                )
            continue
        if anchor.kind == "skip":
            continue
        region = Region(doc, anchor.end, nxt)
        if anchor.kind == "part":
            _PARTS[anchor.key](region, result)
        else:
            q = questions[anchor.key]
            _QUESTIONS[q.kind](region, result, anchor.key)
    result.short_name = _most_common(doc.short_names)
    result.year = _year(doc)
    return result


def _most_common(names: list[str]) -> str | None:
    if not names:
        return None
    return max(sorted(set(names)), key=names.count)


def _year(doc: Doc) -> int | None:
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

    def fields(self, labels: list[tuple[str, str]], whole: bool = False) -> dict[str, Region]:
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

    def before(self, labels: list[tuple[str, str]]) -> Region:
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
        out.check("foreword.name", "navn og tittel under forordet er usikre.", " ".join(sig))


def _label_fields(part: str, keys: tuple[str, ...]) -> list[tuple[str, str]]:
    return [(k, fv.label(f"{part}.{k}")) for k in keys]


def _short_fields(region: Region, out: Imported, part: str, keys: tuple[str, ...]) -> None:
    values: dict[str, Any] = {}
    for key, sub in region.fields(_label_fields(part, keys)).items():
        dotted = f"{part}.{key}"
        if sub.is_empty():
            continue
        if dotted in fv.NUMBER_FIELDS:
            number = _number(one_line(sub.lines))
            if number is None:
                out.check(dotted, "tallet kunne ikke leses; skriv det inn.", one_line(sub.lines))
            else:
                values[key] = number
        elif key == "structure":
            values[key] = sub.text()
        elif key == "email":
            mail = one_line(sub.lines)
            if _EMAIL.match(mail):
                values[key] = mail
            else:
                out.check(dotted, "e-postadressen kunne ikke leses.", mail)
        else:
            values[key] = one_line(sub.lines)
    out.data[part] = values


def _key_info(region: Region, out: Imported) -> None:
    sub = region.doc.find(fv.KEY_INFO_SUB, region.a, region.b)
    if sub is not None:
        region = Region(region.doc, sub[1], region.b)
    _short_fields(region, out, "key_info", fv.KEY_INFO_FIELDS)


def _procurement(region: Region, out: Imported) -> None:
    _short_fields(region, out, "procurement", fv.PROCUREMENT_FIELDS)


def _status(text: str) -> tuple[str | None, str | None]:
    """A goal's status split into the status word and the comment after it."""
    stripped = text.strip()
    for word in fv.GOAL_STATUSES:
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
    doc = region.doc
    parts = region.fields([("current", fv.GOALS_CURRENT), ("next", fv.GOALS_NEXT)])
    current: list[dict[str, Any]] = []
    if "current" in parts:
        cur = parts["current"]
        cursor = cur.a
        while True:
            hit = doc.find(fv.GOAL_TEXT, cursor, cur.b, whole=False)
            if hit is None:
                break
            status = doc.find(fv.GOAL_STATUS, hit[1], cur.b, whole=False)
            nxt = doc.find(fv.GOAL_TEXT, hit[1], cur.b, whole=False)
            stop = nxt[0] if nxt else cur.b
            if status is None or status[0] > stop:
                text_lines, status_lines = doc.span(hit[1], stop), []
            else:
                text_lines, status_lines = doc.span(hit[1], status[0]), doc.span(status[1], stop)
            width = doc.width_of(hit[1], stop)
            goal: dict[str, Any] = {"text": markdown(_drop_number_tail(text_lines, True), width)}
            word, comment = _status(markdown(_drop_number_tail(status_lines, True), width))
            if word:
                goal["status"] = word
            if comment:
                goal["comment"] = comment
            current.append(goal)
            cursor = hit[1]
    nexts: list[str] = []
    if "next" in parts:
        nexts = _numbered_items(parts["next"])
    out.data["goals"] = {"current": current, "next_year": nexts}


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


def _url(region: Region, out: Imported, dotted: str) -> None:
    text = one_line(region.lines)
    if not text:
        return
    if _URL.match(text):
        _put(out, dotted, text)
    else:
        out.check(dotted, "svaret er ikke en nettadresse; skriv adressen inn.", text)


def _table(region: Region, out: Imported, dotted: str) -> None:
    code = _CODES[dotted]
    if region.tables():
        _TAGGED[code](region, out, dotted)
    else:
        _TABLES[code](region, out, dotted)


def _tagged_rows(region: Region, code: str) -> list[list[str]]:
    rows: list[list[str]] = []
    for table in region.tables():
        body = table.body(fv.TABLE_COLUMNS[code])
        if body:
            rows.extend(body)
    return rows


def _with_comment(value: dict[str, Any], region: Region, key: str = "comment") -> None:
    text = region.prose()
    if text:
        value[key] = text


def _tagged_requirements(region: Region, out: Imported, dotted: str) -> None:
    keys = ("procurement", "suppliers", "qualification", "award", "contract")
    rows: list[dict[str, Any]] = []
    for i, row in enumerate(_tagged_rows(region, "2.A.2"), 1):
        cells = dict(zip(keys, row[-len(keys) :], strict=False))
        item: dict[str, Any] = {}
        for key, cell in cells.items():
            cell = " ".join(cell.split())
            if not cell:
                continue
            if key == "procurement":
                item[key] = cell
            elif key == "suppliers":
                number = _number(cell)
                if number is None:
                    out.check(dotted, f"rad {i}: antall leverandører kunne ikke leses.", cell)
                else:
                    item[key] = number
            else:
                word = _yes_no(cell)
                if word is None:
                    out.check(dotted, f"rad {i}: «{cell}» er verken Ja eller Nei.", cell)
                else:
                    item[key] = word
        if item.get("procurement"):
            rows.append(item)
    value: dict[str, Any] = {"rows": rows}
    _with_comment(value, region)
    _put(out, dotted, value)


def _tagged_risks(region: Region, out: Imported, dotted: str) -> None:
    risks: list[dict[str, Any]] = []
    for table in region.tables():
        for row in table.cells(fv.TABLE_COLUMNS["2.A.3"]) or []:
            if len(row) < 3:
                continue
            name = " ".join(" ".join(row[0]).split())
            risk: dict[str, Any] = {"name": name, "themes": [t for t in row[1] if t.strip()]}
            geo = " ".join(" ".join(row[2]).split())
            if geo:
                risk["geography"] = geo
            if name:
                risks.append(risk)
    value: dict[str, Any] = {"risks": risks}
    _with_comment(value, region)
    _put(out, dotted, value)


def _tagged_deviations(region: Region, out: Imported, dotted: str) -> None:
    keys = ("type", "where", "action", "status")
    rows = []
    for row in _tagged_rows(region, "4.A.3"):
        item = {k: c.strip() for k, c in zip(keys, row[-len(keys) :], strict=False) if c.strip()}
        if item:
            rows.append(item)
    value: dict[str, Any] = {"rows": rows}
    _with_comment(value, region)
    if rows or value.get("comment"):
        _put(out, dotted, value)


def _tagged_counts(region: Region, out: Imported, dotted: str) -> None:
    counts: list[dict[str, Any]] = []
    for table in region.tables():
        for row in table.body(fv.COUNTS_HEADER) or []:
            number = _number(re.sub(r"\s*stk\.?\s*$", "", row[0]))
            if number is None or len(row) < 2:
                out.check(dotted, "en rad i tabellen kunne ikke leses.", " ".join(row))
                continue
            counts.append({"method": table.caption, "topic": row[1], "count": number})
    value: dict[str, Any] = {"counts": counts}
    _with_comment(value, region, "text")
    _put(out, dotted, value)


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
    keys = ("procurement", "suppliers", "qualification", "award", "contract")
    cols = list(zip(keys, fv.TABLE_COLUMNS["2.A.2"], strict=True))
    rows, tail = _rows(region, cols)
    parsed: list[dict[str, Any]] = []
    extra: list[str] = []
    for i, row in enumerate(rows, 1):
        item: dict[str, Any] = {}
        for key in keys:
            lines = [ln for ln in row[key].lines if ln.strip()] if key in row else []
            if key != "procurement" and len(lines) > 1:
                # A count or Ja/Nei is one word on one line. What follows it is the next
                # row's number, or (after the last row) the comment, when the PDF's text
                # lost the blank line between them.
                rest = [ln for ln in lines[1:] if not _NUMBER_LINE.match(ln)]
                if i == len(rows) and key == keys[-1]:
                    extra = rest
                elif rest:
                    out.check(dotted, f"rad {i}: tekst etter svaret er utelatt.", " ".join(rest))
                lines = lines[:1]
            cell = one_line(_drop_number_tail(lines, key == "procurement"))
            if not cell:
                continue
            if key == "suppliers":
                number = _number(cell)
                if number is None:
                    out.check(dotted, f"rad {i}: antall leverandører kunne ikke leses.", cell)
                else:
                    item[key] = number
            elif key == "procurement":
                item[key] = cell
            else:
                word = _yes_no(cell)
                if word is None:
                    out.check(dotted, f"rad {i}: «{cell}» er verken Ja eller Nei.", cell)
                else:
                    item[key] = word
        if "procurement" not in item:
            if item:
                out.check(dotted, f"rad {i} har ingen type anskaffelse; den er utelatt.")
            continue
        parsed.append(item)
    value: dict[str, Any] = {"rows": parsed}
    comment = markdown(extra, region.width) if extra else ""
    comment = "\n\n".join(t for t in (comment, tail.text() if tail else "") if t)
    if comment:
        value["comment"] = comment
    if parsed or comment:
        _put(out, dotted, value)


def _theme_of(piece: str) -> str | None:
    for theme in fv.KNOWN_THEMES:
        if piece.strip().casefold() == theme.casefold():
            return theme
    return None


def _split_line(line: str) -> list[tuple[str, str]]:
    """A line of the flattened 2.A.3 table as pieces: ("theme", t) or ("text", s)."""
    line = line.strip()
    if not line:
        return []
    whole = _theme_of(line)
    if whole:
        return [("theme", whole)]
    if len(line) > _MAX_CELL_LINE:  # a sentence of the comment, not a cell
        return [("text", line)]
    for theme in sorted(fv.KNOWN_THEMES, key=len, reverse=True):
        if line.casefold().endswith(" " + theme.casefold()):
            return [("text-before", line[: -len(theme)].strip()), ("theme", theme)]
        if line.casefold().startswith(theme.casefold() + " "):
            rest = line[len(theme) :].strip()
            more = _theme_of(rest)
            return [("theme", theme), ("theme", more) if more else ("text-after", rest)]
    return [("text", line)]


# A line of a table cell; longer lines are prose (the comment under the table).
_MAX_CELL_LINE = 80


def _risks(region: Region, out: Imported, dotted: str) -> None:
    doc = region.doc
    header = doc.find(" ".join(fv.TABLE_COLUMNS["2.A.3"]), region.a, region.b, whole=False)
    start = header[1] if header else region.a
    lines = doc.span(start, region.b)
    width = doc.width_of(start, region.b)
    # Each line becomes pieces; a blank line is a paragraph break.
    pieces: list[tuple[str, str]] = []
    for line in lines:
        pieces.extend(_split_line(line) or [("blank", "")])
    runs: list[tuple[int, int]] = []  # [start, end) of each run of themes
    i = 0
    while i < len(pieces):
        if pieces[i][0] == "theme":
            j = i
            while j < len(pieces) and pieces[j][0] == "theme":
                j += 1
            runs.append((i, j))
            i = j
        else:
            i += 1
    if not runs:
        text = markdown(lines, width)
        if text:
            out.check(dotted, "tabellen kunne ikke leses; teksten står som kommentar.", text)
            _put(out, dotted, {"risks": [], "comment": text})
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
        filled = [p for p in rest if p[0] != "blank"]
        if k < len(runs) and filled and filled[-1][0] == "text-before":
            # «Transport Miljø»: the name stands on the line of its first theme; the
            # text between the themes before and this line is their geography.
            names.append(filled[-1][1])
            middle = [t for _, t in filled[:-1]]
            if middle and k > 0 and geo is None:
                geo = one_line(middle)
            elif middle:
                out.check(dotted, f"teksten foran risiko {k + 1} er usikker.", " ".join(middle))
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
                out.check(dotted, f"navnet på risiko {k + 1} er usikkert.", raw)
            names.append(one_line([x for p in paras for x in p]))
        else:
            if paras and geo is None and _short(paras[0]):
                geos[k - 1] = one_line(paras[0])
                paras = paras[1:]
            comment_lines = [x for p in paras for x in [*p, ""]]
    for k, (a, b) in enumerate(runs):
        risk: dict[str, Any] = {"name": names[k], "themes": [t for _, t in pieces[a:b]]}
        if geos[k]:
            risk["geography"] = geos[k]
        if not risk["name"]:
            out.check(dotted, f"risiko {k + 1} har ikke noe navn i teksten.")
            risk["name"] = f"Risiko {k + 1}"
        risks.append(risk)
    value: dict[str, Any] = {"risks": risks}
    comment = markdown(comment_lines, width)
    if comment:
        value["comment"] = comment
    _put(out, dotted, value)


def _geo(gap: list[tuple[str, str]]) -> tuple[str | None, list[tuple[str, str]]]:
    if gap and gap[0][0] == "text-after":
        return gap[0][1], gap[1:]
    return None, gap


def _gap_paragraphs(gap: list[tuple[str, str]]) -> list[list[str]]:
    paras: list[list[str]] = [[]]
    for kind, text in gap:
        if kind == "blank":
            if paras[-1]:
                paras.append([])
        else:
            paras[-1].append(text)
    return [p for p in paras if p]


def _short(para: list[str]) -> bool:
    return len(para) == 1 and len(para[0]) <= 40 and not para[0].rstrip().endswith(".")


def _cards(region: Region, out: Imported, dotted: str) -> None:
    doc = region.doc
    keys = list(fv.CARD_FIELDS)
    labels = [(k, fv.CARD_FIELDS[k]) for k in keys]
    first = labels[0][1]
    starts: list[Pos] = []
    cursor = region.a
    while True:
        hit = doc.find(first, cursor, region.b, whole=False)
        if hit is None:
            break
        starts.append(hit[0])
        cursor = hit[1]
    risks = [
        r["name"] for r in out.data.get("steps", {}).get("step2", {}).get("a3", {}).get("risks", [])
    ]
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
        card: dict[str, Any] = {"risk": title}
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
            card["risk"] = matched
        elif risks:
            out.check(dotted, f"kort {i + 1}: «{title}» finnes ikke blant risikoene i 2.A.3.")
        if not card["risk"]:
            card["risk"] = risks[i] if i < len(risks) else f"Risiko {i + 1}"
            out.check(dotted, f"kort {i + 1} har ikke noe navn i teksten.")
        cards.append(card)
        title_start = next_title
    if cards:
        _put(out, dotted, cards)
    elif not region.is_empty():
        text = region.text()
        out.check(dotted, "kortene kunne ikke leses; teksten står i neste spørsmål.", text)


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
    lines = [ln for ln in region.lines]
    counts: list[dict[str, Any]] = []
    text_lines: list[str] = []
    method: str | None = None
    pending: list[str] = []
    for ln in lines:
        if squash(ln) == squash(" ".join(fv.COUNTS_HEADER)):
            continue
        m = _COUNT.match(ln)
        if m and _number(m.group("n")) is not None:
            if pending:
                method = one_line(pending).rstrip(":").strip()
                pending = []
            if method is None:
                out.check(dotted, "et antall står uten metode foran seg.", ln)
                method = "Uten metode"
            counts.append(
                {"method": method, "topic": m.group("topic"), "count": _number(m.group("n"))}
            )
            continue
        if ln.strip():
            pending.append(ln)
        else:
            if pending:
                text_lines.extend([*pending, ""])
                pending = []
            method = None
    text_lines.extend(pending)
    value: dict[str, Any] = {"counts": counts}
    text = markdown(text_lines, region.width)
    if text:
        value["text"] = text
    if counts or text:
        _put(out, dotted, value)


def _deviations(region: Region, out: Imported, dotted: str) -> None:
    keys = ("type", "where", "action", "status")
    cols = list(zip(keys, fv.TABLE_COLUMNS["4.A.3"], strict=True))
    rows, tail = _rows(region, cols)
    parsed: list[dict[str, Any]] = []
    for row in rows:
        item = {k: _cell(row[k]) for k in keys if k in row and _cell(row[k])}
        if item:
            parsed.append(item)
    value: dict[str, Any] = {"rows": parsed}
    comment = tail.text() if tail is not None else ""
    if comment:
        value["comment"] = comment
    if parsed or comment:
        _put(out, dotted, value)


_TABLES: dict[str, Callable[[Region, Imported, str], None]] = {
    "2.A.2": _requirements,
    "2.A.3": _risks,
    "4.A.3": _deviations,
}
_TAGGED: dict[str, Callable[[Region, Imported, str], None]] = {
    "2.A.2": _tagged_requirements,
    "2.A.3": _tagged_risks,
    "4.A.3": _tagged_deviations,
}
_CODES = {f"steps.{q.step}.{q.key}": q.code for q in fv.questions()}

_QUESTIONS: dict[str, Callable[[Region, Imported, str], None]] = {
    "text": _text,
    "url": _url,
    "table": _table,
    "cards": _cards,
    "counts": _counts,
}
