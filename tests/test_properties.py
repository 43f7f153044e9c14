"""Property-based tests (Hypothesis).

1. Reports generated from the models survive dump -> load -> validate unchanged: any
   text (':', '#', '*', '- ', quotes, line breaks, leading spaces, YAML 1.1 words
   such as NO and 0150), any count. The strategies are derived from the models'
   annotations, so a new field is covered without touching this file.
3. Reports with Markdown answers (images, links, tables) that point at files with odd
   names (control characters, bidi overrides, bytes that are not UTF-8), in a report
   file with an odd name, go all the way: every `validate --format`, the terminal
   view, `build --html` in both of its formats, and the HTML itself. Any traceback,
   any control character in any output, any exit code outside the README's table
   fails.
2. Random damage to examples/ntnu-2024.yaml (lines deleted, duplicated, swapped,
   re-indented; characters and bytes inserted) only ever gives exit 0, 1 or 2, never a
   traceback. The same for arbitrary bytes and text fed to the loader.

Budget: the "ci" profile (60 examples a test, derandomized, so CI is deterministic)
unless EHNREPORT_FUZZ_EXAMPLES is set, which selects the "fuzz" profile with that many
examples a test and fresh randomness on every run:

    EHNREPORT_FUZZ_EXAMPLES=5000 python -m pytest tests/test_properties.py
"""

from __future__ import annotations

import datetime as dt
import os
import re
import tempfile
import types
import typing
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import AfterValidator, BaseModel
from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.forms import DEFAULT, load_edition
from ehnreport.loader import MAX_INT_DIGITS, LoadError, decode, load_text
from ehnreport.model import report_model
from ehnreport.validate import check_file, printable

from .conftest import EXAMPLE

# --- budget -------------------------------------------------------------------------------

_FUZZ = os.environ.get("EHNREPORT_FUZZ_EXAMPLES", "").strip()
settings.register_profile(
    "ehnreport-ci",
    max_examples=60,
    deadline=None,
    derandomize=True,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.register_profile(
    "ehnreport-fuzz",
    max_examples=int(_FUZZ) if _FUZZ.isdigit() and int(_FUZZ) > 0 else 1000,
    deadline=None,
    derandomize=False,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Used as a decorator on each test, so the profile does not leak into other modules.
BUDGET = settings.get_profile("ehnreport-fuzz" if _FUZZ else "ehnreport-ci")

runner = CliRunner()

# --- strategies derived from the models ----------------------------------------------------------

# Text that YAML 1.1, Markdown or our loader could misread if it were not quoted right.
# fmt: off
TRICKY = [
    "NO", "no", "Yes", "off", "On", "y", "n", "true", "false", "True", "null", "Null", "~", "",
    "0150", "012", "0x1F", "0o17", "1_000", "12:30", "1:20:30", "+1", "-0", "1.5", "1e3",
    ".nan", ".NaN", ".inf", "-.inf", "2024-05-01", "2001-12-14 21:59:43.10 -5",
    " leading space", "trailing space ", "  ", "\n", "a\n", "\nb", "a\n\nb", "\ta", "a\r\nb",
    "- item", "* star", "*alias", "&anchor", "!tag", "!!python/object:os.system", "%TAG",
    "@at", "`tick`", "# hash", "a #b", "a: b", "key:", ":", "? q", "|", ">", "|-", ">+",
    "---", "...", "--- x", "<<", "=", "[a, b]", "{a: b}", "'", '"', "''", '"\'"', "\\", "\\n",
    "{{ 7*7 }}", "{% include 'x' %}", "<script>alert(1)</script>", "[l](javascript:x)",
    "\u00a0", "\u2028", "\u2029", "\ufeff", "\u202e", "\u200b", "æøå ÆØÅ", "🦊", "\U0010fffd",
]
# fmt: on
# Any character a report can hold: everything but surrogates and control characters
# (other than tab and line breaks), which the loader refuses on purpose.
CHARS = st.characters(exclude_categories=("Cs", "Cc")) | st.sampled_from(
    "\t\n\r:#*-'\" |>&!%@`{}[],?"
)
TRICKY_TEXT = st.sampled_from(TRICKY)
TEXT = st.one_of(
    TRICKY_TEXT,
    st.text(CHARS, max_size=40),
    st.tuples(TRICKY_TEXT, st.text(CHARS, max_size=10), TRICKY_TEXT).map("".join),
)
COUNT = st.integers(min_value=0, max_value=10**MAX_INT_DIGITS - 1)
LOWER = "abcdefghijklmnopqrstuvwxyz"
LABEL = st.text(LOWER + "0123456789", min_size=1, max_size=10)
TLD = st.text(LOWER, min_size=2, max_size=6)
HOST = st.tuples(st.lists(LABEL, min_size=1, max_size=3), TLD).map(
    lambda t: ".".join(t[0] + [t[1]])
)
EMAIL = st.tuples(st.text(LOWER + "0123456789._+-", min_size=1, max_size=12), HOST).map("@".join)
URL_PATH = st.text(LOWER + "0123456789/-_.?=&#%", max_size=20)
URL = st.tuples(st.sampled_from(["http", "https"]), HOST, URL_PATH).map(
    lambda t: f"{t[0]}://{t[1]}/{t[2]}"
)
DATE = st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)).map(dt.date.isoformat)
# Dark enough for 4.5:1 on white: every channel at most 0x60.
ACCENT = st.tuples(*[st.integers(0, 0x60)] * 3).map(lambda c: "#{:02x}{:02x}{:02x}".format(*c))

