"""What a validation error says, by the kind of mistake: code, path, position and the nb
sentence, at the edges where the wording changes (digits, lengths, signs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehnreport.diagnostics import SUGGESTIONS
from ehnreport.errors import Diagnostic
from ehnreport.validate import check_file

from .conftest import DATA

MINIMAL = (DATA / "reports" / "valid-minimal.yaml").read_text(encoding="utf-8")
KEY_INFO = "key_info:\n  employees: 1200\n  email: innkjop@eksempel.kommune.no\n"
NUMBER = "her skal det stå et helt tall, men det står"
GROUP = "her skal det stå en gruppe med nøkler (nøkkel: verdi på egne linjer med innrykk)"
LIST = "her skal det stå en liste (linjer som begynner med «- »)"
RISKS = "steps:\n  step2:\n    a3:\n      risks:"


def errors(tmp_path: Path, old: str, new: str) -> list[Diagnostic]:
    assert old in MINIMAL
    path = tmp_path / "report.yaml"
    path.write_text(MINIMAL.replace(old, new, 1), encoding="utf-8")
    return [d for d in check_file(path).diagnostics if d.severity == "error"]


def employees(value: str) -> tuple[str, str]:
    return ("employees: 1200", f"employees: {value}")


def report_date(value: str) -> tuple[str, str]:
    return ("  form: ehn-public-2024\n", f"  form: ehn-public-2024\n  date: {value}\n")


@pytest.mark.parametrize(
    ("change", "sentence"),
    [
        (employees("tolv"), f"{NUMBER} en tekst «tolv»."),
        (employees("true"), f"{NUMBER} en sannhetsverdi (true/false) «true»."),
        (employees("[1, 2]"), f"{NUMBER} en liste «[1, 2]»."),
        (employees('"tolv\\ntretten"'), f"{NUMBER} en tekst «tolv tretten»."),
        # Quoted digits: said to drop the quotes, with a sign too, and up to 18 digits.
        (employees('"0"'), f"{NUMBER} en tekst «0». Skriv tallet uten anførselstegn."),
        (employees('"-12"'), f"{NUMBER} en tekst «-12». Skriv tallet uten anførselstegn."),
        (employees('"X1"'), f"{NUMBER} en tekst «X1»."),  # only a sign is taken off
        (
            employees('"123456789012345678"'),
            f"{NUMBER} en tekst «123456789012345678». Skriv tallet uten anførselstegn.",
        ),
        (employees('"1234567890123456789"'), "tallet «1234567890123456789» er for stort."),
        # A leading zero, from two digits on.
        (
            employees('"01"'),
            f"{NUMBER} en tekst «01». Et tall kan ikke begynne med 0; fjern nullen foran.",
        ),
        # Groups: a sign and 18 digits are printed as the number; longer, as written.
        (
            employees('"+123 456 789 012 345 678"'),
            f"{NUMBER} en tekst «+123 456 789 012 345 678». "
            "Skriv 123456789012345678, uten mellomrom eller punktum.",
        ),
        (
            employees('"+1 234 567 890 123 456 789"'),
            f"{NUMBER} en tekst «+1 234 567 890 123 456 789». "
            "Skriv +1234567890123456789, uten mellomrom eller punktum.",
        ),
        # A value is shown in full up to 60 characters, then cut to 59 and «…».
        (employees("a" * 60), f"{NUMBER} en tekst «{'a' * 60}»."),
        (employees("a" * 61), f"{NUMBER} en tekst «{'a' * 59}…»."),
        ((KEY_INFO, "key_info: tekst\n"), f"{GROUP}, men det står en tekst."),
        ((KEY_INFO, "key_info: [a]\n"), f"{GROUP}, men det står en liste."),
        (("steps:\n", f"{RISKS} tekst\n"), f"{LIST}, men det står en tekst."),
        (("steps:\n", f"{RISKS} {{a: b}}\n"), f"{LIST}, men det står en gruppe med nøkler."),
        (("short_name: EKS", 'short_name: ""'), "kan ikke være tom."),
        (report_date("i går"), "«i går» er ikke en dato på formen ÅÅÅÅ-MM-DD."),
        (report_date("[1]"), "«[1]» er ikke en dato på formen ÅÅÅÅ-MM-DD."),
        # A date with a time of day: no sentence of its own, the value is shown.
        (report_date("2024-05-01T10:00:00"), "ugyldig verdi «2024-05-01T10:00:00»."),
        (
            ("email: innkjop@eksempel.kommune.no", "email: ikke-en-adresse"),
            "«ikke-en-adresse» er ikke en gyldig e-postadresse (navn@eksempel.no).",
        ),
    ],
)
def test_each_kind_of_mistake_has_its_sentence(
    tmp_path: Path, change: tuple[str, str], sentence: str
) -> None:
    assert [d.text("nb") for d in errors(tmp_path, *change)] == [sentence]


def test_the_codes_and_places_of_the_kinds_of_mistake(tmp_path: Path) -> None:
    found = errors(tmp_path, KEY_INFO, "key_info: tekst\n")
    assert [(d.line, d.column, d.code, d.path) for d in found] == [
        (8, 11, "wrong-type", "key_info")
    ]
    found = errors(tmp_path, "steps:\n", f"{RISKS} tekst\n")
    assert [(d.line, d.column, d.code, d.path) for d in found] == [
        (14, 14, "wrong-type", "steps.step2.a3.risks")
    ]
    found = errors(tmp_path, "short_name: EKS", 'short_name: ""')
    assert [(d.code, d.path) for d in found] == [("missing", "member.short_name")]


def test_a_missing_key_is_shown_at_the_group_it_belongs_in(tmp_path: Path) -> None:
    # The risk's own line (15), not the first line of `steps`.
    found = errors(tmp_path, "steps:\n", f"steps:\n{RISKS[7:]}\n        - themes: [Miljø]\n")
    assert [(d.line, d.column, d.code, d.path, d.text("nb")) for d in found] == [
        (
            15,
            11,
            "missing",
            "steps.step2.a3.risks[0].name",
            "«name» (Prioritert risiko) mangler og må fylles ut.",
        )
    ]


def test_an_empty_list_item_is_named_by_its_place(tmp_path: Path) -> None:
    found = errors(tmp_path, "steps:\n", f"steps:\n{RISKS[7:]}\n        -\n")
    assert [(d.code, d.path, d.text("nb")) for d in found] == [
        ("missing", "steps.step2.a3.risks[0]", "«0» er tom og må fylles ut.")
    ]


def test_past_the_suggestion_cap_an_unknown_key_lists_the_allowed_keys(tmp_path: Path) -> None:
    letters = "abcdfghijklmopqrstuvwxyz"
    keys = [f"nam{a}{b}" for a in letters for b in letters][: SUGGESTIONS + 2]
    extra = "".join(f"  {k}: x\n" for k in keys)
    found = errors(tmp_path, "  short_name: EKS\n", "  short_name: EKS\n" + extra)
    texts = {d.path: d.text("nb") for d in found}
    allowed = "Tillatte nøkler her: name, short_name, logo, logo_alt."
    hinted = [p for p, t in texts.items() if t.endswith("Mente du «name»?")]
    assert len(hinted) == SUGGESTIONS
    rest = sorted(set(texts) - set(hinted))
    assert [texts[p] for p in rest] == [
        f"ukjent nøkkel «{p.removeprefix('member.')}». {allowed}" for p in rest
    ]


@pytest.mark.parametrize(
    ("key", "sentence"),
    [
        ("theme", "ukjent nøkkel «theme». Mente du «themes»?"),
        ("xyzzy", "ukjent nøkkel «xyzzy». Tillatte nøkler her: name, themes, geography."),
    ],
)
def test_an_unknown_key_in_a_table_row_knows_the_rows_keys(
    tmp_path: Path, key: str, sentence: str
) -> None:
    # The row's model is found through the list (and its length cap) that holds it.
    row = f"steps:\n{RISKS[7:]}\n        - name: Reiser\n          {key}: [Miljø]\n"
    found = errors(tmp_path, "steps:\n", row)
    assert [(d.line, d.column, d.code, d.path, d.text("nb")) for d in found] == [
        (16, 11, "unknown-key", f"steps.step2.a3.risks[0].{key}", sentence)
    ]


def test_an_unknown_key_of_101_characters_is_cut(tmp_path: Path) -> None:
    [d] = errors(tmp_path, "  short_name: EKS\n", f"  short_name: EKS\n  {'k' * 101}: x\n")
    assert d.text("nb").startswith(f"ukjent nøkkel «{'k' * 99}…».")


def test_an_unknown_key_after_an_empty_quoted_text_gets_no_block_hint(tmp_path: Path) -> None:
    old = "    a2: |\n      Vedtatt av kommunestyret i 2023.\n"
    [d] = errors(tmp_path, old, '    a2: ""\n    Vedtatt: i 2023.\n')
    assert d.text("nb") == (
        "ukjent nøkkel «Vedtatt». Tillatte nøkler her: a1, a2, b1, b2, c1, d1, d2, e1."
    )


def test_an_unknown_key_on_the_line_of_an_empty_text_gets_no_block_hint(tmp_path: Path) -> None:
    old = "  step1:\n    a1: https://www.eksempel.kommune.no/policy\n    a2: |\n"
    old += "      Vedtatt av kommunestyret i 2023.\n"
    [d] = errors(tmp_path, old, '  step1: {a2: "", zz: 1}\n')
    assert (
        d.text("nb") == "ukjent nøkkel «zz». Tillatte nøkler her: a1, a2, b1, b2, c1, d1, d2, e1."
    )


ROWS = "steps:\n  step2:\n    a2:\n      rows:\n"  # the row is line 15


@pytest.mark.parametrize(
    ("row", "sentence", "where"),
    [
        # Missing: said at the row, as the key has no place in the file.
        ("        - suppliers: 1\n", "mangler og må fylles ut.", (15, 11)),
        ("        - procurement:\n          suppliers: 1\n", "er tom og må fylles ut.", (15, 23)),
    ],
)
def test_a_required_cell_deep_in_a_table_is_named_by_its_label(
    tmp_path: Path, row: str, sentence: str, where: tuple[int, int]
) -> None:
    """Five levels down, the label is the row's column's: «procurement» (I hvilke type
    anskaffelser), in the language the message is printed in."""
    found = errors(tmp_path, "steps:\n", ROWS + row)
    first = found[0]
    assert (first.code, first.path) == ("missing", "steps.step2.a2.rows[0].procurement")
    assert (first.line, first.column) == where
    assert first.text() == f"«procurement» (I hvilke type anskaffelser) {sentence}"
    assert first.text("en").startswith("“procurement” (In which type of procurement) is ")
