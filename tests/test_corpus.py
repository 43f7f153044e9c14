"""The corpus of reports under tests/data/reports: what the user sees for each one.

Each case's exit code and its full output (every error and warning, then the summary)
are stored beside it as NAME.expected (golden; rewrite with --update-golden):

- NAME.yaml: `ehnreport validate NAME.yaml`;
- GENERATED: files too large to keep in the repository, written when the test runs;
- build-NAME/ (a folder with report.yaml and its files): `ehnreport build --html`, and
  `--pdf --templates templates` when the folder has templates; these show the warnings
  that only building finds (links, images, what the PDF tried to fetch).

Every report code in the registry (ehnreport/codes.py) must appear in at least one
golden file, so each message a user can meet is pinned with its code, path, line and
sentence; every edition code (a --forms folder's mistakes) is pinned in EDITION_TESTS.
"""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.clidoc import CODES_COMMAND, CODES_END, CODES_START, code_table
from ehnreport.codes import CODES, EDITION_CODES, REPORT_CODES
from ehnreport.errors import Diagnostic
from ehnreport.loader import MAX_BYTES
from ehnreport.messages import LANGUAGES, msg

from .conftest import DATA, ROOT

REPORTS = DATA / "reports"
CASES = sorted(p.name for p in REPORTS.iterdir() if p.suffix == ".yaml")
BUILD_CASES = sorted(
    p.name for p in REPORTS.iterdir() if p.is_dir() and p.name.startswith("build-")
)

EDITION_TESTS = ("test_editions.py", "test_forms.py")

# name → the file's bytes
GENERATED: dict[str, Callable[[], bytes]] = {
    # One byte over the cap, as a comment: only the size is wrong.
    "file-too-large.yaml": lambda: b"report:\n  year: 2024\n#" + b"x" * MAX_BYTES + b"\n",
}


def run(args: list[str]) -> str:
    result = CliRunner().invoke(app, args, catch_exceptions=False)
    assert "Traceback" not in result.output
    return f"exit {result.exit_code}\n{result.output}"


@pytest.fixture
def quiet_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)


def expected(stem: str, lang: str) -> Path:
    """The golden file of a case: NAME.expected for nb, LANG/NAME.expected for the others."""
    return REPORTS / f"{stem}.expected" if lang == "nb" else REPORTS / lang / f"{stem}.expected"


def lang_args(lang: str) -> list[str]:
    return [] if lang == "nb" else ["--lang", lang]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", CASES)
def test_report_corpus(name, lang, golden, monkeypatch, quiet_env):
    monkeypatch.chdir(REPORTS)
    golden(expected(name[:-5], lang), run(["validate", *lang_args(lang), name]))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", sorted(GENERATED))
def test_generated_corpus(name, lang, golden, monkeypatch, tmp_path, quiet_env):
    (tmp_path / name).write_bytes(GENERATED[name]())
    monkeypatch.chdir(tmp_path)
    golden(expected(name[:-5], lang), run(["validate", *lang_args(lang), name]))


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("name", BUILD_CASES)
def test_build_corpus(name, lang, golden, monkeypatch, tmp_path, quiet_env):
    case = tmp_path / name
    shutil.copytree(REPORTS / name, case)
    monkeypatch.chdir(case)
    args = ["build", *lang_args(lang), "--html", "-o", "out"]
    if (case / "templates").is_dir():
        args += ["--pdf", "--templates", "templates"]
    output = run([*args, "report.yaml"])
    written = sorted(str(p.relative_to(case)) for p in (case / "out").rglob("*"))
    golden(expected(name, lang), output + "".join(f"wrote {w}\n" for w in written))


def test_corpus_is_large_enough():
    assert len(CASES) >= 30


def test_a_report_is_invalid_exactly_when_an_error_is_found(monkeypatch):
    # What writes a report only when it is valid (import, next year) tells the member
    # the first error: an invalid report must always have one.
    from ehnreport.validate import check_file

    monkeypatch.chdir(REPORTS)
    seen = set()
    for name in CASES:
        result = check_file(Path(name))
        seen.add(result.valid)
        assert result.valid == (not any(d.is_error for d in result.diagnostics)), name
    assert seen == {True, False}


