"""The messages of preview, diff, next-year, init and import, in every language."""

from __future__ import annotations

import io
import re
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from ehnreport import diff, messages, preview
from ehnreport.diff import Change, as_html, as_text, read_report
from ehnreport.errors import BuildError, InputFileError, UserError
from ehnreport.importer import formview, import_report, summary
from ehnreport.importer.pdftext import pdf_doc
from ehnreport.importer.writer import write_checked
from ehnreport.messages import render, sources
from ehnreport.nextyear import next_year
from ehnreport.scaffold import scaffold

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).parent / "data"
MINIMAL = DATA / "build" / "minimal" / "report.yaml"
HAVBRUA = DATA / "import" / "havbrua.txt"

# The modules whose sentences tools.yaml and importer.yaml hold.
MODULES = [
    ROOT / "ehnreport" / name
    for name in (
        "preview.py",
        "watch.py",
        "export.py",
        "overview.py",
        "diff.py",
        "nextyear.py",
        "yamlwriter.py",
        "scaffold.py",
    )
] + sorted((ROOT / "ehnreport" / "importer").glob("*.py"))
_KEY = re.compile(r"""["']((?:tools|importer)\.[a-z0-9][a-z0-9._-]*)["']""")


@pytest.fixture
def lang() -> Iterator[None]:
    """Messages in the language a test chooses; nb again afterwards."""
    yield
    messages.choose(messages.DEFAULT)


def _used() -> set[str]:
    return {key for path in MODULES for key in _KEY.findall(path.read_text(encoding="utf-8"))}


def test_every_key_the_tools_use_is_in_the_catalog_and_every_one_is_used():
    used = _used()
    assert used, "the pattern finds no key"
    catalog = messages.catalog()
    assert sorted(k for k in used if k not in catalog) == []
    ours = {k for k in sources.read() if k.startswith(("tools.", "importer."))}
    # A singular form is used through its sentence (messages.render picks it for count=1).
    assert sorted(k for k in ours - used if k.removesuffix("-one") not in used) == []


def _both(m: object) -> tuple[str, str]:
    assert isinstance(m, messages.Msg)
    return render(m, "en"), render(m, "nn")


# -- preview ------------------------------------------------------------------------


def test_a_port_in_use_is_said_in_english_and_nynorsk(tmp_path):
    taken = socket.socket()
    taken.bind((preview.HOST, 0))
    taken.listen()
    port = taken.getsockname()[1]
    page = preview.Preview(MINIMAL, tmp_path, pdf=False)
    try:
        with pytest.raises(preview.PortInUse) as caught:
            preview.PreviewServer((preview.HOST, port), page)
    finally:
        taken.close()
        page.close()
    en, nn = _both(caught.value.msg)
    assert en.startswith(f"port {port} on 127.0.0.1 is already in use by another program.")
    assert "for example “--port" in en
    assert nn.startswith(f"port {port} på 127.0.0.1 er alt i bruk av eit anna program.")
    assert "Vel ein annan port, til dømes «--port" in nn


def test_a_bad_save_is_logged_and_shown_in_the_chosen_language(tmp_path, lang):
    report = tmp_path / "report.yaml"
    report.write_text("report: [\n", encoding="utf-8")
    said: list[str] = []
    messages.choose("en")
    page = preview.Preview(report, tmp_path, pdf=False, log=said.append)
    try:
        page.refresh([str(report)])
        body = page.page()
    finally:
        page.close()
    assert said[0].endswith("] changed: report.yaml; not shown; the previous version is shown.")
    # The page's strip and the words its script shows come from the catalog.
    assert '<html lang="en">' in body and "<title>Preview</title>" in body
    heading = "The last save cannot be shown. The page below is the previous valid version."
    assert f"<h2>{heading}</h2>" in body and f'data-heading="{heading}"' in body
    assert 'data-offline="No connection to ehnreport preview; trying again …"' in body
    assert "Preview of report.yaml." in body
    assert "Forhåndsvisning" not in body and "Siste lagring" not in body
    messages.choose("nn")
    nn = preview._bar(1, ["x"], True, "", "r.yaml", "r.pdf")
    assert "Den siste lagringa kan ikkje visast." in nn and "Opne PDF-en" in nn


def test_the_script_holds_no_words_of_its_own():
    script = (ROOT / "ehnreport" / "preview.js").read_text(encoding="utf-8")
    assert "data-heading" in script and "data-offline" in script
    assert not re.search(r"textContent = \"", script)


# -- diff ---------------------------------------------------------------------------


