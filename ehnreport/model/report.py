"""The report root: every part of the form in the order it is printed."""

from pydantic import Field

from .base import Strict
from .parts import Contact, Foreword, Goals, KeyInfo, Member, Meta, Procurement
from .step1 import Step1
from .step2 import Step2
from .step3 import Step3
from .step4 import Step4
from .step5 import Step5
from .step6 import Step6


class Steps(Strict):
    """The six OECD steps, one model each."""

    step1: Step1 = Field(
        default_factory=Step1, title="Trinn 1: Forankring av ansvarlighet i virksomheten"
    )
    step2: Step2 = Field(default_factory=Step2, title="Trinn 2: Kartlegging av påvirkning")
    step3: Step3 = Field(
        default_factory=Step3, title="Trinn 3: Stanse, forebygge eller redusere negativ påvirkning"
    )
    step4: Step4 = Field(
        default_factory=Step4, title="Trinn 4: Overvåking av gjennomføring og resultater"
    )
    step5: Step5 = Field(default_factory=Step5, title="Trinn 5: Kommunikasjon")
    step6: Step6 = Field(default_factory=Step6, title="Trinn 6: Gjenoppretting")


class Report(Strict):
    """An EHN member's annual report on due diligence in procurement."""

    model_config = Strict.model_config | {"title": "EHN-rapport (ehnreport)"}

    report: Meta = Field(
        title="Om rapporten", description="Rapporteringsår, skjemautgave og utseende."
    )
    member: Member = Field(
        title="Virksomheten", description="Navn og kortnavn til forside og bunntekst, og logo."
    )
    foreword: Foreword = Field(default_factory=Foreword, title="Forord fra virksomhetsleder")
    key_info: KeyInfo = Field(
        default_factory=KeyInfo, title="Nøkkelinformasjon om virksomheten og leverandørkjeden"
    )
    procurement: Procurement = Field(
        default_factory=Procurement, title="Informasjon om anskaffelser/avtaler"
    )
    goals: Goals = Field(default_factory=Goals, title="Mål og fremdrift")
    steps: Steps = Field(default_factory=Steps, title="De seks trinnene")
    contact: Contact = Field(
        default_factory=Contact,
        title="Kontaktinformasjon",
        description="Baksiden. Uten denne brukes kontaktpersonen fra key_info.",
    )
