"""A new, empty report for the current form: every part and question, ready to fill in.

Labels, help texts and keys come from `form.py` and the models, so the scaffold
follows the form when it changes. The text is valid as written: `ehnreport validate`
gives warnings for the unanswered questions and no errors.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import textwrap
import types
import typing
from typing import Any

from pydantic import BaseModel

from .form import FORM_EDITIONS, INSTRUCTIONS, LABELS, STEPS, SUBHEADINGS, Question
from .model import Report, Steps

FORM_EDITION = FORM_EDITIONS[-1]
DEFAULT_MEMBER = "Virksomhetens navn"
DEFAULT_SHORT_NAME = "Kortnavn"
DEFAULT_SCHEMA = "schema/ehnreport.schema.json"
WIDTH = 88  # comment lines are wrapped to this many characters
MAX_SHORT_NAME = 40  # as in model.parts.Member

# Free text written as `|` blocks; every other text field outside the steps is short.
_LONG_TEXT = {"foreword.text", "key_info.structure"}

# Model fields the scaffold sets to a value; the rest are left empty.
_SET = {"report.year", "report.form", "report.language", "member.name", "member.short_name"}

# Example rows shown as comments above the empty tables, cards and goal lists. They are
# examples of answers, not labels: the labels come from form.py through the models.
_EXAMPLES: dict[str, list[Any]] = {
    "2.A.2": [
        {
            "procurement": "Arbeidsklær og verneutstyr",
            "suppliers": 2,
            "qualification": "Nei",
            "award": "Ja",
            "contract": "Ja",
        }
    ],
    "2.A.3": [
        {
            "name": "Arbeidsforhold i produksjon av arbeidsklær",
            "themes": ["Lønn", "Arbeidstid", "HMS"],
            "geography": "Asia",
        }
    ],
    "3.A.1": [
        {
            "risk": "Arbeidsforhold i produksjon av arbeidsklær",
            "overall_goal": "Alle leverandører av arbeidsklær kan dokumentere anstendige\n"
            "arbeidsforhold innen 2027.\n",
            "status": "Pågår",
            "year_goal": "Egenrapportering fra begge leverandørene.\n",
            "measures": "Etiske kontraktsvilkår og egenrapportering.\n",
            "results": "Begge leverandørene har svart. Neste år: oppfølgingsmøter.\n",
        }
    ],
    "4.A.2": [
        {"method": "Egenrapportering", "topic": "Lønns- og arbeidsvilkår", "count": 12},
        {"method": "Revisjon", "topic": "Lønns- og arbeidsvilkår", "count": 2},
    ],
    "4.A.3": [
        {
            "type": "Lønn",
            "where": "Underleverandør i Norge",
            "action": "Etterbetaling til de ansatte er dokumentert.\n",
            "status": "Lukket",
        }
    ],
    "goals.current": [
        {
            "text": "Policy for ansvarlige innkjøp skal vedtas innen 3. kvartal.\n",
            "status": "Pågår",
            "comment": "Utkastet er på høring og vedtas i januar.\n",
        }
    ],
    "goals.next_year": ["Egenrapportering fra alle leverandører med høy risiko.\n"],
}

_NOT_PLAIN_START = set("-?:,[]{}#&*!|>'\"%@`")
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")


def scaffold(
    member: str | None = None,
    year: int | None = None,
    short_name: str | None = None,
    *,
    schema: str | None = DEFAULT_SCHEMA,
    today: dt.date | None = None,
) -> str:
    """The YAML text of a new report for `member` and reporting `year`.

    `year` defaults to the calendar year before `today`; `short_name` to the member's
    name when it fits the running footer. `schema` is the path written on the
    editor's modeline (none when None). Raises ValueError, with a Norwegian message,
    for a name or year the report could not hold, so the result is always valid.
    """
    if year is None:
        year = (today or dt.date.today()).year - 1
    if isinstance(year, bool) or not isinstance(year, int) or not 2000 <= year <= 2100:
        raise ValueError(
            f"{year} er ikke et mulig rapporteringsår. Skriv året med fire sifre, som 2024."
        )
    name = _clean(member, "navnet på virksomheten") if member is not None else DEFAULT_MEMBER
    if short_name is not None:
        short = _clean(short_name, "kortnavnet")
    elif member is None:
        short = DEFAULT_SHORT_NAME
    else:
        short = _shorten(name)
    if len(short) > MAX_SHORT_NAME:
        raise ValueError(
            f"kortnavnet «{short}» er {len(short)} tegn; det står i bunnteksten på hver side "
            f"og kan være høyst {MAX_SHORT_NAME} tegn."
        )
    if schema is not None and (not schema.strip() or _CONTROL.search(schema)):
        raise ValueError("stien til skjemaet kan ikke være tom eller inneholde linjeskift.")

    values: dict[str, Any] = {
        "report.year": year,
        "report.form": FORM_EDITION,
        "report.language": "nb",
        "member.name": name,
        "member.short_name": short,
    }
    if member is not None:
        values["key_info.name"] = name
    out = _Writer()
    if schema is not None:
        out.line(0, f"# yaml-language-server: $schema={schema}")
        out.line(0, "#")
    _header(out, name, year)
    for part, field in Report.model_fields.items():
        if part == "steps":
            _steps(out)
            continue
        out.blank()
        _comment(out, 0, field.title or part)
        if field.description:
            _comment(out, 0, field.description)
        out.line(0, f"{part}:")
        model = inner_type(field.annotation)
        _part(out, part, model, values)
    return out.text()


def _clean(value: str, what: str) -> str:
    """One line of text without control characters, or ValueError."""
    text = " ".join(value.split())
    if not text:
        raise ValueError(f"{what} kan ikke være tomt.")
    if _CONTROL.search(text):
        raise ValueError(f"{what} inneholder kontrolltegn; skriv det med vanlige tegn.")
    return text


def _shorten(name: str) -> str:
    """The name, cut at a word boundary to fit the running footer."""
    if len(name) <= MAX_SHORT_NAME:
        return name
    cut = name.rfind(" ", 0, MAX_SHORT_NAME + 1)
    short = (name[:cut] if cut > 0 else name[:MAX_SHORT_NAME]).rstrip(" ,.;:-")
    return short or name[:MAX_SHORT_NAME].strip()


def inner_type(tp: Any) -> Any:
    """The type inside Optional[...] and Annotated[...]."""
    while True:
        if typing.get_origin(tp) is typing.Annotated:
            tp = typing.get_args(tp)[0]
            continue
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        union = isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union
        if union and len(args) == 1:
            tp = args[0]
            continue
        return tp


class _Writer:
    def __init__(self) -> None:
        self.lines: list[str] = []

    def line(self, indent: int, text: str) -> None:
        self.lines.append(" " * indent + text)

    def blank(self) -> None:
        if self.lines and self.lines[-1] != "":
            self.lines.append("")

    def text(self) -> str:
        while self.lines and self.lines[-1] == "":
            self.lines.pop()
        return "\n".join(self.lines) + "\n"


def _comment(
    out: _Writer, indent: int, text: str, first: str = "", hang: int | None = None
) -> None:
    """`text` as comment lines of at most WIDTH characters, after `first` on line one.

    Comments stand at the indentation of the keys around them: a comment indented
    deeper, right after an empty `|` block, would become the block's text.
    """
    lead = " " * indent + "# "
    rest = lead + " " * (len(first) if hang is None else hang)
    for line in textwrap.wrap(
        first + text,
        width=WIDTH,
        initial_indent=lead,
        subsequent_indent=rest,
        break_long_words=False,
        break_on_hyphens=False,
    ):
        out.lines.append(line)


def _help(out: _Writer, indent: int, text: str) -> None:
    _comment(out, indent, text, first="Veiledning: ")


def _header(out: _Writer, name: str, year: int) -> None:
    for text in (
        f"Rapport til Etisk handel Norge (EHN) for {year}: {name}.",
        f"Laget med «ehnreport init» for skjemaet {FORM_EDITION}.",
    ):
        _comment(out, 0, text)
    out.line(0, "#")
    out.line(0, "# Slik fyller du ut:")
    for text in (
        (
            "Over hver nøkkel står spørsmålet fra skjemaet, med kode og ledetekst, og en "
            "veiledning om hva du skriver."
        ),
        (
            "Fri tekst skrives på linjene under «|», med to mellomrom mer innrykk enn "
            "nøkkelen. Da beholdes linjeskift, punktlister og tegn som : * # slik du "
            "skriver dem (teksten er Markdown)."
        ),
        "Et spørsmål du lar stå tomt, er ubesvart. Det er lov, men gir en advarsel.",
        "Tall skrives uten mellomrom: 2500000000.",
        (
            "Kontroller rapporten med «ehnreport validate report.yaml» og lag PDF og HTML "
            "med «ehnreport build report.yaml»."
        ),
    ):
        _comment(out, 0, text, first="- ")
    out.line(0, "#")
    out.line(0, "# Eksempel på fri tekst:")
    for text in (
        "  a2: |",
        "    Policyen ble vedtatt av kommunedirektøren i 2023.",
        "    - Den gjelder alle innkjøp over 100 000 kroner.",
    ):
        out.line(0, "# " + text)


def _part(out: _Writer, part: str, model: type[BaseModel], values: dict[str, Any]) -> None:
    """One part outside the steps: each field with its label, help and an empty value."""
    for key in model.model_fields:
        dotted = f"{part}.{key}"
        label = LABELS[dotted]
        _comment(out, 2, label.label)
        _help(out, 2, label.help)
        if dotted in _EXAMPLES:
            _example(out, 2, key, _EXAMPLES[dotted])
            out.line(2, f"{key}: []")
        elif dotted in values:
            out.line(2, f"{key}: {_scalar(values[dotted])}")
        elif dotted in _LONG_TEXT:
            out.line(2, f"{key}: |")
        else:
            out.line(2, f"{key}:")


def _steps(out: _Writer) -> None:
    out.blank()
    _comment(out, 0, Report.model_fields["steps"].title or "steps")
    out.line(0, "steps:")
    for step in STEPS:
        out.blank()
        _comment(out, 2, f"Trinn {step.number}: {step.title}")
        out.line(2, f"{step.key}:")
        model = inner_type(Steps.model_fields[step.key].annotation)
        for section in step.sections:
            out.blank()
            _comment(out, 4, section.title, first=f"{section.code} ")
            if section.code in INSTRUCTIONS:
                _comment(out, 4, INSTRUCTIONS[section.code])
            for q in section.questions:
                _question(out, q, model)


def _question(out: _Writer, q: Question, step_model: type[BaseModel]) -> None:
    out.blank()
    if q.code in SUBHEADINGS:
        _comment(out, 4, SUBHEADINGS[q.code].upper())
    _comment(out, 4, q.label, first=f"{q.code} ")
    _help(out, 4, q.help)
    answer = inner_type(step_model.model_fields[q.key].annotation)
    if typing.get_origin(answer) is list:  # 3.A.1 cards
        _example(out, 4, q.key, _EXAMPLES[q.code])
        out.line(4, f"{q.key}: []")
    elif isinstance(answer, type) and issubclass(answer, BaseModel):  # tables and counts
        out.line(4, f"{q.key}:")
        for key, field in answer.model_fields.items():
            _comment(out, 6, field.description or field.title or key)
            if typing.get_origin(inner_type(field.annotation)) is list:
                _example(out, 6, key, _EXAMPLES[q.code])
                out.line(6, f"{key}: []")
            else:
                out.line(6, f"{key}: |")
    elif q.kind == "url":
        out.line(4, f"{q.key}:")
    else:
        out.line(4, f"{q.key}: |")


def _example(out: _Writer, indent: int, key: str, rows: list[Any]) -> None:
    """A commented example of a list, to write in place of the empty `[]` below it."""
    _comment(out, indent, "Bytt ut [] med en liste, som i eksemplet:")
    for line in _yaml(key, rows, 0):
        out.line(indent, "#   " + line if line else "#")


def _yaml(key: str, value: Any, indent: int) -> list[str]:
    """`key: value` as block YAML lines, for the simple values of the examples."""
    pad = " " * indent
    if isinstance(value, list):
        if all(isinstance(v, str) and "\n" not in v for v in value):
            return [f"{pad}{key}: [{', '.join(_scalar(v, flow=True) for v in value)}]"]
        lines = [f"{pad}{key}:"]
        for item in value:
            if isinstance(item, dict):
                body = [ln for k, v in item.items() for ln in _yaml(k, v, indent + 4)]
            else:
                body = [ln[2:] for ln in _yaml("", item, indent + 4)]
            lines.append(f"{pad}  - {body[0][indent + 4 :]}")
            lines.extend(body[1:])
        return lines
    head = f"{pad}{key}: " if key else f"{pad}  "
    if isinstance(value, str) and "\n" in value:
        return [head + "|"] + [
            f"{pad}  {ln}" if ln else "" for ln in value.rstrip("\n").split("\n")
        ]
    return [head + _scalar(value)]


def _scalar(value: Any, flow: bool = False) -> str:
    """A YAML scalar that ehnreport's loader reads back as exactly `value`."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    text = str(value)
    if _plain_ok(text, flow):
        return text
    quoted = json.dumps(text, ensure_ascii=False)
    # JSON leaves C1 controls and the Unicode line separators as they are; YAML does not.
    return re.sub(r"[\x7f-\x9f\u2028\u2029]", lambda m: f"\\u{ord(m.group()):04x}", quoted)


def _plain_ok(text: str, flow: bool) -> bool:
    """Whether `text` can stand unquoted and stay text, as written."""
    if not text or text != text.strip() or text[0] in _NOT_PLAIN_START:
        return False
    if ": " in text or " #" in text or text.endswith(":") or _CONTROL.search(text):
        return False
    if flow and any(c in text for c in ",[]{}"):
        return False
    if text in ("~", "null", "Null", "NULL", "true", "false", "True", "False"):
        return False
    return not re.fullmatch(r"[-+0-9._: ]+", text)
