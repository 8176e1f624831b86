"""Unit tests of writers.docx.tables: column widths in twips and the ``w:tbl`` XML of a tree table."""

from __future__ import annotations

from docxkit import NS, fonts, reparse, text_of, theme, wattr

from briefgen.tree import Table, TableCell
from briefgen.writers.context import LaidTable
from briefgen.writers.docx.tables import (
    CELL_MARGIN,
    CELL_MARGIN_Y,
    autospace_room,
    column_widths,
    figure_pad_twips,
    fitted_widths,
    line_spacing,
    pdf_cell_xml,
    pdf_layout,
    table_xml,
)
from briefgen.writers.docx.tables import _keep_rows as keep_rows


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
def _long(n: int, note: str = "") -> Table:
    head = [TableCell("指标", "center", True), TableCell("数值", "center", True)]
    body = [[TableCell(f"第{i}项"), TableCell(str(i), "right")] for i in range(n)]
    return Table(rows=[head, *body], source_note=note)


def test_keep_rows_hold_the_header_with_two_data_rows_not_three() -> None:
    # keepNext keeps a row with the next one: header and first data row carry it, the second
    # data row does not (with it, LibreOffice and Word need three data rows on the page)
    assert keep_rows(_long(10), 1) == ["<w:keepNext/>"] * 2 + [""] * 9
    assert keep_rows(_long(4), 1) == ["<w:keepNext/>"] * 4 + [""]  # a short table stays whole
    tail = keep_rows(_long(10, note="资料来源：测试"), 1)
    assert tail[-2:] == ["<w:keepNext/>"] * 2 and tail[2:-2] == [""] * 7  # last two rows + note


def test_pdf_layout_is_used_at_the_same_available_width_only() -> None:
    laid = [LaidTable(442.2, (100.0, 342.2), 3.0)]
    got = pdf_layout(laid, 2, 8844)
    assert got is not None and got[0] == [2000, 6844] and got[1] is laid[0]
    assert pdf_layout(laid, 3, 8844) is None  # another column count (the DOCX pruned differently)
    assert pdf_layout(laid, 2, 8504) is None  # another width (inside a box)
    # a table the PDF set tighter to keep it on one page is set as tight in Word
    tight = LaidTable(442.2, (100.0, 342.2), 1.0)
    assert pdf_layout([*laid, tight], 2, 8844) == ([2000, 6844], tight)


