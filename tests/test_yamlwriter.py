"""The YAML writer: what it writes, the loader reads back as exactly the same data."""

from __future__ import annotations

import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ehnreport.forms import DEFAULT, bundled_folder
from ehnreport.loader import load_text
from ehnreport.yamlwriter import dump

TRICKY = [
    "",
    " leading space",
    "trailing space ",
    "NO",
    "yes",
    "0150",
    "12:30",
    "1_000",
    ".inf",
    "~",
    "null",
    "true",
    "- dash",
    "# hash",
    "a: b",
    "a #b",
    "ends:",
    "«sitat»",
    "two\nlines",
    "two\nlines\n",
    "two\nlines\n\n",
    "\n starts with a break",
    "tab\there",
    "line sep\u2028",
    "[flow]",
    "{flow}",
    "a, b",
    "'single'",
    '"double"',
]


def _round_trip(data: dict[str, Any]) -> Any:
    return load_text(dump(data)).data


@pytest.mark.parametrize("text", TRICKY)
def test_tricky_texts_come_back(text: str) -> None:
    data = {"key": text, "list": [text, text], "rows": [{"a": text, "b": [text]}]}
    assert _round_trip(data) == data


_REFUSED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufdd0-\ufdef]")


def _text_char(c: str) -> bool:
    """Not refused by the loader: no control character, no Unicode noncharacter."""
    return not _REFUSED.match(c) and ord(c) & 0xFFFE != 0xFFFE


_scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**17), max_value=10**17),
    # The loader refuses control characters other than tab and line breaks, and
    # noncharacters (U+FDD0-U+FDEF, U+FFFE and U+FFFF of every plane), in any form.
    st.text(
        st.characters(exclude_categories=("Cs",)).filter(_text_char),
        max_size=30,
    ),
)
_keys = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
_values = st.recursive(
    _scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(_keys, inner, min_size=1, max_size=4)
    ),
    max_leaves=12,
)


@given(st.dictionaries(_keys, _values, min_size=1, max_size=5))
def test_any_data_comes_back(data: dict[str, Any]) -> None:
    assert _round_trip(data) == data


def test_the_edition_file_is_the_writers_output() -> None:
    path = bundled_folder(DEFAULT) / "form.yaml"
    text = path.read_text(encoding="utf-8")
    body = "".join(ln for ln in text.splitlines(keepends=True) if not ln.startswith("#"))
    assert dump(load_text(text).data) == body


@pytest.mark.parametrize("text", ["0\u20280", "a\u2029b", "\u2028"])
def test_unicode_line_separators_are_escaped_not_left_plain(text: str) -> None:
    """YAML reads U+2028 and U+2029 as line breaks: plain, the text would end there."""
    written = dump({"a": text})
    assert written == f'a: "{text.encode("unicode_escape").decode("ascii")}"\n'
    assert load_text(written).data == {"a": text}
