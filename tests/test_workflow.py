"""The member's workflow end to end: the sample member repository builds, and
`build --watch` rebuilds on changes and keeps the last good output."""

from __future__ import annotations

import shutil

from pypdf import PdfReader
from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.watch import snapshot, watch, watched_files

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


def test_watched_files_cover_report_folder_and_templates(tmp_path):
    report = tmp_path / "r" / "report.yaml"
    report.parent.mkdir()
    report.write_text("x: 1\n", encoding="utf-8")
    (report.parent / "logo.png").write_bytes(b"x")
    (report.parent / ".git").mkdir()
    (report.parent / ".git" / "HEAD").write_text("x", encoding="utf-8")
    out = report.parent / "build"
    out.mkdir()
    (out / "report.pdf").write_bytes(b"x")
    templates = tmp_path / "t"
    templates.mkdir()
    (templates / "cover.html.j2").write_text("x", encoding="utf-8")
    names = sorted(p.name for p in watched_files(report, templates, out))
    assert names == ["cover.html.j2", "logo.png", "report.yaml"]
    assert len(snapshot(watched_files(report, templates, out))) == 3


def test_build_watch_keeps_the_last_good_output_and_stops_on_ctrl_c(tmp_path, monkeypatch):
    folder = tmp_path / "r"
    shutil.copytree(ROOT / "tests" / "data" / "build" / "minimal", folder)
    report = folder / "report.yaml"
    good = report.read_text(encoding="utf-8")
    out = tmp_path / "out"
    seen: list[str] = []

    def fake_watch(list_files, on_change, **kwargs):
        on_change([])  # the first build
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
