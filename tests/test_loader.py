"""The YAML loader: every PyYAML trap is a case of its own."""

from __future__ import annotations

from pathlib import Path

import pytest

from ehnreport.loader import MAX_BYTES, LoadError, decode, load_file, load_text


def value(text: str):
    return load_text(text).data


@pytest.mark.parametrize("word", ["NO", "no", "No", "yes", "Yes", "off", "ON", "y", "n", "Off"])
def test_yaml11_booleans_stay_text(word):
    assert value(f"a: {word}\n") == {"a": word}


def test_only_true_and_false_are_booleans():
    assert value("a: true\nb: false\n") == {"a": True, "b": False}


@pytest.mark.parametrize("text", ["0150", "012", "0o17", "0x1F", "1_000", "12:30", "1:20:30", "+0"])
def test_octal_hex_base60_and_underscored_numbers_stay_text(text):
    got = value(f"a: {text}\n")["a"]
    assert got == text or (text == "+0" and got == 0)


@pytest.mark.parametrize("text", [".nan", ".NaN", ".inf", "-.inf", "1.5", "1e3", "3.0"])
def test_floats_stay_text(text):
    assert value(f"a: {text}\n") == {"a": text}


@pytest.mark.parametrize("text", ["2024-05-01", "2024-05-01T10:00:00", "2001-12-14 21:59:43.10 -5"])
def test_dates_stay_text(text):
    assert value(f"a: {text}\n") == {"a": text}


def test_decimal_integers_are_numbers():
    assert value("a: 8731\nb: -5\nc: 0\n") == {"a": 8731, "b": -5, "c": 0}


def test_integers_longer_than_18_digits_stay_text():
    assert value("a: " + "9" * 400 + "\n") == {"a": "9" * 400}


def test_quoted_scalars_are_always_text():
    assert value("a: 'true'\nb: \"42\"\nc: '~'\n") == {"a": "true", "b": "42", "c": "~"}


def test_null_and_empty():
    assert value("a:\nb: ~\nc: null\n") == {"a": None, "b": None, "c": None}


def test_duplicate_key_names_both_lines():
    with pytest.raises(LoadError) as exc:
        load_text("member:\n  name: A\n  short_name: B\n  name: C\n")
    d = exc.value.diagnostic
    assert (d.line, d.column, d.code) == (4, 3, "duplicate-key")
    assert "linje 2" in d.text() and "linje 4" in d.text()
    assert d.path == "member.name"


def test_alias_bomb_fails_fast():
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for i in range(1, 10):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ",".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(LoadError) as exc:
        load_text("\n".join(lines) + "\n")
    assert exc.value.diagnostic.code == "too-large"


def test_small_aliases_are_allowed():
    assert value("a: &x hei\nb: *x\n") == {"a": "hei", "b": "hei"}


@pytest.mark.parametrize(
    "text",
    [
        "a: !!python/object/apply:os.system ['echo hi']\n",
        "a: !!python/name:os.system\n",
        "a: !!binary aGVp\n",
        "a: !!set {x}\n",
        "a: !custom x\n",
        "a: !!map {x: 1}\n",
    ],
)
def test_tags_are_refused(text):
    with pytest.raises(LoadError) as exc:
        load_text(text)
    assert exc.value.diagnostic.code == "yaml-tag"


def test_merge_keys_are_refused():
    with pytest.raises(LoadError) as exc:
        load_text("base: &b {x: 1}\nother:\n  <<: *b\n")
    assert exc.value.diagnostic.code == "yaml-merge"
    assert exc.value.diagnostic.line == 3


def test_deep_nesting_is_an_error_not_a_crash():
    with pytest.raises(LoadError) as exc:
        load_text("a: " + "[" * 10_000 + "]" * 10_000 + "\n")
    assert "nestet" in exc.value.diagnostic.text()


def test_nesting_cap_on_block_style():
    text = "".join("  " * i + f"k{i}:\n" for i in range(100)) + "  " * 100 + "x: 1\n"
    with pytest.raises(LoadError) as exc:
        load_text(text)
    assert exc.value.diagnostic.code == "too-deep"


def test_tab_indentation_gets_a_hint():
    with pytest.raises(LoadError) as exc:
        load_text("member:\n\tname: A\n")
    assert exc.value.diagnostic.line == 2
    assert "tabulator" in exc.value.diagnostic.text()


@pytest.mark.parametrize(
    ("text", "line", "hint"),
    [
        ("a: *Viktig* tekst\n", 1, "`|`-blokk"),
        ("a: Status: ferdig\n", 1, "`|`-blokk"),
        ("a: Tiltak\n- en\n", 2, "`|`-blokk"),
    ],
)
def test_markdown_in_plain_scalars_gets_a_block_hint(text, line, hint):
    with pytest.raises(LoadError) as exc:
        load_text(text)
    assert exc.value.diagnostic.line == line
    assert hint in exc.value.diagnostic.text()


