"""Every output format for diagnostics, in one registry: `REPORTER_BY_NAME`.

A reporter turns checked files into what the command prints. `text` and `github`
write one line per diagnostic (and are the formats `build` accepts, since it prints
diagnostics as they come); `terminal` is `text` for a person at a terminal (source
lines, carets, colour), chosen by `for_output`; `json`, `sarif` and `gitlab` write
one document for a tool and own standard output, so they print no summaries.

Nothing here writes: `report` returns the pieces to print and the stream for each,
so the command line stays the only place that touches the terminal.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..completeness import StepCount
from ..errors import Diagnostic, printable
from ..messages import Msg, msg
from ..validate import CheckResult
from .lines import github_line, text_line


@dataclass(frozen=True)
class Settings:
    """How to report: what the command line was given, and where output goes."""

    strict: bool = False
    quiet: bool = False  # leave warnings out (summaries still count them)
    color: bool = False  # only the terminal reporter paints
    version: str = ""  # the tool's version, for formats that name it


# A piece of output and whether it goes to standard error.
Chunk = tuple[str, bool]


@dataclass(frozen=True)
class Reporter:
    """One output format."""

    name: str
    render: Callable[[list[CheckResult], Settings], str | None]
    # Where the one-line summary per file goes: "stdout", "stderr" or "none".
    summaries: str
    # One line per diagnostic, for commands that print diagnostics one by one (build).
    line: Callable[[Diagnostic, bool], str] | None = None


def _lines(line: Callable[[Diagnostic, bool], str]) -> Callable[[list[CheckResult], Settings], str]:
    def render(results: list[CheckResult], settings: Settings) -> str:
        return "\n".join(line(d, settings.strict) for r in results for d in r.diagnostics)

    return render


def _terminal(results: list[CheckResult], settings: Settings) -> str | None:
    from .terminal import render_diagnostics

    text = render_diagnostics(
        results, color=settings.color, source_lines=True, quiet=settings.quiet
    )
    return text or None


def _json(results: list[CheckResult], settings: Settings) -> str:
    from .jsonfile import json_document

    return json_document(results, strict=settings.strict)


def _sarif(results: list[CheckResult], settings: Settings) -> str:
    import json

    from .codereview import sarif

    data = sarif(results, settings.version, strict=settings.strict)
    return json.dumps(data, ensure_ascii=False, indent=2)


def _gitlab(results: list[CheckResult], settings: Settings) -> str:
    import json

    from .codereview import gitlab

    return json.dumps(gitlab(results, strict=settings.strict), ensure_ascii=False, indent=2)


REPORTER_BY_NAME: dict[str, Reporter] = {
    r.name: r
    for r in (
        Reporter("text", _lines(text_line), "stdout", text_line),
        Reporter("terminal", _terminal, "stdout"),
        Reporter("json", _json, "none"),
        Reporter("github", _lines(github_line), "stderr", github_line),
        Reporter("sarif", _sarif, "none"),
        Reporter("gitlab", _gitlab, "none"),
    )
}

# What `--format` offers: `terminal` is not asked for, it is `text` at a terminal.
FORMAT_NAMES = ("text", "json", "github", "sarif", "gitlab")
# What `build --format` offers: the formats that print one line per diagnostic.
LINE_FORMAT_NAMES = tuple(n for n in FORMAT_NAMES if REPORTER_BY_NAME[n].line is not None)


def for_output(name: str, *, tty: bool) -> Reporter:
    """The reporter for `--format NAME`: `text` becomes `terminal` on a terminal."""
    if name == "text" and tty:
        name = "terminal"
    return REPORTER_BY_NAME[name]


def report(results: list[CheckResult], reporter: Reporter, settings: Settings) -> list[Chunk]:
    """What to print for `results`: the diagnostics, then one summary per file."""
    full = results  # summaries count every diagnostic, also under --quiet
    if settings.quiet:
        results = [
            CheckResult(
                r.path, r.report, r.loaded, [d for d in r.diagnostics if d.is_error], r.counts
            )
            for r in results
        ]
    out: list[Chunk] = []
    text = reporter.render(results, settings)
    if text is not None and (text or reporter.summaries == "none"):
        out.append((text, False))
    if reporter.summaries != "none":
        for r in full:
            summary = summary_line(r.path, r.diagnostics, r.counts, r.ok(settings.strict), r.valid)
            out.append((summary, reporter.summaries == "stderr"))
    return out


def summary_line(
    path: Path, diagnostics: list[Diagnostic], counts: list[StepCount], ok: bool, valid: bool
) -> str:
    """`FILE: gyldig: 0 feil, 3 advarsler. Besvarte spørsmål: …`"""
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    head = "valid" if ok else ("invalid-strict" if valid else "invalid")
    line = msg(
        "cli.summary",
        path=printable(str(path)),
        head=msg(f"cli.summary.{head}"),
        errors=counted("errors", errors),
        warnings=counted("warnings", warnings),
    )
    if counts:
        steps = tuple(
            msg("cli.summary.step", number=c.number, answered=c.answered, total=c.total)
            for c in counts
        )
        line = line.plus(msg("cli.summary.answered", steps=steps))
    return line.text()


def counted(what: str, count: int) -> Msg:
    """`count` errors, warnings, rows or reports, in the singular where the language has one."""
    return msg(f"cli.count.{what}-one" if count == 1 else f"cli.count.{what}", count=count)


__all__ = [
    "FORMAT_NAMES",
    "LINE_FORMAT_NAMES",
    "REPORTER_BY_NAME",
    "Reporter",
    "Settings",
    "counted",
    "for_output",
    "report",
    "summary_line",
]
