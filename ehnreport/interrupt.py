"""Ctrl-C, SIGTERM and SIGHUP: one clean ending, and never a file written after one.

The command line installs `install()`: each of the three signals is recorded and
raised as `Interrupted` (a KeyboardInterrupt), which unwinds through the atomic
writer (removing its temporary file) to `cli.main`, which prints one line and exits
with 128 + the signal's number (130, 143, 129).

Recording matters because not every library lets the exception through: WeasyPrint
catches BaseException while it draws an SVG, so a Ctrl-C there would be swallowed and
the build would go on to write a PDF missing the drawing. `check()` raises again
when a signal has arrived, whatever happened to the first exception; the build calls
it before it writes anything.
"""

from __future__ import annotations

import errno
import os
import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import NoReturn

SIGNALS = tuple(
    getattr(signal, name) for name in ("SIGINT", "SIGTERM", "SIGHUP") if hasattr(signal, name)
)

_received: int | None = None


class Interrupted(KeyboardInterrupt):
    """A signal asked the command to stop; `signum` says which."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    @property
    def exit_code(self) -> int:
        return 128 + self.signum


def received() -> int | None:
    """The first signal recorded since `install()`, or None."""
    return _received


def check() -> None:
    """Raise `Interrupted` if a signal has arrived, even one a library swallowed."""
    if _received is not None:
        raise Interrupted(_received)


def _raise(signum: int, frame: FrameType | None) -> None:
    global _received
    if _received is None:
        _received = signum
    raise Interrupted(signum)


def install() -> None:
    """Record SIGINT, SIGTERM and SIGHUP and raise `Interrupted` for each."""
    global _received
    _received = None
    for signum in SIGNALS:
        signal.signal(signum, _raise)


def reset() -> None:
    """Forget a recorded signal (for a long-running caller that carries on)."""
    global _received
    _received = None


@contextmanager
def deferred() -> Iterator[None]:
    """Hold the three signals back for a few statements, then deliver them.

    Used where a signal between two steps would leave something behind, such as
    between creating a temporary file and registering it for removal.
    """
    if not hasattr(signal, "pthread_sigmask"):  # pragma: no cover - not POSIX
        yield
        return
    old = signal.pthread_sigmask(signal.SIG_BLOCK, SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


# The errors of standard output itself (a full disk, a device error, a closed stream).
_OUTPUT_ERRNOS = (errno.ENOSPC, errno.EIO, errno.EBADF, errno.EDQUOT, errno.EPIPE)


def run_command(command: Callable[[], object]) -> NoReturn:
    """Run one command line and end the way every ehnreport command ends.

    Ctrl-C, SIGTERM and SIGHUP: what was being written is removed, one line says so,
    and the code is 128 + the signal. A standard output that cannot be written: one
    line on standard error and exit 2. Both the Typer application and the quick
    `validate` in `__main__` run through here, so they end alike.
    """
    install()
    try:
        try:
            code = command()
        except KeyboardInterrupt:  # outside the commands (Typer turns it into exit 130)
            raise SystemExit(130) from None
        except OSError as exc:
            # Every command maps the errors of the files it is given; what is left is
            # standard output itself: exit 2, no traceback.
            if exc.errno not in _OUTPUT_ERRNOS:
                raise
            output_failed(exc)
            raise SystemExit(2) from None
    except SystemExit as exc:
        signum = received()
        if signum is None or exc.code != 130:
            raise
        _say_interrupted(signum)
        raise SystemExit(128 + signum) from None
    raise SystemExit(code if isinstance(code, int) else 0)


def output_failed(exc: OSError | None) -> None:
    """Standard output is closed or full: say so on standard error, write no more to it."""
    from .messages import msg

    why = exc.strerror if exc is not None and exc.strerror else msg("cli.stdout.closed")
    try:
        sys.stderr.write(msg("cli.stdout.failed", reason=why).text() + "\n")
        sys.stderr.flush()
    except (AttributeError, ValueError, OSError):
        pass
    # Nothing more may reach the broken stream, not even the flush at exit.
    try:
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - lives until the process ends
    except OSError:
        pass


def _say_interrupted(signum: int) -> None:
    from .messages import msg

    name = signal.Signals(signum).name
    try:
        sys.stderr.write("\n" + msg("cli.interrupted", signal=name).text() + "\n")
        sys.stderr.flush()
    except (AttributeError, ValueError, OSError):
        pass
