"""Completing the tagged PDF's structure tree where WeasyPrint 70 leaves it short.

WeasyPrint tags the PDF from the HTML, and four things come out short of PDF/UA-1:

- a definition list's `<div>` groups become `Div` elements between the list (`L`) and
  its items, so list items sit outside a list; each group is made one list item, its
  term the label (`Lbl`) and its description the body (`LBody`);
- table header cells (`TH`) have no `/Scope`; it is set from where the cell is (in
  the head of the table a column header, in the body a row header), as the templates
  write `scope`;
- header cells carry an `/ID`, which data cells point to with `/Headers`, but there is
  no `/IDTree` to look the IDs up in; it is added;
- the running footer's text is tagged as content of structure elements that are in
  no tree (Kozea/WeasyPrint#1836); it is marked as a pagination artifact instead;
- every run of text has its own `Span`, thousands of them for the contents' leader
  dots; under a `NonStruct` the text is held directly.

The file stays reproducible: the same input bytes give the same output bytes (the
first file identifier is kept, the second one is a hash of the content), and the XMP
metadata with its PDF/A declaration is left as it is.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator

import pikepdf
from pikepdf import Array, Dictionary, Name, Operator


def finish_tags(data: bytes) -> bytes:
    """The PDF `data` with its structure tree completed; untagged input is returned as is."""
    with pikepdf.open(io.BytesIO(data)) as pdf:
        tree = pdf.Root.get("/StructTreeRoot")
        if not isinstance(tree, Dictionary):
            return data
        elements = list(_elements(tree))
        for element in elements:
            if _tag(element) == "/L":
                _regroup_list(element)
        for element in elements:
            if _tag(element) == "/Table":
                _scope_headers(element)
        _id_tree(pdf, tree, elements)
        reachable = {e.objgen for e in elements if e.is_indirect}
        _footer_artifacts(pdf, tree, reachable)
        _merge_bare_spans(pdf, tree, elements)
        out = io.BytesIO()
        pdf.save(out, deterministic_id=True)
        return out.getvalue()


def _tag(element: Dictionary) -> str:
    return str(element.get("/S", ""))


def _kids(element: Dictionary) -> list[Dictionary]:
    """The structure elements directly under `element` (not its marked content)."""
    kids = element.get("/K")
    if kids is None:
        return []
    items = list(kids) if isinstance(kids, Array) else [kids]
    return [k for k in items if isinstance(k, Dictionary) and "/S" in k]


def _elements(tree: Dictionary) -> Iterator[Dictionary]:
    """Every structure element reachable from the tree's root, parents before children."""
    seen: set[tuple[int, int]] = set()
    stack = list(reversed(_kids(tree)))
    while stack:
        element = stack.pop()
        if element.is_indirect:
            if element.objgen in seen:
                continue
            seen.add(element.objgen)
        yield element
        stack.extend(reversed(_kids(element)))


def _regroup_list(lst: Dictionary) -> None:
    """Replace the `Div` groups of a definition list by list items (`Lbl` + `LBody`)."""
    kids = lst.get("/K")
    if not isinstance(kids, Array):
        return
    changed = False
    regrouped: list[pikepdf.Object] = []
    for kid in kids:
        if not (isinstance(kid, Dictionary) and _tag(kid) == "/Div"):
            regrouped.append(kid)
            continue
        group = kid.get("/K")
        if not isinstance(group, Array):
            regrouped.append(kid)
            continue
        items = [i for i in group if isinstance(i, Dictionary)]
        if not items or len(items) != len(group) or any(_tag(i) != "/LI" for i in items):
            regrouped.append(kid)
            continue
        changed = True
        if len(items) == 2:  # one term and one description: one item
            term, description = items
            _label(term)
            for body in _kids(description):
                body.P = term
                term.K.append(body)
            term.P = lst
            regrouped.append(term)
        else:  # any other grouping: its items go straight into the list
            for item in items:
                item.P = lst
                regrouped.append(item)
    if changed:
        lst.K = Array(regrouped)


def _label(item: Dictionary) -> None:
    """Turn the body of a list item made from a `<dt>` into the item's label."""
    for body in _kids(item):
        if _tag(body) == "/LBody":
            body.S = Name.Lbl


def _scope_headers(table: Dictionary) -> None:
    """Give every header cell of `table` a `/Scope`: Column in the head, Row in the body."""
    for section in _kids(table):
        rows = [section] if _tag(section) == "/TR" else _kids(section)
        scope = Name.Column if _tag(section) == "/THead" else Name.Row
        for row in rows:
            cells = _kids(row)
            row_scope = Name.Column if all(_tag(c) == "/TH" for c in cells) else scope
            for cell in cells:
                if _tag(cell) != "/TH":
                    continue
                attributes = cell.get("/A")
                if not isinstance(attributes, Dictionary):
                    attributes = Dictionary(O=Name.Table)
                    cell.A = attributes
                if "/Scope" not in attributes:
                    attributes.Scope = row_scope


def _id_tree(pdf: pikepdf.Pdf, tree: Dictionary, elements: list[Dictionary]) -> None:
    """Add the `/IDTree` (a name tree from each element's `/ID` to the element)."""
    named: dict[bytes, Dictionary] = {}
    for element in elements:
        ident = element.get("/ID")
        if isinstance(ident, pikepdf.String):
            named.setdefault(bytes(ident), element)
    if not named:
        return
    names = Array()
    for key in sorted(named):
        names.append(pikepdf.String(key))
        names.append(named[key])
    tree.IDTree = pdf.make_indirect(Dictionary(Names=names))


