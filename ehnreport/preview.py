"""`ehnreport preview`: the report in the browser, shown again after every save.

A save is seen by the watcher shared with `build --watch` (`watch.BuildInputs`); the
HTML is rendered at once in this process, with the same library functions as a build,
and the PDF is built behind it by `ehnreport build` in a child process. A newer save
stops a PDF build that is still running (the latest wins), and a child process keeps
WeasyPrint's long layout off this process, so a save is shown while a PDF is made.

The page is told to reload over server-sent events: one long GET that the browser's
`EventSource` keeps open and reconnects by itself. It needs no dependency on either
side (a WebSocket would need a library or a hand-written protocol) and the messages
only ever go one way, from the server to the page.

The server is for the writer's own browser: it listens on 127.0.0.1 only, answers
only GET, and only for four fixed addresses (the page, its script, its event stream
and the PDF); no path is ever mapped to a file, so nothing else can be read. A
request whose Host header is not this server's own name is refused, so a web page
cannot reach it through a DNS name that resolves to 127.0.0.1 (DNS rebinding).
"""

from __future__ import annotations

import errno
import html
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib.resources import files
from pathlib import Path
from typing import Any
from urllib.parse import quote

from . import messages
from .errors import UserError
from .messages import Msg, msg
from .validate import check_file, printable
from .watch import BuildInputs, watch

HOST = "127.0.0.1"
DEFAULT_PORT = 8000
POLL_SECONDS = 0.025  # a handful of files; stat-ing them 40 times a second is cheap
EVENTS = "/_preview/events"
SCRIPT = "/_preview/preview.js"
_HEARTBEAT_SECONDS = 15.0  # finds browsers that went away, so their threads end
_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)


class PortInUse(UserError):
    """The port is taken by another program (exit code 2)."""


@dataclass
class _State:
    page: int = 0  # counts good renders; the page's data-page
    html: str = ""  # the last good page, as a build writes it
    problems: list[str] = field(default_factory=list)  # why the last save is not shown
    pdf: int = 0  # the page version whose PDF is served; 0: none yet
    pdf_status: str = ""
    version: int = 0  # counts every change, for the event stream
    closed: bool = False


class Preview:
    """One report's preview: the last good page, the problems of the last save, the PDF."""

    def __init__(
        self,
        report: Path,
        out_dir: Path,
        *,
        templates: Path | None = None,
        pdf: bool = True,
        log: Callable[[str], None] = lambda text: None,
    ) -> None:
        self.report = report
        self.templates = templates
        self.out_dir = out_dir
        self.inputs = BuildInputs(report, templates)
        self.pdf_name = f"{report.stem}.pdf"
        self._log = log
        self._state = _State()
        self._cond = threading.Condition()
        self._pdf = _PdfBuilder(self) if pdf else None

    # -- rendering ------------------------------------------------------------------

    def refresh(self, changed: list[str] | None = None) -> None:
        """Check and render the report again; keep the last good page if it fails."""
        start = time.perf_counter()
        page, problems = self._render()
        ms = (time.perf_counter() - start) * 1000
        stamp = time.strftime("%H:%M:%S")
        with self._cond:
            state = self._state
            if page is not None:
                state.page += 1
                state.html = page
                state.problems = []
            else:
                state.problems = problems
            state.version += 1
            version = state.page
            self._cond.notify_all()
        files = tuple(Path(c).name for c in (changed or [])[:5])
        if page is None:
            said = msg("tools.preview.not-shown-changed", files=files) if files else None
            self._log(f"[{stamp}] {said or msg('tools.preview.not-shown')}")
            for line in problems:
                self._log(line)
            return
        ms_text = f"{ms:.0f}"
        said = (
            msg("tools.preview.updated-changed", files=files, ms=ms_text)
            if files
            else msg("tools.preview.updated", ms=ms_text)
        )
        self._log(f"[{stamp}] {said}")
        if self._pdf is not None:
            self._pdf.request(version)

    def _render(self) -> tuple[str | None, list[str]]:
        """The page, or None and the problems in the words and format of `validate`."""
        from .markdown import MarkdownRenderer
        from .render import render_html

        try:
            result = check_file(self.report)
        except UserError as exc:
            return None, [f"ehnreport: {printable(str(exc))}"]
        self.inputs.update(result.loaded.data if result.loaded is not None else None)
        if result.report is None or not result.valid:
            errors = [d for d in result.diagnostics if d.is_error]
            lines = [d.format() for d in errors]
            warnings = len(result.diagnostics) - len(errors)
            if warnings:
                lines.append(str(msg("tools.preview.more-warnings", count=warnings)))
            return None, lines
        md = MarkdownRenderer(folder=result.folder, loaded=result.loaded, file=str(result.path))
        try:
            return render_html(result.report, md, templates=self.templates), []
        except UserError as exc:  # a mistake in an override template
            return None, [f"ehnreport: {printable(str(exc))}"]

    # -- what the server hands out ----------------------------------------------------

    def _pdf_done(self, page: int, status: str, ok: bool) -> None:
        with self._cond:
            if ok:
                self._state.pdf = page
            self._state.pdf_status = status
            self._state.version += 1
            self._cond.notify_all()
        self._log(f"[{time.strftime('%H:%M:%S')}] {status}")

    def _pdf_started(self) -> None:
        with self._cond:
            self._state.pdf_status = str(msg("tools.preview.pdf-making"))
            self._state.version += 1
            self._cond.notify_all()

    def state(self) -> dict[str, Any]:
        """What the page's script is told: the page version, the problems, the PDF."""
        with self._cond:
            return self._public(self._state)

    def _public(self, s: _State) -> dict[str, Any]:
        return {"page": s.page, "problems": list(s.problems), "pdf": s.pdf, "status": s.pdf_status}

    def wait(self, version: int, timeout: float) -> tuple[int, dict[str, Any]] | None:
        """Wait until the state is newer than `version`; None once the preview is closed."""
        with self._cond:
            s = self._state
            # Version 0 is before the first render: nothing to tell yet.
            self._cond.wait_for(lambda: s.version not in (version, 0) or s.closed, timeout)
            if s.closed:
                return None
            return (version if s.version == 0 else s.version), self._public(s)

    def page(self) -> str:
        """The last good page with the preview's bar, and the problems of the last save."""
        with self._cond:
            s = self._state
            # The first render runs as the server starts; a browser that is quicker
            # waits for it rather than get an empty page.
            self._cond.wait_for(lambda: s.version > 0 or s.closed, 10)
            page, version, problems, pdf, status = (s.html, s.page, s.problems, s.pdf, s.pdf_status)
        bar = _bar(version, problems, pdf > 0, status, self.report.name, self.pdf_name)
        if not page:  # the first save already failed: an empty page with the problems
            page = _empty_page()
        page = page.replace("</head>", _HEAD + "</head>", 1)
        match = _BODY.search(page)
        at = match.end() if match else 0
        return page[:at] + bar + page[at:]

    def pdf_file(self) -> Path | None:
        path = self.out_dir / self.pdf_name
        with self._cond:
            return path if self._state.pdf else None

    def close(self) -> None:
        with self._cond:
            self._state.closed = True
            self._cond.notify_all()
        if self._pdf is not None:
            self._pdf.stop()


