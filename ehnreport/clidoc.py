"""Generated reference pages: the command line (docs/cli.md) and the form's fields (docs/felt.md).

`cli_reference` reads a click command object (what `typer.main.get_command` returns)
through its attributes only, so this module does not import the CLI framework.
Regenerate both pages with

    python -m ehnreport.clidoc > docs/cli.md
    python -m ehnreport.clidoc felt > docs/felt.md

Tests fail while a committed page differs from what these functions return.
"""

from __future__ import annotations

import enum
import os
import sys
import typing
from typing import Any

CLI_COMMAND = "python -m ehnreport.clidoc > docs/cli.md"
FIELDS_COMMAND = "python -m ehnreport.clidoc felt > docs/felt.md"

# Typer's shell-completion options: described in one sentence, since their help text
# is Typer's own and changes with its version.
_COMPLETION = {"install_completion", "show_completion"}

_TYPE_NAMES: dict[type, str] = {str: "TEXT", int: "INTEGER", float: "FLOAT", bool: "BOOLEAN"}


def cli_reference(command: Any) -> str:
    """A Markdown reference of `command` (a click command or group) and its subcommands."""
    name = command.name or "ehnreport"
    out = [
        f"# Kommandolinjen: `{name}`",
        "",
        (
            f"<!-- Generert med `{CLI_COMMAND}`. Ikke rediger for hånd: "
            "en test feiler når siden ikke stemmer med kommandolinjen. -->"
        ),
        "",
    ]
    out += _command(command, name, level=2, top=True)
    return "\n".join(out).rstrip("\n") + "\n"


def _command(command: Any, path: str, level: int, top: bool = False) -> list[str]:
    out: list[str] = []
    if not top:
        out += [f"{'#' * level} `{path}`", ""]
    help_text = _paragraphs(getattr(command, "help", None) or "")
    if help_text:
        out += [help_text, ""]
    params = [
        p
        for p in getattr(command, "params", [])
        if not getattr(p, "hidden", False) and p.name not in _COMPLETION
    ]
    subcommands = {
        n: c
        for n, c in (getattr(command, "commands", None) or {}).items()
        if not getattr(c, "hidden", False)
    }
    out += ["```", _usage(path, params, bool(subcommands)), "```", ""]
    arguments = [p for p in params if _is_argument(p)]
    options = [p for p in params if not _is_argument(p)]
    if arguments:
        out += ["| Argument | Beskrivelse | Standard |", "|---|---|---|"]
        for p in arguments:
            out.append(
                f"| `{_metavar(p)}` | {_cell(_paragraphs(p.help or ''))} | {_cell(_default(p))} |"
            )
        out.append("")
    if options:
        out += ["| Valg | Verdi | Standard | Beskrivelse |", "|---|---|---|---|"]
        for p in options:
            names = ", ".join(f"`{o}`" for o in [*p.opts, *getattr(p, "secondary_opts", [])])
            out.append(
                f"| {names} | {_cell(_value_kind(p))} | {_cell(_default(p))} | "
                f"{_cell(_paragraphs(getattr(p, 'help', None) or ''))} |"
            )
        out.append("")
    if top:
        out.append(
            "Alle kommandoer viser sin egen hjelp med `--help`. `--install-completion` "
            "installerer fullføring av kommandoer og valg i skallet (bash, zsh, fish, "
            "PowerShell)."
        )
        out.append("")
    if subcommands:
        if top:
            out += [f"{'#' * level} Kommandoer", ""]
        for sub_name, sub in subcommands.items():
            first = _paragraphs(getattr(sub, "help", None) or "").split("\n", 1)[0]
            anchor = f"{path} {sub_name}".replace(" ", "-").lower()
            out.append(f"- [`{path} {sub_name}`](#{anchor}): {first}".rstrip(": "))
        out.append("")
        for sub_name, sub in subcommands.items():
            out += _command(sub, f"{path} {sub_name}", level)
    return out


def _is_argument(p: Any) -> bool:
    return getattr(p, "param_type_name", "") == "argument" or not any(
        o.startswith("-") for o in getattr(p, "opts", [])
    )


def _metavar(p: Any) -> str:
    name = getattr(p, "metavar", None) or (p.name or "").upper()
    if getattr(p, "nargs", 1) == -1:
        name += "..."
    return name


def _usage(path: str, params: list[Any], group: bool) -> str:
    parts = [path]
    if any(not _is_argument(p) for p in params):
        parts.append("[VALG]")
    for p in params:
        if _is_argument(p):
            parts.append(_metavar(p) if p.required else f"[{_metavar(p)}]")
    if group:
        parts.append("KOMMANDO [ARGUMENTER]...")
    return " ".join(parts)


def _choices(p: Any) -> tuple[Any, ...] | None:
    kind = getattr(p, "type", None)
    if kind is not None:
        return tuple(getattr(kind, "choices", None) or ()) or None
    desc = getattr(p, "type_descriptor", None)  # Typer's own click
    return tuple(getattr(desc, "choices", None) or ()) or None


