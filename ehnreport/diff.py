"""`ehnreport diff`: what changed between two versions of a report, question by question.

Parts and questions come in the form's order, with their code and label. Questions
are matched by their stable id, so two years on different editions compare. Text is
compared word by word; tables, cards, goals and counts row by row, a row matched by
its name (the risk, the procurement, the goal's text).
"""

from __future__ import annotations

import difflib
import html
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from . import messages
from .errors import InputFileError, os_reason
from .forms import Edition, Question
from .importer import formview
from .messages import Texts, msg

_TOKEN = re.compile(r"\s+|[^\s]+")

# Where the rows of an answer stand, and the columns that name a row so that the rows
# of two versions are matched: read from the edition's tables.
Rows = dict[str, tuple[str, ...]]


def _rows_of(q: Question) -> tuple[Rows, tuple[str, ...] | None]:
    """For a table answer: its row list's key -> naming columns; for a list answer: those."""
    t = q.table
    if q.kind == "list":
        return {}, ()  # a list of texts: each item names itself
    if t is None:
        return {}, None
    names = formview.name_columns(t)
    if t.rows_key is None:  # cards and goals: the answer is the list of rows
        return {}, (t.match_field,) if t.match_field else names
    return {t.rows_key: names}, None


@dataclass
class Word:
    op: str  # "equal", "insert", "delete"
    text: str


@dataclass
class Change:
    """What changed in one question or field."""

    id: str
    code: str
    label: str
    path: str
    kind: str  # "text", "value", "rows"
    words: list[Word] = field(default_factory=list)
    old: Any = None
    new: Any = None
    added: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    # The label in each language, for the text and HTML headings; `label` (in the
    # edition's first language) is what the JSON says, the same in every language.
    labels: Texts | None = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "code": self.code,
            "label": self.label,
            "path": self.path,
            "kind": self.kind,
        }
        if self.kind == "text":
            out["added"] = [w.text for w in self.words if w.op == "insert"]
            out["removed"] = [w.text for w in self.words if w.op == "delete"]
            out["words"] = [{"op": w.op, "text": w.text} for w in self.words]
        elif self.kind == "value":
            out["old"], out["new"] = self.old, self.new
        else:
            out["added"], out["removed"] = self.added, self.removed
            out["changed"] = [c.as_dict() for c in self.changed]
        return out


def _get(data: Any, dotted: str) -> Any:
    for key in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def _empty(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    if isinstance(value, (list, dict)):
        return all(_empty(v) for v in (value.values() if isinstance(value, dict) else value))
    return False


def _norm(value: Any) -> Any:
    """A value with empty parts dropped and text without trailing white space."""
    if isinstance(value, str):
        return "\n".join(line.rstrip() for line in value.strip().split("\n"))
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items() if not _empty(v)}
    if isinstance(value, list):
        return [_norm(v) for v in value if not _empty(v)]
    return value


def words(old: str, new: str) -> list[Word]:
    """`old` and `new` compared word by word; each Word holds a run of words."""
    a, b = old.split(), new.split()
    out: list[Word] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            out.append(Word("equal", " ".join(a[i1:i2])))
            continue
        if i2 > i1:
            out.append(Word("delete", " ".join(a[i1:i2])))
        if j2 > j1:
            out.append(Word("insert", " ".join(b[j1:j2])))
    return out


def _short(value: Any) -> bool:
    return isinstance(value, str) and "\n" not in value and len(value) <= 80


