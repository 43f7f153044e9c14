"""`ehnreport export` and `ehnreport overview`: many reports as data, and one page across them."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.export import COLUMNS, HANDLERS, neutralise
from ehnreport.forms.spec import KINDS

from .conftest import EXAMPLE, ROOT

MEMBER_REPO = ROOT / "examples" / "member-repo" / "report.yaml"
runner = CliRunner()


def invoke(*args: str):
    result = runner.invoke(app, list(args), catch_exceptions=False, env={"GITHUB_ACTIONS": ""})
    assert "Traceback" not in result.output
    return result


def rows_of(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def variant(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    """A copy of the example with some lines replaced (each must match once)."""
    text = EXAMPLE.read_text(encoding="utf-8")
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_every_kind_has_an_export_handler() -> None:
    assert set(HANDLERS) == set(KINDS)


def test_export_gives_rows_for_both_members_with_codes_and_numbers() -> None:
    result = invoke("export", "--format", "jsonl", str(EXAMPLE), str(MEMBER_REPO))
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert all(list(r) == list(COLUMNS) for r in rows)
    assert {r["member"] for r in rows} == {"NTNU", "Eksempel kommune"}
    by = {(r["short_name"], r["question"], r["row"], r["field"], r["item"]): r for r in rows}
    employees = by[("NTNU", "key-info.employees", None, "", None)]
    assert employees["value"] == 8731 and employees["key"] == "key_info.employees"
    total = by[("NTNU", "procurement.total-value", None, "", None)]
    assert total["value"] == 2_500_000_000
    # A table cell: the second 4.A.2 row of NTNU, counted as a number.
    count = by[("NTNU", "step4.contract-follow-up", 2, "count", None)]
    assert count["code"] == "4.A.2" and count["value"] == 120
    # A list inside a row: the themes of the first 2.A.3 risk, one row per theme.
    themes = [r["value"] for r in rows if r["question"] == "step2.prioritised-risks"]
    assert themes[:3] == ["Reiseaktivitet", "Miljø", "Utslipp"]
    assert by[("NTNU", "step2.prioritised-risks", 1, "themes", 2)]["value"] == "Utslipp"
    # Vocabularies by their language-neutral ids.
    assert by[("NTNU", "goals.current", 1, "status", None)]["value"] == "delayed"
    assert by[("NTNU", "goals.current", 2, "status", None)]["value"] == "dropped"
    assert by[("NTNU", "step2.requirements-in-procurement", 1, "award", None)]["value"] == "yes"
    # Every step question is there with its printed code; text keeps its Markdown.
    codes = {r["code"] for r in rows if r["short_name"] == "NTNU"}
    assert {"1.A.2", "2.A.3", "3.A.1", "4.A.2", "5.A.1"} <= codes
    assert "summary: 0 rader" not in result.stderr
    assert re.search(r"\d+ rader fra 2 rapporter\.", result.stderr)


def test_personal_data_is_left_out_unless_asked_for() -> None:
    plain = invoke("export", str(EXAMPLE)).stdout
    assert "@" not in "".join(r["value"] for r in rows_of(plain))
    assert "Wexsahl" not in plain
    assert not {"key-info.email", "contact.email", "key-info.contact"} & {
        r["question"] for r in rows_of(plain)
    }
    full = invoke("export", "--include-personal", str(EXAMPLE)).stdout
    values = {r["question"]: r["value"] for r in rows_of(full)}
    assert values["key-info.email"] == "asbjorn.j.wexsahl@ntnu.no"
    assert values["contact.name"] == "Asbjørn J. Wexsahl"


def test_csv_is_rfc_4180_and_formulas_are_neutralised(tmp_path: Path) -> None:
    hostile = variant(
        tmp_path,
        "hostile.yaml",
        ("  address: Høgskoleringen 1, 7034 Trondheim", "  address: '=HYPERLINK(\"http://x\")'"),
        ("  title: Innkjøpssjef NTNU", "  title: '@SUM(A1:A9)'"),
    )
    target = tmp_path / "data.csv"
    assert invoke("export", "-o", str(target), str(hostile)).exit_code == 0
    text = target.read_bytes().decode("utf-8")
    assert text.startswith(",".join(COLUMNS) + "\r\n")
    # Records end in CRLF and fields are quoted only when they must be: writing the
    # parsed rows again the RFC 4180 way gives the same bytes.
    again = io.StringIO(newline="")
    csv.writer(again, lineterminator="\r\n").writerows(csv.reader(io.StringIO(text, newline="")))
    assert again.getvalue() == text and text.count("\r\n") >= 90
    values = {r["question"]: r["value"] for r in rows_of(text)}
    assert values["key-info.address"] == '\'=HYPERLINK("http://x")'
    assert values["foreword.title"] == "'@SUM(A1:A9)"
    # The quote inside the cell is doubled, as RFC 4180 asks.
    assert '"\'=HYPERLINK(""http://x"")"' in text
    # Numbers are numbers, never neutralised.
    assert neutralise(-5) == -5 and neutralise("-5 stk") == "'-5 stk"
    assert [neutralise(c) for c in ("+1", "\tx", "\rx", "ok")] == ["'+1", "'\tx", "'\rx", "ok"]


def test_invalid_reports_are_skipped_with_their_diagnostics(tmp_path: Path) -> None:
    bad = variant(tmp_path, "bad.yaml", ("  employees: 8731", "  employees: mange"))
    result = invoke("export", "-f", "json", str(bad), str(MEMBER_REPO))
    assert result.exit_code == 1
    assert f"{bad}:" in result.stderr and "key_info.employees" in result.stderr
    assert "rapporten er ikke tatt med" in result.stderr
    rows = json.loads(result.stdout)
    assert {r["member"] for r in rows} == {"Eksempel kommune"}
    missing = invoke("export", str(tmp_path / "finnes-ikke.yaml"), str(MEMBER_REPO))
    assert missing.exit_code == 2
    assert "fant ikke filen" in missing.stderr
    assert {r["member"] for r in rows_of(missing.stdout)} == {"Eksempel kommune"}


def test_export_to_a_file_is_written_whole(tmp_path: Path) -> None:
    target = tmp_path / "ut" / "data.jsonl"
    result = invoke("export", "-f", "jsonl", "-o", str(target), str(EXAMPLE))
    assert result.exit_code == 0 and result.stdout == ""
    lines = target.read_text(encoding="utf-8").splitlines()
    assert len(lines) == 90 and all(json.loads(line)["member"] == "NTNU" for line in lines)
    assert [p.name for p in target.parent.iterdir()] == ["data.jsonl"]
    folder = invoke("export", "-o", str(tmp_path), str(EXAMPLE))
    assert folder.exit_code == 3 and "er en mappe" in folder.stderr


class _Page(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_overview_is_one_self_contained_page_with_a_table_beside_each_chart(
    tmp_path: Path,
) -> None:
    out = tmp_path / "oversikt.html"
    result = invoke("overview", str(EXAMPLE), str(MEMBER_REPO), "-o", str(out))
    assert result.exit_code == 0, result.output
    html = out.read_text(encoding="utf-8")
    page = _Page()
    page.feed(html)
    tags = [t for t, _ in page.tags]
    assert "script" not in tags and "link" not in tags
    assert not re.search(r'(src|href)="(?!#|data:)', html)
    svgs = [a for t, a in page.tags if t == "svg"]
    assert len(svgs) >= 6 and len(svgs) == tags.count("table") - 1  # and the list of reports
    assert all(a.get("role") == "img" and a.get("aria-labelledby") for a in svgs)
    assert all(t != "th" or a.get("scope") in ("col", "row") for t, a in page.tags)
    # What the issue asks for, by the numbers of the two bundled reports.
    text = re.sub(r"<[^>]+>", " ", html)
    assert "Mål og fremdrift i rapporteringsåret: status" in text
    assert re.search(r"Forsinket\s+2", text)
    assert re.search(r"relatert tema.*Miljø\s+4", text, re.S)
    assert re.search(r"sum per metode.*Egenrapportering av leverandører\s+197", text, re.S)
    assert "Utviklingen år for år" not in text  # two members, not one member's years


def test_overview_of_one_members_years_shows_a_trend(tmp_path: Path) -> None:
    old = variant(
        tmp_path,
        "ntnu-2023.yaml",
        ("  year: 2024\n  form:", "  year: 2023\n  form:"),
        ("total_value: 2500000000", "total_value: 2300000000"),
    )
    new = tmp_path / "ntnu-2024.yaml"
    new.write_text(EXAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "o.html"
    assert invoke("overview", str(tmp_path), "-o", str(out)).exit_code == 0
    text = re.sub(r"<[^>]+>", " ", out.read_text(encoding="utf-8"))
    trend = text.split("Utviklingen år for år", 1)[1]
    assert re.search(
        r"Samlet verdi innkjøp.*2023\s+2\xa0300\xa0000\xa0000\s+2024\s+2\xa0500", trend, re.S
    )
    assert old.exists()


def test_overview_skips_invalid_reports_and_says_so(tmp_path: Path) -> None:
    bad = variant(tmp_path, "bad.yaml", ("  employees: 8731", "  employees: mange"))
    out = tmp_path / "o.html"
    result = invoke("overview", str(bad), str(MEMBER_REPO), "-o", str(out))
    assert result.exit_code == 1
    assert "key_info.employees" in result.stderr
    html = out.read_text(encoding="utf-8")
    assert "Eksempel kommune" in html and "1 fil er ikke med" in html


def test_every_format_holds_the_same_rows() -> None:
    as_csv = [list(r.values()) for r in rows_of(invoke("export", str(EXAMPLE)).stdout)]
    lines = invoke("export", "-f", "jsonl", str(EXAMPLE)).stdout.splitlines()
    as_jsonl = [json.loads(line) for line in lines]
    as_json = json.loads(invoke("export", "-f", "json", str(EXAMPLE)).stdout)
    assert as_json == as_jsonl and len(as_json) == len(as_csv) == 90

    def cell(v: object) -> str:
        return "" if v is None else str(v)

    assert [[cell(v) for v in r.values()] for r in as_json] == as_csv
