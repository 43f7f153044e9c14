"""Benchmarks for ehnreport: start-up, build, batch, memory and size, as a Markdown table.

From a checkout, after README's install command:

    python3 -m venv .venv && .venv/bin/pip install .
    .venv/bin/python benchmarks/run.py            # all figures, 5 runs each
    .venv/bin/python benchmarks/run.py --quick    # 2 runs, a batch of 10: about 2 minutes
    .venv/bin/python benchmarks/run.py --only validate --only pdf --runs 9

Every figure is a separate process started from this interpreter (`sys.executable`,
`python -m ehnreport`), so it measures what a user waits for: interpreter start,
imports, work and exit. Each command runs once unmeasured first (to write bytecode
and warm the disk cache; "cold" means a new process, not an empty page cache), then
`--runs` times, the commands of one figure taking turns so that a change in machine
load hits them alike. The table gives the median and the range (min–max), the peak
memory (max RSS) of the process, from os.wait4, and, where there is a target, the
ratio of the medians and ✓/✗. CPU is the median user+system time of the process and
of the children it waited for: on a machine shared with other work it moves much
less than the wall time, so it tells whether a slow run was slow or only crowded.
Worker processes of `--jobs N` are children of multiprocessing's forkserver, not of
the command, so neither their CPU time nor their memory is in those columns.

Figures (names for --only): validate (against the floor `import pydantic, yaml, typer`
and against check-jsonschema, when installed), html, pdf (against WeasyPrint alone on
the same HTML), batch (one call for K reports against K calls), jobs (--jobs 1
against --jobs N), size (1×, 4×, 16× reports from benchmarks/gen.py, or the largest
× below 16 that the model's caps on list lengths allow).

Unix only (os.posix_spawn, os.wait4). Outputs go to a temporary folder, removed at
the end unless --keep.
"""

from __future__ import annotations

import argparse
import importlib.metadata
import importlib.util
import os
import platform
import shutil
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
EXAMPLE = ROOT / "examples" / "ntnu-2024.yaml"
SCHEMA = ROOT / "schema" / "ehnreport.schema.json"
PY = sys.executable
EHN = [PY, "-m", "ehnreport"]
FIGURES = ("validate", "html", "pdf", "batch", "jobs", "size")
PDF_VARIANT = "pdf/a-2a"
# Children run as an installed program runs for a user: with bytecode caching on (some
# CI and container images set PYTHONDONTWRITEBYTECODE, which makes every start compile
# the modules that have no cached bytecode yet: the warm-up run writes it).
CHILD_ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}

sys.path.insert(0, str(HERE))
import gen  # benchmarks/gen.py, beside this file


class BenchError(RuntimeError):
    pass


# -- running and timing -----------------------------------------------------------------


@dataclass
class Sample:
    seconds: float
    rss_kib: int  # max RSS in KiB (Linux reports KiB; macOS bytes, converted)
    code: int
    cpu: float = 0.0  # user + system CPU seconds of the process (and children it reaped)


def run_once(argv: Sequence[str], ok: Sequence[int] = (0,)) -> Sample:
    """Run one command; its time from spawn to reaped, and its own peak memory."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        actions = [
            (os.POSIX_SPAWN_OPEN, 0, os.devnull, os.O_RDONLY, 0),
            (os.POSIX_SPAWN_DUP2, out.fileno(), 1),
            (os.POSIX_SPAWN_DUP2, err.fileno(), 2),
        ]
        start = time.perf_counter()
        pid = os.posix_spawn(argv[0], list(argv), CHILD_ENV, file_actions=actions)
        _, status, usage = os.wait4(pid, 0)
        seconds = time.perf_counter() - start
        code = os.waitstatus_to_exitcode(status)
        if code not in ok:
            err.seek(0)
            out.seek(0)
            tail = (err.read() or out.read()).decode("utf-8", "replace").strip().splitlines()[-3:]
            raise BenchError(
                f"`{' '.join(map(str, argv))}` exited {code}:\n    " + "\n    ".join(tail)
            )
    rss = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return Sample(seconds, rss, code, usage.ru_utime + usage.ru_stime)


@dataclass
class Job:
    """One figure's command, or a sequence of commands timed together (K separate calls)."""

    label: str
    commands: list[list[str]]
    ok: tuple[int, ...] = (0,)
    samples: list[Sample] = field(default_factory=list)

    def run(self) -> Sample:
        total, rss, codes, cpu = 0.0, 0, set(), 0.0
        for argv in self.commands:
            s = run_once(argv, self.ok)
            total += s.seconds
            cpu += s.cpu
            rss = max(rss, s.rss_kib)
            codes.add(s.code)
        return Sample(total, rss, max(codes), cpu)

    @property
    def times(self) -> list[float]:
        return [s.seconds for s in self.samples]

    @property
    def median(self) -> float:
        return statistics.median(self.times)

    @property
    def cpu_median(self) -> float:
        return statistics.median(s.cpu for s in self.samples)

    @property
    def rss_mib(self) -> float:
        return max(s.rss_kib for s in self.samples) / 1024


