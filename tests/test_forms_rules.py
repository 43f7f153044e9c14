"""Every refused edition names its place and its reason: each rule of the edition check.

Each test changes one thing in the bundled edition's data (or in its form.yaml, where
the line and column matter) and pins what the check says: the code, the path of the
mistake and the sentence, and that nothing else is said.
"""

from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from ehnreport import forms
from ehnreport.forms import EditionError, bundled_folder
from ehnreport.forms.check import edition_from_data

from .conftest import ROOT

FOLDER = bundled_folder(forms.DEFAULT)
DATA: dict[str, Any] = json.loads((FOLDER / "form.json").read_text(encoding="utf-8"))
FORM_TEXT = (FOLDER / "form.yaml").read_text(encoding="utf-8")
# Where the questions stand in the bundled edition's data.
STEP2_A2 = ("steps", 1, "sections", 0, "questions", 1)  # a table with Ja/Nei columns
STEP2_A3 = ("steps", 1, "sections", 0, "questions", 2)  # the prioritised risks
STEP3_A1 = ("steps", 2, "sections", 0, "questions", 0)  # the cards that follow them
STEP4_A2 = ("steps", 3, "sections", 0, "questions", 1)  # a grouped table
EMPLOYEES = ("parts_before", 3, "questions", 2)  # a count


def _at(data: Any, path: tuple[str | int, ...]) -> Any:
    for key in path:
        data = data[key]
    return data


def _dotted(path: tuple[str | int, ...]) -> str:
    return ".".join(str(p) if isinstance(p, str) else f"[{p}]" for p in path).replace(".[", "[")


YES_NO = 'yes_no: skal ha to oppslag, med id "yes" og "no", og ordene for ja og nei.'


def _refused(change: Callable[[dict[str, Any]], object]) -> list[str]:
    """What the check says about the bundled edition's data after `change`."""
    data = copy.deepcopy(DATA)
    change(data)
    with pytest.raises(EditionError) as exc:
        edition_from_data(data)
    out = []
    for d in exc.value.diagnostics:
        assert (d.line, d.column, d.severity) == (1, 1, "error")  # no file: its start
        out.append(f"{d.code} {d.path}: {d.text('nb')}")
    return out


def _set(path: tuple[str | int, ...], value: Any) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        _at(data, path[:-1])[path[-1]] = value

    return change


def _drop(path: tuple[str | int, ...]) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        del _at(data, path[:-1])[path[-1]]

    return change


def test_the_bundled_data_is_an_edition() -> None:
    # The baseline of every test below: unchanged, the data is accepted.
    assert edition_from_data(copy.deepcopy(DATA)).id == forms.DEFAULT


# -- the edition as a whole --------------------------------------------------------------


def test_another_format_is_refused_with_the_supported_one() -> None:
    assert _refused(_set(("format",), 2)) == [
        "form-spec format: formatet er 2; denne versjonen leser format 1."
    ]


@pytest.mark.parametrize("edition_id", ["Ehn-2025", "-ehn", "ehn public", "ehn_2025"])
def test_an_edition_id_is_lower_case_digits_and_hyphens(edition_id: str) -> None:
    assert _refused(_set(("id",), edition_id)) == [
        "form-spec id: id skrives med små bokstaver, tall og bindestrek: ehn-public-2025."
    ]


def test_an_edition_id_may_start_with_a_digit_and_hold_dots() -> None:
    data = copy.deepcopy(DATA)
    data["id"] = "2025.ehn-public"
    assert edition_from_data(data).id == "2025.ehn-public"


def _with_language(code: str) -> Callable[[dict[str, Any]], None]:
    """Add `code` to the edition's languages, with a text in it wherever nb has one."""

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "nb" in node and "nn" in node:
                node[code] = copy.deepcopy(node["nb"])
            for value in list(node.values()):
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    def change(data: dict[str, Any]) -> None:
        walk(data)
        data["languages"] = [*data["languages"], code]

    return change


@pytest.mark.parametrize("code", ["NB", "n", "nbno", "n1"])
def test_a_language_is_a_code_of_two_or_three_small_letters(code: str) -> None:
    assert _refused(_with_language(code)) == [
        f"form-spec languages[3]: «{code}» er ikke en språkkode som nb, nn eller en."
    ]


@pytest.mark.parametrize("code", ["se", "sme"])
def test_a_language_ehnreport_cannot_print_is_refused(code: str) -> None:
    assert _refused(_with_language(code)) == [
        f"form-spec languages[3]: ehnreport kan ikke skrive ut en rapport på «{code}»; "
        "språkene er nb, nn, en."
    ]


@pytest.mark.parametrize(
    ("languages", "said"),
    [
        ("nb", "form-spec languages: her skal det stå en liste."),
        (None, "form-spec languages: her skal det stå en liste."),
        (["nb", 3], "form-spec languages[1]: her skal det stå en tekst."),
        ([], "form-spec languages: utgaven må ha minst ett språk, for eksempel [nb]."),
    ],
)
def test_languages_that_cannot_be_read_are_said_once_not_at_every_text(
    languages: Any, said: str
) -> None:
    assert _refused(_set(("languages",), languages)) == [said]


def test_a_first_language_ehnreport_cannot_print_is_said_once_not_at_every_template() -> None:
    def change(data: dict[str, Any]) -> None:
        _with_language("se")(data)
        data["languages"] = ["se", "nb", "nn", "en"]

    assert _refused(change) == [
        "form-spec languages[0]: ehnreport kan ikke skrive ut en rapport på «se»; "
        "språkene er nb, nn, en."
    ]


