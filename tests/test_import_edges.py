"""`ehnreport import` at its edges: what it reads from each part of a portal text, and
what it marks as a place to check instead of guessing, dropping or inventing.

The texts here imitate the portal's PDF text for a fictional member, Vestvik kommune:
every label of the form on a line of its own, the answers under them, pages starting
with one space and a running footer with the short name. Each test fills in the
answers it is about and pins the data read, the warnings and the comments written.
"""

from __future__ import annotations

import datetime as dt
import errno
import os
import stat
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from ehnreport.cli import app
from ehnreport.errors import BuildError, InputFileError
from ehnreport.forms import DEFAULT, Edition, load_edition
from ehnreport.importer import (
    MAX_SOURCE,
    MAX_TEXT,
    build_data,
    count_answers,
    import_report,
    read_doc,
    summary,
)
from ehnreport.importer import formview as fv
from ehnreport.importer.portal import Doc, Imported, read, year_of
from ehnreport.importer.writer import report_yaml, write_checked
from ehnreport.loader import load_file

E = load_edition(DEFAULT)
TODAY = dt.date(2026, 3, 1)
runner = CliRunner()


def portal(
    answers: dict[str, list[str]] | None = None, *, footer: str = "Vestvik", e: Edition = E
) -> str:
    """A portal text with every label of the form, and `answers` under their code or part."""
    answers = answers or {}
    lines = [" Til lesere av rapporten", "En hilsen fra EHN til Vestvik.", ""]
    for key in ("foreword", "key_info", "procurement", "goals"):
        lines += [" " + fv.part_title(e, key), "", *answers.get(key, []), ""]
    for step in e.steps:
        lines += [f" {step.number} {fv.text(e, step.title)}", ""]
        for section in step.sections:
            lines += [f"{section.code} {fv.text(e, section.title)}", ""]
            lines += answers.get(section.code, [])
            for q in section.questions:
                lines += [f"{q.code} {fv.text(e, q.label)}", "", *answers.get(q.code, []), ""]
        lines += [f"  |  {footer}  |   {step.number + 4}"] if footer else []
    lines += [" " + fv.BACK, "", *answers.get("contact", [])]
    return "\n".join(lines) + "\n"


def imported(answers: dict[str, list[str]] | None = None, **kw: Any) -> Imported:
    return read(Doc.from_text(portal(answers, **kw)), E)


def warnings(im: Imported) -> list[str]:
    return [m.text("nb") for m in im.warnings]


def step(im: Imported, key: str, question: str) -> Any:
    return im.data.get("steps", {}).get(key, {}).get(question)


def test_an_empty_portal_text_reads_as_nothing_and_marks_nothing() -> None:
    im = imported()
    assert im.data == {
        "foreword": {"text": None, "name": None, "title": None},
        "key_info": {},
        "procurement": {},
        "goals": {"current": [], "next_year": []},
        "contact": {},
    }
    assert im.warnings == [] and im.notes == {}
    assert (im.short_name, im.member_name, im.year) == ("Vestvik", None, None)


# -- the parts before the steps ----------------------------------------------------------

KEY_INFO = "Nøkkelinformasjon om virksomheten"


def _key_info(label: str, *value: str) -> list[str]:
    return [label, "", *value, ""]


def test_key_figures_are_read_as_written_and_numbers_as_numbers() -> None:
    im = imported(
        {
            "key_info": [
                KEY_INFO,
                "",
                *_key_info("Navn på virksomheten", "Vestvik kommune"),
                *_key_info("Adresse hovedkontor", "Rådhusgata 1,", "9999 Vestvik"),
                *_key_info("Antall ansatte", "1 250"),
                *_key_info("E-post adresse for kontaktperson for rapporten", "post@vestvik.no"),
                *_key_info(
                    "Beskrivelse av virksomhetens struktur",
                    "Vestvik har tre etater.",
                    "Hver etat kjøper inn selv.",
                ),
            ],
            "procurement": [
                *_key_info(
                    "Samlet verdi innkjøp av varer og tjenester i rapporteringsåret (NOK)",
                    "12.500.000",
                ),
                *_key_info("Totalt antall aktive anskaffelser/avtaler i rapporteringsåret", "0"),
            ],
        }
    )
    assert im.data["key_info"] == {
        "name": "Vestvik kommune",
        "address": "Rådhusgata 1, 9999 Vestvik",
        "employees": 1250,
        "email": "post@vestvik.no",
        "structure": "Vestvik har tre etater.\nHver etat kjøper inn selv.",
    }
    assert im.data["procurement"] == {"total_value": 12_500_000, "active_agreements": 0}
    assert im.warnings == []


@pytest.mark.parametrize(
    ("written", "number"),
    [("1 250", 1250), ("1.250", 1250), ("1\u00a0250", 1250), ("9" * 18, int("9" * 18))],
)
def test_a_number_is_read_with_its_group_separators(written: str, number: int) -> None:
    im = imported({"key_info": [KEY_INFO, "", *_key_info("Antall ansatte", written)]})
    assert im.data["key_info"] == {"employees": number}
    assert im.warnings == []


@pytest.mark.parametrize("written", ["1 250 og litt", "ca. 40", "9" * 19, "-5", "12,5"])
def test_a_number_that_cannot_be_read_is_a_place_to_check_never_a_guess(written: str) -> None:
    im = imported({"key_info": [KEY_INFO, "", *_key_info("Antall ansatte", written)]})
    assert im.data["key_info"] == {}
    assert warnings(im) == ["key_info.employees: tallet kunne ikke leses; skriv det inn."]
    assert im.notes == {
        "key_info.employees": [
            "SJEKK: tallet kunne ikke leses; skriv det inn.",
            f"Teksten fra PDF-en: {written}",
        ]
    }


@pytest.mark.parametrize("written", ["post(at)vestvik.no", "post@vestvik", "to@@vestvik.no"])
def test_an_email_address_that_cannot_be_read_is_a_place_to_check(written: str) -> None:
    label = "E-post adresse for kontaktperson for rapporten"
    im = imported({"key_info": [KEY_INFO, "", *_key_info(label, written)]})
    assert im.data["key_info"] == {}
    assert warnings(im) == ["key_info.email: e-postadressen kunne ikke leses."]
    assert im.notes["key_info.email"][1] == f"Teksten fra PDF-en: {written}"


def test_key_figures_are_read_without_the_sub_heading_too() -> None:
    im = imported({"key_info": _key_info("Navn på virksomheten", "Vestvik kommune")})
    assert im.data["key_info"] == {"name": "Vestvik kommune"}


def test_the_foreword_is_the_quote_and_the_signature_under_it() -> None:
    im = imported(
        {"foreword": ["«Vi tar ansvar i hele", "leverandørkjeden.»", "Kari Nordmann", "Rådmann"]}
    )
    assert im.data["foreword"] == {
        "text": "Vi tar ansvar i hele leverandørkjeden.",
        "name": "Kari Nordmann",
        "title": "Rådmann",
    }
    assert im.warnings == []


def test_a_foreword_signature_of_more_than_two_lines_is_a_place_to_check() -> None:
    im = imported(
        {"foreword": ["«Vi tar ansvar.»", "Kari Nordmann", "Kommunedirektør", "Vestvik kommune"]}
    )
    assert im.data["foreword"] == {
        "text": "Vi tar ansvar.",
        "name": "Kari Nordmann",
        "title": "Kommunedirektør Vestvik kommune",
    }
    assert warnings(im) == ["foreword.name: navn og tittel under forordet er usikre."]
    assert im.notes["foreword.name"][1] == (
        "Teksten fra PDF-en: Kari Nordmann Kommunedirektør Vestvik kommune"
    )


def test_a_foreword_without_quotes_takes_a_short_last_paragraph_as_its_signature() -> None:
    im = imported({"foreword": ["Vi tar ansvar.", "", "Kari Nordmann", "Rådmann"]})
    assert im.data["foreword"] == {
        "text": "Vi tar ansvar.",
        "name": "Kari Nordmann",
        "title": "Rådmann",
    }
    im = imported({"foreword": ["Vi tar ansvar.", "", "Kari Nordmann"]})
    assert im.data["foreword"] == {"text": "Vi tar ansvar.", "name": "Kari Nordmann", "title": None}


def test_a_foreword_of_one_paragraph_has_no_signature() -> None:
    im = imported({"foreword": ["Vi tar ansvar.", "Hele veien."]})
    assert im.data["foreword"] == {
        "text": "Vi tar ansvar.\nHele veien.",
        "name": None,
        "title": None,
    }


def test_a_long_last_paragraph_is_text_not_a_signature() -> None:
    long = "Dette er en lang setning som fortsetter forbi det en signatur noen gang er på en linje."
    assert len(long) > 80
    im = imported({"foreword": ["Vi tar ansvar.", "", long]})
    assert im.data["foreword"]["name"] is None
    assert im.data["foreword"]["text"] == f"Vi tar ansvar.\n\n{long}"
    im = imported({"foreword": ["Vi tar ansvar.", "", "En", "To", "Tre"]})
    assert im.data["foreword"]["name"] is None


GOALS_NOW = "MÅL OG FREMDRIFT I RAPPORTERINGSÅRET"
GOALS_NEXT = "MÅL FOR KOMMENDE ÅR"


def test_goals_are_read_with_their_status_and_comment() -> None:
    im = imported(
        {
            "goals": [
                GOALS_NOW,
                "",
                "1",
                "",
                "Mål :",
                "Kartlegge leverandørene",
                "",
                "Status :",
                "Pågår, halvveis.",
                "",
                "2",
                "",
                "Mål :",
                "Kurs for alle innkjøpere",
                "",
                "Status :",
                "Gjennomført",
                "",
                "3",
                "",
                "Mål :",
                "Ny rutine",
                "",
                "Status :",
                "Pågåendeish",
                "",
                GOALS_NEXT,
                "",
                "1",
                "",
                "Nytt mål en",
                "",
                "2",
                "",
                "Nytt mål to",
            ]
        }
    )
    assert im.data["goals"] == {
        "current": [
            {"text": "Kartlegge leverandørene", "status": "Pågår", "comment": "halvveis."},
            {"text": "Kurs for alle innkjøpere", "status": "Gjennomført"},
            # Not a status word: the text is kept as the comment, no status guessed.
            {"text": "Ny rutine", "comment": "Pågåendeish"},
        ],
        "next_year": ["Nytt mål en", "Nytt mål to"],
    }


def test_a_goal_without_a_status_keeps_its_text() -> None:
    im = imported({"goals": [GOALS_NOW, "", "1", "", "Mål :", "Kartlegge leverandørene"]})
    assert im.data["goals"]["current"] == [{"text": "Kartlegge leverandørene"}]


def test_next_years_goals_numbered_before_their_text() -> None:
    im = imported({"goals": [GOALS_NEXT, "", "1 Nytt mål en", "fortsetter her", "2 Nytt mål to"]})
    assert im.data["goals"]["next_year"] == ["Nytt mål en fortsetter her", "Nytt mål to"]


def test_the_back_page_gives_the_members_name_and_the_contact() -> None:
    im = imported(
        {
            "contact": [
                "Vestvik kommune",
                "",
                "Kari Nordmann",
                "",
                "kari@vestvik.no",
                "",
                "ola@vestvik.no",
                "etiskhandel.no",
                "http://etiskhandel.no",
            ]
        }
    )
    assert im.member_name == "Vestvik kommune"
    assert im.data["contact"] == {"name": "Kari Nordmann", "email": "kari@vestvik.no"}


def test_a_back_page_with_only_an_address_has_no_contact_name() -> None:
    im = imported({"contact": ["Vestvik kommune", "kari@vestvik.no", "Kari Nordmann"]})
    assert im.data["contact"] == {"email": "kari@vestvik.no"}


# -- the questions of the steps -------------------------------------------------------------


def test_a_text_answer_keeps_the_members_paragraphs_and_lists() -> None:
    im = imported({"1.A.2": ["Vedtatt i 2022.", "", "Tiltak:", "• kurs", "• maler"]})
    assert step(im, "step1", "a2") == "Vedtatt i 2022.\n\nTiltak:\n\n- kurs\n- maler"
    assert im.warnings == []


@pytest.mark.parametrize("url", ["https://vestvik.kommune.no/etikk", "http://vestvik.no"])
def test_a_web_address_is_read(url: str) -> None:
    im = imported({"1.A.1": [url]})
    assert step(im, "step1", "a1") == url and im.warnings == []


def _with_kind(e: Edition, code: str, kind: str) -> Edition:
    """`e` with the question `code` of another kind, as an added edition may have it."""

    def question(q: Any) -> Any:
        return q._replace(kind=kind) if q.code == code else q

    steps = tuple(
        s._replace(
            sections=tuple(
                c._replace(questions=tuple(question(q) for q in c.questions)) for c in s.sections
            )
        )
        for s in e.steps
    )
    return e._replace(steps=steps)


def test_a_one_line_answer_in_a_step_is_read_as_its_words_on_one_line() -> None:
    e = _with_kind(E, "1.B.1", "line")
    im = read(Doc.from_text(portal({"1.B.1": ["Slik gjør", "vi det."]}, e=e)), e)
    assert step(im, "step1", "b1") == "Slik gjør vi det."
    im = read(Doc.from_text(portal(e=e)), e)
    assert im.data.get("steps") is None and im.notes == {}


