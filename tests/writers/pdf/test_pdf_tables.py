"""Unit tests of writers.pdf.tables: column widths in points and a row table split across pages."""

from __future__ import annotations

from pdfkit import build, pages_text, text_for

from briefgen.tree import Table, TableCell
from briefgen.writers.pdf.flowables import TextStyle
from briefgen.writers.pdf.tables import PAD_Y, PAD_Y_TIGHT, RowTable, column_widths, laid_table


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


def test_a_short_tail_is_kept_on_the_page_by_tighter_padding() -> None:
    text = text_for()
    body, head = _styles(text)
    table = RowTable(_table(16), text, body, head, text.theme.fonts.strong)
    aw = 400.0
    lay = table.layout(aw)
    full = lay.header_height + lay.prefix[-1]
    row = lay.prefix[1] - lay.prefix[0]
    # two rows too many for the page: set whole, 2 pt less padding per cell edge
    ah = full - 1.5 * row
    parts = table.split(aw, ah)
    assert len(parts) == 1 and isinstance(parts[0], RowTable)
    assert parts[0].layout(aw).pad_y == PAD_Y_TIGHT < PAD_Y
    assert parts[0].wrap(aw, ah)[1] <= ah
    # six rows too many: not a short tail, an ordinary split with the header repeated
    parts = table.split(aw, full - 5.5 * row)
    assert len([p for p in parts if isinstance(p, RowTable)]) == 2
    assert all(p.layout(aw).pad_y == PAD_Y for p in parts if isinstance(p, RowTable))


def test_the_tightened_layout_keeps_every_line() -> None:
    text = text_for()
    body, head = _styles(text)
    lay = RowTable(_table(6), text, body, head, text.theme.fonts.strong).layout(400.0)
    tight = lay.tightened(PAD_Y_TIGHT)
    assert tight.body == lay.body and tight.header == lay.header
    cut = 2 * (PAD_Y - PAD_Y_TIGHT)
    assert abs((lay.prefix[-1] - tight.prefix[-1]) - cut * len(lay.body)) < 1e-6
    assert abs((lay.header_height - tight.header_height) - cut * len(lay.header)) < 1e-6


def test_a_three_line_table_with_multi_line_rows_is_not_tightened() -> None:
    text = text_for()
    body, head = _styles(text)
    rows = [[TableCell("指标", "center", True), TableCell("说明", "center", True)]]
    rows += [[TableCell(f"第{i}项"), TableCell("较长的说明文字" * 8)] for i in range(1, 17)]
    for style, tightened in (("three-line", False), ("grid", True)):
        table = RowTable(Table(rows=rows, style=style), text, body, head, text.theme.fonts.strong)
        lay = table.layout(300.0)
        assert max(len(c.lines) for r in lay.body for c in r) > 1
        saving = 2 * (PAD_Y - PAD_Y_TIGHT) * (len(lay.body) + len(lay.header))
        parts = table.split(300.0, lay.header_height + lay.prefix[-1] - saving / 2)  # last row spills
        got = len(parts) == 1 and parts[0].layout(300.0).pad_y == PAD_Y_TIGHT
        assert got == tightened, style  # no rules between rows: the padding is what separates them


def test_a_long_note_splits_after_every_row_rather_than_taking_rows_with_it() -> None:
    """A list of sources under a table (the sources appendix citing several documents): when
    the rows fit but the whole note does not, the rows stay and the note continues on the next
    page — two lines or more on each side — instead of the page ending a note's height early."""
    from briefgen.writers.pdf.flowables import TextBlock

    text = text_for()
    body, head = _styles(text)
    th = text.theme
    st = TextStyle(th.fonts.source_note, th.sizes.source_note, 18.0, space_before=3.0)
    items = [f"〔{i}〕《第{i}份资料的标题相当长，足以占满一整行的宽度而不止》，data-file-{i}.csv" for i in range(1, 7)]
    note = TextBlock(text.pieces("资料来源：" + "；\n".join(items) + "。", st.role, st.size), st, text)
    table = RowTable(_table(3), text, body, head, th.fonts.strong, note=note)
    aw = 400.0
    lay = table.layout(aw)
    note_lines = len(table.note.lines(aw))
    assert note_lines >= 6
    rows = lay.header_height + lay.prefix[-1]
    parts = table.split(aw, rows + 3.0 + 3 * 18.0 + 1.0)  # room for three lines of the note
    assert len(parts) == 2 and isinstance(parts[0], RowTable) and isinstance(parts[1], TextBlock)
    first, rest = parts
    assert first._rows() == (0, 3)  # every row stays
    assert first.note is not None and len(first.note.lines(aw)) == 3
    assert len(rest.lines(aw)) == note_lines - 3
    # too little room for two lines of it: the rows go with the note as before
    assert table.split(aw, rows + 3.0 + 18.0 + 1.0) == []


