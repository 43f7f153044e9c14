"""Writing output files atomically: a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from .errors import BuildError


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` so that readers see the old file or the new, never a part."""
    with atomic_file(target) as fh:
        fh.write(data)


@contextmanager
def atomic_file(target: Path) -> Iterator[IO[bytes]]:
    """A file to write `target` through: it replaces `target` only when the block ends well.

    For output written piece by piece (an export of many reports), so that it need not
    be held in memory; an exception in the block leaves the old file, and no temporary one.
    """
    target = Path(target)
    if target.is_dir():
        raise BuildError(f"{target}: er en mappe; kan ikke skrive filen dit.")
    folder = target.parent if str(target.parent) else Path(".")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
    except OSError as exc:
        raise BuildError(f"{folder}: kan ikke skrive hit ({exc.strerror}).") from None
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        raise BuildError(f"{target}: kunne ikke skrives ({exc.strerror}).") from None
    except BaseException:
        _remove(tmp)
        raise


def _remove(path: str) -> None:
    try:
        os.unlink(path)
    except OSError:
        pass
