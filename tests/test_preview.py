"""`ehnreport preview`: the server in this process on a free loopback port."""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from ehnreport import preview as preview_module
from ehnreport.cli import app
from ehnreport.preview import Preview, PreviewServer
from ehnreport.validate import check_file

from .conftest import DATA, ROOT

MINIMAL = DATA / "build" / "minimal" / "report.yaml"
TIMEOUT = 20.0  # generous: the machine may be busy; a pass never waits this long
runner = CliRunner()


class Running:
    """A preview with its server and watcher threads, as `serve` runs them."""

    def __init__(self, report: Path, out: Path, templates: Path | None = None) -> None:
        self.report = report
        self.preview = Preview(report, out, templates=templates, pdf=False)
        self.server = PreviewServer(("127.0.0.1", 0), self.preview)
        self.port = self.server.port
        self.stop = threading.Event()
        self.threads = [
            threading.Thread(
                target=self.server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
            ),
            threading.Thread(
                target=preview_module.watch,
                args=(self.preview.inputs.files, self.preview.refresh),
                kwargs={"interval": 0.02, "should_stop": self.stop.is_set},
                daemon=True,
            ),
        ]
        for t in self.threads:
            t.start()

    def close(self) -> None:
        self.stop.set()
        self.server.shutdown()
        self.server.server_close()
        self.preview.close()
        for t in self.threads:
            t.join(TIMEOUT)

    def get(self, path: str, host: str | None = None, method: str = "GET"):
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        headers = {"Host": host if host is not None else f"127.0.0.1:{self.port}"}
        conn.request(method, path, headers=headers)
        resp = conn.getresponse()
        body = resp.read()
        conn.close()
        return resp, body.decode("utf-8", "replace")

    def events(self) -> Iterator[dict | None]:
        """The states sent on the reload channel, as the page's script receives them.

        None stands for a line that is not a state (a keep-alive comment, a blank line).
        """
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        conn.request("GET", "/_preview/events", headers={"Host": f"localhost:{self.port}"})
        resp = conn.getresponse()
        assert resp.status == 200
        assert resp.getheader("Content-Type").startswith("text/event-stream")
        event = None
        try:
            while True:
                line = resp.fp.readline().decode("utf-8").rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "state":
                    yield json.loads(line[6:])
                else:
                    yield None
        finally:
            conn.close()


@pytest.fixture
def running(tmp_path) -> Iterator[Running]:
    folder = tmp_path / "r"
    folder.mkdir()
    report = folder / "report.yaml"
    shutil.copy(MINIMAL, report)
    r = Running(report, tmp_path / "out")
    yield r
    r.close()


def wait_for(events: Iterator[dict | None], ok) -> dict:
    deadline = time.monotonic() + TIMEOUT
    seen = []
    for state in events:
        if state is not None:
            if ok(state):
                return state
            seen.append(state)
        assert time.monotonic() < deadline, f"the change was not reported; seen: {seen}"
    raise AssertionError("the reload channel closed")


def save(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    # A new time even on file systems with coarse timestamps.
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))


def test_page_is_served_with_the_report_and_the_preview_script(running):
    resp, body = running.get("/")
    assert resp.status == 200
    assert "Eksempel kommune" in body
    assert 'src="/_preview/preview.js"' in body
    assert 'data-page="1"' in body
    assert "script-src 'self'" in resp.getheader("Content-Security-Policy")
    assert resp.getheader("Cache-Control") == "no-store"
    script_resp, script = running.get("/_preview/preview.js")
    assert script_resp.status == 200 and "EventSource" in script
    assert "sessionStorage" in script  # the scroll position survives the reload


def test_a_save_is_seen_on_the_reload_channel_and_the_new_page_is_served(running):
    events = running.events()
    first = wait_for(events, lambda s: True)
    assert first["page"] == 1 and first["problems"] == []
    text = running.report.read_text(encoding="utf-8")
    save(running.report, text.replace("Eksempel kommune", "Endret kommune"))
    state = wait_for(events, lambda s: s["page"] == 2)
    assert state["problems"] == []
    resp, body = running.get("/")
    assert "Endret kommune" in body and 'data-page="2"' in body


