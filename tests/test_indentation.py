"""Indentation mistakes are reported at the first wrong line, in plain Norwegian."""

from __future__ import annotations

import re

import pytest

from ehnreport.loader import LoadError, load_text

STEP = "steps:\n  step1:\n"
CASES = {
    # text under `|`
    "block-text-at-key-indent": (
        STEP + "    a2: |\n    Vedtatt av kommunestyret.\n    a3: x\n",
        (4, 5),
        "teksten under `|` må ha mer innrykk enn nøkkelen «a2» på linje 3: minst 5 mellomrom, "
        "men linjen har 4.",
    ),
    "block-text-below-key": (
        STEP + "    a2: |\n  Vedtatt av kommunestyret.\n",
        (4, 3),
        "teksten under `|` må ha mer innrykk enn nøkkelen «a2»",
    ),
    "block-second-line-at-key": (
        STEP + "    a2: |\n      Første linje.\n    Andre linje.\n    a3: x\n",
        (5, 5),
        "teksten under `|` må ha mer innrykk enn nøkkelen «a2» på linje 3",
    ),
    "block-second-line-less-than-first": (
        STEP + "    a2: |\n        Første linje.\n      Andre linje.\n    a3: x\n",
        (5, 7),
        "linjen har 6 mellomrom innrykk, men teksten under `|` på linje 3 begynner med 8.",
    ),
    "folded-block": (
        STEP + "    a2: >\n    Tekst.\n",
        (4, 5),
        "teksten under `>` må ha mer innrykk enn nøkkelen «a2»",
    ),
    "block-in-list-item": (
        "goals:\n  current:\n    - goal: |\n      Tekst.\n",
        (4, 7),
        "teksten under `|` må ha mer innrykk enn nøkkelen «goal» på linje 3",
    ),
    "text-on-the-block-line": (
        "a: | Tekst på samme linje\n  mer\n",
        (1, 6),
        "etter `|` (eller `>`) må teksten begynne på neste linje",
    ),
    # keys
    "key-one-space-more": (
        "member:\n  name: A\n   short_name: B\n",
        (3, 4),
        "linjen har 3 mellomrom innrykk, nøklene over har 2.",
    ),
    "key-one-space-less": (
        "member:\n  name: A\n short_name: B\n",
        (3, 2),
        "linjen har 1 mellomrom innrykk, nøklene over har 2.",
    ),
    "first-key-one-space-more": (
        "member:\n   name: A\n  short_name: B\n",
        (3, 3),
        "linjen har 2 mellomrom innrykk, nøklene over har 3.",
    ),
    "key-after-a-block-one-space-more": (
        "member:\n  name: |\n    A\n   short_name: B\n",
        (4, 4),
        "linjen har 3 mellomrom innrykk, nøklene over har 2.",
    ),
    "top-level-key-indented": (
        "member:\n  name: A\nshort_name: B\n key_info: x\n",
        (4, 2),
        "linjen har 1 mellomrom innrykk, nøklene over har 0.",
    ),
    "key-in-list-item-one-more": (
        "goals:\n  current:\n    - goal: A\n       status: x\n",
        (4, 8),
        "linjen har 7 mellomrom innrykk, nøklene over har 6.",
    ),
    "key-in-list-item-one-less": (
        "goals:\n  current:\n    - goal: A\n     status: x\n",
        (4, 6),
        "linjen har 5 mellomrom innrykk, nøklene over har 6.",
    ),
    "list-item-one-more": (
        "goals:\n  current:\n    - goal: A\n      status: x\n     - goal: B\n",
        (5, 6),
        "linjen har 5 mellomrom innrykk, linjene med «- » over har 4.",
    ),
    "no-space-after-colon": (
        "member:\n  name:A\n  short_name: B\n",
        (2, 8),
        "det mangler et mellomrom etter kolonet i «name:A». Skriv `name: A`.",
    ),
    "key-without-colon": (
        "member:\n  name: A\nforeword\n  text: hei\n",
        (3, 9),
        "«foreword» mangler kolon.",
    ),
    # text without `|`
    "numbered-list-on-the-key-line": (
        STEP + "    a2: 1. Først\n    2. Deretter\n",
        (3, 5),
        "en nummerert liste i fri tekst må skrives som en `|`-blokk: skriv `a2: |`",
    ),
    "numbered-list-under-the-key": (
        STEP + "    a2:\n    1. Først\n    2. Deretter\n",
        (3, 5),
        "en nummerert liste i fri tekst må skrives som en `|`-blokk: skriv `a2: |`",
    ),
    "text-continued-at-key-indent": (
        "member:\n  name: Eksempel\n  kommune\n  short_name: B\n",
        (3, 3),
        "linjen fortsetter teksten til «name» på linje 2, men har ikke mer innrykk enn nøkkelen.",
    ),
    "unclosed-quote": (
        'member:\n  name: "Eksempel\n  short_name: B\n',
        (2, 9),
        "anførselstegnet her blir aldri lukket.",
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_indentation_mistake_is_located_and_plain(name):
    text, (line, col), sentence = CASES[name]
    with pytest.raises(LoadError) as exc:
        load_text(text)
    d = exc.value.diagnostic
    assert (d.line, d.column, d.code) == (line, col, "yaml-syntax"), d.text()
    assert sentence in d.text()
    # Nothing of the parser's English reaches the user.
    assert not re.search(r"\b(found|expected|mapping|while|scanning|block|key)\b", d.text())


@pytest.mark.parametrize(
    "name", [n for n in CASES if CASES[n][0].count("|") and "samme linje" not in CASES[n][0]]
)
def test_no_block_hint_when_the_user_wrote_one(name):
    text, _, _ = CASES[name]
    with pytest.raises(LoadError) as exc:
        load_text(text)
    assert "skriv den som en `|`-blokk" not in exc.value.diagnostic.text()


def test_a_left_over_parser_problem_is_in_norwegian_without_a_block_hint():
    with pytest.raises(LoadError) as exc:
        load_text("a: |\n  x\nb: [1, 2\n")
    assert "found" not in exc.value.diagnostic.text()


def test_a_numbered_list_folded_under_its_key_is_warned_at_the_key():
    loaded = load_text(STEP + "    a2:\n      1. Først\n      2. Deretter\n")
    [w] = loaded.warnings
    assert (w.line, w.column, w.code, w.path) == (3, 5, "folded-text", "steps.step1.a2")
    assert "nummerert liste" in w.text() and "`a2: |`" in w.text()


def test_a_correct_file_with_blocks_and_lists_still_loads():
    text = (
        "member:\n  name: A\n  text: |\n    Første.\n\n      Innrykket.\n    Siste.\n"
        "goals:\n  current:\n    - goal: |\n        Mål.\n      status: x\n    - goal: B\n"
    )
    assert load_text(text).data["goals"]["current"][1] == {"goal": "B"}


MORE = {
    "list-under-a-key-with-a-value": (
        "goals:\n  current: x\n    - goal: A\n",
        (3, 5),
        "«current» på linje 2 har allerede en verdi etter kolonet, så en liste kan ikke stå under",
    ),
    "url-without-space": (
        "a1:https://x.no\nb: 1\n",
        (1, 4),
        "det mangler et mellomrom etter kolonet i «a1:https://x.no». Skriv `a1: https://x.no`.",
    ),
    "text-without-colon-at-the-end": (
        "member:\n  name: Eksempel\nkommune\n",
        (3, 1),
        "fant ikke kolon etter en nøkkel. En nøkkel skrives `nøkkel: verdi`",
    ),
    "list-item-one-less": (
        "goals:\n  current:\n    - goal: A\n   - goal: B\n",
        (4, 4),
        "linjen har 3 mellomrom innrykk, linjene med «- » over har 4.",
    ),
    "comment-inside-a-block-with-less-indent": (
        "a: |\n    x\n  # kommentar\n    y\n",
        (3, 3),
        "kommentaren har mindre innrykk enn teksten under `|` på linje 1, og avslutter den",
    ),
    "list-item-without-space-after-colon": (
        "l:\n  - name:Transport\n    count: 1\n",
        (2, 10),
        "det mangler et mellomrom etter kolonet i «name:Transport». Skriv `name: Transport`.",
    ),
    "block-sign-without-space-found-lines-later": (
        "a:\n  a1:|\n    Tekst her\n    mer tekst\n  a2: x\n",
        (2, 6),
        "det mangler et mellomrom etter kolonet i «a1:|». Skriv `a1: |`.",
    ),
    "crlf-line-ends": (
        "member:\r\n  name: A\r\n   short_name: B\r\n",
        (3, 4),
        "linjen har 3 mellomrom innrykk, nøklene over har 2.",
    ),
}


@pytest.mark.parametrize("name", sorted(MORE))
def test_more_mistakes_are_located_and_plain(name):
    text, (line, col), sentence = MORE[name]
    with pytest.raises(LoadError) as exc:
        load_text(text)
    d = exc.value.diagnostic
    assert (d.line, d.column, d.code) == (line, col, "yaml-syntax"), d.text()
    assert sentence in d.text()


def _variants():
    """The example with one line's indent, colon or dash changed: 600 fixed variants."""
    import random

    from .conftest import ROOT

    lines = (ROOT / "examples" / "ntnu-2024.yaml").read_text(encoding="utf-8").split("\n")
    rng = random.Random(2024)
    for _ in range(600):
        changed = list(lines)
        i = rng.randrange(len(changed))
        line = changed[i]
        how = rng.randrange(4)
        if how == 0:
            changed[i] = " " * rng.randint(1, 3) + line
        elif how == 1:
            changed[i] = line[rng.randint(1, 3) :] if line.startswith("   ") else line
        elif how == 2:
            changed[i] = line.replace(": ", ":", 1)
        else:
            changed[i] = line.replace("- ", "", 1).replace(": |", ":", 1)
        yield "\n".join(changed)


def test_changed_indentation_never_crashes_and_never_speaks_english():
    """Every variant loads or fails with a located Norwegian sentence, never a crash."""
    english = re.compile(r"\b(found|expected|mapping|while|scanning|token|stream)\b")
    failed = 0
    for text in _variants():
        try:
            load_text(text)
        except LoadError as exc:
            failed += 1
            d = exc.diagnostic
            assert not english.search(d.text()), d.text()
            assert 1 <= d.line <= text.count("\n") + 2
    assert failed > 50  # the variants do reach the parser's errors
