"""HTML rendering: the one Jinja environment factory and the report's HTML page.

Templates are looked up in one ordered list of folders, the member's override folder
first and the built-in folder last, so a member can replace any template (EHN's fixed
pages, a step's explanation, the CSS) by dropping a file with the same name into their
folder. The built-in templates are also reachable as «builtin/<name>», so an override
can extend the original and replace only one block. Answers reach the templates only
as data, through the `markdown` filters, which return Markup: an answer is never
compiled as template source.
"""

from __future__ import annotations

import base64
import datetime as dt
import functools
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import (
    BytecodeCache,
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PrefixLoader,
    StrictUndefined,
    TemplateError,
    TemplateNotFound,
    TemplateSyntaxError,
    UndefinedError,
    select_autoescape,
)
from jinja2.bccache import Bucket
from markupsafe import Markup

from . import __version__
from .errors import BuildError, Diagnostic, UserError
from .forms import DEFAULT, EDITIONS, Edition, Step, Texts, prose_folder
from .markdown import MarkdownRenderer
from .messages import Msg, msg
from .model import edition_of
from .model.base import is_answered
from .words import words

Report = Any  # a report of any edition (see ehnreport.model)

BUILTIN = Path(__file__).parent / "templates"
FONTS = BUILTIN / "fonts"
ROOT_TEMPLATE = "report.html.j2"
DEFAULT_ACCENT = "#1d5c63"  # petrol blue-green, 7.6:1 on white
EHN_ADDRESS = "etiskhandel.no"

# Weight and style of each bundled font file (see templates/fonts/README.md).
FONT_FACES = (
    ("Regular", 400, "normal"),
    ("Italic", 400, "italic"),
    ("Bold", 700, "normal"),
    ("BoldItalic", 700, "italic"),
    ("Black", 900, "normal"),
)

# Goal statuses by id: text colour and background. Each pair meets WCAG 2.1 AA (4.5:1),
# and the word itself is always printed, so colour is never the only signal. A status
# of an edition added with --forms that is not here gets the neutral pair.
STATUS_COLOURS = {
    "done": ("#1d5e34", "#e3f1e7"),
    "ongoing": ("#1f4f86", "#e4edf8"),
    "delayed": ("#7a4a00", "#fbefd9"),
    "not-started": ("#4a4f55", "#eceef0"),
    "dropped": ("#6b3a3a", "#f3e9e9"),
}
NEUTRAL_STATUS = ("#4a4f55", "#eceef0")

# Text colours of the design, all on white.
PALETTE = {
    "text": "#1f2328",
    "muted": "#545b63",
    "rule": "#c9cfd5",  # lines only, never text
}


def template_folders(edition: Edition | None = None, language: str | None = None) -> list[str]:
    """The built-in template folders for an edition: its prose in `language`, then the
    shared templates.

    An edition added with --forms is data only and brings no templates; it is printed
    with the default edition's prose. The prose of one language never falls back to
    another's: the edition's rules check that each language has every prose template.
    """
    edition_id = edition.id if edition is not None and edition.id in EDITIONS else DEFAULT
    lang = language or (edition.languages[0] if edition is not None else "nb")
    return [str(prose_folder(edition_id, lang)), str(BUILTIN)]


