"""Checks across fields that the models alone cannot express."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from . import images
from .diagnostics import SUGGESTIONS, did_you_mean
from .errors import Diagnostic
from .form import KNOWN_THEMES
from .loader import Loaded, Path_, format_path
from .model import Report
from .paths import inside


def cross_checks(
    report: Report, loaded: Loaded, file: str, folder: Path, today: dt.date | None = None
) -> list[Diagnostic]:
    out: list[Diagnostic] = []

    def add(severity: str, code: str, path: Path_, message: str) -> None:
        line, col = loaded.where(path)
        out.append(Diagnostic(line, col, severity, code, format_path(path), message, file))

    # Suggestions cost time; a hostile file can ask for one per value, so only the
    # first SUGGESTIONS problems get one.
    suggestions = SUGGESTIONS

    def suggest(word: str, choices: list[str] | tuple[str, ...]) -> str:
        nonlocal suggestions
        if suggestions <= 0:
            return ""
        suggestions -= 1
        return did_you_mean(word, choices)

    # 3.A.1 cards against 2.A.3 risks: same names, same order.
    s2 = report.steps.step2.a3
    risks = [r.name.strip() for r in s2.risks] if s2 else []
    cards = [c.risk.strip() for c in report.steps.step3.a1]
    risk_set, card_set = set(risks), set(cards)
    for i, name in enumerate(cards):
        if name not in risk_set:
            add(
                "warning",
                "card-without-risk",
                ("steps", "step3", "a1", i, "risk"),
                f"kortet «{name}» i 3.A.1 har ingen risiko med samme navn i 2.A.3."
                f"{suggest(name, risks)}",
            )
    for i, name in enumerate(risks):
        if name not in card_set:
            add(
                "warning",
                "risk-without-card",
                ("steps", "step2", "a3", "risks", i, "name"),
                f"risikoen «{name}» i 2.A.3 har ikke noe kort i 3.A.1. Legg til et kort med "
                "samme navn.",
            )
    common_cards = [c for c in cards if c in risk_set]
    common_risks = [r for r in risks if r in card_set]
    if common_cards != common_risks:
        add(
            "warning",
            "card-order",
            ("steps", "step3", "a1"),
            "kortene i 3.A.1 står ikke i samme rekkefølge som risikoene i 2.A.3: "
            + ", ".join(f"«{r}»" for r in common_risks)
            + ".",
        )

    # Themes outside the known list: allowed, but often a typo.
    known = {t.casefold() for t in KNOWN_THEMES}
    for i, risk in enumerate(s2.risks if s2 else []):
        for j, theme in enumerate(risk.themes):
            if theme.strip().casefold() not in known:
                add(
                    "warning",
                    "unknown-theme",
                    ("steps", "step2", "a3", "risks", i, "themes", j),
                    f"«{theme}» er ikke blant de kjente temaene.{suggest(theme, KNOWN_THEMES)}",
                )

    # The reporting year: in the future is almost always a typo.
    today = today or dt.date.today()
    if report.report.year > today.year:
        add(
            "warning",
            "future-year",
            ("report", "year"),
            f"rapporteringsåret {report.report.year} er ikke begynt ennå.",
        )

    # The logo must be a file inside the report's folder.
    logo = report.member.logo
    if logo:
        problem = local_file_problem(logo, folder)
        if problem:
            add("error", "logo", ("member", "logo"), problem)
    return out


def local_file_problem(name: str, folder: Path) -> str | None:
    """Why `name` is not a readable file inside `folder`, or None if it is."""
    if "://" in name or name.startswith(("data:", "file:")):
        return f"«{name}» må være et filnavn i rapportens mappe, ikke en nettadresse."
    if "\x00" in name:
        return "filnavnet inneholder en NUL-byte (\\0) og kan ikke være et filnavn."
    try:
        target = (folder / name).resolve()
        root = folder.resolve()
    except (OSError, RuntimeError, ValueError):
        return f"«{name}» kan ikke leses."
    if target != root and not inside(target, root):
        return f"«{name}» ligger utenfor rapportens mappe; bare filer i mappen kan brukes."
    try:
        is_file = target.is_file()
    except (OSError, ValueError):  # a name too long for the file system, and the like
        is_file = False
    if not is_file:
        return f"fant ikke filen «{name}» i rapportens mappe."
    image = images.read(name, folder)  # the type and cost checks the build makes
    return image if isinstance(image, str) else None
