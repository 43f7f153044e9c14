"""Generate reports for the benchmarks: the bundled example scaled ×N, and K members.

    python benchmarks/gen.py --scale 16 -o /tmp/x16.yaml
    python benchmarks/gen.py --members 50 --scale 1 -o /tmp/batch/   # member-01.yaml …

Scaling ×N multiplies every list the form lets a member make as long as they like:
the goals of the year and for next year, the rows of 2.A.2, the 2.A.3 risks together
with their 3.A.1 cards (same names, same order; names made unique with « (2)», « (3)»
…), the 4.A.2 counts, and the 4.A.3 deviations (the example has none, so each ×
adds two made-up rows). Everything else, the free-text answers included, stays as
written, so a ×N report is N times the tables and lists of the real one.

A member variant changes the names, e-mail addresses and figures, so that K reports
in one batch are K distinct documents (no two outputs are the same bytes).

The model caps these lists (ehnreport.model.base: MAX_ITEMS goals, risks and cards,
MAX_ROWS table rows). `max_scale()` is the largest N whose report stays within them
(12 for the example: 4 risks × 12 = 48 ≤ 50); a larger N is refused, since that
report could not validate.

Every generated report validates (exit 0; the example's own warnings for questions
NTNU left unanswered remain). The YAML is written with `|` blocks for multi-line
text, as a member would write it.
"""

from __future__ import annotations

import argparse
import copy
import sys
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "ntnu-2024.yaml"

_DEVIATIONS = [
    {
        "type": "Manglende dokumentasjon av lønns- og arbeidsvilkår",
        "where": "Underleverandør, bygg og anlegg, Norge",
        "action": "Leverandøren er bedt om lønnsslipper og timelister for utvalgte arbeidere.",
        "status": "Lukket",
    },
    {
        "type": "Ufullstendig egenrapportering om etisk handel",
        "where": "Leverandør av IT-utstyr, produksjon i Asia",
        "action": (
            "Oppfølgingsmøte; leverandøren har levert en plan for kartlegging av leverandørkjeden."
        ),
        "status": "Pågår",
    },
]


def load_example(path: Path = EXAMPLE) -> dict[str, Any]:
    """The example report as plain data, read with ehnreport's own loader."""
    from ehnreport.loader import load_file

    data = load_file(path).data
    assert isinstance(data, dict)
    return data


def _suffix(k: int) -> str:
    return "" if k == 0 else f" ({k + 1})"


def _copies(items: list[Any], n: int, mark) -> list[Any]:  # type: ignore[no-untyped-def]
    out = []
    for k in range(n):
        for item in items:
            out.append(mark(copy.deepcopy(item), k))
    return out


def _caps() -> tuple[int, int]:
    try:
        from ehnreport.model.base import MAX_ITEMS, MAX_ROWS
    except ImportError:  # an ehnreport without caps
        return 10**9, 10**9
    return MAX_ITEMS, MAX_ROWS


def _lengths(data: dict[str, Any]) -> dict[str, tuple[int, int]]:
    """Each scaled list's length in `data` (×1) and its cap."""
    items, rows = _caps()
    steps = data.get("steps", {})
    goals = data.get("goals", {})
    s2, s3, s4 = steps.get("step2", {}), steps.get("step3", {}), steps.get("step4", {})
    return {
        "goals.current": (len(goals.get("current", [])), items),
        "goals.next_year": (len(goals.get("next_year", [])), items),
        "2.A.2 rows": (len((s2.get("a2") or {}).get("rows", [])), rows),
        "2.A.3 risks": (len((s2.get("a3") or {}).get("risks", [])), items),
        "3.A.1 cards": (len(s3.get("a1", [])), items),
        "4.A.2 counts": (len((s4.get("a2") or {}).get("counts", [])), rows),
        "4.A.3 rows": (len((s4.get("a3") or {}).get("rows", []) or _DEVIATIONS), rows),
    }


