"""Signals: Ctrl-C, SIGTERM and SIGHUP end a command cleanly, and a batch dies with it.

Each test synchronises on files, never on timing: a `sitecustomize` hook (put on
PYTHONPATH for the command only) stops the build at a chosen point and writes a
marker file; the test waits for the marker, sends the signal, and then checks what
is left: exit code, messages, processes and files.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from .conftest import ROOT
from .test_batch import MINIMAL as BATCH_MINIMAL

HOOK = textwrap.dedent(
    """
    import os, sys, time
    from pathlib import Path

    HOOK = os.environ.get("EHN_TEST_HOOK", "")
    WHERE = os.environ.get("EHN_TEST_WHERE", "main")
    MARKS = Path(os.environ.get("EHN_TEST_MARKS", "."))


    def here():
        import multiprocessing
        in_worker = multiprocessing.parent_process() is not None
        return in_worker if WHERE == "worker" else not in_worker


    def mark(what):
        (MARKS / f"{what}-{os.getpid()}").write_text(str(os.getppid()))


    def hold():
        # Until the test says go (or forever): the build is busy here.
        while not (MARKS / "go").exists():
            time.sleep(0.01)


    if HOOK == "server" and "forkserver" in " ".join(sys.orig_argv):
        mark("server")
        hold()
    elif HOOK == "render":
        import ehnreport.build as build

        real_render = build._render

        def _render(*args, **kwargs):
            if here():
                mark("render")
                hold()
            return real_render(*args, **kwargs)

        build._render = _render
    elif HOOK == "fsync":
        real_fsync = os.fsync

        def fsync(fd):
            if here():
                mark("fsync")
                hold()
            return real_fsync(fd)

        os.fsync = fsync
    elif HOOK == "svg":
        import signal

        from weasyprint import svg

        real_draw = svg.SVG.draw

        def draw(self, *args, **kwargs):
            # Ctrl-C arrives while WeasyPrint draws an SVG (the logo).
            try:
                os.kill(os.getpid(), signal.SIGINT)
                return real_draw(self, *args, **kwargs)
            except BaseException:
                mark("raised")
                raise

        svg.SVG.draw = draw
    elif HOOK == "swallow":
        import ehnreport.pdf as pdf

        real_print = pdf.print_pdf

        def print_pdf(*args, **kwargs):
            mark("pdf")
            try:
                hold()
            except BaseException:  # as WeasyPrint does while it draws an SVG
                pass
            return real_print(*args, **kwargs)

        pdf.print_pdf = print_pdf
    """
)

MINIMAL = BATCH_MINIMAL.format(name="Eksempel kommune", short="EK")


def _reports(folder: Path, n: int) -> list[Path]:
    folder.mkdir()
    out = []
    for i in range(n):
        path = folder / f"r{i}.yaml"
        path.write_text(MINIMAL, encoding="utf-8")
        out.append(path)
    return out


class Command:
    """The command in its own process group, with the hook, and its marker folder."""

    def __init__(self, tmp: Path, args: list[str], hook: str, where: str = "main") -> None:
        self.marks = tmp / "marks"
        self.marks.mkdir()
        (tmp / "site").mkdir()
        (tmp / "site" / "sitecustomize.py").write_text(HOOK, encoding="utf-8")
        env = {
            **os.environ,
            "PYTHONPATH": f"{tmp / 'site'}{os.pathsep}{ROOT}",
            "EHN_TEST_HOOK": hook,
            "EHN_TEST_WHERE": where,
            "EHN_TEST_MARKS": str(self.marks),
            "GITHUB_ACTIONS": "",
        }
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "ehnreport", *args],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            # Every path the command is given is absolute, so it runs in the project
            # folder as the other commands here do: under mutation testing the mutated
            # package reads mutmut's settings from the working folder (docs/mutation.md).
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        self.pgid = self.proc.pid

    def wait_for(self, what: str, count: int = 1, timeout: float = 120) -> list[int]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = [int(p.name.split("-")[1]) for p in self.marks.glob(f"{what}-*")]
            if len(found) >= count:
                return found
            if self.proc.poll() is not None:
                break
            time.sleep(0.01)
        self.kill()
        # communicate() reads what the command said and closes both pipes: left open,
        # they are reported at exit and hide this failure behind a ResourceWarning.
        _, err = self.proc.communicate(timeout=60)
        pytest.fail(f"no {what} marker: {err.decode()}")

    def go(self) -> None:
        (self.marks / "go").write_text("")

    def finish(self, timeout: float = 60) -> tuple[int, str, str]:
        out, err = self.proc.communicate(timeout=timeout)
        return self.proc.returncode, out.decode(), err.decode()

    def kill(self) -> None:
        try:
            os.killpg(self.pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass


def _alive(pid: int) -> bool:
    """Whether `pid` runs (a zombie, dead but not yet reaped, counts as gone)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def _group(pgid: int) -> list[int]:
    """The live processes of the command's process group."""
    pids = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == pgid and fields[0] not in ("Z", "X"):
            pids.append(int(entry.name))
    return pids


