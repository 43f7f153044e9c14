"""The EHN public-sector report form: every step, section and question, defined once.

The models, the templates, the JSON Schema and the completeness check all read
their codes and labels from here, so a label is corrected in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

FORM_EDITIONS = ("ehn-public-2024",)


@dataclass(frozen=True)
class Question:
    code: str  # "2.A.3"
    label: str  # the form's own wording, printed in the report
    help: str  # what to write, shown in editors and the scaffold
    key: str  # key in the YAML file, "a3"
    kind: str = "text"  # text, url, table, cards, counts


@dataclass(frozen=True)
class Section:
    code: str  # "1.A"
    title: str
    phases: str = ""  # procurement phases, shown in brackets in the contents
    new_page: bool = False
    questions: tuple[Question, ...] = ()


@dataclass(frozen=True)
class Step:
    number: int
    key: str  # "step1"
    title: str
    kicker: str = ""  # small label above the title on the divider page
    oecd: str = ""  # the OECD step's short Norwegian name
    sections: tuple[Section, ...] = field(default=())

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for s in self.sections for q in s.questions)


def _q(code: str, label: str, help: str, kind: str = "text") -> Question:
    key = code.split(".", 1)[1].replace(".", "").lower()
    return Question(code=code, label=label, help=help, key=key, kind=kind)


STEPS: tuple[Step, ...] = (
    Step(
        1,
        "step1",
        "Forankring av ansvarlighet i virksomheten",
        oecd="Forankre ansvarlighet i retningslinjer og styringssystemer",
        sections=(
            Section(
                "1.A",
                "Forankring: Anskaffelsesstrategi/policy for egen virksomhet",
                phases="forankring",
                questions=(
                    _q(
                        "1.A.1",
                        "Lenke til offentlig tilgjengelig policy for egen virksomhet",
                        "Nettadressen (https://…) til policyen slik den er publisert. "
                        "En offentlig lenke er et dokumentasjonskrav på basisnivå.",
                        kind="url",
                    ),
                    _q(
                        "1.A.2",
                        "Hvordan er anskaffelsesstrategi/policy for egen virksomhet blitt "
                        "utviklet og forankret?",
                        "Hvem utarbeidet policyen, hvem vedtok den og når, og hvordan den "
                        "henger sammen med virksomhetens strategi.",
                    ),
                ),
            ),
            Section(
                "1.B",
                "Forankring: Organisering, internkommunikasjon og kompetanse",
                phases="forankring",
                new_page=True,
                questions=(
                    _q(
                        "1.B.1",
                        "Hvordan er arbeidet med aktsomhetsvurderinger i anskaffelser for "
                        "bærekraftig forretningspraksis organisert i virksomheten, og hvorfor?",
                        "Hvor ansvaret ligger (enhet, rolle), hvem som gjør arbeidet, og "
                        "hvorfor det er organisert slik.",
                    ),
                    _q(
                        "1.B.2",
                        "Hvordan sikres det at relevante ansatte har tilstrekkelig kompetanse "
                        "til å arbeide med aktsomhetsvurderinger i anskaffelser og følge opp "
                        "dette hos leverandører?",
                        "Opplæring, kurs, veiledere og retningslinjer som ansatte har fått "
                        "eller bruker.",
                    ),
                ),
            ),
            Section(
                "1.C",
                "Planer og ressurser",
                phases="forankring",
                new_page=True,
                questions=(
                    _q(
                        "1.C.1",
                        "Hvordan er virksomhetens forpliktelser til å respektere mennesker, "
                        "dyr, samfunn og miljø forankret i virksomhetens strategier og "
                        "handlingsplaner?",
                        "Hvilke strategier, planer og rutiner forpliktelsene står i, og hvordan "
                        "de brukes i anskaffelsene.",
                    ),
                ),
            ),
            Section(
                "1.D",
                "Forankring: Partnerskap og samarbeid med leverandører",
                phases="forankring",
                new_page=True,
                questions=(
                    _q(
                        "1.D.1",
                        "Hvordan tydeliggjør virksomheten viktigheten av ansvarlighet og "
                        "bærekraft i møte med leverandørkjeden?",
                        "Kontraktsvilkår, kriterier, krav og møter der leverandørene får "
                        "vite hva som forventes.",
                    ),
                    _q(
                        "1.D.2",
                        "Hvordan jobbes det med å ivareta prinsipperklæringen?",
                        "Hvordan virksomheten følger opp EHNs prinsipperklæring i praksis.",
                    ),
                ),
            ),
            Section(
                "1.E",
                "Erfaringer og endringer",
                phases="forankring",
                new_page=True,
                questions=(
                    _q(
                        "1.E.1",
                        "Hvilke erfaringer har virksomheten gjort seg om arbeidet med "
                        "bærekraftig forretningspraksis i anskaffelser under "
                        "rapporteringsåret, og hva har endret seg som et resultat av dette?",
                        "Hva dere lærte i året, og hva dere har endret eller vil endre.",
                    ),
                ),
            ),
        ),
    ),
    Step(
        2,
        "step2",
        "Kartlegging av virksomhetens påvirkning på mennesker, dyr, samfunn og miljø",
        kicker="Fastsette fokus for rapporten",
        oecd="Kartlegge og vurdere negativ påvirkning/skade",
        sections=(
            Section(
                "2.A",
                "Kartlegging og prioritering",
                phases="planlegging og gjennomføring",
                questions=(
                    _q(
                        "2.A.1",
                        "Risikokartlegging",
                        "Hvordan risiko kartlegges i den enkelte anskaffelse og overordnet, "
                        "og hvilke verktøy og kilder som brukes.",
                    ),
                    _q(
                        "2.A.2",
                        "Etiske/sosiale krav i anskaffelsesprosessen",
                        "Én rad per type anskaffelse der etiske eller sosiale krav er brukt, "
                        "med antall leverandører og hvor i prosessen kravet ble brukt; "
                        "deretter en fri kommentar.",
                        kind="table",
                    ),
                    _q(
                        "2.A.3",
                        "List opp virksomhetens prioriterte risiko for negativ påvirkning/skade "
                        "på mennesker, dyr, samfunn og miljø.",
                        "Én rad per prioritert risiko med relaterte tema og geografi; "
                        "deretter en fri kommentar.",
                        kind="table",
                    ),
                    _q(
                        "2.A.4",
                        "Beskriv prioriterte risikoområder og bakgrunn for prioriteringen av "
                        "disse. Beskriv hvordan informasjon ble hentet inn, hvilke kilder som "
                        "er benyttet og hvilke interessenter som er involvert/dere har snakket "
                        "med. Beskriv videre også om det er identifisert områder eller tema hvor "
                        "det er manglende informasjon for å danne seg et helhetlig bilde, og "
                        "hvordan dere planlegger å gå frem for å få mer informasjon/håndtere "
                        "dette.",
                        "Begrunnelsen for prioriteringen: kilder, interessenter og hva dere "
                        "ennå ikke vet.",
                    ),
                ),
            ),
        ),
    ),
    Step(
        3,
        "step3",
        "Stanse, forebygge eller redusere negativ påvirkning",
        kicker="Håndtering av prioritert påvirkning",
        oecd="Stanse, forebygge eller redusere negativ påvirkning/skade",
        sections=(
            Section(
                "3.A",
                "Stans, forebygg eller reduser (planlegging, gjennomføring og oppfølging)",
                phases="planlegging, gjennomføring og oppfølging",
                questions=(
                    _q(
                        "3.A.1",
                        "Legg til mål, status på fremdrift, og beskriv tiltak dere har "
                        "iverksatt for å håndtere virksomhetens prioriterte negative "
                        "påvirkning/skade på mennesker, dyr, samfunn og miljø.",
                        "Ett kort per prioritert risiko fra 2.A.3, med samme navn og i samme "
                        "rekkefølge.",
                        kind="cards",
                    ),
                ),
            ),
            Section(
                "3.B",
                "Andre tiltak for å håndtere negativ påvirkning",
                phases="planlegging, gjennomføring og oppfølging",
                new_page=True,
                questions=(
                    _q(
                        "3.B.1",
                        "Reduksjon av natur- og miljøpåvirkning",
                        "Tiltak som reduserer påvirkning på natur og miljø.",
                    ),
                    _q(
                        "3.B.2",
                        "Reduksjon av klimagassutslipp",
                        "Tiltak og mål for lavere klimagassutslipp.",
                    ),
                    _q(
                        "3.B.3",
                        "Tilpasning av egen innkjøpspraksis (sourcing)",
                        "Endringer i hvordan og hva dere kjøper.",
                    ),
                    _q(
                        "3.B.4",
                        "Valg av produkter og sertifiseringer",
                        "Produktvalg, merkeordninger og sertifiseringer dere krever eller "
                        "foretrekker.",
                    ),
                    _q(
                        "3.B.5",
                        "Støtte aktivt opp om fri fagorganisering og kollektive forhandlinger, "
                        "eller der lovverket ikke tillater dette, støtte aktivt opp om andre "
                        "former for demokratisk valgt arbeiderrepresentasjon",
                        "Hvordan dere støtter arbeideres rett til å organisere seg.",
                    ),
                    _q(
                        "3.B.6",
                        "Bekjempelse av korrupsjon og bestikkelser i egen virksomhet og "
                        "leverandørkjeden",
                        "Retningslinjer, kontroller og opplæring mot korrupsjon.",
                    ),
                    _q(
                        "3.B.7",
                        "Annen relevant informasjon for hvordan dere arbeider med å redusere, "
                        "forhindre og håndtere negativ innvirkning på mennesker, dyr, samfunn "
                        "og miljø.",
                        "Annet arbeid som hører hjemme i dette trinnet.",
                    ),
                ),
            ),
        ),
    ),
    Step(
        4,
        "step4",
        "Overvåking av gjennomføring og resultater",
        oecd="Overvåke gjennomføring og resultater",
        sections=(
            Section(
                "4.A",
                "Overvåke og evaluere (oppfølging)",
                phases="oppfølging",
                questions=(
                    _q(
                        "4.A.1",
                        "Beskriv hvem som har ansvar for å overvåke effekten av tiltak "
                        "iverksatt for å håndtere virksomhetens vesentlige risiko for "
                        "skade/negativ påvirkning på mennesker, dyr, samfunn og miljø i "
                        "forbindelse med anskaffelser, og hvordan overvåkningen gjennomføres "
                        "i praksis.",
                        "Hvem som har ansvaret, og hvordan oppfølgingen gjøres.",
                    ),
                    _q(
                        "4.A.2",
                        "Hvor mange leverandører har vært gjenstand for kontraktsoppfølging "
                        "knyttet til bærekraft, inkludert etiske- og sosiale krav, i "
                        "rapporteringsåret (gjelder avtaler inngått i rapporteringsåret og "
                        "avtaler inngått tidligere år)?",
                        "Antall leverandører fulgt opp, per metode (egenrapportering, "
                        "revisjon …) og tema, og eventuelt en fri tekst.",
                        kind="counts",
                    ),
                    _q(
                        "4.A.3",
                        "Er det i rapporteringsåret identifisert avvik fra de etiske- og "
                        "sosiale kravene hos aktører i leverandørkjeden? Faktiske negative "
                        "konsekvenser for mennesker, dyr, samfunn og miljø omfattes. Manglende "
                        "åpenhet om leverandørkjede og manglende bærekraftspolicy kan også "
                        "være vanlige avvik. Hvis ja: Angi type avvik, hvor i "
                        "leverandørkjeden avvikene er identifisert, tiltak iverksatt for å "
                        "rette avvikene, samt status.",
                        "Én rad per avvik: type, hvor i leverandørkjeden, tiltak og status.",
                        kind="table",
                    ),
                ),
            ),
        ),
    ),
    Step(
        5,
        "step5",
        "Kommunikasjon av hvordan negativ påvirkning/skade er håndtert",
        oecd="Kommunisere hvordan påvirkningen er håndtert",
        sections=(
            Section(
                "5.A",
                "Kommunisere eksternt (oppfølging)",
                phases="oppfølging",
                questions=(
                    _q(
                        "5.A.1",
                        "Beskriv hvordan virksomheten kommuniserer offentlig rundt eget arbeid "
                        "med aktsomhetsvurderinger i anskaffelser, kartlegging og håndtering "
                        "av negativ påvirkning/skade",
                        "Hvor og hvordan arbeidet gjøres kjent: nettsider, rapporter, møter.",
                    ),
                ),
            ),
        ),
    ),
    Step(
        6,
        "step6",
        "Gjenoppretting der dette er påkrevd",
        oecd="Sørge for eller samarbeide om gjenoppretting",
        sections=(
            Section(
                "6.A",
                "Gjenoppretting",
                phases="oppfølging",
                questions=(
                    _q(
                        "6.A.1",
                        "Beskriv virksomhetens strategi/policy for gjenoppretting ved negative "
                        "konsekvenser for mennesker, dyr, samfunn og miljø",
                        "Hva virksomheten gjør når skade er forårsaket eller bidratt til.",
                    ),
                    _q(
                        "6.A.2",
                        "Beskriv eventuelle tilfeller av gjenoppretting i rapporteringsperioden",
                        "Konkrete saker i året, eller at det ikke har vært noen.",
                    ),
                ),
            ),
            Section(
                "6.B",
                "Sikre tilgang til mekanismer for gjenoppretting (oppfølging)",
                phases="oppfølging",
                new_page=True,
                questions=(
                    _q(
                        "6.B.1",
                        "Beskriv hva virksomheten gjør for å sikre at påvirkede arbeidere og "
                        "lokalsamfunn i leverandørkjeden har tilgang til effektive mekanismer "
                        "for gjenoppretting, når det er aktuelt",
                        "Klageordninger og varslingskanaler, og hvordan leverandørene "
                        "sørger for dem.",
                    ),
                ),
            ),
        ),
    ),
)

QUESTIONS: dict[str, Question] = {q.code: q for s in STEPS for q in s.questions}


@dataclass(frozen=True)
class Label:
    """A labelled field outside the six steps (cover, key figures, goals, back page)."""

    label: str
    help: str


# Parts 4-7 and the back page. Keys are the YAML keys.
LABELS: dict[str, Label] = {
    # report
    "report.year": Label("Rapporteringsår", "Året rapporten gjelder, for eksempel 2024."),
    "report.form": Label(
        "Skjemautgave",
        "Hvilken utgave av EHNs skjema rapporten følger. Nå: ehn-public-2024.",
    ),
    "report.language": Label("Språk", "Språket i rapporten: nb (bokmål)."),
    "report.title": Label(
        "Rapportens tittel",
        "Tittelen på forsiden. Uten denne brukes «Rapport om etisk handel og "
        "aktsomhetsvurderinger».",
    ),
    "report.accent": Label(
        "Aksentfarge",
        'Virksomhetens profilfarge som heksadesimal kode, for eksempel "#00509e". '
        "Farger som er for lyse til å lese mot hvitt blir avvist.",
    ),
    "report.date": Label(
        "Dato for rapporten",
        "Datoen som står i PDF-filens metadata, som ÅÅÅÅ-MM-DD. Uten denne brukes "
        "31. desember i året etter rapporteringsåret, slik at filen blir lik ved hvert bygg.",
    ),
    # member
    "member.name": Label("Virksomhetens navn", "Fullt navn, slik det står på forsiden."),
    "member.short_name": Label(
        "Kortnavn", "Kort navn til bunnteksten på hver side, for eksempel NTNU."
    ),
    "member.logo": Label(
        "Logo",
        "Filnavn for logoen (PNG, JPEG, GIF, SVG eller WebP) i samme mappe som rapporten.",
    ),
    "member.logo_alt": Label(
        "Alternativ tekst for logoen",
        "Kort tekst som leses opp i stedet for logoen. Uten denne brukes «Logo: <navn>».",
    ),
    # foreword
    "foreword.text": Label(
        "Forord fra virksomhetsleder",
        "Lederens forord. Skrives uten «» – de settes rundt teksten i rapporten.",
    ),
    "foreword.name": Label("Navn", "Navnet på lederen som signerer forordet."),
    "foreword.title": Label("Tittel", "Lederens tittel."),
    # key information
    "key_info.name": Label("Navn på virksomheten", "Virksomhetens navn."),
    "key_info.address": Label("Adresse hovedkontor", "Gateadresse, postnummer og sted."),
    "key_info.employees": Label("Antall ansatte", "Et helt tall, uten mellomrom: 8731."),
    "key_info.contact": Label(
        "Navn, tittel og tlf.nr. for kontaktperson for rapporten",
        "Navn, og gjerne tittel og telefonnummer.",
    ),
    "key_info.email": Label("E-post adresse for kontaktperson for rapporten", "En e-postadresse."),
    "key_info.structure": Label(
        "Beskrivelse av virksomhetens struktur",
        "Hva virksomheten gjør, hvordan den er organisert og hvor den holder til.",
    ),
    # procurement
    "procurement.total_value": Label(
        "Samlet verdi innkjøp av varer og tjenester i rapporteringsåret (NOK)",
        "Et helt tall i kroner, uten mellomrom: 2500000000.",
    ),
    "procurement.active_agreements": Label(
        "Totalt antall aktive anskaffelser/avtaler i rapporteringsåret", "Et helt tall."
    ),
    "procurement.followed_up_agreements": Label(
        "Oppgi antall avtaler hvor det har vært gjennomført kontraktsoppfølging under "
        "rapporteringsåret",
        "Et helt tall.",
    ),
    # goals
    "goals.current": Label(
        "Mål og fremdrift i rapporteringsåret",
        "Målene dere satte for året, hver med status.",
    ),
    "goals.next_year": Label("Mål for kommende år", "Målene for neste år, ett per punkt."),
    "goal.text": Label("Mål", "Målet slik det ble formulert."),
    "goal.status": Label(
        "Status",
        "Ett av ordene Gjennomført, Pågår, Forsinket, Ikke startet eller Utgår. "
        "Utelates når status bare skrives som fri tekst i comment.",
    ),
    "goal.comment": Label(
        "Kommentar til status", "Forklaring til statusen, eller hele statusen som fri tekst."
    ),
    # contact / back page
    "contact.name": Label("Kontaktperson", "Navnet som står på baksiden."),
    "contact.email": Label("E-post", "E-postadressen som står på baksiden."),
}

GOAL_STATUSES = ("Gjennomført", "Pågår", "Forsinket", "Ikke startet", "Utgår")

# Themes ("Relatert tema") seen in reports and named in EHN's principles. The full
# list is not published, so other themes are allowed with a warning.
KNOWN_THEMES = (
    "Miljø",
    "Utslipp",
    "Drivhusgasser",
    "Energi",
    "Avfall",
    "Vann",
    "Materialbruk",
    "Lønn",
    "Arbeidstid",
    "HMS",
    "Barnearbeid",
    "Tvangsarbeid",
    "Organisasjonsfrihet",
    "Diskriminering",
    "Regulær ansettelse",
    "Umenneskelig behandling",
    "Marginaliserte grupper/urfolk",
    "Korrupsjon",
    "Dyrevelferd",
    "Kjemikalier",
    "Biologisk mangfold",
)

# Column labels of the form's tables.
TABLE_COLUMNS = {
    "2.A.2": (
        "I hvilke type anskaffelser",
        "Ant. leverandører på avtalen",
        "Anvendt som kvalifikasjonskrav",
        "Anvendt ved tildeling av kontrakt",
        "Anvendt som kontraktsvilkår",
    ),
    "2.A.3": ("Prioritert risiko", "Relatert tema", "Geografi"),
    "4.A.3": (
        "Type avvik (barnearbeid, HMS, lønn, arbeidstid etc)",
        "Hvor i leverandørkjeden?",
        "Tiltak iverksatt for å rette avvik",
        "Status",
    ),
}

CARD_FIELDS = {
    "overall_goal": "Overordnet mål",
    "status": "Status",
    "year_goal": "Mål i rapporteringsåret",
    "measures": "Beskriv faktiske eller forventede resultater av tiltaket, samt mål og "
    "aktiviteter for kommende rapporteringsår",
    "results": "Beskriv faktiske eller forventede resultater av tiltaket, samt mål og "
    "aktiviteter for kommende rapporteringsår",
}

SUBHEADINGS = {
    "2.A.3": "Prioritert negativ påvirkning/skade for mennesker, samfunn og miljø",
    "2.A.4": "Begrunnelse for hvorfor disse utfordringene er prioritert som mest vesentlige "
    "for mennesker, samfunn og miljø",
    "3.B": "Andre tiltak for å håndtere negativ påvirkning",
}

INSTRUCTIONS = {
    "3.B": "Beskriv virksomhetens generelle tiltak for å stanse, forebygge eller redusere "
    "negativ påvirkning knyttet til anskaffelser, også i leverandørkjeden.",
}
