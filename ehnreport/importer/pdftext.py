"""The text of a PDF for the importer, read with pypdf.

A tagged PDF (one ehnreport built, or any PDF/UA file) is read through its
structure tree: every paragraph, heading and list item comes out as one line of
its own, whatever the page's line wraps, and a table comes out as its rows and
cells, so nothing has to be guessed. An untagged PDF, such as the portal's, is
read page by page as plain text, in the layout the portal's text has.

pypdf is used because it reads the structure tree and the marked content the
tree points into; pdfminer.six lays out text well but has no access to the tree.
"""

from __future__ import annotations

import io
import logging
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from ..errors import InputFileError
from ..messages import msg
from .portal import _FOOTER, TABLE_MARK, Doc, Table

_BARE_FOOTER = re.compile(r"^\s*[^|\s][^|]*?\s*\|\s*\d{1,4}\s*$")
_MARKER_ONLY = re.compile(r"^\s*(?:[•▪◦‣·–-]|\d{1,3}[.)])\s*$")
_MARKER = re.compile(r"^\s*(?:[•▪◦‣·–-]|(?P<n>\d{1,3})[.)])\s+(?P<rest>\S.*)$")

# Structure types that hold inline content: their text belongs to the block around them.
_INLINE = {
    "Span",
    "Link",
    "Em",
    "Strong",
    "Code",
    "Quote",
    "Lbl",
    "Reference",
    "Annot",
    "Sub",
    "Sup",
    "BibEntry",
    "Note",
    # A group without a meaning of its own: inline when it holds only text (an empty
    # one is how WeasyPrint tags a <br>, see `is_break`).
    "NonStruct",
}
_TABLE = "Table"
MAX_PAGES = 500


@dataclass
class _Frag:
    text: str
    y: float | None  # the baseline: a new value starts a new printed line


@dataclass
class _Block:
    """The text fragments of one paragraph, heading, list item or cell, in order."""

    frags: list[_Frag] = field(default_factory=list)

    def text(self) -> str:
        """The block's lines as one: the PDF's wraps are not the member's."""
        out = ""
        y: float | None = None
        for frag in self.frags:
            piece = frag.text
            if piece == "\n":  # a line break the member wrote
                out = out.rstrip() + "\n"
                y = None
            elif not piece:  # only where the printed line goes on (after a wrapped link)
                pass
            elif not out or out.endswith("\n"):
                out += piece.lstrip()
            elif frag.y is not None and y is not None and abs(frag.y - y) > 0.5:
                out = _join(out, piece)
            else:
                out += piece
            y = frag.y if frag.y is not None else y
        return "\n".join(" ".join(line.split()) for line in out.strip().split("\n"))


def _join(a: str, b: str) -> str:
    a, b = a.rstrip(), b.lstrip()
    if a.endswith("-") and b[:1].islower() and not b.startswith(("og ", "eller ", "samt ")):
        return a + b
    return a + " " + b


def pdf_doc(raw: bytes, name: str) -> Doc:
    """The pages of a PDF as the importer reads them."""
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    # pypdf reports damaged but readable files through logging; the member sees
    # only the importer's own messages.
    logging.getLogger("pypdf").setLevel(logging.ERROR)
    try:
        reader = PdfReader(io.BytesIO(raw))
        if reader.is_encrypted:
            raise InputFileError(msg("importer.pdf-encrypted", file=name))
        if len(reader.pages) > MAX_PAGES:
            raise InputFileError(msg("importer.pdf-too-many-pages", file=name, max=MAX_PAGES))
        root: Any = reader.trailer["/Root"]
        tree: Any = root.get("/StructTreeRoot")
        if tree is not None:
            doc = _tagged(reader, tree.get_object())
            if doc is not None:
                return doc
        return _plain(reader)
    except InputFileError:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        raise InputFileError(msg("importer.pdf-unreadable", file=name)) from None


