"""One rule for "this file lies inside the report's folder", shared by every reader.

The logo (checked by `validate`), Markdown images (embedded by the renderer) and the
PDF's resources (fetched by WeasyPrint) all read files a report names. They must agree
on which files that may be, so the rule lives here once: the path, with every symbolic
link resolved, lies inside the resolved folder, and is not the folder itself.
"""

from __future__ import annotations

from pathlib import Path


def resolved(path: Path) -> Path | None:
    """`path` with every symbolic link resolved, or None if that fails (a loop, NUL)."""
    try:
        return path.resolve()
    except (OSError, RuntimeError, ValueError):
        return None


def inside(path: Path, root: Path) -> bool:
    """Whether `path`, symbolic links resolved, lies inside the folder `root`."""
    target, base = resolved(path), resolved(root)
    if target is None or base is None:
        return False
    return target != base and target.is_relative_to(base)


def inside_any(path: Path, roots: list[Path]) -> bool:
    """Whether `path` lies inside one of `roots` (see `inside`)."""
    return any(inside(path, root) for root in roots)