def environment(
    templates: Path | None = None, edition: Edition | None = None, language: str | None = None
) -> Environment:
    """The Jinja environment: override folder, the edition's prose, built-in folder."""
    builtin = template_folders(edition, language)
    folders = list(builtin)
    if templates is not None:
        if not templates.is_dir():
            raise UserError(msg("build.templates-not-found", folder=str(templates)))
        folders.insert(0, str(templates))
    env = Environment(
        # Compiling the templates is most of the rendering time; Jinja's cache in the
        # user's temp folder (private, keyed on each template's source) saves it.
        bytecode_cache=_bytecode_cache(),
        loader=ChoiceLoader(
            [
                FileSystemLoader(folders),
                PrefixLoader({"builtin": FileSystemLoader(builtin)}),
            ]
        ),
        autoescape=select_autoescape(enabled_extensions=("html.j2", "html"), default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        auto_reload=False,
    )
    env.filters["num"] = format_number
    env.filters["quoted"] = quoted
    env.filters["slug"] = slug
    env.filters["groupby_first"] = groupby_first
    env.tests["answered"] = is_answered
    return env


def edition_globals(env: Environment, edition: Edition, language: str) -> None:
    """The edition and its texts in the report's language, for the templates."""

    def text(texts: Texts | None) -> str:
        return edition.text(texts, language)

    def label(question_id: str) -> str:
        return text(edition.question(question_id).label)

    def column_label(question_id: str, key: str) -> str:
        table = edition.question(question_id).table
        assert table is not None
        return text(table.column(key).label)

    def yes_no_word(value: bool | None) -> str:
        return yes_no(value, edition, language)

    def number(value: int | None) -> str:
        return format_number(value, language)

    def quote(html: Markup) -> Markup:
        return quoted(html, language)

    def date_words(value: dt.date) -> str:
        return format_date(value, language)

    env.filters.update(t=text, yes_no=yes_no_word, num=number, quoted=quote, date=date_words)
    env.globals.update(
        edition=edition, label=label, column_label=column_label, words=words(language)
    )


class _BytecodeCache(FileSystemBytecodeCache):
    """Jinja's cache of compiled templates, which never fails a build: a cache that
    cannot be read or written is simply not used."""

    def load_bytecode(self, bucket: Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except (OSError, EOFError, ValueError):
            bucket.reset()

    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass


@functools.cache
def _bytecode_cache() -> BytecodeCache | None:
    try:
        return _BytecodeCache()  # in the temp folder, private to the user
    except (OSError, RuntimeError):  # no usable temp folder: compile every time
        return None


def format_number(value: int | None, language: str = "nb") -> str:
    """8731 -> «8 731» in Norwegian (no-break spaces, so it never wraps), «8,731» in English."""
    if value is None:
        return ""
    return f"{value:,}".replace(",", words(language)["digit_group"])


def format_date(value: dt.date, language: str = "nb") -> str:
    """A date in words: «31. desember 2025» in Norwegian, «31 December 2025» in English."""
    w = words(language)
    month = w["months"].split()[value.month - 1]
    return w["date"].format(day=value.day, month=month, year=value.year)


def yes_no(value: bool | None, edition: Edition, language: str = "nb") -> str:
    """True -> «Ja» (or «Yes»): the first word of the edition's yes or no in `language`."""
    if value is None:
        return ""
    wanted = "yes" if value else "no"
    return next(v.words[language][0] for v in edition.yes_no if v.id == wanted)


def quoted(html: Markup, language: str = "nb") -> Markup:
    """Put « » (“ ” in English) around rendered Markdown, inside its first and last
    paragraph if it has them."""
    text = str(html).rstrip("\n")
    if not text:
        return Markup("")
    w = words(language)
    left, right = w["quote_open"], w["quote_close"]
    opens = text.startswith("<p>")
    closes = text.endswith("</p>")
    text = (f"<p>{left}" + text[3:]) if opens else (f"<p>{left}</p>\n" + text)
    text = (text[:-4] + f"{right}</p>") if closes else (text + f"\n<p>{right}</p>")
    return Markup(text + "\n")


def status_colours(edition: Edition, language: str) -> dict[str, tuple[str, str]]:
    """The colours of each goal status, keyed on its word as printed in `language`."""
    return {
        v.words[language][0]: STATUS_COLOURS.get(v.id, NEUTRAL_STATUS)
        for v in edition.goal_statuses
    }


_SLUG_LETTERS = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "é": "e"})


def slug(text: str) -> str:
    """A code or word as an ASCII id or class: «1.A.2» -> «1-a-2», «Pågår» -> «pagar»."""
    text = text.lower().translate(_SLUG_LETTERS)
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")


def groupby_first(items: list[Any], attribute: str) -> list[tuple[str, list[tuple[int, Any]]]]:
    """Group items by an attribute in order of first appearance (Jinja's groupby sorts).

    Each group lists (index in `items`, item), so diagnostics can point at the item.
    """
    groups: dict[str, list[tuple[int, Any]]] = {}
    for index, item in enumerate(items):
        groups.setdefault(str(getattr(item, attribute)).strip(), []).append((index, item))
    return list(groups.items())


def report_date(report: Report) -> dt.date:
    """The date in the PDF's metadata: report.date, else December 31 of the next year.

    A fixed date, never the build date, so that the same report gives the same file.
    """
    return report.report.date or dt.date(report.report.year + 1, 12, 31)


def mix_with_white(colour: str, amount: float) -> str:
    """`amount` of `colour` over white, as #rrggbb (a tint for backgrounds)."""
    rgb = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return "#" + "".join(f"{round(c * amount + 255 * (1 - amount)):02x}" for c in rgb)


@functools.cache
def font_faces() -> tuple[dict[str, Any], ...]:
    """The bundled fonts as base64, read once per process."""
    return tuple(
        {
            "weight": weight,
            "style": style,
            "data": base64.b64encode((FONTS / f"EhnreportSans-{name}.ttf").read_bytes()).decode(
                "ascii"
            ),
        }
        for name, weight, style in FONT_FACES
    )


