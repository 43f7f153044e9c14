"""Accessibility of the built report: the PDF's structure tree (PDF/UA-1 rules a machine
can check) and the HTML's keyboard and small-screen promises (WCAG 2.1 AA).

The example is printed once for the module. The structure tree is read with pikepdf.
"""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pikepdf
import pytest
from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.pdftags import finish_tags

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ntnu-2024.yaml"

runner = CliRunner()


def _build(out: Path, *flags: str) -> None:
    result = runner.invoke(
        app,
        ["build", *flags, "-o", str(out), str(EXAMPLE)],
        catch_exceptions=False,
        env={"GITHUB_ACTIONS": ""},
    )
    assert result.exit_code == 0, result.output


@pytest.fixture(scope="module")
def ntnu_pdf(tmp_path_factory: pytest.TempPathFactory) -> pikepdf.Pdf:
    out = tmp_path_factory.mktemp("a11y-pdf")
    _build(out, "--pdf")
    return pikepdf.open(out / "ntnu-2024.pdf")


@pytest.fixture(scope="module")
def ntnu_html(tmp_path_factory: pytest.TempPathFactory) -> str:
    out = tmp_path_factory.mktemp("a11y-html")
    _build(out, "--html")
    return (out / "ntnu-2024.html").read_text(encoding="utf-8")


# -- reading the structure tree ------------------------------------------------------


def tag(element: pikepdf.Dictionary) -> str:
    return str(element.get("/S", ""))[1:]


def kids(element: pikepdf.Dictionary) -> list[pikepdf.Dictionary]:
    k = element.get("/K")
    if k is None:
        return []
    items = list(k) if isinstance(k, pikepdf.Array) else [k]
    return [x for x in items if isinstance(x, pikepdf.Dictionary) and "/S" in x]


def walk(
    element: pikepdf.Dictionary, parents: tuple[str, ...] = ()
) -> Iterator[tuple[pikepdf.Dictionary, tuple[str, ...]]]:
    """Every element under `element` with the tags of its ancestors, nearest last."""
    for kid in kids(element):
        yield kid, parents
        yield from walk(kid, (*parents, tag(kid)))


def elements(pdf: pikepdf.Pdf) -> list[tuple[pikepdf.Dictionary, tuple[str, ...]]]:
    return list(walk(pdf.Root.StructTreeRoot))


# -- the PDF's structure tree --------------------------------------------------------


def test_list_items_sit_only_in_lists(ntnu_pdf: pikepdf.Pdf) -> None:
    for element, parents in elements(ntnu_pdf):
        if tag(element) == "LI":
            assert parents[-1] == "L", parents


def test_lists_hold_only_list_items(ntnu_pdf: pikepdf.Pdf) -> None:
    # The theme chips of 2.A.3 included: no whitespace text between the items.
    for element, parents in elements(ntnu_pdf):
        if tag(element) == "L":
            assert {tag(k) for k in kids(element)} <= {"LI", "L", "Caption"}, parents


def test_definition_lists_pair_each_term_with_its_description(ntnu_pdf: pikepdf.Pdf) -> None:
    # A <dt>/<dd> pair is one list item: the term its label, the description its body.
    cards = [e for e, _ in elements(ntnu_pdf) if tag(e) == "Art"]
    assert len(cards) == 4
    for card in cards:
        lists = [e for e, _ in walk(card) if tag(e) == "L"]
        assert len(lists) == 1
        items = kids(lists[0])
        assert [[tag(k) for k in kids(i)] for i in items] == [["Lbl", "LBody"]] * 5


def test_no_link_inside_a_link(ntnu_pdf: pikepdf.Pdf) -> None:
    links = [parents for e, parents in elements(ntnu_pdf) if tag(e) == "Link"]
    assert len(links) > 25
    for parents in links:
        assert "Link" not in parents, parents


