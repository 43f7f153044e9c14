"""The command line: translates options, calls the library, maps errors to exit codes.

The only module that imports typer. Heavy modules (Jinja, markdown-it, WeasyPrint)
are imported inside the build command, so `validate` starts fast.
"""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from . import __version__
from .errors import ExitCode, UserError
from .validate import CheckResult, check_file

app = typer.Typer(
    name="ehnreport",
    help="Skriv EHN-rapporten som én YAML-fil, kontroller den og lag PDF og HTML.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ehnreport {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Vis versjonen og avslutt."),
    ] = False,
) -> None:
    """Skriv EHN-rapporten som én YAML-fil, kontroller den og lag PDF og HTML."""


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _summary(result: CheckResult, strict: bool) -> str:
    errors = sum(d.is_error for d in result.diagnostics)
    warnings = len(result.diagnostics) - errors
    if result.ok(strict):
        head = "gyldig"
    elif result.valid:
        head = "ugyldig med --strict"
    else:
        head = "ugyldig"
    text = f"{result.path}: {head}: {errors} feil, {warnings} advarsler."
    if result.counts:
        per_step = ", ".join(f"trinn {c.number} {c.answered}/{c.total}" for c in result.counts)
        text += f" Besvarte spørsmål: {per_step}."
    return text


def print_results(results: list[CheckResult], fmt: Format, strict: bool, quiet: bool = False) -> None:
    if fmt is Format.json:
        doc = {
            "files": [
                {
                    "path": str(r.path),
                    "valid": r.ok(strict),
                    "diagnostics": [d.as_dict() for d in r.diagnostics],
                    "answered": [
                        {"step": c.number, "answered": c.answered, "total": c.total} for c in r.counts
                    ],
                }
                for r in results
            ]
        }
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    for r in results:
        for d in r.diagnostics:
            if fmt is Format.github:
                level = "error" if d.is_error or strict else "warning"
                props = (
                    f"file={_gh_escape(d.file, True)},line={d.line},col={d.column},"
                    f"title={_gh_escape('ehnreport ' + d.code, True)}"
                )
                where = f"{d.path}: " if d.path else ""
                typer.echo(f"::{level} {props}::{_gh_escape(where + d.message)}")
            elif not (quiet and not d.is_error):
                typer.echo(d.format())
        typer.echo(_summary(r, strict), err=fmt is Format.github)


def _fail(exc: UserError) -> typer.Exit:
    typer.echo(f"ehnreport: {exc}", err=True)
    return typer.Exit(int(exc.exit_code))


@app.command()
def validate(
    files: Annotated[list[Path], typer.Argument(help="Rapportfilene som skal kontrolleres.", show_default=False)],
    strict: Annotated[bool, typer.Option("--strict", help="Advarsler (som ubesvarte spørsmål) gir også feil.")] = False,
    fmt: Annotated[
        Optional[Format],
        typer.Option(
            "--format",
            "-f",
            help="Utdataformat. Standard er text, eller github når GITHUB_ACTIONS=true.",
            case_sensitive=False,
        ),
    ] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Vis bare feil, ikke advarsler.")] = False,
) -> None:
    """Kontroller rapportfiler mot EHN-skjemaet og vis alle feil og advarsler.

    Avslutningskoder: 0 gyldig (advarsler tillatt), 1 ugyldig (eller advarsler med
    --strict), 2 feil bruk eller en fil som ikke kan leses.
    """
    if fmt is None:
        fmt = Format.github if os.environ.get("GITHUB_ACTIONS") == "true" else Format.text
    results: list[CheckResult] = []
    code = ExitCode.OK
    for path in files:
        try:
            result = check_file(path)
        except UserError as exc:
            typer.echo(f"ehnreport: {exc}", err=True)
            code = max(code, exc.exit_code)
            continue
        results.append(result)
        if not result.ok(strict):
            code = max(code, ExitCode.INVALID)
    print_results(results, fmt, strict, quiet)
    raise typer.Exit(int(code))


