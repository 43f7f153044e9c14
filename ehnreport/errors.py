"""User-facing errors and the Diagnostic record every check produces."""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes of the command line (see README)."""

    OK = 0
    INVALID = 1  # the report has errors (or warnings under --strict)
    USAGE = 2  # wrong options, or a file that cannot be read
    BUILD_FAILED = 3  # the report is valid but the output could not be made


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place in one file."""

    line: int
    column: int
    severity: str  # "error" or "warning"
    code: str  # short stable identifier, such as "unknown-key"
    path: str  # YAML path, such as "steps.step2.a3.risks[1].themes[0]"
    message: str  # a plain sentence in Norwegian
    file: str = ""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def format(self) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        path = f" {self.path}:" if self.path else ""
        return f"{where}: {self.severity}[{self.code}]{path} {self.message}"

    def as_dict(self) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


class UserError(Exception):
    """A mistake the user can fix: printed as one message, never as a traceback."""

    exit_code: ExitCode = ExitCode.USAGE


class InputFileError(UserError):
    """The input file is missing, unreadable or not a file."""


class ReportInvalid(UserError):
    """The report has errors; the diagnostics say which."""

    exit_code = ExitCode.INVALID

    def __init__(self, diagnostics: list[Diagnostic]):
        super().__init__(f"{sum(d.is_error for d in diagnostics)} feil i rapporten")
        self.diagnostics = diagnostics


class BuildError(UserError):
    """The report is valid, but the output could not be made."""

    exit_code = ExitCode.BUILD_FAILED