def test_contents_page_numbers_stand_outside_the_links(ntnu_html: str) -> None:
    contents = ntnu_html.split('<nav class="contents"', 1)[1].split("</nav>", 1)[0]
    entries = re.findall(r'<a href="(#[^"]+)">.*?</a>(<span class="toc-page"[^>]*>)?', contents)
    assert len(entries) == contents.count("<a ") > 20
    for href, page in entries:
        assert page == f'<span class="toc-page" data-target="{href}">', href
    css = stylesheets(ntnu_html)
    assert "target-counter(attr(data-target), page)" in css
    assert "::after" not in css.split(".toc", 1)[1].split("/* ---------- foreword", 1)[0]


def test_table_header_cells_have_a_scope(ntnu_pdf: pikepdf.Pdf) -> None:
    scopes: dict[str, set[str]] = {"THead": set(), "TBody": set()}
    count = 0
    for element, parents in elements(ntnu_pdf):
        if tag(element) != "TH":
            continue
        count += 1
        scope = str(element.A.get("/Scope", ""))
        assert scope in ("/Column", "/Row"), parents
        scopes[parents[-2]].add(scope)
    assert count > 20
    assert scopes == {"THead": {"/Column"}, "TBody": {"/Row"}}


def test_every_id_is_in_the_id_tree(ntnu_pdf: pikepdf.Pdf) -> None:
    tree = ntnu_pdf.Root.StructTreeRoot
    with_id = {bytes(e.ID): e for e, _ in elements(ntnu_pdf) if "/ID" in e}
    assert with_id
    names = tree.IDTree.Names
    keys = [bytes(names[i]) for i in range(0, len(names), 2)]
    assert keys == sorted(keys) and set(keys) == set(with_id)
    for i in range(0, len(names), 2):
        assert names[i + 1].objgen == with_id[bytes(names[i])].objgen
    # Data cells point at header cells that exist.
    for element, _ in elements(ntnu_pdf):
        if tag(element) == "TD":
            for ref in element.A.get("/Headers", []):
                assert bytes(ref) in with_id


def test_running_footer_is_an_artifact(ntnu_pdf: pikepdf.Pdf) -> None:
    reachable = {e.objgen for e, _ in elements(ntnu_pdf)}
    nums = ntnu_pdf.Root.StructTreeRoot.ParentTree.Nums
    for i in range(0, len(nums), 2):
        owners = nums[i + 1]
        for owner in owners if isinstance(owners, pikepdf.Array) else [owners]:
            # Every marked content belongs to an element of the tree, or to none.
            assert owner is None or owner.objgen in reachable
    for number, page in enumerate(ntnu_pdf.pages, start=1):
        content = page.Contents.read_bytes()
        footers = len(
            re.findall(rb"/Artifact\s*<</Type /Pagination\s*/Subtype /Footer>>\s*BDC", content)
        )
        if number <= 3 or number == len(ntnu_pdf.pages):  # cover, EHN's pages, back page
            assert footers == 0, number
        else:
            assert footers >= 1, number


def test_parent_tree_points_each_marked_content_at_the_element_holding_it(
    ntnu_pdf: pikepdf.Pdf,
) -> None:
    nums = ntnu_pdf.Root.StructTreeRoot.ParentTree.Nums
    by_key = {int(nums[i]): nums[i + 1] for i in range(0, len(nums), 2)}
    checked = 0
    for page in ntnu_pdf.pages:
        owners = by_key[int(page.obj.StructParents)]
        for mcid, owner in enumerate(owners):
            if owner is None:
                continue
            held = owner.K if isinstance(owner.K, pikepdf.Array) else [owner.K]
            assert mcid in [int(k) for k in held if isinstance(k, int)], (page.index, mcid)
            assert owner.Pg.objgen == page.obj.objgen
            checked += 1
    assert checked > 1000


