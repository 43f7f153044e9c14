"""The command line: translates options, calls the library, maps errors to exit codes.

The only module that imports typer. Heavy modules (Jinja, markdown-it, WeasyPrint)
are imported inside the build command, so `validate` starts fast. Every help text
is a message of ehnreport/messages/help.yaml, made when this module is imported, in
the language chosen by then (`ehnreport.__main__` chooses it before importing this).
"""

from __future__ import annotations

import os
import sys
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from . import __version__, interrupt, messages
from .completeness import COMPLETENESS_CODES
from .errors import ExitCode, ReportInvalid, UserError, os_reason
from .messages import Msg, msg
from .reporters import REPORTER_BY_NAME, Settings, counted, for_output, report
from .validate import CheckResult, check_files, printable

if TYPE_CHECKING:
    from .batch import BatchItem
    from .build import BuildOptions
    from .export import Skipped


def _h(key: str, **params: str) -> str:
    """The help text `help.KEY` in the language chosen now."""
    return msg(f"help.{key}", **params).text()


def _say(m: Msg | str, err: bool = False) -> None:
    """Print one message, made printable, in the chosen language."""
    typer.echo(printable(messages.render(m)), err=err)


app = typer.Typer(
    name="ehnreport",
    help=_h("app"),
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


def _language(value: str | None) -> str | None:
    """Print messages in `value` from now on; exit 2 if it is not a language."""
    if value is None:
        return None
    if value not in messages.LANGUAGES:
        from .userlang import refusal

        typer.echo(refusal(value, "--lang"), err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    messages.choose(value)
    return value


def _lang_option(help_key: str, metavar: str | None = None) -> Any:
    return typer.Option(
        "--lang",
        help=_h(help_key),
        callback=_language,
        is_eager=True,
        show_default=False,
        metavar=metavar,
    )


# Every command takes --lang: the language of its messages (for `schema` and `init`
# also of what they write). EHNREPORT_LANG is read by the root callback.
LangOption = Annotated[str | None, _lang_option("lang", "nb|nn|en")]


@app.callback(help=_h("app"))
def _root(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help=_h("version")),
    ] = False,
    lang: LangOption = None,
) -> None:
    """Choose the language of the messages: --lang, else EHNREPORT_LANG, else nb."""
    if lang is None:
        from .userlang import choose_from

        # In this process the choice may be left from an earlier command (tests).
        if not choose_from([]):
            raise typer.Exit(int(ExitCode.USAGE))


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
    typer.Option("--format", "-f", help=_h("format"), case_sensitive=False),
]
StrictOption = Annotated[bool, typer.Option("--strict", help=_h("strict"))]
FormsOption = Annotated[Path | None, typer.Option("--forms", help=_h("forms"))]
ForceOption = Annotated[bool, typer.Option("--force", help=_h("force"))]
TemplatesOption = Annotated[Path | None, typer.Option("--templates", help=_h("templates"))]


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
        folder_name = printable(str(folder))
        _say(msg("cli.forms.have-errors", folder=folder_name, count=len(exc.diagnostics)), True)
        raise typer.Exit(int(ExitCode.INVALID)) from None


def _known_form(form: str) -> str:
    """`form` if it names a known edition; else exit 2 with the known ones."""
    from .diagnostics import did_you_mean
    from .forms import known_editions

    known = known_editions()
    if form not in known:
        hint = did_you_mean(form, known)
        _say(msg("cli.forms.unknown", form=form, hint=hint, known=tuple(known)), err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    return form


def _known_language(edition_id: str, lang: str | None) -> str | None:
    """`lang` if the edition has texts in it (None stays None); else exit 2."""
    from .forms import load_edition

    languages = load_edition(edition_id).languages
    if lang is not None and lang not in languages:
        m = msg("cli.forms.no-language", edition=edition_id, lang=lang, languages=languages)
        _say(m, err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    return lang


@app.command(help=_h("validate"))
def validate(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help=_h("validate.files"), show_default=False),
    ] = None,
    strict: StrictOption = False,
    fmt: FormatOption = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help=_h("validate.quiet"))] = False,
    forms: FormsOption = None,
    lang: LangOption = None,
) -> None:
    """Check report files and print their diagnostics."""
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
    text = msg("cli.default.no-report-yaml")
    if found:
        names: Msg | tuple[str, ...] = tuple(printable(n) for n in found[:10])
        if len(found) > 10:
            names = msg("cli.default.names-and-more", names=names, count=len(found) - 10)
        first = printable(found[0])
        text = text.plus(
            msg("cli.default.yaml-files-here", names=names, command=command, first=first)
        )
    else:
        text = text.plus(msg("cli.default.give-report-file", command=command))
    typer.echo(text.text(), err=True)
    raise typer.Exit(int(ExitCode.USAGE))