def test_an_answer_of_a_kind_a_pdf_cannot_hold_is_a_place_to_check() -> None:
    e = _with_kind(E, "1.B.1", "goals")
    im = read(Doc.from_text(portal({"1.B.1": ["Slik gjør", "vi det."]}, e=e)), e)
    assert step(im, "step1", "b1") is None
    assert warnings(im)[-1] == "steps.step1.b1: svaret kunne ikke leses; skriv det inn."
    assert im.notes["steps.step1.b1"][1] == "Teksten fra PDF-en: Slik gjør vi det."


def test_a_link_that_is_not_a_web_address_is_a_place_to_check() -> None:
    im = imported({"1.A.1": ["Se nettsidene", "våre under Om oss."]})
    assert step(im, "step1", "a1") is None
    assert warnings(im) == ["steps.step1.a1: svaret er ikke en nettadresse; skriv adressen inn."]
    assert im.notes["steps.step1.a1"] == [
        "SJEKK: svaret er ikke en nettadresse; skriv adressen inn.",
        "Teksten fra PDF-en: Se nettsidene våre under Om oss.",
    ]


def test_text_between_a_section_title_and_its_first_question_is_kept_as_a_note() -> None:
    im = imported({"1.B": ["Innledning som ikke hører til noe spørsmål."]})
    assert warnings(im) == [
        "steps.step1.b1: tekst etter overskriften 1.B hører ikke til noe spørsmål."
    ]
    assert im.notes["steps.step1.b1"][1] == (
        "Teksten fra PDF-en: Innledning som ikke hører til noe spørsmål."
    )


REQUIREMENTS = [
    "I hvilke type anskaffelser",
    "Ant. leverandører på avtalen",
    "Anvendt som kvalifikasjonskrav",
    "Anvendt ved tildeling av kontrakt",
    "Anvendt som kontraktsvilkår",
]


def _requirement(n: int, *cells: str) -> list[str]:
    lines = [str(n), ""]
    for label, cell in zip(REQUIREMENTS, cells, strict=False):
        lines += [f"{label} {cell}".rstrip(), ""]
    return lines


def test_requirement_rows_are_read_with_numbers_and_yes_no() -> None:
    im = imported(
        {
            "2.A.2": [
                *_requirement(1, "Arbeidsklær", "3", "Ja", "nei", "Ja."),
                *_requirement(2, "Møbler", "12", "Nei", "Nei", "Ja"),
                "Kravene brukes i alle store avtaler.",
            ]
        }
    )
    assert step(im, "step2", "a2") == {
        "rows": [
            {
                "procurement": "Arbeidsklær",
                "suppliers": 3,
                "qualification": "Ja",
                "award": "Nei",
                "contract": "Ja",
            },
            {
                "procurement": "Møbler",
                "suppliers": 12,
                "qualification": "Nei",
                "award": "Nei",
                "contract": "Ja",
            },
        ],
        "comment": "Kravene brukes i alle store avtaler.",
    }
    assert im.warnings == []


def test_a_cell_that_is_neither_a_number_nor_yes_or_no_is_a_place_to_check() -> None:
    im = imported({"2.A.2": _requirement(1, "Møbler", "tre", "Delvis", "Nei", "Ja")})
    assert step(im, "step2", "a2") == {
        "rows": [{"procurement": "Møbler", "award": "Nei", "contract": "Ja"}]
    }
    assert warnings(im) == [
        "steps.step2.a2: rad 1: antall leverandører kunne ikke leses.",
        "steps.step2.a2: rad 1: «Delvis» er verken Ja eller Nei.",
    ]
    assert im.notes["steps.step2.a2"] == [
        "SJEKK: rad 1: antall leverandører kunne ikke leses.",
        "Teksten fra PDF-en: tre",
        "SJEKK: rad 1: «Delvis» er verken Ja eller Nei.",
        "Teksten fra PDF-en: Delvis",
    ]


def test_a_row_without_its_name_is_left_out_and_said() -> None:
    im = imported({"2.A.2": _requirement(1, "", "3", "Ja", "Ja", "Ja")})
    assert step(im, "step2", "a2") is None
    assert warnings(im) == [
        "steps.step2.a2: rad 1 har ingen I hvilke type anskaffelser; den er utelatt."
    ]


def test_an_empty_requirement_row_is_no_row_and_no_warning() -> None:
    im = imported({"2.A.2": _requirement(1, "", "", "", "", "")})
    assert step(im, "step2", "a2") is None and im.warnings == []


def test_text_after_a_count_in_a_row_is_said_not_lost_silently() -> None:
    rows = [
        "1",
        "",
        "I hvilke type anskaffelser Møbler",
        "",
        "Ant. leverandører på avtalen",
        "3",
        "og flere",
        "",
        "Anvendt som kvalifikasjonskrav Ja",
        "",
        *_requirement(2, "Mat", "1", "Nei", "Nei", "Nei"),
    ]
    im = imported({"2.A.2": rows})
    assert [r["procurement"] for r in step(im, "step2", "a2")["rows"]] == ["Møbler", "Mat"]
    assert step(im, "step2", "a2")["rows"][0]["suppliers"] == 3
    assert warnings(im) == ["steps.step2.a2: rad 1: tekst etter svaret er utelatt."]
    assert im.notes["steps.step2.a2"][1] == "Teksten fra PDF-en: og flere"


def test_the_comment_after_the_last_yes_no_cell_is_kept_as_the_comment() -> None:
    rows = [*_requirement(1, "Møbler", "3", "Ja", "Ja"), "Anvendt som kontraktsvilkår", "Ja"]
    rows += ["Vi stiller krav i alle avtaler."]
    im = imported({"2.A.2": rows})
    assert step(im, "step2", "a2") == {
        "rows": [
            {
                "procurement": "Møbler",
                "suppliers": 3,
                "qualification": "Ja",
                "award": "Ja",
                "contract": "Ja",
            }
        ],
        "comment": "Vi stiller krav i alle avtaler.",
    }
    assert im.warnings == []


RISK_HEADER = "Prioritert risiko Relatert tema Geografi"


def test_prioritised_risks_are_read_with_their_themes_and_geography() -> None:
    im = imported(
        {
            "2.A.3": [
                RISK_HEADER,
                "",
                "Møbler",
                "Lønn",
                "Arbeidstid",
                "",
                "Kina",
                "",
                "Mat",
                "HMS",
                "",
                "Europa",
                "",
                "Vi valgte disse etter en analyse av hele porteføljen og samtaler med",
                "leverandørene.",
            ]
        }
    )
    assert step(im, "step2", "a3") == {
        "risks": [
            {"name": "Møbler", "themes": ["Lønn", "Arbeidstid"], "geography": "Kina"},
            {"name": "Mat", "themes": ["HMS"], "geography": "Europa"},
        ],
        "comment": "Vi valgte disse etter en analyse av hele porteføljen og samtaler med "
        "leverandørene.",
    }
    assert im.warnings == []


def test_a_risk_table_without_any_known_theme_is_kept_as_its_comment() -> None:
    im = imported({"2.A.3": [RISK_HEADER, "", "Ingen kjente tema her."]})
    assert step(im, "step2", "a3") == {"risks": [], "comment": "Ingen kjente tema her."}
    assert warnings(im) == [
        "steps.step2.a3: tabellen kunne ikke leses; teksten står som kommentar."
    ]
    assert im.notes["steps.step2.a3"][1] == "Teksten fra PDF-en: Ingen kjente tema her."


def test_a_risk_without_a_name_gets_a_numbered_one_and_is_said() -> None:
    im = imported({"2.A.3": [RISK_HEADER, "", "Lønn", "", "Asia"]})
    assert step(im, "step2", "a3") == {
        "risks": [{"name": "Risiko 1", "themes": ["Lønn"], "geography": "Asia"}]
    }
    assert warnings(im) == ["steps.step2.a3: risiko 1 har ikke noe navn i teksten."]


def test_a_risk_name_on_the_line_of_its_first_theme() -> None:
    im = imported({"2.A.3": [RISK_HEADER, "", "Transport Miljø", "Lønn", "", "Norge"]})
    assert step(im, "step2", "a3") == {
        "risks": [{"name": "Transport", "themes": ["Miljø", "Lønn"], "geography": "Norge"}]
    }


def test_a_risk_name_in_two_paragraphs_is_a_place_to_check() -> None:
    im = imported({"2.A.3": [RISK_HEADER, "", "Møbler", "", "og inventar", "", "Lønn"]})
    assert step(im, "step2", "a3") == {
        "risks": [{"name": "Møbler og inventar", "themes": ["Lønn"]}]
    }
    assert warnings(im) == ["steps.step2.a3: navnet på risiko 1 er usikkert."]


_LONG = (
    "Beskriv faktiske eller forventede resultater av tiltaket, samt mål og aktiviteter for "
    "kommende\nrapporteringsår :"
)
# The portal prints every field of a card, answered or not; two share one long label.
CARD_FIELDS = ["Overordnet mål :", "Status :", "Mål i rapporteringsåret :", _LONG, _LONG]


def _card(title: str, *values: str) -> list[str]:
    lines = [title, ""]
    for i, label in enumerate(CARD_FIELDS):
        value = values[i] if i < len(values) else ""
        lines += [*label.split("\n"), *([value] if value else []), ""]
    return lines


def _risks(*names: str) -> list[str]:
    lines = [RISK_HEADER, ""]
    for name in names:
        lines += [name, "Lønn", "", "Asia", ""]
    return lines


def test_cards_follow_the_risks_by_name() -> None:
    im = imported(
        {
            "2.A.3": _risks("Møbler", "Mat"),
            "3.A.1": [
                *_card("møbler", "Ingen barnearbeid.", "Pågår", "Kartlegge."),
                *_card("Mat", "Trygg mat."),
            ],
        }
    )
    assert step(im, "step3", "a1") == [
        # The card's title is written as the risk it follows.
        {
            "risk": "Møbler",
            "overall_goal": "Ingen barnearbeid.",
            "status": "Pågår",
            "year_goal": "Kartlegge.",
        },
        {"risk": "Mat", "overall_goal": "Trygg mat."},
    ]
    assert im.warnings == []


def test_a_card_for_a_risk_that_is_not_in_the_table_is_a_place_to_check() -> None:
    im = imported(
        {"2.A.3": _risks("Møbler"), "3.A.1": _card("Datautstyr", "Ingen konfliktmineraler.")}
    )
    assert step(im, "step3", "a1") == [
        {"risk": "Datautstyr", "overall_goal": "Ingen konfliktmineraler."}
    ]
    assert warnings(im) == [
        "steps.step3.a1: kort 1: «Datautstyr» finnes ikke blant radene kortene følger."
    ]


def test_a_card_without_a_title_takes_the_risks_name_and_is_said() -> None:
    im = imported({"2.A.3": _risks("Møbler"), "3.A.1": _card("", "Ingen barnearbeid.")})
    assert step(im, "step3", "a1") == [{"risk": "Møbler", "overall_goal": "Ingen barnearbeid."}]
    assert warnings(im) == [
        "steps.step3.a1: kort 1: «» finnes ikke blant radene kortene følger.",
        "steps.step3.a1: kort 1 har ikke noe navn i teksten.",
    ]


def test_a_card_without_a_title_or_risks_gets_a_numbered_name() -> None:
    im = imported({"3.A.1": _card("", "Ingen barnearbeid.")})
    assert step(im, "step3", "a1") == [{"risk": "Risiko 1", "overall_goal": "Ingen barnearbeid."}]
    assert warnings(im) == ["steps.step3.a1: kort 1 har ikke noe navn i teksten."]


def test_text_where_the_cards_should_be_is_a_place_to_check() -> None:
    im = imported({"3.A.1": ["Vi har ikke laget kort i år."]})
    assert step(im, "step3", "a1") is None
    assert warnings(im) == [
        "steps.step3.a1: kortene kunne ikke leses; teksten står i neste spørsmål."
    ]
    assert im.notes["steps.step3.a1"][1] == "Teksten fra PDF-en: Vi har ikke laget kort i år."


def test_follow_up_counts_are_grouped_by_their_method() -> None:
    im = imported(
        {
            "4.A.2": [
                "Sosial revisjon",
                "3 stk Lønn",
                "2 stk. HMS",
                "",
                "Egenerklæring:",
                "1 200 stk Arbeidstid",
                "",
                "Flere er planlagt.",
            ]
        }
    )
    assert step(im, "step4", "a2") == {
        "counts": [
            {"method": "Sosial revisjon", "topic": "Lønn", "count": 3},
            {"method": "Sosial revisjon", "topic": "HMS", "count": 2},
            {"method": "Egenerklæring", "topic": "Arbeidstid", "count": 1200},
        ],
        "text": "Flere er planlagt.",
    }
    assert im.warnings == []


def test_a_count_without_a_method_is_a_place_to_check() -> None:
    im = imported({"4.A.2": ["3 stk Lønn"]})
    assert step(im, "step4", "a2") == {
        "counts": [{"method": "Uten metode", "topic": "Lønn", "count": 3}]
    }
    assert warnings(im) == ["steps.step4.a2: et antall står uten metode foran seg."]
    assert im.notes["steps.step4.a2"][1] == "Teksten fra PDF-en: 3 stk Lønn"


def test_follow_up_as_text_only_is_kept_as_its_text() -> None:
    im = imported({"4.A.2": ["Ingen leverandører er fulgt opp i år."]})
    assert step(im, "step4", "a2") == {
        "counts": [],
        "text": "Ingen leverandører er fulgt opp i år.",
    }


