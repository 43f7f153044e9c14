"""The message catalog: complete in every language, equal to its prepared copy."""

from __future__ import annotations

import pytest

from ehnreport import messages
from ehnreport.messages import Msg, Texts, msg, render, sources


def test_the_prepared_catalog_is_the_yaml_sources():
    data = sources.read()
    assert messages.catalog() == data, "run: python -m ehnreport.messages"
    assert (sources.HERE / messages.PREPARED).read_text(encoding="utf-8") == (
        sources.prepared_text(data)
    )


def test_every_message_has_every_language_with_the_same_placeholders():
    assert sources.problems(sources.read()) == []


def test_the_checker_sees_a_missing_language_and_a_different_placeholder():
    found = sources.problems(
        {
            "x.one": {"nb": "{a} mangler", "nn": "{b} manglar", "en": "{a} is missing"},
            "x.two": {"nb": "Hei", "nn": "Hei"},
            "X two": {"nb": "a", "nn": "a", "en": "a", "de": "a"},
        }
    )
    assert any(f.startswith("x.one: the languages fill in different") for f in found)
    assert "x.two: no text in en" in found
    assert any(f.startswith("X two: a key") for f in found)
    assert "X two: de is not a language of the catalog" in found


def test_a_message_is_made_a_sentence_in_the_language_asked_for():
    m = msg("cli.errors-in-report", count=3)
    assert render(m, "nb") == "3 feil i rapporten"
    assert render(m, "en") == "3 errors in the report"
    assert m.param("count") == 3


def test_parameters_render_in_the_language_of_the_sentence(monkeypatch):
    label = Texts("Antall ansatte", "Talet på tilsette", "Number of employees")
    catalog = {"t.x": {"nb": "«{what}»", "nn": "«{what}»", "en": "'{what}'"}}
    monkeypatch.setattr(messages, "catalog", lambda: catalog)
    m = Msg("t.x", (("what", label),))
    assert render(m, "nn") == "«Talet på tilsette»"
    assert render(m, "en") == "'Number of employees'"
    two = Msg("t.x", (("what", ("a", Msg("t.x", (("what", "b"),)))),))
    assert render(two, "nb") == "«a, «b»»"
    assert render(m.plus(None, Msg("t.x", (("what", 1),))), "nb") == "«Antall ansatte» «1»"


@pytest.mark.parametrize(
    ("argv", "env", "expected"),
    [
        (["validate", "--lang", "en", "r.yaml"], {}, "en"),
        (["validate", "--lang=nn"], {"EHNREPORT_LANG": "en"}, "nn"),
        (["validate", "r.yaml"], {"EHNREPORT_LANG": "en"}, "en"),
        (["validate", "--", "--lang", "en"], {}, None),
        (["validate"], {"EHNREPORT_LANG": ""}, None),
    ],
)
def test_the_language_comes_from_the_option_then_the_environment(argv, env, expected):
    assert messages.from_argv(argv, env) == expected


def test_every_diagnostic_code_is_described_in_every_language():
    from ehnreport.codes import CODES

    described = {k.removeprefix("codes.") for k in messages.catalog() if k.startswith("codes.")}
    assert described == set(CODES)
    for entry in CODES.values():
        # nn may well say it as nb does; English never does.
        assert entry.describe("en") != entry.describe("nb"), entry.name


def test_a_count_of_one_takes_the_singular_form_where_there_is_one():
    many = msg("tools.diff.changes", old="a.yaml", new="b.yaml", count=2)
    one = msg("tools.diff.changes", old="a.yaml", new="b.yaml", count=1)
    assert render(many, "en") == "Changes from a.yaml to b.yaml: 2 questions or fields."
    assert render(one, "en") == "Changes from a.yaml to b.yaml: 1 question or field."
    # Without a -one form the sentence is the same for every count.
    assert render(msg("cli.count.errors", count=1), "nb") == "1 feil"


def test_every_singular_form_has_its_sentence_with_the_same_placeholders():
    data = messages.catalog()
    for key in data:
        if key.endswith("-one"):
            base = key.removesuffix("-one")
            assert base in data, key
            for lang in messages.LANGUAGES:
                assert sources.placeholders(data[key][lang]) == sources.placeholders(
                    data[base][lang]
                ), (key, lang)
                assert "count" in sources.placeholders(data[key][lang]), key
