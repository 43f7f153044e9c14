"""Write the prepared copy (form.json) of each bundled edition from its form.yaml.

    python -m ehnreport.forms

A test fails when a prepared copy differs from what this writes.
"""

from __future__ import annotations

import sys

from . import EDITIONS, bundled_folder, prepared_text


def main() -> int:
    for edition_id in EDITIONS:
        folder = bundled_folder(edition_id)
        (folder / "form.json").write_text(prepared_text(folder / "form.yaml"), encoding="utf-8")
        sys.stdout.write(f"{folder / 'form.json'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
