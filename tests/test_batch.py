"""Batch builds: which files a batch takes, per-report exit codes, order, and jobs=1 vs 2.

HTML only, except one test that makes three PDFs (one in-process, two in workers).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ehnreport.batch import BatchItem, build_many, collect, find_collisions, worst_exit_code
from ehnreport.build import BuildOptions

MINIMAL = """\
report:
  year: 2024
  form: ehn-public-2024
  language: nb
member:
  name: {name}
  short_name: {short}
foreword:
  text: |
    Vi i {name} arbeider for *ansvarlige* anskaffelser.
  name: Kari Nordmann
  title: Innkjøpssjef
goals:
  current:
    - text: Policy for anskaffelser skal forankres.
      status: Pågår
  next_year:
    - Risikokartlegging av alle nye avtaler.
steps:
  step2:
    a3:
      risks:
        - name: Lønns- og arbeidsvilkår
          themes: [Lønn, Arbeidstid]
          geography: Norge
  step3:
    a1:
      - risk: Lønns- og arbeidsvilkår
        measures: |
          - Kontraktsvilkår
          - Revisjon hos to leverandører
"""

INVALID = """\
report:
  year: 2024
  form: ehn-public-2024
member:
  name: Feil AS
  shortname: FEIL
"""


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def valid(folder: Path, stem: str) -> Path:
    return write(folder, f"{stem}.yaml", MINIMAL.format(name=f"Medlem {stem}", short=stem[:10]))


def build(paths: list[Path], out: Path, jobs: int = 1, **kw: object) -> list[BatchItem]:
    options: dict = {
        "html": True,
        "pdf": False,
        "templates": None,
        "pdf_variant": "pdf/a-2a",
        "strict": False,
    }
    options.update(kw)
    return build_many(paths, BuildOptions(out_dir=out, **options), jobs=jobs)


def files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.exists() else {}


# -- collect -------------------------------------------------------------------------


def test_collect_folder_is_sorted_non_recursive_and_skips_dotfiles(tmp_path: Path) -> None:
    d = tmp_path / "reports"
    for name in ("b.yaml", "a.yml", "C.YAML", ".hidden.yaml", "notes.txt", "sub/deep.yaml"):
        write(d, name, "x: 1\n")
    (d / "folder.yaml").mkdir()  # a folder with a report's name is not a report
    assert [p.name for p in collect([d])] == ["C.YAML", "a.yml", "b.yaml"]


def test_collect_keeps_files_as_given_in_order_once(tmp_path: Path) -> None:
    d = tmp_path / "reports"
    a = write(d, "a.yaml", "x: 1\n")
    b = write(d, "b.yaml", "x: 1\n")
    hidden = write(d, ".explicit.yaml", "x: 1\n")
    missing = tmp_path / "missing.yaml"
    got = collect([b, missing, d, hidden, d / ".." / "reports" / "a.yaml"])
    # b first, as given; the folder adds only a (b is there already); a named file
    # is taken even with a leading dot; a missing file is kept for check_file to report.
    assert got == [b, missing, a, hidden]


def test_collisions_ignore_folder_suffix_and_case(tmp_path: Path) -> None:
    paths = [tmp_path / "x/report.yaml", tmp_path / "y/other.yaml", tmp_path / "z/Report.yml"]
    assert find_collisions(paths) == {2: paths[0]}


# -- build_many ------------------------------------------------------------------------


@pytest.fixture
def mixed(tmp_path: Path) -> list[Path]:
    src = tmp_path / "src"
    return [
        valid(src, "zeta"),  # input order is not name order
        write(src, "broken.yaml", INVALID),
        src / "missing.yaml",
        src,  # a folder where a file belongs
        valid(src, "alpha"),
    ]


def test_per_report_codes_order_and_worst(mixed: list[Path], tmp_path: Path) -> None:
    out = tmp_path / "out"
    seen: list[tuple[int, int, Path]] = []
    items = build_many(
        mixed,
        BuildOptions(out_dir=out, html=True, pdf=False, pdf_variant=None),
        jobs=1,
        progress=lambda done, total, path: seen.append((done, total, path)),
    )
    assert [i.path for i in items] == mixed
    assert [i.exit_code for i in items] == [0, 1, 2, 2, 0]
    assert worst_exit_code(items) == 2
    assert [(d, t) for d, t, _ in seen] == [(n, 5) for n in range(1, 6)]
    assert sorted(p for _, _, p in seen) == sorted(mixed)

    zeta, broken, missing, folder, _alpha = items
    assert zeta.written and all(p.exists() for p in zeta.written)
    assert zeta.message is None and zeta.counts and zeta.seconds > 0
    assert any(d.code == "unknown-key" and d.is_error for d in broken.diagnostics)
    assert broken.written == [] and "ikke gyldig" in (broken.text() or "")
    assert "fant ikke" in (missing.text() or "") and "mappe" in (folder.text() or "")
    assert sorted(files(out)) == ["alpha.html", "zeta.html"]  # nothing for the invalid one


def test_worst_code_of_nothing_and_of_valid_only(tmp_path: Path) -> None:
    assert worst_exit_code([]) == 0
    assert worst_exit_code(build([valid(tmp_path, "a")], tmp_path / "out")) == 0
    assert build([], tmp_path / "out") == []


def test_strict_makes_warnings_fail(tmp_path: Path) -> None:
    path = valid(tmp_path, "a")  # many questions unanswered: warnings
    [item] = build([path], tmp_path / "out", strict=True)
    assert item.exit_code == 1 and item.written == [] and not (tmp_path / "out").exists()


def test_unwritable_output_is_exit_3_and_the_rest_goes_on(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.write_text("a file where the output folder belongs")
    items = build([valid(tmp_path, "a"), valid(tmp_path, "b")], out)
    assert [i.exit_code for i in items] == [3, 3]
    assert all(i.message for i in items)


def test_same_stem_in_two_folders_is_a_usage_error_for_the_second(tmp_path: Path) -> None:
    first = valid(tmp_path / "x", "report")
    second = valid(tmp_path / "y", "report")
    other = valid(tmp_path / "y", "other")
    items = build([first, second, other], tmp_path / "out")
    assert [i.exit_code for i in items] == [0, 2, 0]
    assert str(first) in (items[1].text() or "")
    assert sorted(files(tmp_path / "out")) == ["other.html", "report.html"]
    assert (tmp_path / "out/report.html").read_bytes() == (
        build([first], tmp_path / "alone")[0].written[0].read_bytes()
    )


def test_messages_do_not_pass_control_characters_through(tmp_path: Path) -> None:
    # A file name can hold a line break or an escape; the message must not, or it
    # could forge a line of output (a CI annotation, say).
    folder = tmp_path / "x\u001b[31m"
    broken = write(folder, "bad\nname.yaml", INVALID)
    twin = write(tmp_path / "y", "bad\nname.yml", INVALID)
    items = build([broken, twin], tmp_path / "out")
    assert [i.exit_code for i in items] == [1, 2]
    for item in items:
        text = item.text()
        assert text and "\n" not in text and "\x1b" not in text


def _comparable(items: list[BatchItem], out: Path) -> list[tuple]:
    return [
        (
            i.path,
            i.exit_code,
            i.diagnostics,
            [p.relative_to(out) for p in i.written],
            i.message,
            i.counts,
        )
        for i in items
    ]


def test_two_workers_give_the_same_results_and_bytes_as_one(
    mixed: list[Path], tmp_path: Path
) -> None:
    more = [valid(tmp_path / "more", f"m{k}") for k in range(4)]
    paths = mixed + more
    one = build(paths, tmp_path / "one", jobs=1)
    two = build(paths, tmp_path / "two", jobs=2)
    assert _comparable(one, tmp_path / "one") == _comparable(two, tmp_path / "two")
    assert files(tmp_path / "one") == files(tmp_path / "two")
    assert len(files(tmp_path / "two")) == 6


PDF_DRIVER = """
import json, sys
from pathlib import Path
from ehnreport.batch import build_many
from ehnreport.build import BuildOptions

