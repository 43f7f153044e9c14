"""Building many reports in one call: `ehnreport build FILE_OR_FOLDER... --jobs N`.

`collect` turns the command-line arguments into a list of report files;
`build_many` validates and builds each, in this process (jobs=1) or in a pool of
worker processes (jobs>1), and returns one `BatchItem` per report, in input order.

Rules (the command line documents the same):

* A file argument is taken as given, whatever its name (a missing one gives exit 2
  for that report). A folder contributes its `*.yaml` and `*.yml` files, sorted by
  name, not recursively, leaving out names that start with "." (editor backups,
  `.pre-commit-config.yaml` and the like). The same file named twice (directly,
  through a folder, or through another spelling of its path) is built once.
* Outputs are flat, as for a single build: `OUT/<stem>.html` and `OUT/<stem>.pdf`.
  Two reports with the same stem (letter case ignored, since the output folder may
  be on a case-insensitive disk; `a/report.yaml` and `b/report.yaml`, or
  `report.yaml` and `report.yml`) would overwrite each other: the first one in
  input order is built, every later one is a usage error (exit 2) naming the first,
  found before anything is built. Rename the file to build both.
* Every report is checked and built on its own; a failure stops only that report.
  Exit codes per report follow the README table: 0 built, 1 invalid (errors, or
  warnings under --strict; nothing is written for it), 2 unreadable file or a name
  collision, 3 valid but the output could not be made. The command's exit code is
  the worst (highest) of them: `worst_exit_code(items)`.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, Any

from . import interrupt
from .build import BuildOptions
from .completeness import StepCount
from .errors import BuildError, Diagnostic, ExitCode, UserError
from .messages import Msg, msg, render
from .validate import check_file, printable

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor
    from multiprocessing.context import BaseContext

REPORT_SUFFIXES = (".yaml", ".yml")

Progress = Callable[[int, int, Path], None]


@dataclass
class BatchItem:
    """What happened to one report of a batch."""

    path: Path
    exit_code: int = ExitCode.OK
    diagnostics: list[Diagnostic] = field(default_factory=list)
    written: list[Path] = field(default_factory=list)
    seconds: float = 0.0
    # One sentence for exit codes 1-3 (unreadable file, name collision, invalid,
    # build failure), printed as "ehnreport: <message>"; None when built. Kept as a
    # message, not a sentence: a worker process makes it, the parent prints it in the
    # language the user chose.
    message: Msg | None = None
    # Answered questions per step, for the summary line; empty if not validated.
    counts: list[StepCount] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.exit_code == ExitCode.OK

    def text(self, lang: str | None = None) -> str | None:
        """The message as a printable sentence in `lang` (default: the chosen language)."""
        return None if self.message is None else printable(render(self.message, lang))


def worst_exit_code(items: list[BatchItem]) -> int:
    """The command's exit code: the highest of the reports' codes (0 for none)."""
    return max((item.exit_code for item in items), default=int(ExitCode.OK))


def collect(paths: list[Path]) -> list[Path]:
    """The report files named by `paths` (files and folders), in order, each once.

    A folder gives its `*.yaml`/`*.yml` files sorted by name, not recursively,
    without names starting with "."; an empty folder gives nothing. Anything else
    (a file, or a name that does not exist) is kept as given, so that checking it
    reports the problem. The first of several paths to the same file is kept.
    """
    out: list[Path] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):
            key = path.absolute()
        if key in seen:
            return
        seen.add(key)
        out.append(path)

    for path in paths:
        try:
            is_dir = path.is_dir()
        except OSError:  # a name too long for the file system: check_file reports it
            is_dir = False
        if is_dir:
            try:
                entries = sorted(path.iterdir(), key=lambda p: p.name)
            except OSError:
                add(path)  # unreadable folder: check_file reports it (exit 2)
                continue
            for entry in entries:
                if (
                    not entry.name.startswith(".")
                    and entry.suffix.lower() in REPORT_SUFFIXES
                    and entry.is_file()
                ):
                    add(entry)
        else:
            add(path)
    return out


def find_collisions(paths: list[Path]) -> dict[int, Path]:
    """Index → the earlier path whose outputs the report at that index would overwrite."""
    first: dict[str, Path] = {}
    clashes: dict[int, Path] = {}
    for i, path in enumerate(paths):
        key = path.stem.casefold()
        if key in first:
            clashes[i] = first[key]
        else:
            first[key] = path
    return clashes


# -- the work for one report, the same in this process and in a worker ----------------

_build_report: Any = None  # ehnreport.build.build_report, imported once per process
_pdf_loaded = False


def _load_build_machinery(pdf: bool) -> None:
    """Import the build pipeline once per process: Jinja and markdown-it always,
    WeasyPrint and Pango (about half a second) only when PDFs are asked for."""
    global _build_report, _pdf_loaded
    if _build_report is not None and (_pdf_loaded or not pdf):
        return
    try:
        from .build import build_report

        if pdf:
            from . import pdf as _pdf  # noqa: F401 - build imports it lazily; do it up front
    except (ImportError, OSError) as exc:  # e.g. Pango missing: cffi raises OSError
        raise BuildError(
            msg("cli.build.tools-missing", error=f"{type(exc).__name__}: {exc}")
        ) from exc
    _build_report = build_report
    _pdf_loaded = _pdf_loaded or pdf


def _init_worker(pdf: bool) -> None:
    # The parent alone decides what Ctrl-C means (under forkserver the worker ignores
    # it from birth, see poolserver.py); SIGTERM and SIGHUP, from the parent stopping
    # the pool or from the parent's death, end the worker at once without writing.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for signum in interrupt.SIGNALS:
        if signum != signal.SIGINT:
            signal.signal(signum, _stop_worker)
    _die_with_parent()
    # A worker builds many reports: pay for the imports before the first one, once.
    # Under forkserver with preloading (see _pool_context) this finds them imported.
    # A failure is not raised here (it would break the whole pool with no message);
    # each report that needs building raises it again and gets it as its exit-3 message.
    try:
        _load_build_machinery(pdf)
    except BuildError:
        pass


def _stop_worker(signum: int, frame: FrameType | None) -> None:
    """End a worker on SIGTERM/SIGHUP: remove a half-written file, write nothing more."""
    from .output import remove_temporary_files

    remove_temporary_files()
    os._exit(128 + signum)


def _die_with_parent() -> None:
    """Make the kernel send SIGTERM to this worker when its parent process dies.

    Under forkserver the parent is the server, which exits as soon as the command
    does (also when the command is killed with SIGKILL); under spawn it is the
    command. Checked once after asking, so a parent that died just before is noticed.
    """
    server = sys.modules.get("ehnreport.poolserver")
    # Our server records its id; a server someone else started before (its preload
    # list then never had ours) is simply the parent this worker has now.
    expected = getattr(server, "SERVER_PID", None) or os.getppid()
    from multiprocessing import forkserver

    # multiprocessing hands every worker of a forkserver the command's end of the pipe
    # the server watches to learn that the command has gone. Held here, it keeps the
    # server (and so this worker) alive after the command is killed: let it go.
    alive = getattr(forkserver._forkserver, "_forkserver_alive_fd", None)
    if isinstance(alive, int):
        try:
            os.close(alive)
        except OSError:
            pass
        forkserver._forkserver._forkserver_alive_fd = None  # type: ignore[attr-defined]
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        try:
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(pr_set_pdeathsig, signal.SIGTERM, 0, 0, 0)
        except (OSError, AttributeError):  # pragma: no cover - a libc without prctl
            _watch_parent(expected)
    else:  # pragma: no cover - no such call elsewhere: look every half second
        _watch_parent(expected)
    if os.getppid() != expected:
        os._exit(128 + signal.SIGTERM)


def _watch_parent(expected: int) -> None:  # pragma: no cover - used where prctl is missing
    import threading

    def look() -> None:
        while os.getppid() == expected:
            time.sleep(0.5)
        _stop_worker(signal.SIGTERM, None)

    threading.Thread(target=look, daemon=True).start()


def _one(path: Path, options: BuildOptions) -> BatchItem:
    started = time.perf_counter()
    item = BatchItem(path=path)
    try:
        _check_and_build(item, options)
    except Exception as exc:  # noqa: BLE001 - a bug must not stop the other reports
        item.exit_code = ExitCode.BUILD_FAILED
        item.message = _internal_error(path, exc)
    item.seconds = time.perf_counter() - started
    return item


def _internal_error(path: Path, exc: Exception) -> Msg:
    error = printable(f"{type(exc).__name__}: {exc}")
    return msg("cli.build.internal-error", path=printable(str(path)), error=error)


def _check_and_build(item: BatchItem, options: BuildOptions) -> None:
    path = item.path
    strict = options.strict
    try:
        result = check_file(path)
    except UserError as exc:  # InputFileError: missing, a folder, no permission
        item.exit_code = exc.exit_code
        item.message = exc.msg
        return
    item.diagnostics = list(result.diagnostics)
    item.counts = list(result.counts)
    if not result.ok(strict):
        item.exit_code = ExitCode.INVALID
        item.message = msg("cli.build.not-valid", path=printable(str(path)))
        return
    try:
        _load_build_machinery(options.pdf)
        outcome = _build_report(result, options)
    except UserError as exc:  # BuildError (3), or whatever code the error carries
        extra = getattr(exc, "diagnostics", None) or []
        item.diagnostics = sorted(dict.fromkeys(item.diagnostics + list(extra)))
        item.exit_code = exc.exit_code
        item.message = exc.msg
        return
    # Image warnings come from validate and again from rendering: each is shown once.
    item.diagnostics = sorted(dict.fromkeys(item.diagnostics + list(outcome.diagnostics)))
    item.written = list(outcome.written)


# -- the pool ---------------------------------------------------------------------------


def _pool_context(pdf: bool) -> BaseContext:
    """The start method for the workers: forkserver with the build pipeline preloaded.

    Measured here (Linux, 2 cores, Python 3.11, WeasyPrint 70; docs/performance.md):
    time from creating a 2-worker pool until both workers have imported the PDF
    pipeline: fork after importing it in the parent 0.37-0.77 s (the parent's own
    import), forkserver with preload 0.53-0.57 s, forkserver without preload
    0.86-0.95 s, spawn 0.85-1.14 s. Against a render of about a second per report
    the differences are small; they grow with the number of workers for spawn.

    * "fork" after importing WeasyPrint in the parent is as fast, but it copies a
      process whose native libraries (GLib, Pango, fontconfig, HarfBuzz) may hold
      locks or threads at that moment; a child can then hang in a lock that no thread
      will release. Python 3.12 warns when a threaded process forks and 3.14 no
      longer forks by default. The parent is whatever imported ehnreport (the CLI, a
      test runner, an editor plugin), so we cannot promise it is quiet.
    * "forkserver" starts one small, single-threaded server process that imports the
      build pipeline once (set_forkserver_preload) and forks every worker from it:
      the import is shared as with fork (and its pages, copy-on-write), but the
      process being forked is one we control and that has never rendered anything.
    * "spawn" (Windows and others without forkserver): every worker starts a fresh
      interpreter and the initializer imports the pipeline in each.

    Either way `_init_worker` runs once per worker and imports (or finds) the
    pipeline, so no report pays for it again. Two consequences for callers, as with
    any multiprocessing code: a script that calls build_many(jobs>1) needs the
    `if __name__ == "__main__":` guard (the `ehnreport` command and `python -m
    ehnreport` have it), and the server keeps the environment variables it was
    started with, the first time a pool was made in this process.
    """
    import multiprocessing

    methods = multiprocessing.get_all_start_methods()
    if "forkserver" in methods:
        ctx = multiprocessing.get_context("forkserver")
        # Not __main__: the parent may be a console script or pytest.
        preload = ["ehnreport.poolserver", "ehnreport.batch", "ehnreport.build"]
        preload += ["ehnreport.pdf"] if pdf else []
        ctx.set_forkserver_preload(preload)
        return ctx
    return multiprocessing.get_context("spawn")


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def default_jobs() -> int:
    """The CPUs this process may use (what `--jobs 0` means)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # not Linux
        return max(1, os.cpu_count() or 1)