Report = report_model(load_edition(DEFAULT))
Meta = Report.model_fields["report"].annotation
Member = Report.model_fields["member"].annotation

# Fields whose validators need more than their type says.
OVERRIDES: dict[tuple[type[BaseModel], str], st.SearchStrategy[Any]] = {
    (Meta, "year"): st.integers(2000, 2100),
    (Meta, "accent"): ACCENT,
    (Meta, "date"): DATE,
    (Member, "name"): TEXT.filter(bool),
    (Member, "short_name"): TEXT.filter(lambda s: 1 <= len(s) <= 40),
    (Member, "logo"): st.nothing(),  # a file in the report's folder; not generated
}


def _for_type(tp: Any) -> st.SearchStrategy[Any]:
    """A strategy of plain YAML data for one annotation."""
    origin = typing.get_origin(tp)
    if origin is typing.Annotated:
        base, *meta = typing.get_args(tp)
        for m in meta:
            if isinstance(m, AfterValidator) and m.func.__name__ == "_email":
                return EMAIL
            if isinstance(m, AfterValidator) and m.func.__name__ == "_url":
                return URL
        return _for_type(base)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = st.one_of(*[_for_type(a) for a in args])
        return inner | st.none() if len(args) < len(typing.get_args(tp)) else inner
    if origin is typing.Literal:
        return st.sampled_from(typing.get_args(tp))
    if origin is list:
        return st.lists(_for_type(typing.get_args(tp)[0]), max_size=3)
    if isinstance(tp, type) and issubclass(tp, BaseModel):
        return model_data(tp)
    if tp is bool:
        return st.booleans() | st.sampled_from(["Ja", "nei", "JA"])
    if tp is int:
        return COUNT
    if tp is str:
        return TEXT
    if tp is dt.date:
        return DATE
    raise AssertionError(f"no strategy for {tp!r}: add one to tests/test_properties.py")


def model_data(model: type[BaseModel]) -> st.SearchStrategy[dict[str, Any]]:
    """Plain data for `model`: required keys always, the others sometimes."""
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for name, info in model.model_fields.items():
        strategy = OVERRIDES.get((model, name))
        if strategy is None:
            strategy = _for_type(info.annotation)
        elif not info.is_required():
            strategy = strategy | st.none()
        (required if info.is_required() else optional)[name] = strategy
    return st.fixed_dictionaries(required, optional=optional)


