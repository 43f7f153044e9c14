"""What a build reads, and a loop that calls back when any of it changes.

`build --watch` and `preview` share this: one definition of a build's inputs. They
are the report file, the files its answers refer to (the logo, Markdown images) and
the files in the override template folder. Anything else in the report's folder (a
log, the build output, an editor's backup) is not an input, so writing it never
starts a build.

Polling file modification times keeps this free of extra dependencies and works the
same on every system and on network drives; a build reads only a handful of files,
so polling them often is cheap.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote

Snapshot = dict[str, tuple[int, int, int]]

_CLOCK_SLACK_NS = 50_000_000

# Folders of a template folder that never hold templates.
_SKIP_DIRS = {"__pycache__", "node_modules"}


def referenced_files(data: Any, folder: Path) -> list[Path]:
    """The files inside `folder` that the report's answers refer to: logo and images.

    A reference that could not be read by a build (a URL, an absolute path, a path
    out of the folder) is left out; one to a file that does not exist yet is kept, so
    that creating the file starts a build.
    """
    root = folder.resolve()
    names: list[str] = []
    member = data.get("member") if isinstance(data, dict) else None
    if isinstance(member, dict) and isinstance(member.get("logo"), str):
        names.append(member["logo"])
    names.extend(_markdown_images(data))
    found: list[Path] = []
    for name in names:
        path = _inside(name, root)
        if path is not None:
            found.append(path)
    return list(dict.fromkeys(found))


def _strings(data: Any) -> Iterator[str]:
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for value in data.values():
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


def _markdown_images(data: Any) -> Iterator[str]:
    """The image sources of every answer, as markdown-it reads them (also by reference)."""
    texts = [s for s in _strings(data) if "![" in s]
    if not texts:
        return
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("table")
    for text in texts:
        for block in md.parse(text):
            for token in block.children or ():
                if token.type == "image":
                    yield unquote(str(token.attrGet("src") or ""))


def _inside(name: str, root: Path) -> Path | None:
    posix = name.strip().replace("\\", "/")
    pure = PurePosixPath(posix)
    if not posix or "\x00" in posix or ":" in posix or pure.is_absolute() or ".." in pure.parts:
        return None
    try:
        target = (root / posix).resolve()
    except (OSError, RuntimeError, ValueError):
        return None
    return target if target != root and target.is_relative_to(root) else None


def template_files(templates: Path | None) -> list[Path]:
    """Every file in the override template folder (a new one may replace a built-in)."""
    if templates is None:
        return []
    files: list[Path] = []
    for folder, dirs, names in os.walk(templates.resolve()):
        dirs[:] = sorted(d for d in dirs if d not in _SKIP_DIRS and not d.startswith("."))
        files.extend(Path(folder, n) for n in sorted(names) if not n.startswith("."))
    return files


class BuildInputs:
    """The files a build of one report reads, as of the last time the report was read."""

    def __init__(self, report: Path, templates: Path | None) -> None:
        self.report = report.resolve()
        self.templates = templates
        self._references: list[Path] = []

    def update(self, data: Any) -> None:
        """Take the references from the report's loaded data; None keeps the last ones.

        A report that cannot be read (a YAML mistake) keeps the files it referred to
        before, so that fixing it or changing the logo meanwhile still counts.
        """
        if data is not None:
            self._references = referenced_files(data, self.report.parent)

    def reload(self) -> None:
        """Read the report again for its references (when no loaded data is at hand)."""
        from .loader import LoadError, load_file

        try:
            self.update(load_file(self.report).data)
        except (LoadError, OSError):
            pass

    def files(self) -> list[Path]:
        found = [self.report, *self._references, *template_files(self.templates)]
        return list(dict.fromkeys(found))


def snapshot(files: Iterable[Path]) -> Snapshot:
    out: Snapshot = {}
    for f in files:
        try:
            st = f.stat()
        except OSError:
            continue
        # The inode too: an editor that saves by renaming a new file over the old one
        # can leave the time and size as they were.
        out[str(f)] = (st.st_mtime_ns, st.st_size, st.st_ino)
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

    `list_files` is asked again after each call, as a build may find new inputs.
    Returns when `should_stop()` is true; Ctrl-C (KeyboardInterrupt) propagates to the
    caller, which ends the loop cleanly.
    """
    before = _call(on_change, [], snapshot(list_files()), list_files)
    while not should_stop():
        sleep(interval)
        now = snapshot(list_files())
        if now != before:
            changed = sorted(k for k in set(now) | set(before) if now.get(k) != before.get(k))
            before = _call(on_change, changed, now, list_files)


def _call(
    on_change: Callable[[list[str]], None],
    changed: list[str],
    seen: Snapshot,
    list_files: Callable[[], list[Path]],
) -> Snapshot:
    """Run one callback; the state to compare the next poll with.

    Files that became inputs during the callback (an image the report now refers to)
    are taken as they are now, so that they do not count as changed, unless they were
    written while the callback ran (a template added during a build, which the build
    may have missed). The others keep the state seen before the callback, so that an
    edit made during a build is seen at the next poll.
    """
    # File times come from a coarser clock than time_ns and can lag it a little.
    started = time.time_ns() - _CLOCK_SLACK_NS
    on_change(changed)
    files = list_files()
    fresh = {
        k: v for k, v in snapshot(f for f in files if str(f) not in seen).items() if v[0] < started
    }
    kept = {str(f) for f in files}
    return {**{k: v for k, v in seen.items() if k in kept}, **fresh}
