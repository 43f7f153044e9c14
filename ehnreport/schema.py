"""The JSON Schema of a report file, generated from an edition's models."""

from __future__ import annotations

import json
from typing import Any

from .forms import DEFAULT, load_edition
from .model import report_model


def json_schema(edition_id: str = DEFAULT) -> dict[str, Any]:
    """The schema of a report on the edition `edition_id` (KeyError when unknown)."""
    schema = report_model(load_edition(edition_id)).model_json_schema(mode="validation")
    # The modeline comment is the only key-less thing; allow editors a $schema key too.
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text(edition_id: str = DEFAULT) -> str:
    return json.dumps(json_schema(edition_id), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
