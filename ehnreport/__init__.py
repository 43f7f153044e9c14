"""ehnreport: an EHN member's annual due-diligence report as one YAML file,
validated against the form and built into an accessible PDF and HTML.

Library use::

    from ehnreport import check_file
    result = check_file(Path("report.yaml"))
"""

from __future__ import annotations

__version__ = "0.1.0"

from .validate import CheckResult, check_file  # noqa: E402

__all__ = ["CheckResult", "__version__", "check_file"]