def measure(jobs: list[Job], runs: int) -> None:
    """Warm up each job once, then run them `runs` times, taking turns."""
    for job in jobs:
        log(f"  warm-up: {job.label}")
        job.run()
    for r in range(runs):
        for job in jobs:
            job.samples.append(job.run())
        log(
            f"  run {r + 1}/{runs}: "
            + ", ".join(f"{j.label} {fmt_time(j.samples[-1].seconds)}" for j in jobs)
        )


def log(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


# -- the table ---------------------------------------------------------------------------


def fmt_time(s: float) -> str:
    return f"{s * 1000:.0f} ms" if s < 1 else f"{s:.2f} s"


@dataclass
class Row:
    figure: str
    what: str
    job: Job | None = None
    per: int = 1  # divide times by this (per report)
    versus: str = ""
    ratio: float | None = None
    target: str = ""
    passed: bool | None = None
    note: str = ""

    def cells(self) -> list[str]:
        if self.job and self.job.samples:
            t = [x / self.per for x in self.job.times]
            median = fmt_time(statistics.median(t)) + (" /report" if self.per > 1 else "")
            spread = f"{fmt_time(min(t))} – {fmt_time(max(t))}"
            rss = f"{self.job.rss_mib:.0f} MiB"
            cpu = fmt_time(self.job.cpu_median / self.per)
        else:
            median = spread = rss = cpu = "—"
        ratio = f"{self.ratio:.2f}×" if self.ratio is not None else ""
        mark = {True: "✓", False: "✗", None: ""}[self.passed]
        target = f"{self.target} {mark}".strip()
        what = self.what + (f" ({self.note})" if self.note else "")
        return [self.figure, what, median, spread, cpu, rss, self.versus, ratio, target]


HEADER = [
    "Figure",
    "Command",
    "Median",
    "Min – max",
    "CPU",
    "Max RSS",
    "Compared with",
    "Ratio",
    "Target",
]


def table(rows: list[Row]) -> str:
    lines = ["| " + " | ".join(HEADER) + " |", "|" + "---|" * len(HEADER)]
    for row in rows:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in row.cells()) + " |")
    return "\n".join(lines)


def compare(
    row: Row,
    mine: Job,
    ref: Job,
    *,
    at_most: float | None = None,
    at_least: float | None = None,
    per: tuple[int, int] = (1, 1),
) -> Row:
    """Set the row's ratio of medians (mine/ref, each per report) and check the target."""
    ratio = (mine.median / per[0]) / (ref.median / per[1])
    row.ratio = ratio
    if at_most is not None:
        row.target = f"≤ {at_most:g}×"
        row.passed = ratio <= at_most
    if at_least is not None:  # "at least N× faster": ref/mine
        row.ratio = 1 / ratio
        row.target = f"≥ {at_least:g}× faster"
        row.passed = row.ratio >= at_least
    return row


# -- the figures ---------------------------------------------------------------------------


@dataclass
class Context:
    tmp: Path
    runs: int
    batch_size: int
    jobs: int
    batch_cmd: list[str]  # how to call the batch build
    figures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    cache: dict[tuple[str, ...], Job] = field(default_factory=dict)

    def out(self, name: str) -> Path:
        p = self.tmp / "out" / name
        p.mkdir(parents=True, exist_ok=True)
        return p


# `validate` as the Typer application runs it, for comparison with the quick start in
# ehnreport/__main__.py (the program name is set as the installed program sets it).
TYPER_VALIDATE = "import sys; sys.argv[0] = 'ehnreport'; from ehnreport.cli import main; main()"


