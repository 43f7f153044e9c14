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
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import __version__
from .completeness import COMPLETENESS_CODES, StepCount
from .errors import Diagnostic, ExitCode, ReportInvalid, UserError
from .validate import CheckResult, check_file, printable

if TYPE_CHECKING:
    from .batch import BatchItem

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
    sarif = "sarif"
    gitlab = "gitlab"


def _version(value: bool) -> None:
    if value:
        typer.echo(f"ehnreport {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Vis versjonen og avslutt."
        ),
    ] = False,
) -> None:
    """Skriv EHN-rapporten som én YAML-fil, kontroller den og lag PDF og HTML."""


def _default_format(fmt: Format | None) -> Format:
    if fmt is not None:
        return fmt
    return Format.github if os.environ.get("GITHUB_ACTIONS") == "true" else Format.text


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def _github_line(d: Diagnostic, strict: bool) -> str:
    level = "error" if d.is_error or strict else "warning"
    props = (
        f"file={_gh_escape(d.file, True)},line={d.line},col={d.column},"
        f"title={_gh_escape('ehnreport ' + d.code, True)}"
    )
    where = f"{d.path}: " if d.path else ""
    return f"::{level} {props}::{_gh_escape(where + d.message)}"


def _summary(
    path: Path, diagnostics: list[Diagnostic], counts: list[StepCount], ok: bool, valid: bool
) -> str:
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    head = "gyldig" if ok else ("ugyldig med --strict" if valid else "ugyldig")
    text = f"{printable(str(path))}: {head}: {errors} feil, {warnings} advarsler."
    if counts:
        per_step = ", ".join(f"trinn {c.number} {c.answered}/{c.total}" for c in counts)
        text += f" Besvarte spørsmål: {per_step}."
    return text


def print_results(
    results: list[CheckResult], fmt: Format, strict: bool, quiet: bool = False
) -> None:
    """Print the diagnostics of checked files in the chosen format.

    Machine formats (json, sarif, gitlab) own standard output; summaries then go to
    standard error, as they do for github annotations.
    """
    full = results  # summaries count every diagnostic, also under --quiet
    if quiet:
        results = [
            CheckResult(
                r.path, r.report, r.loaded, [d for d in r.diagnostics if d.is_error], r.counts
            )
            for r in results
        ]
    if fmt is Format.json:
        doc = {
            "files": [
                {
                    "path": str(r.path),
                    "valid": r.ok(strict),
                    "diagnostics": [d.as_dict() for d in r.diagnostics],
                    "answered": [
                        {"step": c.number, "answered": c.answered, "total": c.total}
                        for c in r.counts
                    ],
                }
                for r in results
            ]
        }
        typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))
        return
    if fmt in (Format.sarif, Format.gitlab):
        from . import formats

        data = (
            formats.sarif(results, __version__, strict=strict)
            if fmt is Format.sarif
            else formats.gitlab(results, strict=strict)
        )
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    if fmt is Format.text and sys.stdout.isatty():
        from .terminal import render_diagnostics, use_color

        text = render_diagnostics(
            results, color=use_color(sys.stdout), source_lines=True, quiet=quiet
        )
        if text:
            typer.echo(text)
    else:
        for r in results:
            for d in r.diagnostics:
                typer.echo(_github_line(d, strict) if fmt is Format.github else d.format())
    for r in full:
        summary = _summary(r.path, r.diagnostics, r.counts, r.ok(strict), r.valid)
        typer.echo(summary, err=fmt is Format.github)


def _fail(exc: UserError) -> typer.Exit:
    typer.echo(f"ehnreport: {printable(str(exc))}", err=True)
    return typer.Exit(int(exc.exit_code))


FormatOption = Annotated[
    Format | None,
    typer.Option(
        "--format",
        "-f",
        help="Utdataformat: text, json, github, sarif eller gitlab. Standard er text, "
        "eller github når GITHUB_ACTIONS=true.",
        case_sensitive=False,
    ),
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Advarsler (som ubesvarte spørsmål) gir også feil.")
]


