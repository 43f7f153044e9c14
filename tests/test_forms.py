"""The form editions: the data files, their prepared copies and the strict spec."""

from __future__ import annotations

import json
import typing
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehnreport import forms
from ehnreport.forms import EDITIONS, EditionError, bundled_folder, load_edition
from ehnreport.forms.check import edition_from_data
from ehnreport.loader import load_file
from ehnreport.model import report_model
from ehnreport.schema import json_schema, schema_text

from .conftest import DATA, ROOT

DEFAULT_FORM = bundled_folder(forms.DEFAULT) / "form.yaml"


@pytest.mark.parametrize("edition_id", EDITIONS)
def test_prepared_copy_is_fresh(edition_id: str) -> None:
    folder = bundled_folder(edition_id)
    committed = (folder / "form.json").read_text(encoding="utf-8")
    assert committed == forms.prepared_text(folder / "form.yaml"), (
        "form.json is stale: run `python -m ehnreport.forms`"
    )


def test_edition_by_id_and_in_form_order() -> None:
    e = load_edition("ehn-public-2024")
    q = e.question("step2.prioritised-risks")
    assert (q.code, q.key, q.kind) == ("2.A.3", "a3", "table")
    assert e.path_of("step2.prioritised-risks") == ("steps", "step2", "a3")
    assert e.by_code("2.A.3") is q
    codes = [q.code for _, q in e.questions() if q.code]
    assert codes[0] == "1.A.1" and codes[-1] == "6.B.1" and len(codes) == 27
    assert [p.key for p in e.parts] == [
        "report",
        "member",
        "foreword",
        "key_info",
        "procurement",
        "goals",
        "contact",
    ]


def test_unknown_edition_is_a_key_error_that_names_it() -> None:
    with pytest.raises(KeyError) as exc:
        load_edition("ehn-public-1999")
    assert exc.value.args == ("ehn-public-1999",)


def test_an_unknown_question_is_a_key_error_that_names_it() -> None:
    e = load_edition(forms.DEFAULT)
    for find in (e.question, e.path_of, e.by_code):
        with pytest.raises(KeyError) as exc:
            find("step9.none")
        assert exc.value.args == ("step9.none",)
    # The last question and the first are found as well as any between.
    ordered = [(path, q) for path, q in e.questions()]
    for path, q in (ordered[0], ordered[-1]):
        assert (e.path_of(q.id), e.question(q.id)) == (path, q)


def test_a_text_in_a_language_and_without_it() -> None:
    e = load_edition(forms.DEFAULT)
    assert e.text({"nb": "Mål", "nn": "Mål på nynorsk"}) == "Mål"  # nb unless told
    assert e.text({"nb": "Mål", "nn": "Mål på nynorsk"}, "nn") == "Mål på nynorsk"
    assert e.text({"nb": "Mål"}, "en") == ""
    assert e.text(None, "nb") == "" and e.text({}, "nb") == ""


def test_a_column_a_step_and_a_code_are_found_by_their_key() -> None:
    e = load_edition(forms.DEFAULT)
    risks = e.question("step2.prioritised-risks").table
    assert risks is not None
    assert [risks.column(c.key) for c in risks.columns] == list(risks.columns)
    with pytest.raises(StopIteration):
        risks.column("finnes-ikke")
    step2 = e.steps[1]
    assert step2.questions == tuple(q for s in step2.sections for q in s.questions)
    assert [q.code for q in step2.questions][:3] == ["2.A.1", "2.A.2", "2.A.3"]
    assert all(e.by_code(q.code) is q for _, q in e.questions() if q.code)
    assert e.parts == e.parts_before + e.parts_after and e.parts_after


def _data() -> dict[str, object]:
    return json.loads((bundled_folder(forms.DEFAULT) / "form.json").read_text(encoding="utf-8"))


def _mistakes(text: str, tmp_path: Path) -> list[tuple[int, int, str]]:
    path = tmp_path / "form.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EditionError) as exc:
        forms.load_edition_file(path)
    return [(d.line, d.column, d.text()) for d in exc.value.diagnostics]