def _value_kind(p: Any) -> str:
    """What the option takes: nothing for a flag, the choices, or the type's name."""
    if getattr(p, "is_flag", False) or getattr(p, "count", False):
        return ""
    choices = _choices(p)
    if choices:
        return ", ".join(f"`{_show(c)}`" for c in choices)
    if getattr(p, "metavar", None):
        return str(p.metavar)
    kind = getattr(p, "type", None)
    if kind is not None:
        return str(getattr(kind, "name", kind)).upper()
    annotation = getattr(getattr(p, "type_descriptor", None), "annotation", None)
    if typing.get_origin(annotation) in (list, tuple):
        annotation = typing.get_args(annotation)[0]
    if isinstance(annotation, type) and issubclass(annotation, os.PathLike):
        return "PATH"
    name = _TYPE_NAMES.get(annotation) if isinstance(annotation, type) else None
    return name or str(getattr(annotation, "__name__", "")).upper()


def _show(value: Any) -> str:
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, os.PathLike):
        value = os.fspath(value)
    return str(value)


def _default(p: Any) -> str:
    show = getattr(p, "show_default", True)
    if show is False:
        return ""
    if isinstance(show, str):
        return show
    value = getattr(p, "default", None)
    if callable(value) or value is None or value is False or value == () or value == []:
        return ""
    if value is True:
        return "på"
    if isinstance(value, (list, tuple)):
        return ", ".join(f"`{_show(v)}`" for v in value)
    return f"`{_show(value)}`"


def _paragraphs(text: str) -> str:
    """Help text as Markdown: lines of a paragraph joined, paragraphs kept apart."""
    text = text.split("\f", 1)[0]
    paragraphs = []
    for block in text.strip().split("\n\n"):
        lines = [ln.strip() for ln in block.splitlines() if ln.strip() and ln.strip() != "\b"]
        if lines:
            paragraphs.append(" ".join(lines))
    return "\n\n".join(paragraphs)


def _cell(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return text.replace("|", "\\|").replace("\n\n", "<br>").replace("\n", " ")


def field_reference(edition_id: str | None = None) -> str:
    """A Markdown list of every field of the report: key, the form's label, what to write."""
    from .forms import DEFAULT, load_edition

    e = load_edition(edition_id or DEFAULT)
    lang = e.languages[0]

    def t(texts: dict[str, str] | None) -> str:
        return _cell(e.text(texts, lang))

    out = [
        "# Alle feltene i rapporten",
        "",
        (
            f"<!-- Generert fra skjemautgaven {e.id} med `{FIELDS_COMMAND}`. Ikke rediger "
            "for hånd: en test feiler når siden ikke stemmer med skjemaet. -->"
        ),
        "",
        (
            "Nøklene, ledetekstene og veiledningen er de samme som redigeringsprogrammet "
            "viser når du holder musepekeren over en nøkkel, og som `ehnreport init` skriver "
            "i en ny rapport. Hvordan du skriver svarene, står i "
            "[Skrive rapporten](skrive-rapporten.md)."
        ),
        "",
        "## Utenfor trinnene",
        "",
        "| Nøkkel | Ledetekst | Hva du skriver |",
        "|---|---|---|",
    ]
    for part in e.parts:
        for q in part.questions:
            out.append(f"| `{part.key}.{q.key}` | {t(q.label)} | {t(q.help)} |")
        for q in part.questions:
            if q.kind == "goals" and q.table is not None:
                for c in q.table.columns:
                    key = f"{part.key}.{q.key}[].{c.key}"
                    out.append(f"| `{key}` | {t(c.label)} | {t(c.help)} |")
    for step in e.steps:
        out += ["", f"## Trinn {step.number}: {e.text(step.title, lang)}", ""]
        out += ["| Kode | Nøkkel | Spørsmål | Hva du skriver |", "|---|---|---|---|"]
        for q in step.questions:
            key = f"steps.{step.key}.{q.key}"
            out.append(f"| {q.code} | `{key}` | {t(q.label)} | {t(q.help)} |")
            t_ = q.table
            if t_ is None:
                continue
            if t_.rows_key is None:  # cards: the answer is the list
                rows = f"{key}[]"
            else:
                rows = f"{key}.{t_.rows_key}"
                out.append(f"| | `{rows}` | {t(t_.rows_label)} | {t(t_.rows_help)} |")
                rows += "[]"
            for c in t_.columns:
                out.append(f"| | `{rows}.{c.key}` | {t(c.label)} | {t(c.help)} |")
            if t_.comment_key is not None:
                sub = f"{key}.{t_.comment_key}"
                out.append(f"| | `{sub}` | {t(t_.comment_label)} | {t(t_.comment_help)} |")
    return "\n".join(out) + "\n"


def _main(argv: list[str]) -> int:
    if argv == ["felt"]:
        text = field_reference()
    elif not argv:
        import typer.main  # only here: the library functions take the command as an argument

        from .cli import app

        text = cli_reference(typer.main.get_command(app))
    else:
        sys.stderr.write("bruk: python -m ehnreport.clidoc [felt]\n")
        return 2
    # Bytes, so that the page is UTF-8 with \n line ends on every system.
    sys.stdout.buffer.write(text.encode("utf-8"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(_main(sys.argv[1:]))
