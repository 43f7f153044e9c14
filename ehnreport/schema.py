"""The JSON Schema of a report file, generated from an edition's models."""

from __future__ import annotations

import json
from typing import Any

from .forms import DEFAULT, load_edition
from .model import report_model


def json_schema(edition_id: str = DEFAULT, language: str | None = None) -> dict[str, Any]:
    """The schema of a report on the edition `edition_id` (KeyError when unknown), its
    titles and descriptions in `language` (default: the edition's first)."""
    model = report_model(load_edition(edition_id), language)
    schema = model.model_json_schema(mode="validation")
    # The modeline comment is the only key-less thing; allow editors a $schema key too.
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text(edition_id: str = DEFAULT, language: str | None = None) -> str:
    """The schema as the text `ehnreport schema` writes."""
    schema = json_schema(edition_id, language)
    return json.dumps(schema, ensure_ascii=False, indent=2, sort_keys=False) + "\n"
