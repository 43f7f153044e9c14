"""Completing the tagged PDF's structure tree where WeasyPrint 70 leaves it short.

WeasyPrint tags the PDF from the HTML, and some things come out short of PDF/UA-1:

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

`finish_tags` is WeasyPrint's `finisher`: it runs on the PDF's objects in memory after
WeasyPrint has made them and before they are written, so nothing is parsed or written
twice. It only rearranges the tree WeasyPrint built, in the order WeasyPrint built it,
so the same document still gives the same bytes; the metadata (PDF/A) is untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pydyf  # type: ignore[import-untyped]  # WeasyPrint's PDF writer, no type hints

ARTIFACT = "/Artifact"
FOOTER = {"Type": "/Pagination", "Subtype": "/Footer"}


def finish_tags(document: Any, pdf: Any) -> None:
    """Complete the structure tree of `pdf` (a pydyf.PDF from WeasyPrint) in place."""
    tree = _Tree.of(pdf)
    if tree is None:
        return
    elements = list(tree.elements())
    for element in elements:  # a group emptied by regroup_list has no /S any more
        if element.get("S") == "/L":
            tree.regroup_list(element)
        elif element.get("S") == "/Table":
            tree.scope_headers(element)
    tree.add_id_tree(elements)
    tree.footer_artifacts({id(e) for e in elements})
    tree.merge_bare_spans(elements)


class _Tree:
    """The structure tree of a pydyf PDF, with its objects looked up by reference."""

    def __init__(self, pdf: Any, root: Any, parent_tree: Any):
        self.pdf = pdf
        self.root = root
        self.objects: list[Any] = pdf.objects
        # The parent tree's number tree: key (a page's StructParents) -> owners by MCID.
        nums = parent_tree["Nums"]
        self.owners: dict[int, Any] = {nums[i]: nums[i + 1] for i in range(0, len(nums) - 1, 2)}

    @classmethod
    def of(cls, pdf: Any) -> _Tree | None:
        reference = pdf.catalog.get("StructTreeRoot")
        if reference is None:
            return None
        root = pdf.objects[_number(reference)]
        parent_tree = pdf.objects[_number(root["ParentTree"])]
        return cls(pdf, root, parent_tree)

    def get(self, item: Any) -> Any:
        """The object an item of an array refers to; other items as they are."""
        if isinstance(item, bytes) and item.endswith(b" R"):
            return self.objects[_number(item)]
        return item

    def kids(self, element: Any) -> list[Any]:
        """The structure elements directly under `element` (not its marked content)."""
        found = []
        for item in element.get("K", ()):
            kid = self.get(item)
            if isinstance(kid, dict) and kid.get("Type") == "/StructElem":
                found.append(kid)
        return found

    def elements(self) -> Iterator[Any]:
        """Every structure element reachable from the root, parents before children."""
        stack = list(reversed(self.kids(self.root)))
        while stack:
            element = stack.pop()
            yield element
            stack.extend(reversed(self.kids(element)))

    # -- definition lists ------------------------------------------------------------

    def regroup_list(self, lst: Any) -> None:
        """Replace the `Div` groups of a definition list by list items (`Lbl` + `LBody`)."""
        regrouped = pydyf.Array()
        for item in lst["K"]:
            group = self.get(item)
            items = self.kids(group) if isinstance(group, dict) else []
            if (
                not isinstance(group, dict)
                or group.get("S") != "/Div"
                or not items
                or len(items) != len(group["K"])
                or any(i["S"] != "/LI" for i in items)
            ):
                regrouped.append(item)
                continue
            if len(items) == 2:  # one term and one description: one item
                term, description = items
                for body in self.kids(term):
                    if body["S"] == "/LBody":
                        body["S"] = "/Lbl"
                for body in self.kids(description):
                    body["P"] = term.reference
                    term["K"].append(body.reference)
                term["P"] = lst.reference
                regrouped.append(term.reference)
                description.clear()  # no longer in the tree
            else:  # any other grouping: its items go straight into the list
                for kid in items:
                    kid["P"] = lst.reference
                    regrouped.append(kid.reference)
            group.clear()
        lst["K"] = regrouped

    # -- tables ----------------------------------------------------------------------

    def scope_headers(self, table: Any) -> None:
        """Give every header cell a `/Scope`: Column in the table's head, Row in its body."""
        for section in self.kids(table):
            rows = [section] if section["S"] == "/TR" else self.kids(section)
            scope = "/Column" if section["S"] == "/THead" else "/Row"
            for row in rows:
                cells = self.kids(row)
                row_scope = "/Column" if all(c["S"] == "/TH" for c in cells) else scope
                for cell in cells:
                    if cell["S"] != "/TH":
                        continue
                    attributes = cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))
                    attributes.setdefault("Scope", row_scope)

    def add_id_tree(self, elements: list[Any]) -> None:
        """Add the `/IDTree`: a name tree from each element's `/ID` to the element."""
        named: dict[str, Any] = {}
        for element in elements:
            ident = element.get("ID")
            if isinstance(ident, pydyf.String):
                named.setdefault(str(ident.string), element)
        if not named:
            return
        names = pydyf.Array()
        for key in sorted(named, key=lambda k: k.encode("utf-8")):
            names.append(pydyf.String(key))
            names.append(named[key].reference)
        id_tree = pydyf.Dictionary({"Names": names})
        self.pdf.add_object(id_tree)
        self.root["IDTree"] = id_tree.reference

    # -- the running footer ----------------------------------------------------------

    def footer_artifacts(self, reachable: set[int]) -> None:
        """Mark content tagged for elements outside the tree (the footer) as artifacts."""
        for number in self.pdf.pages["Kids"][::3]:  # pydyf keeps them as n, 0, "R"
            page = self.objects[number]
            owners = self.owners.get(page.get("StructParents"))
            if owners is None:
                continue
            detached = {
                mcid
                for mcid, owner in enumerate(owners)
                if id(self.get(owner)) not in reachable and owner != "null"
            }
            if not detached:
                continue
            content = self.get(page["Contents"])
            found = _mark_artifacts(content.stream, detached)
            for mcid in found:
                self.get(owners[mcid]).clear()  # the detached element, now empty
                owners[mcid] = "null"

    # -- text runs -------------------------------------------------------------------

    def merge_bare_spans(self, elements: list[Any]) -> None:
        """Hold the text of a `NonStruct` directly rather than one `Span` per run.

        A span with no attributes, holding only marked content on its parent's page,
        is replaced by that content, and the parent tree points the content at the
        parent.
        """
        for element in elements:
            if element.get("S") != "/NonStruct" or not element.get("K"):
                continue
            page = element.get("Pg")
            spans = [self.get(item) for item in element["K"]]
            mcids: list[int] = []
            for span in spans:
                content = _bare_span_content(span, page)
                if content is None:
                    break
                mcids.extend(content)
            else:
                owners = self._owners_on(page)
                if owners is None or any(mcid >= len(owners) for mcid in mcids):
                    continue
                element["K"] = pydyf.Array(mcids)
                for mcid in mcids:
                    owners[mcid] = element.reference
                for span in spans:
                    span.clear()

    def _owners_on(self, page_reference: Any) -> Any:
        page = self.get(page_reference)
        key = page.get("StructParents") if isinstance(page, dict) else None
        return self.owners.get(key) if isinstance(key, int) else None


