"""Pydantic models of a report, built per form edition from the edition's data."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from ..forms import DEFAULT, Edition, known_editions, load_edition
from .factory import report_model

__all__ = ["Report", "edition_for", "edition_of", "model_for", "report_model"]

# A report's model is built from its edition at run time, so code outside the models
# reads a report as data of that model (type checkers see Any).
Report = Any


def edition_for(data: Any) -> Edition:
    """The edition a report's data names, or the default one when it names none we know.

    With the default, validation reports the unknown edition at the `form:` line.
    """
    form = data.get("report") if isinstance(data, dict) else None
    edition_id = form.get("form") if isinstance(form, dict) else None
    if isinstance(edition_id, str) and edition_id in known_editions():
        return load_edition(edition_id)
    return load_edition(DEFAULT)


def model_for(data: Any) -> type[BaseModel]:
    """The model to validate a report's data with: its edition's."""
    return report_model(edition_for(data))


def edition_of(report: BaseModel) -> Edition:
    """The edition a validated report follows."""
    edition_id: str = report.report.form  # type: ignore[attr-defined]
    return load_edition(edition_id)