def test_an_invalid_save_keeps_the_page_and_shows_validates_sentences(running):
    events = running.events()
    wait_for(events, lambda s: True)
    good = running.report.read_text(encoding="utf-8")
    save(running.report, good + "ukjent: 1\n")
    state = wait_for(events, lambda s: bool(s["problems"]))
    expected = [d.format() for d in check_file(running.report).diagnostics if d.is_error]
    assert expected and state["problems"] == expected
    assert f"{running.report}:" in expected[0]  # file:line:col, as validate prints it
    assert state["page"] == 1
    # Without scripts: the page itself carries the problems, in a live region, over the
    # last good report.
    resp, body = running.get("/")
    assert 'role="alert"' in body and 'aria-live="assertive"' in body
    assert "error[unknown-key]" in body and "Eksempel kommune" in body
    assert 'data-page="1"' in body
    save(running.report, good)  # fixed
    state = wait_for(events, lambda s: not s["problems"])
    assert state["page"] == 2
    resp, body = running.get("/")
    assert "error[unknown-key]" not in body


def test_an_unreadable_first_save_shows_the_problem_on_an_empty_page(tmp_path):
    report = tmp_path / "report.yaml"
    report.write_text("member: [\n", encoding="utf-8")
    r = Running(report, tmp_path / "out")
    try:
        resp, body = r.get("/")
        assert resp.status == 200
        assert f"{report}:" in body and "error[" in body
    finally:
        r.close()


@pytest.mark.parametrize(
    "path",
    [
        "/../",
        "/../report.yaml",
        "/report.yaml",
        "/%2e%2e/%2e%2e/etc/passwd",
        "/..%2f..%2fetc%2fpasswd",
        "/%2E%2E%5C%2E%2E%5Cetc%5Cpasswd",
        "//etc/passwd",
        "/etc/passwd",
        "http://127.0.0.1/etc/passwd",
        "/_preview/",
        "/_preview/../report.yaml",
        "/report.pdf/../../report.yaml",
    ],
)
def test_nothing_but_the_preview_is_served(running, path):
    resp, body = running.get(path)
    assert resp.status == 404
    assert "Eksempel kommune" not in body and "root:" not in body


def test_the_pdf_address_serves_nothing_before_a_pdf_is_built(running):
    resp, _ = running.get("/report.pdf")
    assert resp.status == 503


@pytest.mark.parametrize(
    "host", ["evil.example", "evil.example:{port}", "127.0.0.1:1", "localhost", "", "[::1]:{port}"]
)
def test_a_foreign_host_header_is_refused(running, host):
    resp, body = running.get("/", host=host.format(port=running.port))
    assert resp.status == 403
    assert "Eksempel kommune" not in body


def test_a_request_without_host_is_refused(running):
    with socket.create_connection(("127.0.0.1", running.port), timeout=TIMEOUT) as sock:
        sock.sendall(b"GET / HTTP/1.0\r\n\r\n")
        reply = sock.recv(100)
    assert reply.startswith(b"HTTP/1.0 403")


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "HEAD", "OPTIONS", "PATCH", "BREW"])
def test_only_get_is_answered(running, method):
    resp, _ = running.get("/", method=method)
    assert resp.status == 405
    assert resp.getheader("Allow") == "GET"


def _other_address() -> str | None:
    """A non-loopback address of this machine, if it has one (no packet is sent)."""
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.connect(("192.0.2.1", 9))  # TEST-NET-1: choosing a route sends nothing
            address = str(s.getsockname()[0])
    except OSError:
        return None
    return None if address.startswith("127.") or address == "0.0.0.0" else address


def test_it_binds_loopback_even_if_asked_for_every_interface(tmp_path):
    preview = Preview(MINIMAL, tmp_path, pdf=False)
    server = PreviewServer(("0.0.0.0", 0), preview)
    try:
        assert server.socket.getsockname()[0] == "127.0.0.1"
        other = _other_address()
        if other is None:
            pytest.skip("this machine has no address besides loopback to try")
        with pytest.raises(OSError):
            socket.create_connection((other, server.port), timeout=2).close()
    finally:
        server.server_close()
        preview.close()


