"""What completing the PDF's structure tree (ehnreport/pdftags.py) costs per build.

    python benchmarks/pdftags.py              # the bundled example, 7 runs
    python benchmarks/pdftags.py --runs 15 path/to/report.yaml

The report's HTML is made once; then it is printed `--runs` times with the completion
(WeasyPrint's `finisher`), each time measuring the completion itself, after one
unmeasured print that warms the caches. The median, minimum and maximum of the
completion are printed next to the median printing time. The completion's own time
is the figure; the printing time moves with the machine's load.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from typing import Any
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", default=str(ROOT / "examples" / "ntnu-2024.yaml"))
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()

    from ehnreport import pdf, pdftags
    from ehnreport.build import pdf_identifier
    from ehnreport.markdown import MarkdownRenderer
    from ehnreport.render import BUILTIN, print_source, render_html, report_date
    from ehnreport.validate import check_file

    result = check_file(Path(args.report))
    assert result.report is not None, "the report does not validate"
    md = MarkdownRenderer(folder=result.folder, loaded=result.loaded, file=str(result.path))
    page = render_html(result.report, md)
    finishing: list[float] = []

    def timed(document: Any, written: Any) -> None:
        started = time.perf_counter()
        pdftags.finish_tags(document, written)
        finishing.append(time.perf_counter() - started)

    def build() -> bytes:
        return pdf.print_pdf(
            print_source(page),
            base=result.folder,
            roots=[BUILTIN],
            variant="pdf/a-2a",
            identifier=pdf_identifier(page),
            date=report_date(result.report),
        ).data

    printing = []
    with mock.patch.object(pdf, "finish_tags", timed):
        first = build()
        finishing.clear()
        for _ in range(args.runs):
            started = time.perf_counter()
            assert build() == first, "the PDF is not reproducible"
            printing.append(time.perf_counter() - started)
    median = statistics.median(finishing)
    print(f"report: {args.report} ({len(first)} bytes)")
    total = statistics.median(printing)
    print(f"printing with the completion, median of {args.runs}: {total * 1000:.0f} ms")
    print(
        f"the completion alone: median {median * 1000:.1f} ms "
        f"(min {min(finishing) * 1000:.1f}, max {max(finishing) * 1000:.1f}), "
        f"{median / total:.1%} of the printing"
    )


if __name__ == "__main__":
    main()
