"""Rebuild when the report, a file beside it, or an override template changes.

Polling file modification times keeps this free of extra dependencies and works
the same on every system and on network drives; a report folder holds few files.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from pathlib import Path

Snapshot = dict[str, tuple[int, int]]

# Folders that never hold report input, and would make polling slow.
_SKIP_DIRS = {".git", ".venv", "venv", "node_modules", "__pycache__", "build"}


def watched_files(report: Path, templates: Path | None, out_dir: Path | None = None) -> list[Path]:
    """The report, every file in its folder tree (images), and the override templates."""
    roots = [report.resolve().parent]
    if templates is not None:
        roots.append(templates.resolve())
    skip = {out_dir.resolve()} if out_dir is not None else set()
    files: list[Path] = [report.resolve()]
    for root in roots:
        for folder, dirs, names in os.walk(root):
            dirs[:] = sorted(
                d
                for d in dirs
                if d not in _SKIP_DIRS and not d.startswith(".") and Path(folder, d) not in skip
            )
            files.extend(Path(folder, n) for n in sorted(names) if not n.startswith("."))
    return list(dict.fromkeys(files))  # the report is also found by the walk


def snapshot(files: Iterable[Path]) -> Snapshot:
    out: Snapshot = {}
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        out[str(f)] = (st.st_mtime_ns, st.st_size)
    return out


def watch(
    list_files: Callable[[], list[Path]],
    on_change: Callable[[list[str]], None],
    *,
    interval: float = 0.5,
    should_stop: Callable[[], bool] = lambda: False,
    sleep: Callable[[float], None] = time.sleep,
) -> None:
    """Call `on_change(changed)` once now and again whenever a watched file changes.

    Returns when `should_stop()` is true; Ctrl-C (KeyboardInterrupt) propagates to the
    caller, which ends the loop cleanly.
    """
    before = snapshot(list_files())
    on_change([])
    while not should_stop():
        sleep(interval)
        now = snapshot(list_files())
        if now != before:
            changed = sorted(k for k in set(now) | set(before) if now.get(k) != before.get(k))
            before = now
            on_change(changed)
