"""Unit tests of writers.docx.toc: page estimates from the grid and the pre-filled TOC field."""

from __future__ import annotations

from docxkit import NS, reparse, text_of, theme, wattr

from briefgen.tree import Heading, PageBreak, Paragraph, Span, TocPlaceholder
from briefgen.writers.docx.toc import PageEstimator, TitleBlock, TocEntry, toc_paragraphs


def test_estimator_moves_headings_after_a_full_page_and_page_breaks() -> None:
    t = theme()
    h1 = Heading(1, (Span("第一"),))
    h2 = Heading(1, (Span("第二"),))
    h3 = Heading(1, (Span("第三"),))
    lines = t.grid.lines
    long = Paragraph((Span("字" * (t.grid.chars - 2) * lines),))  # exactly one page of body lines
    est = PageEstimator(t)
    est.walk([TitleBlock("标题", ""), h1, long, h2, PageBreak(), h3], t.type_area_width)
    assert est.pages[id(h1)] == 1
    assert est.pages[id(h2)] == 2
    assert est.pages[id(h3)] == 3


def test_toc_paragraphs_list_entries_up_to_max_level_with_pageref_fields() -> None:
    entries = [TocEntry(1, "一、总体", "_Toc1", 1), TocEntry(2, "（一）做法", "_Toc2", 2),
               TocEntry(3, "1.细节", "_Toc3", 3)]
    ps = [reparse(p) for p in toc_paragraphs(TocPlaceholder("目录", 2), entries, "目录")]
    assert text_of(ps[0]) == "目录"
    body = ps[1:]
    assert [wattr(p.find("w:pPr/w:pStyle", NS), "val") for p in body] == ["TOC1", "TOC2"]
    assert [wattr(p.find("w:hyperlink", NS), "anchor") for p in body] == ["_Toc1", "_Toc2"]
    instr = [i.text for p in body for i in p.iterfind(".//w:instrText", NS)]
    assert instr[0] == ' TOC \\o "1-2" \\h \\z \\u '
    assert " PAGEREF _Toc2 \\h " in instr
    assert text_of(body[1]).endswith("2")  # the cached page number
    kinds = [wattr(f, "fldCharType") for p in body for f in p.iterfind(".//w:fldChar", NS)]
    assert kinds.count("begin") == kinds.count("end")  # the TOC field and every PAGEREF close


def test_toc_without_entries_is_still_a_closed_field() -> None:
    ps = [reparse(p) for p in toc_paragraphs(TocPlaceholder(), [], "")]
    assert len(ps) == 1
    kinds = [wattr(f, "fldCharType") for f in ps[0].iterfind(".//w:fldChar", NS)]
    assert kinds == ["begin", "separate", "end"]
