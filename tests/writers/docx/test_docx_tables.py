"""Unit tests of writers.docx.tables: column widths in twips and the ``w:tbl`` XML of a tree table."""

from __future__ import annotations

from docxkit import NS, fonts, reparse, text_of, theme, wattr

from briefgen.tree import Table, TableCell
from briefgen.typeset.table_layout import fill
from briefgen.writers.docx.tables import (
    CELL_MARGIN,
    CELL_MARGIN_Y,
    column_widths,
    figure_pad_twips,
    fitted_widths,
    pdf_widths,
    substitute_proof,
    table_xml,
)
from briefgen.writers.docx.tables import _keep_rows as keep_rows
from briefgen.writers.docx.tables import _measure_units as measure_units
from briefgen.writers.docx.tables import _measure_wide as measure_wide


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


def test_pdf_widths_are_used_at_the_same_available_width_only() -> None:
    laid = [(442.2, [100.0, 342.2], 3.0)]
    assert pdf_widths(laid, 2, 8844) == ([2000, 6844], CELL_MARGIN_Y)
    assert pdf_widths(laid, 3, 8844) is None  # another column count (the DOCX pruned differently)
    assert pdf_widths(laid, 2, 8504) is None  # another width (inside a box)
    # a table the PDF set tighter to keep it on one page is set as tight in Word
    assert pdf_widths([*laid, (442.2, [100.0, 342.2], 1.0)], 2, 8844) == ([2000, 6844], 20)


def test_table_xml_takes_the_pdf_widths_and_the_pdf_cell_padding() -> None:
    t = theme()
    tbl = reparse(table_xml(_table(), fonts(t), 8844, laid=[(442.2, [300.0, 142.2], 3.0)]))
    grid = [int(wattr(g, "w") or 0) for g in tbl.findall("w:tblGrid/w:gridCol", NS)]
    assert grid == [6000, 2844]
    mar = tbl.find("w:tblPr/w:tblCellMar", NS)
    assert [int(wattr(mar.find(f"w:{k}", NS), "w") or 0) for k in ("top", "left", "bottom", "right")] == [
        CELL_MARGIN_Y, CELL_MARGIN, CELL_MARGIN_Y, CELL_MARGIN]  # fmt: skip
    tight = reparse(table_xml(_table(), fonts(t), 8844, laid=[(442.2, [300.0, 142.2], 1.0)]))
    mar = tight.find("w:tblPr/w:tblCellMar", NS)
    assert int(wattr(mar.find("w:top", NS), "w") or 0) == int(wattr(mar.find("w:bottom", NS), "w") or 0) == 20


def test_wide_measure_models_libreoffice_substitutes() -> None:
    unit = 14 * 20
    narrow, wide = measure_units("2026年10月", unit), measure_wide("2026年10月", unit)
    # the character-unit model already counts LibreOffice's digits and auto-space (0.64 + 0.2 em)
    assert abs(narrow.total - (6 * 0.64 + 2 + 3 * 0.2) * unit) < 1e-6
    # 0.64 em digits plus 0.2 em auto-space at each of the three Chinese/digit seams
    assert abs(wide.total - (6 * 0.64 + 2 + 3 * 0.2) * unit) < 1e-6  # 89.8 pt measured in LO 7.4
    # "》，illustrative-" stays together (no break after ， before Latin), "monthly.csv" whole,
    # and so does the ordinal "第1行"
    cell = measure_wide("》，illustrative-monthly.csv第1行", unit)
    assert cell.chars[:3] == (15, 11, 3)


def test_substitute_proof_widens_where_libreoffice_wraps_without_adding_lines() -> None:
    rows = [[TableCell("时期", "center", True), TableCell("说明", "center", True)]]
    rows += [[TableCell("2026年10月"), TableCell("较短的说明文字")] for _ in range(6)]
    t = Table(rows=rows)
    unit = 14 * 20
    pads = figure_pad_twips(t, unit)
    pdf = [round(5.6 * unit) + 2 * CELL_MARGIN, 8844 - round(5.6 * unit) - 2 * CELL_MARGIN]
    out = substitute_proof(t, pdf, 14, pads)
    assert sum(out) == sum(pdf) and out[0] > pdf[0]
    wide = measure_wide("2026年10月", unit)
    assert fill(wide, out[0] - 2 * CELL_MARGIN)[0] == 1  # one line in LibreOffice too
    for j, text in enumerate(("2026年10月", "较短的说明文字")):  # no more lines in Word / the PDF
        cell = measure_units(text, unit)
        assert fill(cell, out[j] - 2 * CELL_MARGIN)[0] <= fill(cell, pdf[j] - 2 * CELL_MARGIN)[0]


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