DEVIATIONS = [
    "Type avvik (barnearbeid, HMS, lønn, arbeidstid etc)",
    "Hvor i leverandørkjeden?",
    "Tiltak iverksatt for å rette avvik",
    "Status",
]


def test_deviation_rows_and_the_comment_after_them() -> None:
    lines = ["1", ""]
    for label, value in zip(DEVIATIONS, ["Lønn", "Fabrikk", "Ny avtale", "Lukket"], strict=True):
        lines += [label, "", value, ""]
    im = imported({"4.A.3": [*lines, "Kommentar etter tabellen."]})
    assert step(im, "step4", "a3") == {
        "rows": [{"type": "Lønn", "where": "Fabrikk", "action": "Ny avtale", "status": "Lukket"}],
        "comment": "Kommentar etter tabellen.",
    }


def test_an_empty_deviation_row_is_no_row() -> None:
    lines = ["1", ""] + [x for label in DEVIATIONS for x in (label, "")]
    im = imported({"4.A.3": lines})
    assert step(im, "step4", "a3") is None and im.warnings == []


# -- the whole text ---------------------------------------------------------------------------


def test_the_short_name_is_the_footers_most_common_name() -> None:
    text = portal(footer="Vestvik") + "  |  Vestvik kommune  |   12\n"
    assert read(Doc.from_text(text), E).short_name == "Vestvik"
    # A tie goes to the first in alphabetical order, whatever the order in the text.
    text = "  |  Bbb  |   1\n" + portal(footer="") + "  |  Aaa  |   2\n"
    assert read(Doc.from_text(text), E).short_name == "Aaa"


def test_a_footer_is_not_part_of_the_answer_it_interrupts() -> None:
    im = imported({"1.A.2": ["Vedtatt i 2022 etter", "  |  Vestvik  |   9", " en høring."]})
    assert step(im, "step1", "a2") == "Vedtatt i 2022 etter en høring."


def test_a_footer_without_a_name_is_left_out_and_names_nothing() -> None:
    doc = Doc.from_text("tekst\n  |    |   3\n  |  Vestvik  |  10000\n")
    assert doc.lines == ["tekst", "|  Vestvik  |  10000", ""]  # five digits: no page number
    assert doc.short_names == []


def test_pages_split_at_form_feeds() -> None:
    doc = Doc.from_text("første side\n\fandre side\nmer")
    assert doc.lines == ["første side", "andre side", "mer"]
    # Each page's width is its own: the longest line of the page.
    assert doc.width == [11, 10, 10]


@pytest.mark.parametrize(
    ("head", "year"),
    [
        ("Rapporteringsår 2023", 2023),
        ("Årsrapport for 2022", 2022),
        ("Rapport 2021 til EHN", 2021),
        ("Rapport for2021", None),
        ("Rapporteringsår 1999", None),
    ],
)
def test_the_year_is_read_from_the_texts_start(head: str, year: int | None) -> None:
    assert year_of(Doc.from_text(f"{head}\n")) == year


def test_a_year_after_the_first_sixty_lines_is_not_the_reports_year() -> None:
    text = "\n".join(["tekst"] * 60 + ["Rapporteringsår 2023"])
    assert year_of(Doc.from_text(text)) is None
    text = "\n".join(["tekst"] * 59 + ["Rapporteringsår 2023"])
    assert year_of(Doc.from_text(text)) == 2023


def test_a_text_with_few_of_the_labels_is_said() -> None:
    text = "1.A.1 Lenke til offentlig tilgjengelig policy for egen virksomhet\n\nhttps://v.no\n"
    im = read(Doc.from_text(text), E)
    assert step(im, "step1", "a1") == "https://v.no"
    assert warnings(im) == [
        "teksten har bare 1 av skjemaets 53 ledetekster; er det hele rapporten?"
    ]


def _up_to(label: str) -> str:
    text = portal()
    return text[: text.index(label)]


def test_a_quarter_of_the_labels_is_enough() -> None:
    # 53 labels: 13 found is a quarter (rounded down), 12 is less.
    im = read(Doc.from_text(_up_to("1.D Forankring")), E)
    assert im.warnings == []
    im = read(Doc.from_text(_up_to("1.C.1 ")), E)
    assert warnings(im) == [
        "teksten har bare 12 av skjemaets 53 ledetekster; er det hele rapporten?"
    ]


# -- the report made of what was read ---------------------------------------------------------


def test_without_a_year_last_year_is_set_in_and_said() -> None:
    im = imported({"contact": ["Vestvik kommune"]})
    data = build_data(im, year=None, edition=E, today=TODAY)
    assert data["report"] == {"year": 2025, "form": DEFAULT, "language": "nb"}
    assert warnings(im) == [
        "report.year: rapporteringsåret står ikke i teksten; 2025 er satt inn. Rett det, "
        "eller bruk --year."
    ]


def test_the_year_given_wins_over_the_texts() -> None:
    im = read(Doc.from_text("Rapporteringsår 2023\n" + portal()), E)
    assert build_data(im, year=2024, edition=E, today=TODAY)["report"]["year"] == 2024
    assert build_data(im, year=None, edition=E, today=TODAY)["report"]["year"] == 2023
    assert not any(w.startswith("report.year") for w in warnings(im))


def test_the_members_name_comes_from_key_figures_then_the_back_page_then_the_footer() -> None:
    key_info = [KEY_INFO, "", *_key_info("Navn på virksomheten", "Vestvik kommune")]
    im = imported({"key_info": key_info, "contact": ["Vestvik by"]})
    assert build_data(im, year=2024, edition=E)["member"] == {
        "name": "Vestvik kommune",
        "short_name": "Vestvik",
    }
    im = imported({"contact": ["Vestvik by"]})
    assert build_data(im, year=2024, edition=E)["member"]["name"] == "Vestvik by"
    im = imported()
    assert build_data(im, year=2024, edition=E)["member"]["name"] == "Vestvik"
    assert im.warnings == []


def test_without_any_name_the_placeholder_is_written_and_said() -> None:
    im = imported(footer="")
    data = build_data(im, year=2024, edition=E)
    assert data["member"] == {"name": "Virksomhetens navn", "short_name": "Virksomhetens navn"}
    assert warnings(im) == [
        "member.name: virksomhetens navn står ikke i teksten; skriv det inn.",
        "member.short_name: bunnteksten med kortnavnet ble ikke funnet; «Virksomhetens navn» "
        "er brukt.",
    ]


def test_without_a_footer_the_name_is_the_short_name_cut_at_its_longest() -> None:
    name = "Vestvik interkommunale innkjøp og helse i sør"
    assert name[39] == " "  # the cut falls after a word: the space goes
    im = imported({"contact": [name]}, footer="")
    assert build_data(im, year=2024, edition=E)["member"] == {
        "name": name,
        "short_name": "Vestvik interkommunale innkjøp og helse",
    }
    assert warnings(im) == [
        "member.short_name: bunnteksten med kortnavnet ble ikke funnet; "
        "«Vestvik interkommunale innkjøp og helse» er brukt."
    ]
    im = imported({"contact": ["x" * 40]}, footer="")
    assert build_data(im, year=2024, edition=E)["member"]["short_name"] == "x" * 40


def test_the_short_name_is_cut_at_the_editions_own_limit() -> None:
    def limit(q: Any) -> Any:
        return q._replace(max_length=12) if q.id == "member.short-name" else q

    parts = tuple(p._replace(questions=tuple(map(limit, p.questions))) for p in E.parts_before)
    e = E._replace(parts_before=parts)
    im = imported({"contact": ["Vestvik kommune i sør"]}, footer="")
    assert build_data(im, year=2024, edition=e)["member"]["short_name"] == "Vestvik komm"


def test_a_footer_name_longer_than_the_short_name_may_be_is_cut_and_said() -> None:
    footer = "Vestvik interkommunale innkjøpskontor i sør"
    assert len(footer) > 40 and footer[39] == " "
    im = imported(footer=footer)
    short = build_data(im, year=2024, edition=E)["member"]["short_name"]
    assert short == "Vestvik interkommunale innkjøpskontor i"
    assert warnings(im) == [
        "member.short_name: kortnavnet i bunnteksten er for langt; det er kuttet."
    ]
    im = imported(footer="v" * 40)
    assert build_data(im, year=2024, edition=E)["member"]["short_name"] == "v" * 40
    assert im.warnings == []


def test_answers_are_counted_per_step() -> None:
    im = imported({"1.A.1": ["https://v.no"], "1.B.1": ["Slik."], "6.B.1": ["Slik."]})
    counts = count_answers(build_data(im, year=2024, edition=E), E)
    assert counts == [(1, 2, 8), (2, 0, 4), (3, 0, 8), (4, 0, 3), (5, 0, 1), (6, 1, 3)]


# -- the source file and the command ----------------------------------------------------------


def _source(tmp_path: Path, text: str, name: str = "vestvik.txt") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_an_import_writes_the_header_the_answers_and_the_notes(tmp_path: Path) -> None:
    source = _source(
        tmp_path, portal({"1.A.1": ["Se nettsidene."], "contact": ["Vestvik kommune"]})
    )
    result = import_report(source, year=2024)
    text = result.text
    assert "# Rapport til Etisk handel Norge (EHN) for 2024: Vestvik kommune.\n" in text
    assert "«vestvik.txt» med «ehnreport import» for skjemaet ehn-public-2024." in text
    assert "# gjennom svarene mot PDF-en; kommentarer som begynner med SJEKK, viser hvor" in text
    assert "    # SJEKK: svaret er ikke en nettadresse; skriv adressen inn.\n" in text
    assert "    # Teksten fra PDF-en: Se nettsidene.\n" in text
    assert result.counts[0] == (1, 0, 8)
    assert [w.text("nb") for w in result.warnings] == [
        "steps.step1.a1: svaret er ikke en nettadresse; skriv adressen inn."
    ]
    lines = summary(result)
    assert lines[0] == (
        "Besvarte spørsmål: trinn 1 0/8, trinn 2 0/4, trinn 3 0/8, trinn 4 0/3, trinn 5 0/1, "
        "trinn 6 0/3."
    )
    assert lines[1:] == [
        "Steder å sjekke (1), merket SJEKK i filen:",
        "  steps.step1.a1: svaret er ikke en nettadresse; skriv adressen inn.",
    ]


def test_an_import_with_nothing_unsure_says_so(tmp_path: Path) -> None:
    source = _source(tmp_path, portal({"contact": ["Vestvik kommune"]}))
    result = import_report(source, year=2024)
    assert result.warnings == []
    assert summary(result)[1:] == [
        "Ingen steder ble markert som usikre; les likevel gjennom mot PDF-en."
    ]


def test_a_text_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    source = tmp_path / "bom.txt"
    text = "1.A.1 Lenke til offentlig tilgjengelig policy for egen virksomhet\n\nhttps://v.no\n"
    source.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert read(read_doc(source), E).data["steps"]["step1"]["a1"] == "https://v.no"


@pytest.mark.parametrize("year", [2000, 2100])
def test_the_years_at_the_edges_are_possible(tmp_path: Path, year: int) -> None:
    source = _source(tmp_path, portal({"contact": ["Vestvik kommune"]}))
    assert load_file_text(import_report(source, year=year).text)["report"]["year"] == year


def load_file_text(text: str) -> Any:
    from ehnreport.loader import load_text

    return load_text(text).data


@pytest.mark.parametrize("year", [1999, 2101, 24])
def test_a_year_outside_the_possible_ones_is_refused(tmp_path: Path, year: int) -> None:
    source = _source(tmp_path, portal())
    with pytest.raises(InputFileError) as exc:
        import_report(source, year=year)
    assert str(exc.value) == f"{year} er ikke et mulig rapporteringsår. Skriv det som 2024."


def test_an_unknown_edition_names_the_known_ones(tmp_path: Path, editions: Any) -> None:
    with pytest.raises(InputFileError) as exc:
        import_report(_source(tmp_path, portal()), edition="ehn-1999")
    assert str(exc.value) == "ukjent skjemautgave «ehn-1999». Kjente: ehn-public-2024."
    editions(("ehn-public-2026", "public", 2026))
    with pytest.raises(InputFileError) as exc:
        import_report(_source(tmp_path, portal()), edition="ehn-1999")
    assert str(exc.value).endswith(" Kjente: ehn-public-2024, ehn-public-2026.")


def test_the_edition_is_chosen_by_the_year_when_none_is_given(tmp_path: Path) -> None:
    source = _source(tmp_path, "Rapporteringsår 2023\n" + portal({"contact": ["Vestvik"]}))
    data = load_file_text(import_report(source, today=TODAY).text)
    assert (data["report"]["year"], data["report"]["form"]) == (2023, DEFAULT)


def test_a_text_with_none_of_the_labels_is_refused_with_its_name(tmp_path: Path) -> None:
    source = _source(tmp_path, "Handleliste\nMelk\n", "liste.txt")
    with pytest.raises(InputFileError) as exc:
        import_report(source, year=2024)
    assert str(exc.value) == (
        f"{source}: fant ingen av skjemaets ledetekster i teksten; er dette en rapport til EHN?"
    )


def test_a_file_over_the_size_cap_is_refused_before_it_is_read(tmp_path: Path) -> None:
    source = tmp_path / "stor.txt"
    with source.open("wb") as fh:
        fh.truncate(MAX_SOURCE + 1)  # sparse: no 20 MiB written
    with pytest.raises(InputFileError) as exc:
        read_doc(source)
    assert str(exc.value) == f"{source}: filen er større enn 20 MiB."