def font_uris() -> dict[str, str]:
    """Each bundled font's data: URI in the HTML mapped to the font file's file: URI.

    The PDF is printed from the same HTML with these swapped: WeasyPrint then reads the
    fonts from the package instead of decoding them from the page (the same bytes, so
    the same PDF), which saves work on every build.
    """
    return {
        f"data:font/ttf;base64,{face['data']}": (FONTS / f"EhnreportSans-{name}.ttf").as_uri()
        for face, (name, _, _) in zip(font_faces(), FONT_FACES, strict=True)
    }


def print_source(html: str) -> str:
    """The HTML to print: fonts by file: URI rather than inline (see `font_uris`)."""
    for data_uri, file_uri in font_uris().items():
        html = html.replace(data_uri, file_uri)
    return html


def step_phases(step: Step, edition: Edition, language: str) -> str:
    """The procurement phases of a step, as the contents shows them in brackets."""
    seen: list[str] = []
    for section in step.sections:
        phases = edition.text(section.phases, language)
        if phases and phases not in seen:
            seen.append(phases)
    return "; ".join(seen)


@dataclass(frozen=True)
class Logo:
    src: str
    alt: str


def page_context(report: Report, md: MarkdownRenderer) -> dict[str, Any]:
    """Everything the templates read besides the report itself."""
    member = report.member
    language = report.report.language
    edition = edition_of(report)
    w = words(language)
    logo = None
    if member.logo:
        src, problem = md.image(member.logo)
        if problem:
            md.diagnostics.append(_logo_warning(md, problem))
        else:
            assert src is not None
            alt = w["logo_alt"].format(member=member.name)
            logo = Logo(src, (member.logo_alt or "").strip() or alt)
    accent = report.report.accent or DEFAULT_ACCENT
    contact = report.contact
    return {
        "report": report,
        "title": (report.report.title or "").strip() or w["default_title"],
        "year": report.report.year,
        "date": report_date(report).isoformat(),
        "lang": report.report.language,
        "generator": f"ehnreport {__version__}",
        "accent": accent,
        "accent_tint": mix_with_white(accent, 0.08),
        "palette": PALETTE,
        "status_colours": status_colours(edition, language),
        "fonts": font_faces(),
        "logo": logo,
        "contact_name": contact.name or report.key_info.contact,
        "contact_email": contact.email or report.key_info.email,
        "ehn_address": EHN_ADDRESS,
        "step_phases": {s.key: step_phases(s, edition, language) for s in edition.steps},
    }


def _logo_warning(md: MarkdownRenderer, problem: Msg) -> Diagnostic:
    line, col = md.loaded.where(("member", "logo")) if md.loaded else (1, 1)
    return Diagnostic(
        line, col, "warning", "logo", "member.logo", msg("build.no-logo", problem=problem), md.file
    )


def render_html(report: Report, md: MarkdownRenderer, *, templates: Path | None = None) -> str:
    """The report as one self-contained HTML page (fonts and images inline)."""
    edition = edition_of(report)
    env = environment(templates, edition, report.report.language)
    edition_globals(env, edition, report.report.language)
    env.filters["markdown"] = md.block
    env.filters["markdown_inline"] = md.inline
    try:
        template = env.get_template(ROOT_TEMPLATE)
        return template.render(page_context(report, md))
    except TemplateNotFound as exc:
        if templates is None:
            raise  # a built-in template is missing: a broken install, keep the traceback
        raise BuildError(
            msg(
                "build.template-not-found",
                name=str(exc.name),
                folder=str(templates),
                where=_where(exc),
            )
        ) from None
    except TemplateSyntaxError as exc:
        raise BuildError(
            msg(
                "build.template-syntax",
                file=str(exc.filename or exc.name),
                line=exc.lineno,
                error=str(exc.message),
            )
        ) from None
    except UndefinedError as exc:
        raise BuildError(
            msg("build.template-unknown-name", where=_where(exc), error=str(exc.message))
        ) from None
    except TemplateError as exc:
        raise BuildError(
            msg("build.template-error", where=_where(exc), error=str(exc.message))
        ) from None


def _where(exc: BaseException) -> Msg | None:
    """« (malen X, linje N)» from the innermost template frame of a traceback, or None."""
    tb = exc.__traceback__
    found = None
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.endswith(".j2"):
            found = msg("build.in-template", file=filename, line=tb.tb_lineno)
        tb = tb.tb_next
    return found