REPORTS = model_data(Report)


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@BUDGET
@given(REPORTS)
def test_generated_reports_survive_dump_load_validate(data: dict[str, Any]) -> None:
    original = Report.model_validate(data)
    text = dump(data)
    loaded = load_text(text)
    assert loaded.data == data  # the loader reads back exactly what was written
    again = Report.model_validate(loaded.data)
    assert again.model_dump() == original.model_dump()


@BUDGET
@given(REPORTS)
def test_generated_reports_are_valid_files(data: dict[str, Any]) -> None:
    """The whole check (cross checks, completeness, diagnostics) on the dumped file."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.yaml"
        path.write_text(dump(data), encoding="utf-8")
        result = check_file(path, today=dt.date(2100, 12, 31))
        assert result.valid, [d.format() for d in result.diagnostics if d.is_error]
        for d in result.diagnostics:  # no control character reaches a terminal
            shown = d.format()  # the sentence, the path and the file, as printed
            assert printable(shown) == shown, d


@BUDGET
@given(TEXT)
def test_any_text_value_round_trips(value: str) -> None:
    assume(value != "<<")  # refused as a key even when quoted: it is YAML's merge key
    assert load_text(dump({"a": value, value: 1})).data == {"a": value, value: 1}


@BUDGET
@given(st.integers(min_value=-(10**40), max_value=10**40))
def test_integers_round_trip_or_stay_text(number: int) -> None:
    got = load_text(dump({"a": number})).data["a"]
    assert got == (number if len(str(abs(number))) <= MAX_INT_DIGITS else str(number))


# --- damage: random mutations of the example ------------------------------------------------

EXAMPLE_LINES = EXAMPLE.read_bytes().splitlines(keepends=True)
# fmt: off
JUNK = st.one_of(
    st.binary(min_size=1, max_size=8),
    st.text(min_size=1, max_size=8).map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.sampled_from([
        b"\t", b"\x00", b"\xef\xbb\xbf", b"\xff\xfe", b": ", b"- ", b"*", b"&a ", b"*a", b"<<: ",
        b"!!python/object:x ", b"[", b"]", b"{", b"}", b"'", b'"', b"|", b">", b"#", b"%", b"@",
        b"`", b"---\n", b"\r", b"\\",
    ]),
)
# fmt: on


MUTATIONS = ["delete", "duplicate", "swap", "insert", "indent", "dedent", "tab"]


@st.composite
def mutated_example(draw: st.DrawFn) -> bytes:
    lines = list(EXAMPLE_LINES)
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(MUTATIONS))
        i = draw(st.integers(0, len(lines) - 1))
        if kind == "delete" and len(lines) > 1:
            del lines[i]
        elif kind == "duplicate":
            lines.insert(i, lines[i])
        elif kind == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif kind == "insert":
            at = draw(st.integers(0, len(lines[i])))
            lines[i] = lines[i][:at] + draw(JUNK) + lines[i][at:]
        elif kind == "indent":
            lines[i] = b" " * draw(st.integers(1, 5)) + lines[i]
        elif kind == "dedent":
            lines[i] = lines[i].lstrip(b" ")
        elif kind == "tab":
            lines[i] = b"\t" + lines[i]
    return b"".join(lines)


def _validate_bytes(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "report.yaml"
        path.write_bytes(raw)
        for args in (["validate", str(path)], ["validate", "--format", "json", str(path)]):
            result = runner.invoke(app, args, catch_exceptions=False, env={"GITHUB_ACTIONS": ""})
            # The file is there and readable: whatever is in it, the answer is "valid" (0)
            # or "invalid" (1), never a usage problem (2) or a crash.
            assert result.exit_code in (0, 1), result.output
            assert "Traceback" not in result.output


@BUDGET
@given(mutated_example())
def test_mutated_example_never_crashes(raw: bytes) -> None:
    _validate_bytes(raw)


@BUDGET
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(raw: bytes) -> None:
    _validate_bytes(raw)


@BUDGET
@given(st.binary(max_size=500))
def test_decode_gives_text_or_a_load_error(raw: bytes) -> None:
    try:
        text = decode(raw)
    except LoadError as exc:
        assert exc.diagnostic.code in ("encoding", "file-too-large")
        return
    assert "\x00" not in text


@BUDGET
@given(st.text(max_size=200))
def test_loader_gives_data_or_a_load_error(text: str) -> None:
    assume("\x00" not in text)  # decode() refuses NUL before the loader sees it
    try:
        loaded = load_text(text)
    except LoadError as exc:
        assert exc.diagnostic.line >= 1 and exc.diagnostic.column >= 1
        return
    _assert_plain(loaded.data)


def _assert_plain(value: object) -> None:
    """Only what a report can hold: text keys, no floats or dates, no control characters."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert type(key) is str, repr(key)
            _assert_plain(key)
            _assert_plain(item)
    elif isinstance(value, list):
        for item in value:
            _assert_plain(item)
    elif isinstance(value, str):
        assert not re.search("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]", value), repr(value)
    elif isinstance(value, bool) or value is None:
        pass
    else:
        assert type(value) is int and len(str(abs(value))) <= MAX_INT_DIGITS, repr(value)


