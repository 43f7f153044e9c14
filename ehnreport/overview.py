"""An overview across many reports: one self-contained, accessible HTML page.

What it counts comes from the editions' records, never from a list of question codes:
how many members answered each question that counts for completeness; the words of
every status column (goal statuses); the values of every column with a vocabulary
(the themes of the prioritised risks); the sums of every table's count column by its
text columns (4.A.2's follow-up by method and by topic); the first column of every
numbered table (4.A.3's deviations by type). For one member's several years it adds
a trend of every figure. Each chart is inline SVG with a text alternative, and its
numbers stand in a table beside it.

Reports are read one at a time into counters: memory stays flat however many there are.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .export import Answer, Skipped, answers, checked
from .forms import load_edition
from .forms.spec import Edition, Question

LANGUAGE = "nb"


@dataclass
class Series:
    """One chart's data: labelled values in the order they are shown."""

    id: str  # unique in the page, for ids and anchors
    title: str
    label_header: str  # header of the table's first column
    value_header: str
    values: list[tuple[str, int]]
    unit: str = ""


@dataclass
class _Tally:
    """A counter of labels whose printed form is the first one seen."""

    counts: Counter[str] = field(default_factory=Counter)
    shown: dict[str, str] = field(default_factory=dict)

    def add(self, label: str, amount: int = 1) -> None:
        key = " ".join(label.split()).casefold()
        self.shown.setdefault(key, " ".join(label.split()))
        self.counts[key] += amount

    def ordered(self) -> list[tuple[str, int]]:
        return [(self.shown[k], n) for k, n in sorted(self.counts.items(), key=_by_count)]


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return (-item[1], item[0])


@dataclass
class ReportInfo:
    path: Path
    member: str
    short_name: str
    year: int
    edition: str


@dataclass
class Overview:
    """Counts gathered from many reports."""

    reports: list[ReportInfo] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    # question id -> (code, label, number of reports that answered it)
    questions: dict[str, list[Any]] = field(default_factory=dict)
    tallies: dict[tuple[str, str], _Tally] = field(default_factory=dict)
    titles: dict[tuple[str, str], tuple[str, str, str]] = field(default_factory=dict)
    # (question id or figure, member) -> {year: value}
    figures: dict[str, dict[int, int]] = field(default_factory=dict)
    figure_titles: dict[str, str] = field(default_factory=dict)

    def tally(self, key: tuple[str, str], title: str, label: str, value: str) -> _Tally:
        self.titles.setdefault(key, (title, label, value))
        return self.tallies.setdefault(key, _Tally())


def _label(edition: Edition, q: Question) -> str:
    return edition.text(q.label, LANGUAGE)


def _title(q: Question, edition: Edition) -> str:
    text = _label(edition, q)
    return f"{q.code} {text}" if q.code else text


def _short(text: str, limit: int = 80) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def _status_word(edition: Edition, status_id: str) -> str:
    for vocab in edition.goal_statuses:
        if vocab.id == status_id:
            words = vocab.words.get(LANGUAGE) or next(iter(vocab.words.values()))
            return words[0]
    return status_id


def _add_report(ov: Overview, data: dict[str, Any], edition: Edition, info: ReportInfo) -> None:
    # Personal fields count as answered or not; their values are never shown.
    found = list(answers(data, edition, personal=True))
    answered = {a.question.id for a in found}
    for _, q in edition.questions():
        if not q.complete:
            continue
        entry = ov.questions.setdefault(q.id, [q.code, _short(_label(edition, q)), 0])
        entry[2] += q.id in answered
    rows: dict[tuple[str, int], dict[str, Answer]] = {}
    for a in found:
        _add_cell(ov, edition, a)
        if a.row is not None and a.field and a.item is None:
            rows.setdefault((a.question.id, a.row), {})[a.field] = a
        if a.question.kind == "count" and isinstance(a.value, int):
            _add_figure(ov, a.question.id, _short(_title(a.question, edition)), info, a.value)
    _add_rows(ov, edition, rows, info)


def _add_cell(ov: Overview, edition: Edition, a: Answer) -> None:
    """Status words and vocabulary values, counted cell by cell."""
    q = a.question
    if q.table is None or q.personal or not a.field or a.row is None:
        return
    column = next((c for c in q.table.columns if c.key == a.field), None)
    if column is None:
        return
    header = edition.text(column.label, LANGUAGE)
    if column.type == "status":
        title = f"{_short(_title(q, edition))}: {header.lower()}"
        tally = ov.tally((q.id, column.key), title, header, "Antall")
        tally.add(_status_word(edition, str(a.value)))
    elif column.vocabulary:
        title = f"{_short(_title(q, edition))}: {header.lower()}"
        ov.tally((q.id, column.key), title, header, "Antall").add(str(a.value))
    elif column.type == "yesno":
        title = f"{_short(_title(q, edition))}: rader med «Ja»"
        tally = ov.tally((q.id, "yes"), title, "Kolonne", "Rader med «Ja»")
        tally.add(edition.text(column.header or column.label, LANGUAGE), a.value == "yes")


