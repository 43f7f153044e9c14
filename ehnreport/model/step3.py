"""Step 3: Stanse, forebygge eller redusere negativ påvirkning."""

from pydantic import Field

from ..form import CARD_FIELDS
from .base import MAX_ITEMS, Strict, Text, question


class Card(Strict):
    """3.A.1: one card per prioritised risk of 2.A.3."""

    risk: Text = Field(title="Prioritert risiko", description="Samme navn som risikoen i 2.A.3.")
    overall_goal: Text | None = Field(
        default=None, title=CARD_FIELDS["overall_goal"], description="Det langsiktige målet."
    )
    status: Text | None = Field(
        default=None, title=CARD_FIELDS["status"], description="Hvor langt dere har kommet."
    )
    year_goal: Text | None = Field(
        default=None, title=CARD_FIELDS["year_goal"], description="Målet for rapporteringsåret."
    )
    measures: Text | None = Field(
        default=None,
        title=CARD_FIELDS["measures"],
        description="Tiltakene som er iverksatt (første felt med denne ledeteksten).",
    )
    results: Text | None = Field(
        default=None,
        title=CARD_FIELDS["results"],
        description=(
            "Resultater, og mål og aktiviteter for neste år (andre felt med denne ledeteksten)."
        ),
    )


class Step3(Strict):
    """Trinn 3 – håndtering av prioritert påvirkning, og andre tiltak."""

    a1: list[Card] = question("3.A.1", default_factory=list, max_length=MAX_ITEMS)
    b1: Text | None = question("3.B.1")
    b2: Text | None = question("3.B.2")
    b3: Text | None = question("3.B.3")
    b4: Text | None = question("3.B.4")
    b5: Text | None = question("3.B.5")
    b6: Text | None = question("3.B.6")
    b7: Text | None = question("3.B.7")