def test_a_file_that_is_not_a_report_is_said_in_english_and_nynorsk(tmp_path):
    path = tmp_path / "list.yaml"
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        read_report(path, io.StringIO())
    en, nn = _both(caught.value.msg)
    assert en == f"{path}: is not a report."
    assert nn == f"{path}: er ikkje ein rapport."
    with pytest.raises(InputFileError) as from_stdin:
        read_report(None, io.StringIO("7\n"))
    assert _both(from_stdin.value.msg) == (
        "standard input: is not a report.",
        "standard inn: er ikkje ein rapport.",
    )


def test_the_diff_words_follow_the_chosen_language(lang):
    change = Change("q", "2.A.3", "Prioriterte risikoer", "steps.step2.a3", "rows")
    change.added, change.removed = ["Transport"], ["Kaffe"]
    change.changed = [
        Change("q", "2.A.3", "", "steps.step2.a3[Tekstil].why", "value", old="a", new=None)
    ]
    nb = as_text([change], "gammel.yaml", "ny.yaml")
    assert "  + lagt til: «Transport»\n  - fjernet: «Kaffe»\n" in nb
    assert "~ [Tekstil].why: «a» → (tomt)" in nb
    messages.choose("en")
    en = as_text([change], "old.yaml", "new.yaml")
    assert en.startswith("Changes from old.yaml to new.yaml: 1 question or field.\n")
    assert "  + added: “Transport”\n  - removed: “Kaffe”\n" in en
    assert "~ [Tekstil].why: “a” → (empty)" in en
    assert as_text([], "a", "b") == "No changes between a and b.\n"
    messages.choose("nn")
    page = as_html([change], "a.yaml", "b.yaml")
    assert '<html lang="nn">' in page and "<h1>Endringar frå a.yaml til b.yaml</h1>" in page
    assert "{+ lagd til: Transport +}" in page and "endra: [Tekstil].why" in page
    assert "Ingen endringar." in as_html([], "a", "b")
    # The machine format keeps its keys and values whatever the language.
    in_nynorsk = diff.as_json([change], "a", "b")
    messages.choose("nb")
    assert diff.as_json([change], "a", "b") == in_nynorsk


def test_the_diff_headings_are_the_forms_labels_in_the_chosen_language(lang):
    text = MINIMAL.read_text(encoding="utf-8")
    old = read_report(MINIMAL, io.StringIO())
    new = read_report(None, io.StringIO(text.replace("employees: 1200", "employees: 1300")))
    changes = diff.diff(old, new)
    as_json = diff.as_json(changes, "a", "b")
    heading = "{}: Antall ansatte"
    assert heading.format("Nøkkelinformasjon om virksomheten og leverandørkjeden") in as_text(
        changes, "a", "b"
    )
    messages.choose("en")
    en = as_text(changes, "a", "b")
    assert "Key information about the organisation and the supply chain: Number of employees" in en
    assert "Antall" not in en and "Number of employees" in as_html(changes, "a", "b")
    messages.choose("nn")
    assert "Nøkkelinformasjon om verksemda og leverandørkjeda: Tal på tilsette" in as_text(
        changes, "a", "b"
    )
    # The machine format says the edition's own label whatever the language.
    assert diff.as_json(changes, "a", "b") == as_json
    assert (
        '"label": "Nøkkelinformasjon om virksomheten og leverandørkjeden: Antall ansatte"'
        in as_json
    )


# -- next-year ----------------------------------------------------------------------


def test_the_draft_of_an_english_report_is_commented_in_english(tmp_path):
    source = tmp_path / "r-2024.yaml"
    text = MINIMAL.read_text(encoding="utf-8")
    source.write_text(
        text.replace("  form: ehn-public-2024\n", "  form: ehn-public-2024\n  language: en\n"),
        encoding="utf-8",
    )
    draft, target = next_year(source)
    assert target.name == "r-2025.yaml"
    assert "# Report to Ethical Trade Norway (EHN) for 2025: Eksempel kommune." in draft.text
    assert "Draft made with “ehnreport next-year” from r-2024.yaml." in draft.text
    assert "Last year's text (2024); update it for 2025." in draft.text
    assert "Fjorårets" not in draft.text and "Utkast" not in draft.text
    nn = tmp_path / "n-2024.yaml"
    nn.write_text(
        text.replace("  form: ehn-public-2024\n", "  form: ehn-public-2024\n  language: nn\n"),
        encoding="utf-8",
    )
    assert "Teksten frå i fjor (2024); oppdater han for 2025." in next_year(nn)[0].text


# -- init ---------------------------------------------------------------------------


