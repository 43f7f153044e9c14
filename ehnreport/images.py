"""What an image costs to print, read from its header before anything decodes it.

A file's size says little about its cost: a 641 KiB PNG can claim 13 000 × 13 000
pixels (1.6 GB once decoded), and an SVG of 1.6 KB with six levels of ten nested
`<use>` elements draws a million shapes. So every image a report names is measured
here: decoded pixels from the PNG, JPEG, GIF or WebP header, and for SVG the number of
elements after `<use>` expansion and their nesting, with a small scanner that never
expands an entity. Pillow is not imported: this runs in `validate`, which stays fast.

The same rules serve `validate`, the Markdown renderer and the PDF fetcher, so the
three agree on what is refused and say it in the same words.
"""

from __future__ import annotations

import re
import struct
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from .loader import file_size
from .messages import Msg, msg
from .paths import inside, resolved

MAX_IMAGE_BYTES = 10 * 1024 * 1024  # a logo or a chart; anything larger is a mistake
MAX_PIXELS = 25_000_000  # per image: 5000 × 5000, a large photo
MAX_REPORT_PIXELS = 60_000_000  # all images of one report together
MAX_REPORT_BYTES = 20 * 1024 * 1024  # image files embedded in one report together
MAX_IMAGES = 100  # images shown in one report (each time an image is shown counts)
MAX_SVG_ELEMENTS = 10_000  # per SVG, after <use> expansion
MAX_REPORT_SVG_ELEMENTS = 20_000
MAX_SVG_DEPTH = 50  # nesting of SVG elements, <use> included

_SCHEME = re.compile(r"([A-Za-z][A-Za-z0-9+.-]*):")
_WINDOWS_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


@dataclass(frozen=True)
class ImageInfo:
    """An image's type and what it costs to print."""

    mime: str
    pixels: int = 0  # decoded pixels (raster images)
    elements: int = 0  # elements after <use> expansion (SVG)


@dataclass(frozen=True)
class Image:
    """An image file that passed every check, with its bytes."""

    data: bytes
    info: ImageInfo


def sniff(data: bytes) -> str | None:
    """The mime type of an image from its first bytes, or None if not one we embed."""
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith((b"GIF87a", b"GIF89a")):
        return "image/gif"
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return "image/webp"
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"<") and b"<svg" in head:
        return "image/svg+xml"
    return None


def inspect(data: bytes, shown: str) -> ImageInfo | Msg:
    """The cost of the image `data`, or why it is refused (`shown` names it)."""
    mime = sniff(data)
    if mime is None:
        return msg("layout.not-an-image", shown=shown)
    if mime == "image/svg+xml":
        return _svg(data, shown)
    size = _raster_size(mime, data)
    if size is None:
        return msg("layout.unreadable-header", shown=shown, kind=mime[6:].upper())
    width, height = size
    pixels = width * height
    if pixels > MAX_PIXELS:
        return msg(
            "layout.too-many-pixels",
            shown=shown,
            width=width,
            height=height,
            max=MAX_PIXELS // 1_000_000,
        )
    return ImageInfo(mime, pixels=pixels)


def _raster_size(mime: str, data: bytes) -> tuple[int, int] | None:
    try:
        if mime == "image/png":
            if data[12:16] != b"IHDR":
                return None
            w, h = struct.unpack(">II", data[16:24])
            return int(w), int(h)
        if mime == "image/jpeg":
            return _jpeg_size(data)
        if mime == "image/gif":
            return _gif_size(data)
        return _webp_size(data)
    except (struct.error, IndexError):
        return None


# Start-of-frame markers: every SOFn except DHT (C4), JPG (C8) and DAC (CC).
_SOF = {0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF}


def _jpeg_size(data: bytes) -> tuple[int, int] | None:
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        if marker in (0x01, *range(0xD0, 0xD8)):  # markers without a length
            i += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no frame header seen
            return None
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        if marker in _SOF:
            h, w = struct.unpack(">HH", data[i + 5 : i + 9])
            return int(w), int(h)
        if length < 2:
            return None
        i += 2 + length
    return None


def _gif_size(data: bytes) -> tuple[int, int] | None:
    # The logical screen, grown to every frame's extent (a frame may lie outside it).
    width, height = struct.unpack("<HH", data[6:10])
    flags = data[10]
    i = 13 + (3 << ((flags & 7) + 1) if flags & 0x80 else 0)
    while i < len(data):
        kind = data[i]
        if kind == 0x3B:  # trailer
            break
        if kind == 0x21:  # extension: label, then sub-blocks
            i = _skip_blocks(data, i + 2)
        elif kind == 0x2C:  # image descriptor
            left, top, w, h = struct.unpack("<HHHH", data[i + 1 : i + 9])
            width, height = max(width, left + w), max(height, top + h)
            local = data[i + 9]
            i += 10 + (3 << ((local & 7) + 1) if local & 0x80 else 0)
            i = _skip_blocks(data, i + 1)  # after the LZW code size
        else:
            break
    return int(width), int(height)


