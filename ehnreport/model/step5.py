"""Step 5: Kommunikasjon av hvordan negativ påvirkning/skade er håndtert."""

from .base import Strict, Text, question


class Step5(Strict):
    """Trinn 5 – kommunisere eksternt."""

    a1: Text | None = question("5.A.1")