def test_a_year_and_a_short_name_init_cannot_take(lang):
    with pytest.raises(ValueError) as caught:
        scaffold("Eksempel kommune", 1999)
    (m,) = caught.value.args
    assert _both(m) == (
        "1999 is not a possible reporting year. Write the year with four digits, such as 2024.",
        "1999 er ikkje eit mogleg rapporteringsår. Skriv året med fire siffer, som 2024.",
    )
    messages.choose("en")
    with pytest.raises(ValueError, match=r"^the organisation's name cannot be empty\.$"):
        scaffold("   ", 2024)
    with pytest.raises(ValueError, match="the short name “x+” is 41 characters"):
        scaffold("Eksempel kommune", 2024, "x" * 41)


# -- import -------------------------------------------------------------------------


def test_places_to_check_are_listed_in_the_users_language_and_marked_in_the_reports(lang):
    result = import_report(HAVBRUA)
    # The file is the report: its comments are in the report's language (nb here).
    assert "# SJEKK: rad 1: «Delvis» er verken Ja eller Nei." in result.text
    messages.choose("en")
    en = summary(result)
    assert en[0].startswith("Questions answered: step 1 3/8, step 2 3/4,")
    assert en[1] == "Places to check (3), marked SJEKK in the file:"
    assert "  steps.step2.a2: row 1: “Delvis” is neither Yes nor No." in en
    # What the importer could not tell stays a plain «could not tell» in English.
    assert any("does not give the reporting year" in line and "not read" in line for line in en)
    messages.choose("nn")
    nn = summary(result)
    assert nn[1] == "Stader å sjekke (3), merkte SJEKK i fila:"
    assert "  steps.step1.a1: svaret er ikkje ei nettadresse; skriv adressa inn." in nn


def test_a_text_that_is_no_report_and_a_damaged_pdf(tmp_path):
    text = tmp_path / "brev.txt"
    text.write_text("Hei,\nher er et brev.\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        import_report(text, year=2024)
    en, nn = _both(caught.value.msg)
    assert en == f"{text}: found none of the form's labels in the text; is this a report to EHN?"
    assert nn.startswith(f"{text}: fann ingen av ledetekstane frå skjemaet i teksten;")
    with pytest.raises(InputFileError) as damaged:
        pdf_doc(b"%PDF-1.7\nnot really\n", "x.pdf")
    assert _both(damaged.value.msg) == (
        "x.pdf: the PDF cannot be read; it is damaged or not a PDF.",
        "x.pdf: PDF-en kan ikkje lesast; han er skadd eller ikkje ein PDF.",
    )
    with pytest.raises(InputFileError) as unknown:
        formview.edition("ehn-none-1999")
    en, nn = _both(unknown.value.msg)
    assert en.startswith("unknown form edition “ehn-none-1999”. Known: ehn-public-2024")
    assert nn.startswith("ukjend skjemautgåve «ehn-none-1999». Kjende: ")


def test_a_report_that_cannot_be_written_is_said_in_english_and_nynorsk(tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("", encoding="utf-8")
    with pytest.raises(BuildError) as caught:
        write_checked(blocker / "r.yaml", "report: {}\n")
    en, nn = _both(caught.value.msg)
    assert re.fullmatch(rf"{re.escape(str(blocker))}: cannot write here \(.+\)\.", en)
    assert re.fullmatch(rf"{re.escape(str(blocker))}: kan ikkje skrive hit \(.+\)\.", nn)
    target = tmp_path / "r.yaml"
    with pytest.raises(BuildError) as invalid:
        write_checked(target, "report: {}\n")
    en = render(invalid.value.msg, "en")
    assert en.startswith(f"{target}: the report that was made is not valid (")
    assert en.endswith("); nothing was written. Please report this.")
    assert not target.exists()


def test_str_of_an_error_is_its_sentence_in_the_chosen_language(lang):
    err: UserError = InputFileError(messages.msg("importer.bad-year", year=1800))
    assert str(err) == "1800 er ikke et mulig rapporteringsår. Skriv det som 2024."
    messages.choose("en")
    assert str(err) == "1800 is not a possible reporting year. Write it as 2024."


def test_a_text_over_the_cap_names_the_cap_as_each_language_writes_numbers(tmp_path):
    from ehnreport.errors import InputFileError
    from ehnreport.importer import MAX_TEXT, read_doc

    # Characters, not bytes: «ø» is two bytes, so the file stays under the byte cap.
    source = tmp_path / "rapport.txt"
    source.write_text("ø" * (MAX_TEXT + 1), encoding="utf-8")
    with pytest.raises(InputFileError) as info:
        read_doc(source)
    said = info.value.msg
    assert said.text("nb").endswith(": teksten er lengre enn 2 097 152 tegn.")
    assert said.text("nn").endswith(": teksten er lengre enn 2 097 152 teikn.")
    assert said.text("en").endswith(": the text is longer than 2,097,152 characters.")
    # One character fewer is read.
    source.write_text("ø" * MAX_TEXT, encoding="utf-8")
    read_doc(source)
