"""Diagnostics for tools and terminals: SARIF 2.1.0, GitLab Code Quality, and the
terminal view with source lines and carets.

tests/data/sarif-schema-2.1.0.json is the official SARIF 2.1.0 schema (OASIS, errata
01), vendored from oasis-tcs/sarif-spec (Schemata/sarif-schema-2.1.0.json) so that the
check runs offline.
"""

from __future__ import annotations

import io
import json

import pytest

from ehnreport import __version__
from ehnreport.codes import CODES
from ehnreport.errors import Diagnostic
from ehnreport.messages import LANGUAGES, msg
from ehnreport.reporters.codereview import gitlab, sarif
from ehnreport.reporters.terminal import render_diagnostics, use_color
from ehnreport.validate import CheckResult, check_file

from .conftest import DATA, EXAMPLE

SARIF_SCHEMA = DATA / "sarif-schema-2.1.0.json"

BAD = """\
report:
  year: 2024
  form: ehn-public-2024
member:
  name: Eksempel kommune
  shortname: EK
key_info:
  employees: 8 731
steps:
  step2:
    a3:
      risks:
        - name: Lønn
          themes: [Lønnn]
"""


@pytest.fixture
def bad(tmp_path, monkeypatch):
    """A report with errors and warnings, checked under a relative path."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "rapporter").mkdir()
    path = tmp_path / "rapporter" / "report.yaml"
    path.write_text(BAD, encoding="utf-8")
    return path


def results(bad) -> list[CheckResult]:
    from pathlib import Path

    return [check_file(Path("rapporter/report.yaml")), check_file(EXAMPLE)]


def test_sarif_is_valid_against_the_official_schema(bad):
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    jsonschema.Draft4Validator.check_schema(schema)
    doc = sarif(results(bad), __version__)
    errors = sorted(jsonschema.Draft4Validator(schema).iter_errors(doc), key=str)
    assert not errors, [e.message for e in errors]
    # What was written is plain JSON.
    assert json.loads(json.dumps(doc, ensure_ascii=False)) == doc


def test_sarif_content(bad):
    rs = results(bad)
    doc = sarif(rs, "9.9.9")
    assert doc["version"] == "2.1.0"
    (run,) = doc["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "ehnreport" and driver["version"] == "9.9.9"
    used = {d.code for r in rs for d in r.diagnostics}
    ids = [rule["id"] for rule in driver["rules"]]
    assert ids == sorted(used)
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] == CODES[rule["id"]].description
    levels = {rule["id"]: rule["defaultConfiguration"]["level"] for rule in driver["rules"]}
    assert levels["unknown-key"] == "error" and levels["unanswered"] == "warning"
    assert len(run["results"]) == sum(len(r.diagnostics) for r in rs)
    first = run["results"][0]
    assert first["ruleId"] == ids[first["ruleIndex"]]
    loc = first["locations"][0]["physicalLocation"]
    assert loc["artifactLocation"]["uri"] == "rapporter/report.yaml"
    d = rs[0].diagnostics[0]
    assert loc["region"] == {"startLine": d.line, "startColumn": d.column}
    assert first["level"] == ("error" if d.is_error else "warning")
    assert first["message"]["text"] == f"{d.path}: {d.message}"


def test_sarif_strict_makes_warnings_errors(bad):
    doc = sarif(results(bad), __version__, strict=True)
    assert {r["level"] for r in doc["runs"][0]["results"]} == {"error"}


def test_sarif_uri_of_odd_paths():
    def uri(path: str) -> str:
        from pathlib import Path

        r = CheckResult(
            path=Path(path),
            diagnostics=[
                Diagnostic(1, 1, "error", "yaml-syntax", "", msg("fields.verbatim", text="m"), path)
            ],
        )
        return sarif([r], "0")["runs"][0]["results"][0]["locations"][0]["physicalLocation"][
            "artifactLocation"
        ]["uri"]

    assert uri("rapport ø.yaml") == "rapport%20%C3%B8.yaml"
    assert uri("sub\\report.yaml") == "sub/report.yaml"
    assert uri("/srv/rapport/report.yaml") == "file:///srv/rapport/report.yaml"
    assert uri("C:\\rapport\\report.yaml") == "file:///C:/rapport/report.yaml"


def test_sarif_without_diagnostics_is_valid():
    import jsonschema

    schema = json.loads(SARIF_SCHEMA.read_text(encoding="utf-8"))
    doc = sarif([], __version__)
    assert doc["runs"][0]["results"] == [] and doc["runs"][0]["tool"]["driver"]["rules"] == []
    assert not list(jsonschema.Draft4Validator(schema).iter_errors(doc))


def test_gitlab_code_quality(bad):
    rs = results(bad)
    issues = gitlab(rs)
    assert len(issues) == sum(len(r.diagnostics) for r in rs)
    for issue, d in zip(issues, [d for r in rs for d in r.diagnostics], strict=True):
        assert set(issue) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert issue["check_name"] == d.code
        assert issue["severity"] == ("major" if d.is_error else "minor")
        assert issue["location"]["lines"] == {"begin": d.line}
        assert len(issue["fingerprint"]) == 64
    assert issues[0]["location"]["path"] == "rapporter/report.yaml"
    assert len({i["fingerprint"] for i in issues}) == len(issues)
    assert {i["severity"] for i in gitlab(rs, strict=True)} == {"major"}


def test_fingerprints_survive_lines_inserted_above(bad):
    from pathlib import Path

    before = gitlab([check_file(Path("rapporter/report.yaml"))])
    bad.write_text("# En ny kommentar\n# og en til\n" + BAD, encoding="utf-8")
    after = gitlab([check_file(Path("rapporter/report.yaml"))])
    assert [i["location"]["lines"]["begin"] for i in after] == [
        i["location"]["lines"]["begin"] + 2 for i in before
    ]
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]
    sarif_before = sarif([check_file(Path("rapporter/report.yaml"))], "0")
    bad.write_text(BAD, encoding="utf-8")
    sarif_after = sarif([check_file(Path("rapporter/report.yaml"))], "0")
    assert [r["partialFingerprints"] for r in sarif_before["runs"][0]["results"]] == [
        r["partialFingerprints"] for r in sarif_after["runs"][0]["results"]
    ]


def test_fingerprint_ignores_line_numbers_in_messages(tmp_path):
    text = "report:\n  year: 2024\n  form: ehn-public-2024\n  year: 2024\n"
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    before = gitlab([check_file(path)])
    assert "linje 2" in before[0]["description"]
    path.write_text("\n\n" + text, encoding="utf-8")
    after = gitlab([check_file(path)])
    assert "linje 4" in after[0]["description"]
    assert after[0]["fingerprint"] == before[0]["fingerprint"]


def test_repeated_problems_get_distinct_fingerprints():
    from pathlib import Path

    same = [
        Diagnostic(
            i, 1, "warning", "unanswered", "a", msg("fields.verbatim", text="samme"), "r.yaml"
        )
        for i in (1, 5)
    ]
    issues = gitlab([CheckResult(path=Path("r.yaml"), diagnostics=same)])
    assert issues[0]["fingerprint"] != issues[1]["fingerprint"]


# The terminal view ------------------------------------------------------------------


def test_plain_terminal_output_has_source_line_and_caret(bad):
    out = render_diagnostics(results(bad)[:1], color=False, source_lines=True)
    assert "\x1b" not in out
    lines = out.splitlines()
    assert lines[0] == "rapporter/report.yaml"
    i = lines.index(
        "error[unknown-key] member.shortname: ukjent nøkkel «shortname». Mente du «short_name»?"
    )
    assert lines[i + 1] == " --> rapporter/report.yaml:6:3"
    assert lines[i + 3] == "6 |   shortname: EK"
    assert lines[i + 4] == "  |   ^"
    j = next(
        n for n, ln in enumerate(lines) if ln.startswith("error[wrong-type] key_info.employees")
    )
    assert lines[j + 3] == "8 |   employees: 8 731"
    assert lines[j + 4] == "  |              ^"


def test_terminal_output_in_colour(bad):
    out = render_diagnostics(results(bad), color=True, source_lines=True)
    assert "\x1b[1;31merror[unknown-key]\x1b[0m" in out
    assert "\x1b[1;33mwarning[unanswered]\x1b[0m" in out
    assert "\x1b[1;4mrapporter/report.yaml\x1b[0m" in out


def test_one_line_per_diagnostic_without_source_lines(bad):
    rs = results(bad)
    out = render_diagnostics(rs, color=False, source_lines=False)
    assert out.splitlines() == [d.format() for r in rs for d in r.diagnostics]


def test_quiet_leaves_out_warnings(bad):
    out = render_diagnostics(results(bad), color=False, source_lines=False, quiet=True)
    assert "warning[" not in out and "error[unknown-key]" in out
    assert (
        render_diagnostics([check_file(EXAMPLE)], color=False, source_lines=True, quiet=True) == ""
    )


def test_caret_under_wide_characters(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        "report:\n  year: 2024\n  form: ehn-public-2024\nmember: {name: 漢字, x: 1}\n",
        encoding="utf-8",
    )
    out = render_diagnostics([check_file(path)], color=False, source_lines=True)
    lines = out.splitlines()
    i = next(n for n, ln in enumerate(lines) if ln.startswith("error[unknown-key] member.x"))
    assert lines[i + 3] == "4 | member: {name: 漢字, x: 1}"
    # 漢 and 字 take two columns each on a terminal
    assert lines[i + 4] == "  | " + " " * (len("member: {name: ") + 4 + len(", ")) + "^"


def test_syntax_error_shows_the_line_although_the_file_did_not_load(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text("report:\n  year: 2024\n\tform: x\n", encoding="utf-8")
    result = check_file(path)
    assert result.loaded is None
    out = render_diagnostics([result], color=False, source_lines=True)
    assert "3 |     form: x" in out  # the tab shown as spaces
    assert "  | ^" in out


def test_terminal_never_prints_control_characters_from_the_report(tmp_path):
    path = tmp_path / "r.yaml"
    path.write_text(
        "report:\n  year: 2024\n  form: ehn-public-2024\nmember:\n  name: A\n  short_name: B\n"
        "  x\u202e: 1\n",
        encoding="utf-8",
    )
    out = render_diagnostics([check_file(path)], color=False, source_lines=True)
    assert "\u202e" not in out and "\\u202e" in out


@pytest.mark.parametrize(
    ("isatty", "env", "expected"),
    [
        (True, {}, True),
        (False, {}, False),
        (True, {"NO_COLOR": "1"}, False),
        (True, {"NO_COLOR": ""}, True),
        (True, {"TERM": "dumb"}, False),
        (True, {"TERM": "xterm-256color"}, True),
    ],
)
def test_use_color(isatty, env, expected):
    class Stream(io.StringIO):
        def isatty(self) -> bool:
            return isatty

    assert use_color(Stream(), env) is expected


def test_use_color_on_odd_streams():
    closed = io.StringIO()
    closed.close()
    assert use_color(closed, {}) is False
    assert use_color(object(), {}) is False  # type: ignore[arg-type]


# -- one registry, printable by construction, bounded terminal view ----------------------

HOSTILE_TEXT = "a\nb\rc\x1bd\x07e\u202ef\u2028g\ufffeh\uffffi\udcffj"
FORGED = ["\n", "\r", "\x1b", "\x07", "\u202e", "\u2028", "\ufffe", "\uffff", "\udcff"]


def _unsafe_in(text: str) -> list[str]:
    return [ch for ch in FORGED if ch in text]


def _all_formats(results: list[CheckResult]) -> dict[str, str]:
    from ehnreport.reporters import REPORTER_BY_NAME, Settings, report

    out = {}
    for name, reporter in REPORTER_BY_NAME.items():
        for strict in (False, True):
            chunks = report(results, reporter, Settings(strict=strict, color=True, version="1"))
            out[f"{name}/{strict}"] = "\n".join(text for text, _ in chunks)
    return out


def _no_controls(outputs: dict[str, str]) -> None:
    for name, text in outputs.items():
        # Line breaks between records are the format's own; none may come from a value.
        for line in text.split("\n"):
            bad = [ch for ch in line if ch in FORGED or (ord(ch) < 32 and ch != "\x1b")]
            assert not bad, (name, line)
        text.encode("utf-8")  # strict: no lone surrogate


def test_a_diagnostic_is_printable_when_it_is_made():
    said = msg("fields.verbatim", text=HOSTILE_TEXT)
    d = Diagnostic(1, 1, "error", "yaml-syntax", HOSTILE_TEXT, said, HOSTILE_TEXT)
    for lang in LANGUAGES:  # the sentence is made printable in every language
        for value in (d.path, d.text(lang), d.file, d.format(lang)):
            assert _unsafe_in(value) == []
            assert value.isprintable()
    text = d.text()
    assert "\\n" in text and "\\x1b" in text and "\\u202e" in text
    assert "\\uffff" in text and "\\udcff" in text
    # Made again from its own fields (dataclasses.replace, sorting), it stays the same.
    assert Diagnostic(1, 1, "error", "yaml-syntax", d.path, d.message, d.file) == d


def test_no_format_carries_a_control_character_from_a_diagnostic(tmp_path):
    path = tmp_path / "report.yaml"
    path.write_text(BAD, encoding="utf-8")
    result = check_file(path)
    result.diagnostics.append(
        Diagnostic(
            3,
            4,
            "warning",
            "unanswered",
            HOSTILE_TEXT,
            msg("fields.verbatim", text=HOSTILE_TEXT),
            "f",
        )
    )
    outputs = _all_formats([result])
    _no_controls({k: v.replace("\x1b[", "[") for k, v in outputs.items()})


def test_rendering_warnings_are_printable_in_every_format(tmp_path):
    from ehnreport.build import BuildOptions, build_report

    targets = ["x%0A::error::forged.png", "a%0Db%1B%5B2J%07.png", "%E2%80%AEgnp.evil"]
    from .test_batch import MINIMAL

    answer = " ".join(f"![alt]({t}) [lenke](javascript:x%0A{i})" for i, t in enumerate(targets))
    text = MINIMAL.format(name="Eksempel", short="EK").replace(
        "steps:\n", f"steps:\n  step1:\n    a2: |\n      {answer}\n", 1
    )
    path = tmp_path / "report.yaml"
    path.write_text(text, encoding="utf-8")
    result = check_file(path)
    assert result.report is not None, [d.format() for d in result.diagnostics]
    outcome = build_report(result, BuildOptions(out_dir=tmp_path / "out", pdf=False))
    codes = {d.code for d in outcome.diagnostics}
    assert {"image-refused", "link-refused"} <= codes
    for d in outcome.diagnostics:
        assert _unsafe_in(d.text() + d.path + d.file) == [], d
    result.diagnostics += outcome.diagnostics
    _no_controls({k: v.replace("\x1b[", "[") for k, v in _all_formats([result]).items()})


def test_a_file_name_that_is_not_utf8_in_every_format(tmp_path):
    import os

    raw = os.fsencode(tmp_path) + b"/r\xff\x1b.yaml"
    with open(raw, "wb") as fh:
        fh.write(BAD.encode("utf-8"))
    from pathlib import Path

    path = Path(os.fsdecode(raw))
    result = check_file(path)
    outputs = _all_formats([result])
    _no_controls({k: v.replace("\x1b[", "[") for k, v in outputs.items()})
    doc = json.loads(outputs["sarif/False"])
    uri = doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert uri["uri"].endswith("/r%FF%1B.yaml")
    assert json.loads(outputs["json/False"])["files"][0]["path"].endswith("r\\udcff\\x1b.yaml")
    assert json.loads(outputs["gitlab/False"])[0]["location"]["path"].endswith("r\\udcff\\x1b.yaml")


def test_the_command_line_offers_what_the_registry_has():
    from ehnreport.cli import BuildFormat, Format
    from ehnreport.reporters import FORMAT_NAMES, LINE_FORMAT_NAMES, REPORTER_BY_NAME

    assert tuple(f.value for f in Format) == FORMAT_NAMES
    assert tuple(f.value for f in BuildFormat) == LINE_FORMAT_NAMES == ("text", "github")
    assert set(REPORTER_BY_NAME) == {"text", "terminal", "json", "github", "sarif", "gitlab"}


def test_build_help_offers_only_the_formats_build_accepts():
    from typer.testing import CliRunner

    from ehnreport.cli import app

    out = CliRunner().invoke(app, ["build", "--help"], env={"COLUMNS": "200"}).output
    line = next(ln for ln in out.splitlines() if "--format" in ln)
    assert "text" in line and "github" in line
    assert not any(word in line for word in ("json", "sarif", "gitlab"))


def test_the_terminal_view_is_bounded_on_a_huge_line(tmp_path):
    from ehnreport.reporters.terminal import LINE_WIDTH, MAX_SHOWN

    keys = ", ".join(f"ukjent{i}: 1" for i in range(2000))
    path = tmp_path / "report.yaml"
    path.write_text(BAD.replace("key_info:\n", "key_info: {" + keys + "}\nx_info:\n"), "utf-8")
    result = check_file(path)
    assert len(result.diagnostics) > 1000
    out = render_diagnostics([result], color=False, source_lines=True)
    assert len(out) < 60 * 1024, len(out)
    shown = [ln for ln in out.splitlines() if " | " in ln and "ukjent" in ln]
    assert shown and all(len(ln) < LINE_WIDTH + 20 for ln in shown)
    rest = len(result.diagnostics) - MAX_SHOWN
    assert f"… og {rest} til" in out


def test_a_clipped_line_keeps_the_caret_under_its_column():
    from ehnreport.reporters.terminal import _show_line

    line = "a" * 500 + "X" + "b" * 500
    text, caret = _show_line(line, 501)
    assert text[caret] == "X"
    assert text.startswith("…") and text.endswith("…")
    text, caret = _show_line(line, 1)
    assert caret == 0 and text.endswith("…") and not text.startswith("…")
    text, caret = _show_line(line, 1001)
    assert text[caret] == "b" and text.startswith("…") and not text.endswith("…")


def test_a_logo_warning_is_printable_in_every_format(tmp_path):

    from ehnreport.build import BuildOptions, build_report

    from .test_batch import MINIMAL

    # YAML lets a value hold a line separator and a bidi override ("\\u2028", "\\u202e");
    # the warning quotes the name.
    name = "lo\u2028go\u202egnp.svg"
    (tmp_path / name).write_bytes(b"not an image")
    text = MINIMAL.format(name="Eksempel", short="EK").replace(
        "  short_name: EK\n", '  short_name: EK\n  logo: "lo\\u2028go\\u202egnp.svg"\n'
    )
    path = tmp_path / "report.yaml"
    path.write_text(text, encoding="utf-8")
    result = check_file(path)
    if result.report is not None:
        outcome = build_report(result, BuildOptions(out_dir=tmp_path / "out", pdf=False))
        result.diagnostics += outcome.diagnostics
    logo = [d for d in result.diagnostics if d.path == "member.logo"]
    assert logo, [d.format() for d in result.diagnostics]
    for d in logo:
        assert _unsafe_in(d.message) == [], d
    _no_controls({k: v.replace("\x1b[", "[") for k, v in _all_formats([result]).items()})
