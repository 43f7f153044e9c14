"""Writing output files atomically: a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import BuildError, os_reason, printable
from .interrupt import deferred
from .messages import msg

# Temporary files being written right now, so that a worker process told to stop by a
# signal can remove them before it exits (`remove_temporary_files`).
_in_progress: set[str] = set()


def remove_temporary_files() -> None:
    """Remove the temporary files of writes in progress (called on a fatal signal)."""
    for tmp in list(_in_progress):
        try:
            os.unlink(tmp)
        except OSError:
            pass
    _in_progress.clear()


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` so that readers see the old file or the new, never a part."""
    with atomic_file(target) as fh:
        fh.write(data)


def _atomic_file(target: Path) -> Iterator[IO[bytes]]:
    """A file to write `target` through: it replaces `target` only when the block ends well.

    For output written piece by piece (an export of many reports), so that it need not
    be held in memory. An exception or a signal in the block leaves the old file, and
    no temporary one.
    """
    target = Path(target)
    shown = printable(str(target))
    try:
        if target.is_dir():
            raise BuildError(msg("cli.file.is-a-folder-cannot-write", name=shown))
    except OSError as exc:  # a name too long for the file system, and the like
        raise BuildError(
            msg("cli.file.cannot-be-written", name=shown, reason=os_reason(exc))
        ) from None
    folder = target.parent  # "." for a bare file name
    # A signal between creating the temporary file and entering the `try` below would
    # leave it behind: hold signals back until it is registered.
    with deferred():
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
        except OSError as exc:
            raise BuildError(
                msg(
                    "cli.file.cannot-write-here", name=printable(str(folder)), reason=os_reason(exc)
                )
            ) from None
        _in_progress.add(tmp)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        _unlink(tmp)
        raise BuildError(
            msg("cli.file.could-not-be-written", name=shown, reason=os_reason(exc))
        ) from None
    except BaseException:
        _unlink(tmp)
        raise
    finally:
        _in_progress.discard(tmp)


# Made a context manager by a call, not a decorator: mutation testing (docs/mutation.md)
# changes only undecorated functions, and this one guards every output file.
atomic_file = contextmanager(_atomic_file)


def _unlink(tmp: str) -> None:
    try:
        os.unlink(tmp)
    except OSError:
        pass
