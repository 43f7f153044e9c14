"""The member's workflow end to end: the sample member repository builds, and
`build --watch` rebuilds on changes and keeps the last good output."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.watch import BuildInputs, snapshot, watch

from .conftest import ROOT

MEMBER = ROOT / "examples" / "member-repo"
runner = CliRunner()


def test_sample_member_repository_builds_end_to_end(tmp_path):
    repo = tmp_path / "repo"
    shutil.copytree(MEMBER, repo)
    out = tmp_path / "out"
    result = runner.invoke(
        app,
        ["build", str(repo / "report.yaml"), "-o", str(out), "--strict"],
        catch_exceptions=False,
        env={"GITHUB_ACTIONS": ""},
    )
    assert result.exit_code == 0, result.output
    html = (out / "report.html").read_text(encoding="utf-8")
    assert "Eksempel kommune" in html
    assert 'src="data:image/svg+xml;base64,' in html  # the logo, embedded
    reader = PdfReader(out / "report.pdf")
    assert len(reader.pages) > 10
    assert "Eksempel kommune" in reader.pages[0].extract_text()


def test_watch_rebuilds_on_change_and_stops():
    calls: list[list[str]] = []
    state = {"files": {"a": 1}, "ticks": 0}

    class Path_:
        def __init__(self, name):
            self.name = name

        def stat(self):
            class St:
                st_mtime_ns = state["files"][self.name]
                st_size = 1
                st_ino = 1

            return St()

        def __str__(self):
            return self.name

    def list_files():
        return [Path_(n) for n in state["files"]]

    def tick(_):
        state["ticks"] += 1
        if state["ticks"] == 2:
            state["files"]["a"] = 2  # an edit
        if state["ticks"] == 3:
            state["files"]["b"] = 1  # a new image beside the report

    watch(list_files, calls.append, sleep=tick, should_stop=lambda: state["ticks"] >= 4)
    assert calls == [[], ["a"], ["b"]]


REPORT_WITH_IMAGES = """\
member:
  name: X
  logo: logo.svg
steps:
  step1:
    a2: |
      Se figuren: ![Figur](bilder/figur.png) og ![Kart][kart].

      [kart]: bilder/kart%20ny.png
    a3: "![Utenfor](../hemmelig.png) ![Nett](https://example.com/x.png)"
