"""Validation errors as sentences: number hints, long keys and the caps on suggestions."""

from __future__ import annotations

import types
import typing
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel

from ehnreport import diagnostics
from ehnreport.diagnostics import SUGGEST_MAX_CHOICES, SUGGEST_MAX_WORD, SUGGESTIONS, did_you_mean
from ehnreport.forms import known_editions, load_edition
from ehnreport.model.factory import report_model
from ehnreport.validate import check_file

from .conftest import DATA

MINIMAL = (DATA / "reports" / "valid-minimal.yaml").read_text(encoding="utf-8")


def errors(tmp_path: Path, old: str, new: str):
    assert old in MINIMAL
    path = tmp_path / "report.yaml"
    path.write_text(MINIMAL.replace(old, new), encoding="utf-8")
    return [d for d in check_file(path).diagnostics if d.severity == "error"]


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("1 180 000 000", "1180000000"),
        ("1.180.000.000", "1180000000"),
        ("1\u00a0200", "1200"),
        ("1\u202f200", "1200"),
        ('"8 731"', "8731"),
    ],
)
def test_a_number_in_groups_is_hinted_with_the_users_own_digits(tmp_path, written, plain):
    [d] = errors(tmp_path, "employees: 1200", f"employees: {written}")
    assert (d.code, d.path) == ("wrong-type", "key_info.employees")
    assert d.text().endswith(f" Skriv {plain}, uten mellomrom eller punktum.")


@pytest.mark.parametrize("written", ["1.5", "12.34", "1.000.00", "tolv"])
def test_a_decimal_or_a_word_gets_no_grouping_hint(tmp_path, written):
    [d] = errors(tmp_path, "employees: 1200", f"employees: {written}")
    assert d.code == "wrong-type" and "Skriv" not in d.text()


@pytest.mark.parametrize(("length", "shown"), [(100, "k" * 100 + "»"), (150, "k" * 99 + "…»")])
def test_an_unknown_key_is_shown_in_full_up_to_100_characters(tmp_path, length, shown):
    [d] = errors(tmp_path, "  short_name: EKS\n", f"  short_name: EKS\n  {'k' * length}: x\n")
    assert d.code == "unknown-key"
    assert f"ukjent nøkkel «{shown}" in d.text()
    assert "k" * 101 not in d.text()


def test_did_you_mean_is_not_tried_for_a_word_over_the_cap():
    word = "a" * SUGGEST_MAX_WORD
    assert did_you_mean(word, [word[:-1]]) == f" Mente du «{word[:-1]}»?"
    assert did_you_mean(word + "a", [word]) == ""


def test_did_you_mean_is_not_tried_among_more_choices_than_the_cap():
    others = [f"x{i}" for i in range(SUGGEST_MAX_CHOICES - 1)]
    assert did_you_mean("nane", ["name", *others]) == " Mente du «name»?"
    assert did_you_mean("nane", ["name", *others, "x-more"]) == ""


def test_at_most_so_many_suggestions_are_made_per_file(tmp_path):
    letters = "abcdfghijklmopqrstuvwxyz"
    keys = [f"nam{a}{b}" for a in letters for b in letters][: SUGGESTIONS + 20]
    extra = "".join(f"  {k}: x\n" for k in keys)
    found = errors(tmp_path, "  short_name: EKS\n", "  short_name: EKS\n" + extra)
    assert len(found) == SUGGESTIONS + 20
    assert sum("Mente du «name»?" in d.text() for d in found) == SUGGESTIONS


def test_the_caps_are_the_documented_sizes():
    assert (diagnostics.SUGGEST_MAX_WORD, diagnostics.SUGGEST_MAX_CHOICES) == (100, 200)
    assert diagnostics.SUGGESTIONS == 100


def test_an_empty_required_value_read_as_a_comment_says_why(tmp_path):
    [d] = errors(tmp_path, "short_name: EKS", "short_name: #1")
    assert (d.code, d.path) == ("missing", "member.short_name")
    assert d.text().endswith(
        "er tom og må fylles ut. YAML leser alt fra # som en kommentar, så «#1» forsvinner. "
        'Sett verdien i anførselstegn: `short_name: "#1"`.'
    )


@pytest.mark.parametrize(
    ("block", "hinted"),
    [
        ("    a2: |\n    Vedtatt: i 2023.\n", True),
        ("    a2: >-\n\n    Vedtatt: i 2023.\n", True),
        ("    a2: |\n      Tekst.\n    Vedtatt: i 2023.\n", False),
        ('    a2: ""\n    Vedtatt: i 2023.\n', False),
        ("    a2:\n    Vedtatt: i 2023.\n", False),
    ],
)
def test_an_unknown_key_after_an_empty_block_is_named_as_its_text(tmp_path, block, hinted):
    old = "    a2: |\n      Vedtatt av kommunestyret i 2023.\n"
    [d] = errors(tmp_path, old, block)
    assert (d.code, d.path) == ("unknown-key", "steps.step1.Vedtatt")
    sign = block.split(": ", 1)[1][0]
    hint = f"Er linjen teksten under «a2: {sign}» på linje 14, må den ha mer innrykk enn «a2»."
    assert d.text().endswith(hint) == hinted


