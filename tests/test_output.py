"""Atomic output in one process: what each failure says, and the clean-up on a signal.

tests/test_faults.py kills and fills disks for real; these pin the sentences and the
bookkeeping those rely on.
"""

from __future__ import annotations

import errno
import os
import stat
import tempfile
from pathlib import Path

import pytest

from ehnreport import output
from ehnreport.errors import BuildError
from ehnreport.output import atomic_file, remove_temporary_files, write_atomic

from .test_faults import _raise  # a stand-in that fails with one errno


def test_a_folder_at_the_output_path_is_named(tmp_path: Path) -> None:
    (tmp_path / "rapport.pdf").mkdir()
    with pytest.raises(BuildError) as exc:
        write_atomic(tmp_path / "rapport.pdf", b"x")
    assert str(exc.value) == f"{tmp_path / 'rapport.pdf'}: er en mappe; kan ikke skrive filen dit."


def test_a_folder_that_refuses_the_temporary_file_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tempfile, "mkstemp", _raise(errno.EACCES))
    with pytest.raises(BuildError) as exc:
        write_atomic(tmp_path / "ut" / "rapport.pdf", b"x")
    reason = os.strerror(errno.EACCES)
    assert str(exc.value) == f"{tmp_path / 'ut'}: kan ikke skrive hit ({reason})."


def test_a_file_that_cannot_be_put_in_place_is_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "replace", _raise(errno.EROFS))
    with pytest.raises(BuildError) as exc:
        write_atomic(tmp_path / "rapport.html", b"x")
    monkeypatch.undo()
    reason = os.strerror(errno.EROFS)
    assert str(exc.value) == f"{tmp_path / 'rapport.html'}: kunne ikke skrives ({reason})."
    assert list(tmp_path.iterdir()) == []


def test_a_written_file_is_readable_by_all_whatever_the_umask(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        write_atomic(tmp_path / "rapport.html", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "rapport.html").stat().st_mode) == 0o644


def test_the_signal_clean_up_removes_every_write_in_progress(tmp_path: Path) -> None:
    """A worker told to stop removes its temporary files; one already gone is no error.
    The write whose file went then fails as a write, and leaves nothing."""
    with pytest.raises(BuildError):
        with atomic_file(tmp_path / "a.html") as fh:
            fh.write(b"a")
            (pending,) = output._in_progress
            assert Path(pending).parent == tmp_path
            assert Path(pending).name.startswith(".a.html.")  # hidden, as SECURITY.md says
            assert Path(pending).suffix == ".tmp"
            output._in_progress.add(str(tmp_path / ".gone.tmp"))
            remove_temporary_files()
            assert not Path(pending).exists()
            assert output._in_progress == set()
    assert list(tmp_path.iterdir()) == []


def test_a_name_too_long_for_the_file_system_is_named(tmp_path: Path) -> None:
    target = tmp_path / ("r" * 300 + ".pdf")
    with pytest.raises(BuildError) as exc:
        write_atomic(target, b"x")
    assert str(exc.value) == f"{target}: kan ikke skrives ({os.strerror(errno.ENAMETOOLONG)})."


def test_a_bare_file_name_is_written_in_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    write_atomic(Path("rapport.html"), b"x")
    assert [p.name for p in tmp_path.iterdir()] == ["rapport.html"]
