"""`ehnreport validate`, `schema` and `--version` through the CLI runner."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
from typer.testing import CliRunner

from ehnreport import __version__
from ehnreport.cli import app
from ehnreport.schema import schema_text

from .conftest import EXAMPLE, ROOT

runner = CliRunner()

# The questions NTNU left empty in its 2024 report, in the order they are reported.
NTNU_UNANSWERED = [
    "procurement.followed_up_agreements",
    "steps.step1.a1",
    "steps.step1.d2",
    "steps.step2.a4",
    "steps.step3.b5",
    # The first card has two empty fields, the other three none filled in.
    "steps.step3.a1[0].results",
    "steps.step3.a1[0].year_goal",
    "steps.step3.a1[1]",
    "steps.step3.a1[2]",
    "steps.step3.a1[3]",
    "steps.step4.a3",
    "steps.step6.a1",
    "steps.step6.a2",
    "steps.step6.b1",
]


def invoke(*args: str, env: dict[str, str] | None = None):
    env = {"GITHUB_ACTIONS": "", **(env or {})}
    result = runner.invoke(app, list(args), catch_exceptions=False, env=env)
    assert "Traceback" not in result.output
    return result


def test_example_is_valid_and_lists_exactly_ntnus_unanswered_questions():
    result = invoke("validate", "--format", "json", str(EXAMPLE))
    assert result.exit_code == 0
    doc = json.loads(result.output)
    diags = doc["files"][0]["diagnostics"]
    assert all(d["severity"] == "warning" for d in diags)
    assert [d["path"] for d in diags] == NTNU_UNANSWERED
    assert doc["files"][0]["valid"] is True
    assert doc["files"][0]["answered"] == [
        {"step": 1, "answered": 6, "total": 8},
        {"step": 2, "answered": 3, "total": 4},
        {"step": 3, "answered": 6, "total": 8},  # 3.A.1 has empty card fields
        {"step": 4, "answered": 2, "total": 3},
        {"step": 5, "answered": 1, "total": 1},
        {"step": 6, "answered": 0, "total": 3},
    ]


def test_example_text_output_names_codes_and_labels():
    result = invoke("validate", str(EXAMPLE))
    assert result.exit_code == 0
    assert (
        "warning[unanswered] steps.step1.a1: 1.A.1 er ikke besvart: «Lenke til offentlig"
        in result.output
    )
    assert "gyldig: 0 feil, 14 advarsler" in result.output
    assert "trinn 6 0/3" in result.output


def test_strict_turns_warnings_into_failure():
    result = invoke("validate", "--strict", str(EXAMPLE))
    assert result.exit_code == 1
    assert f"{EXAMPLE}: ugyldig med --strict: 0 feil, 14 advarsler." in result.output


def mutate(tmp_path, old: str, new: str, count: int = 1) -> tuple[str, int]:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert text.count(old) >= 1, old
    line = text[: text.index(old)].count("\n") + 1
    path = tmp_path / "report.yaml"
    path.write_text(text.replace(old, new, count), encoding="utf-8")
    return str(path), line


@pytest.mark.parametrize(
    ("old", "new", "code", "offset"),
    [
        ("  short_name: NTNU\n", "  short_name: NTNU\n  shortname: NTNU\n", "unknown-key", 1),
        ("  short_name: NTNU\n", "  short_name: NTNU\n  name: NTNU\n", "duplicate-key", 1),
        ("  address: Høgskoleringen 1, 7034 Trondheim\n", "  address: 7034\n", "wrong-type", 0),
        ("  employees: 8731\n", "  employees: 8 731\n", "wrong-type", 0),
        ("  employees: 8731\n", "  employees:\t8731\n\tx: 1\n", "yaml-syntax", 1),
        (
            "  email: asbjorn.j.wexsahl@ntnu.no\n",
            "  email: asbjorn.j.wexsahl@ntnu\n",
            "invalid-value",
            0,
        ),
    ],
)
def test_mutations_of_the_example_report_the_right_line(tmp_path, old, new, code, offset):
    path, line = mutate(tmp_path, old, new)
    result = invoke("validate", path)
    assert result.exit_code == 1
    assert f"{path}:{line + offset}:" in result.output
    assert f"error[{code}]" in result.output


def test_no_as_text_value_is_kept(tmp_path):
    path, _ = mutate(tmp_path, "  short_name: NTNU\n", "  short_name: NO\n")
    result = invoke("validate", "--format", "json", path)
    assert result.exit_code == 0


def test_alias_bomb_in_the_example_fails_fast(tmp_path):
    bomb = 'x0: &a ["l","l","l","l","l","l","l","l","l"]\n' + "".join(
        f"x{i + 1}: &{chr(98 + i)} [" + ",".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8)
    )
    path = tmp_path / "bomb.yaml"
    path.write_text(EXAMPLE.read_text(encoding="utf-8") + bomb, encoding="utf-8")
    result = invoke("validate", str(path))
    assert result.exit_code == 1
    assert "error[too-large]" in result.output


def test_missing_file_is_exit_2(tmp_path):
    result = invoke("validate", str(tmp_path / "nope.yaml"))
    assert result.exit_code == 2
    assert "fant ikke filen" in result.output


def test_folder_is_exit_2(tmp_path):
    result = invoke("validate", str(tmp_path))
    assert result.exit_code == 2
    assert "er en mappe" in result.output


def test_unknown_option_is_exit_2():
    assert invoke("validate", "--nope", str(EXAMPLE)).exit_code == 2


def test_several_files_exit_with_the_worst_code(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("report: [\n", encoding="utf-8")
    assert invoke("validate", str(EXAMPLE), str(bad)).exit_code == 1
    assert invoke("validate", str(EXAMPLE), str(bad), str(tmp_path / "x.yaml")).exit_code == 2


def test_json_format_shape(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "report:\n  year: 2024\n  form: ehn-public-2024\nmember:\n  name: 7\n  short_name: X\n",
        encoding="utf-8",
    )
    doc = json.loads(invoke("validate", "--format", "json", str(bad)).output)
    (f,) = doc["files"]
    assert f["path"] == str(bad) and f["valid"] is False
    d = [d for d in f["diagnostics"] if d["severity"] == "error"][0]
    assert d == {
        "severity": "error",
        "code": "wrong-type",
        "path": "member.name",
        "line": 5,
        "column": 9,
        "message": "her skal det stå tekst, men det står et tall. Skal det stå som tekst, "
        'sett det i anførselstegn: "7".',
    }


def test_github_format_is_chosen_under_github_actions(tmp_path):
    path, line = mutate(tmp_path, "  short_name: NTNU\n", "  short_name: NTNU\n  logoo: x\n")
    result = invoke("validate", path, env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    assert (
        f"::error file={path},line={line + 1},col=3,title=ehnreport unknown-key::member.logoo%3A"
        not in result.output
    )
    assert (
        f"::error file={path},line={line + 1},col=3,title=ehnreport unknown-key::member.logoo: "
        "ukjent nøkkel" in result.output
    )
    valid = invoke("validate", str(EXAMPLE), env={"GITHUB_ACTIONS": "true"})
    assert valid.exit_code == 0
    assert f"::warning file={EXAMPLE},line=" in valid.output


def test_explicit_format_wins_over_github_actions():
    result = invoke("validate", "--format", "text", str(EXAMPLE), env={"GITHUB_ACTIONS": "true"})
    assert "::warning" not in result.output


def test_version():
    result = invoke("--version")
    assert result.exit_code == 0
    assert result.output.strip() == f"ehnreport {__version__}"


def test_committed_schema_is_fresh():
    committed = (ROOT / "schema" / "ehnreport.schema.json").read_text(encoding="utf-8")
    assert committed == schema_text(), (
        "schema is stale: run `ehnreport schema -o schema/ehnreport.schema.json`"
    )


def test_schema_carries_labels_and_codes():
    schema = json.loads(schema_text())
    step1 = schema["$defs"]["Step1"]["properties"]["a1"]
    assert step1["title"].startswith("1.A.1 Lenke til offentlig tilgjengelig policy")
    assert step1["x-code"] == "1.A.1"
    assert step1["description"]
    assert schema["additionalProperties"] is False


def test_schema_to_file(tmp_path):
    out = tmp_path / "s.json"
    assert invoke("schema", "-o", str(out)).exit_code == 0
    assert out.read_text(encoding="utf-8") == schema_text()


def test_validate_does_not_import_rendering_libraries():
    code = (
        "import sys\n"
        "from ehnreport.cli import app\n"
        "try:\n"
        f"    app(['validate', r'{EXAMPLE}'])\n"
        "except SystemExit as exc:\n"
        "    print('EXIT', exc.code)\n"
        "bad = [m for m in ('weasyprint', 'jinja2', 'markdown_it') if m in sys.modules]\n"
        "print('LOADED', bad)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.splitlines()[-2:] == ["EXIT 0", "LOADED []"]


def test_python_dash_m():
    proc = subprocess.run(
        [sys.executable, "-m", "ehnreport", "validate", str(EXAMPLE)],
        capture_output=True,
        text=True,
    )
    assert proc.returncode == 0
    assert f"{EXAMPLE}: gyldig: 0 feil, 14 advarsler." in proc.stdout


@pytest.mark.parametrize(
    "report",
    [
        EXAMPLE,
        ROOT / "examples" / "member-repo" / "report.yaml",
        ROOT / "tests" / "data" / "reports" / "valid-minimal.yaml",
    ],
    ids=lambda p: p.parent.name + "/" + p.name,
)
def test_valid_reports_also_pass_the_json_schema(report):
    """Editors check with the JSON Schema: it must accept what ehnreport accepts."""
    import jsonschema

    from ehnreport.loader import load_file

    schema = json.loads((ROOT / "schema" / "ehnreport.schema.json").read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(load_file(report).data)


# -- no file given, closed or full output, names too long -------------------------------


def _run(args: list[str], cwd, **kw) -> subprocess.CompletedProcess[str]:
    env = {**__import__("os").environ, "GITHUB_ACTIONS": ""}
    return subprocess.run(
        [sys.executable, "-m", "ehnreport", *args],
        cwd=cwd,
        env=env,
        text=True,
        capture_output=kw.pop("capture_output", True),
        timeout=300,
        **kw,
    )


@pytest.mark.parametrize("command", ["validate", "build"])
def test_no_file_and_no_report_yaml_names_the_yaml_files_there_are(tmp_path, command):
    (tmp_path / "rapport-2024.yaml").write_text("report: {}\n", encoding="utf-8")
    (tmp_path / "annet.yml").write_text("x: 1\n", encoding="utf-8")
    (tmp_path / ".skjult.yaml").write_text("x: 1\n", encoding="utf-8")
    proc = _run([command], tmp_path)
    assert proc.returncode == 2
    assert proc.stdout == ""
    assert proc.stderr == (
        "ehnreport: fant ingen report.yaml i denne mappen. Her er disse YAML-filene: "
        f"annet.yml, rapport-2024.yaml. Oppgi rapportfilen, for eksempel «ehnreport {command} "
        "annet.yml».\n"
    )


@pytest.mark.parametrize("command", ["validate", "build"])
def test_no_file_in_an_empty_folder(tmp_path, command):
    proc = _run([command], tmp_path)
    assert proc.returncode == 2
    assert (
        "Usage" not in proc.stderr and "Error" not in proc.stderr and "Missing" not in proc.stderr
    )
    assert proc.stderr == (
        "ehnreport: fant ingen report.yaml i denne mappen. Oppgi rapportfilen, for eksempel "
        f"«ehnreport {command} examples/ntnu-2024.yaml».\n"
    )


def test_validate_without_a_file_checks_report_yaml(tmp_path):
    (tmp_path / "report.yaml").write_bytes(EXAMPLE.read_bytes())
    proc = _run(["validate"], tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "report.yaml: gyldig" in proc.stdout


def test_validate_to_a_full_output_is_exit_2_without_traceback(tmp_path):
    with open("/dev/full", "w") as full:
        proc = _run(
            ["validate", str(EXAMPLE)],
            tmp_path,
            stdout=full,
            capture_output=False,
            stderr=subprocess.PIPE,
        )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "kunne ikke skrive til standard utdata" in proc.stderr


def test_validate_with_standard_output_closed_is_exit_2(tmp_path):
    code = (
        "import os, sys; os.close(1); "
        "sys.argv = ['ehnreport', 'validate', sys.argv[1]]; "
        "from ehnreport.cli import main; main()"
    )
    proc = subprocess.run(
        [sys.executable, "-c", code, str(EXAMPLE)],
        cwd=ROOT,
        capture_output=False,
        stdout=None,
        stderr=subprocess.PIPE,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "standard utdata" in proc.stderr


LONG = "x" * 300  # longer than a file name may be (255 bytes on most file systems)


@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["validate", f"{LONG}.yaml"], 2),
        (["build", "--html", f"{LONG}.yaml"], 2),
        (["build", "--html", "-o", f"{LONG}/out", "report.yaml"], 3),
        (["build", "--html", "-o", f"out/{LONG}", "report.yaml"], 3),
        (["build", "--html", "--templates", LONG, "report.yaml"], 2),
        (["init", f"{LONG}.yaml"], 2),
        (["init", f"{LONG}/report.yaml"], 2),
        (["schema", "-o", f"{LONG}.json"], 3),
        (["schema", "-o", f"{LONG}/schema.json"], 3),
    ],
)
def test_a_name_too_long_for_the_file_system_is_a_message(tmp_path, args, code):
    (tmp_path / "report.yaml").write_bytes(EXAMPLE.read_bytes())
    proc = _run(args, tmp_path)
    assert proc.returncode == code, proc.stderr
    assert "Traceback" not in proc.stderr + proc.stdout
    assert proc.stderr.startswith("ehnreport: ")


def test_watch_with_a_name_too_long_is_a_message(tmp_path):
    proc = _run(["build", "--watch", "--templates", LONG, "x.yaml"], tmp_path)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr


def test_watch_prints_a_changed_file_name_escaped(tmp_path):
    import os
    import signal

    from .test_batch import MINIMAL

    (tmp_path / "report.yaml").write_text(MINIMAL.format(name="E", short="E"), encoding="utf-8")
    # The watch follows what the build reads: a new file in the override template
    # folder is one (it may replace a built-in template).
    (tmp_path / "maler").mkdir()
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "ehnreport",
            "build",
            "--watch",
            "--html",
            "--templates",
            "maler",
            "-o",
            "out",
            "report.yaml",
        ],
        cwd=tmp_path,
        env={**os.environ, "GITHUB_ACTIONS": "", "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    lines = []
    try:
        for line in proc.stdout:  # synchronised on the output: built, then waiting
            lines.append(line)
            if b"Venter p" in line:
                break
        with open(os.fsencode(tmp_path) + b"/maler/bilde\x1b[2J\n::error::x.png", "wb") as fh:
            fh.write(b"x")
        for line in proc.stdout:
            lines.append(line)
            if b"endret:" in line:
                break
    finally:
        proc.send_signal(signal.SIGINT)
        rest, err = proc.communicate(timeout=60)
    changed = next(ln for ln in lines if b"endret:" in ln)
    assert b"\x1b" not in changed and changed.count(b"\n") == 1
    assert b"bilde\\x1b[2J\\n::error::x.png" in changed
    assert proc.returncode == 0 and b"Traceback" not in err


@pytest.mark.parametrize(
    "args",
    [
        ["schema"],
        ["--version"],
        ["init", "ny.yaml"],
        ["build", "--html", "-o", "ut", "report.yaml"],
    ],
)
def test_every_command_to_a_full_output_is_exit_2(tmp_path, args):
    (tmp_path / "report.yaml").write_bytes(EXAMPLE.read_bytes())
    with open("/dev/full", "w") as full:
        proc = _run(args, tmp_path, stdout=full, capture_output=False, stderr=subprocess.PIPE)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr
    assert "kunne ikke skrive til standard utdata" in proc.stderr


def test_an_os_error_without_a_reason_never_says_none(tmp_path, monkeypatch):
    # Some OSErrors carry no strerror (a library's own FileNotFoundError, for one);
    # the message then gives the error's own words, never «(None)».
    from ehnreport.errors import os_reason

    assert os_reason(FileNotFoundError("fant ikke noe")) == "fant ikke noe"
    assert os_reason(OSError()) == "OSError"
    assert os_reason(PermissionError(13, "Permission denied")) == "Permission denied"