def test_positions_of_values_and_keys():
    loaded = load_text("report:\n  year: 2024\nlist:\n  - a\n  - b: x\n")
    assert loaded.positions[("report", "year")] == (2, 9)
    assert loaded.key_positions[("report", "year")] == (2, 3)
    assert loaded.positions[("list", 1, "b")] == (5, 8)
    assert loaded.where(("list", 1, "missing")) == (5, 5)


def test_utf8_bom_is_accepted():
    assert decode(b"\xef\xbb\xbfa: 1\n") == "a: 1\n"


@pytest.mark.parametrize(
    "raw", ["a: æ\n".encode("utf-16"), "a: æ\n".encode("utf-16-be")[0:0] + b"\xfe\xff\x00a"]
)
def test_utf16_is_refused(raw):
    with pytest.raises(LoadError) as exc:
        decode(raw)
    assert "UTF-16" in exc.value.diagnostic.text()


def test_latin1_is_refused_with_position():
    with pytest.raises(LoadError) as exc:
        decode("a: ok\nb: Ålesund\n".encode("latin-1"))
    d = exc.value.diagnostic
    assert (d.line, d.column) == (2, 4)
    assert "Latin-1" in d.text()


def test_nul_byte_is_refused():
    with pytest.raises(LoadError) as exc:
        decode(b"a: x\x00y\n")
    assert exc.value.diagnostic.code == "encoding"


def test_size_cap():
    with pytest.raises(LoadError) as exc:
        decode(b"#" * (MAX_BYTES + 1))
    assert exc.value.diagnostic.code == "file-too-large"


def test_non_scalar_keys_are_refused():
    with pytest.raises(LoadError) as exc:
        load_text("? [a, b]\n: x\n")
    assert exc.value.diagnostic.code == "bad-key"


def test_second_document_is_refused():
    with pytest.raises(LoadError) as exc:
        load_text("a: 1\n---\nb: 2\n")
    assert exc.value.diagnostic.code == "multiple-documents"


def test_plain_text_over_several_lines_is_folded_with_a_warning():
    loaded = load_text("a: Tiltak\n  - en\n  - to\nb: |\n  - en\n")
    assert loaded.data == {"a": "Tiltak - en - to", "b": "- en\n"}
    assert [(w.line, w.code, w.path) for w in loaded.warnings] == [(1, "folded-text", "a")]


@pytest.mark.parametrize(
    ("text", "line", "col", "path", "fix"),
    [
        ("report:\n  accent: #005a70\n", 2, 11, "report.accent", 'accent: "#005a70"'),
        ("a: #1 i Norge\n", 1, 4, "a", 'a: "#1 i Norge"'),
        ('a:   #"x"\n', 1, 6, "a", "a: '#\"x\"'"),
        ("l:\n  - #x\n", 2, 5, "l[0]", '- "#x"'),
    ],
)
def test_a_value_that_yaml_reads_as_a_comment_is_a_warning(text, line, col, path, fix):
    loaded = load_text(text)
    [w] = loaded.warnings
    assert (w.line, w.column, w.severity, w.code, w.path) == (
        line,
        col,
        "warning",
        "comment-value",
        path,
    )
    assert f"Sett verdien i anførselstegn: `{fix}`." in w.text()


@pytest.mark.parametrize(
    "text", ["a:  # kommentar\n", "a:\n  #c\nb: 1\n", 'a: "#x"\n', "a: x #y\n", "a:\n#c\n"]
)
def test_a_written_comment_or_quoted_hash_is_no_warning(text):
    assert load_text(text).warnings == []


def test_a_long_comment_value_is_cut_short_in_the_warning():
    [w] = load_text("a: #" + "x" * 100 + "\n").warnings
    assert "#" + "x" * 38 + "…" in w.text() and "x" * 40 not in w.text()