def fig_validate(ctx: Context) -> list[Row]:
    floor = Job("floor", [[PY, "-c", "import pydantic, yaml, typer"]])
    validate = Job("validate", [[*EHN, "validate", str(EXAMPLE)]])
    through_typer = Job("validate (Typer)", [[PY, "-c", TYPER_VALIDATE, "validate", str(EXAMPLE)]])
    jobs = [floor, validate, through_typer]
    cjs = None
    if importlib.util.find_spec("check_jsonschema") is not None:
        cjs = Job(
            "check-jsonschema",
            [[PY, "-m", "check_jsonschema", "--schemafile", str(SCHEMA), str(EXAMPLE)]],
        )
        jobs.append(cjs)
    measure(jobs, ctx.runs)
    rows = [
        Row("validate", "python -c 'import pydantic, yaml, typer' (floor)", floor),
        compare(
            Row("validate", "ehnreport validate example", validate, versus="floor"),
            validate,
            floor,
            at_most=1.5,
        ),
        compare(
            Row(
                "validate",
                "the same through the Typer application",
                through_typer,
                versus="floor",
                note="what every form of validate cost before the quick start",
            ),
            through_typer,
            floor,
        ),
    ]
    if cjs is not None:
        rows.append(Row("validate", "check-jsonschema --schemafile schema/… example", cjs))
        rows.append(
            compare(
                Row(
                    "validate",
                    "ehnreport validate ÷ check-jsonschema",
                    None,
                    versus="check-jsonschema",
                ),
                validate,
                cjs,
                at_most=0.5,
            )
        )
    else:
        ctx.notes.append(
            "check-jsonschema is not installed in this environment: that comparison was "
            "skipped (`pip install check-jsonschema` to include it)."
        )
    ctx.cache[("validate",)] = validate
    return rows


def fig_html(ctx: Context) -> list[Row]:
    out = ctx.out("html")
    html = Job("build --html", [[*EHN, "build", str(EXAMPLE), "--html", "-o", str(out)]])
    validate = ctx.cache.get(("validate",))
    measure([html], ctx.runs)
    row = Row("html", "ehnreport build example --html", html)
    if validate:
        compare(row, html, validate)
        row.versus = "validate"
    return [row]


def fig_pdf(ctx: Context) -> list[Row]:
    out = ctx.out("pdf")
    ref_out = ctx.out("weasyprint")
    # The HTML WeasyPrint alone renders: the one `build --html` writes.
    run_once([*EHN, "build", str(EXAMPLE), "--html", "-o", str(ref_out)])
    html_file = ref_out / f"{EXAMPLE.stem}.html"
    pdf = Job("build --pdf", [[*EHN, "build", str(EXAMPLE), "--pdf", "-o", str(out)]])
    weasy = Job(
        "weasyprint",
        [
            [
                PY,
                "-m",
                "weasyprint",
                "--pdf-variant",
                PDF_VARIANT,
                str(html_file),
                str(ref_out / "weasyprint.pdf"),
            ]
        ],
    )
    measure([pdf, weasy], ctx.runs)
    mem = Row("pdf", "peak memory of build --pdf (example)", None, ratio=None)
    mem.versus = f"{pdf.rss_mib:.0f} MiB"
    mem.target = "≤ 300 MiB"
    mem.passed = pdf.rss_mib <= 300
    return [
        Row("pdf", f"python -m weasyprint --pdf-variant {PDF_VARIANT} (same HTML)", weasy),
        compare(
            Row("pdf", "ehnreport build example --pdf", pdf, versus="weasyprint alone"),
            pdf,
            weasy,
            at_most=1.10,
        ),
        mem,
    ]


def _batch_folder(ctx: Context) -> Path:
    folder = ctx.tmp / f"batch-{ctx.batch_size}"
    if not folder.exists():
        gen.generate(folder, members=ctx.batch_size)
    return folder


def _batch_job(ctx: Context, fmt: str, jobs: int) -> Job:
    key = ("batch", fmt, str(jobs))
    if key not in ctx.cache:
        folder = _batch_folder(ctx)
        out = ctx.out(f"batch-{fmt}-j{jobs}")
        ctx.cache[key] = Job(
            f"one call --jobs {jobs} --{fmt}",
            [
                [
                    *ctx.batch_cmd,
                    "build",
                    str(folder),
                    "--jobs",
                    str(jobs),
                    "-o",
                    str(out),
                    f"--{fmt}",
                ]
            ],
        )
    return ctx.cache[key]


