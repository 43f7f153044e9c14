"""The loader at the edges of its rules: which sentence a mistake gets, and which code."""

from __future__ import annotations

import pytest

from ehnreport.loader import LoadError, file_size, load_text

INVALID_HERE = "ugyldig YAML her. Sjekk innrykk, kolon og anførselstegn på denne linjen."
BLOCK = " Er dette fri tekst, skriv den som en `|`-blokk med innrykk."


def refused(text: str) -> tuple[int, int, str, str]:
    with pytest.raises(LoadError) as exc:
        load_text(text)
    d = exc.value.diagnostic
    return d.line, d.column, d.code, d.text()


@pytest.mark.parametrize(("blanks", "first"), [(" ", "@"), (" ", "`"), ("   ", "@")])
def test_a_value_beginning_with_at_or_backtick_is_told_to_be_quoted(
    blanks: str, first: str
) -> None:
    assert refused(f"navn:{blanks}{first}EHN\n") == (
        1,
        6 + len(blanks),
        "yaml-syntax",
        "en verdi kan ikke begynne med @ eller `. Sett den i anførselstegn eller i en `|`-blokk.",
    )


def test_an_alias_of_a_list_as_a_key_is_a_bad_key() -> None:
    assert refused("liste: &l [1]\n? *l\n: x\n") == (
        2,
        3,
        "bad-key",
        "en nøkkel må være en enkel tekst, ikke en liste eller gruppe.",
    )


@pytest.mark.parametrize(
    ("text", "where", "hint"),
    [
        ("%YAML 2.0\n---\na: 1\n", (1, 1), True),  # a YAML version the parser refuses
        ("%FOO bar\n---\na: 1\n", (1, 5), True),  # an unknown directive
        ("a: 1\n...\nb\n", (3, 1), False),  # text after the end of the document
    ],
)
def test_a_problem_without_a_sentence_of_its_own_says_invalid_here(
    text: str, where: tuple[int, int], hint: bool
) -> None:
    """The general sentence, never the parser's English; the `|` hint only where the line
    has a character free text often starts with (here `%`)."""
    assert refused(text) == (*where, "yaml-syntax", INVALID_HERE + (BLOCK if hint else ""))


def test_a_quoted_value_after_the_bare_tag_stays_text() -> None:
    """`! "123"` is quoted: text, as without the `!`. A plain `! 123` is read as a number."""
    assert load_text("a: ! \"123\"\nb: ! '7'\nc: ! 123\n").data == {"a": "123", "b": "7", "c": 123}


LONG = "en nøkkel kan være høyst 1024 tegn lang. Gjør nøkkelen kortere."
COLON = "et kolon etterfulgt av mellomrom («: ») inne i en tekst"


@pytest.mark.parametrize(
    ("text", "long"),
    [
        ("k" * 1025 + ": x\n", True),
        ("a:\n  " + "k" * 1025 + ": x\n", True),
        ("- " + "k" * 1025 + ": x\n", True),
        ("k" * 1024 + ": x\n", None),  # 1024 characters is a key YAML reads
        ("- " + "k" * 1024 + ": x\n", None),
        # A colon far out on the second line of a plain text: the text's colon, not a key
        # of over 1024 characters, even past column 1024.
        ("a:\n  b\n  " + "c" * 1024 + ": d\n", False),
    ],
)
def test_a_key_is_too_long_from_1025_characters_counted_from_its_start(
    text: str, long: bool | None
) -> None:
    if long is None:
        load_text(text)
        return
    said = refused(text)[3]
    assert (said == LONG) is long
    assert long or COLON in said


def test_a_file_of_over_50000_values_without_aliases_is_not_told_to_remove_aliases() -> None:
    """The value past the cap is pointed at: the group, its key and the list are three
    values, so item 49 997 (from 0) is number 50 001."""
    items = 50_000 - 3
    load_text("a: [" + ",".join(["1"] * items) + "]\n")  # at the cap: read
    assert refused("a: [" + ",".join(["1"] * (items + 1)) + "]\n") == (
        1,
        5 + 2 * items,
        "too-large",
        "rapporten har over 50000 verdier, langt flere enn skjemaet har plass til. Sjekk om "
        "noe er limt inn flere ganger, eller er data som ikke hører hjemme i rapporten.",
    )


def test_past_the_cap_by_an_alias_the_aliases_are_named() -> None:
    text = "a: &a [" + ",".join(["1"] * 30_000) + "]\nb: *a\n"
    assert refused(text)[:3] == (2, 4, "too-large")
    assert "Fjern aliasene (`&navn` og `*navn`)." in refused(text)[3]


def test_the_value_hidden_as_a_comment_is_shown_without_its_trailing_blanks() -> None:
    (warning,) = load_text("member:\n  accent: #005a70   \n  b: 1\n").warnings
    assert (warning.line, warning.column, warning.code) == (2, 11, "comment-value")
    assert warning.text().endswith(
        'så «#005a70» forsvinner. Sett verdien i anførselstegn: `accent: "#005a70"`.'
    )


def test_past_the_text_cap_by_an_alias_the_alias_is_pointed_at() -> None:
    """Text grows past 512 KiB only by repeating an anchored text."""
    text = "a: &a " + "x" * 300_000 + "\nb: *a\n"
    assert refused(text) == (
        2,
        4,
        "too-large",
        "rapporten blir for stor når referansene (aliaser) foldes ut: over 512 KiB tekst. "
        "Fjern aliasene (`&navn` og `*navn`).",
    )


