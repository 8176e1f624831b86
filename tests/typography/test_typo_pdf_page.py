"""Page-level checklist rows (gongwen-layout.md §2: 1–3, 10–13, 23, 24) measured on real builds.

Every bundled brief and a stress brief per theme go through ``briefgen.pipeline.render.build``; the PDFs
are read with pdfplumber (pages, character boxes, rules) and pypdf (fonts).
"""

from __future__ import annotations

import re

import pytest
from pypdf import PdfReader
from typo_build import Built
from typo_measure import (
    BOTTOM,
    CENTRE,
    LEFT,
    MM,
    PAGE_H,
    PAGE_W,
    PN,
    RIGHT,
    TOP,
    TYPE_W,
    font_name,
    is_footer,
    is_landscape,
    is_red,
    role_of,
)

TYPE_H = BOTTOM - TOP  # 637.8


def _numbered(b: Built) -> list[int]:
    """Indexes of the pages that should carry a page number (all but a cover)."""
    return [i for i in range(len(b.pages)) if not (b.theme.blocks.cover and i == 0)]


def test_row1_a4_every_page(everything: list[Built]) -> None:
    for b in everything:
        for i, (w, h) in enumerate(b.sizes):
            # portrait A4, or A4 turned for a landscape table (GB/T 9704 §8)
            assert sorted((w, h)) == pytest.approx(sorted((PAGE_W, PAGE_H)), abs=0.5), (b.name, i)


def test_row2_3_text_stays_inside_the_type_area(everything: list[Built]) -> None:
    """Every character but the page number lies inside 156 × 225 mm (±1 mm); body lines start
    at the left margin (28 mm) and justified lines end at the right one (26 mm)."""
    for b in everything:
        for i, page in enumerate(b.pages):
            if is_landscape(b.sizes[i]):
                # a turned page (table): the type area is 225 mm wide and 156 mm high; the page
                # number keeps its portrait place, so it is the only sideways text
                ink = [c for c in b.chars[i] if c["upright"] and c["text"].strip()]
                assert ink, (b.name, i + 1)
                assert max(c["x1"] for c in ink) - min(c["x0"] for c in ink) <= TYPE_H + MM
                assert max(c["bottom"] for c in ink) - min(c["top"] for c in ink) <= TYPE_W + MM
                continue
            for ln in page:
                if is_footer(ln):
                    continue
                where = (b.name, i + 1, ln.text)
                assert ln.x0 >= LEFT - MM and ln.x1 <= RIGHT + MM, where
                assert ln.top >= TOP - MM and ln.bottom <= BOTTOM + MM, where
            body = [ln for ln in page if abs(ln.size - 16) < 0.05 and not is_footer(ln)]
            if len(body) > 8:
                assert min(ln.x0 for ln in body) == pytest.approx(LEFT, abs=2.8), (b.name, i)


def test_row10_to_13_page_numbers(everything: list[Built]) -> None:
    """“— N —” in 4号 宋体 with half-width digits, 7 mm below the type area; odd pages right and
    even pages left, one character in (report: centred); no number on a cover, count from 1."""
    for b in everything:
        numbered = _numbered(b)
        for n, i in enumerate(numbered, 1):
            if is_landscape(b.sizes[i]):
                side = sorted((c for c in b.chars[i] if not c["upright"]), key=lambda c: c["top"])
                assert re.sub(r"\s", "", "".join(c["text"] for c in side)) == f"—{n}—", b.name
                continue
            feet = [ln for ln in b.pages[i] if ln.top > BOTTOM - 1 and PN.match(ln.text)]
            assert len(feet) == 1, (b.name, i + 1, [ln.text for ln in b.pages[i][-3:]])
            ft = feet[0]
            assert re.sub(r"\s", "", ft.text) == f"—{n}—", (b.name, i + 1)
            assert ft.size == pytest.approx(14, abs=0.05)
            assert all("songti" in role_of(f) for f in ft.fonts), ft.fonts
            digits = [c for c in ft.chars if c["text"].isdigit()]
            assert digits and all(c["x1"] - c["x0"] <= 0.6 * 14 for c in digits)  # half-width (Noto: 0.56 em)
            assert ft.top == pytest.approx(BOTTOM + 7 * MM, abs=2 * MM)  # 762.5
            if b.theme.page_numbers.position == "center":
                assert ft.centre == pytest.approx(CENTRE, abs=1)
            elif n % 2:
                assert ft.x1 == pytest.approx(RIGHT - 14, abs=3)  # 507.6
            else:
                assert ft.x0 == pytest.approx(LEFT + 14, abs=3)  # 93.4
        for i in set(range(len(b.pages))) - set(numbered):
            assert not any(PN.match(ln.text) for ln in b.pages[i]), (b.name, "cover numbered")


def test_row23_every_font_embedded_truetype(everything: list[Built]) -> None:
    for b in everything:
        reader = PdfReader(str(b.pdf))
        seen = 0
        for page in reader.pages:
            fonts = page.get("/Resources", {}).get("/Font", {})
            for ref in fonts.values():
                font = ref.get_object()
                assert font.get("/Subtype") != "/Type3", b.name
                desc = font.get("/FontDescriptor")
                if desc is None:  # composite font: the descriptor is on the descendant
                    desc = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
                assert "/FontFile2" in desc.get_object(), (b.name, font.get("/BaseFont"))
                seen += 1
        assert seen, b.name


def test_row24_red_only_in_the_masthead(everything: list[Built]) -> None:
    """Red text only in the 简报 name or the 公文 发文机关标志; red rules only under them (page 1)."""
    for b in everything:
        head = any(ln.text.endswith("文件") and ln.size >= 26 for ln in b.pages[0])  # a 公文 版头 (红头)
        for i, chars in enumerate(b.chars):
            red = [c for c in chars if is_red(c.get("non_stroking_color"))]
            if (b.theme.blocks.masthead or head) and i == 0:
                name = [ln for ln in b.pages[0] if ln.size >= 26]
                assert red and {c["text"] for c in red} <= set("".join(ln.text for ln in name))
            else:
                assert not red, (b.name, i + 1, "".join(c["text"] for c in red)[:40])
            rules = [r for r in b.rules[i] if is_red(r.get("stroking_color"))]
            if not ((b.theme.blocks.masthead or head) and i == 0):
                assert not rules, (b.name, i + 1)


def test_fonts_named_in_pdf_are_role_substitutes(everything: list[Built]) -> None:
    """Every glyph comes from a font that stands in for one of the five roles (no Helvetica)."""
    for b in everything:
        for chars in b.chars:
            for c in chars:
                if c["text"].strip():
                    name = font_name(c)
                    assert "Helvetica" not in name and "Times" not in name, (b.name, name)
