"""The command line in the user's language: --lang and EHNREPORT_LANG on every command."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehnreport import messages
from ehnreport.cli import app
from ehnreport.messages import msg

from .conftest import EXAMPLE, ROOT

runner = CliRunner()


def invoke(*args: str, env: dict[str, str] | None = None):
    env = {"GITHUB_ACTIONS": "", "EHNREPORT_LANG": "", **(env or {})}
    result = runner.invoke(app, list(args), catch_exceptions=False, env=env)
    assert "Traceback" not in result.output
    return result


def ehnreport(*args: str, env: dict[str, str] | None = None, cwd: Path = ROOT):
    """The installed program, as a user starts it (language read before Typer)."""
    return subprocess.run(
        [sys.executable, "-m", "ehnreport", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": "", "EHNREPORT_LANG": "", **(env or {})},
        cwd=cwd,
        check=False,
    )


@pytest.fixture(autouse=True)
def _bokmal_afterwards():
    yield
    messages.choose("nb")


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    here = tmp_path_factory.mktemp("languages")
    shutil.copy(EXAMPLE, here / "ntnu.yaml")
    text = EXAMPLE.read_text(encoding="utf-8")
    (here / "invalid.yaml").write_text(text.replace("year: 2024", "year: tjuefire", 1))
    (here / "empty.yaml").write_text("", encoding="utf-8")
    return here


def test_a_missing_file_is_said_in_the_language_of_the_environment_or_option(folder):
    en = ehnreport("validate", "mangler.yaml", env={"EHNREPORT_LANG": "en"}, cwd=folder)
    assert (en.returncode, en.stderr) == (2, "ehnreport: mangler.yaml: file not found.\n")
    nn = ehnreport("validate", "--lang", "nn", "mangler.yaml", cwd=folder)
    assert (nn.returncode, nn.stderr) == (2, "ehnreport: mangler.yaml: fann ikkje fila.\n")
    nb = ehnreport("validate", "mangler.yaml", cwd=folder)
    assert (nb.returncode, nb.stderr) == (2, "ehnreport: mangler.yaml: fant ikke filen.\n")
    # The option wins over the environment.
    both = ehnreport("validate", "--lang=nn", "mangler.yaml", env={"EHNREPORT_LANG": "en"})
    assert "fann ikkje fila" in both.stderr


def test_a_bad_option_value_is_refused_in_the_language_asked_for(folder):
    nn = ehnreport("build", "--lang", "nn", "--pdf-variant", "x", "ntnu.yaml", cwd=folder)
    assert nn.returncode == 2
    assert nn.stderr.startswith("ehnreport: ukjend PDF-variant «x». Vel ein av: pdf/a-2a")
    en = invoke("preview", "--lang", "en", "--port", "70000", str(folder / "ntnu.yaml"))
    assert en.exit_code == 2
    assert "port 70000 does not exist; choose a number from 1024 to 65535." in en.output
    env = invoke("init", str(folder / "ntnu.yaml"), env={"EHNREPORT_LANG": "en"})
    assert env.exit_code == 2
    assert "ntnu.yaml already exists; use --force to overwrite it." in env.output
    # For schema and init, --lang is also the language of what they write.
    init = invoke("init", "--lang", "nn", str(folder / "ntnu.yaml"))
    assert init.exit_code == 2 and "ntnu.yaml finst allereie; bruk --force" in init.output
    schema = invoke("schema", "--lang", "en", "--form", "ingen")
    assert schema.exit_code == 2
    assert "ehnreport: unknown form edition “ingen”." in schema.output


@pytest.mark.parametrize(
    ("lang", "valid", "invalid"),
    [
        (
            "nb",
            ": gyldig: 0 feil, 14 advarsler. Besvarte spørsmål: trinn 1 6/8,",
            ": ugyldig: 1 feil,",
        ),
        (
            "nn",
            ": gyldig: 0 feil, 14 åtvaringar. Spørsmål med svar: trinn 1 6/8,",
            ": ugyldig: 1 feil,",
        ),
        (
            "en",
            ": valid: 0 errors, 14 warnings. Questions answered: step 1 6/8,",
            ": invalid: 1 error,",
        ),
    ],
)
def test_the_summary_line_is_in_the_chosen_language(folder, lang, valid, invalid):
    files = (str(folder / "ntnu.yaml"), str(folder / "invalid.yaml"))
    by_option = invoke("validate", "--lang", lang, *files)
    by_env = invoke("validate", *files, env={"EHNREPORT_LANG": lang})
    assert by_option.output == by_env.output
    summaries = [line for line in by_option.output.splitlines() if "ntnu.yaml: " in line]
    assert summaries and valid in summaries[-1]
    assert invalid in by_option.output
    assert by_option.exit_code == 1


@pytest.mark.parametrize(
    ("lang", "header", "built", "result"),
    [
        ("nb", "Rapport", "1 av 2 rapporter bygget.", "ugyldig"),
        ("nn", "Rapport", "1 av 2 rapportar bygde.", "ugyldig"),
        ("en", "Report", "1 of 2 reports built.", "invalid"),
    ],
)
def test_a_batch_reports_each_file_and_the_total_in_the_chosen_language(
    folder, tmp_path, lang, header, built, result
):
    files = (str(folder / "ntnu.yaml"), str(folder / "invalid.yaml"))
    out = invoke("build", "--lang", lang, "--html", "-o", str(tmp_path), *files)
    assert out.exit_code == 1
    lines = out.output.splitlines()
    assert lines[-1] == built
    table = lines[lines.index(next(ln for ln in lines if ln.startswith(header))) :]
    assert any("invalid.yaml" in row and f" {result} " in row for row in table)
    wrote = {"nb": "skrev ", "nn": "skreiv ", "en": "wrote "}[lang]
    assert any(ln.startswith(wrote) and ln.endswith("ntnu.html") for ln in lines)
    not_valid = {
        "nb": "rapporten er ikke gyldig; ingen filer er skrevet.",
        "nn": "rapporten er ikkje gyldig; ingen filer er skrivne.",
        "en": "the report is not valid; no files have been written.",
    }[lang]
    assert not_valid in out.output


def test_the_progress_of_a_watch_is_in_the_chosen_language(capsys):
    from ehnreport import cli

    for lang, said in [("nb", "avsluttet."), ("nn", "avslutta."), ("en", "stopped.")]:
        messages.choose(lang)
        exit_ = cli._stopped()
        assert exit_.exit_code == 0
        assert capsys.readouterr().out == f"\n{said}\n"


@pytest.mark.parametrize("how", ["option", "env"])
def test_an_unknown_language_exits_2_naming_it_and_the_choices(folder, how):
    args = ("validate", "--lang", "de", "ntnu.yaml") if how == "option" else ("forms",)
    env = {"EHNREPORT_LANG": "de"} if how == "env" else {}
    source = "--lang" if how == "option" else "EHNREPORT_LANG"
    done = ehnreport(*args, env=env, cwd=folder)
    assert done.returncode == 2
    assert done.stdout == ""
    assert done.stderr == (
        f"ehnreport: ukjent språk «de» ({source}). Velg nb, nn eller en.\n"
        f"ehnreport: unknown language “de” ({source}). Choose nb, nn or en.\n"
    )


def test_an_unknown_language_is_refused_inside_the_typer_application(folder):
    by_option = invoke("forms", "--lang", "xx")
    assert by_option.exit_code == 2
    assert "ukjent språk «xx» (--lang)" in by_option.output
    assert "unknown language “xx” (--lang)" in by_option.output
    by_env = invoke("forms", env={"EHNREPORT_LANG": "xx"})
    assert by_env.exit_code == 2 and "(EHNREPORT_LANG)" in by_env.output


def test_help_is_in_the_chosen_language():
    en = ehnreport("validate", "--help", env={"EHNREPORT_LANG": "en"})
    assert en.returncode == 0
    assert "Check report files against the EHN form" in en.stdout
    for text in ("Show only errors, not warnings.", "Output format: text, json", "--lang"):
        assert text in en.stdout
    assert "Vis bare feil" not in en.stdout and "Kontroller rapportfiler" not in en.stdout
    nn = ehnreport("--lang", "nn", "build", "--help")
    assert "Åtvaringar stoppar bygginga." in nn.stdout
    nb = ehnreport("validate", "--help")
    assert "Vis bare feil, ikke advarsler." in nb.stdout


def test_the_cli_reference_stays_bokmal_whatever_the_language(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "ehnreport.clidoc"],
        capture_output=True,
        env={**os.environ, "EHNREPORT_LANG": "en"},
        check=True,
    )
    assert done.stdout == (ROOT / "docs" / "cli.md").read_bytes()


@pytest.mark.parametrize("fmt", ["sarif", "gitlab"])
def test_machine_formats_keep_codes_paths_and_fingerprints_across_languages(folder, fmt):
    files = (str(folder / "invalid.yaml"), str(folder / "empty.yaml"))
    docs = {
        lang: json.loads(invoke("validate", "--format", fmt, "--lang", lang, *files).output)
        for lang in ("nb", "en")
    }

    def parts(doc) -> tuple[list[tuple[str, str, str]], list[str]]:
        if fmt == "sarif":
            results = doc["runs"][0]["results"]
            same = [
                (
                    r["ruleId"],
                    r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
                    r["partialFingerprints"]["ehnreport/v1"],
                )
                for r in results
            ]
            return same, [r["message"]["text"] for r in results]
        same = [(i["check_name"], i["location"]["path"], i["fingerprint"]) for i in doc]
        return same, [i["description"] for i in doc]

    nb_same, nb_text = parts(docs["nb"])
    en_same, en_text = parts(docs["en"])
    assert nb_same == en_same
    assert {code for code, _, _ in nb_same} >= {"not-a-report"}
    assert nb_text != en_text
    assert any(t.startswith("filen er tom.") for t in nb_text)
    assert any(t.startswith("the file is empty.") for t in en_text)


def test_a_count_of_one_is_singular_where_the_language_has_it():
    from ehnreport.errors import Diagnostic, ReportInvalid
    from ehnreport.reporters import counted

    one = Diagnostic(1, 1, "error", "not-a-report", "", msg("fields.verbatim", text="x"), "r.yaml")
    assert ReportInvalid([one]).msg.text("en") == "1 error in the report"
    assert ReportInvalid([one, one]).msg.text("en") == "2 errors in the report"
    assert ReportInvalid([one]).msg.text("nb") == "1 feil i rapporten"
    # Each language has its singular: "1 advarsel", "1 åtvaring", "1 warning".
    assert [counted("warnings", 1).text(lang) for lang in ("nb", "nn", "en")] == [
        "1 advarsel",
        "1 åtvaring",
        "1 warning",
    ]


@pytest.mark.parametrize(
    ("lang", "rest"),
    [
        ("nb", "… og 10 til (9 feil, 1 advarsel) er ikke vist. Alle står i «ehnreport validate"),
        ("nn", "… og 10 til (9 feil, 1 åtvaring) er ikkje viste. Alle står i «ehnreport validate"),
        ("en", "… and 10 more (9 errors, 1 warning) are not shown. All of them are in “ehnreport"),
    ],
)
def test_the_terminal_counts_what_it_leaves_out_in_the_chosen_language(tmp_path, lang, rest):
    from ehnreport.errors import Diagnostic
    from ehnreport.reporters.terminal import MAX_SHOWN, render_diagnostics
    from ehnreport.validate import CheckResult

    path = tmp_path / "r.yaml"
    path.write_text("a: 1\n" * 80, encoding="utf-8")
    diags = [
        Diagnostic(n, 1, "error", "not-a-report", "", msg("fields.verbatim", text="x"), str(path))
        for n in range(1, 60)
    ]
    diags.append(
        Diagnostic(60, 1, "warning", "unanswered", "", msg("fields.verbatim", text="y"), str(path))
    )
    assert len(diags) == MAX_SHOWN + 10
    messages.choose(lang)
    text = render_diagnostics(
        [CheckResult(path, diagnostics=diags)], color=False, source_lines=True
    )
    assert rest in text


def test_signals_and_a_closed_output_are_said_in_the_chosen_language(capsys, monkeypatch):
    import io
    import signal

    from ehnreport import interrupt

    # output_failed sends further output to the null device: to a buffer here.
    monkeypatch.setattr("sys.stdout", sys.stdout)
    monkeypatch.setattr(interrupt, "open", lambda *a, **k: io.StringIO(), raising=False)
    messages.choose("en")
    interrupt._say_interrupted(signal.SIGTERM)
    interrupt.output_failed(None)
    assert capsys.readouterr().err == (
        "\nehnreport: interrupted (SIGTERM). A file that was not completely written has not "
        "been written; the previous version is kept.\n"
        "ehnreport: could not write to standard output (closed).\n"
    )
    messages.choose("nn")
    interrupt.output_failed(OSError(28, "No space left on device"))
    assert capsys.readouterr().err == (
        "ehnreport: kunne ikkje skrive til standard utdata (No space left on device).\n"
    )