def _skip_blocks(data: bytes, i: int) -> int:
    while i < len(data) and data[i]:
        i += data[i] + 1
    return i + 1


def _webp_size(data: bytes) -> tuple[int, int] | None:
    chunk = data[12:16]
    if chunk == b"VP8 ":
        if data[23:26] != b"\x9d\x01\x2a":
            return None
        w, h = struct.unpack("<HH", data[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L":
        if data[20] != 0x2F:
            return None
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X":
        w = int.from_bytes(data[24:27], "little") + 1
        h = int.from_bytes(data[27:30], "little") + 1
        return w, h
    return None


# --- SVG: elements and nesting, <use> expanded, no entity ever expanded -------------------

_TAG = re.compile(r"<([A-Za-z_][\w.:-]*)((?:\s+[^\s=/>]+\s*=\s*(?:\"[^\"]*\"|'[^']*'))*)\s*(/?)>")
_END = re.compile(r"</([A-Za-z_][\w.:-]*)\s*>")
_ATTR = re.compile(r"([^\s=/>]+)\s*=\s*(?:\"([^\"]*)\"|'([^']*)')")


def _svg(data: bytes, shown: str) -> ImageInfo | Msg:
    text = data.decode("utf-8", errors="replace")
    ids: dict[str, int] = {}
    edges: list[list[int]] = []  # children of each element
    uses: list[tuple[int, str]] = []  # (element, the id its <use> refers to)
    stack: list[int] = []
    tops: list[int] = []  # elements outside every other (one, in a well-formed file)
    names: list[str] = []
    i = text.find("<")
    while i != -1:
        if text.startswith("<!--", i):
            end = text.find("-->", i + 4)
            i = -1 if end == -1 else text.find("<", end + 3)
            continue
        if text.startswith("<![CDATA[", i):
            end = text.find("]]>", i)
            i = -1 if end == -1 else text.find("<", end + 3)
            continue
        if text.startswith("<?", i):
            end = text.find("?>", i)
            i = -1 if end == -1 else text.find("<", end + 2)
            continue
        if text.startswith("<!", i):
            # A DOCTYPE. Entities could put elements the scan cannot see into the
            # drawing, or expand without bound, so a file that declares any is refused.
            end = text.find(">", i)
            subset = text.find("[", i, end if end != -1 else len(text))
            if subset != -1 or end == -1:
                return msg("layout.svg-entities", shown=shown)
            i = text.find("<", end + 1)
            continue
        if text.startswith("</", i):
            m = _END.match(text, i)
            if m is None or not stack or names[stack[-1]] != m.group(1):
                return msg("layout.svg-error-at", shown=shown, at=i + 1)
            stack.pop()
            i = text.find("<", m.end())
            continue
        m = _TAG.match(text, i)
        if m is None:
            return msg("layout.svg-error-at", shown=shown, at=i + 1)
        node = len(edges)
        edges.append([])
        names.append(m.group(1))
        if stack:
            edges[stack[-1]].append(node)
        else:
            tops.append(node)
        for am in _ATTR.finditer(m.group(2)):
            name, value = am.group(1), am.group(2) if am.group(2) is not None else am.group(3)
            if name == "id":
                ids.setdefault(value, node)
            elif name in ("href", "xlink:href") and m.group(1).endswith("use"):
                if value.startswith("#"):
                    uses.append((node, value[1:]))
        if len(edges) > MAX_SVG_ELEMENTS:
            return _too_many(shown)
        if not m.group(3):
            stack.append(node)
            if len(stack) > MAX_SVG_DEPTH:
                return _too_deep(shown)
        i = text.find("<", m.end())
    if not edges:
        return msg("layout.svg-no-elements", shown=shown)
    if stack:
        return msg("layout.svg-not-closed", shown=shown)
    for node, ref in uses:
        if ref in ids:
            edges[node].append(ids[ref])
    return _expanded(edges, tops, shown)


def _expanded(edges: list[list[int]], tops: list[int], shown: str) -> ImageInfo | Msg:
    """Elements and depth of the drawing with every <use> drawn out; no recursion."""
    size = [0] * len(edges)
    depth = [0] * len(edges)
    state = [0] * len(edges)  # 0 unseen, 1 on the path, 2 done
    for root in range(len(edges)):
        if state[root]:
            continue
        work = [(root, 0)]
        while work:
            node, k = work.pop()
            if k == 0:
                state[node] = 1
            if k < len(edges[node]):
                work.append((node, k + 1))
                child = edges[node][k]
                if state[child] == 1:
                    return msg("layout.svg-use-loop", shown=shown)
                if state[child] == 0:
                    work.append((child, 0))
                continue
            kids = edges[node]
            # Capped just above the limits, so the sums stay small numbers.
            size[node] = min(MAX_SVG_ELEMENTS + 1, 1 + sum(size[c] for c in kids))
            depth[node] = min(MAX_SVG_DEPTH + 1, 1 + max((depth[c] for c in kids), default=0))
            state[node] = 2
    total = sum(size[t] for t in tops)
    if total > MAX_SVG_ELEMENTS:
        return _too_many(shown)
    if max(depth[t] for t in tops) > MAX_SVG_DEPTH:
        return _too_deep(shown)
    return ImageInfo("image/svg+xml", elements=total)


def _too_many(shown: str) -> Msg:
    return msg("layout.svg-too-many", shown=shown, max=MAX_SVG_ELEMENTS)


def _too_deep(shown: str) -> Msg:
    return msg("layout.svg-too-deep", shown=shown, max=MAX_SVG_DEPTH)


# --- reading an image a report names -----------------------------------------------------


def name_problem(name: str, shown: str | None = None) -> Msg | None:
    """Why `name` cannot name a file in the report's folder, before looking at the disk."""
    shown = name if shown is None else shown
    if not name:
        return msg("layout.no-file-name")
    if "\x00" in name:
        return msg("layout.name-with-nul", shown=repr(shown))
    if _SCHEME.match(name) and not _WINDOWS_DRIVE.match(name) or name.startswith("//"):
        return msg("layout.name-is-url", shown=shown)
    posix = name.replace("\\", "/")
    if PurePosixPath(posix).is_absolute() or _WINDOWS_DRIVE.match(name):
        return msg("layout.name-is-absolute", shown=shown)
    if ".." in PurePosixPath(posix).parts:
        return msg("layout.name-leaves-folder", shown=shown)
    return None


def locate(name: str, folder: Path) -> Path | Msg:
    """The regular file `name` inside `folder`, or why it is refused."""
    shown, name = name, name.strip()
    problem = name_problem(name, shown)
    if problem:
        return problem
    root = resolved(folder)
    target = resolved(folder / name.replace("\\", "/"))
    if root is None or target is None:
        return msg("layout.cannot-read", shown=shown)
    if target == root:
        return msg("layout.is-the-folder", shown=shown)
    if not inside(target, root):
        return msg("layout.link-out-of-folder", shown=shown)
    try:
        if not target.is_file():
            return msg("layout.image-not-found", shown=shown)
    except (OSError, ValueError):
        return msg("layout.image-not-found", shown=shown)
    return target


def read(name: str, folder: Path) -> Image | Msg:
    """The image file `name` in `folder`, checked and measured, or why it is refused."""
    target = locate(name, folder)
    if isinstance(target, Msg):
        return target
    shown = name
    try:
        size = target.stat().st_size
        if size > MAX_IMAGE_BYTES:
            return msg(
                "layout.image-too-large",
                shown=shown,
                size=file_size(size),
                max=MAX_IMAGE_BYTES // (1024 * 1024),
            )
        with target.open("rb") as f:
            data = f.read(MAX_IMAGE_BYTES + 1)  # the file may have grown since stat()
    except (OSError, ValueError) as exc:
        reason = str(getattr(exc, "strerror", None) or exc)
        return msg("layout.cannot-read-because", shown=shown, reason=reason)
    if len(data) > MAX_IMAGE_BYTES:
        return msg("layout.image-over", shown=shown, max=MAX_IMAGE_BYTES // (1024 * 1024))
    info = inspect(data, shown)
    if isinstance(info, Msg):
        return info
    return Image(data, info)


@dataclass
class Budget:
    """What the images of one report have cost so far, against the report's limits."""

    images: int = 0
    pixels: int = 0
    elements: int = 0
    bytes: int = 0

    def charge(self, image: Image, shown: str) -> Msg | None:
        """Count `image` once more, or say which report limit it would pass."""
        info = image.info
        if self.images + 1 > MAX_IMAGES:
            return msg("layout.report-images", max=MAX_IMAGES, shown=shown)
        if self.pixels + info.pixels > MAX_REPORT_PIXELS:
            return msg("layout.report-pixels", max=MAX_REPORT_PIXELS // 1_000_000, shown=shown)
        if self.elements + info.elements > MAX_REPORT_SVG_ELEMENTS:
            return msg("layout.report-svg-elements", max=MAX_REPORT_SVG_ELEMENTS, shown=shown)
        if self.bytes + len(image.data) > MAX_REPORT_BYTES:
            return msg(
                "layout.report-image-bytes", max=MAX_REPORT_BYTES // (1024 * 1024), shown=shown
            )
        self.images += 1
        self.pixels += info.pixels
        self.elements += info.elements
        self.bytes += len(image.data)
        return None
