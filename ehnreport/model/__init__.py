"""Pydantic models of the EHN report form: one module per OECD step."""

from .report import Report, Steps

__all__ = ["Report", "Steps"]