def _types_within(tp: object, seen: set[type]) -> typing.Iterator[object]:
    """Every type a field annotation of the report model holds, models walked once."""
    yield tp
    origin = typing.get_origin(tp)
    if origin is typing.Annotated or origin in (typing.Union, types.UnionType, list):
        for arg in typing.get_args(tp)[:1] if origin is typing.Annotated else typing.get_args(tp):
            yield from _types_within(arg, seen)
    elif isinstance(tp, type) and issubclass(tp, BaseModel) and tp not in seen:
        seen.add(tp)
        for field in tp.model_fields.values():
            yield from _types_within(field.annotation, seen)


@pytest.mark.parametrize("edition_id", known_editions())
def test_the_models_have_only_the_shapes_diagnostics_walks(edition_id: str) -> None:
    # diagnostics._unwrap reads a union as `X | None` and passes `Annotated` by: true only
    # while unions have one other member and `Annotated` wraps no list and no model.
    edition = load_edition(edition_id)
    for language in edition.languages:
        for tp in _types_within(report_model(edition, language), set()):
            origin = typing.get_origin(tp)
            if origin in (typing.Union, types.UnionType):
                assert len([a for a in typing.get_args(tp) if a is not type(None)]) == 1, tp
            if origin is typing.Annotated:
                inner = typing.get_args(tp)[0]
                assert typing.get_origin(inner) is not list, tp
                assert not (isinstance(inner, type) and issubclass(inner, BaseModel)), tp


@pytest.mark.parametrize(
    ("lang", "sentence"),
    [
        ("nn", "«name» (Namnet på verksemda) er tom og må fyllast ut."),
        ("en", "“name” (The organisation's name) is empty and must be filled in."),
    ],
)
def test_an_empty_field_is_named_by_its_label_in_the_chosen_language(tmp_path, lang, sentence):
    # The model's own titles are nb; the label in nn or en comes from the edition's texts.
    found = errors(tmp_path, "  name: Eksempel kommune\n", "  name:\n")
    assert [d.text(lang) for d in found if d.path == "member.name"] == [sentence]


@pytest.mark.parametrize(
    ("loc", "found"),
    [
        ((), "Report"),
        (("steps",), "Steps"),
        (("steps", "step2", "a3"), "Risks"),
        (("steps", "step2", "a3", "risks"), None),  # a list, not a model
        (("steps", "step2", "a3", "risks", 0), "Risk"),
        (("steps", "step2", "a3", "risks", 0, "name"), None),  # a text
        (("steps", "step2", "a3", "risks", "x"), None),  # a key in a list
        (("steps", 0), None),  # a number in a model
        (("nope",), None),
        (("goals", "current", 0), "Goal"),
    ],
)
def test_the_model_that_holds_a_place_is_found_by_walking_the_fields(
    loc: tuple[str | int, ...], found: str | None
) -> None:
    # The uncached walk: the cache in front of it is filled by whatever ran before.
    model = report_model(load_edition(known_editions()[0]))
    held = diagnostics._model_at(model, loc)
    assert (held.__name__ if held is not None else None) == found


def test_a_value_error_that_is_not_ours_is_said_in_its_own_words() -> None:
    # Every validator of the models raises InvalidValue; another error keeps its words.
    model = report_model(load_edition(known_editions()[0]))
    err: Any = {
        "type": "value_error",
        "loc": ("member", "name"),
        "input": "Vestvik",
        "msg": "Value error, noe gikk galt",
        "ctx": {"error": ValueError("noe gikk galt")},
    }
    code, said = diagnostics._message(err, model)
    assert (code, said.text()) == ("invalid-value", "noe gikk galt")


def test_text_under_an_empty_block_near_the_top_of_the_file_is_hinted(tmp_path: Path) -> None:
    # The key with the empty block stands on line 3, column 5: further right than the
    # line number of the text under it.
    path = tmp_path / "rapport.yaml"
    path.write_text("steps:\n  step1:\n    a2: |\n    tekst her: mer\n", encoding="utf-8")
    [said] = [d for d in check_file(path).diagnostics if d.code == "unknown-key"]
    assert (said.line, said.column) == (4, 5)
    assert said.text().endswith(
        "Er linjen teksten under «a2: |» på linje 3, må den ha mer innrykk enn «a2»."
    )
