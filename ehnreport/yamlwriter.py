"""Block YAML that ehnreport's loader reads back as exactly the data that was written.

One writer for every command that writes a report or an edition file (`init`, and
the edition files under ehnreport/forms/), so that what is written is what the
loader reads: plain scalars only where they stay text, numbers and booleans only as
the loader reads them, and multi-line text as `|` blocks.
"""

from __future__ import annotations

import json
import re
from typing import Any

INDENT = 2
_NOT_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@`")
CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_BLOCK_UNSAFE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\u2028\u2029\ufeff]")


def scalar(value: Any, flow: bool = False) -> str:
    """A YAML scalar that ehnreport's loader reads back as exactly `value`."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if plain_ok(text, flow):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    # JSON leaves C1 controls and the Unicode line separators as they are; YAML does not.
    return re.sub(r"[\x7f-\x9f\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04x}", quoted)


def plain_ok(text: str, flow: bool = False) -> bool:
    """Whether `text` can stand unquoted and stay text, as written."""
    if not text or text != text.strip() or text[0] in _NOT_PLAIN_START:
        return False
    if ": " in text or " #" in text or text.endswith(":") or CONTROL.search(text):
        return False
    if "\u2028" in text or "\u2029" in text:  # line breaks to YAML: the text would end there
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    if text in ("~", "null", "Null", "NULL", "true", "false", "True", "False"):
        return False
    return not re.fullmatch(r"[-+0-9._: ]+", text)


def key_value(key: str, value: Any, indent: int = 0) -> list[str]:
    """`key: value` as block YAML lines at `indent` spaces."""
    pad = " " * indent
    head = f"{pad}{scalar(key)}:"
    if isinstance(value, dict):
        if not value:
            return [head + " {}"]
        return [head] + [ln for k, v in value.items() for ln in key_value(k, v, indent + INDENT)]
    if isinstance(value, (list, tuple)):
        if not value:
            return [head + " []"]
        if all(_short_scalar(v) for v in value):
            return [f"{head} [{', '.join(scalar(v, flow=True) for v in value)}]"]
        return [head] + items(value, indent + INDENT)
    if _block_ok(value):
        return [head + " " + _block_header(value)] + _block_body(value, indent + INDENT)
    return [f"{head} {scalar(value)}"]


def items(values: list[Any] | tuple[Any, ...], indent: int) -> list[str]:
    """A block sequence at `indent` spaces."""
    pad = " " * indent
    lines: list[str] = []
    for item in values:
        if isinstance(item, dict) and item:
            body = [ln for k, v in item.items() for ln in key_value(k, v, indent + INDENT)]
            lines.append(f"{pad}- {body[0][indent + INDENT :]}")
            lines.extend(body[1:])
        elif isinstance(item, (list, tuple)) and item:
            body = items(item, indent + INDENT)
            lines.append(f"{pad}- {body[0][indent + INDENT :]}")
            lines.extend(body[1:])
        elif _block_ok(item):
            lines.append(f"{pad}- {_block_header(item)}")
            lines.extend(_block_body(item, indent + INDENT))
        else:
            lines.append(f"{pad}- {_empty_or_scalar(item)}")
    return lines


def _empty_or_scalar(value: Any) -> str:
    if isinstance(value, dict):
        return "{}"
    if isinstance(value, (list, tuple)):
        return "[]"
    return scalar(value)


def dump(data: dict[str, Any]) -> str:
    """A mapping as a block YAML document."""
    return "\n".join(ln for k, v in data.items() for ln in key_value(k, v)) + "\n"


def _short_scalar(value: Any) -> bool:
    return (
        value is None
        or isinstance(value, (bool, int))
        or (isinstance(value, str) and "\n" not in value and len(value) <= 40)
    )


def _block_ok(value: Any) -> bool:
    """Whether a text is written as a `|` block: it has a line break it keeps exactly."""
    if not isinstance(value, str) or "\n" not in value or not value.strip("\n"):
        return False
    if _BLOCK_UNSAFE.search(value) or "\r" in value or "\t" in value:
        return False
    lines = value.rstrip("\n").split("\n")
    # The first line with text sets the block's indentation: it cannot start with a space.
    first = next(ln for ln in lines if ln)
    return not first.startswith(" ") and all(ln == ln.rstrip() for ln in lines)


def _block_header(text: str) -> str:
    """`|`, `|-` or `|+`: how the block ends, so that the text's last line breaks stay."""
    if not text.endswith("\n"):
        return "|-"
    return "|+" if text.endswith("\n\n") else "|"


def _block_body(text: str, indent: int) -> list[str]:
    pad = " " * indent
    body = text[:-1] if text.endswith("\n") else text
    return [f"{pad}{ln}" if ln else "" for ln in body.split("\n")]
