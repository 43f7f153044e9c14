"""Load and check one report file: the first stage of every command."""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from .checks import cross_checks
from .completeness import StepCount, completeness
from .content import check_content
from .diagnostics import from_validation_error
from .errors import Diagnostic, ExitCode, InputFileError, UserError, os_reason, printable
from .loader import Loaded, LoadError, load_file
from .messages import msg
from .model import Report, model_for

__all__ = ["CheckResult", "check_file", "open_report", "printable"]


@dataclass
class CheckResult:
    """What checking one file found."""

    path: Path
    report: Report | None = None
    loaded: Loaded | None = None
    diagnostics: list[Diagnostic] = field(default_factory=list)
    counts: list[StepCount] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return self.report is not None and not any(d.is_error for d in self.diagnostics)

    def ok(self, strict: bool = False) -> bool:
        return self.valid and not (strict and self.diagnostics)

    @property
    def folder(self) -> Path:
        return self.path.resolve().parent


def open_report(path: Path) -> Path:
    """Check that `path` names a readable regular file; raise InputFileError if not."""
    name = printable(str(path))
    try:
        st = os.stat(path)
    except FileNotFoundError:
        raise InputFileError(msg("cli.file.not-found", name=name)) from None
    except OSError as exc:
        raise InputFileError(
            msg("cli.file.cannot-be-read", name=name, reason=os_reason(exc))
        ) from None
    if stat.S_ISDIR(st.st_mode):
        raise InputFileError(msg("cli.file.is-a-folder-not-report", name=name))
    if not stat.S_ISREG(st.st_mode):
        raise InputFileError(msg("cli.file.not-regular", name=name))
    if not os.access(path, os.R_OK):
        raise InputFileError(msg("cli.file.no-read-permission", name=name))
    return path


def check_files(
    paths: list[Path], strict: bool, unreadable: Callable[[str], None]
) -> tuple[list[CheckResult], int]:
    """Check each file in turn: the results, and the exit code `validate` ends with.

    A file that cannot be read is told to `unreadable` (one line, already printable)
    and left out of the results; the code is the worst of the files'.
    """
    results: list[CheckResult] = []
    code = int(ExitCode.OK)
    for path in paths:
        try:
            result = check_file(path)
        except UserError as exc:
            unreadable(f"ehnreport: {printable(str(exc))}")
            code = max(code, int(exc.exit_code))
            continue
        results.append(result)
        if not result.ok(strict):
            code = max(code, int(ExitCode.INVALID))
    return results, code


def check_file(path: Path, *, today: dt.date | None = None) -> CheckResult:
    """Load, validate and cross-check one report. Raises InputFileError if unreadable.

    Every diagnostic's text is printable (see `Diagnostic`): a report cannot put
    control characters into the output through its keys, values or file names.
    """
    open_report(path)
    name = str(path)
    result = CheckResult(path=path)
    try:
        loaded = load_file(path)
    except LoadError as exc:
        d = exc.diagnostic
        result.diagnostics = [d.at(name)]
        return result
    except OSError as exc:
        raise InputFileError(
            msg("cli.file.cannot-be-read", name=printable(str(path)), reason=os_reason(exc))
        ) from None
    result.loaded = loaded
    if not isinstance(loaded.data, dict):
        key = "cli.file.empty-report" if loaded.data is None else "cli.file.not-a-mapping"
        result.diagnostics = [
            Diagnostic(
                1,
                1,
                "error",
                "not-a-report",
                "",
                msg(key),
                name,
            )
        ]
        return result
    try:
        model = model_for(loaded.data)
        report = model.model_validate(loaded.data)
    except ValidationError as exc:
        result.diagnostics = from_validation_error(exc, loaded, model, name)
        return result
    except RecursionError:  # pragma: no cover - depth is capped by the loader
        result.diagnostics = [
            Diagnostic(1, 1, "error", "too-deep", "", msg("cli.file.too-deep"), name)
        ]
        return result
    result.report = report
    diags = cross_checks(report, loaded, name, result.folder, today)
    diags += check_content(loaded, name, result.folder)  # layout limits, images
    warnings, counts = completeness(report, loaded, name)
    loader_warnings = [d.at(name) for d in loaded.warnings]
    result.diagnostics = sorted(loader_warnings + diags + warnings)
    result.counts = counts
    return result
