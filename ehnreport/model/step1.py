"""Step 1: Forankring av ansvarlighet i virksomheten."""

from .base import Strict, Text, Url, question


class Step1(Strict):
    """Trinn 1 – forankring: policy, organisering, planer, leverandørsamarbeid, erfaringer."""

    a1: Url | None = question("1.A.1")
    a2: Text | None = question("1.A.2")
    b1: Text | None = question("1.B.1")
    b2: Text | None = question("1.B.2")
    c1: Text | None = question("1.C.1")
    d1: Text | None = question("1.D.1")
    d2: Text | None = question("1.D.2")
    e1: Text | None = question("1.E.1")
