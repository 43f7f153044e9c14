"""User-facing errors and the Diagnostic record every check produces."""

from __future__ import annotations

import functools
import unicodedata
from dataclasses import dataclass
from enum import IntEnum

from .codes import check as check_code
from .messages import Msg, render

# Characters that must never reach a terminal or a CI log as they are: control
# characters (a line break in a key could forge a line, such as a GitHub Actions
# `::error::` command; ESC starts terminal escape sequences), line and paragraph
# separators, format characters such as the bidirectional overrides of "Trojan
# Source", lone surrogates (a file name that is not UTF-8 decodes to them, and no
# UTF-8 output can carry them) and the noncharacters U+FFFE, U+FFFF and their kin,
# which XML and many tools refuse. YAML lets a report put any of them in a key or
# value with a double-quoted escape such as "\e" or "\n". Joiners and the soft hyphen
# are harmless and kept.
_UNSAFE_CATEGORIES = {"Cc", "Cf", "Zl", "Zp", "Cs"}
_KEPT = {"\u200c", "\u200d", "\u00ad"}


def _unsafe(ch: str) -> bool:
    if ch in _KEPT:
        return False
    if unicodedata.category(ch) in _UNSAFE_CATEGORIES:
        return True
    code = ord(ch)
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def printable(text: str) -> str:
    """`text` with every unsafe character written as an escape, such as \\n or \\u202e."""
    if text.isprintable():  # the common case: nothing to look at
        return text
    return "".join(
        ch.encode("unicode_escape").decode("ascii") if _unsafe(ch) else ch for ch in text
    )


class ExitCode(IntEnum):
    """The documented exit codes of the command line (see README)."""

    OK = 0
    INVALID = 1  # the report has errors (or warnings under --strict)
    USAGE = 2  # wrong options, or a file that cannot be read
    BUILD_FAILED = 3  # the report is valid but the output could not be made


@functools.total_ordering
@dataclass(frozen=True)
class Diagnostic:
    """One problem at one place in one file.

    The message is a catalog key with parameters (`Msg`), made into a sentence in the
    chosen language only when printed; code, path and position never depend on it.
    """

    line: int
    column: int
    severity: str  # "error" or "warning"
    code: str  # short stable identifier, such as "unknown-key"
    path: str  # YAML path, such as "steps.step2.a3.risks[1].themes[0]"
    message: Msg  # what to say, see ehnreport/messages
    file: str = ""

    def __post_init__(self) -> None:
        # Every code is registered with its severity; any other is a programming error.
        check_code(self.code, self.severity)
        # A finished sentence would print in one language only, whatever the user chose.
        if not isinstance(self.message, Msg):
            raise TypeError(f"a diagnostic's message is a Msg, not {type(self.message).__name__}")
        # Printable by construction: no code path that makes a diagnostic (loading,
        # checks, rendering, the PDF fetcher) can carry a control character from a
        # report or a file name to a terminal, a CI log or a machine format. The
        # message's parameters are made printable with the sentence, in text().
        for name in ("path", "file"):
            value = getattr(self, name)
            if not value.isprintable():
                object.__setattr__(self, name, printable(value))

    @functools.cached_property
    def _key(self) -> tuple[int, int, str, str, str, str, str]:
        # Sorting compares each diagnostic many times: the sentence is made once.
        nb = self.text("nb")
        return (self.line, self.column, self.severity, self.code, self.path, nb, self.file)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Diagnostic):
            return NotImplemented
        return self._key < other._key

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def text(self, lang: str | None = None) -> str:
        """The message as a printable sentence in `lang` (default: the chosen language)."""
        return printable(render(self.message, lang))

    def at(self, file: str) -> Diagnostic:
        """The same diagnostic in `file`."""
        return Diagnostic(
            self.line, self.column, self.severity, self.code, self.path, self.message, file
        )

    def format(self, lang: str | None = None) -> str:
        where = f"{self.file}:{self.line}:{self.column}"
        path = f" {self.path}:" if self.path else ""
        return f"{where}: {self.severity}[{self.code}]{path} {self.text(lang)}"

    def as_dict(self, lang: str | None = None) -> dict[str, object]:
        return {
            "severity": self.severity,
            "code": self.code,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "message": self.text(lang),
        }


class UserError(Exception):
    """A mistake the user can fix: printed as one message, never as a traceback.

    Made with a `Msg`; `str()` gives the sentence in the chosen language.
    """

    exit_code: ExitCode = ExitCode.USAGE

    def __init__(self, message: Msg, *args: object) -> None:
        if not isinstance(message, Msg):  # a finished sentence prints in one language only
            raise TypeError(f"{type(self).__name__} is made with a Msg, not {message!r}")
        super().__init__(message, *args)

    @property
    def msg(self) -> Msg:
        """What to say, as made (the first argument)."""
        first = self.args[0]
        assert isinstance(first, Msg)  # refused otherwise in __init__
        return first

    def __str__(self) -> str:
        return render(self.msg)


class InputFileError(UserError):
    """The input file is missing, unreadable or not a file."""


class ReportInvalid(UserError):
    """The report has errors; the diagnostics say which."""

    exit_code = ExitCode.INVALID

    def __init__(self, diagnostics: list[Diagnostic]):
        count = sum(d.is_error for d in diagnostics)
        key = "cli.errors-in-report-one" if count == 1 else "cli.errors-in-report"
        super().__init__(Msg(key, (("count", count),)))
        self.diagnostics = diagnostics


class BuildError(UserError):
    """The report is valid, but the output could not be made."""

    exit_code = ExitCode.BUILD_FAILED


def os_reason(exc: OSError) -> str:
    """Why a file operation failed, for a message: the system's words, never «None»."""
    return exc.strerror or str(exc) or type(exc).__name__