def test_text_runs_are_not_one_element_each(ntnu_pdf: pikepdf.Pdf) -> None:
    # WeasyPrint gives every run of text a Span, one per leader dot in the contents;
    # under a NonStruct the text is held directly, which keeps the tree small.
    contents = next(
        e
        for e, _ in elements(ntnu_pdf)
        if tag(e) == "L" and any(tag(x) == "Link" for x, _ in walk(e))
    )
    assert sum(1 for _ in walk(contents)) < 250
    assert len(elements(ntnu_pdf)) < 2000


def test_finishing_leaves_untagged_files_alone_and_is_reproducible() -> None:
    from weasyprint import HTML  # type: ignore[import-untyped]

    page = (
        '<html lang="nb"><head><title>t</title></head><body><dl><div><dt>Navn</dt>'
        "<dd>NTNU</dd></div></dl><table><thead><tr><th>A</th></tr></thead><tbody><tr>"
        "<td>1</td></tr></tbody></table></body></html>"
    )
    untagged = HTML(string=page).write_pdf(pdf_identifier=b"x")
    assert HTML(string=page).write_pdf(pdf_identifier=b"x", finisher=finish_tags) == untagged
    first, second = (
        HTML(string=page).write_pdf(pdf_identifier=b"x", pdf_tags=True, finisher=finish_tags)
        for _ in range(2)
    )
    assert first == second
    with pikepdf.open(io.BytesIO(first)) as pdf:
        items = [e for e, _ in elements(pdf) if tag(e) == "LI"]
        assert [[tag(k) for k in kids(i)] for i in items] == [["Lbl", "LBody"]]
        assert "/IDTree" in pdf.Root.StructTreeRoot


# -- text that extractors can read ----------------------------------------------------


def stylesheets(page: str) -> str:
    return "\n".join(re.findall(r"<style[^>]*>(.*?)</style>", page, flags=re.DOTALL))


def test_letter_spacing_keeps_words_together(ntnu_html: str) -> None:
    # With more than about 0.05em between letters, pdftotext and copy-and-paste read
    # "T R I N N 2"; the uppercase labels are tracked by at most 0.04em.
    spacings = re.findall(r"letter-spacing:\s*([-\d.]+)(em|rem|pt|px)?", stylesheets(ntnu_html))
    assert spacings
    for value, unit in spacings:
        assert float(value) <= 0.04 and unit in ("em", ""), (value, unit)


