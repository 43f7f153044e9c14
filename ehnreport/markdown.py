"""Markdown in answers: the one markdown-it instance and its safety rules.

Members write their answers in a form, so the rules favour what they expect and what
is safe to publish: a single line break is kept; raw HTML is shown as text; links go
only to http, https and mailto; images come only from the report's own folder, need
alt text and are embedded as data: URIs. Anything refused becomes a warning that
points at the answer's line in the YAML file, and the output never depends on the
network or on files outside the report's folder.
"""

from __future__ import annotations

import base64
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote

from markdown_it import MarkdownIt
from markdown_it.renderer import RendererHTML
from markdown_it.token import Token
from markdown_it.utils import EnvType, OptionsDict
from markupsafe import Markup, escape

from . import images
from .content import answer_place, left_out, link_refusal, missing_alt
from .errors import Diagnostic
from .loader import Loaded, Path_, format_path
from .messages import Msg


def _markdown_it() -> MarkdownIt:
    md = MarkdownIt(
        "commonmark",
        # No typographer (the preset's default): quotes and dashes stay as the member typed.
        {"html": False, "breaks": True, "linkify": True},
    ).enable(["table", "linkify"])
    # Bare addresses become links only when written with http:// or https:// (or as an
    # e-mail address): «etiskhandel.no» in a sentence stays text, and linkify's other
    # schemes (ftp:, //) are off, so linkify never makes a link the rule would refuse.
    linkify = md.linkify
    assert linkify is not None  # linkify-it-py is a dependency
    linkify.set({"fuzzy_link": False})
    linkify.add("ftp:", None)
    linkify.add("//", None)
    # markdown-it drops unsafe links silently; accept every target at parse time so
    # that our render rules see it, refuse it there and tell the author why.
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    md.add_render_rule("heading_open", _heading_open)
    md.add_render_rule("heading_close", _heading_close)
    md.add_render_rule("link_open", _link_open)
    md.add_render_rule("link_close", _link_close)
    md.add_render_rule("image", _image)
    md.add_render_rule("table_open", _table_open)
    md.add_render_rule("table_close", _table_close)
    md.add_render_rule("th_open", _th_open)
    return md


@dataclass
class _Place:
    """Where one answer sits in the YAML file, to point diagnostics at its lines."""

    path: Path_
    first_line: int  # line of the answer's first text line
    column: int
    shift: int  # answer headings: h1 becomes h(1 + shift)


@dataclass
class MarkdownRenderer:
    """Renders the answers of one report; collects the warnings rendering produces."""

    folder: Path
    loaded: Loaded | None = None
    file: str = ""
    diagnostics: list[Diagnostic] = field(default_factory=list)
    budget: images.Budget = field(default_factory=images.Budget)
    _images: dict[str, images.Image | Msg] = field(default_factory=dict)
    _lines: list[str] | None = None
    # One parser per report (about 1 ms to make) rather than one made at import, so that
    # mutation testing (docs/mutation.md) reaches its settings.
    _md: MarkdownIt = field(default_factory=_markdown_it, repr=False)

    def block(self, text: str | None, path: Sequence[str | int], level: int = 4) -> Markup:
        """An answer as HTML blocks; its headings start one level below `level`."""
        if text is None or not text.strip():
            return Markup("")
        return self._render(self._md.parse(text), tuple(path), shift=level)

    def inline(self, text: str | None, path: Sequence[str | int]) -> Markup:
        """A short answer (a table cell, a name, a goal) as inline HTML, without <p>."""
        if text is None or not text.strip():
            return Markup("")
        # Inline text has no headings to shift.
        return self._render(self._md.parseInline(text.strip("\n")), tuple(path), shift=0)

    def _render(self, tokens: list[Token], path: Path_, *, shift: int) -> Markup:
        """Tokens as HTML, each warning pointed at its line of the answer at `path`."""
        place = self._place(path, shift=shift)
        _number_lines(tokens)
        env = {"renderer": self, "place": place}
        return Markup(self._md.renderer.render(tokens, self._md.options, env))

    def image(self, name: str) -> tuple[str | None, Msg | None]:
        """An image file `name` of this report's folder as a data: URI, or (None, the reason).

        Refused: a URL, an absolute path, a path with «..», a symbolic link that leads
        out of the folder, a missing or unreadable file, a file too large, not an image,
        an image that costs too much to print, or one past the report's budget. Each
        file is read once; each time it is shown counts against the budget.
        """
        if name not in self._images:
            self._images[name] = images.read(name, self.folder)
        image = self._images[name]
        if isinstance(image, Msg):
            return None, image
        problem = self.budget.charge(image, name)
        if problem:
            return None, problem
        data = base64.b64encode(image.data).decode("ascii")
        return f"data:{image.info.mime};base64,{data}", None

    def warn(self, place: _Place, line: int, code: str, message: Msg) -> None:
        self.diagnostics.append(
            Diagnostic(
                place.first_line + line,
                place.column,
                "warning",
                code,
                format_path(place.path),
                message,
                self.file,
            )
        )

    def _source_lines(self) -> list[str]:
        """The report's lines, split once per renderer (not once per answer)."""
        if self._lines is None:
            self._lines = self.loaded.source.splitlines() if self.loaded is not None else []
        return self._lines

    def _place(self, path: Path_, *, shift: int) -> _Place:
        where = answer_place(self.loaded, path, self._source_lines())
        return _Place(path, where.line, where.column, shift)