def _shown(lang: str = "nb") -> set[tuple[str, str]]:
    """(severity, code) of every `error[code]` and `warning[code]` in the golden files."""
    return {
        found
        for path in (REPORTS if lang == "nb" else REPORTS / lang).glob("*.expected")
        for found in re.findall(r"\b(error|warning)\[([a-z0-9-]+)\]", path.read_text("utf-8"))
    }


def _shown_codes() -> set[str]:
    return {code for _, code in _shown()}


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_report_code_is_shown_in_a_golden_file(lang):
    shown = {code for _, code in _shown(lang)}
    missing = sorted(set(REPORT_CODES) - set(shown))
    assert not missing, f"no {lang} golden file under {REPORTS} shows these codes: {missing}"


@pytest.mark.parametrize("lang", ["nn", "en"])
def test_the_golden_files_of_each_language_are_their_own(lang):
    # The same cases, the same codes, paths and lines; only the sentences differ.
    ours = {p.name for p in (REPORTS / lang).glob("*.expected")}
    assert ours == {p.name for p in REPORTS.glob("*.expected")}
    differ = 0
    for name in sorted(ours):
        nb = (REPORTS / name).read_text("utf-8").splitlines()
        other = (REPORTS / lang / name).read_text("utf-8").splitlines()
        assert len(nb) == len(other), name
        for a, b in zip(nb, other, strict=True):
            head = re.match(r"\S+:\d+:\d+: (?:error|warning)\[[a-z-]+\]", a)
            if head:
                assert b.startswith(head.group(0)), (name, a, b)
        differ += nb != other
    assert differ >= len(ours) * 0.9


def test_each_code_is_shown_with_the_severity_it_is_registered_with():
    # A registry that says "warning" for a code the goldens show as an error is wrong.
    for code, entry in REPORT_CODES.items():
        if entry.severity != "both":
            assert (entry.severity, code) in _shown(), (code, entry.severity)


def test_golden_files_only_show_registered_codes():
    assert set(_shown_codes()) <= set(REPORT_CODES)


def test_every_edition_code_is_pinned_by_a_test():
    tests = "".join((Path(__file__).parent / name).read_text("utf-8") for name in EDITION_TESTS)
    missing = [code for code in EDITION_CODES if f"error[{code}]" not in tests]
    assert not missing, f"no assertion in {EDITION_TESTS} shows these codes: {missing}"


@pytest.mark.parametrize("severity", ["error", "warning"])
def test_an_unregistered_code_is_refused(severity: str):
    with pytest.raises(ValueError, match="'not-a-code' is not registered"):
        Diagnostic(1, 1, severity, "not-a-code", "", msg("fields.verbatim", text="melding"))


def test_a_code_is_refused_with_a_severity_it_is_not_made_with():
    with pytest.raises(ValueError, match="'unanswered' is registered as warning"):
        Diagnostic(1, 1, "error", "unanswered", "", msg("fields.verbatim", text="melding"))
    with pytest.raises(ValueError, match="'yaml-syntax' is registered as error"):
        Diagnostic(1, 1, "warning", "yaml-syntax", "", msg("fields.verbatim", text="melding"))
    for severity in ("error", "warning"):  # "both"
        assert (
            Diagnostic(1, 1, severity, "logo", "", msg("fields.verbatim", text="melding")).code
            == "logo"
        )


def test_report_and_edition_codes_are_apart_and_described():
    assert not set(REPORT_CODES) & set(EDITION_CODES)
    for code, entry in CODES.items():
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", code), code
        assert entry.severity in ("error", "warning", "both"), code
        text = entry.description
        assert text[:1].isupper() and text.endswith(".") and "\n" not in text, code


def test_the_guide_lists_every_code_from_the_registry():
    guide = (ROOT / "docs" / "validere-og-bygge.md").read_text(encoding="utf-8")
    committed = guide.split(CODES_START + "\n", 1)[1].split(CODES_END, 1)[0]
    assert committed == code_table(), f"the guide's code list is stale: run `{CODES_COMMAND}`"
    for code in CODES:
        assert f"| `{code}` |" in committed, code