def _empty_page() -> str:
    """The page shown while no save has been shown yet, in the chosen language."""
    lang = messages.language()
    return (
        f'<!DOCTYPE html>\n<html lang="{lang}">\n<head>\n<meta charset="utf-8">\n'
        f"<title>{html.escape(msg('tools.preview.title').text(lang))}</title>\n</head>\n"
        "<body>\n<main></main>\n</body>\n</html>\n"
    )


_HEAD = (
    f'<script src="{SCRIPT}" defer></script>\n'
    "<style>\n"
    "#ehnreport-preview{position:fixed;left:0;right:0;bottom:0;z-index:2147483647;"
    "font:15px/1.4 system-ui,sans-serif;color:#1f2328;background:#fff;"
    "border-top:3px solid #1d5c63;max-height:50vh;overflow:auto;padding:.4rem 1rem}\n"
    "#ehnreport-preview p{margin:.2rem 0}\n"
    "#ehnreport-preview a{color:#1d5c63}\n"
    "#ehnreport-preview-problems:not(:empty){border-left:6px solid #a4161a;"
    "padding:.2rem .8rem;margin:.4rem 0;background:#fdecea}\n"
    "#ehnreport-preview-problems h2{font-size:1rem;margin:.2rem 0;color:#a4161a}\n"
    "#ehnreport-preview-problems code{white-space:pre-wrap;word-break:break-word}\n"
    "body{padding-bottom:4rem}\n"
    "@media print{#ehnreport-preview{display:none}}\n"
    "</style>\n"
)


