"""The command line: translates options, calls the library, maps errors to exit codes.

The only module that imports typer. Heavy modules (Jinja, markdown-it, WeasyPrint)
are imported inside the build command, so `validate` starts fast.
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import __version__, interrupt
from .completeness import COMPLETENESS_CODES
from .errors import ExitCode, ReportInvalid, UserError
from .reporters import REPORTER_BY_NAME, Settings, for_output, report
from .validate import CheckResult, check_files, printable

if TYPE_CHECKING:
    from .batch import BatchItem
    from .build import BuildOptions
    from .export import Skipped

app = typer.Typer(
    name="ehnreport",
    help="Skriv EHN-rapporten som én YAML-fil, kontroller den og lag PDF og HTML.",
    add_completion=True,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
)


# The choices of --format; the formats themselves are in ehnreport.reporters
# (a test keeps these two lists equal to reporters.FORMAT_NAMES and LINE_FORMAT_NAMES).
class Format(str, Enum):
    text = "text"
    json = "json"
    github = "github"
    sarif = "sarif"
    gitlab = "gitlab"


class BuildFormat(str, Enum):
    text = "text"
    github = "github"


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


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):  # None (closed), or no isatty
        return False


def print_results(
    results: list[CheckResult], fmt: Format, strict: bool, quiet: bool = False
) -> None:
    """Print the diagnostics of checked files in the chosen format.

    Machine formats (json, sarif, gitlab) own standard output and print no
    summaries; github annotations send the summaries to standard error.
    """
    from .reporters.terminal import use_color

    tty = fmt is Format.text and _isatty(sys.stdout)
    settings = Settings(
        strict=strict, quiet=quiet, color=tty and use_color(sys.stdout), version=__version__
    )
    for text, err in report(results, for_output(fmt.value, tty=tty), settings):
        typer.echo(text, err=err)


def _output_failed(exc: OSError | None) -> typer.Exit:
    """Standard output is closed or full: say so on standard error, exit 2."""
    interrupt.output_failed(exc)
    return typer.Exit(int(ExitCode.USAGE))


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
FormsOption = Annotated[
    Path | None,
    typer.Option(
        "--forms",
        help="Mappe med flere skjemautgaver (én undermappe med form.yaml per utgave), "
        "for eksempel neste års skjema før det følger med ehnreport.",
    ),
]


def _add_forms(folder: Path | None) -> None:
    """Add the editions of a --forms folder; its mistakes end the command with exit 1."""
    if folder is None:
        return
    from .forms import EditionError, add_folder

    try:
        add_folder(folder)
    except EditionError as exc:
        for d in exc.diagnostics:
            typer.echo(printable(d.format()), err=True)
        typer.echo(
            f"ehnreport: skjemautgavene i {printable(str(folder))} har feil "
            f"({len(exc.diagnostics)}).",
            err=True,
        )
        raise typer.Exit(int(ExitCode.INVALID)) from None


def _known_form(form: str) -> str:
    """`form` if it names a known edition; else exit 2 with the known ones."""
    from .diagnostics import did_you_mean
    from .forms import known_editions

    known = known_editions()
    if form not in known:
        typer.echo(
            f"ehnreport: ukjent skjemautgave «{printable(form)}».{did_you_mean(form, known)} "
            f"Kjente utgaver: {', '.join(known)}.",
            err=True,
        )
        raise typer.Exit(int(ExitCode.USAGE))
    return form


def _known_language(edition_id: str, lang: str | None) -> str | None:
    """`lang` if the edition has texts in it (None stays None); else exit 2."""
    from .forms import load_edition

    languages = load_edition(edition_id).languages
    if lang is not None and lang not in languages:
        typer.echo(
            f"ehnreport: skjemaet {edition_id} finnes ikke på «{printable(lang)}» (--lang). "
            f"Språkene: {', '.join(languages)}.",
            err=True,
        )
        raise typer.Exit(int(ExitCode.USAGE))
    return lang


@app.command()
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(
            help="Rapportfilene som skal kontrolleres. Standard: report.yaml i mappen du står i.",
            show_default=False,
        ),
    ] = None,
    strict: StrictOption = False,
    fmt: FormatOption = None,
    quiet: Annotated[
        bool, typer.Option("--quiet", "-q", help="Vis bare feil, ikke advarsler.")
    ] = False,
    forms: FormsOption = None,
) -> None:
    """Kontroller rapportfiler mot EHN-skjemaet og vis alle feil og advarsler.

    Avslutningskoder: 0 gyldig (advarsler tillatt), 1 ugyldig (eller advarsler med
    --strict, eller feil i --forms), 2 feil bruk, en fil som ikke kan leses eller utdata
    som ikke kan skrives.
    """
    _add_forms(forms)
    fmt = _default_format(fmt)
    if not files:
        files = [_default_report("validate")]
    results, code = check_files(files, strict, lambda line: typer.echo(line, err=True))
    if sys.stdout is None:  # started with standard output closed
        raise _output_failed(None)
    try:
        print_results(results, fmt, strict, quiet)
    except OSError as exc:  # closed pipe, full disk
        raise _output_failed(exc) from None
    raise typer.Exit(int(code))


def _default_report(command: str) -> Path:
    """report.yaml in the current folder, or exit 2 naming the YAML files there are."""
    path = Path("report.yaml")
    if path.exists():
        return path
    try:
        found = sorted(
            p.name
            for p in Path(".").iterdir()
            if p.suffix.lower() in (".yaml", ".yml") and not p.name.startswith(".")
        )
    except OSError:
        found = []
    text = "ehnreport: fant ingen report.yaml i denne mappen. "
    if found:
        names = ", ".join(printable(n) for n in found[:10])
        more = f" og {len(found) - 10} til" if len(found) > 10 else ""
        text += (
            f"Her er disse YAML-filene: {names}{more}. Oppgi rapportfilen, for eksempel "
            f"«ehnreport {command} {printable(found[0])}»."
        )
    else:
        text += f"Oppgi rapportfilen, for eksempel «ehnreport {command} examples/ntnu-2024.yaml»."
    typer.echo(text, err=True)
    raise typer.Exit(int(ExitCode.USAGE))


@app.command()
def schema(
    output: Annotated[
        Path | None,
        typer.Option(
            "--output", "-o", help="Skriv skjemaet til denne filen i stedet for til skjermen."
        ),
    ] = None,
    form: Annotated[
        str | None,
        typer.Option("--form", help="Skjemautgaven skjemaet lages for. Standard: den nyeste."),
    ] = None,
    forms: FormsOption = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Språket titler og forklaringer skrives på: nb, nn eller en."),
    ] = None,
) -> None:
    """Skriv JSON Schema for rapportfilen (for redigeringsprogram og andre verktøy).

    Avslutningskoder: 0 skrevet, 1 feil i --forms, 2 ukjent utgave eller en fil som
    ikke kan skrives.
    """
    from .forms import DEFAULT
    from .output import write_atomic
    from .schema import schema_text

    _add_forms(forms)
    edition_id = _known_form(form or DEFAULT)
    text = schema_text(edition_id, _known_language(edition_id, lang))
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
    form: Annotated[
        str | None,
        typer.Option("--form", help="Skjemautgaven rapporten følger. Standard: den nyeste."),
    ] = None,
    forms: FormsOption = None,
    lang: Annotated[
        str | None,
        typer.Option("--lang", help="Rapportens språk, også for kommentarene: nb, nn eller en."),
    ] = None,
) -> None:
    """Lag en ny, tom rapport med alle deler og spørsmål, klar til utfylling.

    Avslutningskoder: 0 skrevet, 1 feil i --forms, 2 filen finnes allerede (uten
    --force), kan ikke skrives, eller ukjent utgave.
    """
    from .forms import DEFAULT
    from .output import write_atomic
    from .scaffold import scaffold

    _add_forms(forms)
    edition_id = _known_form(form or DEFAULT)
    language = _known_language(edition_id, lang)
    try:
        exists, is_dir = file.exists(), file.is_dir()
    except OSError as exc:  # a name too long for the file system, and the like
        typer.echo(
            f"ehnreport: {printable(str(file))}: kan ikke skrives ({exc.strerror}).", err=True
        )
        raise typer.Exit(int(ExitCode.USAGE)) from None
    if exists and (not force or is_dir):
        what = "er en mappe" if is_dir else "finnes allerede; bruk --force for å skrive over"
        typer.echo(f"ehnreport: {printable(str(file))} {what}.", err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    try:
        text = scaffold(member, year, short_name, form=edition_id, language=language)
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
    forms: FormsOption = None,
) -> None:
    """Hent svarene fra en rapport-PDF (eller teksten i den) til en ny rapportfil.

    Avslutningskoder: 0 skrevet, 2 kilden kan ikke leses, er ikke en EHN-rapport, eller
    filen finnes allerede (uten --force), 3 filen kunne ikke skrives.
    """
    from .importer import import_report, summary
    from .importer.writer import write_checked

    _add_forms(forms)
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
    forms: FormsOption = None,
) -> None:
    """Lag et utkast til neste års rapport: året flyttet, tallene tømt, tekstene beholdt.

    Avslutningskoder: 0 skrevet, 1 rapporten har feil, 2 filen kan ikke leses eller
    utkastet finnes allerede (uten --force), 3 utkastet kunne ikke skrives.
    """
    from .importer.writer import write_checked
    from .nextyear import next_year

    _add_forms(forms)
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
    forms: FormsOption = None,
) -> None:
    """Vis hva som er endret mellom to versjoner av en rapport, spørsmål for spørsmål.

    Avslutningskoder (som diff): 0 ingen endringer, 1 endringer, 2 en fil kan ikke
    leses, er ikke en gyldig rapport, eller --forms har feil.
    """
    from .diff import FORMATS, diff, read_report

    try:
        _add_forms(forms)
    except typer.Exit:  # 1 means "the reports differ" here
        raise typer.Exit(int(ExitCode.USAGE)) from None

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
    line = REPORTER_BY_NAME[fmt.value].line
    assert line is not None  # build accepts only formats that print line by line
    for d in shown:
        typer.echo(line(d, strict))
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
    build_fmt: Annotated[
        BuildFormat | None,
        typer.Option(
            "--format",
            "-f",
            help="Format for feil og advarsler: text eller github. Standard er text, "
            "eller github når GITHUB_ACTIONS=true.",
            case_sensitive=False,
        ),
    ] = None,
    forms: FormsOption = None,
) -> None:
    """Kontroller rapportene og lag PDF og HTML i byggmappen.

    Avslutningskoder: 0 bygget, 1 en rapport er ugyldig (ingenting skrives for den),
    2 feil bruk eller en fil som ikke kan leses, 3 bygget feilet (mal, skriving). Med
    flere rapporter er koden den verste av dem. 130, 143 og 129: avbrutt med Ctrl-C,
    SIGTERM eller SIGHUP; ingen halvskrevet fil blir liggende.
    """
    from .batch import build_many, collect, worst_exit_code

    _add_forms(forms)
    if pdf_variant not in PDF_VARIANTS:
        typer.echo(
            f"ehnreport: ukjent PDF-variant «{pdf_variant}». "
            f"Velg en av: {', '.join(PDF_VARIANTS)}.",
            err=True,
        )
        raise typer.Exit(int(ExitCode.USAGE))
    fmt = _default_format(None if build_fmt is None else Format(build_fmt.value))
    if fmt not in (Format.text, Format.github):
        typer.echo("ehnreport: build skriver feil som text eller github.", err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    if templates is not None and not _is_dir(templates):
        typer.echo(f"ehnreport: {templates}: fant ingen mal-mappe.", err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    if not html and not pdf:
        html = pdf = True
    if not files:
        files = [_default_report("build")]
    reports = collect(files)
    if not reports:
        typer.echo(
            "ehnreport: fant ingen rapporter (*.yaml) i " + ", ".join(map(str, files)) + ".",
            err=True,
        )
        raise typer.Exit(int(ExitCode.USAGE))
    from .build import BuildOptions

    options = BuildOptions(
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
    items = build_many(reports, options, jobs=jobs, progress=progress)
    for item in items:
        _print_item(item, fmt, strict)
    if many:
        typer.echo(_summary_table(items))
    raise typer.Exit(worst_exit_code(items))


def _watch(report: Path, fmt: Format, options: BuildOptions) -> None:
    """Rebuild on every change until Ctrl-C; an invalid save keeps the last good output."""
    import time

    from .batch import build_many
    from .watch import BuildInputs, watch

    inputs = BuildInputs(report, options.templates)

    def rebuild(changed: list[str]) -> None:
        stamp = time.strftime("%H:%M:%S")
        if changed:
            names = ", ".join(printable(Path(c).name) for c in changed[:5])
            typer.echo(f"[{stamp}] endret: {names}")
        (item,) = build_many([report], options, jobs=1)
        inputs.reload()
        _print_item(item, fmt, options.strict)
        if item.ok:
            typer.echo(f"[{stamp}] bygget. Venter på endringer (Ctrl-C avslutter) …")
        else:
            typer.echo(f"[{stamp}] ikke bygget; forrige versjon er beholdt. Venter på endringer …")

    try:
        watch(inputs.files, rebuild)
    except KeyboardInterrupt:
        raise _stopped() from None
    except OSError as exc:  # a folder that vanished, a name too long, …
        typer.echo(f"ehnreport: {printable(str(exc))}", err=True)
        raise typer.Exit(int(ExitCode.USAGE)) from None


def _stopped() -> typer.Exit:
    """How `--watch` and `preview` end: Ctrl-C is the usual way (exit 0), while
    SIGTERM and SIGHUP keep their codes (143, 129), as for every other command."""
    import signal

    typer.echo("\navsluttet.")
    signum = interrupt.received()
    interrupt.reset()
    code = 0 if signum in (None, signal.SIGINT) else 128 + signum
    return typer.Exit(code)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long for the file system, and the like
        return False


@app.command()
def preview(
    file: Annotated[
        Path | None,
        typer.Argument(
            help="Rapportfilen. Standard: report.yaml i mappen du står i.", show_default=False
        ),
    ] = None,
    port: Annotated[
        int, typer.Option("--port", help="Porten på 127.0.0.1 (0: en ledig port).")
    ] = 8000,
    open_browser: Annotated[bool, typer.Option("--open", help="Åpne siden i nettleseren.")] = False,
    templates: Annotated[
        Path | None,
        typer.Option(
            "--templates", help="Mappe med maler som erstatter de innebygde med samme navn."
        ),
    ] = None,
    forms: FormsOption = None,
) -> None:
    """Vis rapporten i nettleseren, og vis den på nytt hver gang den lagres.

    Siden vises bare på denne maskinen (127.0.0.1). Avslutningskoder: 0 avsluttet med
    Ctrl-C, 2 feil bruk, en fil som ikke kan leses eller en port som er i bruk, 143 og
    129 stoppet med SIGTERM eller SIGHUP.
    """
    from .preview import serve
    from .validate import open_report

    _add_forms(forms)
    if file is None:
        file = _default_report("preview")
    if not 0 <= port <= 65535:
        typer.echo(
            f"ehnreport: port {port} finnes ikke; velg et tall fra 1024 til 65535.", err=True
        )
        raise typer.Exit(int(ExitCode.USAGE))
    if templates is not None and not templates.is_dir():
        typer.echo(f"ehnreport: {templates}: fant ingen mal-mappe.", err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    try:
        open_report(file)
        serve(file, port=port, templates=templates, open_browser=open_browser, log=typer.echo)
    except UserError as exc:
        raise _fail(exc) from None
    except KeyboardInterrupt:
        raise _stopped() from None


@app.command("forms")
def forms_command(forms: FormsOption = None) -> None:
    """Vis skjemautgavene: id, sektor, rapporteringsår, språk og antall spørsmål.

    Avslutningskoder: 0 vist, 1 feil i --forms.
    """
    from .forms import known_editions, load_edition

    _add_forms(forms)
    rows = [("Utgave", "Sektor", "År", "Språk", "Spørsmål")]
    for edition_id in known_editions():
        e = load_edition(edition_id)
        counted = sum(1 for _, q in e.questions() if q.code)
        rows.append((e.id, e.sector, str(e.year), ", ".join(e.languages), str(counted)))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        typer.echo("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


class ExportFormat(str, Enum):
    csv = "csv"
    jsonl = "jsonl"
    json = "json"


ReportsArgument = Annotated[
    list[Path],
    typer.Argument(
        help="Rapportfiler, eller mapper med rapporter (*.yaml og *.yml).", show_default=False
    ),
]


def _print_skipped(skipped: Skipped) -> None:
    """An invalid or unreadable report, on standard error: why it is left out."""
    name = printable(str(skipped.path))
    if skipped.message:
        typer.echo(f"ehnreport: {printable(skipped.message)}", err=True)
    for d in skipped.diagnostics:
        typer.echo(d.format(), err=True)
    if skipped.diagnostics:
        errors = sum(d.is_error for d in skipped.diagnostics)
        typer.echo(f"{name}: ugyldig: {errors} feil; rapporten er ikke tatt med.", err=True)


@app.command("export")
def export_command(
    files: ReportsArgument,
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help="csv, jsonl eller json.", case_sensitive=False),
    ] = ExportFormat.csv,
    output: Annotated[
        Path | None,
        typer.Option("--output", "-o", help="Skriv til denne filen i stedet for til skjermen."),
    ] = None,
    include_personal: Annotated[
        bool,
        typer.Option(
            "--include-personal",
            help="Ta med personopplysninger (kontaktpersoners navn og e-post). Standard: utelatt.",
        ),
    ] = False,
    forms: FormsOption = None,
) -> None:
    """Skriv alle svarene i mange rapporter som data: én rad per svar (CSV, JSON Lines, JSON).

    Ugyldige rapporter hoppes over med feilene sine på standard error; de gyldige
    skrives likevel. Avslutningskoder: 0 alle tatt med, 1 minst én ugyldig rapport,
    2 en rapportfil som ikke kan leses, 3 utdatafilen kan ikke skrives.
    """
    import io

    from .batch import collect
    from .export import export
    from .output import atomic_file

    _add_forms(forms)
    paths = collect(files)
    try:
        if output is None:
            summary = export(
                paths, sys.stdout, fmt.value, personal=include_personal, on_skip=_print_skipped
            )
        else:
            with atomic_file(output) as raw:
                text = io.TextIOWrapper(raw, encoding="utf-8", newline="")
                summary = export(
                    paths, text, fmt.value, personal=include_personal, on_skip=_print_skipped
                )
                text.flush()
                text.detach()
    except UserError as exc:
        raise _fail(exc) from None
    typer.echo(
        f"{summary.rows} rader fra {summary.reports} "
        f"{'rapport' if summary.reports == 1 else 'rapporter'}"
        + (f"; {len(summary.skipped)} hoppet over." if summary.skipped else "."),
        err=True,
    )
    raise typer.Exit(summary.exit_code)


@app.command("overview")
def overview_command(
    files: ReportsArgument,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="HTML-filen som skal skrives.")
    ] = Path("overview.html"),
    forms: FormsOption = None,
) -> None:
    """Lag én HTML-side med en oversikt over mange rapporter: diagrammer med tabeller.

    Avslutningskoder: 0 alle tatt med, 1 minst én ugyldig rapport (de gyldige er
    med), 2 en rapportfil som ikke kan leses, 3 HTML-filen kan ikke skrives.
    """
    from .batch import collect
    from .output import write_atomic
    from .overview import gather, render_overview

    _add_forms(forms)
    ov = gather(collect(files))
    for skipped in ov.skipped:
        _print_skipped(skipped)
    try:
        write_atomic(output, render_overview(ov).encode("utf-8"))
    except UserError as exc:
        raise _fail(exc) from None
    typer.echo(f"skrev {printable(str(output))} ({len(ov.reports)} rapporter)", err=True)
    raise typer.Exit(max((s.exit_code for s in ov.skipped), default=int(ExitCode.OK)))


def main() -> None:
    """The Typer application, ending as every command ends (see `interrupt.run_command`)."""
    # Third-party Pydantic plugins are found by scanning every installed package's
    # metadata, which costs a noticeable part of `validate`'s start-up, and a plugin
    # could change how a report is validated. The command line does not use them; a
    # value set by the user still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    interrupt.run_command(app)