def test_each_language_is_checked_at_its_own_place() -> None:
    def change(data: dict[str, Any]) -> None:
        _with_language("se")(data)
        _with_language("XX")(data)

    assert _refused(change) == [
        "form-spec languages[3]: ehnreport kan ikke skrive ut en rapport på «se»; "
        "språkene er nb, nn, en.",
        "form-spec languages[4]: «XX» er ikke en språkkode som nb, nn eller en.",
    ]


def test_an_edition_in_fewer_languages_is_an_edition() -> None:
    # Texts in other languages than the edition's are refused, so drop nn and en.
    def change(data: dict[str, Any]) -> None:
        def walk(node: Any) -> None:
            if isinstance(node, dict):
                if "nb" in node and "nn" in node:
                    node.pop("nn")
                    node.pop("en")
                for value in node.values():
                    walk(value)
            elif isinstance(node, list):
                for value in node:
                    walk(value)

        walk(data)
        data["languages"] = ["nb"]

    data = copy.deepcopy(DATA)
    change(data)
    assert edition_from_data(data).languages == ("nb",)


def test_prose_missing_in_a_language_names_the_templates_and_the_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each language's prose templates lie in a folder of their own; here the
    # English folder lacks two of them.
    for lang in ("nb", "nn", "en"):
        (tmp_path / lang).mkdir()
        names = ["a.html.j2", "b.html.j2", "c.html.j2"] if lang != "en" else ["b.html.j2"]
        for name in names:
            (tmp_path / lang / name).write_text("", encoding="utf-8")
    monkeypatch.setattr(forms, "prose_folder", lambda edition_id, lang: tmp_path / lang)

    def change(data: dict[str, Any]) -> None:
        # Name only templates that exist, so that the prose rule speaks alone.
        for step in data["steps"]:
            step.pop("intro", None)
        _at(data, STEP2_A3).pop("note")

    assert _refused(change) == [
        "form-spec languages[2]: tekstmalene a.html.j2, c.html.j2 finnes ikke på «en» "
        "(i mappen en/ ved siden av form.yaml)."
    ]


# -- words for yes, no and the statuses ---------------------------------------------------


def test_a_yes_no_column_needs_the_words_for_yes_and_no() -> None:
    assert _refused(_set(("yes_no",), [])) == [f"form-spec : {YES_NO}"]


@pytest.mark.parametrize("ids", [["yes"], ["yes", "nei"], ["yes", "no", "maybe"]])
def test_the_words_for_yes_and_no_have_the_ids_yes_and_no(ids: list[str]) -> None:
    words = {"nb": ["Ord"], "nn": ["Ord"], "en": ["Word"]}
    refused = _refused(_set(("yes_no",), [{"id": i, "words": words} for i in ids]))
    assert refused == [f"form-spec yes_no: {YES_NO}"]


def test_yes_and_no_in_either_order_are_accepted() -> None:
    data = copy.deepcopy(DATA)
    data["yes_no"].reverse()
    assert [v.id for v in edition_from_data(data).yes_no] == ["no", "yes"]


def test_words_for_yes_and_no_without_a_yes_no_column_are_still_checked() -> None:
    def change(data: dict[str, Any]) -> None:
        for column in _at(data, (*STEP2_A2, "table", "columns")):
            if column.get("type") == "yesno":
                column["type"] = "text"
        data["yes_no"] = data["yes_no"][:1]

    assert _refused(change) == [f"form-spec yes_no: {YES_NO}"]


def test_no_yes_no_column_and_no_words_is_an_edition() -> None:
    data = copy.deepcopy(DATA)
    for column in _at(data, (*STEP2_A2, "table", "columns")):
        if column.get("type") == "yesno":
            column["type"] = "text"
    data["yes_no"] = []
    assert edition_from_data(data).yes_no == ()


@pytest.mark.parametrize(
    ("group", "index", "lang"),
    [("goal_statuses", 0, "nb"), ("goal_statuses", 4, "en"), ("yes_no", 1, "nn")],
)
def test_a_vocabulary_entry_needs_a_word_in_each_language(
    group: str, index: int, lang: str
) -> None:
    assert _refused(_set((group, index, "words", lang), [])) == [
        f"form-spec {group}[{index}].words.{lang}: her skal det stå minst ett ord."
    ]


def test_a_status_column_needs_statuses() -> None:
    assert _refused(_set(("goal_statuses",), [])) == [
        "form-spec : goal_statuses: må ha minst ett statusord når en kolonne har type: status."
    ]


# -- steps and prose templates ------------------------------------------------------------


def test_a_step_has_the_number_of_its_place() -> None:
    assert _refused(_set(("steps", 2, "number"), 4)) == [
        "form-spec steps[2].number: trinn nummer 3 skal ha number: 3."
    ]


def test_steps_moved_out_of_order_are_refused_at_each_place() -> None:
    def change(data: dict[str, Any]) -> None:
        data["steps"][0], data["steps"][1] = data["steps"][1], data["steps"][0]

    assert _refused(change) == [
        "form-spec steps[0].number: trinn nummer 1 skal ha number: 1.",
        "form-spec steps[1].number: trinn nummer 2 skal ha number: 2.",
    ]


@pytest.mark.parametrize("name", ["../step1_intro.html.j2", "Step1.html.j2", "step1_intro.j2"])
def test_a_steps_intro_is_a_template_name_not_a_path(name: str) -> None:
    assert _refused(_set(("steps", 0, "intro"), name)) == [
        "form-spec steps[0].intro: her står navnet på en tekstmal, som step1_intro.html.j2."
    ]


