"""The strict base model and the shared value types every edition's models use."""

from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

from ..messages import Msg, msg


class InvalidValue(ValueError):
    """A validator's refusal of a value, carrying what to say (diagnostics.py shows it)."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message)
        self.msg = message

    def __str__(self) -> str:
        return self.msg.text()


class Strict(BaseModel):
    """Base of every model: unknown keys are errors, values are not coerced."""

    model_config = ConfigDict(
        extra="forbid",
        frozen=True,
        str_strip_whitespace=False,
        validate_default=False,
        json_schema_mode_override="validation",
        defer_build=True,
    )


_FORBIDDEN_IN_EMAIL = set(' \t\n<>()[],;:"')


def _host_ok(host: str) -> bool:
    labels = host.split(".")
    return (
        len(labels) >= 2
        and all(
            label
            and not label.startswith("-")
            and not label.endswith("-")
            and label.replace("-", "").isalnum()
            for label in labels
        )
        and labels[-1].isalpha()
        and len(labels[-1]) >= 2
    )


def _email(value: str) -> str:
    value = value.strip()
    local, _, host = value.rpartition("@")
    if not local or _FORBIDDEN_IN_EMAIL & set(local) or "@" in local or not _host_ok(host):
        raise InvalidValue(msg("fields.email", value=value))
    return value


def _url(value: str) -> str:
    value = value.strip()
    scheme, sep, rest = value.partition("://")
    host = rest.split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
    host = (
        host.rsplit(":", 1)[0]
        if host.count(":") == 1 and host.rsplit(":", 1)[1].isdigit()
        else host
    )
    if (
        scheme not in ("http", "https")
        or not sep
        or not _host_ok(host)
        or any(c.isspace() for c in value)
    ):
        raise InvalidValue(msg("fields.url", value=value))
    return value


# Every answer is Markdown text; an empty answer is allowed and printed as EHN prints it.
Text = str
Email = Annotated[str, AfterValidator(_email)]
Url = Annotated[str, AfterValidator(_url)]
Count = Annotated[int, Field(strict=True, ge=0)]
# How many rows, goals, risks and cards one report may hold, as the bundled edition
# sets them (each table's max_rows, each list's max_items). Far above any real report
# (NTNU has 3 goals, 4 risks, 1 table row), they keep a build of a hostile or
# generated file to seconds and a few hundred MiB (see SECURITY.md).
MAX_ROWS = 200  # table rows, follow-up counts
MAX_ITEMS = 50  # goals, prioritised risks and their 3.A.1 cards (each card is a page)
MAX_THEMES = 30  # themes of one risk


def is_answered(value: Any) -> bool:
    """Whether an answer holds anything worth printing."""
    if value is None:
        return False
    if isinstance(value, str):
        return bool(value.strip())
    if isinstance(value, (list, tuple)):
        return any(is_answered(v) for v in value)
    if isinstance(value, BaseModel):
        return any(is_answered(getattr(value, f)) for f in type(value).model_fields)
    return True
