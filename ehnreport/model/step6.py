"""Step 6: Gjenoppretting der dette er påkrevd."""

from .base import Strict, Text, question


class Step6(Strict):
    """Trinn 6 – gjenoppretting og tilgang til klagemekanismer."""

    a1: Text | None = question("6.A.1")
    a2: Text | None = question("6.A.2")
    b1: Text | None = question("6.B.1")