def test_a_questions_note_is_a_template_name_not_a_path() -> None:
    assert _refused(_set((*STEP2_A3, "note"), "/etc/passwd")) == [
        f"form-spec {_dotted((*STEP2_A3, 'note'))}: her står navnet på en tekstmal, "
        "som step2_priority.html.j2."
    ]


def test_an_unknown_template_is_refused_with_the_names_that_exist() -> None:
    names = sorted(p.name for p in forms.prose_folder(forms.DEFAULT, "nb").glob("*.html.j2"))
    assert len(names) > 1
    assert _refused(_set(("steps", 1, "intro"), "mangler.html.j2")) == [
        "form-spec steps[1].intro: fant ikke tekstmalen «mangler.html.j2». "
        f"Tekstmalene som kan brukes: {', '.join(names)}."
    ]


def test_a_step_without_an_intro_is_an_edition() -> None:
    data = copy.deepcopy(DATA)
    del data["steps"][0]["intro"]
    assert edition_from_data(data).steps[0].intro is None


# -- keys and ids -------------------------------------------------------------------------


@pytest.mark.parametrize("key", ["A1", "1a", "a-1", "a 1"])
def test_a_key_is_small_letters_digits_and_underscores(key: str) -> None:
    path = (*STEP2_A3, "key")
    assert _refused(_set(path, key)) == [
        f"form-spec {_dotted(path)}: nøkkelen «{key}» skrives med små bokstaver, tall og _ "
        "(a1, key_info)."
    ]


@pytest.mark.parametrize("key", ["model_dump", "model_x", "copy", "json"])
def test_a_key_the_models_reserve_is_refused(key: str) -> None:
    path = ("parts_before", 2, "questions", 1, "key")
    assert _refused(_set(path, key)) == [
        f"form-spec {_dotted(path)}: «{key}» kan ikke være en nøkkel: navnet er reservert i "
        "modellene."
    ]


def test_a_key_used_twice_in_a_part_is_refused_at_the_second() -> None:
    path = ("parts_before", 2, "questions", 2, "key")
    assert _refused(_set(path, "name")) == [
        f"form-spec {_dotted(path)}: nøkkelen «name» er brukt før på samme nivå."
    ]


def test_the_same_key_in_two_parts_is_an_edition() -> None:
    # Keys are unique per level: foreword.name and key_info.name are both written.
    data = copy.deepcopy(DATA)
    assert _at(data, ("parts_before", 2, "questions", 1, "key")) == "name"
    assert _at(data, ("parts_before", 3, "questions", 0, "key")) == "name"
    edition_from_data(data)


def test_a_key_used_twice_in_a_step_across_sections_is_refused() -> None:
    path = ("steps", 0, "sections", 1, "questions", 0, "key")
    assert _refused(_set(path, "a1")) == [
        f"form-spec {_dotted(path)}: nøkkelen «a1» er brukt før på samme nivå."
    ]


@pytest.mark.parametrize(
    ("path", "key"),
    [(("parts_after", 0, "key"), "steps"), (("parts_after", 0, "key"), "report")],
)
def test_a_part_key_is_unique_and_never_steps(path: tuple[str | int, ...], key: str) -> None:
    assert _refused(_set(path, key)) == [
        f"form-spec {_dotted(path)}: nøkkelen «{key}» er brukt før på samme nivå."
    ]


def test_a_step_key_used_twice_is_refused() -> None:
    assert _refused(_set(("steps", 3, "key"), "step1")) == [
        "form-spec steps[3].key: nøkkelen «step1» er brukt før på samme nivå."
    ]


@pytest.mark.parametrize("question_id", ["Step2.x", ".step2", "step2 x", "step2_x"])
def test_a_question_id_is_small_letters_digits_dots_and_hyphens(question_id: str) -> None:
    path = (*STEP2_A3, "id")

    # The cards follow this question by id: point them at the new one.
    def change(data: dict[str, Any]) -> None:
        _at(data, STEP2_A3)["id"] = question_id
        _at(data, STEP3_A1)["table"]["matches"] = question_id

    assert _refused(change) == [
        f"form-spec {_dotted(path)}: id skrives med små bokstaver, tall, punktum og bindestrek."
    ]


def test_a_question_id_used_twice_is_refused_at_the_second() -> None:
    path = ("steps", 0, "sections", 0, "questions", 1, "id")
    assert _refused(_set(path, "report.year")) == [
        f"form-spec {_dotted(path)}: id «report.year» er brukt før; hvert spørsmål har sin egen id."
    ]


def test_a_code_used_twice_is_refused_at_the_second() -> None:
    path = ("steps", 5, "sections", 1, "questions", 0, "code")
    assert _refused(_set(path, "1.A.1")) == [
        f"form-spec {_dotted(path)}: koden 1.A.1 er brukt før."
    ]


def test_questions_without_a_code_may_be_many() -> None:
    # The parts' questions have no code: the empty code is never «used before».
    data = copy.deepcopy(DATA)
    assert all(not q.get("code") for p in data["parts_before"] for q in p["questions"])
    edition_from_data(data)


# -- what a question's kind allows ----------------------------------------------------------