def fig_batch(ctx: Context) -> list[Row]:
    folder = _batch_folder(ctx)
    k = ctx.batch_size
    files = sorted(folder.glob("*.yaml"))
    rows = []
    for fmt in ("html", "pdf"):
        out = ctx.out(f"separate-{fmt}")
        separate = Job(
            f"{k} calls --{fmt}",
            [[*EHN, "build", str(f), f"--{fmt}", "-o", str(out)] for f in files],
        )
        one = _batch_job(ctx, fmt, 1)
        group = [separate, one]
        if fmt == "pdf" and "jobs" in ctx.figures and ctx.jobs >= 2:
            group.append(
                _batch_job(ctx, fmt, ctx.jobs)
            )  # measured here, taking turns with --jobs 1
        measure(group, ctx.runs)
        rows.append(Row("batch", f"{k} separate `build FILE --{fmt}` calls", separate, per=k))
        rows.append(
            compare(
                Row(
                    "batch",
                    f"one `build DIR --jobs 1 --{fmt}` ({k} reports)",
                    one,
                    per=k,
                    versus=f"{k} separate calls",
                ),
                one,
                separate,
                at_most=0.6,
            )
        )
    return rows


def fig_jobs(ctx: Context) -> list[Row]:
    n = ctx.jobs
    if n < 2:
        ctx.notes.append("jobs: this machine has one CPU; --jobs N against --jobs 1 was skipped.")
        return []
    one = _batch_job(ctx, "pdf", 1)
    many = _batch_job(ctx, "pdf", n)
    fresh = [j for j in (one, many) if not j.samples]
    if fresh:
        measure(fresh, ctx.runs)
    k = ctx.batch_size
    return [
        Row("jobs", f"`build DIR --jobs 1 --pdf` ({k} reports)", one, per=k),
        compare(
            Row(
                "jobs",
                f"`build DIR --jobs {n} --pdf` ({k} reports)",
                many,
                per=k,
                versus="--jobs 1",
                note="Max RSS: the parent only; workers are children of the forkserver",
            ),
            many,
            one,
            at_least=1.7,
        ),
    ]


def fig_size(ctx: Context) -> list[Row]:
    # 1×, 4× and 16×, or the largest × below 16 that the model's caps on list lengths
    # allow (12 for the example: 50 risks at most); see benchmarks/gen.py.
    top = min(16, gen.max_scale())
    if top < 4:
        ctx.notes.append(f"size: skipped, the model's caps allow only ×{top}.")
        return []
    if top < 16:
        ctx.notes.append(
            f"size: ×{top} instead of ×16, the largest report the model's caps on list "
            "lengths allow (gen.max_scale())."
        )
    scales = (1, 4, top)
    validate: dict[int, Job] = {}
    pdf: dict[int, Job] = {}
    for n in scales:
        path = ctx.tmp / "size" / f"x{n}.yaml"
        if not path.exists():
            gen.generate(path, scale=n)
        validate[n] = Job(f"validate ×{n}", [[*EHN, "validate", str(path)]])
        pdf[n] = Job(
            f"build --pdf ×{n}",
            [[*EHN, "build", str(path), "--pdf", "-o", str(ctx.out(f"size-x{n}"))]],
        )
    measure(list(validate.values()) + list(pdf.values()), ctx.runs)
    rows = []
    for name, jobs in (("validate", validate), ("build --pdf", pdf)):
        t = {n: jobs[n].median for n in scales}
        for n in scales:
            row = Row("size", f"{name} ×{n}", jobs[n])
            row.note = f"{fmt_time(t[n] / n)} per ×"
            if n > 1:
                per_x = (t[n] - t[1]) / (n - 1)
                row.note += f", {'+' if per_x >= 0 else '−'}{fmt_time(abs(per_x))} per added ×"
            rows.append(row)
        # Linear growth predicts t(top) = t1 + (top − 1)/3 · (t4 − t1): measured / predicted.
        # A slope below zero is noise (a bigger report is not faster): it counts as flat.
        predicted = t[1] + (top - 1) / 3 * max(0.0, t[4] - t[1])
        row = Row(
            "size",
            f"{name}: ×{top} against the line through ×1 and ×4",
            None,
            versus=f"predicted {fmt_time(predicted)}",
        )
        row.ratio = t[top] / predicted
        row.target = "≤ 1.1× (linear)"
        row.passed = row.ratio <= 1.1
        rows.append(row)
    return rows


RUNNERS: dict[str, Callable[[Context], list[Row]]] = {
    "validate": fig_validate,
    "html": fig_html,
    "pdf": fig_pdf,
    "batch": fig_batch,
    "jobs": fig_jobs,
    "size": fig_size,
}


