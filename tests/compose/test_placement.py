"""A landscape table follows the rest of its section's running text; headings, attachments and page breaks stay where they are."""

from __future__ import annotations

from briefgen.compose.placement import float_landscape
from briefgen.tree import (
    AttachmentMark,
    Block,
    Chart,
    Heading,
    PageBreak,
    Paragraph,
    Table,
    TableCell,
    plain,
)


def _table(name: str, landscape: bool = True) -> Table:
    return Table(rows=[[TableCell(name)]], landscape=landscape)


def _names(blocks: list[Block]) -> list[str]:
    out = []
    for b in blocks:
        if isinstance(b, Table):
            out.append(("L:" if b.landscape else "T:") + b.rows[0][0].text)
        elif isinstance(b, Heading):
            out.append("H:" + b.text)
        elif isinstance(b, Paragraph):
            out.append("P:" + b.text)
        else:
            out.append(type(b).__name__)
    return out


def test_a_landscape_table_moves_after_its_sections_text_and_no_further() -> None:
    blocks: list[Block] = [Heading(1, plain("一")), Paragraph(plain("a")), _table("宽"), Paragraph(plain("b")),
                           _table("窄", landscape=False), Paragraph(plain("c")), Heading(1, plain("二")),
                           Paragraph(plain("d"))]
    assert _names(float_landscape(blocks)) == ["H:一", "P:a", "P:b", "T:窄", "P:c", "L:宽", "H:二", "P:d"]


def test_headings_attachments_and_page_breaks_stop_it() -> None:
    for stop in (Heading(2, plain("下")), AttachmentMark("附件1", "表"), PageBreak()):
        blocks: list[Block] = [_table("宽"), stop, Paragraph(plain("x"))]
        assert float_landscape(blocks) == blocks
    # turned tables in a row move together
    two: list[Block] = [_table("宽"), _table("另"), Paragraph(plain("x"))]
    assert _names(float_landscape(two)) == ["P:x", "L:宽", "L:另"]
    last: list[Block] = [Paragraph(plain("a")), _table("宽")]
    assert float_landscape(last) == last


def test_a_plain_note_paragraph_after_a_table_or_a_charts_data_table_joins_its_source_note() -> None:
    from briefgen.compose.placement import attach_notes
    from briefgen.tree import Span

    table = Table(rows=[[TableCell("指标")], [TableCell("a")]], source_note="资料来源：甲。")
    blocks: list[Block] = [table, Paragraph(plain("注：2024年为营造林口径。")), Paragraph(plain("正文。"))]
    got = attach_notes(blocks)
    assert _names(got) == ["T:指标", "P:正文。"]
    assert table.source_note == "资料来源：甲。\n注：2024年为营造林口径。"
    # a chart printed with its data table takes the note under the table; one without keeps it
    with_table = Chart("bar", ["a"], [], source_note="资料来源：乙。", show_table=True)
    got = attach_notes([with_table, Paragraph(plain("注：口径不同。"))])
    assert got == [with_table] and with_table.source_note == "资料来源：乙。\n注：口径不同。"
    alone = Chart("bar", ["a"], [])
    assert len(attach_notes([alone, Paragraph(plain("注：口径不同。"))])) == 2 and not alone.source_note
    # one with a footnote or emphasis stays a paragraph; so does a note after running text
    marked = Paragraph((Span("注：见"), Span("①", note="脚注")))
    assert len(attach_notes([Table(rows=[[TableCell("x")]]), marked])) == 2
    assert len(attach_notes([Paragraph(plain("正文。")), Paragraph(plain("注：说明。"))])) == 2


def test_a_chart_under_a_table_citing_the_same_sources_refers_to_its_note() -> None:
    """A series table and its line chart built from the same packs printed the same three-line
    资料来源 twice, one under the other (helper set E); the chart now says 同上表."""
    from briefgen.compose.placement import SAME_SOURCES, share_sources

    note = "资料来源：甲公报；乙公报。"
    table = Table(rows=[[TableCell("指标")], [TableCell("a")]], source_note=note)
    chart = Chart("line", ["a"], [], source_note=note)
    other = Chart("bar", ["a"], [], source_note="资料来源：丙。")
    assert share_sources([table, chart, other]) == [table, chart, other]
    assert chart.source_note == SAME_SOURCES and other.source_note == "资料来源：丙。"
    said = "据甲公报整理。"  # a pack's attribution, not a 资料来源 list: the same
    by = Chart("bar", ["a"], [], source_note=said)
    share_sources([Table(rows=[[TableCell("x")]], source_note=said), by])
    assert by.source_note == SAME_SOURCES
    apart = Chart("line", ["a"], [], source_note=note)
    share_sources([table, Paragraph(plain("正文。")), apart])
    assert apart.source_note == note  # not right under the table: its own note
