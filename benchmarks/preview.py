"""How long `ehnreport preview` takes from a save to the new page being served.

    .venv/bin/python benchmarks/preview.py              # the example and 12× it, 15 saves each
    .venv/bin/python benchmarks/preview.py --saves 30 --pause 3

For each report the preview runs as a user runs it, in its own process
(`python -m ehnreport preview FILE --port 0`), with its PDF built behind. This script
listens on the reload channel as the page's script does, saves the report (a new
member name each time), and measures two times from the moment the save is
complete: until the reload channel tells of the new page, and until a GET of the
page has returned the new HTML in full (what the browser shows after reloading). It
prints the median and the range of both, as a Markdown table.

`--pause` is the time between saves: 1 s (the default) means a PDF build is still
running, or just being stopped, at most saves, which is the busy case; a pause longer
than a PDF build (3–4 s for 12×) measures a machine at rest.
"""

from __future__ import annotations

import argparse
import http.client
import json
import queue
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import gen  # benchmarks/gen.py, beside this file


def _listen(port: int, states: queue.Queue[tuple[float, dict[str, object]]]) -> None:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/_preview/events", headers={"Host": f"127.0.0.1:{port}"})
    resp = conn.getresponse()
    event = ""
    while True:
        line = resp.fp.readline()
        if not line:
            return
        text = line.decode("utf-8").rstrip("\n")
        if text.startswith("event: "):
            event = text[7:]
        elif text.startswith("data: ") and event == "state":
            states.put((time.perf_counter(), json.loads(text[6:])))


def _get(port: int) -> str:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    conn.request("GET", "/", headers={"Host": f"127.0.0.1:{port}"})
    body = conn.getresponse().read().decode("utf-8")
    conn.close()
    return body


def measure(
    data: dict[str, object], folder: Path, saves: int, pause: float
) -> dict[str, list[float]]:
    report = folder / "report.yaml"
    member = data["member"]
    assert isinstance(member, dict)
    member["name"] = "Start"
    report.write_text(gen.dump(data), encoding="utf-8")
    proc = subprocess.Popen(
        [sys.executable, "-m", "ehnreport", "preview", str(report), "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        assert proc.stdout is not None
        first = proc.stdout.readline()
        port = int(first.split("http://127.0.0.1:")[1].split("/")[0])
        states: queue.Queue[tuple[float, dict[str, object]]] = queue.Queue()
        threading.Thread(target=_listen, args=(port, states), daemon=True).start()
        page = 0
        while page < 1:
            page = int(states.get(timeout=60)[1]["page"])  # type: ignore[call-overload]
        time.sleep(pause)
        times: dict[str, list[float]] = {"event": [], "served": []}
        for i in range(saves):
            name = f"Lagring {i + 1} kommune"
            member["name"] = name
            text = gen.dump(data)
            with report.open("w", encoding="utf-8") as fh:
                fh.write(text)
            saved = time.perf_counter()
            while True:
                at, state = states.get(timeout=60)
                if int(state["page"]) > page:  # type: ignore[call-overload]
                    page = int(state["page"])  # type: ignore[call-overload]
                    break
            body = _get(port)
            served = time.perf_counter()
            assert name in body, "the new page was not served"
            times["event"].append(at - saved)
            times["served"].append(served - saved)
            time.sleep(pause)
        return times
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def _ms(values: list[float]) -> str:
    return (
        f"{statistics.median(values) * 1000:.0f} ms | "
        f"{min(values) * 1000:.0f} – {max(values) * 1000:.0f} ms"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--saves", type=int, default=15)
    parser.add_argument("--pause", type=float, default=1.0, help="seconds between saves")
    args = parser.parse_args(argv)
    example = gen.load_example()
    scale = gen.max_scale(example)
    rows = []
    for label, data in (
        ("example", example),
        (f"{scale}× the example", gen.scaled(example, scale)),
    ):
        with tempfile.TemporaryDirectory() as tmp:
            print(f"measuring {label} …", file=sys.stderr, flush=True)
            times = measure(data, Path(tmp), args.saves, args.pause)
        rows.append((label, times))
    print(f"{args.saves} saves per report, {args.pause:g} s apart, PDF built behind.\n")
    print(
        "| Report | Until the reload event: median | min – max "
        "| Until the new page is served: median | min – max |"
    )
    print("|---|---|---|---|---|")
    for label, times in rows:
        print(f"| {label} | {_ms(times['event'])} | {_ms(times['served'])} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