def _compare(
    qid: str,
    code: str,
    label: str,
    path: str,
    old: Any,
    new: Any,
    rows: tuple[str, ...] | None = None,
    sub_rows: Rows | None = None,
) -> Change | None:
    old, new = _norm(old), _norm(new)
    if old == new or (_empty(old) and _empty(new)):
        return None
    if isinstance(old, str) and isinstance(new, str) and rows is None:
        if _short(old) and _short(new):
            return Change(qid, code, label, path, "value", old=old, new=new)
        return Change(qid, code, label, path, "text", words=words(old, new))
    if rows is not None and (isinstance(old, list) or isinstance(new, list)):
        return _rows(qid, code, label, path, old or [], new or [], rows)
    if isinstance(old, dict) or isinstance(new, dict):
        change = Change(qid, code, label, path, "rows")
        old, new = old or {}, new or {}
        for key in [*old, *(k for k in new if k not in old)]:
            named = (sub_rows or {}).get(key)
            sub = _compare(qid, code, label, f"{path}.{key}", old.get(key), new.get(key), named)
            if sub is not None:
                change.changed.append(sub)
        return change if change.changed else None
    return Change(qid, code, label, path, "value", old=old, new=new)


def _name(row: Any, keys: tuple[str, ...]) -> str:
    if not isinstance(row, dict):
        return str(row)
    parts = [str(row[k]) for k in keys if k in row and row[k] is not None]
    return " / ".join(parts) if parts else json.dumps(row, ensure_ascii=False)[:60]


def _rows(
    qid: str,
    code: str,
    label: str,
    path: str,
    old: list[Any],
    new: list[Any],
    keys: tuple[str, ...],
) -> Change | None:
    a = [_name(r, keys) for r in old]
    b = [_name(r, keys) for r in new]
    change = Change(qid, code, label, path, "rows")
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            for i, j in zip(range(i1, i2), range(j1, j2), strict=True):
                sub = _compare(qid, code, label, f"{path}[{b[j]}]", old[i], new[j])
                if sub is not None:
                    change.changed.append(sub)
        else:
            change.removed.extend(a[i1:i2])
            change.added.extend(b[j1:j2])
    if not (change.added or change.removed or change.changed):
        return None
    return change


def _edition(data: dict[str, Any]) -> Edition:
    from .model import edition_for

    return edition_for(data)


def _label(e: Edition, path: tuple[str, ...], q: Question, lang: str | None = None) -> str:
    """A question's label; a field outside the steps with its part's title when short.

    In `lang` when the edition has it (default: its first language); whether the
    part's title goes before it is decided in the first language, for every language.
    """
    first = e.languages[0]
    label = formview.text(e, q.label)
    outside = not q.code and len(path) == 2  # a field of a part outside the steps
    title = formview.part_title(e, path[0]) if outside else ""
    with_title = outside and not (label == title or len(label) > 30)
    if lang is not None and lang != first:
        label = e.text(q.label, lang) or label
        part = next((p for p in e.parts if p.key == path[0]), None)
        title = (e.text(part.title, lang) or formview.part_title(e, path[0])) if part else ""
    return f"{title}: {label}" if with_title else label


def _labels(e: Edition, path: tuple[str, ...], q: Question) -> Texts:
    """The heading's label in each language of the catalog."""
    return Texts(*(_label(e, path, q, lang) for lang in Texts._fields))


def diff(old: dict[str, Any], new: dict[str, Any]) -> list[Change]:
    """Every change from `old` to `new`, question by question in the new edition's order.

    Questions are matched by their stable id, so that the two may follow different
    editions; a question only the old edition has comes last.
    """
    e_old, e_new = _edition(old), _edition(new)
    before, after = formview.by_id(e_old), formview.by_id(e_new)
    changes: list[Change] = []
    for qid in [*after, *(q for q in before if q not in after)]:
        v_new, v_old = after.get(qid), before.get(qid)
        v = v_new or v_old
        assert v is not None
        e = e_new if v_new is not None else e_old
        a = _get(old, v_old.dotted) if v_old else None
        b = _get(new, v_new.dotted) if v_new else None
        sub_rows, rows = _rows_of(v.q)
        label = _label(e, v.path, v.q)
        c = _compare(qid, v.q.code, label, v.dotted, a, b, rows, sub_rows)
        if c is not None:
            c.labels = _labels(e, v.path, v.q)
            changes.append(c)
    return changes