@app.command()
def schema(
    output: Annotated[
        Optional[Path],
        typer.Option("--output", "-o", help="Skriv skjemaet til denne filen i stedet for til skjermen."),
    ] = None,
) -> None:
    """Skriv JSON Schema for rapportfilen (for redigeringsprogram og andre verktøy)."""
    from .output import write_atomic
    from .schema import schema_text

    text = schema_text()
    if output is None:
        sys.stdout.write(text)
        return
    try:
        write_atomic(output, text.encode("utf-8"))
    except UserError as exc:
        raise _fail(exc) from None


PDF_VARIANTS = ("pdf/a-2a", "pdf/a-3a", "pdf/a-2b", "pdf/a-3b", "pdf/a-2u", "pdf/a-3u", "pdf/ua-1", "none")


@app.command()
def build(
    file: Annotated[
        Path, typer.Argument(help="Rapportfilen. Standard: report.yaml i mappen du står i.")
    ] = Path("report.yaml"),
    html: Annotated[bool, typer.Option("--html", help="Lag HTML.")] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help="Lag PDF. Uten --html og --pdf lages begge.")] = False,
    out_dir: Annotated[Path, typer.Option("--output", "-o", help="Mappen filene skrives til.")] = Path("build"),
    templates: Annotated[
        Optional[Path],
        typer.Option("--templates", help="Mappe med maler som erstatter de innebygde med samme navn."),
    ] = None,
    pdf_variant: Annotated[
        str,
        typer.Option(
            "--pdf-variant",
            help="PDF-variant: " + ", ".join(PDF_VARIANTS) + ". Standard er pdf/a-2a (arkiv og universell utforming).",
        ),
    ] = "pdf/a-2a",
    strict: Annotated[bool, typer.Option("--strict", help="Advarsler stopper bygget.")] = False,
    fmt: Annotated[
        Optional[Format],
        typer.Option("--format", "-f", help="Format for feil og advarsler.", case_sensitive=False),
    ] = None,
) -> None:
    """Kontroller rapporten og lag PDF og HTML i byggmappen.

    Avslutningskoder: 0 bygget, 1 rapporten er ugyldig (ingenting skrives), 2 feil bruk
    eller en fil som ikke kan leses, 3 bygget feilet (mal, skriving).
    """
    if pdf_variant not in PDF_VARIANTS:
        typer.echo(
            f"ehnreport: ukjent PDF-variant «{pdf_variant}». Velg en av: {', '.join(PDF_VARIANTS)}.",
            err=True,
        )
        raise typer.Exit(int(ExitCode.USAGE))
    if fmt is None:
        fmt = Format.github if os.environ.get("GITHUB_ACTIONS") == "true" else Format.text
    if not html and not pdf:
        html = pdf = True
    if not file.exists() and file == Path("report.yaml"):
        typer.echo(
            "ehnreport: fant ingen report.yaml i denne mappen. Oppgi rapportfilen, for eksempel "
            "«ehnreport build examples/ntnu-2024.yaml».",
            err=True,
        )
        raise typer.Exit(int(ExitCode.USAGE))
    try:
        result = check_file(file)
    except UserError as exc:
        raise _fail(exc) from None
    if not result.ok(strict):
        print_results([result], fmt, strict)
        typer.echo("ehnreport: rapporten er ikke gyldig; ingen filer er skrevet.", err=True)
        raise typer.Exit(int(ExitCode.INVALID))

    from .build import build_report  # heavy: Jinja, markdown-it, WeasyPrint

    try:
        outcome = build_report(
            result,
            out_dir=out_dir,
            html=html,
            pdf=pdf,
            templates=templates,
            pdf_variant=None if pdf_variant == "none" else pdf_variant,
            strict=strict,
        )
    except UserError as exc:
        if getattr(exc, "diagnostics", None):
            result.diagnostics = sorted(result.diagnostics + exc.diagnostics)  # type: ignore[attr-defined]
            print_results([result], fmt, strict)
        raise _fail(exc) from None
    result.diagnostics = sorted(result.diagnostics + outcome.diagnostics)
    print_results([result], fmt, strict, quiet=True)
    for written in outcome.written:
        typer.echo(f"skrev {written}")


def main() -> None:
    # Third-party Pydantic plugins are found by scanning every installed package's
    # metadata, which costs a noticeable part of `validate`'s start-up, and a plugin
    # could change how a report is validated. The command line does not use them; a
    # value set by the user still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()