def _number_lines(tokens: list[Token]) -> None:
    """Give every inline child the line (within the answer) it starts on."""
    for tok in tokens:
        if not tok.children:  # only an inline token has children
            continue
        assert tok.map is not None  # markdown-it gives every inline token its lines
        line = tok.map[0]
        for child in tok.children:
            child.meta["line"] = line
            if child.type in ("softbreak", "hardbreak"):
                line += 1


def _ctx(env: EnvType) -> tuple[MarkdownRenderer, _Place]:
    return env["renderer"], env["place"]


def _shifted(token: Token, env: EnvType) -> str:
    _, place = _ctx(env)
    return f"h{min(6, int(token.tag[1]) + place.shift)}"


def _heading_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f"<{_shifted(tokens[idx], env)}>"


def _heading_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return f"</{_shifted(tokens[idx], env)}>\n"


def _link_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    href = str(token.attrs["href"])  # markdown-it gives every link its href
    refusal = link_refusal(href)
    if refusal is None:
        return self.renderToken(tokens, idx, options, env)
    renderer, place = _ctx(env)
    renderer.warn(place, token.meta["line"], "link-refused", refusal)  # see _number_lines
    # Drop the matching close tag too: the link text stays as plain text.
    for j in range(idx + 1, len(tokens)):
        if tokens[j].type == "link_close" and tokens[j].level == token.level:
            tokens[j].meta["refused"] = True
            break
    return ""


def _link_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    if tokens[idx].meta.get("refused"):
        return ""
    return self.renderToken(tokens, idx, options, env)


def _image(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    token = tokens[idx]
    renderer, place = _ctx(env)
    line = token.meta["line"]  # set by _number_lines
    src = unquote(str(token.attrs["src"]))  # markdown-it gives every image its src
    alt = self.renderInlineAsText(token.children or [], options, env).strip()
    data_uri, problem = renderer.image(src)
    if problem:
        renderer.warn(place, line, "image-refused", left_out(problem))
        # The alt text is the image's stand-in, so the reader still gets its content.
        return str(escape(alt))
    if not alt:
        renderer.warn(
            place,
            line,
            "image-alt",
            missing_alt(src),
        )
        return ""
    title = token.attrGet("title")
    title_attr = f' title="{escape(title)}"' if title else ""
    return f'<img src="{data_uri}" alt="{escape(alt)}"{title_attr} />'


def _table_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return '<div class="table-wrap">\n' + self.renderToken(tokens, idx, options, env)


def _table_close(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    return self.renderToken(tokens, idx, options, env) + "</div>\n"


def _th_open(
    self: RendererHTML, tokens: Sequence[Token], idx: int, options: OptionsDict, env: EnvType
) -> str:
    tokens[idx].attrSet("scope", "col")
    return self.renderToken(tokens, idx, options, env)
