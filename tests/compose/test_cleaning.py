"""Unit tests of compose.cleaning: every text made XML-safe, punctuation normalised and counted per place."""

from __future__ import annotations

from decimal import Decimal

from briefgen.compose.cleaning import clean_text
from briefgen.tree import (
    Box,
    Chart,
    ChartSeries,
    Document,
    Heading,
    ListBlock,
    Metadata,
    Paragraph,
    Span,
    Table,
    TableCell,
)


def _doc() -> Document:
    return Document(Metadata("标题\x00", subtitle="副题", author="单位"), [
        Paragraph((Span("前言,好"),)),
        Heading(1, (Span("一节"),)),
        Paragraph((Span("正文:甲"), Span("乙;", strong=True))),
        ListBlock([(Span("项\x07"),)]),
        Table([[TableCell("格,子")]], caption="表(一)", source_note="注"),
        Chart("bar", ["类\x01"], [ChartSeries("系列", [Decimal(1)])]),
        Box("框\x02", [Paragraph((Span("框内,文"),))]),
    ])


def test_control_characters_are_marked_everywhere_with_warnings() -> None:
    doc = _doc()
    warnings: list[str] = []
    clean_text(doc, False, warnings)
    assert doc.meta.title == "标题〓"  # U+3013, the typesetter's missing-character mark
    lst = doc.blocks[3]
    assert isinstance(lst, ListBlock) and lst.items[0][0].text == "项〓"
    chart = doc.blocks[5]
    assert isinstance(chart, Chart) and chart.categories == ["类〓"]
    box = doc.blocks[6]
    assert isinstance(box, Box) and box.title == "框〓"
    assert len(warnings) == 4 and all("replaced by 〓" in w for w in warnings)
    para = doc.blocks[0]
    assert isinstance(para, Paragraph) and para.inlines[0].text == "前言,好"  # no normalising asked


def test_punctuation_is_normalised_counted_and_reported_by_place() -> None:
    doc = _doc()
    warnings: list[str] = []
    n = clean_text(doc, True, warnings)
    first, para = doc.blocks[0], doc.blocks[2]
    assert isinstance(first, Paragraph) and first.inlines[0].text == "前言，好"
    assert isinstance(para, Paragraph) and [s.text for s in para.inlines] == ["正文：甲", "乙；"]
    assert para.inlines[1].strong
    table = doc.blocks[4]
    assert isinstance(table, Table) and table.rows[0][0].text == "格，子" and table.caption == "表（一）"
    assert n >= 6
    (report,) = [w for w in warnings if w.startswith("punctuation:")]
    assert f"punctuation: {n} half-width" in report
    assert "before the first heading ×1" in report
    assert "under “一节”" in report
