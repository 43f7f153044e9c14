"""From a PDF's text lines back to the text a member wrote: paragraphs, lists, Markdown.

A PDF breaks every paragraph into lines of the column's width. A line is taken as
wrapped (and joined to the next) when the next line begins in lower case, or when
the next line's first word would not have fitted on it; otherwise the member
pressed Enter there and the break is kept. A hyphen at a line end is kept: the
portal never hyphenates, so every hyphen there is the member's.
"""

from __future__ import annotations

import itertools
import re
import unicodedata

# A list item as members write it, and as PDFs print bullets.
_BULLET = re.compile(r"^\s*(?:[-–•▪●◦*·])\s+(?P<rest>\S.*)$")
_NUMBERED = re.compile(r"^\s*(?P<n>\d{1,3})[.)]\s+(?P<rest>\S.*)$")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ufeff]")
_SENTENCE_END = (".", "!", "?", ":", ";")


def clean_line(line: str) -> str:
    """One line without control characters and odd spaces; trailing blanks become one."""
    line = unicodedata.normalize("NFC", line)
    line = line.replace("\u00a0", " ").replace("\u202f", " ").replace("\t", " ")
    line = line.replace("\u00ad", "")  # a soft hyphen is the PDF's, not the member's
    line = _CONTROL.sub("", line)
    return line.rstrip() + " " if line[-1:].isspace() and line.strip() else line.rstrip()


def squash(text: str) -> str:
    """`text` without any white space, case-folded: how labels are compared."""
    return "".join(text.split()).casefold()


def first_word(line: str) -> str:
    parts = line.split()
    return parts[0] if parts else ""


def is_list_item(line: str) -> bool:
    return bool(_BULLET.match(line) or _NUMBERED.match(line))


def _wrapped(line: str, nxt: str, width: int) -> bool:
    """Whether the break between `line` and `nxt` is the PDF's, not the member's.

    A PDF reader leaves a space at the end of a line the member ended; a line that
    ends a sentence before a capital letter was ended by the member too.
    """
    if not nxt.strip() or is_list_item(nxt) or line.endswith(" "):
        return False
    # A cleaned line ends in one blank or none (clean_line): here, in none.
    head = nxt.lstrip()[0]
    ends_sentence = line.endswith(_SENTENCE_END)
    if head.islower() or head in "/)],;" or (head.isdigit() and not ends_sentence):
        return True
    if ends_sentence and head.isupper():
        return False
    return len(line) + 1 + len(first_word(nxt)) > width


def join_pair(line: str, nxt: str) -> str:
    """Two wrapped lines as one: no space after a hyphen or before a slash."""
    a, b = line.rstrip(), nxt.lstrip()
    if a.endswith(("-", "/")) or b.startswith("/"):
        return a + b
    return a + " " + b


def paragraphs(lines: list[str]) -> list[list[str]]:
    """Lines split at blank lines; leading and trailing blanks dropped."""
    out: list[list[str]] = [[]]
    for line in lines:
        if line.strip():
            # One space is kept at the end of a line that had one: the mark of a
            # line the member ended (see _wrapped).
            out[-1].append(line.strip() + (" " if line[-1:].isspace() else ""))
        elif out[-1]:
            out.append([])
    return [p for p in out if p]


def unwrap(lines: list[str], width: int) -> list[str]:
    """The lines of one paragraph with the PDF's wraps joined."""
    out: list[str] = []
    last = ""  # the last line as printed: the width test looks at it, not at the join
    for line in lines:
        line = line.lstrip()
        if out and _wrapped(last, line, width):
            out[-1] = join_pair(out[-1], line)
        else:
            out.append(line)
        last = line
    return [line.rstrip() for line in out]


def _escape(line: str) -> str:
    """A line of prose that Markdown prints as written («*Målene …» is not emphasis)."""
    if line.startswith(("*", "#", "+", ">", "=")) and not _BULLET.match(line):
        return "\\" + line
    return line


def markdown(lines: list[str], width: int) -> str:
    """The member's text from PDF lines, as Markdown: paragraphs, line breaks, lists."""
    blocks: list[str] = []
    for para in paragraphs(lines):
        out: list[str] = []
        # A run of list items and a run of text lines are apart by a blank line.
        for items, rows in itertools.groupby(unwrap(para, width), key=is_list_item):
            if out:
                out.append("")
            out.extend(_as_item(row) if items else _escape(row) for row in rows)
        blocks.append("\n".join(out))
    return "\n\n".join(b for b in blocks if b.strip())


def _as_item(row: str) -> str:
    """A list item as Markdown: - for a bullet, the number kept."""
    bullet = _BULLET.match(row)
    if bullet:
        return "- " + bullet.group("rest")
    numbered = _NUMBERED.match(row)
    assert numbered is not None  # is_list_item said so
    return f"{numbered.group('n')}. {numbered.group('rest')}"


def one_line(lines: list[str], width: int = 10_000) -> str:
    """Short text (a name, a cell) as one line: every break joined."""
    text = ""
    for line in lines:
        line = line.strip()
        if not line:
            continue
        text = join_pair(text, line) if text else line
    return text
