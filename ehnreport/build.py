"""Building a checked report into HTML and PDF: chains render and pdf, then writes.

Everything is made in memory first. Nothing is written when rendering fails, or when
`strict` is set and rendering produced warnings, so the previous output stays as it
was. Each file is written atomically (a temporary file beside it, then a rename).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import interrupt
from .errors import Diagnostic, ReportInvalid
from .messages import msg
from .output import write_atomic

if TYPE_CHECKING:
    from .validate import CheckResult


@dataclass(frozen=True)
class BuildOptions:
    """What to build and how: the options of `ehnreport build`, as one value."""

    out_dir: Path = Path("build")
    html: bool = True
    pdf: bool = True
    templates: Path | None = None  # a folder of templates that replace the built-in ones
    pdf_variant: str | None = "pdf/a-2a"  # None: a plain PDF
    strict: bool = False  # rendering warnings stop the build


@dataclass
class BuildOutcome:
    """What a build wrote, and the warnings rendering produced."""

    written: list[Path] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)


def build_report(result: CheckResult, options: BuildOptions | None = None) -> BuildOutcome:
    """Render a valid report to out_dir/<stem>.html and/or out_dir/<stem>.pdf.

    Raises ReportInvalid when `strict` and rendering warned (nothing is written),
    BuildError when a template or WeasyPrint fails or a file cannot be written, and
    `interrupt.Interrupted` when a signal arrived during the build (nothing more is
    written, even if a library swallowed the first exception).
    """
    options = options or BuildOptions()
    if result.report is None:
        raise ValueError("build_report needs a report that has passed validation")
    page, pdf_data, diagnostics = _render(
        result,
        pdf=options.pdf,
        templates=options.templates,
        pdf_variant=options.pdf_variant,
        strict=options.strict,
    )

    outcome = BuildOutcome(diagnostics=diagnostics)
    stem = result.path.stem
    if options.html:
        target = options.out_dir / f"{stem}.html"
        interrupt.check()
        write_atomic(target, page.encode("utf-8"))
        outcome.written.append(target)
    if pdf_data is not None:
        target = options.out_dir / f"{stem}.pdf"
        interrupt.check()
        write_atomic(target, pdf_data)
        outcome.written.append(target)
    return outcome


def _render(
    result: CheckResult,
    *,
    pdf: bool,
    templates: Path | None,
    pdf_variant: str | None,
    strict: bool,
) -> tuple[str, bytes | None, list[Diagnostic]]:
    """The HTML page, the PDF (if asked for) and the warnings, all in memory."""
    from .markdown import MarkdownRenderer
    from .render import BUILTIN, print_source, render_html, report_date

    assert result.report is not None
    file = str(result.path)
    md = MarkdownRenderer(folder=result.folder, loaded=result.loaded, file=file)
    page = render_html(result.report, md, templates=templates)
    diagnostics = _unique(md.diagnostics)
    if strict and diagnostics:
        raise _strict_failure(diagnostics)
    if not pdf:
        return page, None, diagnostics

    from .pdf import print_pdf  # WeasyPrint: imported only when a PDF is asked for

    roots = [BUILTIN] + ([templates] if templates is not None else [])
    printed = print_pdf(
        print_source(page),
        base=result.folder,
        roots=roots,
        variant=pdf_variant,
        identifier=pdf_identifier(page),
        date=report_date(result.report),
    )
    # WeasyPrint catches BaseException while it draws an SVG: a Ctrl-C there is
    # swallowed and the PDF comes back without the drawing. Stop here if one arrived.
    interrupt.check()
    diagnostics += [_refused(url, file) for url in dict.fromkeys(printed.refused)]
    diagnostics += [
        Diagnostic(1, 1, "warning", "image-refused", "", msg("build.left-out", problem=p), file)
        for p in dict.fromkeys(printed.too_costly)
    ]
    if strict and diagnostics:
        raise _strict_failure(diagnostics)
    return page, printed.data, diagnostics


def _unique(diagnostics: list[Diagnostic]) -> list[Diagnostic]:
    return list(dict.fromkeys(diagnostics))


def _refused(url: str, file: str) -> Diagnostic:
    shown = url if len(url) <= 100 else url[:97] + "…"
    return Diagnostic(
        1,
        1,
        "warning",
        "fetch-refused",
        "",
        msg("build.fetch-refused", url=shown),
        file,
    )


def _strict_failure(diagnostics: list[Diagnostic]) -> ReportInvalid:
    exc = ReportInvalid(diagnostics)
    # ReportInvalid counts errors; here every diagnostic is a warning made fatal by --strict.
    exc.args = (msg("build.strict-warnings", count=len(diagnostics)),)
    return exc


def pdf_identifier(html: str) -> bytes:
    """The PDF file identifier: a hash of the HTML, so the same input gives the same file."""
    return hashlib.sha256(html.encode("utf-8")).hexdigest()[:32].encode("ascii")
