"""`scaffold`: a new report's YAML, with every part and question, valid as written."""

from __future__ import annotations

import datetime as dt
import json
import re
import tempfile
import types
import typing
import unicodedata
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel
from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.forms import DEFAULT, load_edition
from ehnreport.loader import load_text
from ehnreport.model import report_model
from ehnreport.scaffold import (
    DEFAULT_MEMBER,
    DEFAULT_SHORT_NAME,
    FORM_EDITION,
    WIDTH,
    scaffold,
)
from ehnreport.validate import check_file

TODAY = dt.date(2025, 3, 1)
EDITION = load_edition(DEFAULT)
Report = report_model(EDITION)
STEP_QUESTIONS = [(s, q) for s in EDITION.steps for q in s.questions]


def nb(texts: dict[str, str] | None) -> str:
    return EDITION.text(texts, "nb")


def inner_type(tp: Any) -> Any:
    """The type inside Optional[...] and Annotated[...]."""
    while True:
        if typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        union = isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union
        if union and len(args) == 1:
            tp = args[0]
            continue
        return tp


def write(tmp_path, text: str, name: str = "report.yaml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def comment_text(text: str) -> str:
    """All comment lines joined into one line of words, to find wrapped labels in."""
    words = [
        ln.strip().lstrip("#").strip() for ln in text.splitlines() if ln.strip().startswith("#")
    ]
    return " ".join(" ".join(words).split())


def model_paths(model: type[BaseModel], prefix: tuple[str, ...] = ()) -> list[tuple[str, ...]]:
    """Every key path of the report's mappings (not inside lists)."""
    out = []
    for key, field in model.model_fields.items():
        path = prefix + (key,)
        out.append(path)
        inner = inner_type(field.annotation)
        if isinstance(inner, type) and issubclass(inner, BaseModel):
            out += model_paths(inner, path)
    return out


def test_scaffold_validates_with_only_unanswered_warnings(tmp_path):
    path = write(tmp_path, scaffold(today=TODAY))
    result = check_file(path, today=TODAY)
    assert result.valid
    assert result.diagnostics
    # The placeholder names are warned too, until the member's own are written in.
    assert {d.code for d in result.diagnostics} == {"unanswered", "placeholder"}
    placeholders = {d.path for d in result.diagnostics if d.code == "placeholder"}
    assert placeholders == {"member.name", "member.short_name"}
    assert all(c.answered == 0 for c in result.counts)
    assert sum(c.total for c in result.counts) == len(STEP_QUESTIONS)
    warned = {d.path for d in result.diagnostics}
    assert {f"steps.{s.key}.{q.key}" for s, q in STEP_QUESTIONS} <= warned


def test_placeholders_are_the_editions():
    assert nb(EDITION.question("member.name").placeholder) == DEFAULT_MEMBER
    assert nb(EDITION.question("member.short-name").placeholder) == DEFAULT_SHORT_NAME


def test_scaffold_through_the_command_line_exits_0(tmp_path):
    path = write(tmp_path, scaffold(member="Eksempel kommune", year=2024))
    result = CliRunner().invoke(
        app, ["validate", "--format", "json", str(path)], env={"GITHUB_ACTIONS": ""}
    )
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["files"][0]["valid"] is True
    assert {d["severity"] for d in doc["files"][0]["diagnostics"]} == {"warning"}


def test_every_part_and_question_key_is_present():
    loaded = load_text(scaffold(today=TODAY))
    for path in model_paths(Report):
        value = loaded.data
        for key in path:
            assert isinstance(value, dict) and key in value, ".".join(path)
            value = value[key]


def test_every_question_has_its_code_label_and_help_as_comments():
    text = scaffold(today=TODAY)
    comments = comment_text(text)
    for _, q in STEP_QUESTIONS:
        assert f"{q.code} {' '.join(nb(q.label).split())}" in comments, q.code
        assert " ".join(nb(q.help).split()) in comments, q.code
    for part in EDITION.parts:
        for q in part.questions:
            assert " ".join(nb(q.label).split()) in comments, q.id


def test_free_text_is_an_empty_block_that_loads_as_empty_text():
    text = scaffold(today=TODAY)
    data = load_text(text).data
    for step in EDITION.steps:
        for q in step.questions:
            if q.kind == "text":
                assert data["steps"][step.key][q.key] == "", q.code
                assert re.search(rf"^    {q.key}: \|$", text, re.MULTILINE)
    assert data["steps"]["step1"]["a1"] is None  # a URL: empty, not ""
    assert data["foreword"]["text"] == ""
    assert data["key_info"]["employees"] is None


def test_defaults_year_before_today_and_placeholder_names():
    data = load_text(scaffold(today=TODAY)).data
    assert data["report"] == {
        "year": 2024,
        "form": FORM_EDITION,
        "language": "nb",
        "title": None,
        "accent": None,
        "date": None,
    }
    assert data["member"]["name"] == DEFAULT_MEMBER
    assert data["key_info"]["name"] is None


def test_member_year_and_short_name():
    data = load_text(scaffold("Eksempel kommune", 2023, "EK", today=TODAY)).data
    assert data["report"]["year"] == 2023
    assert data["member"] == {
        "name": "Eksempel kommune",
        "short_name": "EK",
        "logo": None,
        "logo_alt": None,
    }
    assert data["key_info"]["name"] == "Eksempel kommune"


def test_long_name_gets_a_short_name_that_fits_the_footer(tmp_path):
    name = "Statens innkrevingssentral for særdeles lange navn og enda lengre navn"
    text = scaffold(name, 2024)
    short = load_text(text).data["member"]["short_name"]
    assert 0 < len(short) <= 40 and name.startswith(short)
    assert check_file(write(tmp_path, text), today=TODAY).valid


@pytest.mark.parametrize(
    "name",
    [
        "NO",
        "1881",
        "true",
        "null",
        "~",
        "Kommune: Nord #1",
        "*Stjerne",
        "- liste",
        '"sitat"',
        "Ja",
        "Æ Ø Å",
        "0150",
        "12:30",
    ],
)
def test_names_that_yaml_would_change_come_back_exactly(tmp_path, name):
    text = scaffold(name, 2024, name)
    data = load_text(text).data
    assert data["member"] == {"name": name, "short_name": name, "logo": None, "logo_alt": None}
    assert check_file(write(tmp_path, text), today=TODAY).valid


def _init(folder: Path, *args: str) -> tuple[int, str]:
    """`ehnreport init` into `folder`: (exit code, output)."""
    result = CliRunner().invoke(
        app,
        ["init", str(folder / "report.yaml"), "--year", "2024", *args],
        catch_exceptions=False,
        env={"GITHUB_ACTIONS": ""},
    )
    assert "Traceback" not in result.output
    return result.exit_code, result.output


def _control(text: str) -> bool:
    return any(unicodedata.category(ch) in ("Cc", "Cs") for ch in text)


@settings(max_examples=150, derandomize=True, deadline=None)
@given(st.text(min_size=1, max_size=60))
@example(" \n ")  # each branch runs, whatever the generator draws
@example("A\x1b[31mB")
@example("Eksempel  kommune")
def test_any_name_is_refused_or_comes_back_exactly(name):
    collapsed = " ".join(name.split())
    with tempfile.TemporaryDirectory() as tmp:
        code, output = _init(Path(tmp), f"--member={name}")
        if not collapsed or _control(collapsed):
            # Refused for its own reason, said in a sentence, and nothing is written.
            assert code == 2, output
            reason = "kan ikke være tomt" if not collapsed else "inneholder kontrolltegn"
            assert f"navnet på virksomheten {reason}" in output, output
            assert not (Path(tmp) / "report.yaml").exists()
            return
        assert code == 0, output
        text = (Path(tmp) / "report.yaml").read_text(encoding="utf-8")
    report = Report.model_validate(load_text(text).data)
    assert report.member.name == collapsed
    assert 0 < len(report.member.short_name) <= 40


def test_whitespace_in_names_is_one_space():
    data = load_text(scaffold("  Eksempel \n kommune ", 2024)).data
    assert data["member"]["name"] == "Eksempel kommune"


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"year": 1999}, "rapporteringsår"),
        ({"year": 2101}, "rapporteringsår"),
        ({"member": "  "}, "tomt"),
        ({"member": "A\x1b[31mB"}, "kontrolltegn"),
        ({"short_name": "x" * 41}, "40 tegn"),
        ({"schema": "a\nb"}, "linjeskift"),
    ],
)
def test_input_the_report_could_not_hold_is_refused(kwargs, message):
    with pytest.raises(ValueError, match=message):
        scaffold(**kwargs)


