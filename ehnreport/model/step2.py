"""Step 2: Kartlegging av virksomhetens påvirkning på mennesker, dyr, samfunn og miljø."""

from typing import Annotated

from pydantic import BeforeValidator, Field, WithJsonSchema

from ..form import TABLE_COLUMNS
from .base import MAX_ITEMS, MAX_ROWS, MAX_THEMES, Count, Strict, Text, question

_COLS = TABLE_COLUMNS


def _yes_no(v: object) -> object:
    """«Ja»/«Nei» in any letter case, or true/false, as a boolean."""
    if isinstance(v, str):
        word = v.strip().casefold()
        if word == "ja":
            return True
        if word == "nei":
            return False
    return v


# The schema says what the validator accepts, so editors do not flag «Ja» and «Nei».
YesNo = Annotated[
    bool,
    Field(strict=True),
    BeforeValidator(_yes_no),
    WithJsonSchema({"enum": ["Ja", "Nei", "ja", "nei", "JA", "NEI", True, False]}),
]


class Requirement(Strict):
    """One row of table 2.A.2."""

    procurement: Text = Field(
        title=_COLS["2.A.2"][0], description="Typen anskaffelse eller avtale."
    )
    suppliers: Count | None = Field(
        default=None, title=_COLS["2.A.2"][1], description="Et helt tall."
    )
    qualification: YesNo | None = Field(
        default=None, title=_COLS["2.A.2"][2], description="Ja eller Nei."
    )
    award: YesNo | None = Field(default=None, title=_COLS["2.A.2"][3], description="Ja eller Nei.")
    contract: YesNo | None = Field(
        default=None, title=_COLS["2.A.2"][4], description="Ja eller Nei."
    )


class Requirements(Strict):
    """2.A.2: the table of ethical and social requirements, and a comment."""

    rows: list[Requirement] = Field(
        default_factory=list,
        max_length=MAX_ROWS,
        title="Rader",
        description="Én rad per type anskaffelse.",
    )
    comment: Text | None = Field(
        default=None, title="Kommentar", description="Fri tekst under tabellen."
    )


class Risk(Strict):
    """One prioritised risk of table 2.A.3."""

    name: Text = Field(
        title=_COLS["2.A.3"][0], description="Navnet på risikoen; brukes også i 3.A.1."
    )
    themes: list[Text] = Field(
        default_factory=list,
        max_length=MAX_THEMES,
        title=_COLS["2.A.3"][1],
        description="Ett eller flere tema, for eksempel Miljø, Utslipp, Lønn, Arbeidstid.",
    )
    geography: Text | None = Field(
        default=None, title=_COLS["2.A.3"][2], description="For eksempel Globalt eller Norge."
    )


class Risks(Strict):
    """2.A.3: the prioritised risks, and a comment."""

    risks: list[Risk] = Field(
        default_factory=list,
        max_length=MAX_ITEMS,
        title="Prioriterte risikoer",
        description="Én rad per prioritert risiko.",
    )
    comment: Text | None = Field(
        default=None, title="Kommentar", description="Fri tekst under tabellen."
    )


class Step2(Strict):
    """Trinn 2 – kartlegging og prioritering."""

    a1: Text | None = question("2.A.1")
    a2: Requirements | None = question("2.A.2")
    a3: Risks | None = question("2.A.3")
    a4: Text | None = question("2.A.4")
