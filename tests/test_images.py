"""Image costs read from headers (ehnreport.images), the folder rule (ehnreport.paths)
and the cheap Markdown scan of validate (ehnreport.content)."""

from __future__ import annotations

import os
import struct
import zlib
from collections import Counter
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ehnreport import content, images, paths
from ehnreport.loader import load_text
from ehnreport.markdown import MarkdownRenderer, _markdown_it
from ehnreport.messages import Msg

_FUZZ = os.environ.get("EHNREPORT_FUZZ_EXAMPLES", "").strip()


def budget(examples: int) -> settings:
    """Deterministic in CI; EHNREPORT_FUZZ_EXAMPLES=5000 makes a long randomized run."""
    if _FUZZ.isdigit() and int(_FUZZ) > 0:
        return settings(max_examples=int(_FUZZ), deadline=None, database=None)
    return settings(max_examples=examples, deadline=None, derandomize=True, database=None)


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png_header(width: int, height: int) -> bytes:
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", ihdr) + _chunk(b"IEND", b"")


def jpeg_header(width: int, height: int) -> bytes:
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00" + b"\x00" * 9
    sof = b"\xff\xc2" + struct.pack(">HBHHB", 11, 8, height, width, 1) + b"\x01\x11\x00"
    return b"\xff\xd8" + app0 + b"\xff\xff" + sof + b"\xff\xda\x00\x02\xff\xd9"


def gif_header(width: int, height: int, frame: tuple[int, int, int, int]) -> bytes:
    screen = b"GIF89a" + struct.pack("<HHBBB", width, height, 0, 0, 0)
    ext = b"\x21\xf9\x04\x00\x00\x00\x00\x00"
    descriptor = b"\x2c" + struct.pack("<HHHHB", *frame, 0) + b"\x02\x02\x4c\x01\x00"
    return screen + ext + descriptor + b"\x3b"


def webp_vp8x(width: int, height: int) -> bytes:
    body = b"\x00\x00\x00\x00" + (width - 1).to_bytes(3, "little")
    body += (height - 1).to_bytes(3, "little")
    return (
        b"RIFF" + struct.pack("<I", 4 + 8 + len(body)) + b"WEBPVP8X" + struct.pack("<I", 10) + body
    )


def webp_vp8l(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    body = b"\x2f" + bits.to_bytes(4, "little")
    return (
        b"RIFF" + struct.pack("<I", 4 + 8 + len(body)) + b"WEBPVP8L" + struct.pack("<I", 5) + body
    )


def webp_vp8(width: int, height: int) -> bytes:
    body = b"\x00\x00\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height)
    return (
        b"RIFF" + struct.pack("<I", 4 + 8 + len(body)) + b"WEBPVP8 " + struct.pack("<I", 10) + body
    )


@pytest.mark.parametrize(
    ("data", "pixels"),
    [
        (png_header(640, 480), 640 * 480),
        (jpeg_header(4000, 3000), 12_000_000),
        (gif_header(100, 100, (0, 0, 10, 10)), 10_000),
        (gif_header(10, 10, (50, 60, 100, 200)), 150 * 260),  # a frame outside the screen
        (webp_vp8x(3000, 2000), 6_000_000),
        (webp_vp8l(300, 200), 60_000),
        (webp_vp8(1920, 1080), 1920 * 1080),
    ],
)
def test_pixels_are_read_from_the_header(data: bytes, pixels: int) -> None:
    info = images.inspect(data, "bilde")
    assert isinstance(info, images.ImageInfo) and info.pixels == pixels


@pytest.mark.parametrize(
    "data",
    [
        png_header(13000, 13000),
        jpeg_header(20000, 20000),
        gif_header(10, 10, (0, 0, 65535, 65535)),
        webp_vp8x(16384, 16384),
    ],
)
def test_pixel_bombs_are_refused_by_their_header(data: bytes) -> None:
    problem = images.inspect(data, "bombe")
    assert isinstance(problem, Msg) and "bildepunkter" in problem.text()


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00", b"\xff\xd8\xff\xda\x00\x02", b"RIFF\x00\x00\x00\x00WEBPXXXX"],
)
def test_a_header_that_cannot_be_read_is_refused(data: bytes) -> None:
    assert isinstance(images.inspect(data, "x"), Msg)


def _use_levels(levels: int, fan: int = 10) -> bytes:
    parts = ['<g id="l0"><rect width="1" height="1"/></g>']
    for k in range(1, levels + 1):
        parts.append(f'<g id="l{k}">' + f'<use xlink:href="#l{k - 1}"/>' * fan + "</g>")
    return (
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f"<defs>{''.join(parts)}</defs><use href='#l{levels}'/></svg>"
    ).encode()


def test_svg_elements_are_counted_after_use_expansion() -> None:
    small = images.inspect(_use_levels(2), "liten.svg")
    assert isinstance(small, images.ImageInfo)
    # svg, defs, l0 (2), l1 (1 + 10 × 3), l2 (1 + 10 × 32), and the top <use> drawing l2.
    assert small.elements == 1 + 1 + 2 + 31 + 321 + 322
    bomb = images.inspect(_use_levels(6), "bombe.svg")
    assert isinstance(bomb, Msg) and "<use>" in bomb.text()


