"""Writing output files atomically: a temporary file beside the target, then rename."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from .errors import BuildError


def write_atomic(target: Path, data: bytes) -> None:
    """Write `data` to `target` so that readers see the old file or the new, never a part."""
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
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except OSError as exc:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise BuildError(f"{target}: kunne ikke skrives ({exc.strerror}).") from None
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
