"""`ehnreport import`: a report's answers back from its PDF text, measured answer by answer."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.forms import DEFAULT, load_edition
from ehnreport.importer import formview
from ehnreport.importer.text import markdown, unwrap
from ehnreport.loader import load_file
from ehnreport.validate import check_file

from .conftest import EXAMPLE, ROOT
from .importcompare import compare_files, leaves

runner = CliRunner()
CORPUS = Path(__file__).parent / "data" / "import"
# The seed lies beside the checkout (../shared/seed/); CI's fresh clone has none.
_SEEDS = [ROOT.parent / "shared", ROOT.parent.parent / "shared"]
SEED = next(
    (p / "seed" / "ntnu-2024.txt" for p in _SEEDS if (p / "seed" / "ntnu-2024.txt").exists()),
    ROOT.parent / "shared" / "seed" / "ntnu-2024.txt",
)


def invoke(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False, env={"GITHUB_ACTIONS": ""})
    assert "Traceback" not in result.output
    return result


def _import(tmp_path: Path, source: Path, *extra: str) -> Path:
    target = tmp_path / (source.stem + ".yaml")
    result = invoke("import", str(source), "-o", str(target), *extra)
    assert result.exit_code == 0, result.output
    return target


# -- the acceptance measures -------------------------------------------------------------


@pytest.mark.skipif(not SEED.exists(), reason="the NTNU seed text is not in this checkout")
def test_seed_import_holds_the_example_answers(tmp_path: Path) -> None:
    target = _import(tmp_path, SEED, "--year", "2024")
    share, missing, extra = compare_files(EXAMPLE, target)
    assert share >= 0.90, missing
    assert len(extra) <= 2, extra
    assert invoke("validate", str(target)).exit_code == 0


CASES = {
    "fjellbygd-2023": (),  # the year is in the text
    "havbrua": ("--year", "2024"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_portal_texts_of_other_members(tmp_path: Path, name: str) -> None:
    target = _import(tmp_path, CORPUS / f"{name}.txt", *CASES[name])
    share, missing, extra = compare_files(CORPUS / f"{name}.yaml", target)
    assert share >= 0.85, missing
    assert extra == []
    checked = invoke("validate", str(target))
    assert checked.exit_code == 0 and " 0 feil" in checked.output


def test_the_corpus_covers_every_kind_of_answer() -> None:
    # The measure above only means something if the expected answers hold each
    # structure: key figures, goals with status, tables, risks, cards, counts.
    paths = set()
    for name in CASES:
        paths |= {
            tuple(str(p) for p in k[:3]) for k in leaves(load_file(CORPUS / f"{name}.yaml").data)
        }
    for wanted in [
        ("procurement", "total_value"),
        ("goals", "current", "0"),
        ("goals", "next_year", "0"),
        ("steps", "step2", "a2"),
        ("steps", "step2", "a3"),
        ("steps", "step3", "a1"),
        ("steps", "step4", "a2"),
        ("steps", "step4", "a3"),
    ]:
        assert any(p[: len(wanted)] == wanted for p in paths), wanted


# -- what is unsure is marked, never dropped ------------------------------------------


def test_unsure_places_are_comments_and_warnings(tmp_path: Path) -> None:
    target = tmp_path / "h.yaml"
    result = invoke("import", str(CORPUS / "havbrua.txt"), "-o", str(target))
    assert result.exit_code == 0, result.output
    text = target.read_text(encoding="utf-8")
    # No year in the text: a placeholder, a comment and a warning.
    assert "report.year" in result.output and "--year" in result.output
    # «Delvis» is neither Ja nor Nei; 1.A.1 is not a web address. Both texts stay.
    assert "«Delvis» er verken Ja eller Nei" in text
    assert "Policyen ligger på nettsidene våre under Om oss." in text
    assert "Steder å sjekke (3)" in result.output
    assert "Besvarte spørsmål: trinn 1 3/8" in result.output


def test_layout_is_the_layout_of_init(tmp_path: Path) -> None:
    target = _import(tmp_path, CORPUS / "fjellbygd-2023.txt")
    text = target.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "    # 2.A.1 Risikokartlegging\n" in text
    assert "    # Veiledning: " in text
    assert "    b1: |\n      Innkjøpsenheten har ansvaret" in text
    # An unanswered question is written as init writes it: an empty block.
    assert "    b3: |\n" in text


# -- text as the member wrote it -------------------------------------------------------


def test_wrapped_lines_are_joined_and_member_breaks_kept() -> None:
    lines = [
        "Dagens policy ble vedtatt i 2018.",
        "Ny policy er under arbeid og skal etter planen vedtas i løpet av tredje kvartal i",
        "2025 av styret.",
    ]
    assert unwrap(lines, 82) == [
        "Dagens policy ble vedtatt i 2018.",
        "Ny policy er under arbeid og skal etter planen vedtas i løpet av tredje kvartal i "
        "2025 av styret.",
    ]


def test_hyphen_at_a_line_end_is_kept() -> None:
    assert unwrap(["redusere 2 tonn CO2-", "ekvivalenter"], 20) == [
        "redusere 2 tonn CO2-ekvivalenter"
    ]
    assert unwrap(["produksjons-", "/verdikjeden"], 20) == ["produksjons-/verdikjeden"]


def test_a_trailing_space_marks_the_members_own_line_end() -> None:
    assert unwrap(["Kurs for alle i seksjonen. ", "etiske retningslinjer"], 30) == [
        "Kurs for alle i seksjonen.",
        "etiske retningslinjer",
    ]


def test_bullets_and_numbers_become_markdown_lists() -> None:
    text = markdown(["Tiltak:", "• første", "• andre som går over", "to linjer", "Slutt."], 25)
    assert text == "Tiltak:\n\n- første\n- andre som går over to linjer\n\nSlutt."
    assert markdown(["1. en", "2. to"], 80) == "1. en\n2. to"
    assert markdown(["*Målene står i planen"], 80) == "\\*Målene står i planen"


# -- the command -------------------------------------------------------------------


def test_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    target = tmp_path / "r.yaml"
    target.write_text("kladd\n", encoding="utf-8")
    result = invoke("import", str(CORPUS / "havbrua.txt"), "-o", str(target))
    assert result.exit_code == 2
    assert "--force" in result.output
    assert target.read_text(encoding="utf-8") == "kladd\n"
    forced = invoke("import", str(CORPUS / "havbrua.txt"), "-o", str(target), "--force")
    assert forced.exit_code == 0
    assert "Havbrua" in target.read_text(encoding="utf-8")


def test_default_output_is_beside_the_current_folder(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = invoke("import", str(CORPUS / "havbrua.txt"), "--year", "2024")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "havbrua.yaml").is_file()


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("Dette er en handleliste.\nMelk\nBrød\n", "ledetekster"),
        (None, "fant ikke"),
    ],
)
def test_bad_sources_exit_2_and_write_nothing(tmp_path: Path, content, message) -> None:
    source = tmp_path / "kilde.txt"
    if content is not None:
        source.write_text(content, encoding="utf-8")
    target = tmp_path / "ut.yaml"
    result = invoke("import", str(source), "-o", str(target))
    assert result.exit_code == 2
    assert message in result.output
    assert not target.exists()
    assert list(tmp_path.iterdir()) == ([source] if content is not None else [])


def test_text_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "latin.txt"
    source.write_bytes("Nøkkelinformasjon".encode("latin-1"))
    result = invoke("import", str(source), "-o", str(tmp_path / "ut.yaml"))
    assert result.exit_code == 2
    assert "UTF-8" in result.output


def test_unknown_form_and_impossible_year_are_usage_errors(tmp_path: Path) -> None:
    source = CORPUS / "havbrua.txt"
    bad_form = invoke("import", str(source), "-o", str(tmp_path / "a.yaml"), "--form", "ehn-1999")
    assert bad_form.exit_code == 2 and "skjemautgave" in bad_form.output
    bad_year = invoke("import", str(source), "-o", str(tmp_path / "b.yaml"), "--year", "24")
    assert bad_year.exit_code == 2 and "rapporteringsår" in bad_year.output
    assert not any(tmp_path.iterdir())


def test_form_picks_the_edition_and_the_year_picks_the_default(tmp_path: Path) -> None:
    from ehnreport import forms

    folder = ROOT / "tests" / "data" / "forms"
    source = CORPUS / "havbrua.txt"
    try:
        target = _import(tmp_path, source, "--forms", str(folder), "--form", "ehn-public-2025")
        assert load_file(target).data["report"]["form"] == "ehn-public-2025"
        assert "# 5.B.1 " in target.read_text(encoding="utf-8")
        assert invoke("validate", "--forms", str(folder), str(target)).exit_code == 0
        # Without --form: the newest edition made for the year or before.
        assert formview.edition_for_year(2024) == "ehn-public-2024"
        assert formview.edition_for_year(2026) == "ehn-public-2025"
        assert formview.edition_for_year(2020) == "ehn-public-2024"
        (tmp_path / "ny").mkdir()
        newer = _import(tmp_path / "ny", source, "--forms", str(folder), "--year", "2025")
        assert load_file(newer).data["report"]["form"] == "ehn-public-2025"
    finally:
        forms.reset_added()


def test_validate_does_not_load_the_importer() -> None:
    code = (
        "import sys\n"
        "from ehnreport.cli import app\n"
        "try:\n"
        f"    app(['validate', r'{EXAMPLE}'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "bad = [m for m in ('pypdf', 'pdfminer', 'ehnreport.importer') if m in sys.modules]\n"
        "print('LOADED', bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert "LOADED []" in out


# -- ehnreport's own PDFs: a round trip through the tagged structure ------------------


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    """Build a PDF from a report file, once per file for the module."""
    out = tmp_path_factory.mktemp("built")
    cache: dict[Path, Path] = {}

    def build(source: Path) -> Path:
        if source not in cache:
            result = invoke("build", "--pdf", "-o", str(out), str(source))
            assert result.exit_code == 0, result.output
            cache[source] = out / f"{source.stem}.pdf"
        return cache[source]

    return build


def _round_trip(tmp_path: Path, source: Path, pdf: Path) -> float:
    target = tmp_path / "tilbake.yaml"
    result = invoke("import", str(pdf), "-o", str(target))
    assert result.exit_code == 0, result.output
    share, missing, extra = compare_files(source, target)
    assert extra == [], extra
    assert share >= 0.95, missing
    return share


def test_round_trip_of_the_example_pdf(tmp_path: Path, built) -> None:
    assert _round_trip(tmp_path, EXAMPLE, built(EXAMPLE)) == 1.0


@pytest.mark.parametrize("seed", [1, 3])
def test_round_trip_of_generated_reports(tmp_path: Path, built, seed: int) -> None:
    # Reports never seen before: every structure filled from a seed, written with the
    # importer's own writer, built to a tagged PDF and read back.
    from ehnreport.importer.writer import report_yaml

    from .reportgen import report

    source = tmp_path / f"generert-{seed}.yaml"
    text = report_yaml(report(seed), EDITION, header=["Generert."])
    source.write_text(text, encoding="utf-8")
    assert invoke("validate", str(source)).exit_code == 0
    _round_trip(tmp_path, source, built(source))


def test_a_damaged_pdf_is_refused(tmp_path: Path) -> None:
    source = tmp_path / "skadet.pdf"
    source.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF\n")
    result = invoke("import", str(source), "-o", str(tmp_path / "ut.yaml"))
    assert result.exit_code == 2
    assert "skadet.pdf" in result.output
    assert not (tmp_path / "ut.yaml").exists()


# -- any text: a valid report or a clear message ---------------------------------------

EDITION = load_edition(DEFAULT)
_TABLES = {q.code: q.table for _, q in EDITION.questions() if q.table is not None}


def _columns(code: str) -> list[str]:
    table = _TABLES[code]
    assert table is not None
    return [formview.column_label(EDITION, c) for c in table.columns]


_LINES = [
    *(f"{v.q.code} {v.label}" for v in formview.questions(EDITION) if v.q.code),
    *(formview.text(EDITION, q.label) for q in formview.part(EDITION, "key_info").questions),
    *(formview.part_title(EDITION, k) for k in ("foreword", "key_info", "procurement", "goals")),
    *(formview.text(EDITION, q.label).upper() for q in formview.part(EDITION, "goals").questions),
    formview.BACK,
    "Mål :",
    "Status :",
    " ".join(_columns("2.A.3")),
    *_columns("2.A.2"),
    *formview.themes(EDITION)[:6],
    "Overordnet mål :",
    "1",
    "2",
    "12 stk Lønn",
    "Ja",
    "Nei",
    "2 500 000",
    "  |  Kortnavn  |   4",
    " Ny side",
    "• punkt",
    "- strek",
    "ord-",
    "«sitat»",
    "https://example.no/a",
    "navn@example.no",
    "",
]


@settings(
    max_examples=25,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.lists(st.one_of(st.sampled_from(_LINES), st.text(max_size=30)), min_size=1, max_size=60))
def test_any_text_gives_a_valid_report_or_a_clear_message(lines: list[str]) -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        source = Path(tmp) / "kilde.txt"
        source.write_text("\n".join(lines), encoding="utf-8", errors="surrogatepass")
        target = Path(tmp) / "ut.yaml"
        result = invoke("import", str(source), "-o", str(target), "--year", "2024")
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 0:
            assert check_file(target).valid
        else:
            assert result.output.startswith("ehnreport: ") and not target.exists()


def test_an_untagged_pdf_is_read_as_its_text(tmp_path: Path) -> None:
    # The portal's PDFs have no structure tree: their text is read page by page. Here
    # a portal-style text is printed, page by page and untagged, as such a PDF.
    import html as htmllib

    from ehnreport import pdf as _pdf  # imports WeasyPrint with its start-up warning handled

    font = (ROOT / "ehnreport" / "templates" / "fonts" / "EhnreportSans-Regular.ttf").as_uri()
    text = (CORPUS / "fjellbygd-2023.txt").read_text(encoding="utf-8")
    pages: list[list[str]] = [[]]
    for line in text.split("\n"):
        if line.startswith(" ") and not line.startswith("  ") and pages[-1]:
            pages.append([])
        pages[-1].append(line.strip() if not line.startswith("  |") else line)
    body = "".join(
        f'<pre style="break-after: page">{htmllib.escape(chr(10).join(p))}</pre>' for p in pages
    )
    pdf = tmp_path / "portal.pdf"
    style = (
        f"@font-face {{ font-family: S; src: url({font}) }} @page {{ size: A4; margin: 1cm }}"
        "pre { font: 7pt S }"
    )
    page = f"<html><head><style>{style}</style></head><body>{body}</body></html>"
    pdf.write_bytes(_pdf.HTML(string=page).write_pdf())  # no tags: read as plain text
    target = _import(tmp_path, pdf)
    share, missing, extra = compare_files(CORPUS / "fjellbygd-2023.yaml", target)
    assert share >= 0.85, missing
    assert extra == []


def test_never_writes_over_its_own_source(tmp_path: Path) -> None:
    source = tmp_path / "kilde.txt"
    original = (CORPUS / "havbrua.txt").read_text(encoding="utf-8")
    source.write_text(original, encoding="utf-8")
    result = invoke("import", str(source), "-o", str(source), "--force")
    assert result.exit_code == 2 and "kilden selv" in result.output
    assert source.read_text(encoding="utf-8") == original