# --- to the end: Markdown, odd file names, every output format ---------------------------

PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6300010000050001"
    "0d0a2db40000000049454e44ae426082"
)
# fmt: off
ODD_NAMES = [
    b"bilde.png", "æøå.png".encode(), b"a b.png", b"x\x1b[2Jy.png", b"nl\n::error::x.png",
    b"%41.png", "bidi\u202egnp.png".encode(), b"\xff\xfe.png", b"bell\x07.png",
    "non\ufffechar.png".encode(), b"tab\tname.png", b".hidden.png",
]
REPORT_NAMES = [b"report.yaml", b"r\x1b]0;title\x07.yaml", b"r\xff.yaml", "r\u202e.yaml".encode()]
TARGET_TRICKS = [
    "%0A::error::x.png", "%0D%1B%5B2J.png", "%07.png", "%E2%80%AE.png", "%EF%BF%BF.png",
    "../outside.png", "/etc/passwd", "http://127.0.0.1/x.png", "data:image/png;base64,AAAA",
    "file:///etc/passwd", "C:%5Cx.png", "%FF.png", "x.png%00",
]
LINK_TRICKS = [
    "javascript:alert(1)", "https://example.org/%0A::error::", "mailto:a@b.no%0D%0A",
    "JaVaScRiPt:x", "file:///etc/passwd", "https://example.org/\u202e", "vbscript:x",
]
# fmt: on
# What may never appear in any output: C0 and C1 controls (but the line break between
# records), DEL, line and paragraph separators, bidi controls, noncharacters.
_FORBIDDEN = {chr(c) for c in range(32) if c != 10} | {chr(c) for c in range(0x7F, 0xA0)}
_FORBIDDEN |= {"\u2028", "\u2029", "\u061c", "\u200e", "\u200f", "\ufffe", "\uffff"}
_FORBIDDEN |= {chr(c) for c in range(0x202A, 0x202F)} | {chr(c) for c in range(0x2066, 0x206A)}


@st.composite
def markdown_answer(draw: st.DrawFn) -> tuple[str, list[bytes]]:
    from urllib.parse import quote

    files = draw(st.lists(st.sampled_from(ODD_NAMES), max_size=3, unique=True))
    parts = []
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["file", "trick", "link", "table", "text"]))
        alt = draw(st.sampled_from(["", "Kart", "alt med *stjerne*", "[klammer]"]))
        if kind == "file" and files:
            parts.append(f"![{alt}]({quote(draw(st.sampled_from(files)))})")
        elif kind == "trick":
            parts.append(f"![{alt}]({draw(st.sampled_from(TARGET_TRICKS))})")
        elif kind == "link":
            parts.append(f"[{alt or 'lenke'}]({draw(st.sampled_from(LINK_TRICKS))})")
        elif kind == "table":
            cols = draw(st.integers(1, 4))
            rows = draw(st.integers(0, 3))
            head = "| " + " | ".join(f"k{i}" for i in range(cols)) + " |"
            rule = "|" + "---|" * cols
            body = [
                "| "
                + " | ".join(draw(st.sampled_from(["1", "x", "*a*", ""])) for _ in range(cols))
                + " |"
                for _ in range(rows)
            ]
            parts.append("\n\n" + "\n".join([head, rule, *body]) + "\n\n")
        else:
            parts.append(draw(TEXT.filter(lambda t: t.isprintable() or t.strip() == "")))
    return " ".join(parts), files