def test_a_port_in_use_is_a_clear_message_and_exit_2(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = runner.invoke(
            app, ["preview", str(MINIMAL), "--port", str(port)], catch_exceptions=False
        )
    assert result.exit_code == 2
    assert f"port {port} på 127.0.0.1 er allerede i bruk" in result.output
    assert "Traceback" not in result.output


def test_preview_usage_mistakes_exit_2(tmp_path):
    missing = runner.invoke(app, ["preview", str(tmp_path / "nei.yaml")])
    assert missing.exit_code == 2 and "fant ikke filen" in missing.output
    port = runner.invoke(app, ["preview", str(MINIMAL), "--port", "70000"])
    assert port.exit_code == 2 and "port 70000 finnes ikke" in port.output


def test_an_override_template_is_watched(tmp_path):
    templates = tmp_path / "t"
    templates.mkdir()
    r = Running(MINIMAL, tmp_path / "out", templates=templates)
    try:
        events = r.events()
        wait_for(events, lambda s: True)
        (templates / "foreword.html.j2").write_text("<p>Egen forord-mal</p>\n", encoding="utf-8")
        wait_for(events, lambda s: s["page"] == 2)
        assert "Egen forord-mal" in r.get("/")[1]
    finally:
        r.close()


def test_the_page_is_what_build_writes_and_build_output_has_no_preview(tmp_path, running):
    out = tmp_path / "built"
    result = runner.invoke(
        app,
        ["build", str(running.report), "--html", "-o", str(out)],
        catch_exceptions=False,
        env={"GITHUB_ACTIONS": ""},
    )
    assert result.exit_code == 0, result.output
    built = (out / "report.html").read_text(encoding="utf-8")
    assert "_preview" not in built and "ehnreport-preview" not in built
    served = running.get("/")[1]
    # The served page is the built page with the preview's head lines and strip added.
    assert served != built
    assert (
        served.replace(preview_module._HEAD, "", 1).replace(
            served[served.index('<aside id="ehnreport-preview"') : served.index("</aside>\n") + 9],
            "",
            1,
        )
        == built
    )


def test_a_newer_save_stops_the_pdf_build_still_running(tmp_path, monkeypatch):
    commands = iter(
        [
            [sys.executable, "-c", "import time; time.sleep(60)"],
            [sys.executable, "-c", "pass"],
        ]
    )
    monkeypatch.setattr(preview_module._PdfBuilder, "_command", lambda self: next(commands))
    preview = Preview(MINIMAL, tmp_path, pdf=True)
    try:
        preview.refresh()  # page 1: its PDF build hangs
        deadline = time.monotonic() + TIMEOUT
        while preview.state()["status"] != "PDF-en lages …":
            assert time.monotonic() < deadline
            time.sleep(0.01)
        start = time.monotonic()
        preview.refresh()  # page 2 supersedes it
        while preview.state()["pdf"] != 2:
            assert time.monotonic() < deadline, preview.state()
            time.sleep(0.01)
        assert time.monotonic() - start < 30  # the sleeping build did not run out its time
        assert preview.state()["status"].startswith("PDF-en er oppdatert")
    finally:
        preview.close()


def _start_cli(report: Path, tmp_path: Path) -> tuple[subprocess.Popen[str], int]:
    env = {**os.environ, "TMPDIR": str(tmp_path), "GITHUB_ACTIONS": ""}
    proc = subprocess.Popen(
        [sys.executable, "-m", "ehnreport", "preview", str(report), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert "http://127.0.0.1:" in first, first + proc.stderr.read()
    port = int(first.split("http://127.0.0.1:")[1].split("/")[0])
    return proc, port


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_cleanly_and_removes_the_build_output(tmp_path, sig):
    folder = tmp_path / "r"
    folder.mkdir()
    report = folder / "report.yaml"
    shutil.copy(MINIMAL, report)
    proc, port = _start_cli(report, tmp_path)
    try:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT)
        conn.request("GET", "/", headers={"Host": f"localhost:{port}"})
        assert conn.getresponse().status == 200
        conn.close()
        temps = [p for p in tmp_path.iterdir() if p.name.startswith("ehnreport-preview-")]
        assert len(temps) == 1  # the build output: a private folder outside the report's
        assert temps[0].stat().st_mode & 0o077 == 0
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=TIMEOUT)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    # Ctrl-C is how a preview ends; SIGTERM keeps its code, as for every command.
    assert proc.returncode == (0 if sig == signal.SIGINT else 143), err
    assert "avsluttet." in out and "Traceback" not in err
    assert not [p for p in tmp_path.iterdir() if p.name.startswith("ehnreport-preview-")]
    assert sorted(p.name for p in folder.iterdir()) == ["report.yaml"]
