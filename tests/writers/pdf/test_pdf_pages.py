"""Unit tests of writers.pdf.pages: the type-area frame, page numbers, metadata and fixed dates."""

from __future__ import annotations

import io
import re

from pdfkit import META, body_style, build, pages_text, plumber, text_for
from pypdf import PdfReader
from reportlab.platypus import Flowable

from briefgen.model.theme import MM
from briefgen.writers.pdf.flowables import SoftPageBreak, TextBlock


def _pages(n: int) -> list[Flowable]:
    text = text_for()
    out: list[Flowable] = []
    for i in range(n):
        out.append(TextBlock(text.pieces(f"第{i + 1}页正文", "fangsong", 16), body_style(text), text))
        if i < n - 1:
            out.append(SoftPageBreak())
    return out


def test_page_numbers_alternate_outside_and_sit_under_the_type_area() -> None:
    text = text_for()
    data, _ = build(_pages(3), text)
    texts = pages_text(data)
    assert [t.startswith(f"第{i}页正文") for i, t in enumerate(texts, 1)] == [True] * 3
    th = text.theme
    m = th.page.margins_mm
    with plumber(data) as pdf:
        for n, page in enumerate(pdf.pages, 1):
            lines = [ln for ln in page.extract_text_lines() if re.fullmatch(r"—\s?\d+\s?—", ln["text"])]
            assert len(lines) == 1, page.extract_text()
            ln = lines[0]
            assert re.sub(r"\D", "", ln["text"]) == str(n)
            type_bottom = page.height - m.bottom * MM
            assert ln["top"] > type_bottom  # below the type area
            left, right = m.left * MM, m.left * MM + th.type_area_width
            if n % 2:  # odd pages: right, inset one character
                assert abs(right - th.sizes.page_number - ln["x1"]) < 1.5
            else:
                assert abs(left + th.sizes.page_number - ln["x0"]) < 1.5


def test_metadata_and_dates_are_fixed() -> None:
    text = text_for()
    a, _ = build(_pages(1), text)
    b, _ = build(_pages(1), text)
    assert a == b
    info = PdfReader(io.BytesIO(a)).metadata
    assert info is not None
    assert info.title == META.title and info.author == META.author
    assert str(info.get("/CreationDate", "")).startswith("D:20240510")


def test_display_number_skips_unnumbered_pages() -> None:
    _, doc = build(_pages(1), text_for())
    doc.unnumbered = {1}
    assert [doc.display_number(p) for p in (2, 3)] == [1, 2]


def test_a_draft_canvas_lays_out_but_draws_no_text() -> None:
    """First passes that a TOC or footnotes redo are drafts: no text drawn, nothing saved."""
    from datetime import datetime

    from briefgen.typeset.linebreak import break_lines
    from briefgen.writers.pdf.flowables import draw_line
    from briefgen.writers.pdf.pages import canvas_maker

    text = text_for()
    (line,) = break_lines(text.pieces("正文", "fangsong", 16), 1e6, text.widths, align="left")[:1]
    for draft, drawn in ((True, False), (False, True)):
        canv = canvas_maker(datetime(2026, 1, 1), draft=draft)(io.BytesIO())
        draw_line(canv, line, 72, 700)
        assert ("Tj" in "".join(canv._code)) is drawn