def _add_rows(
    ov: Overview,
    edition: Edition,
    rows: dict[tuple[str, int], dict[str, Answer]],
    info: ReportInfo,
) -> None:
    """Sums of count columns by each text column, and the first column of numbered tables."""
    totals: Counter[str] = Counter()
    row_counts: Counter[str] = Counter()
    for (qid, _), cells in rows.items():
        q = edition.question(qid)
        assert q.table is not None
        counts = [c for c in q.table.columns if c.type == "count" and c.key in cells]
        texts = [c for c in q.table.columns if c.type == "text" and c.key in cells]
        for count in counts:
            amount = int(cells[count.key].value)
            totals[qid] += amount
            for text in texts:
                header = edition.text(text.label, LANGUAGE)
                title = f"{_short(_title(q, edition))}: sum per {header.lower()}"
                key = (qid, f"{count.key}-by-{text.key}")
                ov.tally(key, title, header, edition.text(count.header or count.label, LANGUAGE))
                ov.tallies[key].add(str(cells[text.key].value), amount)
        if q.table.numbered:
            row_counts[qid] += 1
            first = q.table.columns[0]
            if first.key in cells:
                header = edition.text(first.label, LANGUAGE)
                title = f"{_short(_title(q, edition))}: {_short(header, 40).lower()}"
                ov.tally((qid, first.key), title, header, "Antall").add(str(cells[first.key].value))
    for qid, total in totals.items():
        q = edition.question(qid)
        _add_figure(ov, f"{qid}#sum", f"{_short(_title(q, edition))}: sum", info, total)
    for qid, n in row_counts.items():
        q = edition.question(qid)
        _add_figure(ov, f"{qid}#rows", f"{_short(_title(q, edition))}: antall rader", info, n)


def _add_figure(ov: Overview, key: str, title: str, info: ReportInfo, value: int) -> None:
    ov.figure_titles.setdefault(key, title)
    ov.figures.setdefault(key, {})[info.year] = value


def gather(paths: Iterable[Path]) -> Overview:
    """Read every report in turn and count what the overview shows."""
    ov = Overview()
    for item in checked(paths):
        if isinstance(item, Skipped):
            ov.skipped.append(item)
            continue
        assert item.report is not None
        data = item.report.model_dump()
        meta, member = data["report"], data["member"]
        edition = load_edition(meta["form"])
        info = ReportInfo(item.path, member["name"], member["short_name"], meta["year"], edition.id)
        ov.reports.append(info)
        _add_report(ov, data, edition, info)
    return ov


def one_member(ov: Overview) -> bool:
    """Whether the reports are one member's several years (then trends are shown)."""
    members = {r.member.casefold() for r in ov.reports}
    years = [r.year for r in ov.reports]
    return len(members) == 1 and len(years) > 1 and len(set(years)) == len(years)


def series(ov: Overview) -> tuple[list[Series], list[Series]]:
    """The charts: counts across the reports, and trends when they are one member's years."""
    charts = [
        Series(
            "besvart",
            "Hvor mange rapporter som besvarer hvert spørsmål",
            "Spørsmål",
            f"Rapporter (av {len(ov.reports)})",
            [(f"{code} {label}".strip(), n) for code, label, n in ov.questions.values()],
        )
    ]
    for n, (key, tally) in enumerate(ov.tallies.items(), 1):
        title, label, value = ov.titles[key]
        charts.append(Series(f"diagram-{n}", title, label, value, tally.ordered()))
    trends: list[Series] = []
    if one_member(ov):
        for n, (figure, by_year) in enumerate(ov.figures.items(), 1):
            if len(by_year) < 2:
                continue
            values = [(str(year), by_year[year]) for year in sorted(by_year)]
            title = ov.figure_titles[figure]
            trends.append(Series(f"utvikling-{n}", title, "År", "Verdi", values))
    return charts, trends


def render_overview(ov: Overview) -> str:
    """The overview as one self-contained HTML page."""
    from .render import DEFAULT_ACCENT, environment, font_faces, format_number

    charts, trends = series(ov)
    env = environment()
    return env.get_template("overview.html.j2").render(
        overview=ov,
        charts=charts,
        trends=trends,
        accent=DEFAULT_ACCENT,
        fonts=[f for f in font_faces() if f["style"] == "normal" and f["weight"] in (400, 700)],
        num=format_number,
        one_member=one_member(ov),
    )
