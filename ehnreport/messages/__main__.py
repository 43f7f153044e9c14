"""`python -m ehnreport.messages`: check the catalog's YAML files and write catalog.json."""

from __future__ import annotations

import sys

from .sources import write


def main() -> int:
    try:
        target = write()
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