def _bar(page: int, problems: list[str], pdf: bool, status: str, report: str, name: str) -> str:
    """The preview's own strip: the PDF link, and the problems in an ARIA live region.

    The texts the page's script shows itself (the heading over the problems, the
    line for a lost connection) are handed to it in data attributes, in the chosen
    language, so that the script holds no words of its own.
    """

    def say(key: str, **params: messages.Param) -> str:
        return html.escape(msg(key, **params).text())

    hidden = "" if pdf else " hidden"
    link = (
        f'<a id="ehnreport-preview-pdf" href="/{quote(name)}"{hidden}>'
        f"{say('tools.preview.open-pdf')}</a>"
    )
    items = "".join(f"<li><code>{html.escape(line)}</code></li>" for line in problems)
    heading = say("tools.preview.not-shown-heading")
    shown = f"<h2>{heading}</h2><ul>{items}</ul>" if problems else ""
    return (
        f'<aside id="ehnreport-preview" aria-label="{say("tools.preview.title")}" '
        f'data-page="{page}" data-heading="{heading}" '
        f'data-offline="{say("tools.preview.offline")}">\n'
        f'<div id="ehnreport-preview-problems" role="alert" aria-live="assertive" '
        f'aria-atomic="true">{shown}</div>\n'
        f"<p>{say('tools.preview.of', report=report)} {link} "
        f'<span id="ehnreport-preview-status">{html.escape(status)}</span></p>\n'
        "</aside>\n"
    )


class _PdfBuilder:
    """Builds the PDF in a child process, one at a time; a newer request stops an older."""

    def __init__(self, preview: Preview) -> None:
        self._preview = preview
        self._lock = threading.Lock()
        self._wanted = 0
        self._built = 0
        self._proc: subprocess.Popen[bytes] | None = None
        self._stopping = False
        self._event = threading.Event()
        self._thread = threading.Thread(target=self._run, name="ehnreport-pdf", daemon=True)
        self._thread.start()

    def request(self, page: int) -> None:
        with self._lock:
            self._wanted = page
            if self._proc is not None:
                self._proc.terminate()  # its PDF would be out of date when done
        self._event.set()

    def stop(self) -> None:
        with self._lock:
            self._stopping = True
            if self._proc is not None:
                self._proc.terminate()
        self._event.set()
        self._thread.join(timeout=10)

    def _command(self) -> list[str]:
        p = self._preview
        argv = [sys.executable, "-m", "ehnreport", "build", str(p.report), "--pdf"]
        argv += ["-o", str(p.out_dir), "--format", "text"]
        if p.templates is not None:
            argv += ["--templates", str(p.templates)]
        return argv

    def _run(self) -> None:
        while True:
            self._event.wait()
            self._event.clear()
            with self._lock:
                if self._stopping:
                    return
                page = self._wanted
                if page == self._built:
                    continue
                self._preview._pdf_started()
                # A session of its own: Ctrl-C in the terminal stops the preview, which
                # then stops this child; the child never sees the key itself.
                self._proc = subprocess.Popen(
                    self._command(),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    start_new_session=True,
                    # The child's last line is shown as the PDF's status: in the
                    # language of the preview.
                    env={**os.environ, "GITHUB_ACTIONS": "", messages.ENV: messages.language()},
                )
                proc = self._proc
            out, err = proc.communicate()
            with self._lock:
                self._proc = None
                superseded = self._stopping or self._wanted != page
                if not superseded:
                    self._built = page
            if superseded:
                continue
            if proc.returncode == 0:
                updated = msg("tools.preview.pdf-updated", time=time.strftime("%H:%M:%S"))
                self._preview._pdf_done(page, str(updated), True)
            else:
                lines = (err or out).decode("utf-8", "replace").strip().splitlines()
                why = (
                    lines[-1]
                    if lines
                    else str(msg("tools.preview.exit-code", code=proc.returncode))
                )
                self._preview._pdf_done(page, str(msg("tools.preview.pdf-failed", why=why)), False)


class PreviewServer(ThreadingHTTPServer):
    """The preview's HTTP server: 127.0.0.1 only, whatever address it is given."""

    daemon_threads = True  # an open event stream never holds up the exit
    block_on_close = False

    def __init__(self, address: tuple[str, int], preview: Preview) -> None:
        self.preview = preview
        # Only loopback, even if asked for another address: the page shows a report
        # that may not be public yet, and the server has no authentication.
        port = address[1]
        try:
            super().__init__((HOST, port), _Handler)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                other = port + 1 if port < 65535 else DEFAULT_PORT
                raise PortInUse(
                    msg("tools.preview.port-in-use", port=port, host=HOST, other=other)
                ) from None
            if exc.errno == errno.EACCES:
                raise PortInUse(
                    msg(
                        "tools.preview.port-not-allowed", port=port, host=HOST, default=DEFAULT_PORT
                    )
                ) from None
            raise

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def allowed_hosts(self) -> set[str]:
        return {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}


