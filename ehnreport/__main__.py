"""The `ehnreport` program and `python -m ehnreport`: a quick start for `validate`.

`validate` runs on every commit (pre-commit) and in CI, so its start-up is what a
member waits for most often. Building the Typer application costs about a quarter of
that start-up: importing Typer, and at run time a Pydantic TypeAdapter for every
parameter of the command. So the common forms of `validate` (files, `--strict`,
`--quiet`, `--format text|github`, `--lang`) are read here, without Typer, and print exactly
what the Typer command prints. Anything else (`--help`, another format, an unknown
option, no file at all, a mistake) goes to the Typer application in `cli.py`, which
gives its own messages. tests/test_workflow.py runs the same arguments both ways and
compares the output and exit code.
"""

from __future__ import annotations

import gc
import os
import sys
import types
from pathlib import Path
from typing import Any

_PLUGIN_LOADER = "pydantic.plugin._loader"
_DISABLED = ("__all__", "1", "true")  # the values pydantic reads as "no plugins"


def main() -> None:
    """Run the command line; `validate` in its common forms without building Typer."""
    gc.disable()  # until the program is loaded: see started()
    # Third-party Pydantic plugins are found by scanning every installed package's
    # metadata, which costs a noticeable part of `validate`'s start-up, and a plugin
    # could change how a report is validated. The command line does not use them; a
    # value set by the user still wins.
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    skip_plugin_scan()
    # The language first: the help texts are made in it when cli.py is imported.
    from .userlang import choose_from

    if not choose_from(sys.argv[1:]):
        raise SystemExit(2)
    parsed = quick_validate_args(sys.argv[1:])
    if parsed is None:
        from .cli import main as typer_main

        started()
        typer_main()  # reads sys.argv itself, and names the program as it always has
        return
    from .interrupt import run_command
    from .validate import check_files  # noqa: F401 - loaded before started()

    started()
    run_command(lambda: quick_validate(*parsed))


def started() -> None:
    """The program's modules are loaded: collect garbage from here on, as usual.

    Loading pydantic, PyYAML and ehnreport's modules makes tens of thousands of objects
    that live until the process ends; the cyclic garbage collector ran about 50 times
    while they were being made and freed a few hundred objects in all, and that was
    8 % of the instructions of a `validate` (docs/performance.md). So `main` turns
    the collector off first, and here the objects made so far are set aside for good
    (`gc.freeze`) before it is turned on again: the reports are then read, checked
    and built with the collector working as usual.
    """
    gc.freeze()
    gc.enable()


def skip_plugin_scan() -> bool:
    """With plugins disabled, keep pydantic from importing importlib.metadata (~10 ms).

    Pydantic's plugin loader (a private module) imports importlib.metadata at its top,
    even when PYDANTIC_DISABLE_PLUGINS tells it to find no plugins. When that variable
    says so, a stand-in module answers `get_plugins()` with no plugins, as the real
    one would; any other name asked of it loads the real module, so a pydantic that
    uses the module differently still works. Returns whether the stand-in is in place.
    """
    if os.environ.get("PYDANTIC_DISABLE_PLUGINS") not in _DISABLED:
        return False
    if _PLUGIN_LOADER in sys.modules:
        return False
    stand_in = types.ModuleType(_PLUGIN_LOADER)

    def get_plugins() -> tuple[()]:
        return ()

    def real(name: str) -> Any:
        if name.startswith("__"):  # the import system asks for __path__ and the like
            raise AttributeError(name)
        del sys.modules[_PLUGIN_LOADER]
        import importlib

        module = importlib.import_module(_PLUGIN_LOADER)
        return getattr(module, name)

    stand_in.get_plugins = get_plugins  # type: ignore[attr-defined]
    stand_in.__getattr__ = real  # type: ignore[method-assign]
    sys.modules[_PLUGIN_LOADER] = stand_in
    return True


_FORMATS = ("text", "json", "github", "sarif", "gitlab")
_QUICK_FORMATS = ("text", "github")


def quick_validate_args(args: list[str]) -> tuple[list[Path], bool, str, bool] | None:
    """(files, strict, format, quiet) when `args` is a `validate` this module handles.

    None for everything else, which the Typer application then reads as always.
    """
    if not args or args[0] != "validate":
        return None
    files: list[Path] = []
    strict = quiet = False
    fmt: str | None = None
    rest = iter(args[1:])
    only_files = False
    for arg in rest:
        if only_files or not arg.startswith("-") or arg == "-":
            if arg == "-":
                return None  # Click reads "-" as a file name; leave such cases to it
            files.append(Path(arg))
        elif arg == "--":
            only_files = True
        elif arg == "--strict":
            strict = True
        elif arg in ("--quiet", "-q"):
            quiet = True
        elif arg in ("--format", "-f"):
            fmt = next(rest, None)
            if fmt is None:
                return None
        elif arg.startswith("--format="):
            fmt = arg[len("--format=") :]
        elif arg.startswith("-f") and not arg.startswith("--"):
            fmt = arg[2:]
        elif arg == "--lang":  # already chosen by main(); only its value is skipped here
            if next(rest, None) is None:
                return None
        elif arg.startswith("--lang="):
            pass
        else:
            return None
    if not files:
        return None
    if fmt is not None:
        fmt = fmt.casefold()  # the option is case-insensitive, as Click compares it
        if fmt not in _FORMATS:
            return None
    else:
        fmt = "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"
    if fmt not in _QUICK_FORMATS:
        return None
    return files, strict, fmt, quiet


def quick_validate(files: list[Path], strict: bool, fmt: str, quiet: bool) -> int:
    """`ehnreport validate` for text and github output; returns the exit code."""
    from .errors import ExitCode
    from .interrupt import output_failed
    from .validate import check_files

    results, code = check_files(files, strict, lambda line: _echo(line, err=True))
    if sys.stdout is None:  # started with standard output closed
        output_failed(None)
        return int(ExitCode.USAGE)
    try:
        _print(results, fmt, strict, quiet)
    except OSError as exc:  # closed pipe, full disk
        output_failed(exc)
        return int(ExitCode.USAGE)
    return int(code)


def _print(results: list[Any], fmt: str, strict: bool, quiet: bool) -> None:
    """Print as `cli.print_results` does, through the same reporters."""
    from . import __version__
    from .reporters import Settings, for_output, report
    from .reporters.terminal import use_color

    tty = fmt == "text" and sys.stdout.isatty()
    settings = Settings(
        strict=strict, quiet=quiet, color=tty and use_color(sys.stdout), version=__version__
    )
    for text, err in report(results, for_output(fmt, tty=tty), settings):
        _echo(text, err=err)


def _echo(text: str, err: bool = False) -> None:
    """Write a line as typer.echo does: the text, a newline, then flush."""
    stream = sys.stderr if err else sys.stdout
    stream.write(text + "\n")
    stream.flush()


if __name__ == "__main__":
    main()