_SPAN_KEYS = {"Type", "S", "P", "K", "Pg"}


def _bare_span_content(span: Any, page: Any) -> list[int] | None:
    """The MCIDs of a `Span` that holds nothing else, on `page`; None for anything else."""
    if not isinstance(span, dict) or span.get("S") != "/Span" or set(span) - _SPAN_KEYS:
        return None
    if span.get("Pg") != page:
        return None
    items = list(span.get("K", ()))
    if not items or not all(isinstance(i, int) for i in items):
        return None
    return items


def _mark_artifacts(stream: list[Any], mcids: set[int]) -> list[int]:
    """Turn the marked-content sequences with these MCIDs into pagination artifacts.

    WeasyPrint opens a sequence by appending the tag's name, the property list
    {MCID: n} and BDC to the page's stream; the first two are replaced.
    """
    found = []
    for index, item in enumerate(stream):
        if (
            isinstance(item, pydyf.Dictionary)
            and item.get("MCID") in mcids
            and index > 0
            and stream[index + 1 : index + 2] == [b"BDC"]
        ):
            found.append(item["MCID"])
            stream[index - 1] = ARTIFACT
            stream[index] = pydyf.Dictionary(FOOTER)
    return found


def _number(reference: bytes) -> int:
    return int(reference.split(b" ", 1)[0])