@pytest.mark.parametrize("kind", ["text", "line", "url", "email", "file"])
def test_a_length_bound_on_a_text_kind_is_an_edition(kind: str) -> None:
    data = copy.deepcopy(DATA)
    question = _at(data, ("parts_before", 1, "questions", 3))
    question.update(kind=kind, min_length=1, max_length=90)
    question = edition_from_data(data).question("member.logo-alt")
    assert (question.min_length, question.max_length) == (1, 90)


@pytest.mark.parametrize("kind", ["count", "date", "list", "year"])
@pytest.mark.parametrize("bound", ["min_length", "max_length"])
def test_a_length_bound_on_another_kind_is_refused(kind: str, bound: str) -> None:
    path = ("parts_before", 1, "questions", 3)

    def change(data: dict[str, Any]) -> None:
        _at(data, path).update({"kind": kind, bound: 2})

    assert _refused(change) == [
        f"form-spec {_dotted((*path, bound))}: min_length og max_length gjelder bare tekst; "
        f"et spørsmål av typen {kind} kan ikke ha dem. Typer med tekst: email, file, line, "
        "text, url."
    ]


def test_both_length_bounds_on_a_count_are_each_refused() -> None:
    def change(data: dict[str, Any]) -> None:
        _at(data, EMPLOYEES).update(min_length=1, max_length=5)

    sentence = (
        "min_length og max_length gjelder bare tekst; et spørsmål av typen count kan ikke "
        "ha dem. Typer med tekst: email, file, line, text, url."
    )
    assert _refused(change) == [
        f"form-spec {_dotted((*EMPLOYEES, 'min_length'))}: {sentence}",
        f"form-spec {_dotted((*EMPLOYEES, 'max_length'))}: {sentence}",
    ]


@pytest.mark.parametrize("kind", ["table", "goals"])
def test_a_table_kind_without_a_table_is_refused(kind: str) -> None:
    path = (*STEP2_A2,) if kind == "table" else ("parts_before", 5, "questions", 0)
    assert _refused(_drop((*path, "table"))) == [
        f"form-spec {_dotted(path)}: et spørsmål av typen {kind} må ha table: med kolonnene."
    ]


def test_cards_without_a_table_are_refused() -> None:
    assert _refused(_drop((*STEP3_A1, "table"))) == [
        f"form-spec {_dotted(STEP3_A1)}: et spørsmål av typen cards må ha table: med kolonnene."
    ]


@pytest.mark.parametrize("kind", ["text", "list", "count"])
def test_a_table_on_another_kind_is_refused(kind: str) -> None:
    def change(data: dict[str, Any]) -> None:
        _at(data, STEP4_A2)["kind"] = kind

    refused = _refused(change)
    assert refused[0] == (
        f"form-spec {_dotted((*STEP4_A2, 'table'))}: et spørsmål av typen {kind} har ingen tabell."
    )
    assert len(refused) == 1


# -- tables -------------------------------------------------------------------------------


def test_a_column_key_used_twice_is_refused() -> None:
    columns = (*STEP2_A2, "table", "columns")
    first = _at(DATA, (*columns, 0, "key"))
    assert _refused(_set((*columns, 2, "key"), first)) == [
        f"form-spec {_dotted((*columns, 2, 'key'))}: nøkkelen «{first}» er brukt før på samme nivå."
    ]


def test_a_column_key_has_the_form_of_a_key() -> None:
    path = (*STEP2_A2, "table", "columns", 1, "key")
    assert _refused(_set(path, "Ja")) == [
        f"form-spec {_dotted(path)}: nøkkelen «Ja» skrives med små bokstaver, tall og _ "
        "(a1, key_info)."
    ]


def test_the_only_vocabulary_is_themes() -> None:
    path = (*STEP2_A3, "table", "columns", 1, "vocabulary")
    assert _at(DATA, path) == "themes"
    assert _refused(_set(path, "countries")) == [
        f"form-spec {_dotted(path)}: den eneste ordlisten er themes."
    ]


def test_a_table_without_columns_is_refused() -> None:
    path = (*STEP4_A2, "table", "columns")
    refused = _refused(_set(path, []))
    assert f"form-spec {_dotted(path)}: tabellen må ha minst én kolonne." in refused


@pytest.mark.parametrize("field", ["rows_key", "rows_label"])
def test_a_table_needs_its_rows_key_and_label(field: str) -> None:
    path = (*STEP2_A2, "table")
    assert _refused(_drop((*path, field))) == [
        f"form-spec {_dotted(path)}: en tabell må ha rows_key og rows_label."
    ]


def test_a_comment_key_needs_its_label() -> None:
    path = (*STEP2_A2, "table")
    assert _refused(_drop((*path, "comment_label"))) == [
        f"form-spec {_dotted(path)}: comment_key må ha comment_label."
    ]


def test_a_table_without_a_comment_is_an_edition() -> None:
    data = copy.deepcopy(DATA)
    table = _at(data, (*STEP2_A2, "table"))
    for field in ("comment_key", "comment_label", "comment_help"):
        table.pop(field, None)
    assert edition_from_data(data).question("step2.requirements-in-procurement").table
    assert (
        edition_from_data(data).question("step2.requirements-in-procurement").table.comment_key
        is None
    )  # type: ignore[union-attr]


@pytest.mark.parametrize("group_by", ["metode", None])
def test_a_grouped_table_groups_by_one_of_its_columns(group_by: str | None) -> None:
    path = (*STEP4_A2, "table", "group_by")
    change = _set(path, group_by) if group_by else _drop(path)
    assert _refused(change) == [
        f"form-spec {_dotted(path)}: group_by må være en av tabellens kolonner."
    ]


