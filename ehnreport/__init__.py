"""ehnreport: an EHN member's annual due-diligence report as one YAML file,
validated against the form and built into an accessible PDF and HTML.

Library use::

    from ehnreport import check_file
    result = check_file(Path("report.yaml"))
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

__all__ = ["CheckResult", "__version__", "check_file"]

if TYPE_CHECKING:
    from .validate import CheckResult, check_file


def __getattr__(name: str) -> Any:
    """`check_file` and `CheckResult`, imported on first use.

    Importing the package stays cheap, so that the command line can start before the
    checking machinery (pydantic, the models) is loaded.
    """
    if name in ("CheckResult", "check_file"):
        from . import validate

        return getattr(validate, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