@pytest.mark.parametrize("key", ["a", "ab"])
def test_the_text_cap_holds_at_its_edge(key: str) -> None:
    # Keys count as text too: "a" + "b" and twice the anchored text make the cap exactly.
    from ehnreport.loader import MAX_TEXT

    text = f"{key}: &a " + "x" * ((MAX_TEXT - 2) // 2) + "\nb: *a\n"
    if key == "a":
        assert load_text(text).data["b"] == "x" * ((MAX_TEXT - 2) // 2)
    else:  # one character over
        assert refused(text)[:3] == (2, 4, "too-large")


def test_a_long_text_with_a_colon_is_a_colon_in_text_not_a_long_key() -> None:
    said = refused("a: " + "x" * 1100 + ": b\n")
    assert said[:3] == (1, 1104, "yaml-syntax")
    assert said[3].startswith("et kolon etterfulgt av mellomrom («: ») inne i en tekst")
    assert refused("x" * 1100 + ": b\n")[3] == (
        "en nøkkel kan være høyst 1024 tegn lang. Gjør nøkkelen kortere."
    )


@pytest.mark.parametrize(
    ("text", "hint"),
    [
        ("- a\nb: c # d\n", True),  # text with a sign YAML reads: write it as a block
        ("- a\nb: |\n", False),  # a block already
        ('a: "x\\q"\n', False),  # the sentence itself says to write a block
    ],
)
def test_the_block_hint_is_given_only_where_a_block_is_not_written_or_said(
    text: str, hint: bool
) -> None:
    said = refused(text)[3]
    assert said.endswith(" Er dette fri tekst, skriv den som en `|`-blokk med innrykk.") is hint
    assert said.count("`|`-blokk") == (1 if hint or "\\" in text else 0)


def test_a_bom_inside_the_file_is_named_where_it_stands() -> None:
    """The BOM at the very start is taken off (decode); one further in is two files
    pasted together."""
    assert refused("a: 1\n\ufeffb: 2\n") == (
        2,
        1,
        "yaml-syntax",
        "et usynlig BOM-tegn (U+FEFF) står midt i filen, ofte fordi to filer er limt sammen. "
        "Fjern det.",
    )


MIB = 1024 * 1024


@pytest.mark.parametrize(
    ("size", "said"),
    [
        (1, "1 KiB"),
        (1024, "1 KiB"),
        (1025, "2 KiB"),
        (MIB - 1, "1024 KiB"),
        (MIB, "1,0 MiB"),
        # Rounded up to the tenth: 1.1 MiB is 1 153 433.6 bytes.
        (1_153_433, "1,1 MiB"),
        (1_153_434, "1,2 MiB"),
        (100 * MIB, "100,0 MiB"),
    ],
)
def test_a_file_size_is_rounded_up_at_every_step(size: int, said: str) -> None:
    assert file_size(size).nb == said
    assert file_size(size).en == said.replace(",", ".")


def test_a_tab_after_a_dash_is_a_tab_in_the_indent() -> None:
    """`-<tab>b: c` has no blank before the dash, yet the tab is what YAML refuses."""
    assert refused("- a\n-\tb: c\n  d: e\n") == (
        2,
        2,
        "yaml-syntax",
        "tabulator brukt til innrykk. YAML krever mellomrom: bytt tabulatorene med mellomrom.",
    )


def test_a_parser_error_without_a_place_is_still_a_sentence_at_the_top(monkeypatch) -> None:
    """Every error PyYAML raises today has a mark; one without (a future version, a
    reader error of another kind) must still be a diagnostic, never a traceback."""
    import yaml

    def no_mark(*args, **kwargs):
        raise yaml.YAMLError("odd  problem\n  here")

    monkeypatch.setattr(yaml, "parse", no_mark)
    line, col, code, said = refused("a: 1\n")
    assert (line, col, code) == (1, 1, "yaml-syntax")
    assert said == "ugyldig YAML: odd problem here."


def test_a_marked_error_without_its_marks_is_put_at_the_top(monkeypatch) -> None:
    import yaml

    def no_marks(*args, **kwargs):
        raise yaml.MarkedYAMLError(problem="did not find expected key")

    monkeypatch.setattr(yaml, "parse", no_marks)
    assert refused("a: 1\n")[:3] == (1, 1, "yaml-syntax")


@pytest.mark.parametrize(
    ("text", "col"), [("a: *viktig* tekst\n", 11), ("a: * stjerne\n", 5), ("a: &x\nb: *x y\n", 7)]
)
def test_markdown_emphasis_or_a_bullet_at_the_start_of_a_value_is_named(
    text: str, col: int
) -> None:
    """`*viktig*` and `* punkt` begin a YAML reference; the sentence says how to write it."""
    line, column, code, said = refused(text)
    assert (column, code) == (col, "yaml-syntax")
    assert said == (
        "en verdi som begynner med `*` eller `&`, leses som en YAML-referanse. Skriv fri "
        "tekst (Markdown) som en `|`-blokk, eller sett den i anførselstegn."
    )


def test_true_as_a_key_is_named_as_written() -> None:
    line, col, code, said = refused("a: 1\ntrue: 2\n")
    assert (line, col, code) == (2, 1, "bad-key")
    assert said == "«true» kan ikke brukes som nøkkel."