# -- output -----------------------------------------------------------------------------


def _shown_label(c: Change) -> str:
    """The change's label in the chosen language."""
    return c.labels.pick(messages.language()) if c.labels is not None else c.label


def _heading(c: Change) -> str:
    full = _shown_label(c)
    label = full if len(full) <= 100 else full[:99] + "…"
    return f"{c.code} {label}" if c.code else label


def _word_text(ws: list[Word], context: int = 8) -> str:
    """Words as text, wdiff style: [-deleted-] {+inserted+}, long equal runs shortened."""
    out = []
    for i, w in enumerate(ws):
        if w.op == "insert":
            out.append("{+" + w.text + "+}")
        elif w.op == "delete":
            out.append("[-" + w.text + "-]")
        else:
            run = w.text.split()
            if len(run) > 2 * context:
                head = run[:context] if i > 0 else []
                tail = run[-context:] if i < len(ws) - 1 else []
                out.append(" ".join([*head, "…", *tail]))
            else:
                out.append(w.text)
    return " ".join(out)


def _where(sub: Change, parent: Change) -> str:
    """Where `sub` lies inside `parent`: «[Reiseaktivitet].geography»."""
    rest = sub.path[len(parent.path) :] if sub.path.startswith(parent.path) else sub.path
    return rest.lstrip(".") or sub.path.rsplit(".", 1)[-1]


def _text_lines(c: Change, indent: str = "  ") -> list[str]:
    if c.kind == "text":
        return [indent + _word_text(c.words)]
    if c.kind == "value":
        return [f"{indent}{_show(c.old)} → {_show(c.new)}"]
    lines = [f"{indent}+ {_said('tools.diff.added', _quoted(a))}" for a in c.added]
    lines += [f"{indent}- {_said('tools.diff.removed', _quoted(r))}" for r in c.removed]
    for sub in c.changed:
        if sub.kind == "value":
            lines.append(f"{indent}~ {_where(sub, c)}: {_show(sub.old)} → {_show(sub.new)}")
            continue
        lines.append(f"{indent}~ {_where(sub, c)}:")
        lines.extend(_text_lines(sub, indent + "    "))
    return lines


def _said(key: str, what: str) -> str:
    """«added: …», «removed: …», «changed: …» in the chosen language."""
    return msg(key, what=what).text()


def _quoted(text: str) -> str:
    return msg("tools.diff.quoted", text=text).text()


def _show(value: Any) -> str:
    if value is None or value == "" or value == [] or value == {}:
        return msg("tools.diff.empty").text()
    if isinstance(value, str):
        return _quoted(" ".join(value.split()))
    return json.dumps(value, ensure_ascii=False)


def as_text(changes: list[Change], old_name: str, new_name: str) -> str:
    """The changes as text for a terminal, its words in the chosen language."""
    if not changes:
        return msg("tools.diff.none-between", old=old_name, new=new_name).text() + "\n"
    lines = [msg("tools.diff.changes", old=old_name, new=new_name, count=len(changes)).text()]
    for c in changes:
        lines.append("")
        lines.append(_heading(c))
        lines.extend(_text_lines(c))
    return "\n".join(lines) + "\n"


def as_json(changes: list[Change], old_name: str, new_name: str) -> str:
    doc = {"old": old_name, "new": new_name, "changes": [c.as_dict() for c in changes]}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


_CSS = """
body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;
color:#1f2328;line-height:1.5}
h2{font-size:1.05rem;margin-top:2rem;border-bottom:1px solid #c9cfd5}
.code{font-weight:700;margin-right:.4rem}
ins{background:#e3f1e7;color:#1d5e34;text-decoration:underline;font-weight:600}
del{background:#f3e9e9;color:#6b3a3a;text-decoration:line-through}
.mark{font-weight:700}
ul{padding-left:1.2rem}
.sr{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0)}
"""