@pytest.mark.parametrize(
    ("svg", "words"),
    [
        (b'<svg><g id="a"><use href="#a"/></g></svg>', "ring"),
        (b'<svg><g id="a"><use href="#b"/></g><g id="b"><use href="#a"/></g></svg>', "ring"),
        (b"<svg>" + b"<g>" * 60 + b"</g>" * 60 + b"</svg>", "nestet"),
        (b'<!DOCTYPE svg [<!ENTITY x "<g/>">]><svg>&x;</svg>', "ENTITY"),
        (b'<!DOCTYPE svg SYSTEM "file:///etc/passwd" [ ]><svg/>', "ENTITY"),
        (b"<svg><g></svg>", "gyldig"),
        (b"<svg><g unquoted=1/></svg>", "gyldig"),
    ],
)
def test_svg_tricks_are_refused(svg: bytes, words: str) -> None:
    problem = images.inspect(svg, "t.svg")
    assert isinstance(problem, Msg) and words in problem.text()


def test_a_plain_doctype_and_comments_are_fine() -> None:
    svg = (
        b'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" '
        b'"http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<!-- <g><g><g> -->'
        b'<svg xmlns="http://www.w3.org/2000/svg"><style><![CDATA[ a > b {} ]]></style>'
        b'<rect title="a > b"/></svg>'
    )
    info = images.inspect(svg, "ok.svg")
    assert isinstance(info, images.ImageInfo) and info.elements == 3


@budget(200)
@given(st.binary(max_size=300))
def test_inspect_never_raises_on_random_bytes(data: bytes) -> None:
    for prefix in (
        b"",
        b"\x89PNG\r\n\x1a\n",
        b"\xff\xd8\xff",
        b"GIF89a",
        b"RIFF\0\0\0\0WEBP",
        b"<svg",
    ):
        assert isinstance(images.inspect(prefix + data, "x"), (images.ImageInfo, Msg))


def test_the_budget_counts_every_time_an_image_is_shown() -> None:
    image = images.Image(b"x" * 10, images.ImageInfo("image/png", pixels=images.MAX_PIXELS))
    budget = images.Budget()
    shown = [budget.charge(image, "a.png") for _ in range(4)]
    allowed = images.MAX_REPORT_PIXELS // images.MAX_PIXELS
    assert shown[:allowed] == [None] * allowed
    assert all(isinstance(p, Msg) for p in shown[allowed:])


# -- one folder rule -------------------------------------------------------------------


def test_inside(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "f.png").write_bytes(b"x")
    (tmp_path / "out.png").write_bytes(b"x")
    (tmp_path / "a" / "link.png").symlink_to(tmp_path / "out.png")
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a" / "loop")
    root = tmp_path / "a"
    assert paths.inside(root / "f.png", root)
    assert paths.inside(root / "sub" / ".." / "f.png", root)
    assert not paths.inside(root, root)
    assert not paths.inside(root / "link.png", root)
    assert not paths.inside(root / ".." / "out.png", root)
    assert not paths.inside(root / "loop", root) or (root / "loop").resolve(strict=False)
    assert not paths.inside(Path("a\x00b"), root)
    assert paths.inside_any(tmp_path / "out.png", [root, tmp_path])


# -- the cheap scan agrees with markdown-it ------------------------------------------------


def _rendered_counts(text: str) -> content.Layout:
    tokens = _markdown_it().parse(text)
    out = content.Layout()
    for i, tok in enumerate(tokens):
        if tok.type == "heading_open":
            out.headings += 1
        if tok.type in ("th_open", "td_open"):
            out.cells += 1
        in_cell = i > 0 and tokens[i - 1].type in ("th_open", "td_open")
        if tok.type == "inline" and tok.children and not in_cell:
            out.lines += 1 + sum(c.type in ("softbreak", "hardbreak") for c in tok.children)
    return out


MARKDOWN = st.lists(
    st.sampled_from(
        [
            "| a | b |",
            "|---|---|",
            "a | b",
            "--- | ---",
            "| x |",
            "",
            "# Tittel",
            "## Under",
            "Tekst",
            "===",
            "---",
            "> | a | b |",
            "> |---|:-:|",
            "- # liste",
            "1. | a |",
            "   |---|",
            "```",
            "`kode`",
            "\\| ikke",
        ]
    ),
    max_size=30,
).map("\n".join)


@budget(400)
@given(MARKDOWN)
def test_the_scan_never_counts_less_than_markdown_it_makes(text: str) -> None:
    scanned, rendered = content.layout(text), _rendered_counts(text)
    assert scanned.cells >= rendered.cells, (scanned, rendered)
    assert scanned.headings >= rendered.headings, (scanned, rendered)
    assert scanned.lines >= rendered.lines, (scanned, rendered)