def max_scale(data: dict[str, Any] | None = None) -> int:
    """The largest ×N whose lists all stay within the model's caps."""
    lengths = _lengths(data if data is not None else load_example())
    return min(cap // n for n, cap in lengths.values() if n)


def scaled(data: dict[str, Any], n: int) -> dict[str, Any]:
    """A copy of `data` with every open-ended list (see the module doc) N times as long."""
    if n < 1:
        raise ValueError("scale must be at least 1")
    too_long = [
        f"{name} {k * n} > {cap}" for name, (k, cap) in _lengths(data).items() if k * n > cap
    ]
    if too_long:
        raise ValueError(
            f"×{n} exceeds the model's caps ({', '.join(too_long)}); "
            f"the largest scale that validates is ×{max_scale(data)}"
        )
    d = copy.deepcopy(data)

    def goal(g: dict[str, Any], k: int) -> dict[str, Any]:
        if k:
            g["text"] = g["text"].rstrip("\n") + f" (del {k + 1})\n"
        return g

    goals = d.setdefault("goals", {})
    goals["current"] = _copies(goals.get("current", []), n, goal)
    goals["next_year"] = _copies(
        goals.get("next_year", []),
        n,
        lambda t, k: t if not k else t.rstrip("\n") + f" (del {k + 1})\n",
    )

    steps = d.setdefault("steps", {})
    s2 = steps.setdefault("step2", {})
    a2 = s2.setdefault("a2", {"rows": []})

    def row(r: dict[str, Any], k: int) -> dict[str, Any]:
        r["procurement"] = r["procurement"] + _suffix(k)
        return r

    a2["rows"] = _copies(a2.get("rows", []), n, row)

    a3 = s2.setdefault("a3", {"risks": []})

    def risk(r: dict[str, Any], k: int) -> dict[str, Any]:
        r["name"] = r["name"] + _suffix(k)
        return r

    a3["risks"] = _copies(a3.get("risks", []), n, risk)

    s3 = steps.setdefault("step3", {})

    def card(c: dict[str, Any], k: int) -> dict[str, Any]:
        c["risk"] = c["risk"] + _suffix(k)
        return c

    s3["a1"] = _copies(s3.get("a1", []), n, card)

    s4 = steps.setdefault("step4", {})
    a42 = s4.setdefault("a2", {"counts": []})

    def count(c: dict[str, Any], k: int) -> dict[str, Any]:
        c["topic"] = c["topic"] + _suffix(k)
        c["count"] = c["count"] + k
        return c

    a42["counts"] = _copies(a42.get("counts", []), n, count)

    a43 = s4.setdefault("a3", {})
    base_rows = a43.get("rows") or _DEVIATIONS

    def deviation(r: dict[str, Any], k: int) -> dict[str, Any]:
        r["type"] = r["type"] + _suffix(k)
        return r

    a43["rows"] = _copies(base_rows, n, deviation)
    a43.setdefault("comment", "Avvikene er fulgt opp av anskaffelsesrådgiveren for avtalen.\n")
    return d


_MEMBERS = [
    "Fjordby kommune",
    "Nordlys helseforetak",
    "Vestkyst fylkeskommune",
    "Innlandet universitet",
    "Bergfoss energi",
    "Havbris sjømat",
    "Skogly byggevarer",
    "Polarlys transport",
    "Elvedal sykehus",
    "Sørvik havn",
]


def member_variant(data: dict[str, Any], i: int) -> dict[str, Any]:
    """Member number `i` (1-based): a distinct organisation with the same answers."""
    d = copy.deepcopy(data)
    base = _MEMBERS[(i - 1) % len(_MEMBERS)]
    name = base if i <= len(_MEMBERS) else f"{base} {(i - 1) // len(_MEMBERS) + 1}"
    short = f"M{i:02d}"
    host = f"medlem{i:02d}.no"
    d["member"] = {"name": name, "short_name": short}
    ki = d.setdefault("key_info", {})
    ki["name"] = name
    ki["contact"] = f"Kari Nordmann {i}"
    ki["email"] = f"kari.nordmann@{host}"
    ki["employees"] = 100 + 37 * i
    pr = d.setdefault("procurement", {})
    pr["total_value"] = 1_000_000 * (10 + i)
    pr["active_agreements"] = 50 + 3 * i
    pr["followed_up_agreements"] = 5 + i
    d["contact"] = {"name": f"Kari Nordmann {i}", "email": f"kari.nordmann@{host}"}
    fw = d.setdefault("foreword", {})
    fw["name"] = f"Ola Nordmann {i}"
    fw["title"] = f"Administrerende direktør, {name}"
    return d


class _Dumper(yaml.SafeDumper):
    pass


def _str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    # Multi-line text as a `|` block; PyYAML falls back to quotes where a block
    # cannot hold the text exactly (trailing spaces and the like).
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _str)


def dump(data: dict[str, Any]) -> str:
    body = yaml.dump(
        data,
        Dumper=_Dumper,
        allow_unicode=True,
        sort_keys=False,
        width=10**9,
        default_flow_style=False,
    )
    return "# Generated by benchmarks/gen.py from examples/ntnu-2024.yaml\n" + body


def write_report(data: dict[str, Any], path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(dump(data), encoding="utf-8")
    return path


def generate(out: Path, *, scale: int = 1, members: int = 0, example: Path = EXAMPLE) -> list[Path]:
    """Write one ×`scale` report to `out` (members=0), or `members` variants into folder `out`."""
    data = scaled(load_example(example), scale)
    if not members:
        return [write_report(data, out)]
    return [
        write_report(member_variant(data, i), out / f"member-{i:02d}.yaml")
        for i in range(1, members + 1)
    ]


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--scale", type=int, default=1, help="×N of every open-ended list (default 1)")
    p.add_argument(
        "--members", type=int, default=0, help="write K member variants into the folder -o"
    )
    p.add_argument(
        "-o", "--output", type=Path, required=True, help="output file, or folder with --members"
    )
    p.add_argument(
        "--check", action="store_true", help="validate what was written (exit 1 if any fails)"
    )
    a = p.parse_args(argv)
    try:
        paths = generate(a.output, scale=a.scale, members=a.members)
    except ValueError as exc:
        p.error(str(exc))
    bad = 0
    if a.check:
        from ehnreport.validate import check_file

        for path in paths:
            result = check_file(path)
            if not result.ok():
                bad += 1
                for d in result.diagnostics:
                    if d.is_error:
                        print(d.format(), file=sys.stderr)
    print(f"wrote {len(paths)} report(s)" + (f", {bad} invalid" if bad else ""))
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