"""


def test_build_inputs_are_what_the_build_reads_not_the_whole_folder(tmp_path):
    folder = tmp_path / "r"
    (folder / "bilder").mkdir(parents=True)
    report = folder / "report.yaml"
    report.write_text(REPORT_WITH_IMAGES, encoding="utf-8")
    for name in ("logo.svg", "bilder/figur.png", "bilder/annet.png", "ehnreport.log"):
        (folder / name).write_bytes(b"x")
    (folder / "build").mkdir()
    (folder / "build" / "report.pdf").write_bytes(b"x")
    templates = tmp_path / "t"
    (templates / ".git").mkdir(parents=True)
    (templates / ".git" / "HEAD").write_text("x", encoding="utf-8")
    (templates / "cover.html.j2").write_text("x", encoding="utf-8")
    inputs = BuildInputs(report, templates)
    assert inputs.files() == [report.resolve(), (templates / "cover.html.j2").resolve()]
    inputs.reload()
    rel = [p.relative_to(tmp_path.resolve()).as_posix() for p in inputs.files()]
    # The missing "kart ny.png" is kept: creating it starts a build. Nothing outside
    # the folder, no URL, no log, no output, no file of the folder nobody refers to.
    assert rel == [
        "r/report.yaml",
        "r/logo.svg",
        "r/bilder/figur.png",
        "r/bilder/kart ny.png",
        "t/cover.html.j2",
    ]
    assert len(snapshot(inputs.files())) == 4


def test_a_broken_save_keeps_the_references_it_had(tmp_path):
    report = tmp_path / "report.yaml"
    report.write_text(REPORT_WITH_IMAGES, encoding="utf-8")
    inputs = BuildInputs(report, None)
    inputs.reload()
    before = inputs.files()
    report.write_text("member: [\n", encoding="utf-8")
    inputs.reload()
    assert inputs.files() == before and len(before) == 4


def test_a_log_written_beside_the_report_starts_no_build(tmp_path):
    report = tmp_path / "report.yaml"
    report.write_text("member:\n  logo: logo.svg\n", encoding="utf-8")
    logo = tmp_path / "logo.svg"
    logo.write_bytes(b"<svg/>")
    os.utime(logo, ns=(10**18, 10**18))  # made well before the first build
    inputs = BuildInputs(report, None)
    calls: list[list[str]] = []
    ticks = {"n": 0}

    def on_change(changed: list[str]) -> None:
        calls.append([Path(c).name for c in changed])
        inputs.reload()

    def tick(_: float) -> None:
        ticks["n"] += 1
        with (tmp_path / "ehnreport.log").open("a", encoding="utf-8") as log:
            log.write(f"linje {ticks['n']}\n")  # every poll, as a logging tool would
        if ticks["n"] == 3:
            os.utime(logo, ns=(2 * 10**18, 2 * 10**18))  # the logo changes
        if ticks["n"] == 5:  # the report now refers to an image that exists already
            (tmp_path / "figur.png").write_bytes(b"x")
            os.utime(tmp_path / "figur.png", ns=(10**18, 10**18))
            report.write_text(
                "member:\n  logo: logo.svg\nsteps:\n  a: '![Figur](figur.png)'\n",
                encoding="utf-8",
            )
            os.utime(report, ns=(3 * 10**18, 3 * 10**18))

    watch(inputs.files, on_change, sleep=tick, should_stop=lambda: ticks["n"] >= 8)
    # The first build, the logo, the report; the newly referenced image is not counted
    # as changed by itself, and the log never is.
    assert calls == [[], ["logo.svg"], ["report.yaml"]]
    assert [p.name for p in inputs.files()] == ["report.yaml", "logo.svg", "figur.png"]


def test_build_watch_keeps_the_last_good_output_and_stops_on_ctrl_c(tmp_path, monkeypatch):
    folder = tmp_path / "r"
    shutil.copytree(ROOT / "tests" / "data" / "build" / "minimal", folder)
    report = folder / "report.yaml"
    good = report.read_text(encoding="utf-8")
    out = tmp_path / "out"
    seen: list[str] = []

    def fake_watch(list_files, on_change, **kwargs):
        on_change([])  # the first build
        (folder / "ehnreport.log").write_text("x\n", encoding="utf-8")
        assert [p.name for p in list_files()] == ["report.yaml"]  # not the log
        seen.append((out / "report.html").read_text(encoding="utf-8"))
        report.write_text(good + "ukjent: 1\n", encoding="utf-8")  # an invalid save
        on_change([str(report)])
        seen.append((out / "report.html").read_text(encoding="utf-8"))
        raise KeyboardInterrupt

    monkeypatch.setattr("ehnreport.watch.watch", fake_watch)
    result = runner.invoke(
        app,
        ["build", str(report), "--html", "-o", str(out), "--watch"],
        catch_exceptions=False,
        env={"GITHUB_ACTIONS": ""},
    )
    assert result.exit_code == 0, result.output
    assert seen[0] == seen[1]  # the invalid save left the last good HTML in place
    assert "error[unknown-key]" in result.output
    assert "forrige versjon er beholdt" in result.output
    assert "avsluttet" in result.output


# -- the quick start of `validate` (ehnreport/__main__.py) -------------------------------

QUICK = "import sys; sys.argv[0] = 'ehnreport'; from ehnreport.__main__ import main; main()"
TYPER = "import sys; sys.argv[0] = 'ehnreport'; from ehnreport.cli import main; main()"


def _run(code: str, argv: list[str], env: dict[str, str], cwd: Path):
    return subprocess.run(
        [sys.executable, "-c", code, *argv],
        capture_output=True,
        text=True,
        env={**os.environ, "GITHUB_ACTIONS": "", "EHNREPORT_LANG": "", **env},
        cwd=cwd,
        check=False,
    )


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    folder = tmp_path_factory.mktemp("quick")
    shutil.copy(ROOT / "examples" / "ntnu-2024.yaml", folder / "ntnu.yaml")
    text = (folder / "ntnu.yaml").read_text(encoding="utf-8")
    (folder / "invalid.yaml").write_text(
        text.replace("year: 2024", "year: tjuefire", 1) + 'ukjent\\u202e: "a\\nb"\n',
        encoding="utf-8",
    )
    (folder / "broken.yaml").write_text("member: [\n", encoding="utf-8")
    (folder / "empty.yaml").write_text("", encoding="utf-8")
    (folder / "mappe.yaml").mkdir()
    return folder


QUICK_ARGV = [
    ["validate", "ntnu.yaml"],
    ["validate", "--strict", "ntnu.yaml"],
    ["validate", "-q", "invalid.yaml", "ntnu.yaml"],
    ["validate", "--quiet", "--strict", "broken.yaml", "empty.yaml"],
    ["validate", "-f", "github", "invalid.yaml", "ntnu.yaml"],
    ["validate", "--format=GitHub", "--strict", "ntnu.yaml"],
    ["validate", "-ftext", "mangler.yaml", "mappe.yaml", "ntnu.yaml"],
    ["validate", "ntnu.yaml", "--", "--strict"],
    ["validate", "--lang", "en", "invalid.yaml", "mangler.yaml", "empty.yaml", "ntnu.yaml"],
    ["validate", "--lang=nn", "-q", "mappe.yaml", "broken.yaml", "ntnu.yaml"],
    ["validate", "--lang", "de", "ntnu.yaml"],
]
FALLBACK_ARGV = [
    ["validate", "--format", "json", "ntnu.yaml"],
    ["validate", "--help"],
    ["validate"],
    ["validate", "--bogus", "ntnu.yaml"],
    ["validate", "-qf", "text", "ntnu.yaml"],
    ["validate", "--format", "xml", "ntnu.yaml"],
    ["validate", "-f"],
    ["build", "--help"],
    ["validate", "ntnu.yaml", "--lang"],
    ["validate", "--lang", "en", "--bogus", "ntnu.yaml"],
]


@pytest.mark.parametrize("argv", QUICK_ARGV + FALLBACK_ARGV, ids=" ".join)
def test_quick_validate_prints_what_the_typer_command_prints(reports, argv):
    from ehnreport.__main__ import quick_validate_args

    assert (quick_validate_args(argv) is not None) == (argv in QUICK_ARGV)
    quick = _run(QUICK, argv, {}, reports)
    typer_ = _run(TYPER, argv, {}, reports)
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        typer_.returncode,
        typer_.stdout,
        typer_.stderr,
    )
    assert "Traceback" not in quick.stderr


def test_quick_validate_follows_github_actions_like_the_typer_command(reports):
    argv = ["validate", "invalid.yaml", "ntnu.yaml"]
    quick = _run(QUICK, argv, {"GITHUB_ACTIONS": "true"}, reports)
    typer_ = _run(TYPER, argv, {"GITHUB_ACTIONS": "true"}, reports)
    assert quick.stdout.startswith("::error file=invalid.yaml")
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        typer_.returncode,
        typer_.stdout,
        typer_.stderr,
    )


@pytest.mark.parametrize("lang", ["en", "nn", "nb", "xx"])
def test_quick_validate_speaks_the_language_of_the_environment_like_the_typer_command(
    reports, lang
):
    argv = ["validate", "invalid.yaml", "mangler.yaml", "empty.yaml", "ntnu.yaml"]
    quick = _run(QUICK, argv, {"EHNREPORT_LANG": lang}, reports)
    typer_ = _run(TYPER, argv, {"EHNREPORT_LANG": lang}, reports)
    assert (quick.returncode, quick.stdout, quick.stderr) == (
        typer_.returncode,
        typer_.stdout,
        typer_.stderr,
    )
    said = {"en": "file not found", "nn": "fann ikkje fila", "nb": "fant ikke filen"}
    assert said.get(lang, "unknown language “xx” (EHNREPORT_LANG)") in quick.stderr


@pytest.mark.parametrize(
    ("args", "env", "summary"),
    [
        ("", {}, "ntnu.yaml: gyldig: 0 feil, 14 advarsler."),
        (", '--lang', 'en'", {}, "ntnu.yaml: valid: 0 errors, 14 warnings."),
        ("", {"EHNREPORT_LANG": "nn"}, "ntnu.yaml: gyldig: 0 feil, 14 åtvaringar."),
    ],
    ids=["nb", "option", "environment"],
)
def test_quick_validate_imports_neither_typer_nor_package_metadata(reports, args, env, summary):
    # The language is read from the prepared JSON catalog, never its YAML sources.
    probe = (
        f"import sys; sys.argv = ['ehnreport', 'validate', 'ntnu.yaml'{args}]\n"
        "from ehnreport.__main__ import main\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "names = ('typer', 'click', 'importlib.metadata', 'jinja2', 'markdown_it',\n"
        "         'ehnreport.messages.sources', 'ehnreport.cli')\n"
        "print([m for m in names if m in sys.modules], file=sys.stderr)\n"
    )
    done = _run(probe, [], env, reports)
    assert done.stderr.strip().splitlines()[-1] == "[]"
    assert done.stdout.splitlines()[-1].startswith(summary)


def test_the_plugin_scan_stand_in_matches_pydantic(monkeypatch):
    """Guards the one private detail the quick start leans on (pydantic's plugin loader)."""
    import inspect

    import pydantic.plugin._loader as real_loader
    import pydantic.plugin._schema_validator as schema_validator

    from ehnreport import __main__ as entry

    # Pydantic still asks its loader module for get_plugins when it builds a validator,
    source = inspect.getsource(schema_validator.create_schema_validator)
    assert "from ._loader import get_plugins" in source
    # and the real loader finds no plugins when the variable says so: the stand-in's answer.
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")
    assert tuple(real_loader.get_plugins()) == ()
    # The stand-in goes in only when plugins are disabled and the loader is not loaded,
    monkeypatch.delitem(sys.modules, "pydantic.plugin._loader")
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "")
    assert entry.skip_plugin_scan() is False
    monkeypatch.setenv("PYDANTIC_DISABLE_PLUGINS", "__all__")
    assert entry.skip_plugin_scan() is True
    stand_in = sys.modules["pydantic.plugin._loader"]
    assert stand_in.get_plugins() == ()
    # and any other name loads the real module.
    assert stand_in.PYDANTIC_ENTRY_POINT_GROUP == "pydantic"
    assert sys.modules["pydantic.plugin._loader"] is not stand_in


def test_quick_validate_on_a_terminal_prints_what_the_typer_command_prints(reports):
    """The terminal view (source lines, colour) through both paths, on a pseudo-terminal."""
    pty = pytest.importorskip("pty")

    def on_tty(code: str) -> tuple[int, bytes]:
        leader, follower = pty.openpty()
        proc = subprocess.Popen(
            [sys.executable, "-c", code, "validate", "-q", "invalid.yaml", "ntnu.yaml"],
            stdout=follower,
            stderr=subprocess.DEVNULL,
            env={**os.environ, "GITHUB_ACTIONS": "", "TERM": "xterm", "NO_COLOR": ""},
            cwd=reports,
        )
        os.close(follower)
        out = b""
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not chunk:
                break
            out += chunk
        os.close(leader)
        return proc.wait(), out

    quick, typer_ = on_tty(QUICK), on_tty(TYPER)
    assert b"\x1b[" in quick[1] and b"invalid.yaml" in quick[1]  # coloured, as on a terminal
    assert quick == typer_
