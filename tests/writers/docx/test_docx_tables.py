"""Unit tests of writers.docx.tables: column widths in twips and the ``w:tbl`` XML of a tree table."""

from __future__ import annotations

from docxkit import NS, fonts, reparse, text_of, theme, wattr

from briefgen.tree import Table, TableCell
from briefgen.writers.docx.tables import column_widths, figure_pad_twips, fitted_widths, table_xml


def _table(**kw: object) -> Table:
    rows = [[TableCell("指标", "center", True), TableCell("数值", "center", True)],
            [TableCell("地区生产总值按可比价格计算全年"), TableCell("1,234.56", "right")],
            [TableCell("网格服务站"), TableCell("120", "right")]]
    return Table(rows=rows, **kw)  # type: ignore[arg-type]


def test_column_widths_follow_weights_and_sum_to_total() -> None:
    assert column_widths([1, 3], 2, 4000) == [1000, 3000]
    assert column_widths([1, -1], 2, 1001) == [500, 501]  # bad weights: equal shares
    assert column_widths([1, 1], 2, 4000, mins=[3000, 0]) == [3000, 1000]
    assert column_widths([], 0, 100) == []


def test_numbers_never_wrap_in_fitted_widths() -> None:
    w = fitted_widths(_table(widths=[1, 1]), 3000, 10.5)
    assert w[1] >= 4 * 10.5 * 20  # "1,234.56" (4 body characters at least) stays on one line


def test_figure_pads_align_right_aligned_numbers_on_the_last_digit() -> None:
    pads = figure_pad_twips(_table(), 10.5 * 20)
    assert pads[0] == []  # per column: the label column holds no figures
    widest, short = pads[1]  # the data rows of the number column
    assert widest == 0 and short > 0  # "120" is padded to line up under "1,234.56"


def test_fitted_widths_give_the_wrapping_label_more_room() -> None:
    t = _table(widths=[1, 1])
    w = fitted_widths(t, 6000, 10.5)
    assert sum(w) == 6000
    assert w[0] > w[1]


def test_table_xml_three_line_header_repeats_and_cells_align() -> None:
    t = theme()
    tbl = table_xml(_table(), fonts(t), 8844)
    assert tbl is not None
    tbl = reparse(tbl)
    rows = tbl.findall("w:tr", NS)
    assert [text_of(r) for r in rows][1:] == ["地区生产总值按可比价格计算全年1,234.56", "网格服务站120"]
    assert rows[0].find("w:trPr/w:tblHeader", NS) is not None
    assert rows[1].find("w:trPr/w:tblHeader", NS) is None
    grid = [int(wattr(g, "w") or 0) for g in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert sum(grid) == 8844
    jcs = [wattr(p, "val") for p in rows[2].findall(".//w:pPr/w:jc", NS)]
    assert jcs[-1] == "right"


def test_empty_table_is_skipped_with_a_warning() -> None:
    warned: list[str] = []
    assert table_xml(Table(rows=[]), fonts(theme()), 8844, warned.append) is None
    assert warned == ["docx: skipped a table without rows"]


def test_cells_word_would_end_with_a_lone_character_get_the_pdfs_breaks() -> None:
    """The unit of a crowded header moves whole onto its own line (w:br before （亿元）); a
    cell that wraps well is left to Word (no break)."""
    t = theme()
    head = [TableCell("时期", "center", True)] + [TableCell(f"第{k}项出口总额（亿元）", "center", True) for k in range(4)]
    body = [[TableCell("2026年10月")] + [TableCell("1234.5", "right") for _ in range(4)]]
    tbl = table_xml(Table(rows=[head, *body]), fonts(t), 8844)
    assert tbl is not None
    cells = reparse(tbl).findall("w:tr", NS)[0].findall("w:tc", NS)
    broken = [c for c in cells if c.find(".//w:br", NS) is not None]
    assert broken, [text_of(c) for c in cells]
    for c in broken:
        texts = [x.text or "" for x in c.iter(f"{{{NS['w']}}}t")]
        assert texts[-1] == "（亿元）", texts  # the unit whole after the last break
    assert cells[0].find(".//w:br", NS) is None  # 时期: one line