def test_laid_table_hands_the_docx_writer_every_cell_line() -> None:
    """The DOCX writer gets the PDF's widths, padding and each cell's lines, with how much
    narrower than its natural width the PDF set a line (a pair of marks compressed)."""
    text = text_for()
    body, head = _styles(text)
    rows = [[TableCell("指标", "center", True), TableCell("出处", "center", True)],
            [TableCell("规上工业总产值"), TableCell("《月度数据（示意）》，第174行（增幅据第78行计算）")]]  # fmt: skip
    table = RowTable(Table(rows=rows), text, body, head, text.theme.fonts.strong)
    lay = table.layout(200.0)
    got = laid_table(lay)
    assert got.col_widths == tuple(lay.col_widths) and got.pad_x == lay.pad_x and got.pad_y == lay.pad_y
    assert len(got.lines) == 2 and [len(r) for r in got.lines] == [2, 2]
    cell = got.lines[1][1]
    assert "".join(t for t, _cut, _w in cell) == rows[1][1].text and len(cell) > 1  # wrapped
    assert all(w <= lay.col_widths[1] - 2 * lay.pad_x + 1e-6 for _t, _cut, w in cell)
    pair = next(c for c in cell if "）》" in c[0] or "》，" in c[0])
    assert pair[1] >= 0.5 * body.size - 1e-6  # half an em taken out of the pair


def test_the_last_rows_of_a_table_on_a_page_of_their_own_leave_their_note_to_the_next() -> None:
    """Three tall last rows that fit a page only without their note are not held back (there is
    no earlier page to hold them on): the rows are set and the note follows — never a layout
    error (a telecom stress brief stopped with 'RowTable too large')."""
    from pdfkit import build, pages_text

    from briefgen.writers.pdf.flowables import TextBlock

    text = text_for()
    body, head = _styles(text)
    th = text.theme
    st = TextStyle(th.fonts.source_note, th.sizes.source_note, 18.0, space_before=3.0)
    note = TextBlock(text.pieces("资料来源：" + "测试资料的名称" * 12 + "。", st.role, st.size), st, text)
    need = float(note.wrap(th.type_area_width, 1e9)[1]) + 3.0
    for chars in range(10, 600, 4):  # rows just tall enough that their note no longer fits under them
        rows = [[TableCell("指标", "center", True), TableCell("说明", "center", True)]]
        rows += [[TableCell(f"第{i}项"), TableCell("很" * (chars if i == 3 else 200))] for i in range(1, 4)]
        table = RowTable(Table(rows=rows), text, body, head, th.fonts.strong, note=note)
        lay = table.layout(th.type_area_width)
        spare = th.type_area_height - lay.header_height - lay.prefix[-1]
        if 0 <= spare < need:
            break
    assert 0 <= spare < need
    data, _ = build([table], text)
    pages = pages_text(data)
    assert len(pages) == 2 and "第3项" in pages[0] and "资料来源" in pages[1]


def test_tall_last_rows_leave_one_row_with_the_note_not_two() -> None:
    """Rows of five lines: the note takes one of them to the next page, not two (which left a
    third of a page empty in a water-resources stress report)."""
    from briefgen.writers.pdf.flowables import TextBlock

    text = text_for()
    body, head = _styles(text)
    th = text.theme
    st = TextStyle(th.fonts.source_note, th.sizes.source_note, 18.0, space_before=3.0)
    note = TextBlock(text.pieces("资料来源：测试资料。", st.role, st.size), st, text)
    rows = [[TableCell("指标", "center", True), TableCell("范围", "center", True)]]
    rows += [[TableCell(f"第{i}项"), TableCell("很长的范围说明" * 9)] for i in range(1, 6)]
    table = RowTable(Table(rows=rows), text, body, head, th.fonts.strong, note=note)
    aw = 300.0
    lay = table.layout(aw)
    assert lay.prefix[-1] - lay.prefix[-2] >= th.type_area_height / 8  # tall rows
    parts = table.split(aw, lay.header_height + lay.prefix[-1] + 2.0)  # every row fits, the note not
    assert len(parts) == 2 and parts[0]._rows() == (0, 4) and parts[1]._rows() == (4, 5)