def _wait_gone(pids: list[int], timeout: float = 20) -> float:
    start = time.monotonic()
    while any(_alive(p) for p in pids):
        if time.monotonic() - start > timeout:
            pytest.fail(f"processes left running: {[p for p in pids if _alive(p)]}")
        time.sleep(0.005)
    return time.monotonic() - start


linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs /proc")


def _no_traceback(*texts: str) -> None:
    for text in texts:
        assert "Traceback" not in text, text


# -- one build in this process ----------------------------------------------------------


@pytest.mark.parametrize(
    ("signum", "code"),
    [(signal.SIGINT, 130), (signal.SIGTERM, 143), (signal.SIGHUP, 129)],
)
def test_a_signal_during_a_write_removes_the_temporary_file(
    tmp_path: Path, signum: int, code: int
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "report.html").write_bytes(b"previous")
    report = tmp_path / "report.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    cmd = Command(tmp_path, ["build", "--html", "-o", str(out), str(report)], "fsync")
    cmd.wait_for("fsync")
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")], "not mid-write"
    os.kill(cmd.proc.pid, signum)
    rc, stdout, stderr = cmd.finish()
    assert rc == code, stderr
    assert f"avbrutt ({signal.Signals(signum).name})" in stderr
    _no_traceback(stdout, stderr)
    assert sorted(p.name for p in out.iterdir()) == ["report.html"]
    assert (out / "report.html").read_bytes() == b"previous"


def test_an_interrupt_a_library_swallows_still_writes_nothing(tmp_path: Path) -> None:
    pytest.importorskip("ehnreport.pdf")
    out = tmp_path / "out"
    out.mkdir()
    for name in ("report.html", "report.pdf"):
        (out / name).write_bytes(b"previous")
    report = tmp_path / "report.yaml"
    report.write_text(MINIMAL, encoding="utf-8")
    cmd = Command(tmp_path, ["build", "-o", str(out), str(report)], "swallow")
    cmd.wait_for("pdf")
    os.kill(cmd.proc.pid, signal.SIGINT)
    cmd.go()  # the hook swallowed the Ctrl-C and goes on printing the PDF
    rc, stdout, stderr = cmd.finish()
    assert rc == 130, stderr
    _no_traceback(stdout, stderr)
    assert "skrev" not in stdout
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.pdf"]
    assert all((out / n).read_bytes() == b"previous" for n in ("report.html", "report.pdf"))