# The HTML prints the member's own text as written (SECURITY.md: bidirectional text
# and separators are the report's content there, not a terminal's); only controls,
# noncharacters and surrogates may never reach it.
_FORBIDDEN_IN_HTML = {ch for ch in _FORBIDDEN if ord(ch) < 0xA0 and ch not in "\t\r"}
_FORBIDDEN_IN_HTML |= {"\ufffe", "\uffff"}


def _clean(name: str, text: str, forbidden: set[str] = _FORBIDDEN) -> None:
    assert "Traceback" not in text, (name, text)
    bad = sorted({ch for ch in text if ch in forbidden or 0xD800 <= ord(ch) <= 0xDFFF})
    assert not bad, (name, bad, text[:2000])


BUDGET_END = settings(BUDGET, max_examples=min(BUDGET.max_examples, 25)) if not _FUZZ else BUDGET


@BUDGET_END
@given(markdown_answer(), st.sampled_from(REPORT_NAMES), st.booleans())
def test_markdown_and_odd_names_reach_every_output_clean(
    answer: tuple[str, list[bytes]], report_name: bytes, strict: bool
) -> None:
    from ehnreport.reporters import FORMAT_NAMES
    from ehnreport.reporters.terminal import render_diagnostics

    from .test_batch import MINIMAL

    text, files = answer
    data = yaml.safe_load(MINIMAL.format(name="Eksempel kommune", short="EK"))
    data["steps"]["step1"] = {"a2": text}
    with tempfile.TemporaryDirectory() as tmp:
        folder = os.fsencode(tmp)
        for name in files:
            with open(folder + b"/" + name, "wb") as fh:
                fh.write(PNG)
        raw_path = folder + b"/" + report_name
        with open(raw_path, "wb") as fh:
            fh.write(dump(data).encode("utf-8"))
        path = os.fsdecode(raw_path)
        extra = ["--strict"] if strict else []
        for fmt in FORMAT_NAMES:
            result = runner.invoke(
                app, ["validate", "--format", fmt, *extra, path], env={"GITHUB_ACTIONS": ""}
            )
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                fmt,
                result.exception,
            )
            assert result.exit_code in (0, 1, 2), (fmt, result.output)
            _clean(f"validate {fmt}", result.output)
        _clean(
            "terminal", render_diagnostics([check_file(Path(path))], color=False, source_lines=True)
        )
        out = os.path.join(tmp, "ut")
        for fmt in ("text", "github"):
            result = runner.invoke(
                app,
                ["build", "--html", "--format", fmt, "-o", out, *extra, path],
                env={"GITHUB_ACTIONS": ""},
            )
            assert result.exception is None or isinstance(result.exception, SystemExit), (
                fmt,
                result.exception,
            )
            assert result.exit_code in (0, 1, 2, 3), (fmt, result.output)
            _clean(f"build {fmt}", result.output)
        for html in Path(out).glob("*.html") if os.path.isdir(out) else []:
            _clean(html.name, html.read_text(encoding="utf-8"), _FORBIDDEN_IN_HTML)


def test_profiles_are_registered() -> None:
    assert settings.get_profile("ehnreport-ci").max_examples == 60
    assert settings.get_profile("ehnreport-ci").derandomize is True
    if not _FUZZ:
        pytest.skip("EHNREPORT_FUZZ_EXAMPLES is not set")
    assert BUDGET.max_examples == int(_FUZZ)