def test_a_file_at_the_size_cap_is_read_and_then_held_to_the_text_cap(tmp_path: Path) -> None:
    source = tmp_path / "stor.txt"
    with source.open("wb") as fh:
        fh.truncate(MAX_SOURCE)
    with pytest.raises(InputFileError) as exc:
        read_doc(source)
    assert str(exc.value) == f"{source}: teksten er lengre enn 2 097 152 tegn."


def test_a_text_one_character_over_the_text_cap_is_refused(tmp_path: Path) -> None:
    source = _source(tmp_path, "ø" * (MAX_TEXT + 1))  # two bytes each: under the size cap
    with pytest.raises(InputFileError) as exc:
        read_doc(source)
    assert str(exc.value) == f"{source}: teksten er lengre enn 2 097 152 tegn."


def test_a_text_at_the_text_cap_is_read(tmp_path: Path) -> None:
    line = "x" * 99 + "\n"
    source = _source(tmp_path, line * (MAX_TEXT // 100) + "y" * (MAX_TEXT % 100))
    assert len(source.read_text(encoding="utf-8")) == MAX_TEXT
    assert len(read_doc(source).lines) == MAX_TEXT // 100 + 1


def test_bytes_that_are_neither_pdf_nor_utf8_are_refused(tmp_path: Path) -> None:
    source = tmp_path / "latin.txt"
    source.write_bytes("Nøkkelinformasjon".encode("latin-1"))
    with pytest.raises(InputFileError) as exc:
        read_doc(source)
    assert str(exc.value) == (
        f"{source}: er verken en PDF eller en tekstfil i UTF-8. Lagre teksten som UTF-8."
    )


def test_a_damaged_pdf_is_refused_with_its_name(tmp_path: Path) -> None:
    source = tmp_path / "skadet.pdf"
    source.write_bytes(b"%PDF-1.7\n1 0 obj << /Type /Catalog >>\n%%EOF\n")
    with pytest.raises(InputFileError) as exc:
        read_doc(source)
    assert str(exc.value) == (f"{source}: PDF-en kan ikke leses; den er skadet eller ikke en PDF.")


def test_the_command_writes_the_report_and_says_what_to_check(tmp_path: Path) -> None:
    source = _source(tmp_path, portal({"1.A.1": ["Se nettsidene."], "contact": ["Vestvik"]}))
    target = tmp_path / "ut" / "vestvik.yaml"
    result = runner.invoke(
        app,
        ["import", str(source), "-o", str(target), "--year", "2024"],
        catch_exceptions=False,
        env={"GITHUB_ACTIONS": ""},
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-2:] == [
        "Steder å sjekke (1), merket SJEKK i filen:",
        "  steps.step1.a1: svaret er ikke en nettadresse; skriv adressen inn.",
    ]
    data = load_file(target).data
    assert (data["member"]["name"], data["member"]["short_name"]) == ("Vestvik", "Vestvik")
    assert oct(target.stat().st_mode & 0o777) == "0o644"
    assert [p.name for p in target.parent.iterdir()] == ["vestvik.yaml"]


# -- writing the report -----------------------------------------------------------------------


def _minimal(**answers: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "report": {"year": 2024, "form": DEFAULT, "language": "nb"},
        "member": {"name": "Vestvik kommune", "short_name": "Vestvik"},
    }
    data.update(answers)
    return data


def test_the_forms_labels_are_written_in_the_language_asked_for() -> None:
    text = report_yaml(_minimal(), E, header=["Vestvik."], language="en")
    assert "    # 2.A.1 Risk mapping\n" in text


def test_free_text_that_begins_with_blanks_keeps_them() -> None:
    data = _minimal(steps={"step1": {"a2": "    innrykket kode\nog mer\n"}})
    text = report_yaml(data, E, header=["Vestvik."])
    assert load_file_text(text)["steps"]["step1"]["a2"] == "    innrykket kode\nog mer\n"


def test_free_text_is_written_as_a_block_and_read_back_the_same() -> None:
    data = _minimal(steps={"step1": {"a2": "Vedtatt i 2022.\n\n- kurs\n- maler\n\n\n"}})
    text = report_yaml(data, E, header=["Vestvik."])
    assert "    a2: |\n      Vedtatt i 2022.\n\n      - kurs\n      - maler\n" in text
    assert "    # 2.A.1 Risikokartlegging\n" in text  # the labels in nb unless told
    assert load_file_text(text)["steps"]["step1"]["a2"] == "Vedtatt i 2022.\n\n- kurs\n- maler\n"
    # Only line breaks are taken off its ends: the letters there stay.
    data = _minimal(steps={"step1": {"a2": "\nXerox og Xylo, avtale X\n\n"}})
    text = report_yaml(data, E, header=["Vestvik."])
    assert load_file_text(text)["steps"]["step1"]["a2"] == "Xerox og Xylo, avtale X\n"


def test_a_list_answer_is_written_item_by_item() -> None:
    data = _minimal(goals={"next_year": ["Første mål", "Andre\nmål"]})
    text = report_yaml(data, E, header=["Vestvik."])
    assert load_file_text(text)["goals"]["next_year"] == ["Første mål\n", "Andre\nmål\n"]


def test_card_prose_is_a_block_and_the_cards_name_stays_on_its_line() -> None:
    card = {"risk": "Møbler", "overall_goal": "Ingen barnearbeid.", "status": None}
    data = _minimal(steps={"step3": {"a1": [card]}})
    text = report_yaml(data, E, header=["Vestvik."])
    assert "      - risk: Møbler\n        overall_goal: |\n          Ingen barnearbeid.\n" in text
    assert load_file_text(text)["steps"]["step3"]["a1"] == [
        {"risk": "Møbler", "overall_goal": "Ingen barnearbeid.\n"}
    ]


def test_a_table_cell_stays_on_its_line_unless_it_holds_a_line_break() -> None:
    rows = [{"procurement": "Møbler", "suppliers": 3}, {"procurement": "Mat\nog drikke"}]
    data = _minimal(steps={"step2": {"a2": {"rows": rows, "comment": "Slik.", "x": None}}})
    text = report_yaml(data, E, header=["Vestvik."])
    assert "        - procurement: Møbler\n" in text
    a2 = load_file_text(text)["steps"]["step2"]["a2"]
    assert a2 == {
        "rows": [
            {"procurement": "Møbler", "suppliers": 3},
            {"procurement": "Mat\nog drikke\n"},
        ],
        "comment": "Slik.\n",
    }
    # A table with a comment and no rows, or rows that are not a list, is written as read.
    for a2 in ({"comment": "Ingen ennå."}, {"rows": "ingen", "comment": "Ingen ennå."}):
        data = _minimal(steps={"step2": {"a2": a2}})
        written = load_file_text(report_yaml(data, E, header=["Vestvik."]))["steps"]["step2"]
        assert written["a2"] == {**a2, "comment": "Ingen ennå.\n"}


def test_goals_text_and_comment_are_blocks_the_status_a_word() -> None:
    goals = {"current": [{"text": "Kartlegge", "status": "Pågår", "comment": "Halvveis"}]}
    text = report_yaml(_minimal(goals=goals), E, header=["Vestvik."])
    assert load_file_text(text)["goals"]["current"] == [
        {"text": "Kartlegge\n", "status": "Pågår", "comment": "Halvveis\n"}
    ]


@pytest.mark.parametrize("empty", [None, "", "  \n", [], {}])
def test_an_empty_answer_is_written_as_init_leaves_it(empty: Any) -> None:
    text = report_yaml(_minimal(steps={"step1": {"a2": empty}}), E, header=["Vestvik."])
    blank = report_yaml(_minimal(), E, header=["Vestvik."])
    assert text == blank


def test_a_note_is_written_above_its_key_even_when_it_is_unanswered() -> None:
    notes = {"steps.step1.a1": ["SJEKK: se her."], "key_info.employees": ["SJEKK: tallet."]}
    text = report_yaml(_minimal(), E, header=["Vestvik."], notes=notes)
    assert "    # SJEKK: se her.\n" in text
    assert "  # SJEKK: tallet.\n" in text


def test_a_checked_report_is_written_with_its_warnings(tmp_path: Path) -> None:
    target = tmp_path / "ny" / "mappe" / "vestvik.yaml"
    text = report_yaml(_minimal(), E, header=["Vestvik."])
    found = write_checked(target, text)
    assert target.read_text(encoding="utf-8") == text
    assert found and all(not d.is_error for d in found)
    assert [p.name for p in target.parent.iterdir()] == ["vestvik.yaml"]


def test_a_report_is_checked_in_a_hidden_file_beside_it_and_kept_readable_by_all(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ehnreport.importer import writer

    checked: list[Path] = []
    check_file = writer.check_file

    def check(path: Path) -> Any:
        checked.append(path)
        return check_file(path)

    monkeypatch.setattr(writer, "check_file", check)
    target = tmp_path / "vestvik.yaml"
    write_checked(target, report_yaml(_minimal(), E, header=["Vestvik."]))
    [tmp] = checked
    assert tmp.parent == tmp_path and tmp != target
    assert tmp.name.startswith(".vestvik.yaml.") and tmp.suffix == ".yaml"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644  # not the temporary file's 0o600


def test_an_invalid_report_is_never_written(tmp_path: Path) -> None:
    target = tmp_path / "vestvik.yaml"
    text = report_yaml(_minimal(), E, header=["Vestvik."]).replace("year: 2024", "year: tjue")
    with pytest.raises(BuildError) as exc:
        write_checked(target, text)
    assert str(exc.value) == (
        f"{target}: rapporten som ble laget er ikke gyldig (her skal det stå et helt tall, "
        "men det står en tekst «tjue».); ingenting er skrevet. Meld gjerne fra om dette."
    )
    assert list(tmp_path.iterdir()) == []


def test_a_report_that_cannot_be_placed_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "vestvik.yaml"
    target.mkdir()  # a folder where the file would go: the rename fails
    text = report_yaml(_minimal(), E, header=["Vestvik."])
    with pytest.raises(BuildError) as exc:
        write_checked(target, text)
    assert str(exc.value).startswith(f"{target}: kunne ikke skrives (")
    assert [p.name for p in tmp_path.iterdir()] == ["vestvik.yaml"]
    assert list(target.iterdir()) == []


def test_a_write_whose_temporary_file_is_gone_is_said_and_nothing_is_left(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The folder emptied by another program while the report is checked: the rename
    # fails, and the clean-up finds no temporary file to remove.
    def vanish(src: Any, dst: Any) -> None:
        Path(src).unlink()
        raise FileNotFoundError(errno.ENOENT, os.strerror(errno.ENOENT))

    monkeypatch.setattr(os, "replace", vanish)
    target = tmp_path / "vestvik.yaml"
    with pytest.raises(BuildError) as exc:
        write_checked(target, report_yaml(_minimal(), E, header=["Vestvik."]))
    assert str(exc.value) == f"{target}: kunne ikke skrives ({os.strerror(errno.ENOENT)})."
    assert list(tmp_path.iterdir()) == []


def test_a_folder_that_cannot_be_made_is_said(tmp_path: Path) -> None:
    (tmp_path / "fil").write_text("", encoding="utf-8")
    target = tmp_path / "fil" / "vestvik.yaml"
    with pytest.raises(BuildError) as exc:
        write_checked(target, "x: 1\n")
    assert str(exc.value).startswith(f"{tmp_path / 'fil'}: kan ikke skrive hit (")


def test_a_report_written_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    text = report_yaml(_minimal(), E, header=["Vestvik."])
    write_checked(Path("vestvik.yaml"), text)
    assert (tmp_path / "vestvik.yaml").read_text(encoding="utf-8") == text
    assert os.listdir(tmp_path) == ["vestvik.yaml"]


# -- the form as the importer reads it --------------------------------------------------------


@pytest.fixture
def editions(tmp_path: Path) -> Iterator[Callable[..., None]]:
    """Add editions to the known ones: (id, sector, year) each, copies of the bundled one."""
    from ehnreport import forms
    from ehnreport.yamlwriter import dump

    def add(*made: tuple[str, str, int]) -> None:
        folder = tmp_path / "skjema"
        base = load_file(forms.bundled_folder(DEFAULT) / "form.yaml").data
        for edition_id, sector, year in made:
            (folder / edition_id).mkdir(parents=True)
            data = {**base, "id": edition_id, "sector": sector, "year": year}
            (folder / edition_id / "form.yaml").write_text(dump(data), encoding="utf-8")
        forms.add_folder(folder)

    yield add
    forms.reset_added()


def test_the_edition_for_a_year_is_the_newest_made_for_it_or_before(editions: Any) -> None:
    assert fv.edition_for_year(2024) == DEFAULT
    assert fv.edition_for_year(1990) == DEFAULT  # before every edition: the oldest
    editions(("ehn-public-2026", "public", 2026), ("ehn-public-2028", "public", 2028))
    assert fv.edition_for_year(2025) == DEFAULT
    assert fv.edition_for_year(2026) == "ehn-public-2026"
    assert fv.edition_for_year(2027) == "ehn-public-2026"
    assert fv.edition_for_year(2030) == "ehn-public-2028"


def test_the_edition_for_a_year_keeps_to_its_sector(editions: Any) -> None:
    editions(("ehn-private-2022", "private", 2022), ("ehn-private-2030", "private", 2030))
    assert fv.edition_for_year(2031) == DEFAULT
    assert fv.edition_for_year(2031, "private") == "ehn-private-2030"
    assert fv.edition_for_year(2025, "private") == "ehn-private-2022"
    assert fv.edition_for_year(2020, "private") == "ehn-private-2022"
    # A sector without editions of its own takes any.
    assert fv.edition_for_year(2031, "frivillig") == "ehn-private-2030"
    assert fv.edition_for_year(2023, "frivillig") == "ehn-private-2022"


def test_the_newest_edition_is_taken_whatever_order_they_were_added_in(editions: Any) -> None:
    editions(("ehn-public-2028", "public", 2028))
    editions(("ehn-public-2026", "public", 2026))
    assert fv.known_editions()[-2:] == ("ehn-public-2028", "ehn-public-2026")
    assert fv.edition_for_year(2030) == "ehn-public-2028"
    assert fv.edition_for_year(2027) == "ehn-public-2026"


def test_of_two_editions_for_the_same_year_the_one_added_later_is_taken(editions: Any) -> None:
    editions(("b-public-2030", "public", 2030))
    editions(("a-public-2030", "public", 2030))  # later, though its id sorts first
    assert fv.known_editions()[-2:] == ("b-public-2030", "a-public-2030")
    assert fv.edition_for_year(2030) == "a-public-2030"
    # Before every edition: the oldest, whatever the order of the ids.
    assert fv.edition_for_year(1990) == DEFAULT


def test_the_parts_and_words_the_importer_looks_for() -> None:
    assert fv.part_title(E, "goals") == "Mål og fremdrift"
    assert fv.part_title(E, "finnes-ikke") == ""
    with pytest.raises(KeyError) as exc:
        fv.part(E, "finnes-ikke")
    assert exc.value.args == ("finnes-ikke",)
    assert fv.part(E, "contact").key == "contact"
    assert fv.goal_statuses(E) == ["Gjennomført", "Pågår", "Forsinket", "Ikke startet", "Utgår"]
    assert E.themes is not None
    assert fv.themes(E) == E.themes["nb"] and "Lønn" in fv.themes(E)
    risks = E.question("step2.prioritised-risks").table
    assert risks is not None
    assert [fv.column_label(E, c) for c in risks.columns] == [
        "Prioritert risiko",
        "Relatert tema",
        "Geografi",
    ]
    assert fv.table_of(E, "steps.step2.a3") is risks
    assert fv.table_of(E, "steps.step2.a1") is None
    assert fv.table_of(E, "steps.step9.a1") is None


def test_every_question_is_listed_with_its_path_and_label() -> None:
    views = fv.questions(E)
    assert len(views) == 53
    first = views[0]
    assert (first.dotted, first.q.id, first.label) == (
        "report.year",
        "report.year",
        "Rapporteringsår",
    )
    by_id = fv.by_id(E)
    assert by_id["step2.prioritised-risks"].path == ("steps", "step2", "a3")
    assert by_id["contact.email"].dotted == "contact.email"
    assert len(by_id) == len(views)


def test_the_columns_that_name_a_row() -> None:
    def names(question_id: str) -> tuple[str, ...]:
        table = E.question(question_id).table
        assert table is not None
        return fv.name_columns(table)

    assert names("step2.prioritised-risks") == ("name",)
    assert names("step2.requirements-in-procurement") == ("procurement",)
    # No required text column: the first column names the row.
    assert names("step4.deviations") == ("type",)
    # A required count is a value, not a name; a required list names the row.
    risks = E.question("step2.prioritised-risks").table
    assert risks is not None
    required = [c._replace(required=True) for c in risks.columns]
    counted = [required[0]._replace(type="count"), *required[1:]]
    assert fv.name_columns(risks._replace(columns=tuple(counted))) == ("themes", "geography")
    assert [c.type for c in risks.columns] == ["text", "list", "text"]


@pytest.mark.parametrize(
    ("value", "answered"),
    [
        (None, False),
        ("", False),
        (" \n", False),
        ("x", True),
        (0, True),
        (False, True),
        ([], False),
        ([None, " "], False),
        ([None, "x"], True),
        ({}, False),
        ({"a": None, "b": [""]}, False),
        ({"a": None, "b": {"c": 3}}, True),
    ],
)
def test_what_counts_as_an_answer(value: Any, answered: bool) -> None:
    assert fv.answered(value) is answered


def test_errors_of_a_report_are_counted() -> None:
    data = load_file_text(report_yaml(_minimal(), E, header=["Vestvik."]))
    assert fv.report_errors(data) == 0
    data["report"]["year"] = "tjue"
    data["member"]["name"] = 7
    assert fv.report_errors(data) == 2
    data["report"]["form"] = "ehn-1999"  # checked by the default edition: one more error
    assert fv.report_errors(data) == 3


def test_an_edition_without_themes_gives_the_importer_none() -> None:
    assert fv.themes(E._replace(themes=None)) == ()
    assert E.themes is not None and fv.themes(E) == E.themes["nb"]


# -- text as the member wrote it ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("a\u00a0b\u202fc\td", "a b c d"),
        ("sam\u00adfunn", "samfunn"),
        ("a\x00b\x07c\x1bd\x7fe\x9ff\u2028g\u2029h\ufeffi", "abcdefghi"),
        ("e\u0301", "é"),
        ("slutt.   ", "slutt. "),
        ("slutt.\u00a0", "slutt. "),
        ("   ", ""),
        ("", ""),
        ("  inntrykk", "  inntrykk"),
    ],
)
def test_a_line_is_cleaned_of_control_characters_and_odd_spaces(raw: str, clean: str) -> None:
    from ehnreport.importer.text import clean_line

    assert clean_line(raw) == clean


@pytest.mark.parametrize(
    ("lines", "width", "joined"),
    [
        # The next line begins in lower case, or with / ) ] , ;: the PDF wrapped it.
        (["Vi kjøper", "mye."], 80, ["Vi kjøper mye."]),
        (["Vi kjøper", "(og selger)"], 80, ["Vi kjøper", "(og selger)"]),
        (["Vi kjøper (mye", ") og selger."], 80, ["Vi kjøper (mye ) og selger."]),
        (["Varer", ", tjenester"], 80, ["Varer , tjenester"]),
        (["Vi brukte", "2024 på dette."], 80, ["Vi brukte 2024 på dette."]),
        # A digit after a sentence's end, and a capital after it, begin a line of their own.
        (["Vedtatt.", "2024 kom ny plan."], 80, ["Vedtatt.", "2024 kom ny plan."]),
        (["Vedtatt!", "Neste år mer."], 10, ["Vedtatt!", "Neste år mer."]),
        (["Dette:", "Neste"], 3, ["Dette:", "Neste"]),
        # A capital after a line that was full: the next word did not fit.
        (["Vi har møtt", "Leverandører"], 20, ["Vi har møtt Leverandører"]),
        (["Vi har møtt", "Leverandører"], 24, ["Vi har møtt", "Leverandører"]),
        (["Vi har møtt", "Leverandører"], 23, ["Vi har møtt Leverandører"]),
        # A capital X is a capital like any other (a room for the next word: the member's).
        (["Kort linje", "Xerox er neste"], 80, ["Kort linje", "Xerox er neste"]),
        # A list item or an empty line is never joined to the line before.
        (["Tiltak", "- kurs"], 3, ["Tiltak", "- kurs"]),
        (["Tiltak", "2. kurs"], 3, ["Tiltak", "2. kurs"]),
    ],
)
def test_a_line_break_is_the_pdfs_or_the_members(
    lines: list[str], width: int, joined: list[str]
) -> None:
    from ehnreport.importer.text import unwrap

    assert unwrap(lines, width) == joined


def test_lines_are_joined_without_a_space_after_a_hyphen_or_around_a_slash() -> None:
    from ehnreport.importer.text import join_pair, one_line

    assert join_pair("CO2-", "ekvivalenter") == "CO2-ekvivalenter"
    assert join_pair("produksjon/", "verdikjede") == "produksjon/verdikjede"
    assert join_pair("produksjon ", " /verdikjede") == "produksjon/verdikjede"
    assert join_pair("to ", " ord") == "to ord"
    assert one_line(["", " Vestvik ", "", "kommune", "  "]) == "Vestvik kommune"
    assert one_line(["   ", ""]) == ""


def test_paragraphs_split_at_blank_lines_and_keep_the_members_line_end() -> None:
    from ehnreport.importer.text import paragraphs

    assert paragraphs(["", " a ", "b", "", "", "c", ""]) == [["a ", "b"], ["c"]]
    assert paragraphs(["", "  "]) == []


@pytest.mark.parametrize(
    ("lines", "text"),
    [
        (["• en", "– to", "▪ tre", "* fire", "· fem"], "- en\n- to\n- tre\n- fire\n- fem"),
        (["1) en", "12. to"], "1. en\n12. to"),
        (["Før:", "- en", "Etter."], "Før:\n\n- en\n\nEtter."),
        (["- en", "", "Etter."], "- en\n\nEtter."),
        (["#1 i klassen"], "\\#1 i klassen"),
        (["+ og -"], "\\+ og -"),
        (["> 50 %"], "\\> 50 %"),
        (["= likt"], "\\= likt"),
        (["*viktig*"], "\\*viktig*"),
        (["1.A.1 er svart"], "1.A.1 er svart"),
        (["en", "", "", "to"], "en\n\nto"),
        (["", "  "], ""),
    ],
)
def test_the_members_text_as_markdown(lines: list[str], text: str) -> None:
    from ehnreport.importer.text import markdown

    assert markdown(lines, 80) == text


def test_list_items_and_words() -> None:
    from ehnreport.importer.text import first_word, is_list_item, squash

    assert is_list_item("  • punkt") and is_list_item("3) punkt")
    assert not is_list_item("•punkt") and not is_list_item("1234. punkt")
    assert first_word("  to ord") == "to" and first_word("  ") == ""
    assert squash(" Mål  og\nFremdrift ") == "målogfremdrift"


# -- a PDF's text: a tagged PDF is read through its structure ------------------------------------
# The PDFs here are made with pypdf, element by element, as small as each test needs:
# one page in Helvetica, each leaf element's text a marked-content sequence of its own.


def _name(value: str) -> Any:
    from pypdf.generic import NameObject

    return NameObject("/" + value)


def _dict(**items: Any) -> Any:
    from pypdf.generic import DictionaryObject

    return DictionaryObject({_name(k): v for k, v in items.items()})


def _literal(text: str) -> bytes:
    raw = text.encode("cp1252")
    return b"(" + raw.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)") + b")"


