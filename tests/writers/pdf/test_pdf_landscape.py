"""Unit tests of writers.pdf.landscape: a wide table set on turned pages marked /Rotate 90."""

from __future__ import annotations

import io

from pdfkit import build, pages_text, text_for
from pypdf import PdfReader
from reportlab.platypus import Flowable

from briefgen.tree import Table, TableCell
from briefgen.writers.pdf.flowables import TextBlock, TextStyle
from briefgen.writers.pdf.landscape import LandscapePages
from briefgen.writers.pdf.tables import RowTable


def _content(n: int) -> list[Flowable]:
    text = text_for()
    th = text.theme
    body = TextStyle(th.fonts.table, th.sizes.table, th.table_line_pitch_pt)
    rows = [[TableCell(f"列{c}", "center", True) for c in range(12)]]
    rows += [[TableCell(f"{r}-{c}") for c in range(12)] for r in range(n)]
    table = RowTable(Table(rows=rows), text, body, body, th.fonts.strong)
    note = TextBlock(text.pieces("资料来源：测试", body.role, body.size), body, text)
    return [table, note]


def test_landscape_pages_are_rotated_and_keep_the_portrait_mediabox() -> None:
    text = text_for()
    data, _ = build([LandscapePages(_content(5), text.theme.type_area_height)], text)
    reader = PdfReader(io.BytesIO(data))
    (page,) = reader.pages
    assert page.get("/Rotate") == 90
    assert float(page.mediabox.width) < float(page.mediabox.height)  # still A4 portrait
    t = pages_text(data)[0]
    assert "列11" in t and "4-11" in t and "资料来源：测试" in t


def test_long_landscape_table_continues_on_more_turned_pages() -> None:
    text = text_for()
    data, _ = build([LandscapePages(_content(60), text.theme.type_area_height)], text)
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 2
    assert all(p.get("/Rotate") == 90 for p in reader.pages)
    joined = "".join(pages_text(data))
    assert joined.count("59-11") == 1 and joined.count("资料来源：测试") == 1


def test_a_landscape_table_one_or_two_rows_too_long_stays_on_one_turned_page() -> None:
    text = text_for()
    full = text.theme.type_area_height  # the turned page's height is the portrait type area's width
    width = text.theme.type_area_width
    one_line = _content(1)[0].layout(full).prefix[1]  # type: ignore[attr-defined]
    fits = int((width - 40) // one_line)  # rows that fit at the usual padding (header ≈ one row)
    for n in (fits + 1, fits + 2):
        data, _ = build([LandscapePages(_content(n), full)], text)
        pages = pages_text(data)
        assert len(pages) == 1, (n, fits)  # set tighter instead of a page with a row or two
        assert f"{n - 1}-11" in pages[0] and "资料来源：测试" in pages[0]


def test_a_table_spilling_onto_a_second_turned_page_shares_its_rows_evenly() -> None:
    """A few rows too many for tightening: rather than a full page and a page holding the header
    and two rows (stress brief s5-series), both turned pages carry about half the rows."""
    text = text_for()
    full = text.theme.type_area_height
    width = text.theme.type_area_width
    one_line = _content(1)[0].layout(full).prefix[1]  # type: ignore[attr-defined]
    n = int((width - 40) // one_line) + 6
    data, _ = build([LandscapePages(_content(n), full)], text)
    pages = pages_text(data)
    assert len(pages) == 2
    rows = [sum(f"{r}-0{r}-1{r}-2" in p for r in range(n)) for p in pages]  # a row's first cells, in order
    assert sum(rows) == n and rows[0] >= rows[1] >= n // 2 - 1, rows
    assert "资料来源：测试" in pages[1]