def build_many(
    paths: list[Path],
    options: BuildOptions,
    *,
    jobs: int,
    progress: Progress | None = None,
) -> list[BatchItem]:
    """Validate and build every report in `paths`; one BatchItem each, in input order.

    `paths` are report files (use `collect` first for folders). `jobs` is the number
    of worker processes: 1 builds in this process, 0 or less means one per CPU; no
    more workers are started than there are reports to build, and when no pool can
    be started (no usable temporary folder, a TMPDIR too long for a socket name) the
    reports are built in this process. `progress(done, total, path)` is called in this
    process after each report finishes (in completion order), also for reports that
    failed. Never raises for a problem with one report; a signal (`Interrupted`)
    stops every worker, without writing, before it is raised.
    """
    total = len(paths)
    items: list[BatchItem | None] = [None] * total
    done = 0

    def finish(i: int, item: BatchItem) -> None:
        nonlocal done
        items[i] = item
        done += 1
        if progress is not None:
            progress(done, total, item.path)

    for i, earlier in find_collisions(paths).items():
        finish(
            i,
            BatchItem(
                path=paths[i],
                exit_code=ExitCode.USAGE,
                message=msg(
                    "cli.build.same-name",
                    path=printable(str(paths[i])),
                    earlier=printable(str(earlier)),
                    folder=printable(str(options.out_dir)),
                ),
            ),
        )
    todo = [i for i in range(total) if items[i] is None]
    if jobs <= 0:
        jobs = default_jobs()
    workers = min(jobs, len(todo))

    executor = _start_pool(workers, options.pdf) if workers > 1 else None
    if executor is None:
        for i in todo:
            finish(i, _one(paths[i], options))
        return [item for item in items if item is not None]

    # Imported here: a single build (the common case) does not pay for them.
    from concurrent.futures import FIRST_COMPLETED, Future, wait
    from concurrent.futures.process import BrokenProcessPool

    # Largest reports first, so that a long one does not start last and keep one
    # worker busy while the others wait (the results keep the input order anyway).
    todo.sort(key=lambda i: -_size(paths[i]))
    try:
        pending: dict[Future[BatchItem], int] = {
            executor.submit(_one, paths[i], options): i for i in todo
        }
        while pending:
            finished, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in finished:
                i = pending.pop(future)
                try:
                    item = future.result()
                except BrokenProcessPool as exc:
                    # A worker died (killed, out of memory, a crash in a native
                    # library): this report and every one still queued fail.
                    item = BatchItem(
                        path=paths[i],
                        exit_code=ExitCode.BUILD_FAILED,
                        message=msg(
                            "cli.build.worker-died",
                            path=printable(str(paths[i])),
                            reason=printable(str(exc)) or msg("cli.build.unknown-cause"),
                        ),
                    )
                except Exception as exc:  # noqa: BLE001 - e.g. a result that cannot be pickled
                    item = BatchItem(
                        path=paths[i],
                        exit_code=ExitCode.BUILD_FAILED,
                        message=_internal_error(paths[i], exc),
                    )
                finish(i, item)
    except BaseException:
        # Ctrl-C, SIGTERM, SIGHUP (or a bug): stop the workers now rather than let them
        # finish the report in hand and write it after the command has ended.
        with interrupt.deferred():
            _stop_pool(executor)
        raise
    executor.shutdown(wait=True)
    return [item for item in items if item is not None]


