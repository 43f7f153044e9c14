"""Fault injection on output: a write that fails, a full disk, a process killed mid-way.

The promise (SECURITY.md, «Output files»): the file at the output path is always either
the complete previous file or the complete new one, never a part. A failed write
leaves no temporary file behind. A process killed with SIGKILL cannot clean up, so it
may leave its hidden temporary file (`.NAME.XXXXXXXX.tmp`) beside the output, but never
at the output path.
"""

from __future__ import annotations

import errno
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from ehnreport.errors import BuildError
from ehnreport.output import write_atomic

from .conftest import EXAMPLE, ROOT

OLD = b"the previous, complete file\n"
NEW = b"the new file " * 10_000


def _leftovers(folder: Path, keep: str) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name != keep)


def _raise(code: int):
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    return fail


class _FailingFile:
    """A file object that writes half of what it is given, then reports an error."""

    def __init__(self, fh, code: int):
        self._fh, self._code = fh, code

    def write(self, data: bytes) -> int:
        self._fh.write(data[: len(data) // 2])
        self._fh.flush()
        raise OSError(self._code, os.strerror(self._code))

    def __getattr__(self, name: str):
        return getattr(self._fh, name)

    def __enter__(self):
        return self

    def __exit__(self, *exc: object) -> None:
        self._fh.close()


def _fail_on_write(code: int):
    real = os.fdopen

    def fdopen(*args, **kwargs):
        return _FailingFile(real(*args, **kwargs), code)

    return fdopen


@pytest.mark.parametrize(
    ("where", "code"),
    [
        ("mkstemp", errno.EACCES),
        ("mkstemp", errno.ENOSPC),
        ("write", errno.ENOSPC),
        ("write", errno.EIO),
        ("fsync", errno.ENOSPC),
        ("chmod", errno.EPERM),
        ("replace", errno.EACCES),
        ("replace", errno.EXDEV),
    ],
)
def test_failed_write_keeps_the_previous_file_and_leaves_no_temp(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, where: str, code: int
) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(OLD)
    import tempfile

    if where == "mkstemp":
        monkeypatch.setattr(tempfile, "mkstemp", _raise(code))
    elif where == "write":
        monkeypatch.setattr(os, "fdopen", _fail_on_write(code))
    else:
        monkeypatch.setattr(os, where, _raise(code))
    with pytest.raises(BuildError) as exc:
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert os.strerror(code) in str(exc.value)
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path, "report.pdf") == []


def test_failed_first_write_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(os, "fdopen", _fail_on_write(errno.ENOSPC))
    with pytest.raises(BuildError):
        write_atomic(tmp_path / "report.html", NEW)
    monkeypatch.undo()
    assert list(tmp_path.iterdir()) == []


def test_interrupt_during_write_removes_the_temp_and_propagates(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(OLD)

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, NEW)
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path, "report.html") == []


