"""One line per diagnostic: `text` (file:line:col) and `github` (workflow commands)."""

from __future__ import annotations

from ..errors import Diagnostic


def text_line(d: Diagnostic, strict: bool = False) -> str:
    """`file:line:col: severity[code] path: message`."""
    return d.format()


def _gh_escape(text: str, prop: bool = False) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    if prop:
        text = text.replace(":", "%3A").replace(",", "%2C")
    return text


def github_line(d: Diagnostic, strict: bool = False) -> str:
    """A GitHub Actions annotation: `::error file=…,line=…,col=…,title=…::message`."""
    level = "error" if d.is_error or strict else "warning"
    props = (
        f"file={_gh_escape(d.file, True)},line={d.line},col={d.column},"
        f"title={_gh_escape('ehnreport ' + d.code, True)}"
    )
    where = f"{d.path}: " if d.path else ""
    return f"::{level} {props}::{_gh_escape(where + d.text())}"