def _start_pool(workers: int, pdf: bool) -> ProcessPoolExecutor | None:
    """A pool of `workers` processes, or None when the system cannot give one."""
    from concurrent.futures import ProcessPoolExecutor

    ctx = _pool_context(pdf)
    try:
        # The server is started with the signals held back, so that a Ctrl-C while
        # it imports cannot print a traceback from it; it ignores Ctrl-C from then on
        # (poolserver.py). The signal reaches this process when the block ends.
        if ctx.get_start_method() == "forkserver":
            from multiprocessing import forkserver, resource_tracker

            # Started first and on its own: starting it unblocks SIGINT and SIGTERM,
            # which would undo the block below.
            resource_tracker.ensure_running()
            with interrupt.deferred():
                forkserver.ensure_running()
        return ProcessPoolExecutor(
            max_workers=workers,
            mp_context=ctx,
            initializer=_init_worker,
            initargs=(pdf,),
        )
    except OSError:
        # No usable temporary folder, or a TMPDIR too long for the server's socket
        # name (AF_UNIX allows about 100 bytes): build in this process instead.
        return None


_STOP_GRACE = 5.0  # seconds a stopped worker gets to remove its temporary file


def _stop_pool(executor: ProcessPoolExecutor) -> None:
    """End every worker (SIGTERM: it removes a half-written file and writes nothing)."""
    # The pool has no public way to stop a running task; its processes are known.
    procs = list((getattr(executor, "_processes", None) or {}).values())
    for proc in procs:
        try:
            proc.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    for proc in procs:
        try:
            # A worker runs its handler when WeasyPrint's native code returns (well
            # under a second, measured); one that does not is killed.
            proc.join(_STOP_GRACE)
            if proc.is_alive():
                proc.kill()
                proc.join()
        except (OSError, ValueError, AssertionError):
            pass
    executor.shutdown(wait=True, cancel_futures=True)
    # The server would exit when this process does; stopping it now means that when
    # the command returns, no process of it is left holding the caller's pipes.
    try:
        from multiprocessing import forkserver

        forkserver._forkserver._stop()  # type: ignore[attr-defined]
    except (AttributeError, OSError, ChildProcessError):
        pass