def test_a_table_in_rows_needs_no_group_by() -> None:
    data = copy.deepcopy(DATA)
    table = _at(data, (*STEP4_A2, "table"))
    table["layout"] = "rows"
    del table["group_by"]
    assert edition_from_data(data).question("step4.contract-follow-up").table.layout == "rows"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    "change",
    [
        _drop((*STEP3_A1, "table", "matches")),
        _drop((*STEP3_A1, "table", "match_field")),
        _set((*STEP3_A1, "table", "match_field"), "risiko"),
    ],
)
def test_cards_need_the_table_they_follow_and_their_name_field(change: Any) -> None:
    assert _refused(change) == [
        f"form-spec {_dotted((*STEP3_A1, 'table'))}: kort må ha matches (id-en til tabellen de "
        "følger) og match_field."
    ]


@pytest.mark.parametrize("rows", [0, -1])
def test_a_table_holds_at_least_one_row(rows: int) -> None:
    path = (*STEP2_A2, "table", "max_rows")
    assert _refused(_set(path, rows)) == [f"form-spec {_dotted(path)}: max_rows må være minst 1."]


def test_a_table_of_one_row_is_an_edition() -> None:
    data = copy.deepcopy(DATA)
    _at(data, (*STEP2_A2, "table"))["max_rows"] = 1
    edition_from_data(data)


def test_cards_following_a_question_that_does_not_exist_are_refused() -> None:
    path = (*STEP3_A1, "table", "matches")
    assert _refused(_set(path, "step2.risks")) == [
        f"form-spec {_dotted(path)}: fant ikke spørsmålet med id «step2.risks»."
    ]


def test_cards_following_a_column_the_table_lacks_are_refused() -> None:
    path = (*STEP3_A1, "table", "match_column")
    assert _refused(_set(path, "navn")) == [
        f"form-spec {_dotted(path)}: «navn» er ikke en kolonne i tabellen "
        "«step2.prioritised-risks»."
    ]


def test_cards_following_a_question_without_a_table_are_refused() -> None:
    path = (*STEP3_A1, "table", "matches")
    assert _refused(_set(path, "step2.risk-mapping")) == [
        f"form-spec {_dotted((*STEP3_A1, 'table', 'match_column'))}: «name» er ikke en "
        "kolonne i tabellen «step2.risk-mapping»."
    ]


# -- model names --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (("model",), "report"),
        (("steps_model",), "The Steps"),
        (("parts_before", 0, "model"), "1Meta"),
        (("parts_after", 0, "model"), "contact"),
        (("steps", 4, "model"), "Step_5"),
        ((*STEP2_A2, "table", "model"), "requirements"),
        ((*STEP2_A2, "table", "row_model"), "Requirement row"),
        ((*STEP3_A1, "table", "row_model"), "card"),
    ],
)
def test_a_model_name_is_written_like_a_class(path: tuple[str | int, ...], name: str) -> None:
    assert _refused(_set(path, name)) == [
        f"form-spec {_dotted(path)}: «{name}» skrives som et navn med stor forbokstav: Risks."
    ]


@pytest.mark.parametrize(
    ("path", "name"),
    [
        (("steps_model",), "Report"),
        (("parts_before", 1, "model"), "Meta"),
        (("parts_after", 0, "model"), "Step6"),
        (("steps", 5, "model"), "Contact"),
        ((*STEP2_A3, "table", "model"), "Requirements"),
        ((*STEP4_A2, "table", "row_model"), "Risk"),
    ],
)
def test_a_model_name_is_used_once(path: tuple[str | int, ...], name: str) -> None:
    # The first use is kept; every later one is refused where it stands, in the order
    # report, steps, parts, steps' models, then the tables in form order.
    refused = _refused(_set(path, name))
    assert len(refused) == 1
    code, _, sentence = refused[0].partition(": ")
    assert sentence == f"modellnavnet «{name}» er brukt før; gi den et eget navn."
    first_path = {
        "Report": ("steps_model",),
        "Meta": ("parts_before", 1, "model"),
        "Step6": ("steps", 5, "model"),
        "Contact": ("steps", 5, "model"),
        "Requirements": (*STEP2_A3, "table", "model"),
        "Risk": (*STEP4_A2, "table", "row_model"),
    }[name]
    assert code == f"form-spec {_dotted(first_path)}"


def test_cards_model_is_not_a_model_of_its_own() -> None:
    # Cards are a list: only their row model names a schema definition, so the
    # table's model may be anything.
    data = copy.deepcopy(DATA)
    table = _at(data, (*STEP3_A1, "table"))
    table["model"] = "Steps"
    edition_from_data(data)


# -- values of the wrong type ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "value", "sentence"),
    [
        (("year",), "2024", "her skal det stå et helt tall."),
        (("year",), True, "her skal det stå et helt tall."),
        (("year",), 2024.0, "her skal det stå et helt tall."),
        (("sector",), "", "her skal det stå en tekst."),
        (("sector",), "   ", "her skal det stå en tekst."),
        (("sector",), 7, "her skal det stå en tekst."),
        (("steps", 0, "sections", 0, "new_page"), "ja", "her skal det stå true eller false."),
        (("steps", 0, "sections", 0, "new_page"), 1, "her skal det stå true eller false."),
        (("steps",), {"step1": 1}, "her skal det stå en liste."),
        (("title",), "Skjema", "her skal det stå en gruppe med nøkler (språkkode: tekst)."),
        (("steps", 0), "trinn", "her skal det stå en gruppe med nøkler (Step)."),
        (
            (*EMPLOYEES, "kind"),
            "antall",
            "«antall» er ikke tillatt her. Tillatt: text, line, url, email, count, year, "
            "edition, language, colour, date, file, list, goals, table, cards.",
        ),
    ],
)
def test_a_value_of_the_wrong_type_is_named_at_its_place(
    path: tuple[str | int, ...], value: Any, sentence: str
) -> None:
    assert _refused(_set(path, value)) == [f"form-spec {_dotted(path)}: {sentence}"]


