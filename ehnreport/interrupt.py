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

import signal
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

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
