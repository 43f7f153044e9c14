"""The parts of the report outside the six steps: metadata, member, foreword,
key information, procurement figures, goals and the back page."""

import datetime as dt
import re
from typing import Annotated, Literal

from pydantic import BeforeValidator, Field, WithJsonSchema, field_validator

from ..form import FORM_EDITIONS, GOAL_STATUSES
from .base import MAX_ITEMS, Count, Email, Strict, Text, labelled

_HEX = re.compile(r"#[0-9a-fA-F]{6}\Z")


def _luminance(hex_colour: str) -> float:
    def channel(c: int) -> float:
        s = c / 255
        return s / 12.92 if s <= 0.03928 else ((s + 0.055) / 1.055) ** 2.4

    r, g, b = (int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_on_white(hex_colour: str) -> float:
    """WCAG 2.1 contrast ratio of a colour against white."""
    return 1.05 / (_luminance(hex_colour) + 0.05)


class Meta(Strict):
    """What the report is: year, form edition, language and presentation."""

    year: Annotated[int, Field(strict=True)] = labelled("report.year", required=True)
    form: Literal[FORM_EDITIONS] = labelled("report.form", required=True)  # type: ignore[valid-type]
    language: Literal["nb"] = labelled("report.language", default="nb")
    title: Text | None = labelled("report.title")
    accent: str | None = labelled("report.accent")
    date: dt.date | None = labelled("report.date")

    @field_validator("year")
    @classmethod
    def _plausible_year(cls, v: int) -> int:
        if not 2000 <= v <= 2100:
            raise ValueError(
                f"{v} er ikke et mulig rapporteringsår. Skriv året med fire sifre, som 2024."
            )
        return v

    @field_validator("accent")
    @classmethod
    def _accent(cls, v: str | None) -> str | None:
        if v is None:
            return v
        if not _HEX.match(v):
            raise ValueError(
                f'«{v}» er ikke en farge på formen "#RRGGBB", for eksempel "#00509e" '
                "(husk anførselstegnene: # starter ellers en kommentar)."
            )
        ratio = contrast_on_white(v)
        if ratio < 4.5:
            raise ValueError(
                f"fargen {v} har kontrast {ratio:.1f}:1 mot hvitt; universell utforming krever "
                "minst 4.5:1. Velg en mørkere farge."
            )
        return v.lower()


class Member(Strict):
    """The member organisation, as shown on the cover and in the footer."""

    name: Text = labelled("member.name", required=True, min_length=1)
    short_name: Text = labelled("member.short_name", required=True, min_length=1, max_length=40)
    logo: str | None = labelled("member.logo")
    logo_alt: Text | None = labelled("member.logo_alt")


class Foreword(Strict):
    """«Forord fra virksomhetsleder»: a quote with the leader's name and title."""

    text: Text | None = labelled("foreword.text")
    name: Text | None = labelled("foreword.name")
    title: Text | None = labelled("foreword.title")


class KeyInfo(Strict):
    """«Nøkkelinformasjon om virksomheten og leverandørkjeden»."""

    name: Text | None = labelled("key_info.name")
    address: Text | None = labelled("key_info.address")
    employees: Count | None = labelled("key_info.employees")
    contact: Text | None = labelled("key_info.contact")
    email: Email | None = labelled("key_info.email")
    structure: Text | None = labelled("key_info.structure")


class Procurement(Strict):
    """«Informasjon om anskaffelser/avtaler»."""

    total_value: Count | None = labelled("procurement.total_value")
    active_agreements: Count | None = labelled("procurement.active_agreements")
    followed_up_agreements: Count | None = labelled("procurement.followed_up_agreements")


def _status_word(v: object) -> object:
    """Accept the status words in any letter case: «forsinket» is «Forsinket»."""
    if isinstance(v, str):
        for word in GOAL_STATUSES:
            if v.strip().casefold() == word.casefold():
                return word
    return v


# The schema lists the words as written and in lower case, both of which are accepted.
GoalStatus = Annotated[
    Literal[GOAL_STATUSES],  # type: ignore[valid-type]
    BeforeValidator(_status_word),
    WithJsonSchema({"enum": [*GOAL_STATUSES, *(w.lower() for w in GOAL_STATUSES)]}),
]


class Goal(Strict):
    """One goal of the reporting year: the goal, a status word and/or a comment."""

    text: Text = labelled("goal.text", required=True)
    status: GoalStatus | None = labelled("goal.status")
    comment: Text | None = labelled("goal.comment")


class Goals(Strict):
    """«Mål og fremdrift»: goals of the year with status, and goals for next year."""

    current: list[Goal] = labelled("goals.current", default_factory=list, max_length=MAX_ITEMS)
    next_year: list[Text] = labelled("goals.next_year", default_factory=list, max_length=MAX_ITEMS)


class Contact(Strict):
    """The back page. Without it, the contact of the key information is used."""

    name: Text | None = labelled("contact.name")
    email: Email | None = labelled("contact.email")