def test_successful_write_replaces_whole_file_and_leaves_no_temp(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    target.write_bytes(OLD)
    write_atomic(target, NEW)
    assert target.read_bytes() == NEW
    assert _leftovers(tmp_path, "report.html") == []
    assert target.stat().st_mode & 0o777 == 0o644


# --- a real full disk: a file size limit in a child process ---------------------------------------

_FSIZE_CHILD = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # get EFBIG instead of being killed
    resource.setrlimit(resource.RLIMIT_FSIZE, (4096, resource.RLIM_INFINITY))
    {body}
    """
)


def _run_with_file_size_limit(body: str, *args: str) -> subprocess.CompletedProcess[str]:
    code = _FSIZE_CHILD.format(body=textwrap.dedent(body).strip())
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=ROOT,
    )


def test_disk_full_for_real_keeps_the_previous_file(tmp_path: Path) -> None:
    target = tmp_path / "report.pdf"
    target.write_bytes(OLD)
    proc = _run_with_file_size_limit(
        """
        from ehnreport.errors import BuildError
        from ehnreport.output import write_atomic
        try:
            write_atomic(Path(sys.argv[1]), b"x" * 65536)
        except BuildError as exc:
            print("BuildError", exc)
        """,
        str(target),
    )
    assert proc.returncode == 0, proc.stderr
    assert "BuildError" in proc.stdout and os.strerror(errno.EFBIG) in proc.stdout
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path, "report.pdf") == []


def test_disk_full_through_the_command_line_is_exit_3(tmp_path: Path) -> None:
    target = tmp_path / "schema.json"
    target.write_bytes(OLD)
    proc = _run_with_file_size_limit(
        """
        from ehnreport.cli import main
        sys.argv = ["ehnreport", "schema", "-o", sys.argv[1]]
        main()
        """,
        str(target),
    )
    assert proc.returncode == 3, proc.stderr
    assert "Traceback" not in proc.stderr
    assert target.read_bytes() == OLD
    assert _leftovers(tmp_path, "schema.json") == []


def test_build_on_a_full_disk_is_exit_3_and_keeps_the_previous_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    html = out / f"{EXAMPLE.stem}.html"
    html.write_bytes(OLD)
    proc = _run_with_file_size_limit(
        """
        from ehnreport.cli import main
        sys.argv = ["ehnreport", "build", "--html", "-o", sys.argv[1], sys.argv[2]]
        main()
        """,
        str(out),
        str(EXAMPLE),
    )
    assert proc.returncode == 3, proc.stdout + proc.stderr
    assert "Traceback" not in proc.stdout + proc.stderr
    assert html.read_bytes() == OLD
    assert _leftovers(out, html.name) == []


# --- SIGKILL mid-way ------------------------------------------------------------------------------


def _check_after_kill(folder: Path, name: str, previous: bytes | None, complete) -> None:
    target = folder / name
    if target.exists():
        data = target.read_bytes()
        assert data == previous or complete(data), f"{name} is partial ({len(data)} bytes)"
    else:
        assert previous is None, f"{name} disappeared"
    for left in _leftovers(folder, name):
        # Only write_atomic's hidden temporary file may be left by a killed process.
        assert left.startswith(f".{name}.") and left.endswith(".tmp"), left


def test_sigkill_during_a_large_write_never_leaves_a_partial_file(tmp_path: Path) -> None:
    target = tmp_path / "big.bin"
    size = 64 * 1024 * 1024
    child = textwrap.dedent(
        """
        import sys
        from pathlib import Path
        from ehnreport.output import write_atomic
        data = b"n" * int(sys.argv[2])
        print("ready", flush=True)
        while True:
            write_atomic(Path(sys.argv[1]), data)
        """
    )
    killed_mid_write = 0
    for previous in (None, OLD):
        for delay in (0.0, 0.01, 0.05, 0.1, 0.3):
            for p in tmp_path.iterdir():
                p.unlink()
            if previous is not None:
                target.write_bytes(previous)
            proc = subprocess.Popen(
                [sys.executable, "-c", child, str(target), str(size)],
                stdout=subprocess.PIPE,
                cwd=ROOT,
            )
            assert proc.stdout is not None
            assert proc.stdout.readline().strip() == b"ready"
            time.sleep(delay)
            proc.send_signal(signal.SIGKILL)
            proc.wait()
            proc.stdout.close()
            _check_after_kill(tmp_path, target.name, previous, lambda d: d == b"n" * size)
            killed_mid_write += bool(_leftovers(tmp_path, target.name))
    # The child does nothing but write, so kills land mid-write: the test saw the case.
    assert killed_mid_write > 0


def _is_complete_pdf(data: bytes) -> bool:
    if not (data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")):
        return False
    import io

    import pypdf

    return len(pypdf.PdfReader(io.BytesIO(data)).pages) > 0


@pytest.mark.parametrize("previous_build", [False, True])
def test_sigkill_during_a_pdf_build_never_leaves_a_partial_file(
    tmp_path: Path, previous_build: bool
) -> None:
    out = tmp_path / "out"
    name = f"{EXAMPLE.stem}.pdf"
    env = {**os.environ, "GITHUB_ACTIONS": ""}

    def build(folder: Path) -> list[str]:
        return [
            sys.executable,
            "-m",
            "ehnreport",
            "build",
            "--pdf",
            "-o",
            str(folder),
            str(EXAMPLE),
        ]

    # Time one whole build, so that the kills below spread over all of it, the write too.
    start = time.monotonic()
    subprocess.run(
        build(tmp_path / "timing"), check=True, capture_output=True, timeout=300, cwd=ROOT, env=env
    )
    duration = time.monotonic() - start
    previous = None
    if previous_build:
        out.mkdir()
        (out / name).write_bytes((tmp_path / "timing" / name).read_bytes())
        previous = (out / name).read_bytes()

    def state() -> tuple[int | None, list[str]]:
        target = out / name
        return (target.stat().st_ino if target.exists() else None), _leftovers(out, name)

    before_write = after_write = 0
    # Kill at several points across the build (start-up, rendering, printing), then
    # once as soon as the write shows: the temporary file or the new file appears.
    for fraction in (0.1, 0.5, 0.8, 0.95, None):
        out.mkdir(exist_ok=True)
        before = state()
        proc = subprocess.Popen(
            build(out), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=ROOT, env=env
        )
        if fraction is None:
            deadline = time.monotonic() + 300
            while state() == before and proc.poll() is None and time.monotonic() < deadline:
                time.sleep(0.001)
        else:
            time.sleep(duration * fraction)
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        out.mkdir(exist_ok=True)
        _check_after_kill(out, name, previous, _is_complete_pdf)
        # A new file (os.replace gives it a new inode) or a new temporary file: the
        # kill came after the write began.
        if state() == before:
            before_write += 1
        else:
            after_write += 1
    # The kills fell on both sides of the write, so the test saw the moments it is about.
    assert before_write > 0 and after_write > 0, (before_write, after_write)
