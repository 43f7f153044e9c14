"""Reports made from a seed: every part and structure filled with plain Norwegian-like text.

The same seed always gives the same report, so a test that builds and reads them back
is deterministic. Texts are plain words, lists and line breaks: what members write.
"""

from __future__ import annotations

import random
from typing import Any

from ehnreport.forms import DEFAULT, load_edition
from ehnreport.importer import formview

EDITION = load_edition(DEFAULT)
GOAL_STATUSES = tuple(formview.goal_statuses(EDITION))
KNOWN_THEMES = formview.themes(EDITION)

WORDS = (
    "leverandør avtale kontrakt oppfølging risiko innkjøp kommune arbeid lønn miljø "
    "tiltak plan rutine møte krav rapport kurs ansatte enhet område sektor tjeneste "
    "varer produksjon fabrikk underleverandør kartlegging vurdering dialog revisjon "
    "egenrapportering retningslinjer strategi målet året arbeidstid forhold kontroll "
    "dokumentasjon tilbud konkurranse bærekraft menneskerettigheter etikk ansvar "
    "prosess system verktøy erfaring resultat status byggeplass transport mat klær"
).split()
SMALL = "og i på for med til som av er har vi skal blir fra om".split()
GEOGRAPHY = ("Norge", "Europa", "Asia", "Globalt", "Sør-Amerika", "Afrika")
METHODS = ("Egenrapportering", "Revisjon", "Oppfølgingsmøte")


class Gen:
    def __init__(self, seed: int):
        self.r = random.Random(seed)

    def words(self, n: int) -> str:
        out = []
        for i in range(n):
            out.append(self.r.choice(SMALL if i % 3 == 1 else WORDS))
        return " ".join(out)

    def sentence(self) -> str:
        text = self.words(self.r.randint(5, 16))
        return text[0].upper() + text[1:] + "."

    def name(self) -> str:
        text = self.words(self.r.randint(1, 4))
        return text[0].upper() + text[1:]

    def paragraph(self) -> str:
        return " ".join(self.sentence() for _ in range(self.r.randint(1, 4)))

    def text(self) -> str:
        """Free text: paragraphs, sometimes a line break or a list."""
        blocks = []
        for _ in range(self.r.randint(1, 3)):
            kind = self.r.random()
            if kind < 0.2:
                blocks.append(
                    "\n".join("- " + self.sentence() for _ in range(self.r.randint(2, 4)))
                )
            elif kind < 0.35:
                blocks.append(self.sentence() + "\n" + self.sentence())
            elif kind < 0.45:
                # A link whose text is not its address: the address is only in the PDF's
                # link annotation.
                page = self.r.choice(WORDS)
                blocks.append(f"Se [{self.name().lower()}](https://example.no/{page}) for mer.")
            else:
                blocks.append(self.paragraph())
        return "\n\n".join(blocks) + "\n"

    def maybe(self, p: float = 0.8) -> bool:
        return self.r.random() < p


def report(seed: int) -> dict[str, Any]:
    """A valid report's data, different for every seed."""
    g = Gen(seed)
    member = f"{g.name()} kommune"
    short = member[:40].strip()
    data: dict[str, Any] = {
        "report": {"year": 2020 + seed % 5, "form": "ehn-public-2024", "language": "nb"},
        "member": {"name": member, "short_name": short},
        "foreword": {"text": g.text(), "name": "Kari Nordmann", "title": "Rådmann"},
        "key_info": {
            "name": member,
            "address": f"Storgata {g.r.randint(1, 99)}, {g.r.randint(1000, 9999)} Byen",
            "employees": g.r.randint(10, 20000),
            "contact": "Ola Nordmann, rådgiver",
            "email": "ola.nordmann@example.no",
            "structure": g.text(),
        },
        "procurement": {
            "total_value": g.r.randint(10**6, 10**10),
            "active_agreements": g.r.randint(1, 2000),
            "followed_up_agreements": g.r.randint(0, 300),
        },
    }
    current = []
    for _ in range(g.r.randint(1, 4)):
        goal: dict[str, Any] = {"text": g.sentence()}
        if g.maybe(0.7):
            goal["status"] = g.r.choice(GOAL_STATUSES)
        if g.maybe(0.6) or "status" not in goal:
            goal["comment"] = g.sentence()
        current.append(goal)
    data["goals"] = {
        "current": current,
        "next_year": [g.sentence() for _ in range(g.r.randint(1, 3))],
    }
    steps: dict[str, Any] = {}
    risks = [
        {
            "name": f"Risiko {i + 1}: {g.name()}",
            "themes": g.r.sample(KNOWN_THEMES, g.r.randint(1, 4)),
            "geography": g.r.choice(GEOGRAPHY),
        }
        for i in range(g.r.randint(1, 3))
    ]
    for step in EDITION.steps:
        answers: dict[str, Any] = {}
        for q in step.questions:
            if not g.maybe(0.75):
                continue
            if q.kind == "url":
                answers[q.key] = f"https://example.no/{g.r.choice(WORDS)}"
            elif q.code == "2.A.2":
                answers[q.key] = {
                    "rows": [
                        {
                            "procurement": g.name(),
                            "suppliers": g.r.randint(1, 40),
                            "qualification": g.r.choice(("Ja", "Nei")),
                            "award": g.r.choice(("Ja", "Nei")),
                            "contract": g.r.choice(("Ja", "Nei")),
                        }
                        for _ in range(g.r.randint(1, 3))
                    ],
                    "comment": g.text(),
                }
            elif q.code == "2.A.3":
                answers[q.key] = {"risks": risks, "comment": g.text()}
            elif q.kind == "cards":
                answers[q.key] = [
                    {
                        "risk": r["name"],
                        **{
                            k: g.text()
                            for k in ("overall_goal", "status", "year_goal", "measures", "results")
                            if g.maybe(0.6)
                        },
                    }
                    for r in risks
                ]
            elif q.table is not None and q.table.layout == "grouped":
                counts = [
                    {"method": g.r.choice(METHODS), "topic": g.name(), "count": g.r.randint(0, 500)}
                    for _ in range(g.r.randint(1, 4))
                ]
                # Members write the counts method by method, as the report prints them.
                counts.sort(key=lambda c: METHODS.index(c["method"]))
                answers[q.key] = {"counts": counts, "text": g.text()}
            elif q.code == "4.A.3":
                answers[q.key] = {
                    "rows": [
                        {
                            "type": g.name(),
                            "where": g.name(),
                            "action": g.sentence(),
                            "status": g.r.choice(("Lukket", "Åpen", "Under arbeid")),
                        }
                        for _ in range(g.r.randint(1, 2))
                    ]
                }
            else:
                answers[q.key] = g.text()
        steps[step.key] = answers
    data["steps"] = steps
    data["contact"] = {"name": "Ola Nordmann", "email": "ola.nordmann@example.no"}
    return data