def tagged_pdf(
    tree: list[Any],
    *,
    artifacts: tuple[str, ...] = (),
    tagged: bool = True,
    pages: int = 1,
    inherit: bool = False,
    single_root: bool = False,
) -> bytes:
    """A PDF whose structure tree holds `tree`: (type, text), (type, [lines and
    elements]), or ("Link", text, address); ("MCR", text) is a marked-content reference,
    a dictionary naming its text instead of the number; ("=", text) is text on the
    printed line of the text before it, not on a line of its own. With `inherit`, only the tree's
    top element names its page, and every other element takes it from its parent. With
    `single_root`, the tree's root holds its one element itself, not in an array."""
    import io

    from pypdf import PdfWriter
    from pypdf.generic import (
        ArrayObject,
        BooleanObject,
        DecodedStreamObject,
        NumberObject,
        TextStringObject,
    )

    writer = PdfWriter()
    page = writer.add_blank_page(595, 842)
    font = _dict(
        Type=_name("Font"),
        Subtype=_name("Type1"),
        BaseFont=_name("Helvetica"),
        Encoding=_name("WinAnsiEncoding"),
    )
    page[_name("Resources")] = _dict(Font=_dict(F1=writer._add_object(font)))
    ops: list[bytes] = []
    at = {"y": 800, "mcid": 0}

    def show(text: str, tag: str, same_line: bool = False) -> Any:
        n = at["mcid"]
        if same_line:  # on the baseline of the text before
            at["y"] += 14
        ops.append(
            b"/%s <</MCID %d>> BDC BT /F1 10 Tf 50 %d Td %s Tj ET EMC"
            % (tag.encode(), n, at["y"], _literal(text))
        )
        at["y"] -= 14
        at["mcid"] += 1
        return NumberObject(n)

    def element(node: Any, parent: Any) -> Any:
        kind, content = node[0], node[1]
        if kind == "=":
            return show(content, "Span", same_line=True)
        if kind == "MCR":
            ref = _dict(Type=_name("MCR"), MCID=show(content, "Span"))
            if not inherit:
                ref[_name("Pg")] = page.indirect_reference
            return ref
        made = _dict(Type=_name("StructElem"), S=_name(kind))
        if not inherit or kind == "Document":
            made[_name("Pg")] = page.indirect_reference
        ref = writer._add_object(made)
        made[_name("P")] = parent
        if isinstance(content, str):
            kids = [show(content, kind)]
        else:
            kids = [show(k, kind) if isinstance(k, str) else element(k, ref) for k in content]
        if len(node) > 2:  # a link and the annotation it points through
            action = _dict(S=_name("URI"), URI=TextStringObject(node[2]))
            annot = _dict(Type=_name("Annot"), Subtype=_name("Link"), A=action)
            kids.append(_dict(Type=_name("OBJR"), Obj=writer._add_object(annot)))
        made[_name("K")] = ArrayObject(kids)
        return ref

    root = _dict(Type=_name("StructTreeRoot"))
    root_ref = writer._add_object(root)
    top = element(("Document", tree), root_ref)
    root[_name("K")] = top if single_root else ArrayObject([top])
    for text in artifacts:
        ops.append(b"/Artifact BMC BT /F1 8 Tf 50 %d Td %s Tj ET EMC" % (at["y"], _literal(text)))
        at["y"] -= 14
    stream = DecodedStreamObject()
    stream.set_data(b"\n".join(ops))
    page[_name("Contents")] = writer._add_object(stream)
    for _ in range(pages - 1):
        writer.add_blank_page(595, 842)
    if tagged:
        writer._root_object[_name("StructTreeRoot")] = root_ref
        writer._root_object[_name("MarkInfo")] = _dict(Marked=BooleanObject(True))
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _tagged(tree: list[Any], **kw: Any) -> Doc:
    from ehnreport.importer.pdftext import pdf_doc

    return pdf_doc(tagged_pdf(tree, **kw), "vestvik.pdf")