@pytest.mark.parametrize(
    ("escape", "what"),
    [
        ("\\x7f", "kontrolltegnet U+007F"),  # DEL
        ("\\x80", "kontrolltegnet U+0080"),  # C1
        ("\\x85", "kontrolltegnet U+0085"),  # NEL
        ("\\x9f", "kontrolltegnet U+009F"),
        ("\\x0b", "kontrolltegnet U+000B"),  # VT
        ("\\x0c", "kontrolltegnet U+000C"),  # FF
        ("\\e", "kontrolltegnet U+001B"),
        ("\\uFFFE", "U+FFFE, som ikke er et tegn i Unicode"),
        ("\\uFFFF", "U+FFFF, som ikke er et tegn i Unicode"),
        ("\\uFDD0", "U+FDD0, som ikke er et tegn i Unicode"),
        ("\\uFDEF", "U+FDEF, som ikke er et tegn i Unicode"),
        ("\\U0001FFFE", "U+1FFFE, som ikke er et tegn i Unicode"),
        ("\\U0010FFFF", "U+10FFFF, som ikke er et tegn i Unicode"),
    ],
)
def test_control_characters_and_noncharacters_in_escapes_are_refused(escape, what):
    with pytest.raises(LoadError) as exc:
        load_text(f'a: ok\nb: "x{escape}y"\n')
    d = exc.value.diagnostic
    assert (d.line, d.column, d.code) == (2, 4, "control-character")
    assert f"{what} (skrevet som en escape-sekvens med \\)" in d.text()


@pytest.mark.parametrize("char", ["\ufdd0", "\U0002fffe", "\U0010ffff"])
def test_noncharacters_written_as_they_are_are_refused(char):
    with pytest.raises(LoadError) as exc:
        load_text(f"a: ok\nb: tekst {char}\n")
    d = exc.value.diagnostic
    assert (d.line, d.code) == (2, "control-character")
    assert f"U+{ord(char):04X}, som ikke er et tegn i Unicode (ofte limt inn" in d.text()


@pytest.mark.parametrize("char", ["\x7f", "\x0b", "\x0c", "\x1b", "\x9f"])
def test_control_characters_written_as_they_are_are_refused(char):
    with pytest.raises(LoadError) as exc:
        load_text(f"a: ok\nb: x{char}y\n")
    d = exc.value.diagnostic
    assert (d.line, d.column, d.code) == (2, 5, "control-character")
    assert f"U+{ord(char):04X}" in d.text()


@pytest.mark.parametrize("text", ["\ufffd", "\ufdf0", "\ufdcf", "😀 og 🇳🇴", "\U0001fffd", "æøå"])
def test_characters_next_to_the_refused_ones_are_text(text):
    assert value(f'a: "{text}"\nb: {text}\n') == {"a": text, "b": text}


@pytest.mark.parametrize(
    ("raw", "size", "said"),
    [
        (b"#" * (MAX_BYTES + 1), None, "filen er over 512 KiB;"),
        (b"#" * (MAX_BYTES + 1), 700 * 1024, "filen er 700 KiB;"),
        (b"#" * (MAX_BYTES + 1), 3 * 1024 * 1024 + 200 * 1024, "filen er 3,2 MiB;"),
        (b"#" * (2 * 1024 * 1024), None, "filen er 2,0 MiB;"),
        (b"#" * (MAX_BYTES + 2), None, "filen er 513 KiB;"),
    ],
)
def test_an_oversize_file_is_reported_with_its_size_or_as_over(raw, size, said):
    with pytest.raises(LoadError) as exc:
        decode(raw, size)
    d = exc.value.diagnostic
    assert d.code == "file-too-large"
    assert d.text() == f"{said} største tillatte størrelse er 512 KiB."


def test_a_file_at_the_cap_is_read():
    assert decode(b"#" * MAX_BYTES) == "#" * MAX_BYTES


class _Counting:
    """A file object that counts the bytes read through it."""

    def __init__(self, fh):
        self.fh = fh
        self.read_bytes = 0

    def read(self, n=-1):
        data = self.fh.read(n)
        self.read_bytes += len(data)
        return data

    def fileno(self):
        return self.fh.fileno()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.fh.close()


def test_load_file_reads_at_most_the_cap_and_one_byte(tmp_path, monkeypatch):
    path = tmp_path / "report.yaml"
    path.write_bytes(b"a: " + b"x" * (5 * 1024 * 1024 - 4) + b"\n")  # exactly 5 MiB
    opened: list[_Counting] = []
    real_open = Path.open

    def counting_open(self, *args, **kwargs):
        fh = _Counting(real_open(self, *args, **kwargs))
        opened.append(fh)
        return fh

    monkeypatch.setattr(Path, "open", counting_open)
    with pytest.raises(LoadError) as exc:
        load_file(path)
    assert exc.value.diagnostic.text().startswith("filen er 5,0 MiB;")
    assert [fh.read_bytes for fh in opened] == [MAX_BYTES + 1]


@pytest.mark.parametrize("text", ["k" * 1100 + ": x\n", "a: 1\n" + "k" * 2000 + ": x\n"])
def test_a_key_over_1024_characters_is_named_as_too_long(text):
    with pytest.raises(LoadError) as exc:
        load_text(text)
    d = exc.value.diagnostic
    assert d.code == "yaml-syntax" and d.column > 1024
    assert d.text() == "en nøkkel kan være høyst 1024 tegn lang. Gjør nøkkelen kortere."