@app.command(help=_h("schema"))
def schema(
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_h("schema.output"))] = None,
    form: Annotated[str | None, typer.Option("--form", help=_h("schema.form"))] = None,
    forms: FormsOption = None,
    lang: Annotated[str | None, _lang_option("schema.lang")] = None,
) -> None:
    """Write the JSON Schema of an edition."""
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


@app.command(help=_h("init"))
def init(
    file: Annotated[Path, typer.Argument(help=_h("init.file"))] = Path("report.yaml"),
    member: Annotated[str | None, typer.Option("--member", help=_h("init.member"))] = None,
    short_name: Annotated[
        str | None, typer.Option("--short-name", help=_h("init.short-name"))
    ] = None,
    year: Annotated[int | None, typer.Option("--year", help=_h("init.year"))] = None,
    force: ForceOption = False,
    form: Annotated[str | None, typer.Option("--form", help=_h("init.form"))] = None,
    forms: FormsOption = None,
    lang: Annotated[str | None, _lang_option("init.lang")] = None,
) -> None:
    """Write a new, empty report."""
    from .forms import DEFAULT
    from .output import write_atomic
    from .scaffold import scaffold

    _add_forms(forms)
    edition_id = _known_form(form or DEFAULT)
    language = _known_language(edition_id, lang)
    try:
        exists, is_dir = file.exists(), file.is_dir()
    except OSError as exc:  # a name too long for the file system, and the like
        m = msg("cli.file.cannot-be-written", name=str(file), reason=os_reason(exc))
        _say(f"ehnreport: {m.text()}", err=True)
        raise typer.Exit(int(ExitCode.USAGE)) from None
    if exists and (not force or is_dir):
        _refuse_existing(file, is_dir)
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
    typer.echo(msg("cli.file.wrote", name=str(file)).text())
    typer.echo(msg("cli.init.next-step", file=str(file)).text())


def _refuse_existing(file: Path, is_dir: bool) -> None:
    """Exit 2: `file` is a folder, or exists and --force was not given."""
    m = msg("cli.file.is-a-folder" if is_dir else "cli.file.exists-use-force", name=str(file))
    _say(f"ehnreport: {m.text()}", err=True)
    raise typer.Exit(int(ExitCode.USAGE))


def _same_file(a: Path, b: Path) -> bool:
    """Whether `b` is the file `a` (so writing `b` would destroy the source)."""
    try:
        return a.exists() and b.exists() and a.samefile(b)
    except OSError:
        return False


@app.command("import", help=_h("import"))
def import_(
    source: Annotated[Path, typer.Argument(help=_h("import.source"))],
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_h("import.output"))] = None,
    year: Annotated[int | None, typer.Option("--year", help=_h("import.year"))] = None,
    form: Annotated[str | None, typer.Option("--form", help=_h("import.form"))] = None,
    force: ForceOption = False,
    forms: FormsOption = None,
    lang: LangOption = None,
) -> None:
    """Read a report PDF (or its text) into a new report file."""
    from .importer import import_report, summary
    from .importer.writer import write_checked

    _add_forms(forms)
    target = output or Path(source.stem + ".yaml")
    if _same_file(source, target):
        _say(msg("cli.import.is-source", name=str(target)), err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    if target.exists() and (not force or target.is_dir()):
        _refuse_existing(target, target.is_dir())
    try:
        result = import_report(source, year=year, edition=form)
        write_checked(target, result.text)
    except UserError as exc:
        raise _fail(exc) from None
    _say(msg("cli.file.wrote", name=str(target)))
    for line in summary(result):
        typer.echo(line)


@app.command("next-year", help=_h("next-year"))
def next_year_(
    report: Annotated[Path, typer.Argument(help=_h("next-year.report"))],
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help=_h("next-year.output"))
    ] = None,
    force: ForceOption = False,
    forms: FormsOption = None,
    lang: LangOption = None,
) -> None:
    """Write a draft of next year's report."""
    from .importer.writer import write_checked
    from .nextyear import next_year

    _add_forms(forms)
    try:
        draft, target = next_year(report, output)
        if _same_file(report, target):
            _say(msg("cli.next-year.is-report", name=str(target)), err=True)
            raise typer.Exit(int(ExitCode.USAGE))
        if target.exists() and (not force or target.is_dir()):
            _refuse_existing(target, target.is_dir())
        write_checked(target, draft.text)
    except ReportInvalid as exc:
        for d in exc.diagnostics:
            if d.is_error:
                typer.echo(d.format())
        raise _fail(exc) from None
    except UserError as exc:
        raise _fail(exc) from None
    _say(msg("cli.next-year.wrote", name=str(target), year=draft.year))
    if draft.cleared:
        typer.echo(msg("cli.next-year.cleared", fields=tuple(draft.cleared)).text())
    typer.echo(msg("cli.next-year.kept", count=len(draft.kept)).text())
    if draft.dropped:
        typer.echo(msg("cli.next-year.dropped", fields=tuple(draft.dropped)).text())


