"""Step 4: Overvåking av gjennomføring og resultater."""

from pydantic import Field

from ..form import TABLE_COLUMNS
from .base import MAX_ROWS, Count, Strict, Text, question

_COLS = TABLE_COLUMNS["4.A.3"]


class FollowUpCount(Strict):
    """4.A.2: how many suppliers were followed up by one method on one topic."""

    method: Text = Field(
        title="Metode",
        description="For eksempel Egenrapportering av leverandører, Revisjon, Oppfølgingsmøte.",
    )
    topic: Text = Field(
        title="Tema", description="For eksempel Lønns og arbeidsvilkår, Lærling, Miljøkrav."
    )
    count: Count = Field(title="Antall", description="Antall leverandører, et helt tall.")


class FollowUp(Strict):
    """4.A.2: counts per method and topic, and free text."""

    counts: list[FollowUpCount] = Field(
        default_factory=list,
        max_length=MAX_ROWS,
        title="Antall per metode og tema",
        description="Én linje per metode og tema.",
    )
    text: Text | None = Field(default=None, title="Kommentar", description="Fri tekst.")


class Deviation(Strict):
    """One row of table 4.A.3."""

    type: Text | None = Field(default=None, title=_COLS[0], description="Hva slags avvik.")
    where: Text | None = Field(
        default=None, title=_COLS[1], description="Hvor i leverandørkjeden avviket ble funnet."
    )
    action: Text | None = Field(
        default=None, title=_COLS[2], description="Hva som er gjort for å rette avviket."
    )
    status: Text | None = Field(
        default=None, title=_COLS[3], description="Hvor langt rettingen har kommet."
    )


class Deviations(Strict):
    """4.A.3: the deviations found in the year, and a comment."""

    rows: list[Deviation] = Field(
        default_factory=list, max_length=MAX_ROWS, title="Avvik", description="Én rad per avvik."
    )
    comment: Text | None = Field(
        default=None,
        title="Kommentar",
        description="Fri tekst, for eksempel at ingen avvik ble funnet.",
    )


class Step4(Strict):
    """Trinn 4 – overvåke og evaluere."""

    a1: Text | None = question("4.A.1")
    a2: FollowUp | None = question("4.A.2")
    a3: Deviations | None = question("4.A.3")