IMAGE_TEXT = st.lists(
    st.sampled_from(
        [
            "![a](b.png)",
            "![a b](<c d.png>)",
            '![a](e.png "tittel")',
            "![a][ref]",
            "![ref]",
            "[ref]: f.png",
            "`![a](g.png)`",
            "\\![a](h.png)",
            "```",
            "![a](i%20j.png)",
            "![[x]](k.png)",
            "tekst ",
            "\n",
            "\n\n",
        ]
    ),
    max_size=12,
).map("".join)


@budget(300)
@given(IMAGE_TEXT)
def test_the_scan_finds_the_images_markdown_it_shows(text: str) -> None:
    """Every image the renderer would show is one `validate` checks too."""
    md = MarkdownRenderer(folder=Path("/nonexistent-ehnreport-folder"))
    md.block(text, ("steps", "step1", "a2"))
    rendered = Counter(
        d.text().split("«")[1].split("»")[0] for d in md.diagnostics if d.code == "image-refused"
    )
    scanned = Counter(name for _, name in content.image_names(text))
    assert rendered <= scanned, (rendered, scanned)


def test_check_content_points_at_the_answer(tmp_path: Path) -> None:
    table = "| a | b |\n|---|---|\n" + "| x | y |\n" * 1500
    source = (
        "report:\n  year: 2024\nsteps:\n  step1:\n    a2: |\n"
        + "".join("      " + line + "\n" for line in table.splitlines())
        + "member:\n  name: '![x](hemmelig.png)'\n"
    )
    loaded = load_text(source)
    found = content.check_content(loaded, "r.yaml", tmp_path)
    assert [(d.line, d.column, d.code, d.path) for d in found] == [
        (6, 7, "markdown-limit", "steps.step1.a2")
    ]
    assert "3004 celler" in found[0].text()


def test_the_writing_guide_states_the_limits_the_code_applies() -> None:
    guide = (Path(__file__).parent.parent / "docs" / "skrive-rapporten.md").read_text("utf-8")

    def no(n: int) -> str:  # Norwegian digit grouping, as the guide writes numbers
        return f"{n:,}".replace(",", " ")

    for n in (
        content.MAX_COLUMNS,
        content.MAX_CELLS,
        content.MAX_REPORT_CELLS,
        content.MAX_HEADINGS,
        content.MAX_REPORT_HEADINGS,
        content.MAX_LINES,
        content.MAX_ITEM_LINES,
        content.MAX_REPORT_LINES,
        images.MAX_IMAGES,
        images.MAX_SVG_ELEMENTS,
        images.MAX_REPORT_SVG_ELEMENTS,
        images.MAX_SVG_DEPTH,
    ):
        assert no(n) in guide, n
    assert f"{images.MAX_PIXELS // 1_000_000} millioner" in guide
    assert f"{images.MAX_REPORT_PIXELS // 1_000_000} millioner" in guide
    assert f"{images.MAX_IMAGE_BYTES // 2**20} MiB" in guide
    assert f"{images.MAX_REPORT_BYTES // 2**20} MiB" in guide


LINK_TEXT = st.lists(
    st.sampled_from(
        [
            "[a](javascript:x)",
            "[a](javascript:alert(1))",
            "[a](<data:x y>)",
            "[a](https://ok.no)",
            "<file:///etc/passwd>",
            "<https://ok.no>",
            "<post@ok.no>",
            "[a][r]",
            "[r]",
            "[r]: ftp://x.no",
            "[![i](p.png)](vbscript:x)",
            "![i](p.png)",
            "`[a](javascript:x)`",
            "\\[a](javascript:x)",
            "https://ok.no",
            " tekst ",
            "\n",
            "\n\n",
        ]
    ),
    max_size=10,
).map("".join)


@budget(300)
@given(LINK_TEXT)
def test_the_scan_finds_the_links_the_renderer_refuses(text: str) -> None:
    """`validate` warns about every link the build shows as plain text, in the same words."""
    md = MarkdownRenderer(folder=Path("/nonexistent-ehnreport-folder"))
    md.block(text, ("steps", "step1", "a2"))
    rendered = Counter(d.message for d in md.diagnostics if d.code == "link-refused")
    scanned = Counter(
        refusal
        for _, target, alt in content.images_and_links(text)
        if alt is None and (refusal := content.link_refusal(target))
    )
    assert rendered <= scanned, (rendered, scanned)


def test_plain_fields_are_not_scanned_as_markdown(tmp_path: Path) -> None:
    source = (
        "report:\n  year: 2024\nforeword:\n  name: '![x](a.png)'\n  text: '![x](b.png)'\n"
        "contact:\n  name: '[x](javascript:y)'\n"
        "goals:\n  current:\n    - text: '[x](javascript:z)'\n      status: '![x](c.png)'\n"
    )
    found = content.check_content(load_text(source), "r.yaml", tmp_path)
    assert sorted((d.code, d.path) for d in found) == [
        ("image-refused", "foreword.text"),
        ("link-refused", "goals.current[0].text"),
    ]