def test_ctrl_c_inside_weasyprints_svg_drawing_writes_nothing(tmp_path: Path) -> None:
    pytest.importorskip("ehnreport.pdf")
    member = ROOT / "examples" / "member-repo"
    src = tmp_path / "rapport"
    src.mkdir()
    for name in ("report.yaml", "logo.svg"):
        (src / name).write_bytes((member / name).read_bytes())
    out = tmp_path / "out"
    out.mkdir()
    for name in ("report.html", "report.pdf"):
        (out / name).write_bytes(b"previous")
    cmd = Command(tmp_path, ["build", "-o", str(out), str(src / "report.yaml")], "svg")
    rc, stdout, stderr = cmd.finish(timeout=300)
    # WeasyPrint caught the KeyboardInterrupt (images.SVGImage.draw catches
    # BaseException) and went on; the build noticed and wrote nothing.
    assert list(cmd.marks.glob("raised-*")), "the interrupt did not reach the SVG drawing"
    assert rc == 130, stderr
    _no_traceback(stdout, stderr)
    assert sorted(p.name for p in out.iterdir()) == ["report.html", "report.pdf"]
    assert all((out / n).read_bytes() == b"previous" for n in ("report.html", "report.pdf"))


# -- a batch in worker processes --------------------------------------------------------


@linux_only
@pytest.mark.parametrize("hook", ["render", "fsync"])
def test_sigterm_stops_every_worker_before_the_command_ends(tmp_path: Path, hook: str) -> None:
    reports = _reports(tmp_path / "src", 3)
    out = tmp_path / "out"
    cmd = Command(
        tmp_path,
        ["build", "--html", "--jobs", "2", "-o", str(out), *map(str, reports)],
        hook,
        where="worker",
    )
    workers = cmd.wait_for(hook, count=2)
    everyone = _group(cmd.pgid)
    assert set(workers) <= set(everyone) and len(everyone) >= 4  # command, server, 2 workers
    started = time.monotonic()
    os.kill(cmd.proc.pid, signal.SIGTERM)
    rc, stdout, stderr = cmd.finish()  # returns when every holder of the pipes is gone
    ended = time.monotonic() - started
    assert rc == 143, stderr
    _no_traceback(stdout, stderr)
    # What may still be listed is on its way out (the kernel is tearing it down).
    gone = ended + _wait_gone(everyone, timeout=5)
    assert _group(cmd.pgid) == []
    cmd.go()  # a worker still alive would now go on and write
    time.sleep(0.2)
    assert not out.exists() or sorted(p.name for p in out.iterdir()) == []
    print(f"SIGTERM to command ended: {ended:.3f} s, to all processes gone: {gone:.3f} s")


@linux_only
def test_workers_die_with_a_command_killed_by_sigkill(tmp_path: Path) -> None:
    reports = _reports(tmp_path / "src", 3)
    out = tmp_path / "out"
    cmd = Command(
        tmp_path,
        ["build", "--html", "--jobs", "2", "-o", str(out), *map(str, reports)],
        "render",
        where="worker",
    )
    workers = cmd.wait_for("render", count=2)
    everyone = _group(cmd.pgid)
    started = time.monotonic()
    os.kill(cmd.proc.pid, signal.SIGKILL)
    cmd.proc.wait()
    _wait_gone(everyone)
    gone = time.monotonic() - started
    # The caller's pipes are closed once every process holding them is gone.
    assert cmd.proc.stdout is not None and cmd.proc.stdout.read() == b""
    cmd.go()
    time.sleep(0.2)
    assert not any(_alive(p) for p in workers)
    assert not out.exists() or sorted(p.name for p in out.iterdir()) == []
    print(f"SIGKILL to all processes gone: {gone:.3f} s")
    cmd.finish()