def test_table_xml_takes_the_pdf_widths_and_the_pdf_cell_padding() -> None:
    t = theme()
    tbl = reparse(table_xml(_table(), fonts(t), 8844, laid=[LaidTable(442.2, (300.0, 142.2), 3.0)]))
    grid = [int(wattr(g, "w") or 0) for g in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert grid == [6000, 2844]
    mar = tbl.find("w:tblPr/w:tblCellMar", NS)
    assert [int(wattr(mar.find(f"w:{k}", NS), "w") or 0) for k in ("top", "left", "bottom", "right")] == [
        CELL_MARGIN_Y, CELL_MARGIN, CELL_MARGIN_Y, CELL_MARGIN]  # fmt: skip
    tight = reparse(table_xml(_table(), fonts(t), 8844, laid=[LaidTable(442.2, (300.0, 142.2), 1.0, 3.5)]))
    mar = tight.find("w:tblPr/w:tblCellMar", NS)
    assert int(wattr(mar.find("w:top", NS), "w") or 0) == int(wattr(mar.find("w:bottom", NS), "w") or 0) == 20
    # a crowded table's tighter side padding (3.5 pt), less a little slack so the PDF's lines fit
    assert int(wattr(mar.find("w:left", NS), "w") or 0) == 62


def test_a_reference_table_uses_the_smaller_reference_styles() -> None:
    """``Table.reference`` (the sources appendix): the ReferenceTableText / ReferenceTableHeader
    paragraph styles (小四 at 18 pt in 公文 themes), which the PDF sets the same."""
    t = theme()
    plain = reparse(table_xml(_table(widths=[1, 1]), fonts(t), 6000))
    small = reparse(table_xml(_table(widths=[1, 1], reference=True), fonts(t), 6000))
    styles = {wattr(s, "val") for s in small.iter(f"{{{NS['w']}}}pStyle")}
    assert styles == {"ReferenceTableText", "ReferenceTableHeader"}
    assert {wattr(s, "val") for s in plain.iter(f"{{{NS['w']}}}pStyle")} == {"TableText", "TableHeader"}
    assert t.table_type(True) == (12.0, 18.0) and t.table_type() == (14.0, 22.0)


def _laid_with_lines() -> LaidTable:
    lines = (
        (("指标", 0.0, 28.0),), (("数值", 0.0, 28.0),),
        (("地区生产总值按可比", 0.0, 126.0), ("价格计算全年", 0.0, 84.0)), (("1,234.56", 0.0, 56.0),),
        (("网格服务站", 0.0, 70.0),), (("120", 0.0, 21.0),),
    )  # fmt: skip
    rows = (lines[0:2], lines[2:4], lines[4:6])
    return LaidTable(442.2, (150.0, 292.2), 3.0, 4.0, ((), (4.2, 0.0)), rows)


def test_table_xml_breaks_cells_where_the_pdf_did() -> None:
    """Given the PDF's lines, every cell holds them, joined by line breaks, and a right-aligned
    figure keeps the PDF's alignment padding: Word and LibreOffice wrap nothing themselves."""
    t = theme()
    tbl = reparse(table_xml(_table(), fonts(t), 8844, laid=[_laid_with_lines()]))
    cells = tbl.findall("w:tr/w:tc", NS)
    assert text_of(cells[2]) == "地区生产总值按可比价格计算全年"
    assert len(cells[2].findall(".//w:br", NS)) == 1 and not cells[4].findall(".//w:br", NS)
    ind = cells[3].find("w:p/w:pPr/w:ind", NS)
    assert ind is not None and int(wattr(ind, "right") or 0) == 84  # 4.2 pt


def test_pdf_cell_xml_condenses_a_line_the_pdf_set_narrower() -> None:
    # the PDF took 7.35 pt out of this line (）》 compressed as a pair, the line squeezed)
    xml = pdf_cell_xml([("非官方统计）》 trade，", 7.35, 146.0), ("illustrative-", 0.0, 91.0)], "非官方统计）》 trade，illustrative-", 14)
    assert xml is not None and xml.count("<w:br/>") == 1
    sp = line_spacing("非官方统计）》 trade，", 7.35, 14)
    assert f'<w:spacing w:val="{sp}"/>' in xml and sp < 0
    # spread over the gaps LibreOffice applies spacing to: none after the last character of
    # each run of one script (非官方统计）》+space, trade, ，): 14 characters, 3 runs, 11 gaps
    assert sp == -14  # ⌈147 twips / 11⌉
    assert line_spacing("标题", 30.0, 14) == -46  # at most a sixth of an em (LibreOffice's limit)
    assert line_spacing("标题", 0.0, 14) == 0
    # a note mark (a footnote reference in Word) is left off; other text than the PDF's: None
    assert pdf_cell_xml([("47498③", 0.0, 42.0)], "47498", 14, mark="③") is not None
    assert pdf_cell_xml([("其他文字", 0.0, 56.0)], "47498", 14) is None


def test_autospace_room_moves_width_where_libreoffice_widens_a_line() -> None:
    """LibreOffice adds a fifth of an em where Chinese meets digits (it ignores w:autoSpaceDE/DN):
    a column whose PDF line then no longer fits takes twips from one with room, if there is."""
    lines = ((("2026年10月", 0.0, 70.0),), (("短", 0.0, 14.0),))
    lt = LaidTable(200.0, (77.0, 123.0), 3.0, 4.0, ((), ()), (lines,))
    widths = [1540, 2460]  # the first column's inner width holds 70 pt, not 70 + 3 × 2.8 pt
    out, margin = autospace_room(lt, widths, 72, [[], []], 14, 0)
    assert margin == 72 and sum(out) == sum(widths) and out[0] - 2 * 72 >= 70 * 20 + 3 * 56
    # the other column is full as well: the cells' margins give the room (a crowded table)
    crowded = (lines[0], (("长" * 8, 0.0, 2150 / 20),))
    tight = LaidTable(200.0, (85.0, 115.0), 3.0, 4.0, ((), ()), (crowded,))
    snug = [1700, 2300]
    out, margin = autospace_room(tight, snug, 72, [[], []], 14, 0)
    assert margin < 72 and sum(out) == sum(snug)
    assert out[0] - 2 * margin >= 70 * 20 + 3 * 56 and out[1] - 2 * margin >= 2150
    # but not beyond a third or so of them: no room at all leaves the table as the PDF has it
    full = (lines[0], (("长" * 8, 0.0, 2300 / 20),))
    no_room = LaidTable(200.0, (85.0, 115.0), 3.0, 4.0, ((), ()), (full,))
    assert autospace_room(no_room, snug, 72, [[], []], 14, 0) == (snug, 72)