def test_mistakes_are_reported_at_their_line(tmp_path: Path) -> None:
    text = DEFAULT_FORM.read_text(encoding="utf-8")
    # An unknown key, a text without its language and a wrong kind, all in one file.
    text = text.replace("    kicker:\n      nb: Fastsette", "    kickr:\n      nb: Fastsette", 1)
    text = text.replace("\n              nb: Risikokartlegging\n", "\n", 1)
    text = text.replace("kind: url", "kind: link", 1)
    found = _mistakes(text, tmp_path)
    lines = text.splitlines()
    messages = " | ".join(m for _, _, m in found)
    assert "ukjent nøkkel «kickr». Mente du «kicker»?" in messages
    assert "teksten mangler språket nb" in messages
    assert "«link» er ikke tillatt her" in messages
    for line, col, _ in found:
        assert 1 <= line <= len(lines) and col >= 1
    kickr = next(ln for ln, _, m in found if "kickr" in m)
    assert lines[kickr - 1].strip() == "kickr:"


def test_a_missing_key_is_said_at_the_key_of_the_record_it_is_missing_from(
    tmp_path: Path,
) -> None:
    text = DEFAULT_FORM.read_text(encoding="utf-8")
    assert "        table:\n          model: Goal\n" in text
    text = text.replace("        table:\n          model: Goal\n", "        table:\n", 1)
    lines = text.splitlines()
    table = next(i for i, ln in enumerate(lines, 1) if ln == "        table:")
    assert _mistakes(text, tmp_path) == [(table, 9, "«model» mangler.")]


def test_duplicate_ids_and_dangling_references(tmp_path: Path) -> None:
    text = DEFAULT_FORM.read_text(encoding="utf-8")
    text = text.replace("id: step1.policy-development", "id: step1.policy-link", 1)
    text = text.replace("matches: step2.prioritised-risks", "matches: step2.risks", 1)
    messages = " | ".join(m for _, _, m in _mistakes(text, tmp_path))
    assert "id «step1.policy-link» er brukt før" in messages
    assert "fant ikke spørsmålet med id «step2.risks»" in messages


def test_every_text_has_every_language() -> None:
    data = _data()
    data["languages"] = ["nb", "nn", "en", "se"]
    with pytest.raises(EditionError) as exc:
        edition_from_data(data)
    assert all("mangler språket se" in d.text() for d in exc.value.diagnostics)


def test_bundled_edition_file_reads_without_mistakes() -> None:
    loaded = load_file(DEFAULT_FORM)
    edition = edition_from_data(loaded.data, loaded=loaded, file=str(DEFAULT_FORM))
    assert edition == load_edition(forms.DEFAULT)


def _key_paths(schema: dict[str, Any]) -> dict[str, bool]:
    """Every key path of a report schema, and whether it is required."""
    defs = schema["$defs"]
    out: dict[str, bool] = {}

    def walk(node: dict[str, Any], path: str) -> None:
        if "$ref" in node:
            node = defs[node["$ref"].split("/")[-1]]
        for alt in node.get("anyOf", []):
            if alt.get("type") != "null":
                walk(alt, path)
        if node.get("type") == "array" and "items" in node:
            walk(node["items"], path + "[]")
        required = set(node.get("required", []))
        for key, value in node.get("properties", {}).items():
            sub = f"{path}.{key}" if path else key
            out[sub] = key in required
            walk(value, sub)

    walk(schema, "")
    return out


def test_no_key_path_of_the_old_schema_disappears_or_becomes_required() -> None:
    lines = (DATA / "schema-key-paths.txt").read_text(encoding="utf-8").splitlines()
    before = {
        path: state == "required"
        for path, state in (ln.split() for ln in lines if ln and not ln.startswith("#"))
    }
    now = _key_paths(json_schema())
    assert set(before) <= set(now)
    assert all(now[path] == required for path, required in before.items())