@pytest.mark.parametrize("inherit", [False, True])
def test_a_tagged_paragraph_is_one_line_whatever_its_wraps(inherit: bool) -> None:
    doc = _tagged(
        [("H2", "Forord"), ("P", ["Vi tar ansvar i hele", "leverandørkjeden."])], inherit=inherit
    )
    assert doc.lines == ["Forord", "", "Vi tar ansvar i hele leverandørkjeden.", ""]


@pytest.mark.parametrize(
    ("lines", "joined"),
    [
        (["samfunns-", "ansvar"], "samfunns-ansvar"),
        (["klima-", "og miljø"], "klima- og miljø"),
        (["klima-", "eller miljø"], "klima- eller miljø"),
        (["klima-", "samt miljø"], "klima- samt miljø"),
        (["CO2-", "Utslipp"], "CO2- Utslipp"),
        (["Apple-", "iPhone"], "Apple-iPhone"),  # only its first letter is looked at
        (["to  ord", "  til"], "to ord til"),
    ],
)
def test_a_hyphen_at_a_tagged_line_end_joins_a_word_not_a_list(
    lines: list[str], joined: str
) -> None:
    assert _tagged([("P", lines)]).lines == [joined, ""]


@pytest.mark.parametrize("inherit", [False, True])
def test_a_line_break_in_a_paragraph_is_kept(inherit: bool) -> None:
    # WeasyPrint tags a <br> as an empty NonStruct.
    tree = [("P", [("Span", "linje en"), ("NonStruct", [("NonStruct", [])]), ("Span", "linje to")])]
    assert _tagged(tree, inherit=inherit).lines == ["linje en", "linje to", ""]


@pytest.mark.parametrize("inherit", [False, True])
def test_list_items_get_their_markers_as_markdown(inherit: bool) -> None:
    items = [
        ("LI", [("Lbl", "•"), ("LBody", "første punkt")]),
        ("LI", [("Lbl", "–"), ("LBody", "andre punkt")]),
        ("LI", [("Lbl", "12."), ("LBody", "tolvte")]),
        ("LI", [("LBody", "uten merke")]),
    ]
    assert _tagged([("L", items)], inherit=inherit).lines == [
        "- første punkt",
        "- andre punkt",
        "12. tolvte",
        "- uten merke",
    ]


@pytest.mark.parametrize(
    "body",
    [
        # The inner list beside the item's body, or inside it (as other programs tag it).
        [("LBody", "ytre"), ("L", [("LI", [("Lbl", "•"), ("LBody", "indre")])])],
        [("LBody", [("P", "ytre"), ("L", [("LI", [("Lbl", "•"), ("LBody", "indre")])])])],
    ],
)
def test_a_list_item_holding_a_list_keeps_its_marker_on_its_own_text(body: list[Any]) -> None:
    tree = [("L", [("LI", [("Lbl", "3."), *body]), ("LI", [("Lbl", "•"), ("LBody", "neste")])])]
    assert _tagged(tree).lines == ["3. ytre", "- indre", "- neste"]
    # A marker with no text after it is not carried on to the next paragraph.
    tree = [("L", [("LI", [("Lbl", "•"), ("L", [("LI", [("LBody", "indre")])])])]), ("P", "etter")]
    assert _tagged(tree).lines == ["- indre", "etter", ""]


@pytest.mark.parametrize("inherit", [False, True])
def test_text_beside_blocks_and_text_by_reference_are_read(inherit: bool) -> None:
    # Other programs than WeasyPrint put text straight into an element that also holds
    # paragraphs, and point to text through a dictionary instead of its number.
    tree = [
        ("Div", ["Tekst rett i gruppen", ("P", "et avsnitt")]),
        ("P", [("MCR", "pekt"), ("MCR", ""), ("Span", "til")]),  # one points to no text
        ("P", [("Span", "linje"), ("NonStruct", [("MCR", "ingen linjeskift")])]),
    ]
    assert _tagged(tree, inherit=inherit).lines == [
        "Tekst rett i gruppen",
        "",
        "et avsnitt",
        "",
        "pekt til",
        "",
        "linje ingen linjeskift",
        "",
    ]
    cell = ("TD", ["tekst", ("P", "avsnitt"), "mer tekst"])
    doc = _tagged([("Table", [("TR", [cell])])], inherit=inherit)
    assert doc.tables[0].rows == [[["tekst", "avsnitt", "mer tekst"]]]


def test_inline_elements_beside_a_paragraph_are_one_paragraph() -> None:
    kids = [("Span", "en"), ("Em", "to"), ("P", "tre")]
    assert _tagged([("Div", kids)]).lines == ["en to", "", "tre", ""]
    doc = _tagged([("Table", [("TR", [("TD", kids)])])])
    assert doc.tables[0].rows == [[["en to", "tre"]]]


def test_a_line_break_inside_a_list_item_joins_its_lines() -> None:
    body = [("Span", "en"), ("NonStruct", [("NonStruct", [])]), ("Span", "to")]
    assert _tagged([("L", [("LI", [("Lbl", "•"), ("LBody", body)])])]).lines == ["- en to"]


def test_a_tree_whose_root_holds_its_element_without_an_array_is_read() -> None:
    assert _tagged([("P", "tekst")], single_root=True).lines == ["tekst", ""]


def test_pieces_on_one_printed_line_are_joined_as_printed() -> None:
    # A word printed in two pieces (a bold part, another font) has no space inside.
    assert _tagged([("P", ["Vest", ("=", "vik"), ("=", " kommune")])]).lines == [
        "Vestvik kommune",
        "",
    ]
    # Text on the line where a wrapped link ends goes on from the link, as printed.
    tree = [("P", [("Link", ["lang", "lenke"], "https://vestvik.no/a"), ("=", "."), "Neste"])]
    assert _tagged(tree).lines == ["[lang lenke](https://vestvik.no/a). Neste", ""]


def test_a_cell_with_a_line_break_a_caption_in_two_paragraphs() -> None:
    cell = ("TD", [("Span", "en"), ("NonStruct", []), ("Span", "to"), ("P", "tre")])
    caption = ("Caption", [("P", "Sosial"), ("P", "revisjon")])
    doc = _tagged([("Table", [caption, ("TR", [cell])])])
    assert [(t.caption, t.rows) for t in doc.tables] == [("Sosial revisjon", [[["en\nto", "tre"]]])]


def test_a_list_item_of_more_than_text_keeps_its_second_paragraph_a_paragraph() -> None:
    inner = ("L", [("LI", [("Lbl", "•"), ("LBody", "indre")])])
    tree = [("L", [("LI", [("Lbl", "1."), ("P", "en"), ("P", "to"), inner])])]
    assert _tagged(tree).lines == ["1. en", "to", "", "- indre"]
    # Text straight in an item, beside its inner list, is a paragraph of its own (as the
    # number of each goal in ehnreport's PDF is).
    tree = [("L", [("LI", ["rett i punktet", inner])])]
    assert _tagged(tree).lines == ["rett i punktet", "", "- indre"]


def test_a_group_of_text_is_part_of_its_paragraph_and_no_line_break() -> None:
    tree = [("P", [("Span", "en"), ("NonStruct", [("Span", "to")]), ("Span", "tre")])]
    assert _tagged(tree).lines == ["en to tre", ""]


@pytest.mark.parametrize("inherit", [False, True])
def test_a_list_of_labels_and_values_is_no_list(inherit: bool) -> None:
    # A definition list: each item's label is a term, printed as its own line.
    for tree in (
        [("L", [("LI", [("Lbl", "Navn"), ("LBody", "Kari")])])],
        [("L", [("Div", [("LI", [("Lbl", "Navn"), ("LBody", "Kari")])])])],
    ):
        assert _tagged(tree, inherit=inherit).lines == ["Navn", "", "Kari", ""]


@pytest.mark.parametrize("inherit", [False, True])
def test_a_tagged_table_is_read_as_its_rows_and_caption(inherit: bool) -> None:
    doc = _tagged(
        [
            ("P", "Over tabellen."),
            (
                "Table",
                [
                    ("Caption", "Sosial revisjon"),
                    ("THead", [("TR", [("TH", "Antall"), ("TH", "Tema")])]),
                    ("TBody", [("TR", [("TD", "3 stk"), ("TD", ["Lønn", "og mer"])])]),
                ],
            ),
        ],
        inherit=inherit,
    )
    assert doc.lines == ["Over tabellen.", "", "", "\ue000tabell:0", ""]
    assert [(t.caption, t.rows) for t in doc.tables] == [
        ("Sosial revisjon", [[["Antall"], ["Tema"]], [["3 stk"], ["Lønn og mer"]]])
    ]
    doc = _tagged([("Table", [("TR", [("TH", "Antall")])])], inherit=inherit)
    assert [(t.caption, t.rows) for t in doc.tables] == [("", [[["Antall"]]])]


@pytest.mark.parametrize("inherit", [False, True])
def test_a_link_is_kept_as_markdown_when_it_goes_elsewhere_than_it_says(inherit: bool) -> None:
    tree = [
        ("P", [("Span", "Se "), ("Link", "miljøsidene", "https://vestvik.no/milj%C3%B8")]),
        # A link at the start of a printed line: a space between it and the line before.
        ("P", [("Span", "Les mer på"), ("Link", "sidene", "https://vestvik.no/s"), ("Span", "nå")]),
        ("P", [("Link", "vestvik.no", "https://vestvik.no")]),
        ("P", [("Link", "kari@vestvik.no", "mailto:kari@vestvik.no")]),
        ("P", [("Link", "fil", "ftp://vestvik.no/fil")]),
        ("P", [("Link", "Skriv til oss", "mailto:kari@vestvik.no")]),
        ("P", [("Link", "rom", "https://vestvik.no/a%20b")]),
    ]
    assert _tagged(tree, inherit=inherit).lines == [
        "Se [miljøsidene](https://vestvik.no/miljø)",
        "",
        "Les mer på [sidene](https://vestvik.no/s) nå",
        "",
        "vestvik.no",
        "",
        "kari@vestvik.no",
        "",
        "fil",
        "",
        "[Skriv til oss](mailto:kari@vestvik.no)",
        "",
        # An address that would hold a space when decoded stays encoded.
        "[rom](https://vestvik.no/a%20b)",
        "",
    ]


def test_running_footers_give_the_short_name_and_other_artifacts_are_left_out() -> None:
    doc = _tagged(
        [("P", "tekst")],
        artifacts=("  |  Vestvik  |   3", "Vestvik kommune | 12", "Side uten tall |"),
    )
    assert doc.lines == ["tekst", ""]
    assert doc.short_names == ["Vestvik", "Vestvik kommune"]


def test_an_untagged_pdf_is_read_as_its_page_text() -> None:
    doc = _tagged([("P", "Vestvik kommune"), ("P", "side en")], tagged=False)
    assert doc.lines == ["Vestvik kommune", "side en"]


def test_a_tagged_pdf_without_text_in_its_tree_is_read_as_its_page_text() -> None:
    assert _tagged([("P", [("Span", "")])]).lines == [""]


def test_an_import_reads_the_answers_of_a_tagged_pdf(tmp_path: Path) -> None:
    label = "1.A.2 " + fv.text(E, E.by_code("1.A.2").label)
    tree = [
        ("H1", " 1 " + fv.text(E, E.steps[0].title)),
        ("H2", label),
        ("P", ["Vedtatt av kommunestyret", "i 2022."]),
        (
            "L",
            [("LI", [("Lbl", "•"), ("LBody", "kurs")]), ("LI", [("Lbl", "•"), ("LBody", "maler")])],
        ),
        ("H2", fv.BACK),
        ("P", "Vestvik kommune"),
    ]
    source = tmp_path / "vestvik.pdf"
    source.write_bytes(tagged_pdf(tree, artifacts=("  |  Vestvik  |   3",)))
    data = load_file_text(import_report(source, year=2024).text)
    assert data["steps"]["step1"]["a2"] == "Vedtatt av kommunestyret i 2022.\n\n- kurs\n- maler\n"
    assert (data["member"]["name"], data["member"]["short_name"]) == ("Vestvik kommune", "Vestvik")


def test_an_encrypted_pdf_is_refused(tmp_path: Path) -> None:
    import io

    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(tagged_pdf([("P", "hemmelig")]))))
    writer.encrypt("passord")
    out = io.BytesIO()
    writer.write(out)
    source = tmp_path / "låst.pdf"
    source.write_bytes(out.getvalue())
    with pytest.raises(InputFileError) as exc:
        read_doc(source)
    assert str(exc.value) == f"{source}: PDF-en er kryptert; lagre den uten passord først."


