"""Printing the HTML to PDF: the only module that imports WeasyPrint.

WeasyPrint fetches what the HTML refers to (images, fonts, stylesheets). The report's
HTML is self-contained (data: URIs), so the fetcher here allows data: URIs and files
inside a few folders (the report's folder, ehnreport's own templates, the member's
template folder) and refuses everything else, the network included. A refusal is
recorded and becomes a warning; the resource is left out.

The PDF is reproducible: its dates come from the HTML's dcterms meta elements (fixed
by the report, never the clock) and the caller gives its identifier.
"""

from __future__ import annotations

import datetime as dt
import gc
import os
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from . import images
from .errors import BuildError
from .messages import Msg, msg
from .model.base import InvalidValue
from .paths import inside_any, resolved
from .pdftags import finish_tags


@contextmanager
def _fewer_collections() -> Iterator[None]:
    """Run Python's cycle collector less often for the duration of the block.

    Laying out a report allocates millions of small objects, so at the default
    threshold (700) the collector runs thousands of times and takes about a tenth of
    the printing time, while finding little to free. A higher first threshold for
    one render (or for importing WeasyPrint) costs a few megabytes. The threshold is
    restored afterwards.
    """
    previous = gc.get_threshold()
    gc.set_threshold(100_000, *previous[1:])
    try:
        yield
    finally:
        gc.set_threshold(*previous)


with _fewer_collections(), warnings.catch_warnings():
    # Importing WeasyPrint creates many objects too (see _fewer_collections).
    # WeasyPrint 70 warns at import when the system lacks HarfBuzz-Subset (it then
    # subsets fonts with fontTools; see _source_date). It is advice for whoever
    # installs the system libraries, not for the member building a report, and under
    # `-W error` it would stop every build; so it is silenced here, and only here.
    warnings.filterwarnings(
        "ignore", message=r"HarfBuzz-Subset", category=DeprecationWarning, module=r"weasyprint"
    )
    from PIL import Image as PILImage  # WeasyPrint's image decoder, already imported by it
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import URLFetcher, URLFetcherResponse  # type: ignore[import-untyped]


class SandboxFetcher(URLFetcher):  # type: ignore[misc]  # WeasyPrint has no type hints
    """A WeasyPrint URL fetcher that never touches the network.

    Allows data: URIs, and file: URLs whose real path (symbolic links resolved) lies
    inside one of `roots`. Every other URL is refused and remembered in `refused`.
    Every image it hands over is measured first (`images.inspect`): one that costs too
    much, alone or with the images before it, is refused too, with the reason.
    """

    def __init__(self, roots: list[Path]):
        super().__init__(allowed_protocols=("data", "file"), allow_redirects=False)
        self.roots = [r.resolve() for r in roots]
        self.refused: list[str] = []
        self.too_costly: list[Msg] = []
        self.budget = images.Budget()

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower() if ":" in url else ""
        if scheme == "data":
            return self._measured(url, super().fetch(url, headers))
        if scheme == "file":
            path = self._local(url)
            if path is not None:
                return self._measured(url, super().fetch(path.as_uri(), headers))
        self.refused.append(url)
        raise InvalidValue(msg("build.fetch-not-allowed", url=url))

    def _measured(self, url: str, response: URLFetcherResponse) -> URLFetcherResponse:
        """`response` read into memory, refused if it is an image over its limits."""
        try:
            body = response.read(images.MAX_IMAGE_BYTES * 2 + 1)
        finally:
            response.close()
        if images.sniff(body) is None:  # fonts, style sheets: not images
            return URLFetcherResponse(response.url, body, response.headers, response.status)
        shown = url if len(url) <= 60 or not url.startswith("data:") else url[:57] + "…"
        info = images.inspect(body, shown)
        problem: Msg | None = info if isinstance(info, Msg) else None
        if problem is None and len(body) > images.MAX_IMAGE_BYTES:
            size = images.MAX_IMAGE_BYTES // (1024 * 1024)
            problem = msg("build.image-too-large", shown=shown, size=size)
        if problem is None and isinstance(info, images.ImageInfo):
            problem = self.budget.charge(images.Image(body, info), shown)
        if problem is not None:
            self.too_costly.append(problem)
            raise InvalidValue(problem)
        return URLFetcherResponse(response.url, body, response.headers, response.status)

    def _local(self, url: str) -> Path | None:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            return None
        try:
            path = resolved(Path(url2pathname(unquote(parts.path))))
            if path is None or not path.is_file():
                return None
        except (OSError, ValueError):
            return None
        return path if inside_any(path, self.roots) else None


@dataclass
class Printed:
    """A printed PDF and the URLs the sandbox refused while printing it."""

    data: bytes
    refused: list[str] = field(default_factory=list)
    # Images refused for their cost: why, as images.py says it (a message or, for now, text).
    too_costly: list[Msg] = field(default_factory=list)


@contextmanager
def _source_date(date: dt.date) -> Iterator[None]:
    """Set SOURCE_DATE_EPOCH to `date` for the duration of the block.

    When HarfBuzz-Subset is missing, WeasyPrint subsets fonts with fontTools, which
    stamps each subset with the current time unless SOURCE_DATE_EPOCH is set (the
    reproducible-builds convention). The report's date is used, so the PDF depends on
    the report only. The variable is restored afterwards.
    """
    epoch = dt.datetime(date.year, date.month, date.day, tzinfo=dt.UTC).timestamp()
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(epoch))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


def print_pdf(
    html: str,
    *,
    base: Path,
    roots: list[Path],
    variant: str | None,
    identifier: bytes,
    date: dt.date,
) -> Printed:
    """Print `html` to PDF bytes; relative URLs resolve against the folder `base`.

    `identifier` and `date` make the file reproducible: the same arguments give the
    same bytes.
    """
    fetcher = SandboxFetcher([base, *roots])
    try:
        with _source_date(date), _fewer_collections(), warnings.catch_warnings():
            # WeasyPrint 70 opens its sRGB profile for PDF/A and never closes it.
            warnings.filterwarnings(
                "ignore", message=r"unclosed file .*sRGB2014\.icc", category=ResourceWarning
            )
            # The fetcher measures every image before Pillow opens it, so Pillow's own
            # guard should never fire; if it does, it refuses the image (WeasyPrint
            # leaves it out) instead of printing a warning with Pillow's source path.
            warnings.simplefilter("error", PILImage.DecompressionBombWarning)
            document = HTML(
                string=html, base_url=base.resolve().as_uri() + "/", url_fetcher=fetcher
            )
            data = document.write_pdf(
                pdf_variant=variant,
                pdf_identifier=identifier,
                pdf_tags=True,
                finisher=finish_tags,  # completes what WeasyPrint leaves out of the tags
            )
    except Exception as exc:  # WeasyPrint's errors have no common base class
        raise BuildError(msg("build.pdf-failed", error=f"{type(exc).__name__}: {exc}")) from exc
    if data is None:  # pragma: no cover - write_pdf returns bytes when given no target
        raise BuildError(msg("build.pdf-empty"))
    return Printed(data, fetcher.refused, fetcher.too_costly)