def test_committed_schema_is_the_default_editions() -> None:
    committed = (ROOT / "schema" / "ehnreport.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(forms.DEFAULT)


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ("key: a1\n", "key: model_config\n", "«model_config» kan ikke være en nøkkel"),
        ("key: a2\n", "key: schema\n", "«schema» kan ikke være en nøkkel"),
        ("row_model: Risk\n", "row_model: Requirement\n", "modellnavnet «Requirement» er brukt"),
        ("model: Step1\n", "model: step one\n", "«step one» skrives som et navn med stor"),
    ],
)
def test_names_the_models_cannot_hold(tmp_path: Path, old: str, new: str, message: str) -> None:
    text = DEFAULT_FORM.read_text(encoding="utf-8")
    assert old in text
    messages = " | ".join(m for _, _, m in _mistakes(text.replace(old, new, 1), tmp_path))
    assert message in messages


_leaves = st.one_of(st.none(), st.booleans(), st.integers(-3, 3), st.text(max_size=5))


@settings(max_examples=60, derandomize=True, deadline=None)
@given(st.data())
def test_any_mutation_is_a_mistake_or_an_edition_never_a_crash(data: st.DataObject) -> None:
    """Replace one value anywhere in the edition's data: never anything but EditionError."""
    doc = _data()
    node: Any = doc
    while True:
        keys = list(node) if isinstance(node, dict) else list(range(len(node)))
        if not keys:
            break
        key = data.draw(st.sampled_from(keys))
        child = node[key]
        if not isinstance(child, (dict, list)) or data.draw(st.booleans()):
            node[key] = data.draw(_leaves | st.just([]) | st.just({}))
            break
        node = child
    try:
        edition = edition_from_data(doc)
    except EditionError as exc:
        assert exc.diagnostics
        return
    report_model(edition).model_json_schema()


@pytest.fixture
def cold_readers() -> Iterator[None]:
    """The edition readers' caches emptied, as in a new process: the fields and converters
    a test's reading uses are then made by that reading, not remembered from another."""
    from ehnreport.forms import check

    check._fields.cache_clear()
    check._converter.cache_clear()
    yield
    check._fields.cache_clear()
    check._converter.cache_clear()


@pytest.mark.parametrize("edition_id", EDITIONS)
def test_the_prepared_copy_reads_the_same_without_the_checks(
    edition_id: str, cold_readers: None
) -> None:
    # validate reads a bundled edition's prepared copy without the checking reader;
    # both must give the same records, field for field.
    from ehnreport.forms.check import trusted_edition

    data = json.loads((bundled_folder(edition_id) / "form.json").read_text(encoding="utf-8"))
    edition = trusted_edition(data)
    assert edition == edition_from_data(data, rules=False)
    assert edition.themes is not None and isinstance(edition.steps, tuple)
    assert forms._read_bundled(edition_id) == edition == load_edition(edition_id)


def test_a_missing_field_is_said_and_one_with_a_default_may_be_left_out(
    cold_readers: None,
) -> None:
    data = _data()
    del data["title"], data["themes"]  # the edition's title must be written; themes may not
    with pytest.raises(EditionError) as exc:
        edition_from_data(data, rules=False)
    assert [(d.path, d.text()) for d in exc.value.diagnostics] == [("", "«title» mangler.")]
    data = _data()
    del data["themes"]
    assert edition_from_data(data, rules=False).themes is None


@pytest.mark.parametrize(
    ("tp", "value", "made"),
    [
        (typing.Optional[int], None, None),  # noqa: UP045 - the older spelling of int | None
        (typing.Optional[int], 3, 3),  # noqa: UP045
        (int | None, 3, 3),
        (tuple[int, ...] | None, None, None),  # None is kept, not converted
        (tuple[str, ...], ["a", "b"], ("a", "b")),
        (dict[str, tuple[int, ...]], {"a": [1]}, {"a": (1,)}),
        (str, "a", "a"),
    ],
)
def test_the_trusted_reader_converts_each_kind_of_type(tp: Any, value: Any, made: Any) -> None:
    from ehnreport.forms.check import _make_converter

    converted = _make_converter(tp)(value)
    assert converted == made and type(converted) is type(made)
