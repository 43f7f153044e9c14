"""Every diagnostic code the package makes: its severity and what it means for the user.

A `Diagnostic` with a code not listed here, or with a severity its code is not made
with, is refused when it is made (see errors.py): a new check must add its code here,
with a sentence for the rule lists of SARIF and for the guide. The suite shows every
report code in a golden file and pins every edition code in a test.
"""

from __future__ import annotations

from typing import Literal, NamedTuple

Severity = Literal["error", "warning", "both"]


class Code(NamedTuple):
    """How a code is made ("both" when some places warn and others fail) and what it means."""

    severity: Severity
    description: str


# From checking a report: reading the file and its YAML (loader), the fields
# (diagnostics), the answers against each other (checks), what is left to write
# (completeness), the layout and the images (content, markdown) and building.
REPORT_CODES: dict[str, Code] = {
    # Reading the file and its YAML.
    "file-too-large": Code("error", "Filen er større enn tillatt."),
    "encoding": Code("error", "Filen er ikke lagret som UTF-8-tekst."),
    "yaml-syntax": Code("error", "Filen er ikke gyldig YAML."),
    "yaml-tag": Code("error", "YAML-tagger (som !!python) er ikke tillatt."),
    "yaml-alias": Code("error", "En YAML-referanse (*navn) viser til noe som ikke er definert."),
    "yaml-merge": Code("error", "YAML-sammenslåing (<<) er ikke tillatt."),
    "multiple-documents": Code("error", "Filen har mer enn ett YAML-dokument."),
    "too-deep": Code("error", "Rapporten er for dypt nestet."),
    "too-large": Code("error", "Rapporten blir for stor når referansene foldes ut."),
    "bad-key": Code("error", "En nøkkel er ikke en enkel tekst."),
    "duplicate-key": Code("error", "Samme nøkkel står to ganger."),
    "control-character": Code("error", "En tekst inneholder et kontrolltegn."),
    "comment-value": Code("warning", "En verdi som begynner med #, leses som en kommentar."),
    "folded-text": Code("warning", "Tekst over flere linjer er skrevet uten |."),
    "not-a-report": Code("error", "Filen er tom eller ikke en rapport."),
    # The fields.
    "unknown-key": Code("error", "Nøkkelen finnes ikke i skjemaet."),
    "missing": Code("error", "Et påkrevd felt mangler eller er tomt."),
    "wrong-type": Code("error", "Verdien er av feil slag (tekst, tall, liste eller gruppe)."),
    "negative": Code("error", "Et tall er negativt."),
    "not-allowed": Code("error", "Verdien er ikke blant de tillatte."),
    "too-long": Code("error", "Teksten er for lang."),
    "too-many": Code("error", "Listen har for mange elementer."),
    "invalid-value": Code("error", "Verdien er ugyldig."),
    # The answers against each other.
    "card-without-risk": Code(
        "warning", "Et kort i 3.A.1 har ingen risiko med samme navn i 2.A.3."
    ),
    "risk-without-card": Code("warning", "En risiko i 2.A.3 har ikke noe kort i 3.A.1."),
    "card-order": Code(
        "warning", "Kortene i 3.A.1 står ikke i samme rekkefølge som risikoene i 2.A.3."
    ),
    "unknown-theme": Code("warning", "Temaet er ikke blant de kjente temaene."),
    "future-year": Code("warning", "Rapporteringsåret er ikke begynt ennå."),
    "logo": Code(
        "both", "Logoen er ikke et bilde i rapportens mappe (ved bygging: forsiden får ingen logo)."
    ),
    "placeholder": Code("warning", "Teksten «ehnreport init» satte inn, står igjen."),
    "quoted-text": Code("warning", "En tekst som skrives ut i « », har egne anførselstegn."),
    # What is left to write.
    "unanswered": Code("warning", "Et spørsmål i skjemaet er ikke besvart."),
    "empty-card": Code("warning", "Et kort i 3.A.1 har ingen utfylte felt."),
    # The layout and the images.
    "markdown-limit": Code(
        "error", "Et svar eller rapporten er for langt eller har for store tabeller."
    ),
    "image-limit": Code("error", "Bildene i rapporten er til sammen for store."),
    "image-refused": Code("warning", "Et bilde kan ikke brukes og er utelatt."),
    "image-alt": Code("warning", "Et bilde mangler alternativ tekst og er utelatt."),
    "link-refused": Code("warning", "En lenke er ikke tillatt og vises som tekst."),
    # Building.
    "fetch-refused": Code(
        "warning", "PDF-en skulle hente noe utenfor rapportens mappe; det er utelatt."
    ),
}

# From checking the editions of a --forms folder.
EDITION_CODES: dict[str, Code] = {
    "forms-folder": Code("error", "Mappen med skjemautgaver finnes ikke eller har ingen utgaver."),
    "form-file": Code("error", "En form.yaml i mappen kan ikke leses."),
    "form-id": Code("error", "Utgavens id passer ikke med mappen, eller er en innebygd utgave."),
    "form-spec": Code(
        "error", "En skjemautgave har en feil (ukjent nøkkel, feil verdi, brutt regel)."
    ),
}

CODES: dict[str, Code] = {**REPORT_CODES, **EDITION_CODES}


def check(code: str, severity: str) -> None:
    """Raise ValueError unless `code` is registered and made with `severity`."""
    entry = CODES.get(code)
    if entry is None:
        raise ValueError(f"diagnostic code {code!r} is not registered in ehnreport/codes.py")
    if entry.severity != "both" and entry.severity != severity:
        raise ValueError(
            f"diagnostic code {code!r} is registered as {entry.severity}, not {severity}"
        )
