"""Imported first in the forkserver of a batch build, and only there (see batch.py).

The forkserver starts with Ctrl-C, SIGTERM and SIGHUP held back (the parent blocks
them while starting it, so a Ctrl-C during its start-up cannot print a traceback from
it). Here it ignores Ctrl-C for good, as every worker forked from it then does from
its first instruction: the parent alone decides what a Ctrl-C means, and stops the
workers itself. The other two are released again.
"""

from __future__ import annotations

import os
import signal

from .interrupt import SIGNALS

# The forkserver's process id; a worker compares it with its parent's to learn
# whether the server (and so the command) has gone.
SERVER_PID: int | None = os.getpid()

signal.signal(signal.SIGINT, signal.SIG_IGN)
if hasattr(signal, "pthread_sigmask"):
    signal.pthread_sigmask(signal.SIG_UNBLOCK, SIGNALS)