# -- the machine -----------------------------------------------------------------------------


def machine() -> list[str]:
    lines = []
    model = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        model = platform.processor()
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:
        cpus = os.cpu_count() or 1
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) / 1024 / 1024:.1f} GiB"
    except OSError:
        pass
    lines.append(f"- CPU: {model or 'unknown'}, {cpus} usable CPUs; memory {mem or 'unknown'}")
    lines.append(f"- OS: {platform.platform()}")
    lines.append(f"- Python {platform.python_version()} ({PY})")
    versions = []
    for dist in (
        "ehnreport",
        "pydantic",
        "pydantic-core",
        "PyYAML",
        "typer",
        "Jinja2",
        "markdown-it-py",
        "weasyprint",
        "pydyf",
        "tinycss2",
        "check-jsonschema",
    ):
        try:
            versions.append(f"{dist} {importlib.metadata.version(dist)}")
        except importlib.metadata.PackageNotFoundError:
            pass
    try:
        v = int(
            run_text(
                [PY, "-c", "from weasyprint.text.ffi import pango; print(pango.pango_version())"]
            )
        )
        versions.append(f"Pango {v // 10000}.{v // 100 % 100}.{v % 100}")
    except Exception as exc:  # noqa: BLE001 - informative only
        versions.append(f"Pango unknown ({type(exc).__name__})")
    lines.append("- Packages: " + ", ".join(versions))
    lines.append(f"- Load average at start: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return lines


def run_text(argv: list[str]) -> str:
    import subprocess

    return subprocess.run(argv, check=True, capture_output=True, text=True).stdout.strip()


def supports_batch(cmd: list[str]) -> bool:
    try:
        return "--jobs" in run_text([*cmd, "build", "--help"])
    except Exception:  # noqa: BLE001
        return False


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(
        description="Benchmarks for ehnreport, printed as a Markdown table."
    )
    p.add_argument("--runs", type=int, help="measured runs per command (default 5; 2 with --quick)")
    p.add_argument("--quick", action="store_true", help="2 runs and a batch of 10 reports")
    p.add_argument(
        "--only", action="append", choices=FIGURES, help="run only this figure (repeatable)"
    )
    p.add_argument(
        "--batch-size", type=int, help="reports in a batch (default 50; 10 with --quick)"
    )
    p.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 1, help="N for --jobs N (default: CPUs)"
    )
    p.add_argument(
        "--keep", action="store_true", help="keep the temporary folder and print its path"
    )
    a = p.parse_args(argv)
    runs = a.runs or (2 if a.quick else 5)
    figures = a.only or list(FIGURES)
    batch_cmd = EHN
    tmp = Path(tempfile.mkdtemp(prefix="ehnreport-bench-"))
    ctx = Context(
        tmp=tmp,
        runs=runs,
        batch_size=a.batch_size or (10 if a.quick else 50),
        jobs=a.jobs,
        batch_cmd=batch_cmd,
        figures=figures,
    )
    header = machine()
    rows: list[Row] = []
    started = time.perf_counter()
    try:
        if {"batch", "jobs"} & set(figures) and not supports_batch(batch_cmd):
            ctx.notes.append(
                "batch, jobs: skipped, `ehnreport build` does not take folders and --jobs yet."
            )
            figures = [f for f in figures if f not in ("batch", "jobs")]
        for name in FIGURES:
            if name not in figures:
                continue
            log(f"{name}:")
            try:
                rows.extend(RUNNERS[name](ctx))
            except BenchError as exc:
                ctx.notes.append(f"{name}: failed: {exc}")
                log(f"  failed: {exc}")
    finally:
        if a.keep:
            log(f"kept {tmp}")
        else:
            shutil.rmtree(tmp, ignore_errors=True)
    print("## Machine\n")
    print("\n".join(header))
    print(
        f"- Load average at end: {' '.join(f'{x:.2f}' for x in os.getloadavg())}; "
        f"{runs} runs per command after one warm-up; total {time.perf_counter() - started:.0f} s"
    )
    print("\n## Results\n")
    print(table(rows))
    if ctx.notes:
        print("\n" + "\n".join(f"- {n}" for n in ctx.notes))
    failed = [r for r in rows if r.passed is False]
    print(f"\n{sum(r.passed is True for r in rows)} targets met, {len(failed)} missed.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