class DiffFormat(str, Enum):
    text = "text"
    json = "json"
    html = "html"


@app.command("diff", help=_h("diff"))
def diff_(
    old: Annotated[str, typer.Argument(help=_h("diff.old"))],
    new: Annotated[Path, typer.Argument(help=_h("diff.new"))],
    fmt: Annotated[
        DiffFormat,
        typer.Option("--format", "-f", help=_h("diff.format"), case_sensitive=False),
    ] = DiffFormat.text,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_h("diff.output"))] = None,
    forms: FormsOption = None,
    lang: LangOption = None,
) -> None:
    """Show what changed between two versions of a report."""
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
    old_name = msg("cli.diff.stdin").text() if old == "-" else old
    text = FORMATS[fmt.value](changes, old_name, str(new))
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
        _say(msg("cli.build.unanswered", path=str(item.path), count=unanswered))
    if item.message:
        typer.echo(f"ehnreport: {item.text()}", err=True)
    for written in item.written:
        _say(msg("cli.file.wrote", name=str(written)))


def _progress_bar(done: int, total: int, path: Path) -> None:
    width = 30
    filled = width * done // total
    bar = "█" * filled + "·" * (width - filled)
    sys.stderr.write(f"\r{bar} {done}/{total} {printable(path.name)[:40]:<40}")
    if done == total:
        sys.stderr.write("\n")
    sys.stderr.flush()


def _summary_table(items: list[BatchItem]) -> str:
    results = ("built", "invalid", "unreadable", "failed")
    labels = {code: msg(f"cli.build.result-{r}").text() for code, r in enumerate(results)}
    rows = [tuple(msg("cli.build.table").text().split("|"))]
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
    lines.append(msg("cli.build.built-of", built=built, total=len(items)).text())
    return "\n".join(lines)