def test_a_value_of_the_right_type_in_a_union_is_read() -> None:
    data = copy.deepcopy(DATA)
    _at(data, EMPLOYEES)["max_length"] = None  # None is «not given» for an optional field
    edition_from_data(data)


def test_a_text_without_a_language_names_the_missing_ones() -> None:
    path = ("title",)
    assert _refused(_set(path, {"nb": "Skjema"})) == [
        f"form-spec {_dotted(path)}: teksten mangler språket nn, en."
    ]


def test_a_text_in_a_language_the_edition_lacks_is_refused_at_its_key() -> None:
    path = ("steps_title",)

    def change(data: dict[str, Any]) -> None:
        data["steps_title"]["de"] = "Die sechs Schritte"

    assert _refused(change) == [
        f"form-spec {_dotted((*path, 'de'))}: «de» er ikke blant utgavens språk (nb, nn, en); "
        "legg språket til i languages: først."
    ]


def test_an_unknown_key_is_named_with_the_closest_and_the_allowed_keys() -> None:
    def change(data: dict[str, Any]) -> None:
        data["steps"][0]["tittel"] = data["steps"][0].pop("title")

    refused = _refused(change)
    assert refused[0] == (
        "form-spec steps[0].tittel: ukjent nøkkel «tittel». Mente du «title»? Tillatte "
        "nøkler her: number, key, title, model, doc, sections, kicker, oecd, intro."
    )
    assert refused[1:] == ["form-spec steps[0]: «title» mangler."]


def test_an_unknown_key_without_a_close_one_lists_the_allowed_keys() -> None:
    refused = _refused(_set(("yes_no", 0, "zzz"), 1))
    assert refused == [
        "form-spec yes_no[0].zzz: ukjent nøkkel «zzz». Tillatte nøkler her: id, words."
    ]


def test_every_missing_key_is_named() -> None:
    def change(data: dict[str, Any]) -> None:
        del data["yes_no"][0]["id"]
        del data["yes_no"][0]["words"]

    assert _refused(change) == [
        "form-spec yes_no[0]: «id» mangler.",
        "form-spec yes_no[0]: «words» mangler.",
    ]


def test_a_missing_optional_key_takes_its_default() -> None:
    data = copy.deepcopy(DATA)
    del data["goal_statuses"]
    data["themes"] = None
    edition = edition_from_data(data, rules=False)
    assert edition.goal_statuses == () and edition.themes is None


def test_the_rules_are_left_out_when_asked() -> None:
    data = copy.deepcopy(DATA)
    data["steps"][2]["number"] = 9
    assert edition_from_data(data, rules=False).steps[2].number == 9
    with pytest.raises(EditionError):
        edition_from_data(data)


def test_the_rules_are_checked_only_when_the_types_are_right() -> None:
    # A wrong type and a broken rule: only the type is said, since the rules read
    # records the reader could not make.
    def change(data: dict[str, Any]) -> None:
        data["year"] = "2024"
        data["steps"][2]["number"] = 9

    assert _refused(change) == ["form-spec year: her skal det stå et helt tall."]


def test_data_that_is_no_mapping_is_refused() -> None:
    with pytest.raises(EditionError) as exc:
        edition_from_data(["id"])
    assert [(d.code, d.path, d.text("nb")) for d in exc.value.diagnostics] == [
        ("form-spec", "", "her skal det stå en gruppe med nøkler (Edition).")
    ]


def test_at_most_fifty_mistakes_are_listed() -> None:
    def change(data: dict[str, Any]) -> None:
        for step in data["steps"]:
            for section in step["sections"]:
                for question in section["questions"]:
                    question["quoted"] = "ja"
                    question["always_shown"] = "nei"

    refused = _refused(change)
    assert len(refused) == 50
    assert refused[0] == (
        "form-spec steps[0].sections[0].questions[0].quoted: her skal det stå true eller false."
    )


def test_an_edition_error_reads_as_its_sentences_joined() -> None:
    data = copy.deepcopy(DATA)
    data["format"] = 3
    data["id"] = "X"
    with pytest.raises(EditionError) as exc:
        edition_from_data(data)
    assert str(exc.value) == (
        "formatet er 3; denne versjonen leser format 1.; "
        "id skrives med små bokstaver, tall og bindestrek: ehn-public-2025."
    )


# -- in a form.yaml: the line and column of each mistake ------------------------------------