@app.command()
def validate(
    files: Annotated[
        list[Path], typer.Argument(help="Rapportfilene som skal kontrolleres.", show_default=False)
    ],
    strict: StrictOption = False,
    fmt: FormatOption = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Vis bare feil, ikke advarsler.")
    ] = False,
) -> None:
    """Kontroller rapportfiler mot EHN-skjemaet og vis alle feil og advarsler.

    Avslutningskoder: 0 gyldig (advarsler tillatt), 1 ugyldig (eller advarsler med
    --strict), 2 feil bruk eller en fil som ikke kan leses.
    """
    fmt = _default_format(fmt)
    results: list[CheckResult] = []
    code = ExitCode.OK
    for path in files:
        try:
            result = check_file(path)
        except UserError as exc:
            typer.echo(f"ehnreport: {printable(str(exc))}", err=True)
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
        Path | None,
        typer.Option(
            "--output", "-o", help="Skriv skjemaet til denne filen i stedet for til skjermen."
        ),
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


@app.command()
def init(
    file: Annotated[Path, typer.Argument(help="Filen som skal lages.")] = Path("report.yaml"),
    member: Annotated[str | None, typer.Option("--member", help="Virksomhetens navn.")] = None,
    short_name: Annotated[
        str | None, typer.Option("--short-name", help="Kortnavn til bunnteksten.")
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Rapporteringsåret. Standard: i fjor.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Skriv over en fil som finnes.")] = False,
) -> None:
    """Lag en ny, tom rapport med alle deler og spørsmål, klar til utfylling.

    Avslutningskoder: 0 skrevet, 2 filen finnes allerede (uten --force) eller kan ikke
    skrives.
    """
    from .output import write_atomic
    from .scaffold import scaffold

    if file.exists() and (not force or file.is_dir()):
        what = "er en mappe" if file.is_dir() else "finnes allerede; bruk --force for å skrive over"
        typer.echo(f"ehnreport: {file} {what}.", err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    try:
        text = scaffold(member, year, short_name)
    except ValueError as exc:
        typer.echo(f"ehnreport: {exc}", err=True)
        raise typer.Exit(int(ExitCode.USAGE)) from None
    try:
        write_atomic(file, text.encode("utf-8"))
    except UserError as exc:
        typer.echo(f"ehnreport: {exc}", err=True)
        raise typer.Exit(int(ExitCode.USAGE)) from None
    typer.echo(f"skrev {file}")
    typer.echo(
        "Neste steg: fyll inn svarene, og kjør «ehnreport validate "
        f"{file}». Redigeringsprogrammet finner feltforklaringene når "
        "schema/ehnreport.schema.json finnes («ehnreport schema -o schema/ehnreport.schema.json»)."
    )


def _same_file(a: Path, b: Path) -> bool:
    """Whether `b` is the file `a` (so writing `b` would destroy the source)."""
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


@app.command("import")
def import_(
    source: Annotated[
        Path,
        typer.Argument(help="PDF-en fra EHNs portal (eller fra ehnreport), eller teksten i den."),
    ],
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Rapportfilen som skal lages. Standard: <navn>.yaml."),
    ] = None,
    year: Annotated[
        int | None, typer.Option("--year", help="Rapporteringsåret, når teksten ikke sier det.")
    ] = None,
    form: Annotated[
        str | None, typer.Option("--form", help="Skjemautgaven. Standard: den nyeste.")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Skriv over en fil som finnes.")] = False,
) -> None:
    """Hent svarene fra en rapport-PDF (eller teksten i den) til en ny rapportfil.

    Avslutningskoder: 0 skrevet, 2 kilden kan ikke leses, er ikke en EHN-rapport, eller
    filen finnes allerede (uten --force), 3 filen kunne ikke skrives.
    """
    from .importer import import_report, summary
    from .importer.writer import write_checked

    target = output or Path(source.stem + ".yaml")
    if _same_file(source, target):
        typer.echo(
            f"ehnreport: {printable(str(target))} er kilden selv; velg en annen -o.", err=True
        )
        raise typer.Exit(int(ExitCode.USAGE))
    if target.exists() and (not force or target.is_dir()):
        what = (
            "er en mappe" if target.is_dir() else "finnes allerede; bruk --force for å skrive over"
        )
        typer.echo(f"ehnreport: {printable(str(target))} {what}.", err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    try:
        result = import_report(source, year=year, edition=form)
        write_checked(target, result.text)
    except UserError as exc:
        raise _fail(exc) from None
    typer.echo(f"skrev {printable(str(target))}")
    for line in summary(result):
        typer.echo(line)


@app.command("next-year")
def next_year_(
    report: Annotated[Path, typer.Argument(help="Årets rapportfil.")],
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Utkastet som skal lages. Standard: samme navn med neste år."
        ),
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="Skriv over en fil som finnes.")] = False,
) -> None:
    """Lag et utkast til neste års rapport: året flyttet, tallene tømt, tekstene beholdt.

    Avslutningskoder: 0 skrevet, 1 rapporten har feil, 2 filen kan ikke leses eller
    utkastet finnes allerede (uten --force), 3 utkastet kunne ikke skrives.
    """
    from .importer.writer import write_checked
    from .nextyear import next_year

    try:
        draft, target = next_year(report, output)
        if _same_file(report, target):
            typer.echo(
                f"ehnreport: {printable(str(target))} er årets rapport selv; velg en annen -o.",
                err=True,
            )
            raise typer.Exit(int(ExitCode.USAGE))
        if target.exists() and (not force or target.is_dir()):
            what = (
                "er en mappe"
                if target.is_dir()
                else "finnes allerede; bruk --force for å skrive over"
            )
            typer.echo(f"ehnreport: {printable(str(target))} {what}.", err=True)
            raise typer.Exit(int(ExitCode.USAGE))
        write_checked(target, draft.text)
    except ReportInvalid as exc:
        for d in exc.diagnostics:
            if d.is_error:
                typer.echo(d.format())
        raise _fail(exc) from None
    except UserError as exc:
        raise _fail(exc) from None
    typer.echo(f"skrev {printable(str(target))} (utkast for {draft.year})")
    if draft.cleared:
        typer.echo("Tømt (årets tall): " + ", ".join(draft.cleared) + ".")
    typer.echo(f"Beholdt som utgangspunkt, merket som fjorårets tekst: {len(draft.kept)} svar.")
    if draft.dropped:
        typer.echo("Ikke overført: " + ", ".join(draft.dropped) + ".")


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