def _plain(reader: Any) -> Doc:
    pages: list[list[str]] = []
    for page in reader.pages:
        text = page.extract_text() or ""
        pages.append(text.split("\n"))
    return Doc(pages)


def _marked_text(reader: Any, footers: list[str]) -> dict[tuple[int, int], list[_Frag]]:
    """The text of every marked-content sequence: (page index, MCID) -> fragments."""
    out: dict[tuple[int, int], list[_Frag]] = {}
    for index, page in enumerate(reader.pages):
        _page_marked(page, index, out, footers)
    return out


def _page_marked(
    page: Any, index: int, out: dict[tuple[int, int], list[_Frag]], footers: list[str]
) -> None:
    """The marked-content text of one page, into `out`; running footers into `footers`."""
    stack: list[int | None] = []

    def before(op: bytes, args: Any, cm: Any, tm: Any) -> None:
        if op == b"BDC":
            props: Any = args[1] if len(args) > 1 else {}
            mcid = props.get("/MCID") if hasattr(props, "get") else None
            stack.append(int(mcid) if mcid is not None else None)
        elif op == b"BMC":
            stack.append(None)
        elif op == b"EMC" and stack:
            stack.pop()

    def visit(text: str, cm: Any, tm: Any, font: Any, size: Any) -> None:
        mcid = next((m for m in reversed(stack) if m is not None), None)
        if not text or text == "\n":
            return
        if mcid is None:
            # Running footers are artifacts outside the tree; the short name is in them.
            # ehnreport's footers are tagged as pagination artifacts: «NTNU  |  7».
            if _FOOTER.match(text) or _BARE_FOOTER.match(text):
                footers.append(text.strip() if _FOOTER.match(text) else "| " + text.strip())
            return
        y = float(tm[5]) * float(cm[3]) + float(cm[5]) if tm is not None else None
        out.setdefault((index, mcid), []).append(_Frag(text, y))

    page.extract_text(visitor_operand_before=before, visitor_text=visit)


