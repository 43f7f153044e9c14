"""What completing the PDF's structure tree (ehnreport/pdftags.py) costs per build.

    python benchmarks/pdftags.py              # the bundled example, 15 runs
    python benchmarks/pdftags.py --runs 40 path/to/report.yaml

The report is printed once by WeasyPrint with the completion left out; then
`finish_tags` runs on those bytes `--runs` times in this process (after one
unmeasured run that imports pikepdf), and the median, minimum and maximum are printed
next to the printing time, with the sizes before and after. The printing time is
one run, so the ratio is a rough guide; the median of `finish_tags` is the figure.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report", nargs="?", default=str(ROOT / "examples" / "ntnu-2024.yaml"))
    parser.add_argument("--runs", type=int, default=15)
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
    started = time.perf_counter()
    with mock.patch.object(pdf, "finish_tags", lambda data: data):
        raw = pdf.print_pdf(
            print_source(page),
            base=result.folder,
            roots=[BUILTIN],
            variant="pdf/a-2a",
            identifier=pdf_identifier(page),
            date=report_date(result.report),
        ).data
    printing = time.perf_counter() - started

    finished = pdftags.finish_tags(raw)  # unmeasured: imports and warms pikepdf
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        again = pdftags.finish_tags(raw)
        times.append(time.perf_counter() - started)
        assert again == finished, "finish_tags is not reproducible"
    median = statistics.median(times)
    print(f"report: {args.report}")
    print(f"WeasyPrint printing (one run): {printing * 1000:.0f} ms, {len(raw)} bytes")
    print(
        f"finish_tags over {args.runs} runs: median {median * 1000:.1f} ms "
        f"(min {min(times) * 1000:.1f}, max {max(times) * 1000:.1f}); "
        f"{len(finished)} bytes; {median / printing:.1%} of the printing time"
    )


if __name__ == "__main__":
    main()