@app.command("diff")
def diff_(
    old: Annotated[str, typer.Argument(help="Den gamle rapportfilen, eller - for standard inn.")],
    new: Annotated[Path, typer.Argument(help="Den nye rapportfilen.")],
    fmt: Annotated[
        DiffFormat,
        typer.Option(
            "--format", "-f", help="Utdataformat: text, json eller html.", case_sensitive=False
        ),
    ] = DiffFormat.text,
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Skriv resultatet til denne filen i stedet for til skjermen."
        ),
    ] = None,
) -> None:
    """Vis hva som er endret mellom to versjoner av en rapport, spørsmål for spørsmål.

    Avslutningskoder (som diff): 0 ingen endringer, 1 endringer, 2 en fil kan ikke
    leses eller er ikke en gyldig rapport.
    """
    from .diff import FORMATS, diff, read_report

    try:
        old_data = read_report(None if old == "-" else Path(old), sys.stdin)
        new_data = read_report(new, sys.stdin)
    except UserError as exc:
        typer.echo(f"ehnreport: {printable(str(exc))}", err=True)
        raise typer.Exit(int(ExitCode.USAGE)) from None
    changes = diff(old_data, new_data)
    text = FORMATS[fmt.value](changes, "standard inn" if old == "-" else old, str(new))
    if output is None:
        sys.stdout.write(text)
    else:
        from .output import write_atomic

        try:
            write_atomic(output, text.encode("utf-8"))
        except UserError as exc:
            typer.echo(f"ehnreport: {printable(str(exc))}", err=True)
            raise typer.Exit(int(ExitCode.USAGE)) from None
    raise typer.Exit(1 if changes else 0)