def test_pdf_text_has_no_letter_spaced_words(ntnu_pdf: pikepdf.Pdf) -> None:
    if shutil.which("pdftotext") is None:
        pytest.skip("pdftotext (poppler-utils) is not installed")
    text = subprocess.run(
        ["pdftotext", ntnu_pdf.filename, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert re.search(r"(?:\b\w ){3,}\w\b", text) is None
    for words in ("TRINN 2", "PRIORITERT RISIKO 1 AV 4", "RAPPORT TIL ETISK HANDEL NORGE"):
        assert words in text


# -- the HTML ------------------------------------------------------------------------


def test_labels_end_with_a_colon_as_norwegian_writes_it(ntnu_html: str) -> None:
    # "Mål:", "Status:" – no space before the colon.
    assert " :</dt>" not in ntnu_html
    assert "<dt>Mål:</dt>" in ntnu_html and "<dt>Status:</dt>" in ntnu_html


def test_card_fields_with_the_same_label_have_short_names(ntnu_html: str) -> None:
    card = ntnu_html.split('<article class="card" id="kort-1"', 1)[1].split("</article>", 1)[0]
    names = re.findall(r'<dt><span class="card-field-name">([^<]+)</span> ([^<]+):</dt>', card)
    assert [n for n, _ in names] == ["Tiltak", "Resultater og planer"]
    assert names[0][1] == names[1][1]  # the form's own wording, printed twice


def test_table_scroll_boxes_are_named_keyboard_regions(ntnu_html: str) -> None:
    boxes = re.findall(r'<div class="table-wrap"([^>]*)>\s*<table', ntnu_html)
    assert len(boxes) == ntnu_html.count("<table")
    names = []
    for attrs in boxes:
        assert 'role="region"' in attrs and 'tabindex="0"' in attrs, attrs
        label = re.search(r'aria-label="([^"]+)"', attrs)
        labelledby = re.search(r'aria-labelledby="([^"]+)"', attrs)
        if label:
            names.append(label.group(1))
        else:
            assert labelledby, attrs
            caption = re.search(rf'<caption id="{labelledby.group(1)}">(.*?)</caption>', ntnu_html)
            assert caption, labelledby.group(1)
            names.append(caption.group(1))
    assert len(set(names)) == len(names), names  # each box has its own name
    assert "2.A.2 Etiske/sosiale krav i anskaffelsesprosessen" in names
    assert "Egenrapportering av leverandører" in names and "Revisjon" in names


def test_skip_link_comes_first_and_leads_to_the_main_content(ntnu_html: str) -> None:
    body = ntnu_html.split("<body", 1)[1].split(">", 1)[1]
    assert body.lstrip().startswith('<a class="skip-link" href="#rapport">Gå til rapporten</a>')
    assert '<main id="rapport">' in ntnu_html
    css = stylesheets(ntnu_html)
    assert ".skip-link:focus" in css  # visible when it has focus
    assert re.search(r"@media print \{[^@]*\.skip-link \{ display: none; \}", css)


def test_skip_link_is_not_in_the_pdf(ntnu_pdf: pikepdf.Pdf) -> None:
    first = ntnu_pdf.pages[0]
    targets = [str(a.get("/Dest", "")) for a in first.obj.get("/Annots", [])]
    assert "rapport" not in targets


# -- layout rules ----------------------------------------------------------------------


def rules(css: str, selector: str) -> str:
    """The declarations of every rule whose selector list contains `selector`."""
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    found = [
        body
        for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css)
        if selector in [s.strip() for s in selectors.split(",")]
    ]
    assert found, selector
    return ";".join(found)


def test_headings_labels_and_captions_keep_with_what_follows(ntnu_html: str) -> None:
    css = stylesheets(ntnu_html)
    for selector in ("h4", "dt", "caption", ".subheading", ".question-label", ".card-kicker"):
        assert "break-after: avoid" in rules(css, selector), selector


def test_number_columns_are_as_narrow_as_their_content(ntnu_html: str) -> None:
    css = stylesheets(ntnu_html)
    nr = rules(css, ".col-nr")
    assert "width: 1%" in nr and "white-space: nowrap" in nr
    # No wider rule of a table reaches the number column.
    assert '.deviations th[scope="col"] {' not in css
    # The 4.A.2 tables share one column grid.
    counts = rules(css, ".counts")
    assert "table-layout: fixed" in counts and "width: 60%" in counts
    assert "width: 11rem" in rules(css, ".counts th:first-child")


def test_footer_reads_member_and_page_without_a_leading_bar(ntnu_pdf: pikepdf.Pdf) -> None:
    from pypdf import PdfReader

    reader = PdfReader(ntnu_pdf.filename)
    for number in (4, 5, 17):
        last = reader.pages[number - 1].extract_text().rstrip().splitlines()[-1]
        assert re.sub(r"\s+", " ", last) == f"NTNU | {number}", last


def test_wide_tables_show_focus_and_a_scroll_hint_on_narrow_screens(ntnu_html: str) -> None:
    screen = ntnu_html.split('<style media="screen">', 1)[1].split("</style>", 1)[0]
    assert "outline: 2px solid" in rules(screen, ".table-wrap:focus")
    narrow = screen.split("@media (max-width: 40rem)", 1)[1]
    assert "rull sideveis" in narrow and "overflow-x: auto" in rules(screen, ".table-wrap")
    assert "hyphens: auto" in narrow
    assert "overflow-wrap: break-word" in rules(screen, "h2")