def test_a_pdf_of_more_than_five_hundred_pages_is_refused(tmp_path: Path) -> None:
    from ehnreport.importer.pdftext import MAX_PAGES, pdf_doc

    assert MAX_PAGES == 500
    with pytest.raises(InputFileError) as exc:
        pdf_doc(tagged_pdf([("P", "x")], pages=501), "stor.pdf")
    assert str(exc.value) == "stor.pdf: PDF-en har mer enn 500 sider."
    assert pdf_doc(tagged_pdf([("P", "x")], pages=500), "stor.pdf").lines == ["x", ""]


def _label(code: str) -> tuple[str, str]:
    return ("H2", f"{code} {fv.text(E, E.by_code(code).label)}")


def _table(*rows: list[Any], caption: str = "") -> tuple[str, list[Any]]:
    """A tagged table: the first row its header (TH), the others its body (TD)."""
    kids: list[Any] = [("Caption", caption)] if caption else []
    for i, row in enumerate(rows):
        kids.append(("TR", [("TH" if i == 0 else "TD", cell) for cell in row]))
    return ("Table", kids)


def _read_tagged(*tree: Any) -> Imported:
    # Only the top element names its page here, as the other tagged tests do not.
    im = read(_tagged(list(tree), inherit=True), E)
    assert warnings(im)[0].startswith("teksten har bare ")  # a few labels, as here
    im.warnings.pop(0)
    return im


REQUIREMENT_HEADER = ["Nr.", *REQUIREMENTS]


def test_a_tagged_requirements_table_is_read_cell_by_cell() -> None:
    im = _read_tagged(
        _label("2.A.2"),
        _table(
            REQUIREMENT_HEADER,
            ["1", "Møbler", "3", "Ja", "Nei", "Delvis"],
            ["2", "Mat", "mange", "nei", "", "Ja."],
        ),
        ("P", "Kommentar under."),
        _label("2.A.3"),
    )
    assert step(im, "step2", "a2") == {
        "rows": [
            {"procurement": "Møbler", "suppliers": 3, "qualification": "Ja", "award": "Nei"},
            {"procurement": "Mat", "qualification": "Nei", "contract": "Ja"},
        ],
        "comment": "Kommentar under.",
    }
    assert warnings(im) == [
        "steps.step2.a2: rad 1: «Delvis» er verken Ja eller Nei.",
        "steps.step2.a2: rad 2: antall leverandører kunne ikke leses.",
    ]
    assert im.notes["steps.step2.a2"][3] == "Teksten fra PDF-en: mange"


def test_a_tagged_risks_table_keeps_each_theme_of_a_cell() -> None:
    themes = [("P", "Lønn"), ("P", "Arbeidstid")]
    im = _read_tagged(
        _label("2.A.3"),
        _table(
            ["Prioritert risiko", "Relatert tema", "Geografi"],
            ["Møbler", themes, "Kina"],
            ["Mat", [("P", "HMS")], ""],
        ),
        ("P", "Begrunnelse."),
        _label("2.A.4"),
    )
    assert step(im, "step2", "a3") == {
        "risks": [
            {"name": "Møbler", "themes": ["Lønn", "Arbeidstid"], "geography": "Kina"},
            {"name": "Mat", "themes": ["HMS"]},
        ],
        "comment": "Begrunnelse.",
    }
    assert im.warnings == []


def test_a_tagged_follow_up_table_takes_its_method_from_the_caption() -> None:
    im = _read_tagged(
        _label("4.A.2"),
        _table(
            ["Antall leverandører", "Tema"],
            ["3 stk", "Lønn"],
            ["mange", "HMS"],
            ["1 200 stk.", "Arbeidstid"],
            caption="Sosial revisjon",
        ),
        ("P", "Flere kommer."),
        _label("4.A.3"),
    )
    assert step(im, "step4", "a2") == {
        "counts": [
            {"method": "Sosial revisjon", "topic": "Lønn", "count": 3},
            {"method": "Sosial revisjon", "topic": "Arbeidstid", "count": 1200},
        ],
        "text": "Flere kommer.",
    }
    assert warnings(im) == ["steps.step4.a2: en rad i tabellen kunne ikke leses."]
    assert im.notes["steps.step4.a2"][1] == "Teksten fra PDF-en: mange HMS"


def test_a_tagged_deviations_table_and_its_comment() -> None:
    im = _read_tagged(
        _label("4.A.3"),
        _table(DEVIATIONS, ["Lønn", "Fabrikk", "Ny avtale", "Lukket"], ["", "", "", ""]),
        ("P", "Slik."),
    )
    assert step(im, "step4", "a3") == {
        "rows": [{"type": "Lønn", "where": "Fabrikk", "action": "Ny avtale", "status": "Lukket"}],
        "comment": "Slik.",
    }


def test_a_tagged_answer_with_text_and_no_table_keeps_the_text() -> None:
    im = _read_tagged(_label("2.A.2"), ("P", "Bare tekst."))
    assert step(im, "step2", "a2") == {"rows": [], "comment": "Bare tekst."}


# -- finding the labels ---------------------------------------------------------------------------

B1 = "1.B.1 " + fv.text(E, E.by_code("1.B.1").label)


def _rewrap(text: str, label: str, words_per_line: int) -> str:
    words = label.split()
    lines = [" ".join(words[i : i + words_per_line]) for i in range(0, len(words), words_per_line)]
    return text.replace(label + "\n", "\n".join(lines) + "\n", 1)


@pytest.mark.parametrize("words_per_line", [14, 3, 2])
def test_a_label_wrapped_over_lines_is_found(words_per_line: int) -> None:
    assert len(B1.split()) == 16
    text = _rewrap(portal({"1.B.1": ["Slik gjør vi det."]}), B1, words_per_line)
    assert step(read(Doc.from_text(text), E), "step1", "b1") == "Slik gjør vi det."


def test_a_label_over_more_than_thirteen_lines_is_not_found_and_its_answer_not_lost() -> None:
    text = _rewrap(portal({"1.B.1": ["Slik gjør vi det."]}), B1, 1)  # sixteen lines
    im = read(Doc.from_text(text), E)
    assert step(im, "step1", "b1") is None
    assert warnings(im) == [
        "steps.step1.b2: tekst etter overskriften 1.B hører ikke til noe spørsmål."
    ]
    assert im.notes["steps.step1.b2"][1].endswith(" og hvorfor? Slik gjør vi det.")


@pytest.mark.parametrize(("lines", "found"), [(13, True), (14, False)])
def test_a_label_is_found_over_at_most_thirteen_lines(lines: int, found: bool) -> None:
    words = B1.split()
    cut = [round(i * len(words) / lines) for i in range(lines + 1)]
    wrapped = "\n".join(" ".join(words[a:b]) for a, b in zip(cut, cut[1:], strict=False))
    assert wrapped.count("\n") == lines - 1 and "\n\n" not in wrapped
    text = portal({"1.B.1": ["Slik gjør vi det."]}).replace(B1 + "\n", wrapped + "\n", 1)
    answer = step(read(Doc.from_text(text), E), "step1", "b1")
    assert answer == ("Slik gjør vi det." if found else None)


def test_a_label_is_found_whatever_its_letter_case_and_spaces() -> None:
    text = portal({"1.B.1": ["Slik gjør vi det."]})
    text = text.replace(B1, B1.upper().replace(" ", "  "), 1)
    assert step(read(Doc.from_text(text), E), "step1", "b1") == "Slik gjør vi det."


def test_a_label_that_continues_into_a_word_is_not_the_label() -> None:
    # «Status» is a card's field; «Statusen» in the text before it is not.
    im = imported(
        {
            "2.A.3": _risks("Møbler"),
            "3.A.1": _card("Møbler", "Mål om bedre\nStatusen er god.", "Pågår"),
        }
    )
    assert step(im, "step3", "a1") == [
        {"risk": "Møbler", "overall_goal": "Mål om bedre\nStatusen er god.", "status": "Pågår"}
    ]


def test_the_next_cards_title_is_the_last_paragraph_before_it() -> None:
    im = imported(
        {
            "2.A.3": _risks("Møbler"),
            "3.A.1": [
                *_card("Møbler", "Bedre.", "", "", "", "Noe annet"),
                *_card("Ukjent", "Mer."),
            ],
        }
    )
    assert step(im, "step3", "a1") == [
        {"risk": "Møbler", "overall_goal": "Bedre.", "results": "Noe annet"},
        {"risk": "Ukjent", "overall_goal": "Mer."},
    ]
    assert warnings(im) == [
        "steps.step3.a1: kort 2: «Ukjent» finnes ikke blant radene kortene følger."
    ]


def test_risks_wrapped_and_with_geography_on_the_themes_line() -> None:
    im = imported(
        {
            "2.A.3": [
                RISK_HEADER,
                "",
                "Medisinsk",
                "forbruksmateriell",
                "HMS",
                "",
                "Asia",
                "Mat",
                "Lønn Kina",
                "",
                "Transport",
                "Miljø",
                # A line longer than a cell's is the comment's, whatever themes it names.
                "Dette er en lang setning i kommentaren som handler om Lønn og om mye mer enn Lønn",
            ]
        }
    )
    assert step(im, "step2", "a3") == {
        "risks": [
            {"name": "Medisinsk forbruksmateriell", "themes": ["HMS"], "geography": "Asia"},
            {"name": "Mat", "themes": ["Lønn"], "geography": "Kina"},
            {"name": "Transport", "themes": ["Miljø"]},
        ],
        "comment": "Dette er en lang setning i kommentaren som handler om Lønn og om mye mer "
        "enn Lønn",
    }
    assert im.warnings == []


def test_a_goals_text_loses_the_next_goals_number_and_its_status_its_full_stop() -> None:
    im = imported(
        {
            "goals": [
                GOALS_NOW,
                "",
                "1",
                "",
                "Mål :",
                "Kartlegge",
                "",
                "2",
                "",
                "Mål :",
                "Kurs",
                "",
                "Status :",
                "Forsinket.",
                "",
                "3",
            ]
        }
    )
    assert im.data["goals"]["current"] == [
        {"text": "Kartlegge"},
        {"text": "Kurs", "status": "Forsinket"},
    ]


def test_an_edition_in_english_first_is_read_and_written_in_english(
    tmp_path: Path, editions: Any
) -> None:
    from ehnreport import forms

    folder = tmp_path / "engelsk"
    (folder / "ehn-public-2030").mkdir(parents=True)
    text = original = (forms.bundled_folder(DEFAULT) / "form.yaml").read_text("utf-8")
    text = text.replace(f"id: {DEFAULT}\n", "id: ehn-public-2030\n", 1)
    text = text.replace("languages: [nb, nn, en]", "languages: [en, nb, nn]", 1)
    assert text != original
    (folder / "ehn-public-2030" / "form.yaml").write_text(text, encoding="utf-8")
    (english,) = forms.add_folder(folder)
    source = _source(
        tmp_path, portal({"1.A.1": ["See our pages."], "contact": ["Vestvik"]}, e=english)
    )
    result = import_report(source, year=2030, edition="ehn-public-2030")
    # The file speaks the report's language; the screen the user's.
    assert "# Report to Ethical Trade Norway (EHN) for 2030: Vestvik.\n" in result.text
    assert "    # CHECK: the answer is not a web address; fill in the address.\n" in result.text
    assert summary(result)[1] == "Steder å sjekke (1), merket CHECK i filen:"
    data = load_file_text(result.text)
    assert data["report"]["language"] == "en"


def test_a_line_break_is_judged_by_the_width_of_its_own_page() -> None:
    # The answer stands on a page of its own: a capital that would not have fitted on
    # the line before was wrapped there by the PDF, on a page as narrow as this one.
    label = "1.A.2 " + fv.text(E, E.by_code("1.A.2").label)
    narrow = f"{label}\n Vi har møtt mange av våre\nLeverandører i år.\n Kontaktinformasjon:\n"
    doc = Doc.from_text(narrow)
    assert doc.width == [len(label), 25, 25, 19, 19]
    assert step(read(doc, E), "step1", "a2") == "Vi har møtt mange av våre Leverandører i år."
    wide = narrow.replace(
        "i år.\n", "i år.\n\nEn mye lengre linje i samme svar gjør siden bredere.\n"
    )
    assert step(read(Doc.from_text(wide), E), "step1", "a2") == (
        "Vi har møtt mange av våre\nLeverandører i år.\n\n"
        "En mye lengre linje i samme svar gjør siden bredere."
    )


@pytest.mark.parametrize(
    ("after", "geography", "comment"),
    [
        (["Sør-Amerika og Asia", "", "Valgt etter analyse."], "Sør-Amerika og Asia", None),
        (["g" * 40], "g" * 40, None),
        (["g" * 41], None, "g" * 41),
        (["Vi valgte denne."], None, "Vi valgte denne."),
        (["Asia", "og Afrika"], None, "Asia og Afrika"),
    ],
)
def test_after_the_last_risk_a_short_line_is_its_geography_else_the_comment(
    after: list[str], geography: str | None, comment: str | None
) -> None:
    im = imported({"2.A.3": [RISK_HEADER, "", "Møbler", "Lønn", "", *after]})
    risk: dict[str, Any] = {"name": "Møbler", "themes": ["Lønn"]}
    if geography:
        risk["geography"] = geography
    expected: dict[str, Any] = {"risks": [risk]}
    if comment or len(after) > 1:
        expected["comment"] = comment or after[-1]
    assert step(im, "step2", "a3") == expected