PDF_VARIANTS = (
    "pdf/a-2a",
    "pdf/a-3a",
    "pdf/a-2b",
    "pdf/a-3b",
    "pdf/a-2u",
    "pdf/a-3u",
    "pdf/ua-1",
    "none",
)


def _print_item(item: BatchItem, fmt: Format, strict: bool) -> None:
    # Unanswered questions are listed by `validate`; a build shows the rest.
    shown = [d for d in item.diagnostics if strict or d.code not in COMPLETENESS_CODES]
    for d in shown:
        typer.echo(_github_line(d, strict) if fmt is Format.github else d.format())
    unanswered = len(item.diagnostics) - len(shown)
    if unanswered:
        typer.echo(
            f"{printable(str(item.path))}: {unanswered} ubesvarte spørsmål; "
            "«ehnreport validate» viser dem."
        )
    if item.message:
        typer.echo(f"ehnreport: {printable(item.message)}", err=True)
    for written in item.written:
        typer.echo(f"skrev {printable(str(written))}")


def _progress_bar(done: int, total: int, path: Path) -> None:
    width = 30
    filled = width * done // total
    bar = "█" * filled + "·" * (width - filled)
    sys.stderr.write(f"\r{bar} {done}/{total} {printable(path.name)[:40]:<40}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _summary_table(items: list[BatchItem]) -> str:
    labels = {0: "bygget", 1: "ugyldig", 2: "kan ikke leses", 3: "bygget feilet"}
    rows = [("Rapport", "Resultat", "Feil", "Advarsler", "Sekunder")]
    for item in items:
        errors = sum(d.is_error for d in item.diagnostics)
        rows.append(
            (
                printable(str(item.path)),
                labels.get(item.exit_code, str(item.exit_code)),
                str(errors),
                str(len(item.diagnostics) - errors),
                f"{item.seconds:.1f}",
            )
        )
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = [
        "  ".join(
            c.ljust(w) if i < 2 else c.rjust(w)
            for i, (c, w) in enumerate(zip(r, widths, strict=True))
        )
        for r in rows
    ]
    lines.insert(1, "  ".join("-" * w for w in widths))
    built = sum(item.ok for item in items)
    lines.append(f"{built} av {len(items)} rapporter bygget.")
    return "\n".join(lines)


@app.command()
def build(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help=(
                "Rapportfiler eller mapper med rapporter. Standard: report.yaml i mappen du står i."
            ),
            show_default=False,
        ),
    ] = None,
    html: Annotated[bool, typer.Option("--html", help="Lag HTML.")] = False,
    pdf: Annotated[
        bool, typer.Option("--pdf", help="Lag PDF. Uten --html og --pdf lages begge.")
    ] = False,
    out_dir: Annotated[
        Path, typer.Option("--output", "-o", help="Mappen filene skrives til.")
    ] = Path("build"),
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", help="Mappe med maler som erstatter de innebygde med samme navn."
        ),
    ] = None,
    pdf_variant: Annotated[
        str,
        typer.Option(
            "--pdf-variant",
            help="PDF-variant: "
            + ", ".join(PDF_VARIANTS)
            + ". Standard er pdf/a-2a (arkiv og universell utforming).",
        ),
    ] = "pdf/a-2a",
    strict: Annotated[bool, typer.Option("--strict", help="Advarsler stopper bygget.")] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", help="Antall rapporter som bygges samtidig (0: én per prosessor)."
        ),
    ] = 1,
    watch: Annotated[
        bool,
        typer.Option(
            "--watch", "-w", help="Bygg på nytt hver gang rapporten, et bilde eller en mal endres."
        ),
    ] = False,
    fmt: Annotated[
        Format | None,
        typer.Option(
            "--format",
            "-f",
            help="Format for feil og advarsler: text eller github.",
            case_sensitive=False,
        ),
    ] = None,
) -> None:
    """Kontroller rapportene og lag PDF og HTML i byggmappen.

    Avslutningskoder: 0 bygget, 1 en rapport er ugyldig (ingenting skrives for den),
    2 feil bruk eller en fil som ikke kan leses, 3 bygget feilet (mal, skriving). Med
    flere rapporter er koden den verste av dem.
    """
    from .batch import build_many, collect, worst_exit_code

    if pdf_variant not in PDF_VARIANTS:
        typer.echo(
            f"ehnreport: ukjent PDF-variant «{pdf_variant}». "
            f"Velg en av: {', '.join(PDF_VARIANTS)}.",
            err=True,
        )
        raise typer.Exit(int(ExitCode.USAGE))
    fmt = _default_format(fmt)
    if fmt not in (Format.text, Format.github):
        typer.echo("ehnreport: build skriver feil som text eller github.", err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    if templates is not None and not templates.is_dir():
        typer.echo(f"ehnreport: {templates}: fant ingen mal-mappe.", err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    if not html and not pdf:
        html = pdf = True
    if not files:
        if not Path("report.yaml").exists():
            typer.echo(
                "ehnreport: fant ingen report.yaml i denne mappen. "
                "Oppgi rapportfilen, for eksempel "
                "«ehnreport build examples/ntnu-2024.yaml».",
                err=True,
            )
            raise typer.Exit(int(ExitCode.USAGE))
        files = [Path("report.yaml")]
    reports = collect(files)
    if not reports:
        typer.echo(
            "ehnreport: fant ingen rapporter (*.yaml) i " + ", ".join(map(str, files)) + ".",
            err=True,
        )
        raise typer.Exit(int(ExitCode.USAGE))
    options = dict(
        out_dir=out_dir,
        html=html,
        pdf=pdf,
        templates=templates,
        pdf_variant=None if pdf_variant == "none" else pdf_variant,
        strict=strict,
    )
    if watch:
        if len(reports) != 1:
            typer.echo("ehnreport: --watch følger én rapport om gangen.", err=True)
            raise typer.Exit(int(ExitCode.USAGE))
        _watch(reports[0], fmt, options)
        return
    many = len(reports) > 1
    progress = _progress_bar if many and sys.stderr.isatty() else None
    items = build_many(reports, jobs=jobs, progress=progress, **options)  # type: ignore[arg-type]
    for item in items:
        _print_item(item, fmt, strict)
    if many:
        typer.echo(_summary_table(items))
    raise typer.Exit(worst_exit_code(items))


def _watch(report: Path, fmt: Format, options: dict[str, Any]) -> None:
    """Rebuild on every change until Ctrl-C; an invalid save keeps the last good output."""
    import time

    from .batch import build_many
    from .watch import watch, watched_files

    def rebuild(changed: list[str]) -> None:
        stamp = time.strftime("%H:%M:%S")
        if changed:
            typer.echo(f"[{stamp}] endret: {', '.join(Path(c).name for c in changed[:5])}")
        (item,) = build_many([report], jobs=1, **options)
        _print_item(item, fmt, options["strict"])
        if item.ok:
            typer.echo(f"[{stamp}] bygget. Venter på endringer (Ctrl-C avslutter) …")
        else:
            typer.echo(f"[{stamp}] ikke bygget; forrige versjon er beholdt. Venter på endringer …")

    try:
        watch(lambda: watched_files(report, options["templates"], options["out_dir"]), rebuild)
    except KeyboardInterrupt:
        typer.echo("\navsluttet.")


def main() -> None:
    # Third-party Pydantic plugins are found by scanning every installed package's
    # metadata, which costs a noticeable part of `validate`'s start-up, and a plugin
    # could change how a report is validated. The command line does not use them; a
    # value set by the user still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    app()
