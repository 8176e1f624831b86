"""Unit tests of writers.pdf.tables: column widths in points and a row table split across pages."""

from __future__ import annotations

from pdfkit import build, pages_text, text_for

from briefgen.tree import Table, TableCell
from briefgen.writers.pdf.flowables import TextStyle
from briefgen.writers.pdf.tables import RowTable, column_widths


def _styles(text: object) -> tuple[TextStyle, TextStyle]:
    th = text.theme  # type: ignore[attr-defined]
    body = TextStyle(th.fonts.table, th.sizes.table, th.table_line_pitch_pt)
    return body, body.but(role=th.fonts.heading1)


def _table(n: int) -> Table:
    rows = [[TableCell("指标", "center", True), TableCell("数值", "center", True)]]
    rows += [[TableCell(f"第{i}项指标"), TableCell(f"{i * 1000:,}", "right")] for i in range(1, n + 1)]
    return Table(rows=rows)


def test_column_widths_fill_the_width_and_keep_numbers_whole() -> None:
    text = text_for()
    body, head = _styles(text)
    t = _table(5)
    w = column_widths(t, text, 400, body, head)
    assert len(w) == 2
    assert abs(sum(w) - 400) < 1e-6
    number = text.text_width(text.pieces("5,000", body.role, body.size))
    assert w[1] > number


def test_long_table_splits_with_repeated_header_and_every_row_once() -> None:
    text = text_for()
    body, head = _styles(text)
    n = 80
    table = RowTable(_table(n), text, body, head, text.theme.fonts.strong)
    data, _ = build([table], text)
    pages = pages_text(data)
    assert len(pages) >= 2
    assert all(p.startswith("指标数值") for p in pages)  # header on every page
    joined = "".join(pages)
    for i in (1, 40, n):
        assert joined.count(f"第{i}项指标") == 1
