"""`ehnreport import`: a report YAML from a report's PDF, or from the PDF's text.

The PDF reader is imported here only when a PDF is read, never by `validate`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputFileError
from ..forms import Edition
from ..messages import Msg, Texts, msg
from ..validate import open_report, printable
from . import formview
from .portal import Doc, Imported, NotAReport, read, year_of
from .writer import report_yaml

MAX_SOURCE = 20 * 1024 * 1024  # a portal PDF is about 1 MiB
MAX_TEXT = 2 * 1024 * 1024  # NTNU's report is 30 KiB of text; keeps the search bounded


@dataclass
class ImportResult:
    """The report's YAML text, and what the member should look at."""

    text: str
    imported: Imported
    counts: list[tuple[int, int, int]] = field(default_factory=list)  # step, answered, total

    @property
    def warnings(self) -> list[Msg]:
        return self.imported.warnings


def read_doc(source: Path) -> Doc:
    """The text of `source`, a PDF or a .txt file, as pages of lines."""
    name = printable(str(source))
    open_report(source)
    if source.stat().st_size > MAX_SOURCE:
        raise InputFileError(msg("importer.too-large", file=name, mib=MAX_SOURCE // 2**20))
    raw = source.read_bytes()
    if raw.startswith(b"%PDF"):
        from .pdftext import pdf_doc

        return pdf_doc(raw, name)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InputFileError(msg("importer.not-pdf-or-text", file=name)) from None
    if len(text) > MAX_TEXT:
        grouped = f"{MAX_TEXT:,}"  # 2,097,152: grouped as each language writes numbers
        limit = Texts(grouped.replace(",", " "), grouped.replace(",", " "), grouped)
        raise InputFileError(msg("importer.text-too-long", file=name, limit=limit))
    return Doc.from_text(text)


def build_data(
    imported: Imported, *, year: int | None, edition: Edition, today: dt.date | None = None
) -> dict[str, Any]:
    """The report's data: what was read, plus the parts every report must have."""
    data = dict(imported.data)
    if year is None:
        year = imported.year
    if year is None:
        year = (today or dt.date.today()).year - 1
        imported.check("report.year", msg("importer.no-year", year=year))
    data["report"] = {"year": year, "form": edition.id, "language": edition.languages[0]}
    key_info = data.get("key_info") or {}
    name_q, short_q = edition.question("member.name"), edition.question("member.short-name")
    longest = short_q.max_length or 40
    name = key_info.get("name") or imported.member_name or imported.short_name
    if not name:
        # The placeholder `init` writes: validate warns until it is replaced.
        name = formview.text(edition, name_q.placeholder) or "?"
        imported.check("member.name", msg("importer.no-member-name"))
    short = imported.short_name
    if not short:
        short = name[:longest].rstrip()
        imported.check("member.short_name", msg("importer.no-short-name", short=short))
    elif len(short) > longest:
        imported.check("member.short_name", msg("importer.short-name-cut"))
        short = short[:longest].rstrip()
    data["member"] = {name_q.key: name, short_q.key: short}
    return data


def count_answers(data: dict[str, Any], edition: Edition) -> list[tuple[int, int, int]]:
    """Answered questions per step: (step number, answered, total)."""
    steps = data.get("steps") or {}
    out = []
    for step in edition.steps:
        answers = steps.get(step.key) or {}
        answered = sum(1 for q in step.questions if formview.answered(answers.get(q.key)))
        out.append((step.number, answered, len(step.questions)))
    return out


def import_report(
    source: Path,
    *,
    year: int | None = None,
    edition: str | None = None,
    today: dt.date | None = None,
) -> ImportResult:
    """Read `source` and lay its answers out as a report, as `init` lays one out.

    `edition` is the form edition's id; without it, the newest edition for the year
    (from --year, or the text; the labels of the newest edition find the year).
    """
    if edition is not None:
        form = formview.edition(edition)
    if year is not None and not 2000 <= year <= 2100:
        raise InputFileError(msg("importer.bad-year", year=year))
    doc = read_doc(source)
    if edition is None:
        found = year or year_of(doc) or (today or dt.date.today()).year - 1
        form = formview.edition(formview.edition_for_year(found))
    try:
        imported = read(doc, form)
    except NotAReport as exc:
        raise InputFileError(
            msg("importer.in-file", file=printable(str(source)), problem=exc.msg)
        ) from None
    data = build_data(imported, year=year, edition=form, today=today)
    # The file's comments are in the report's language, as init writes them.
    lang = imported.language
    marker = msg("importer.marker")
    header = [
        msg("importer.report-for", year=data["report"]["year"], member=data["member"]["name"]),
        msg("importer.header", source=source.name, form=form.id, marker=marker),
    ]
    text = report_yaml(
        data, form, header=[h.text(lang) for h in header], notes=imported.notes, language=lang
    )
    return ImportResult(text, imported, count_answers(data, form))


def summary(result: ImportResult) -> list[str]:
    """The closing lines of `ehnreport import`: answers per step and places to check."""
    per_step = tuple(
        msg("importer.step-count", step=n, answered=a, total=t) for n, a, t in result.counts
    )
    lines = [str(msg("importer.answered", steps=per_step))]
    if result.warnings:
        # The marker as the file spells it, whatever language the screen is in.
        marker = msg("importer.marker").text(result.imported.language)
        lines.append(
            str(msg("importer.places-to-check", count=len(result.warnings), marker=marker))
        )
        lines.extend(f"  {printable(str(w))}" for w in result.warnings)
    else:
        lines.append(str(msg("importer.nothing-unsure")))
    return lines