def _merge_bare_spans(pdf: pikepdf.Pdf, tree: Dictionary, elements: list[Dictionary]) -> None:
    """Hold the text of a `NonStruct` directly rather than one `Span` per piece of text.

    WeasyPrint wraps every run of text in its own `Span`. Under a `NonStruct` (an
    anonymous box, or generated content such as the contents' leader dots, one run per
    dot) these spans carry nothing a reader needs, and there can be thousands. A span
    with no attributes, holding only marked content on its parent's page, is replaced by
    that content, and the parent tree points the content at the parent.
    """
    parent_tree = tree.get("/ParentTree")
    if not isinstance(parent_tree, Dictionary) or "/Nums" not in parent_tree:
        return
    nums = parent_tree.Nums
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
    marked_on: dict[tuple[int, int], Array] = {}
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        owners = by_key.get(int(key)) if key is not None else None
        if isinstance(owners, Array):
            marked_on[page.obj.objgen] = owners
    for element in elements:
        kids = element.get("/K")
        on = element.get("/Pg")
        if _tag(element) != "/NonStruct" or not isinstance(kids, Array) or on is None:
            continue
        owners = marked_on.get(on.objgen)
        if owners is None or not len(kids):
            continue
        mcids: list[int] = []
        for kid in kids:
            content = _bare_span_content(kid, on)
            if content is None:
                break
            mcids.extend(content)
        else:
            if any(mcid >= len(owners) for mcid in mcids):
                continue
            element.K = Array(mcids)
            for mcid in mcids:
                owners[mcid] = element


_SPAN_KEYS = {"/Type", "/S", "/P", "/K", "/Pg"}


def _bare_span_content(kid: pikepdf.Object, page: pikepdf.Object) -> list[int] | None:
    """The MCIDs of a `Span` that holds nothing else, on `page`; None for any other kid."""
    if not isinstance(kid, Dictionary) or _tag(kid) != "/Span":
        return None
    if set(kid.keys()) - _SPAN_KEYS:
        return None
    kid_page = kid.get("/Pg")
    if kid_page is None or kid_page.objgen != page.objgen:
        return None
    content = kid.get("/K")
    items: list[object] = list(content) if isinstance(content, Array) else [content]
    mcids = [i for i in items if isinstance(i, int)]
    return mcids if mcids and len(mcids) == len(items) else None


def _footer_artifacts(pdf: pikepdf.Pdf, tree: Dictionary, reachable: set[tuple[int, int]]) -> None:
    """Mark content tagged for elements outside the tree (the running footer) as artifacts."""
    parent_tree = tree.get("/ParentTree")
    if not isinstance(parent_tree, Dictionary) or "/Nums" not in parent_tree:
        return
    nums = parent_tree.Nums
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums) - 1, 2)}
    for page in pdf.pages:
        key = page.obj.get("/StructParents")
        marked = by_key.get(int(key)) if key is not None else None
        if not isinstance(marked, Array):
            continue
        detached = {
            mcid
            for mcid, owner in enumerate(marked)
            if isinstance(owner, Dictionary) and owner.is_indirect and owner.objgen not in reachable
        }
        if not detached:
            continue
        _artifact_content(pdf, page, detached)
        for mcid in detached:
            marked[mcid] = pikepdf.Object.parse(b"null")


# WeasyPrint opens each marked-content sequence as "/Tag\n<</MCID n>>\nBDC" and writes
# text as hexadecimal glyph strings, so this pattern cannot match inside shown text.
_BDC = re.compile(rb"/[A-Za-z0-9]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC\b")
_ARTIFACT = b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC"


def _artifact_content(pdf: pikepdf.Pdf, page: pikepdf.Page, mcids: set[int]) -> None:
    """Rewrite the page's marked-content sequences with these MCIDs as pagination artifacts."""
    source = b"".join(stream.read_bytes() for stream in _streams(page))
    found: list[int] = []

    def artifact(match: re.Match[bytes]) -> bytes:
        mcid = int(match.group(1))
        if mcid not in mcids:
            return match.group(0)
        found.append(mcid)
        return _ARTIFACT

    content = _BDC.sub(artifact, source)
    if sorted(found) != sorted(mcids):  # not written the way WeasyPrint writes: parse it
        content = _artifact_parsed(page, mcids)
    page.obj.Contents = pdf.make_stream(content)


def _streams(page: pikepdf.Page) -> list[pikepdf.Stream]:
    contents = page.obj.get("/Contents")
    items = list(contents) if isinstance(contents, Array) else [contents]
    return [c for c in items if isinstance(c, pikepdf.Stream)]


def _artifact_parsed(page: pikepdf.Page, mcids: set[int]) -> bytes:
    """The slow, general way of `_artifact_content`: parse the content, rewrite, unparse."""
    rewritten: list[pikepdf.ContentStreamInstruction | pikepdf.ContentStreamInlineImage] = []
    for instruction in pikepdf.parse_content_stream(page):
        if (
            isinstance(instruction, pikepdf.ContentStreamInstruction)
            and instruction.operator == Operator("BDC")
            and len(instruction.operands) == 2
        ):
            properties = instruction.operands[1]
            if isinstance(properties, Dictionary) and int(properties.get("/MCID", -1)) in mcids:
                instruction = pikepdf.ContentStreamInstruction(
                    [Name.Artifact, Dictionary(Type=Name.Pagination, Subtype=Name.Footer)],
                    Operator("BDC"),
                )
        rewritten.append(instruction)
    return pikepdf.unparse_content_stream(rewritten)