def test_modeline_is_the_first_line_and_can_be_left_out():
    assert scaffold(today=TODAY).splitlines()[0] == (
        "# yaml-language-server: $schema=schema/ehnreport.schema.json"
    )
    assert scaffold(today=TODAY, schema="../x.json").splitlines()[0].endswith("$schema=../x.json")
    assert "yaml-language-server" not in scaffold(today=TODAY, schema=None)


def test_lines_fit_the_width_and_output_is_deterministic():
    text = scaffold(today=TODAY)
    assert max(len(line) for line in text.splitlines()) <= WIDTH
    assert text == scaffold(today=TODAY)
    assert text.endswith("\n") and not text.endswith("\n\n")


def uncomment_examples(text: str) -> str:
    """Put each commented example in place of the empty list below it."""
    lines = text.splitlines()
    out: list[str] = []
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.strip() == "# Bytt ut [] med en liste, som i eksemplet:":
            indent = line[: len(line) - len(line.lstrip())]
            example = []
            i += 1
            while lines[i].startswith(indent + "#   ") or lines[i] == indent + "#":
                example.append(indent + lines[i][len(indent) + 4 :])
                i += 1
            assert lines[i].strip().endswith(": []"), lines[i]
            out += example
            i += 1
            continue
        out.append(line)
        i += 1
    return "\n".join(out) + "\n"