class _Handler(BaseHTTPRequestHandler):
    server: PreviewServer
    server_version = "ehnreport-preview"
    sys_version = ""

    def log_message(self, format: str, *args: Any) -> None:
        pass  # the terminal shows saves and builds, not every request

    def __getattr__(self, name: str) -> Callable[[], None]:
        # Every method but GET (POST, PUT, HEAD, OPTIONS, …) is refused the same way;
        # BaseHTTPRequestHandler looks for do_<METHOD>.
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        self._text(HTTPStatus.METHOD_NOT_ALLOWED, msg("tools.preview.only-get"), {"Allow": "GET"})

    def do_GET(self) -> None:
        if (self.headers.get("Host") or "").lower() not in self.server.allowed_hosts():
            self._text(HTTPStatus.FORBIDDEN, msg("tools.preview.unknown-host"))
            return
        path = self.path.split("?", 1)[0]
        preview = self.server.preview
        if path == "/":
            self._send(HTTPStatus.OK, "text/html; charset=utf-8", preview.page().encode("utf-8"))
        elif path == SCRIPT:
            self._send(HTTPStatus.OK, "text/javascript; charset=utf-8", _script())
        elif path == EVENTS:
            self._events(preview)
        elif path == "/" + quote(preview.pdf_name):
            self._pdf(preview)
        else:
            self._text(HTTPStatus.NOT_FOUND, msg("tools.preview.not-found"))

    def _pdf(self, preview: Preview) -> None:
        path = preview.pdf_file()
        try:
            data = path.read_bytes() if path is not None else None
        except OSError:
            data = None
        if data is None:
            self._text(HTTPStatus.SERVICE_UNAVAILABLE, msg("tools.preview.pdf-not-ready"))
            return
        self._send(HTTPStatus.OK, "application/pdf", data)

    def _events(self, preview: Preview) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        self._common_headers()
        self.end_headers()
        version = -1
        try:
            self.wfile.write(b"retry: 1000\n\n")
            while True:
                got = preview.wait(version, _HEARTBEAT_SECONDS)
                if got is None:
                    return
                if got[0] == version:  # nothing new: a comment line keeps it alive
                    self.wfile.write(b": ping\n\n")
                else:
                    version, state = got
                    data = json.dumps(state, ensure_ascii=False)
                    self.wfile.write(f"event: state\ndata: {data}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return

    def _common_headers(self) -> None:
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        self.send_header("Cross-Origin-Resource-Policy", "same-origin")

    def _send(
        self, status: HTTPStatus, ctype: str, body: bytes, extra: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        self._common_headers()
        if ctype.startswith("text/html"):
            # The report's images and fonts are data: URIs; the only script is ours.
            self.send_header(
                "Content-Security-Policy",
                "default-src 'none'; img-src data:; font-src data:; style-src 'unsafe-inline'; "
                "script-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; "
                "frame-ancestors 'none'",
            )
        for key, value in (extra or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def _text(self, status: HTTPStatus, text: Msg, extra: dict[str, str] | None = None) -> None:
        body = (text.text() + "\n").encode("utf-8")
        self._send(status, "text/plain; charset=utf-8", body, extra)


def _script() -> bytes:
    return files("ehnreport").joinpath("preview.js").read_bytes()


def serve(
    report: Path,
    *,
    port: int = DEFAULT_PORT,
    templates: Path | None = None,
    open_browser: bool = False,
    log: Callable[[str], None] = print,
) -> None:
    """Show `report` at http://127.0.0.1:PORT/ until Ctrl-C (KeyboardInterrupt).

    Raises PortInUse when the port is taken. The build output lives in a private
    temporary folder (never in the report's folder), removed at the end.
    """
    out_dir = Path(tempfile.mkdtemp(prefix="ehnreport-preview-"))
    restore = _stop_on_sigterm()
    preview = Preview(report, out_dir, templates=templates, log=log)
    stop = threading.Event()
    server: PreviewServer | None = None
    try:
        server = PreviewServer((HOST, port), preview)
        url = f"http://{HOST}:{server.port}/"
        log(str(msg("tools.preview.serving", report=printable(str(report)), url=url)))
        watcher = threading.Thread(
            target=watch,
            args=(preview.inputs.files, preview.refresh),
            kwargs={"interval": POLL_SECONDS, "should_stop": stop.is_set},
            name="ehnreport-watch",
            daemon=True,
        )
        watcher.start()
        if open_browser:
            import webbrowser

            webbrowser.open(url)
        server.serve_forever()
    finally:
        stop.set()
        if server is not None:
            server.server_close()
        preview.close()
        shutil.rmtree(out_dir, ignore_errors=True)
        restore()


def _stop_on_sigterm() -> Callable[[], None]:
    """Make SIGTERM (a closed terminal, `kill`) end the preview as Ctrl-C does.

    Without it the process would end at once and leave its temporary folder behind.
    Returns the function that puts the previous handler back.
    """
    if threading.current_thread() is not threading.main_thread():
        return lambda: None
    if signal.getsignal(signal.SIGTERM) is not signal.SIG_DFL:
        return lambda: None  # the command line's own ending (ehnreport.interrupt) is in place

    def interrupt(signum: int, frame: object) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)

    def restore() -> None:
        signal.signal(signal.SIGTERM, previous)

    return restore