def test_two_themes_on_one_line_are_two_themes_not_a_geography() -> None:
    im = imported({"2.A.3": [RISK_HEADER, "", "Møbler", "Lønn HMS"]})
    assert step(im, "step2", "a3") == {"risks": [{"name": "Møbler", "themes": ["Lønn", "HMS"]}]}


def test_a_text_with_windows_line_ends_reads_as_one_with_unix_line_ends() -> None:
    text = portal({"1.B.1": ["Slik gjør", "vi det."], "contact": ["Vestvik kommune"]})
    unix, windows = read(Doc.from_text(text), E), read(Doc.from_text(text.replace("\n", "\r\n")), E)
    assert windows.data == unix.data and step(windows, "step1", "b1") == "Slik gjør vi det."


def test_a_geography_line_right_before_the_next_name_on_its_theme_line() -> None:
    im = imported({"2.A.3": [RISK_HEADER, "", "Møbler", "Lønn", "Asia", "Transport Miljø"]})
    assert step(im, "step2", "a3") == {
        "risks": [
            {"name": "Møbler", "themes": ["Lønn"], "geography": "Asia"},
            {"name": "Transport", "themes": ["Miljø"]},
        ]
    }
    assert im.warnings == []


@pytest.mark.parametrize(
    ("first", "geography", "name"),
    [
        ("Asia", "Asia", "Medisinsk utstyr"),
        # A full stop ends a sentence, never a geography: the line is the name's.
        ("Se under.", None, "Se under. Medisinsk utstyr"),
    ],
)
def test_a_short_line_before_a_wrapped_name_is_its_geography_unless_a_sentence(
    first: str, geography: str | None, name: str
) -> None:
    lines = [RISK_HEADER, "", "Møbler", "Lønn", first, "Medisinsk", "utstyr", "HMS"]
    risks = step(imported({"2.A.3": lines}), "step2", "a3")["risks"]
    assert risks[0].get("geography") == geography
    assert risks[1] == {"name": name, "themes": ["HMS"]}


@pytest.mark.parametrize(
    ("before", "kept"),
    [(["Innledning"], "Innledning"), (["Innledning", "", "i to linjer"], "Innledning i to linjer")],
)
def test_text_before_the_first_risk_on_its_theme_line_is_a_place_to_check(
    before: list[str], kept: str
) -> None:
    im = imported({"2.A.3": [RISK_HEADER, "", *before, "Transport Miljø"]})
    assert step(im, "step2", "a3") == {"risks": [{"name": "Transport", "themes": ["Miljø"]}]}
    assert warnings(im) == ["steps.step2.a3: teksten foran risiko 1 er usikker."]
    assert im.notes["steps.step2.a3"][1] == f"Teksten fra PDF-en: {kept}"


def _png() -> bytes:
    """A PNG of one white pixel."""
    import struct
    import zlib

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xff\xff\xff")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


def test_a_report_is_checked_where_it_will_stand(tmp_path: Path) -> None:
    # Its logo is looked for beside the target: the check runs on a file in that folder.
    folder = tmp_path / "rapport"
    (folder / "bilder").mkdir(parents=True)
    (folder / "bilder" / "logo.png").write_bytes(_png())
    member = {"name": "Vestvik kommune", "short_name": "Vestvik", "logo": "bilder/logo.png"}
    text = report_yaml(_minimal(member={**member, "logo_alt": "Våpen"}), E, header=["Vestvik."])
    write_checked(folder / "vestvik.yaml", text)
    assert (folder / "vestvik.yaml").read_text(encoding="utf-8") == text
    with pytest.raises(BuildError) as exc:
        write_checked(tmp_path / "annen.yaml", text)  # no logo beside this one
    assert "fant ikke filen «bilder/logo.png» i rapportens mappe" in str(exc.value)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["rapport"]


def test_a_count_of_zero_is_an_answer_and_is_written() -> None:
    text = report_yaml(_minimal(key_info={"employees": 0}), E, header=["Vestvik."])
    assert "  employees: 0\n" in text
    assert load_file_text(text)["key_info"]["employees"] == 0


STEP2 = E.steps[1]
KICKER, TITLE = fv.text(E, STEP2.kicker), fv.text(E, STEP2.title)


@pytest.mark.parametrize(
    "heading",
    [
        f"2 {KICKER} {TITLE}",
        f"Trinn 2 · {KICKER} 2 {TITLE}",
        f"Trinn 2 2 {TITLE}",
        f"2 {TITLE}",
        TITLE,
    ],
)
def test_ehns_prose_under_a_step_heading_is_no_part_of_the_answer_before(heading: str) -> None:
    text = portal({"1.E.1": ["Vi lærte mye."]})
    printed = f" 2 {TITLE}\n"
    assert printed in text
    text = text.replace(printed, f" {heading}\n\nTrinnets forklaring fra EHN.\n", 1)
    im = read(Doc.from_text(text), E)
    assert step(im, "step1", "e1") == "Vi lærte mye."
    assert im.warnings == []


def test_ehns_prose_under_a_questions_subheading_is_no_part_of_the_answer_before() -> None:
    text = portal(
        {
            "2.A.2": _requirement(1, "Møbler", "3", "Ja", "Ja", "Ja"),
            "2.A.3": [RISK_HEADER, "", "Møbler", "Lønn", "", "Asia"],
        }
    )
    for code in ("2.A.3", "2.A.4"):
        q = E.by_code(code)
        label = f"{code} {fv.text(E, q.label)}\n"
        subheading = fv.text(E, q.subheading).upper()
        text = text.replace(label, f" {subheading}\n\nEHNs forklaring.\n\n{label}", 1)
    im = read(Doc.from_text(text), E)
    assert step(im, "step2", "a2") == {
        "rows": [
            {
                "procurement": "Møbler",
                "suppliers": 3,
                "qualification": "Ja",
                "award": "Ja",
                "contract": "Ja",
            }
        ]
    }
    assert step(im, "step2", "a3") == {
        "risks": [{"name": "Møbler", "themes": ["Lønn"], "geography": "Asia"}]
    }
    assert im.warnings == []


def test_a_section_found_by_its_subheading_and_its_instruction_left_out() -> None:
    section = E.steps[2].sections[1]
    printed = f"{section.code} {fv.text(E, section.title)}\n"
    text = portal({"3.A.1": ["Vi har ikke laget kort i år."]})
    assert printed in text
    text = text.replace(
        printed,
        f" {fv.text(E, section.subheading).upper()}\n\n{fv.text(E, section.instruction)}\n",
        1,
    )
    im = read(Doc.from_text(text), E)
    assert im.notes["steps.step3.a1"][1] == "Teksten fra PDF-en: Vi har ikke laget kort i år."


def test_the_next_rows_number_after_a_count_is_no_text_after_it() -> None:
    rows = [
        "1",
        "",
        "I hvilke type anskaffelser Møbler",
        "",
        "Ant. leverandører på avtalen",
        "3",
        "2",
        "Anvendt som kvalifikasjonskrav Ja",
        "",
        *_requirement(2, "Mat", "1", "Nei", "Nei", "Nei"),
    ]
    im = imported({"2.A.2": rows})
    table = step(im, "step2", "a2")
    assert [(r["procurement"], r.get("suppliers")) for r in table["rows"]] == [
        ("Møbler", 3),
        ("Mat", 1),
    ]
    assert im.warnings == []


def test_a_groups_printed_header_is_no_part_of_the_counts() -> None:
    im = imported(
        {"4.A.2": ["Sosial revisjon", "Antall leverandører Tema", "3 stk Lønn", "", "Slutt."]}
    )
    assert step(im, "step4", "a2") == {
        "counts": [{"method": "Sosial revisjon", "topic": "Lønn", "count": 3}],
        "text": "Slutt.",
    }


def test_an_empty_key_figure_is_left_out() -> None:
    im = imported(
        {
            "key_info": [
                KEY_INFO,
                "",
                *_key_info("Navn på virksomheten", "Vestvik kommune"),
                *_key_info("Adresse hovedkontor"),
                *_key_info("Antall ansatte"),
            ]
        }
    )
    assert im.data["key_info"] == {"name": "Vestvik kommune"}
    assert im.warnings == []


@pytest.mark.parametrize(("width", "signed"), [(80, True), (81, False)])
def test_a_foreword_signature_line_is_at_most_eighty_characters(width: int, signed: bool) -> None:
    name = "K" * width
    im = imported({"foreword": ["Vi tar ansvar.", "", name]})
    assert im.data["foreword"]["name"] == (name if signed else None)


def test_without_year_or_edition_last_years_edition_is_taken(tmp_path: Path, editions: Any) -> None:
    editions(("ehn-public-2026", "public", 2026))
    source = _source(tmp_path, portal({"contact": ["Vestvik"]}))
    result = import_report(source, today=dt.date(2027, 1, 15))
    data = load_file_text(result.text)
    assert (data["report"]["year"], data["report"]["form"]) == (2026, "ehn-public-2026")
    assert [w.text("nb") for w in result.warnings] == [
        "report.year: rapporteringsåret står ikke i teksten; 2026 er satt inn. Rett det, "
        "eller bruk --year."
    ]
    result = import_report(source, today=dt.date(2026, 12, 31))
    assert load_file_text(result.text)["report"]["form"] == DEFAULT
    source = _source(tmp_path, "Rapporteringsår 2026\n" + portal({"contact": ["Vestvik"]}))
    result = import_report(source, today=dt.date(2030, 1, 1))
    assert load_file_text(result.text)["report"]["form"] == "ehn-public-2026"
    result = import_report(source, year=2024, today=dt.date(2030, 1, 1))
    assert load_file_text(result.text)["report"]["form"] == DEFAULT


def test_an_unknown_edition_is_said_before_an_impossible_year(tmp_path: Path) -> None:
    with pytest.raises(InputFileError) as exc:
        import_report(_source(tmp_path, portal()), year=24, edition="ehn-1999")
    assert str(exc.value).startswith("ukjent skjemautgave «ehn-1999».")


def test_the_next_deviations_number_is_no_part_of_a_cell() -> None:
    lines: list[str] = []
    for n, values in ((1, ["Lønn", "Fabrikk", "Ny avtale", "Lukket"]), (2, ["HMS", "Lager"])):
        lines += [str(n), ""]
        for label, value in zip(DEVIATIONS, values, strict=False):
            lines += [label, "", value, ""]
    im = imported({"4.A.3": lines})
    assert step(im, "step4", "a3") == {
        "rows": [
            {"type": "Lønn", "where": "Fabrikk", "action": "Ny avtale", "status": "Lukket"},
            {"type": "HMS", "where": "Lager"},
        ]
    }


def test_a_geography_on_the_last_themes_line_before_a_short_comment() -> None:
    im = imported({"2.A.3": [RISK_HEADER, "", "Møbler", "Lønn Kina", "Vi valgte denne."]})
    assert step(im, "step2", "a3") == {
        "risks": [{"name": "Møbler", "themes": ["Lønn"], "geography": "Kina"}],
        "comment": "Vi valgte denne.",
    }


# -- a tagged PDF's tables: a row that cannot be taken is said, as in the text reader ------------


def _tagged_table(code: str, rows: list[list[list[str]]]) -> Imported:
    """A portal text whose answer to `code` is a table from a tagged PDF's structure."""
    from ehnreport.importer.portal import TABLE_MARK, Table

    doc = Doc.from_text(portal({code: [f"{TABLE_MARK}0", ""]}))
    doc.tables = [Table("", rows)]
    return read(doc, E)


def _header(dotted: str) -> list[list[str]]:
    from ehnreport.importer.portal import _headers

    im = read(Doc.from_text(portal()), E)
    return [[h] for h in _headers(im, im.table(dotted))]


def test_a_tagged_requirement_row_without_its_name_is_left_out_and_said() -> None:
    header = _header("steps.step2.a2")
    im = _tagged_table(
        "2.A.2",
        [
            header,
            [["1"], ["Mat"], ["4"], ["Ja"], ["Nei"], ["Ja"]],
            [["2"], [""], ["4"], ["Ja"], ["Nei"], ["Ja"]],
        ],
    )
    assert [r["procurement"] for r in step(im, "step2", "a2")["rows"]] == ["Mat"]
    assert warnings(im) == [
        "steps.step2.a2: rad 2 har ingen I hvilke type anskaffelser; den er utelatt."
    ]


def test_a_tagged_risk_row_without_a_name_or_with_cells_missing_is_said() -> None:
    header = _header("steps.step2.a3")
    im = _tagged_table(
        "2.A.3",
        [header, [["Kaffe"], ["Lønn"], ["Brasil"]], [[""], ["HMS"], ["Asia"]], [["Mat"], ["HMS"]]],
    )
    assert [r["name"] for r in step(im, "step2", "a3")["risks"]] == ["Kaffe"]
    assert warnings(im) == [
        "steps.step2.a3: rad 2 har ingen Prioritert risiko; den er utelatt.",
        "steps.step2.a3: en rad i tabellen kunne ikke leses.",
    ]


def test_a_tagged_table_with_another_header_is_kept_as_text_to_check() -> None:
    im = _tagged_table("2.A.2", [[["Type"], ["Antall"]], [["Møbler"], ["3"]]])
    assert warnings(im) == [
        "steps.step2.a2: tabellen kunne ikke leses; teksten står som kommentar."
    ]
    assert im.notes["steps.step2.a2"][1] == "Teksten fra PDF-en: Type | Antall / Møbler | 3"