if __name__ == "__main__":
    t = Path(sys.argv[1])
    opts = dict(html=False, pdf=True, templates=None, pdf_variant="pdf/a-2a", strict=False)
    one = build_many([t / "a.yaml"], BuildOptions(out_dir=t / "one", **opts), jobs=1)
    two = build_many([t / "a.yaml", t / "b.yaml"], BuildOptions(out_dir=t / "two", **opts), jobs=2)
    print(json.dumps([[i.exit_code, i.message, [p.name for p in i.written]] for i in one + two]))
"""


def test_pdf_in_workers_matches_pdf_in_process(tmp_path: Path) -> None:
    # In a child process of its own, for two reasons. The PDF's embedded font subsets
    # carry the time they were made (fontTools stamps head.modified) unless
    # SOURCE_DATE_EPOCH is set, and the worker processes keep the environment their
    # server started with, so the variable must be there before the first pool. And
    # WeasyPrint's own warnings (a missing HarfBuzz subsetter, an unclosed ICC file)
    # are not this test's business, while pytest here turns warnings into errors.
    valid(tmp_path, "a")
    valid(tmp_path, "b")
    script = tmp_path / "drive.py"
    script.write_text(PDF_DRIVER, encoding="utf-8")
    env = dict(os.environ, SOURCE_DATE_EPOCH="1700000000")
    run = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert run.returncode == 0, run.stderr
    results = json.loads(run.stdout.strip().splitlines()[-1])
    assert results == [[0, None, ["a.pdf"]], [0, None, ["a.pdf"]], [0, None, ["b.pdf"]]]
    assert (tmp_path / "two/a.pdf").read_bytes() == (tmp_path / "one/a.pdf").read_bytes()
    assert (tmp_path / "two/b.pdf").read_bytes().startswith(b"%PDF-")