def _unanswered(path: Path) -> set[str]:
    """The paths `ehnreport validate` warns are unanswered; the file must be valid."""
    result = CliRunner().invoke(
        app, ["validate", "--format", "json", str(path)], env={"GITHUB_ACTIONS": ""}
    )
    assert result.exit_code == 0, result.output
    diagnostics = json.loads(result.output)["files"][0]["diagnostics"]
    # The placeholder names of a new report are warned too, until replaced.
    assert {d["code"] for d in diagnostics} <= {"unanswered", "placeholder"}, diagnostics
    return {d["path"] for d in diagnostics if d["code"] == "unanswered"}


def test_commented_examples_are_valid_when_filled_in(tmp_path):
    code, output = _init(tmp_path)
    assert code == 0, output
    empty = tmp_path / "report.yaml"
    filled = write(tmp_path, uncomment_examples(empty.read_text(encoding="utf-8")), "filled.yaml")
    data = load_text(filled.read_text(encoding="utf-8")).data
    assert data["steps"]["step2"]["a2"]["rows"][0]["suppliers"] == 2
    assert (
        data["steps"]["step3"]["a1"][0]["risk"] == data["steps"]["step2"]["a3"]["risks"][0]["name"]
    )
    # Each list the examples fill is unanswered as written, and answered once filled in.
    lists = {
        "goals.current",
        "goals.next_year",
        "steps.step2.a2",
        "steps.step2.a3",
        "steps.step3.a1",
        "steps.step4.a2",
        "steps.step4.a3",
    }
    assert lists <= _unanswered(empty)
    assert not lists & _unanswered(filled)


def test_tables_cards_and_goals_start_as_empty_lists():
    data = load_text(scaffold(today=TODAY)).data
    assert data["goals"] == {"current": [], "next_year": []}
    assert data["steps"]["step3"]["a1"] == []
    assert data["steps"]["step2"]["a2"] == {"rows": [], "comment": ""}
    assert data["steps"]["step4"]["a2"] == {"counts": [], "text": ""}