def _html_words(ws: list[Word]) -> str:
    out = []
    # Read out by screen readers instead of the marks: «lagt til: » before the words.
    added = html.escape(_said("tools.diff.added", ""))
    removed = html.escape(_said("tools.diff.removed", ""))
    for w in ws:
        text = html.escape(w.text)
        if w.op == "insert":
            out.append(
                f'<ins><span class="sr">{added}</span><span class="mark" aria-hidden="true">'
                f'{{+</span>{text}<span class="mark" aria-hidden="true">+}}</span></ins>'
            )
        elif w.op == "delete":
            out.append(
                f'<del><span class="sr">{removed}</span><span class="mark" aria-hidden="true">'
                f'[-</span>{text}<span class="mark" aria-hidden="true">-]</span></del>'
            )
        else:
            out.append(text)
    return " ".join(out)


def _html_change(c: Change) -> str:
    if c.kind == "text":
        return f"<p>{_html_words(c.words)}</p>"
    if c.kind == "value":
        return (
            f"<p><del>[-{html.escape(_show(c.old))}-]</del> → "
            f"<ins>{{+{html.escape(_show(c.new))}+}}</ins></p>"
        )
    items = [
        f"<li><ins>{{+ {html.escape(_said('tools.diff.added', a))} +}}</ins></li>" for a in c.added
    ]
    items += [
        f"<li><del>[- {html.escape(_said('tools.diff.removed', r))} -]</del></li>"
        for r in c.removed
    ]
    for sub in c.changed:
        where = html.escape(_said("tools.diff.changed", _where(sub, c)))
        items.append(f"<li>{where}{_html_change(sub)}</li>")
    return "<ul>" + "".join(items) + "</ul>"


def as_html(changes: list[Change], old_name: str, new_name: str) -> str:
    """The changes as a page of their own, in the chosen language."""
    lang = messages.language()
    title = msg("tools.diff.title", old=html.escape(old_name), new=html.escape(new_name)).text()
    parts = [
        "<!DOCTYPE html>",
        f'<html lang="{lang}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title><style>{_CSS}</style></head><body>",
        f"<h1>{title}</h1>",
        # The legend holds its own markup: <ins> and <del> as the changes use them.
        f"<p>{msg('tools.diff.legend').text()}</p>",
    ]
    if not changes:
        parts.append(f"<p>{html.escape(msg('tools.diff.none').text())}</p>")
    for c in changes:
        code = f'<span class="code">{html.escape(c.code)}</span>' if c.code else ""
        parts.append(
            f"<section><h2>{code}{html.escape(_shown_label(c))}</h2>{_html_change(c)}</section>"
        )
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"


FORMATS = {"text": as_text, "json": as_json, "html": as_html}


def read_report(path: Path | None, stdin: TextIO) -> dict[str, Any]:
    """A valid report's data from `path`, or from `stdin` when None; UserError if not."""
    from .loader import LoadError, decode, load_text
    from .validate import open_report, printable

    name: messages.Param = msg("tools.diff.stdin") if path is None else printable(str(path))
    if path is None:
        text = stdin.read()
    else:
        open_report(path)
        try:
            text = decode(path.read_bytes())
        except LoadError as exc:
            problem = exc.diagnostic.message
            raise InputFileError(msg("tools.diff.problem", file=name, problem=problem)) from None
        except OSError as exc:
            raise InputFileError(
                msg("tools.diff.unreadable", file=name, reason=os_reason(exc))
            ) from None
    try:
        loaded = load_text(text)
    except LoadError as exc:
        d = exc.diagnostic
        raise InputFileError(
            msg("tools.diff.problem-at", file=name, line=d.line, column=d.column, problem=d.message)
        ) from None
    if not isinstance(loaded.data, dict):
        raise InputFileError(msg("tools.diff.not-a-report", file=name))
    errors = formview.report_errors(loaded.data)
    if errors:
        raise InputFileError(msg("tools.diff.not-valid", file=name, count=errors))
    data: dict[str, Any] = loaded.data
    return data
