"""A landscape table follows the rest of its section's running text; headings, attachments and page breaks stay where they are."""

from __future__ import annotations

from briefgen.compose.placement import float_landscape
from briefgen.tree import (
    AttachmentMark,
    Block,
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
