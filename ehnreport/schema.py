"""The JSON Schema of a report file, generated from the models."""

from __future__ import annotations

import json
from typing import Any

from .model import Report


def json_schema() -> dict[str, Any]:
    schema = Report.model_json_schema(mode="validation")
    # The modeline comment is the only key-less thing; allow editors a $schema key too.
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    return schema


def schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