def _refused_file(tmp_path: Path, old: str, new: str) -> list[str]:
    assert FORM_TEXT.count(old) >= 1
    path = tmp_path / "form.yaml"
    path.write_text(FORM_TEXT.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(EditionError) as exc:
        forms.load_edition_file(path)
    return [d.format("nb").replace(str(path), "form.yaml") for d in exc.value.diagnostics]


def _line_of(text: str) -> int:
    return FORM_TEXT.splitlines().index(text) + 1


def test_a_table_on_a_text_question_is_shown_at_its_key(tmp_path: Path) -> None:
    old = "id: step2.risk-mapping\n            code: 2.A.1\n"
    old += "            key: a1\n            kind: text\n"
    new_table = (
        "            table:\n              model: X\n              doc: x\n"
        "              row_model: Y\n              row_doc: y\n              columns: []\n"
        "              max_rows: 1\n"
    )
    assert old in FORM_TEXT
    text = FORM_TEXT.replace(old, old + new_table, 1)
    path = tmp_path / "form.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EditionError) as exc:
        forms.load_edition_file(path)
    line = text.splitlines().index("            table:") + 1
    found = [d.format("nb").replace(str(path), "form.yaml") for d in exc.value.diagnostics]
    where = "steps[1].sections[0].questions[0]"
    assert found[0] == (
        f"form.yaml:{line}:13: error[form-spec] {where}.table: et spørsmål av typen text har "
        "ingen tabell."
    )


def test_a_wrong_value_is_shown_at_the_value(tmp_path: Path) -> None:
    found = _refused_file(tmp_path, "year: 2024\n", "year: tjuefjorten\n")
    assert found == [
        f"form.yaml:{_line_of('year: 2024')}:7: error[form-spec] year: her skal det stå et "
        "helt tall."
    ]


def test_a_text_in_an_unknown_language_is_shown_at_its_key(tmp_path: Path) -> None:
    old = "  en: Ethical Trade Norway's reporting form for public bodies, 2024\n"
    found = _refused_file(tmp_path, old, old + "  de: Formular\n")
    line = _line_of(old.rstrip("\n")) + 1
    assert found == [
        f"form.yaml:{line}:3: error[form-spec] title.de: «de» er ikke blant utgavens språk "
        "(nb, nn, en); legg språket til i languages: først."
    ]


def test_an_unknown_key_is_shown_at_the_key(tmp_path: Path) -> None:
    found = _refused_file(tmp_path, "sector: public\n", "sector: public\nsektor: offentlig\n")
    line = _line_of("sector: public") + 1
    assert found[0].startswith(
        f"form.yaml:{line}:1: error[form-spec] sektor: ukjent nøkkel «sektor». Mente du «sector»?"
    )


def test_a_rule_broken_in_a_step_is_shown_at_its_line(tmp_path: Path) -> None:
    found = _refused_file(tmp_path, "intro: step1_intro.html.j2\n", "intro: step9.j2\n")
    line = _line_of("    intro: step1_intro.html.j2")
    assert found[0].startswith(
        f"form.yaml:{line}:12: error[form-spec] steps[0].intro: her står navnet på en tekstmal"
    )


# -- looking questions up ------------------------------------------------------------------


def test_questions_are_found_by_id_code_and_path() -> None:
    e = forms.load_edition(forms.DEFAULT)
    assert e.question("contact.email").key == "email"
    assert e.path_of("contact.email") == ("contact", "email")
    assert e.path_of("key-info.employees") == ("key_info", "employees")
    assert e.by_code("6.B.1").id == "step6.access-to-remedy"
    for lookup in (e.question, e.path_of):
        with pytest.raises(KeyError):
            lookup("step9.none")
    with pytest.raises(KeyError, match="9.Z.9"):
        e.by_code("9.Z.9")
    paths = [path for path, _ in e.questions()]
    assert paths[0] == ("report", "year") and paths[-1] == ("contact", "email")
    assert paths[6] == ("member", "name")
    assert ("steps", "step3", "a1") in paths
    assert [q.id for q in e.steps[1].questions] == [
        "step2.risk-mapping",
        "step2.requirements-in-procurement",
        "step2.prioritised-risks",
        "step2.prioritisation-reasons",
    ]


def test_each_edition_finds_its_own_questions() -> None:
    # Two editions with the same ids: each lookup answers from the edition asked.
    first = forms.load_edition(forms.DEFAULT)
    data = copy.deepcopy(DATA)
    data["id"] = "ehn-public-2099"
    _at(data, STEP2_A3)["key"] = "a9"
    second = edition_from_data(data)
    for _ in range(2):  # the second time from the index made the first time
        assert first.path_of("step2.prioritised-risks") == ("steps", "step2", "a3")
        assert second.path_of("step2.prioritised-risks") == ("steps", "step2", "a9")
        assert second.question("step2.prioritised-risks").key == "a9"


def test_a_text_in_a_language_or_none() -> None:
    e = forms.load_edition(forms.DEFAULT)
    title = e.title
    assert e.text(title) == title["nb"]
    assert e.text(title, "en") == "Ethical Trade Norway's reporting form for public bodies, 2024"
    assert e.text(title, "se") == ""
    assert e.text(None, "nb") == ""


def test_a_tables_column_by_key() -> None:
    table = forms.load_edition(forms.DEFAULT).question("step2.prioritised-risks").table
    assert table is not None
    assert table.column("themes").vocabulary == "themes"
    assert table.column("geography").key == "geography"


# -- editions in a --forms folder ------------------------------------------------------------


@pytest.fixture
def added() -> Iterator[None]:
    yield
    forms.reset_added()


def _edition_folder(root: Path, *ids: str, broken: str = "") -> Path:
    """A --forms folder with a copy of the bundled edition under each id."""
    for edition_id in ids:
        (root / edition_id).mkdir(parents=True)
        text = FORM_TEXT.replace(f"id: {forms.DEFAULT}\n", f"id: {edition_id}\n", 1)
        (root / edition_id / "form.yaml").write_text(text, encoding="utf-8")
    if broken:
        (root / broken).mkdir(parents=True)
        text = FORM_TEXT.replace(f"id: {forms.DEFAULT}\n", f"id: {broken}\n", 1)
        (root / broken / "form.yaml").write_text(text.replace("year: 2024", "year: x"), "utf-8")
    return root


def test_a_folder_adds_each_edition_in_it(tmp_path: Path, added: None) -> None:
    folder = _edition_folder(tmp_path / "skjema", "ehn-b-2030", "ehn-a-2030")
    (folder / "notater").mkdir()  # no form.yaml: not an edition
    found = forms.add_folder(folder)
    assert [e.id for e in found] == ["ehn-a-2030", "ehn-b-2030"]
    assert forms.known_editions() == (forms.DEFAULT, "ehn-a-2030", "ehn-b-2030")
    assert forms.load_edition("ehn-b-2030") is found[1]
    assert os.environ[forms.FORMS_ENV] == str(folder.resolve())


def test_a_second_folder_is_remembered_once(tmp_path: Path, added: None) -> None:
    one = _edition_folder(tmp_path / "en", "ehn-a-2030")
    two = _edition_folder(tmp_path / "to", "ehn-b-2030")
    forms.add_folder(one)
    forms.add_folder(two)
    forms.add_folder(one)
    assert os.environ[forms.FORMS_ENV] == os.pathsep.join([str(one.resolve()), str(two.resolve())])


def test_a_folder_with_one_broken_edition_adds_none(tmp_path: Path, added: None) -> None:
    folder = _edition_folder(tmp_path / "skjema", "ehn-a-2030", "ehn-c-2030", broken="ehn-b-2030")
    (folder / "ehn-d-2030").mkdir()
    (folder / "ehn-d-2030" / "form.yaml").write_text("id: [\n", encoding="utf-8")
    with pytest.raises(EditionError) as exc:
        forms.add_folder(folder)
    files = [Path(d.file).parent.name for d in exc.value.diagnostics]
    assert files == ["ehn-b-2030", "ehn-d-2030"]  # every broken file, in folder order
    assert forms.known_editions() == (forms.DEFAULT,)
    assert forms.FORMS_ENV not in os.environ


def test_a_folder_named_in_the_environment_is_read_once_and_a_broken_one_skipped(
    tmp_path: Path,
) -> None:
    good = _edition_folder(tmp_path / "god", "ehn-a-2030")
    bad = _edition_folder(tmp_path / "skadet", broken="ehn-b-2030")
    env = {
        **os.environ,
        forms.FORMS_ENV: os.pathsep.join(["", str(bad), str(good)]),
        "PYTHONPATH": str(ROOT),
    }
    done = subprocess.run(
        [sys.executable, "-m", "ehnreport", "forms"],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=60,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    ids = [line.split()[0] for line in done.stdout.splitlines()[1:]]
    assert ids == [forms.DEFAULT, "ehn-a-2030"]


def test_an_edition_file_that_is_no_yaml_is_refused_at_its_place(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text("id: ehn\nyear: [2024\n", encoding="utf-8")
    with pytest.raises(EditionError) as exc:
        forms.load_edition_file(path)
    assert [d.format("nb") for d in exc.value.diagnostics] == [
        f"{path}:3:1: error[yaml-syntax] en liste i klammer (`[ ]`) er ikke lukket med `]`. "
        "Lukk den, eller sett teksten i anførselstegn hvis den skal begynne med `[`."
    ]


def test_a_missing_edition_file_is_refused_with_its_name(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    with pytest.raises(EditionError) as exc:
        forms.load_edition_file(path)
    assert [d.format("nb") for d in exc.value.diagnostics] == [
        f"{path}:1:1: error[form-file] kan ikke leses (No such file or directory)."
    ]


def test_the_prepared_copy_is_the_checked_data_as_compact_json(tmp_path: Path) -> None:
    path = tmp_path / "form.yaml"
    path.write_text(FORM_TEXT, encoding="utf-8")
    text = forms.prepared_text(path)
    assert text.endswith("}\n") and "\n" not in text[:-1]
    assert '"nb":"Rapporteringsår"' in text  # no spaces, letters as they are
    assert json.loads(text) == DATA
    path.write_text(FORM_TEXT.replace("year: 2024", "year: x", 1), encoding="utf-8")
    with pytest.raises(EditionError):
        forms.prepared_text(path)


def test_a_language_that_is_no_text_is_refused_only_where_it_stands() -> None:
    # The texts are checked against the languages that are texts: one mistake, not
    # one for every text of the edition.
    assert _refused(_set(("languages",), ["nb", "nn", "en", 5])) == [
        "form-spec languages[3]: her skal det stå en tekst."
    ]


def test_every_folder_the_environment_names_is_read_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Folders are split on the path separator only: a blank belongs to a folder's name."""
    one = _edition_folder(tmp_path / "mappe en", "ehn-a-2031")
    two = _edition_folder(tmp_path / "to", "ehn-b-2031")
    monkeypatch.setattr(forms, "_added", {})
    monkeypatch.setattr(forms, "_read_environment", False)
    monkeypatch.setenv(forms.FORMS_ENV, os.pathsep.join([str(one), "", str(two)]))
    forms._from_environment()
    assert sorted(forms._added) == ["ehn-a-2031", "ehn-b-2031"]
    monkeypatch.setenv(forms.FORMS_ENV, "")
    forms._from_environment()  # once per process: the variable is not read again
    assert sorted(forms._added) == ["ehn-a-2031", "ehn-b-2031"]