@app.command(help=_h("build"))
def build(
    files: Annotated[
        list[Path] | None,
        typer.Argument(help=_h("build.files"), show_default=False),
    ] = None,
    html: Annotated[bool, typer.Option("--html", help=_h("build.html"))] = False,
    pdf: Annotated[bool, typer.Option("--pdf", help=_h("build.pdf"))] = False,
    out_dir: Annotated[Path, typer.Option("--output", "-o", help=_h("build.output"))] = Path(
        "build"
    ),
    templates: TemplatesOption = None,
    pdf_variant: Annotated[
        str,
        typer.Option(
            "--pdf-variant", help=_h("build.pdf-variant", variants=", ".join(PDF_VARIANTS))
        ),
    ] = "pdf/a-2a",
    strict: Annotated[bool, typer.Option("--strict", help=_h("build.strict"))] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help=_h("build.jobs"))] = 1,
    watch: Annotated[bool, typer.Option("--watch", "-w", help=_h("build.watch"))] = False,
    build_fmt: Annotated[
        BuildFormat | None,
        typer.Option("--format", "-f", help=_h("build.format"), case_sensitive=False),
    ] = None,
    forms: FormsOption = None,
    lang: LangOption = None,
) -> None:
    """Check reports and build their PDF and HTML."""
    from .batch import build_many, collect, worst_exit_code

    _add_forms(forms)
    if pdf_variant not in PDF_VARIANTS:
        m = msg("cli.build.unknown-pdf-variant", variant=pdf_variant, variants=PDF_VARIANTS)
        typer.echo(m.text(), err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    fmt = _default_format(None if build_fmt is None else Format(build_fmt.value))
    if fmt not in (Format.text, Format.github):
        typer.echo(msg("cli.build.line-formats").text(), err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    if templates is not None and not _is_dir(templates):
        typer.echo(msg("cli.build.no-templates", folder=str(templates)).text(), err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    if not html and not pdf:
        html = pdf = True
    if not files:
        files = [_default_report("build")]
    reports = collect(files)
    if not reports:
        m = msg("cli.build.no-reports", paths=tuple(map(str, files)))
        typer.echo(m.text(), err=True)
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
            typer.echo(msg("cli.build.watch-single").text(), err=True)
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
            typer.echo(msg("cli.watch.changed", stamp=stamp, names=names).text())
        (item,) = build_many([report], options, jobs=1)
        inputs.reload()
        _print_item(item, fmt, options.strict)
        done = "cli.watch.built" if item.ok else "cli.watch.not-built"
        typer.echo(msg(done, stamp=stamp).text())

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

    typer.echo("\n" + msg("cli.stopped").text())
    signum = interrupt.received()
    interrupt.reset()
    code = 0 if signum in (None, signal.SIGINT) else 128 + signum
    return typer.Exit(code)


def _is_dir(path: Path) -> bool:
    try:
        return path.is_dir()
    except OSError:  # a name too long for the file system, and the like
        return False


@app.command(help=_h("preview"))
def preview(
    file: Annotated[
        Path | None, typer.Argument(help=_h("preview.file"), show_default=False)
    ] = None,
    port: Annotated[int, typer.Option("--port", help=_h("preview.port"))] = 8000,
    open_browser: Annotated[bool, typer.Option("--open", help=_h("preview.open"))] = False,
    templates: TemplatesOption = None,
    forms: FormsOption = None,
    lang: LangOption = None,
) -> None:
    """Show the report in the browser, again after every save."""
    from .preview import serve
    from .validate import open_report

    _add_forms(forms)
    if file is None:
        file = _default_report("preview")
    if not 0 <= port <= 65535:
        typer.echo(msg("cli.preview.bad-port", port=port).text(), err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    if templates is not None and not templates.is_dir():
        typer.echo(msg("cli.build.no-templates", folder=str(templates)).text(), err=True)
        raise typer.Exit(int(ExitCode.USAGE))
    try:
        open_report(file)
        serve(file, port=port, templates=templates, open_browser=open_browser, log=typer.echo)
    except UserError as exc:
        raise _fail(exc) from None
    except KeyboardInterrupt:
        raise _stopped() from None


@app.command("forms", help=_h("forms-command"))
def forms_command(forms: FormsOption = None, lang: LangOption = None) -> None:
    """List the form editions."""
    from .forms import known_editions, load_edition

    _add_forms(forms)
    rows = [tuple(msg("cli.forms.table").text().split("|"))]
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


ReportsArgument = Annotated[list[Path], typer.Argument(help=_h("reports"), show_default=False)]


def _print_skipped(skipped: Skipped) -> None:
    """An invalid or unreadable report, on standard error: why it is left out."""
    name = printable(str(skipped.path))
    if skipped.message:
        _say(f"ehnreport: {messages.render(skipped.message)}", err=True)
    for d in skipped.diagnostics:
        typer.echo(d.format(), err=True)
    if skipped.diagnostics:
        errors = counted("errors", sum(d.is_error for d in skipped.diagnostics))
        typer.echo(msg("cli.export.skipped-report", name=name, errors=errors).text(), err=True)


@app.command("export", help=_h("export"))
def export_command(
    files: ReportsArgument,
    fmt: Annotated[
        ExportFormat,
        typer.Option("--format", "-f", help=_h("export.format"), case_sensitive=False),
    ] = ExportFormat.csv,
    output: Annotated[Path | None, typer.Option("--output", "-o", help=_h("export.output"))] = None,
    include_personal: Annotated[
        bool, typer.Option("--include-personal", help=_h("export.include-personal"))
    ] = False,
    forms: FormsOption = None,
    lang: LangOption = None,
) -> None:
    """Write the answers of many reports as data."""
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
    rows, reports = counted("rows", summary.rows), counted("reports", summary.reports)
    if summary.skipped:
        done = msg(
            "cli.export.summary-skipped", rows=rows, reports=reports, skipped=len(summary.skipped)
        )
    else:
        done = msg("cli.export.summary", rows=rows, reports=reports)
    typer.echo(done.text(), err=True)
    raise typer.Exit(summary.exit_code)


@app.command("overview", help=_h("overview"))
def overview_command(
    files: ReportsArgument,
    output: Annotated[Path, typer.Option("--output", "-o", help=_h("overview.output"))] = Path(
        "overview.html"
    ),
    forms: FormsOption = None,
    lang: LangOption = None,
) -> None:
    """Write one HTML page that gives an overview of many reports."""
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
    count = len(ov.reports)
    key = "cli.overview.wrote-one" if count == 1 else "cli.overview.wrote"
    _say(msg(key, name=str(output), count=count), err=True)
    raise typer.Exit(max((s.exit_code for s in ov.skipped), default=int(ExitCode.OK)))


def main() -> None:
    """The Typer application, ending as every command ends (see `interrupt.run_command`)."""
    # Third-party Pydantic plugins are found by scanning every installed package's
    # metadata, which costs a noticeable part of `validate`'s start-up, and a plugin
    # could change how a report is validated. The command line does not use them; a
    # value set by the user still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    from .userlang import choose_from

    if not choose_from(sys.argv[1:]):
        raise SystemExit(int(ExitCode.USAGE))
    interrupt.run_command(app)
