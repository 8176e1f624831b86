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