@linux_only
def test_ctrl_c_while_the_pool_starts_prints_no_traceback(tmp_path: Path) -> None:
    reports = _reports(tmp_path / "src", 2)
    out = tmp_path / "out"
    cmd = Command(
        tmp_path,
        ["build", "--html", "--jobs", "2", "-o", str(out), *map(str, reports)],
        "server",
    )
    cmd.wait_for("server")  # the forkserver has started and not yet imported anything
    everyone = _group(cmd.pgid)
    os.killpg(cmd.pgid, signal.SIGINT)  # as a terminal sends Ctrl-C: to every process
    cmd.go()
    rc, stdout, stderr = cmd.finish()
    assert rc == 130, stderr
    _no_traceback(stdout, stderr)
    assert "avbrutt (SIGINT)" in stderr
    _wait_gone(everyone, timeout=5)
    assert _group(cmd.pgid) == []
    assert not out.exists() or sorted(p.name for p in out.iterdir()) == []


# -- a pool that cannot start ----------------------------------------------------------


def test_a_tmpdir_too_long_for_a_socket_builds_in_the_process(tmp_path: Path) -> None:
    reports = _reports(tmp_path / "src", 2)
    deep = tmp_path / ("t" * 120)
    deep.mkdir()
    env = {**os.environ, "TMPDIR": str(deep), "GITHUB_ACTIONS": ""}
    proc = subprocess.run(
        [sys.executable, "-m", "ehnreport", "build", "--html", "--jobs", "2", "-o"]
        + [str(tmp_path / "out"), *map(str, reports)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    _no_traceback(proc.stdout, proc.stderr)
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["r0.html", "r1.html"]


def test_no_usable_temporary_folder_builds_in_the_process(tmp_path: Path) -> None:
    reports = _reports(tmp_path / "src", 2)
    driver = textwrap.dedent(
        """
        import sys, tempfile
        from pathlib import Path
        from ehnreport.batch import build_many
        from ehnreport.build import BuildOptions

        if __name__ == "__main__":
            tempfile.tempdir = str(Path(sys.argv[1]) / "missing")
            items = build_many(
                [Path(p) for p in sys.argv[3:]],
                BuildOptions(out_dir=Path(sys.argv[2]), pdf=False),
                jobs=2,
            )
            print([int(i.exit_code) for i in items])
        """
    )
    script = tmp_path / "driver.py"
    script.write_text(driver, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script), str(tmp_path), str(tmp_path / "out"), *map(str, reports)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[0, 0]"
    _no_traceback(proc.stderr)


def test_the_interrupt_check_raises_after_a_swallowed_signal() -> None:
    from ehnreport import interrupt

    interrupt.reset()
    interrupt.check()  # nothing arrived: no exception
    old = {s: signal.getsignal(s) for s in interrupt.SIGNALS}
    interrupt.install()
    try:
        try:
            os.kill(os.getpid(), signal.SIGHUP)
            time.sleep(1)  # the handler runs at the next bytecode; never reached
        except KeyboardInterrupt:
            pass  # swallowed, as a library may
        with pytest.raises(interrupt.Interrupted) as info:
            interrupt.check()
        assert info.value.exit_code == 129
    finally:
        interrupt.reset()
        for s, handler in old.items():
            signal.signal(s, handler)


def test_a_forkserver_started_before_by_the_caller_still_builds(tmp_path: Path) -> None:
    # A library caller's own forkserver never imported poolserver.py: the workers must
    # still work (and still die with their parent).
    reports = _reports(tmp_path / "src", 2)
    driver = textwrap.dedent(
        """
        import sys
        from multiprocessing import forkserver
        from pathlib import Path
        from ehnreport.batch import build_many
        from ehnreport.build import BuildOptions

        if __name__ == "__main__":
            forkserver.ensure_running()
            items = build_many(
                [Path(p) for p in sys.argv[2:]],
                BuildOptions(out_dir=Path(sys.argv[1]), pdf=False),
                jobs=2,
            )
            print([int(i.exit_code) for i in items], [i.message for i in items])
        """
    )
    script = tmp_path / "driver.py"
    script.write_text(driver, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, str(script), str(tmp_path / "out"), *map(str, reports)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "[0, 0] [None, None]"
    _no_traceback(proc.stderr)
