"""Every diagnostic code the package makes: its severity and what it means for the user.

A `Diagnostic` with a code not listed here, or with a severity its code is not made
with, is refused when it is made (see errors.py): a new check must add its code here,
and a sentence in every language to ehnreport/messages/codes.yaml for the rule lists
of SARIF and for the guide. The suite shows every report code in a golden file and
pins every edition code in a test.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

from .messages import Msg, render

Severity = Literal["error", "warning", "both"]


class Code(NamedTuple):
    """How a code is made ("both" when some places warn and others fail) and what it means."""

    severity: Severity
    name: str

    def describe(self, lang: str | None = None) -> str:
        """What the code means, in `lang` (default: the chosen language)."""
        return render(Msg(f"codes.{self.name}"), lang)

    @property
    def description(self) -> str:
        return self.describe()


def _codes(severities: dict[str, Severity]) -> dict[str, Code]:
    return {name: Code(severity, name) for name, severity in severities.items()}


# From checking a report: reading the file and its YAML (loader), the fields
# (diagnostics), the answers against each other (checks), what is left to write
# (completeness), the layout and the images (content, markdown) and building.
REPORT_CODES: dict[str, Code] = _codes(
    {
        # Reading the file and its YAML.
        "file-too-large": "error",
        "encoding": "error",
        "yaml-syntax": "error",
        "yaml-tag": "error",
        "yaml-alias": "error",
        "yaml-merge": "error",
        "multiple-documents": "error",
        "too-deep": "error",
        "too-large": "error",
        "bad-key": "error",
        "duplicate-key": "error",
        "control-character": "error",
        "comment-value": "warning",
        "folded-text": "warning",
        "not-a-report": "error",
        # The fields.
        "unknown-key": "error",
        "missing": "error",
        "wrong-type": "error",
        "negative": "error",
        "not-allowed": "error",
        "too-long": "error",
        "too-many": "error",
        "invalid-value": "error",
        # The answers against each other.
        "card-without-risk": "warning",
        "risk-without-card": "warning",
        "card-order": "warning",
        "unknown-theme": "warning",
        "future-year": "warning",
        "logo": "both",
        "placeholder": "warning",
        "quoted-text": "warning",
        # What is left to write.
        "unanswered": "warning",
        "empty-card": "warning",
        # The layout and the images.
        "markdown-limit": "error",
        "image-limit": "error",
        "image-refused": "warning",
        "image-alt": "warning",
        "link-refused": "warning",
        # Building.
        "fetch-refused": "warning",
    }
)

# From checking the editions of a --forms folder.
EDITION_CODES: dict[str, Code] = _codes(
    {
        "forms-folder": "error",
        "form-file": "error",
        "form-id": "error",
        "form-spec": "error",
    }
)

CODES: dict[str, Code] = {**REPORT_CODES, **EDITION_CODES}


def check(code: str, severity: str) -> None:
    """Raise ValueError unless `code` is registered and made with `severity`."""
    entry = CODES.get(code)
    if entry is None:
        raise ValueError(f"diagnostic code {code!r} is not registered in ehnreport/codes.py")
    if entry.severity != "both" and entry.severity != severity:
        raise ValueError(
            f"diagnostic code {code!r} is registered as {entry.severity}, not {severity}"
        )