def _tagged(reader: Any, tree: Any) -> Doc | None:
    pages = {page.indirect_reference.idnum: i for i, page in enumerate(reader.pages)}
    footers: list[str] = []
    marked = _marked_text(reader, footers)
    lines: list[str] = []
    tables: list[Table] = []

    def page_of(e: Any, inherited: int | None) -> int | None:
        raw_get = getattr(e, "raw_get", None)
        pg = raw_get("/Pg") if raw_get is not None and "/Pg" in e else None
        if pg is not None and getattr(pg, "idnum", None) in pages:
            return pages[pg.idnum]
        return inherited

    def kids(e: Any) -> list[Any]:
        k = e.get("/K")
        if k is None:
            return []
        return list(k) if isinstance(k, list) else [k]

    def kind(e: Any) -> str:
        return str(e.get("/S", "/"))[1:]

    def collect(e: Any, page: int | None, block: _Block) -> None:
        """Every fragment under `e`, in order, into `block`."""
        for k in kids(e):
            if isinstance(k, int):
                if page is not None:
                    block.frags.extend(marked.get((page, k), []))
                continue
            k = k.get_object()
            if not hasattr(k, "get"):
                continue
            if "/MCID" in k:
                mpage = page_of(k, page)
                if mpage is not None:
                    block.frags.extend(marked.get((mpage, int(k["/MCID"])), []))
            elif "/S" in k:
                if is_break(k):
                    block.frags.append(_Frag("\n", None))
                elif kind(k) == "Link":
                    link(k, page_of(k, page), block)
                else:
                    collect(k, page_of(k, page), block)

    def link(e: Any, page: int | None, block: _Block) -> None:
        """A link's text; as a Markdown link when it goes elsewhere than its text says."""
        inner = _Block()
        collect(e, page, inner)
        text, uri = inner.text(), _uri(e)
        shown = {text, "mailto:" + text, "http://" + text, "https://" + text}
        if not uri or not text or uri in shown or "\n" in text:
            block.frags.extend(inner.frags)
            return
        y = inner.frags[0].y if inner.frags else None
        block.frags.append(_Frag(f"[{text}]({uri})", y))
        last = inner.frags[-1].y if inner.frags else None
        if last != y:  # the link wrapped: what follows continues its last line
            block.frags.append(_Frag("", last))

    def simple(e: Any) -> bool:
        """Whether `e` holds only text: no nested list, table or group of fields."""
        for k in kids(e):
            if isinstance(k, int):
                continue
            k = k.get_object()
            if hasattr(k, "get") and "/S" in k:
                if kind(k) not in (*_INLINE, "LBody", "P") or not simple(k):
                    return False
        return True

    def is_break(e: Any) -> bool:
        """A NonStruct with no text and no element in it: how WeasyPrint tags a <br>
        (inside another NonStruct, which is then inline and holds the break)."""
        if kind(e) != "NonStruct":
            return False
        for k in kids(e):
            if isinstance(k, int):
                return False
            k = k.get_object()
            if hasattr(k, "get") and ("/MCID" in k or "/S" in k):
                return False
        return True

    def is_term(e: Any, page: int | None) -> bool:
        """An item of a definition list: its label is a term, not a printed marker."""
        for k in kids(e):
            if isinstance(k, int):
                continue
            k = k.get_object()
            if hasattr(k, "get") and kind(k) == "Lbl":
                b = _Block()
                collect(k, page_of(k, page), b)
                if b.text().strip() and not _MARKER_ONLY.match(b.text()):
                    return True
        return False

    def has_block(e: Any) -> bool:
        for k in kids(e):
            if isinstance(k, int):
                continue
            k = k.get_object()
            if hasattr(k, "get") and "/S" in k and not is_break(k):
                if kind(k) not in _INLINE or has_block(k):
                    return True
        return False

    def blocks(e: Any, page: int | None) -> list[_Block]:
        """The leaf blocks under `e`: paragraphs, headings, list items, cells."""
        if not has_block(e):
            b = _Block()
            collect(e, page, b)
            return [b] if b.text() else []
        out: list[_Block] = []
        run = _Block()
        for k in kids(e):
            if isinstance(k, int) or not hasattr(k.get_object(), "get"):
                b = _Block()
                wrapper = {"/K": k}
                collect(wrapper, page, b)
                run.frags.extend(b.frags)
                continue
            k = k.get_object()
            if "/S" not in k:
                continue
            if is_break(k):
                run.frags.append(_Frag("\n", None))
                continue
            if kind(k) in _INLINE and not has_block(k):
                collect({"/K": [k]}, page_of(k, page), run)
                continue
            if run.text():
                out.append(run)
            run = _Block()
            out.extend(blocks(k, page_of(k, page)))
        if run.text():
            out.append(run)
        if len(out) > 1 and _MARKER_ONLY.match(out[0].text()):
            # The printed marker (• or 1.) is tagged apart from the item's text.
            marker = out.pop(0)
            out[0] = _Block([_Frag(marker.text() + " ", None), *out[0].frags])
        return out

    # The printed marker (• or 3.) of a list item that holds more than text, kept for
    # the item's first line.
    marker = [""]

    def line(text: str, item: bool = False) -> None:
        """One block's text as lines: a list item, or a paragraph and a blank line."""
        if marker[0] or item:
            lines.append(_item(" ".join(f"{marker[0]} {text}".split())))
            marker[0] = ""
        else:
            lines.extend([*text.split("\n"), ""])

    def emit(e: Any, page: int | None, parent: str, item: bool = False) -> None:
        """Lines for `e`; `item` when `e` is (the body of) an item of a list.

        A definition list is tagged as L > Div > LI; only an LI right under an L is a
        list item, the others are a label and its value.
        """
        item = (kind(e) == "LI" and parent == "L" and not is_term(e, page)) or (
            item and kind(e) == "LBody"
        )
        if kind(e) == _TABLE:
            tables.append(table(e, page))
            lines.extend(["", f"{TABLE_MARK}{len(tables) - 1}", ""])
            return
        if item and kind(e) == "LI" and simple(e):
            # The item's marker and text are tagged apart; blocks() puts them together.
            for b in blocks(e, page):
                lines.append(_item(" ".join(b.text().split("\n"))))
            return
        if has_block(e):
            # Text beside the blocks (inline elements, or marked content straight in
            # `e`): each run of it is one paragraph.
            run: list[Any] = []

            def flush() -> None:
                for b in blocks({"/K": run[:]}, page):
                    line(b.text())
                run.clear()

            for k in kids(e):
                obj = k if isinstance(k, int) else k.get_object()
                if isinstance(obj, int) or not hasattr(obj, "get") or "/S" not in obj:
                    run.append(k)
                    continue
                if item and kind(e) == "LI" and kind(obj) == "Lbl":
                    label = _Block()
                    collect(obj, page_of(obj, page), label)
                    if _MARKER_ONLY.match(label.text()):
                        marker[0] = label.text().strip()
                        continue
                if kind(obj) in _INLINE and not has_block(obj):
                    run.append(k)
                    continue
                flush()
                emit(obj, page_of(obj, page), kind(e), item)
            flush()
            marker[0] = ""  # an item without text after its marker
            return
        for b in blocks(e, page):
            line(b.text(), item)

    def table(e: Any, page: int | None) -> Table:
        rows: list[list[list[str]]] = []
        caption = ""

        def walk(x: Any, pg: int | None) -> None:
            nonlocal caption
            for k in kids(x):
                if isinstance(k, int):
                    continue
                k = k.get_object()
                if not hasattr(k, "get") or "/S" not in k:
                    continue
                if kind(k) == "Caption":
                    caption = " ".join(b.text() for b in blocks(k, page_of(k, pg)))
                elif kind(k) == "TR":
                    rows.append(
                        [
                            [b.text() for b in blocks(c, page_of(c, pg))]
                            for c in kids(k)
                            if not isinstance(c, int) and kind(c.get_object()) in ("TH", "TD")
                        ]
                    )
                else:
                    walk(k, page_of(k, pg))

        walk(e, page)
        return Table(caption=caption, rows=rows)

    top = tree.get("/K")
    for k in top if isinstance(top, list) else [top]:
        k = k.get_object()
        if hasattr(k, "get") and "/S" in k:
            emit(k, page_of(k, None), "")
    if not any(line.strip() for line in lines):
        return None
    # Running footers are marked content that the tree does not point to.
    for frags in marked.values():
        footers.extend(f.text for f in frags if _FOOTER.match(f.text))
    lines.extend(footers)
    return Doc([lines], tables=tables)


def _uri(link: Any) -> str | None:
    """The web or e-mail address a Link element points to, through its annotation."""
    for k in link.get("/K") if isinstance(link.get("/K"), list) else [link.get("/K")]:
        obj = k.get_object() if hasattr(k, "get_object") else k
        if not hasattr(obj, "get") or obj.get("/Type") != "/OBJR":
            continue
        annot = obj.get("/Obj")
        action = annot.get_object().get("/A") if annot is not None else None
        uri = action.get_object().get("/URI") if action is not None else None
        if uri is not None:
            text = str(uri)
            if text.startswith(("http://", "https://", "mailto:")):
                # The address is printed percent-encoded («milj%C3%B8»); the member
                # wrote the letters.
                plain = unquote(text)
                return text if re.search(r"[\s\x00-\x1f\x7f<>]", plain) else plain
    return None


def _item(text: str) -> str:
    """A list item as Markdown: its printed marker (• or 1.) becomes - or 1."""
    m = _MARKER.match(text)
    if m and m.group("n"):
        return f"{m.group('n')}. {m.group('rest')}"
    if m:
        return "- " + m.group("rest")
    return "- " + text
