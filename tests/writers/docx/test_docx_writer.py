"""Turn small hand-built Documents into DOCX and check the XML that Word, WPS and LibreOffice read."""

from __future__ import annotations

import hashlib
import io
import os
import re
import shutil
import subprocess
import sys
import zipfile
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document as open_docx
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from lxml import etree

import nodekit
from briefgen.model.theme import Theme, load_theme
from briefgen.tree import (
    BLOCK_TYPES,
    Box,
    Chart,
    ChartSeries,
    ClosingBlock,
    Cover,
    Document,
    Heading,
    ListBlock,
    Masthead,
    Metadata,
    PageBreak,
    Paragraph,
    Span,
    Table,
    TableCell,
    TocPlaceholder,
    plain,
)
from briefgen.writers.context import RenderContext
from briefgen.writers.docx.writer import HANDLERS, render

STAMP = datetime(2022, 9, 23)
TRICKY = '<font color="red">&amp;</font>{{ 7*7 }}'
NS = {"w": "http://schemas.openxmlformats.org/wordprocessingml/2006/main"}


class DocxNames:
    """Stands in for FontBook: DOCX names straight from the theme."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme

    def docx_name(self, role: str) -> str:
        return str(getattr(self.theme.docx_fonts, role))


def ctx(theme: str = "gongwen") -> RenderContext:
    t = load_theme(theme)
    return RenderContext(theme=t, fonts=DocxNames(t), timestamp=STAMP)  # type: ignore[arg-type]


def meta() -> Metadata:
    return Metadata(
        title="九年磨一剑 深融助发展",
        subtitle="——吴江区“融入式党建”的经验启示",
        author="示例区委组织部",
        subject="融入式党建",
        keywords=["党建", "吴江"],
        date=date(2022, 9, 23),
    )


BODY = (
    "2013年，根据区域转型要求，吴江提出实施“融入式党建”创新工程：党建融入发展、融入民生、"
    "融入区域、融入群众，通过健全工作机制、深化服务内涵、增强服务实效，使党建工作真正发挥引领"
    "发展作用，实现党建与发展同频共振。"
)


def small_table(style: str = "three-line") -> Table:
    return Table(
        rows=[
            [TableCell("指标"), TableCell("数值"), TableCell("增长")],
            [TableCell("规上工业总产值（亿元）"), TableCell("2231"), TableCell("4.1%")],
            [TableCell("合计", strong=True), TableCell("2,702.5"), TableCell("—")],
        ],
        widths=[3, 1, 1],
        caption="表1 主要经济指标",
        source_note="来源：新华日报。",
        style=style,  # type: ignore[arg-type]
        anchor="tab1",
    )


def one_of_each() -> list:
    """One block of every type in tree.BLOCK_TYPES (kept in sync by a test)."""
    return [
        Cover("吴江区“融入式党建”经验启示", "——专题学习材料", "学习材料", "示例区委组织部",
              "2022年9月23日", "内部资料 注意保存"),
        TocPlaceholder(),
        PageBreak(),
        Masthead("党建工作简报", "第3期（总第45期）", "示例区委组织部", "2022年9月23日",
                 mark="内部资料 注意保存", serial="No.000123"),
        Paragraph(plain("编者按：" + BODY), role="note"),
        *nodekit.office_nodes(),  # the 版记 floats at the foot of this page, away from the 报尾
        Heading(1, plain("党建融入发展"), label="一、", anchor="sec1"),
        Paragraph((Span("党建融入发展，"), Span("党建才有生命力", strong=True), Span("。"),
                   Span("强调", emphasis=True), Span(BODY))),
        Heading(2, plain("“最大政绩”与“高质量发展”互动并进"), label="（一）", anchor="sec1_1"),
        ListBlock([plain("党建融入发展"), plain("党建融入民生")], ordered=True),
        ListBlock([plain("健全工作机制")], ordered=False),
        small_table(),
        Chart("stacked", ["甲", "乙"], [ChartSeries("一", [Decimal(1), Decimal(2)]),
                                      ChartSeries("二", [Decimal(3), None])],
              unit="亿元", caption="图题", source_note="资料来源：测试", alt="堆积柱状图", show_table=True,
              axis_max=Decimal(5), axis_step=Decimal(1)),
        Box("学习要点", [Paragraph(plain(BODY)), small_table("grid")]),
        Heading(3, plain("工业生产增势平稳"), label="1."),
        Heading(4, plain("固定资产投资"), label="（1）"),
        Paragraph(plain("示例区委组织部"), role="signature"),
        Paragraph(plain("2022年9月23日"), role="date"),
        ClosingBlock([("报", "区委办公室"), ("送", "各镇党委"), ("发", "各基层党组织")], "（共印50份）"),
    ]  # fmt: skip


def rich_doc() -> Document:
    return Document(meta(), one_of_each())


def build(doc: Document, theme: str = "gongwen") -> bytes:
    return render(doc, ctx(theme))


def part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def reopen(data: bytes):  # noqa: ANN201 - python-docx Document
    return open_docx(io.BytesIO(data))


def W(tag: str) -> str:  # noqa: N802 - reads like the XML
    return qn(f"w:{tag}")


def style_el(d, name: str) -> etree._Element:  # noqa: ANN001
    return d.styles[name].element


def rfonts_of(style: etree._Element) -> etree._Element:
    rpr = style.find(W("rPr"))
    assert rpr is not None
    rf = rpr.find(W("rFonts"))
    assert rf is not None
    return rf


@pytest.fixture(scope="module")
def rich() -> bytes:
    return build(rich_doc())


# ---------------------------------------------------------------- page and grid


def test_page_size_margins_and_grid(rich: bytes) -> None:
    d = reopen(rich)
    assert len(d.sections) == 2  # cover + body
    for s in d.sections:
        assert s.page_width.twips == 11906 and s.page_height.twips == 16838
        for got, want in ((s.top_margin, 2098), (s.bottom_margin, 1984), (s.left_margin, 1588),
                          (s.right_margin, 1474)):  # fmt: skip
            assert abs(got.twips - want) <= 1
        grid = s._sectPr.find(W("docGrid"))
        assert grid.get(W("type")) == "linesAndChars"
        assert grid.get(W("linePitch")) == "579"
        assert grid.get(W("charSpace")) == "-848"  # (8844/20/28 − 16) × 4096
        assert 22 * 579 <= 12756  # 22 lines fit the 225 mm type area


def test_footer_distance_puts_number_7mm_below_type_area(rich: bytes) -> None:
    s = reopen(rich).sections[-1]
    footer = s._sectPr.find(W("pgMar")).get(W("footer"))
    # 35 mm bottom margin − 7 mm − 1.25 × 14 pt (the footer line's height) ≈ 1237 tw: the dash's
    # top 7 mm under the type area, 762.5 pt from the page top in LibreOffice as in the PDF
    assert 1200 < int(footer) < 1280


# ---------------------------------------------------------------- styles


def test_normal_style_is_sanfang_16pt_indented_exact(rich: bytes) -> None:
    d = reopen(rich)
    normal = d.styles["Normal"]
    rf = rfonts_of(normal.element)
    assert rf.get(W("eastAsia")) == "仿宋" and rf.get(W("ascii")) == "仿宋"
    assert rf.get(W("hAnsi")) == "仿宋" and rf.get(W("cs")) == "仿宋"
    assert not any(k.endswith("Theme") for k in rf.attrib)
    assert normal.element.find(W("rPr")).find(W("sz")).get(W("val")) == "32"
    ind = normal.element.find(W("pPr")).find(W("ind"))
    assert ind.get(W("firstLineChars")) == "200" and ind.get(W("firstLine")) == "640"
    pf = normal.paragraph_format
    assert pf.line_spacing_rule == WD_LINE_SPACING.EXACTLY
    assert Pt(28) <= pf.line_spacing <= Pt(28.99)
    assert normal.element.find(W("pPr")).find(W("jc")).get(W("val")) == "both"
    lang = normal.element.find(W("rPr")).find(W("lang"))
    assert lang.get(W("eastAsia")) == "zh-CN"


@pytest.mark.parametrize(
    "level,font", [(1, "黑体"), (2, "楷体"), (3, "仿宋"), (4, "仿宋")]
)
def test_heading_styles(rich: bytes, level: int, font: str) -> None:
    d = reopen(rich)
    el = style_el(d, f"Heading {level}")
    rf = rfonts_of(el)
    assert rf.get(W("eastAsia")) == font and rf.get(W("ascii")) == font
    rpr = el.find(W("rPr"))
    assert rpr.find(W("sz")).get(W("val")) == "32"
    assert rpr.find(W("b")).get(W("val")) == "0"  # not bold (GB/T 9704 §7.3.3)
    assert rpr.find(W("color")).get(W("val")) == "000000"
    assert rpr.find(W("lang")).get(W("eastAsia")) == "zh-CN"
    ppr = el.find(W("pPr"))
    assert ppr.find(W("outlineLvl")).get(W("val")) == str(level - 1)
    assert ppr.find(W("ind")).get(W("firstLineChars")) == "200"


def test_every_defined_style_names_all_four_font_slots(rich: bytes) -> None:
    styles = part(rich, "word/styles.xml")
    ours = ["Normal", "Title", "Subtitle", "Heading1", "Heading2", "Heading3", "Heading4", "Note",
            "Caption", "SourceNote", "TableText", "TableHeader", "ReferenceTableText",
            "ReferenceTableHeader", "TOC1", "TOC2", "Footer",
            "ListBullet", "ListNumber", "Signature", "Date", "Lead", "BoxTitle", "Closing",
            "TOCHeading"]  # fmt: skip
    for sid in ours:
        (style,) = styles.xpath(f'w:style[@w:styleId="{sid}"]', namespaces=NS)
        rf = rfonts_of(style)
        for slot in ("ascii", "hAnsi", "eastAsia", "cs"):
            assert rf.get(W(slot)), (sid, slot)
        assert style.find(W("rPr")).find(W("lang")).get(W("eastAsia")) == "zh-CN", sid
    defaults = styles.find(W("docDefaults")).find(W("rPrDefault")).find(W("rPr"))
    assert defaults.find(W("rFonts")).get(W("eastAsia")) == "仿宋"
    assert defaults.find(W("lang")).get(W("eastAsia")) == "zh-CN"


def test_strong_and_emphasis_use_role_fonts_not_bold(rich: bytes) -> None:
    body = part(rich, "word/document.xml")
    runs = {r.findtext(W("t")): r for r in body.iter(W("r")) if r.findtext(W("t"))}
    strong = runs["党建才有生命力"].find(W("rPr"))
    assert strong.find(W("rFonts")).get(W("eastAsia")) == "黑体"
    assert strong.find(W("b")) is None
    emph = runs["强调"].find(W("rPr"))
    assert emph.find(W("rFonts")).get(W("eastAsia")) == "楷体"
    assert emph.find(W("i")) is None


# ---------------------------------------------------------------- settings and footers


def test_settings_kinsoku_language_and_even_odd(rich: bytes) -> None:
    d = reopen(rich)
    assert d.settings.odd_and_even_pages_header_footer
    s = part(rich, "word/settings.xml")
    before = s.find(W("noLineBreaksBefore"))
    after = s.find(W("noLineBreaksAfter"))
    assert before.get(W("lang")) == after.get(W("lang")) == "zh-CN"
    assert all(c in before.get(W("val")) for c in "，。、；：！？）》”")
    assert all(c in after.get(W("val")) for c in "（《“〔")
    order = [c.tag for c in s]
    assert order.index(W("noLineBreaksAfter")) < order.index(W("noLineBreaksBefore"))
    assert s.find(W("themeFontLang")).get(W("eastAsia")) == "zh-CN"


def _footer_info(footer) -> tuple[str, str, str]:  # noqa: ANN001
    xml = footer._element
    p = xml.find(W("p"))
    jc = p.find(W("pPr")).find(W("jc")).get(W("val"))
    instr = "".join(t.text for t in xml.iter(W("instrText")))
    text = "".join(t.text or "" for t in xml.iter(W("t")))
    return jc, instr.strip(), text


def test_page_number_footers_odd_right_even_left(rich: bytes) -> None:
    s = reopen(rich).sections[-1]
    jc, instr, text = _footer_info(s.footer)
    assert (jc, instr) == ("right", "PAGE")
    assert text.startswith("— ") and text.endswith(" —")
    jc, instr, _ = _footer_info(s.even_page_footer)
    assert (jc, instr) == ("left", "PAGE")
    ind = s.footer._element.find(W("p")).find(W("pPr")).find(W("ind"))
    assert ind.get(W("right")) == "280"  # one 14 pt character
    footer_style = reopen(rich).styles["Footer"].element
    assert rfonts_of(footer_style).get(W("eastAsia")) == "宋体"
    assert footer_style.find(W("rPr")).find(W("sz")).get(W("val")) == "28"


def test_centered_page_numbers_for_report_theme() -> None:
    s = reopen(build(Document(meta(), [Paragraph(plain(BODY))]), "report")).sections[-1]
    assert _footer_info(s.footer)[0] == "center"
    assert _footer_info(s.even_page_footer)[0] == "center"


def test_cover_section_has_no_page_number_and_body_restarts(rich: bytes) -> None:
    d = reopen(rich)
    cover, body = d.sections
    for f in (cover.footer, cover.even_page_footer, cover.first_page_footer):
        assert not f.is_linked_to_previous
        assert not list(f._element.iter(W("instrText")))
    assert body._sectPr.find(W("pgNumType")).get(W("start")) == "1"


# ---------------------------------------------------------------- blocks


def test_headings_carry_label_and_bookmark(rich: bytes) -> None:
    d = reopen(rich)
    heads = [(p.style.name, p.text) for p in d.paragraphs if p.style.name.startswith("Heading")]
    assert ("Heading 1", "一、党建融入发展") in heads
    assert ("Heading 2", "（一）“最大政绩”与“高质量发展”互动并进") in heads
    body = part(rich, "word/document.xml")
    names = {b.get(W("name")) for b in body.iter(W("bookmarkStart"))}
    assert {"sec1", "sec1_1", "tab1"} <= names


def test_bookmark_names_are_word_valid_and_unique() -> None:
    heads = [Heading(1, plain("甲"), anchor="lesson-1"), Heading(1, plain("乙"), anchor="lesson_1"),
             Heading(1, plain("丙"), anchor="一"), Heading(1, plain("丁"))]  # fmt: skip
    body = part(build(Document(meta(), [TocPlaceholder(), *heads])), "word/document.xml")
    names = [b.get(W("name")) for b in body.iter(W("bookmarkStart"))]
    assert len(set(names)) == 4
    assert all(re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]{0,39}", n) for n in names), names
    anchors = [h.get(W("anchor")) for h in body.iter(W("hyperlink"))]
    assert anchors == names


def test_table_header_rows_repeat_and_three_line_borders(rich: bytes) -> None:
    d = reopen(rich)
    tbl = next(t for t in d.tables if t.rows[0].cells[0].text == "指标")._tbl
    rows = tbl.findall(W("tr"))
    assert rows[0].find(W("trPr")).find(W("tblHeader")) is not None
    assert all(r.find(W("trPr")).find(W("tblHeader")) is None for r in rows[1:])
    assert all(r.find(W("trPr")).find(W("cantSplit")) is not None for r in rows)
    borders = tbl.find(W("tblPr")).find(W("tblBorders"))
    assert borders.find(W("top")).get(W("sz")) == "12"
    assert borders.find(W("bottom")).get(W("sz")) == "12"
    for side in ("left", "right", "insideV", "insideH"):
        assert borders.find(W(side)).get(W("val")) == "nil"
    under = rows[0].find(W("tc")).find(W("tcPr")).find(W("tcBorders")).find(W("bottom"))
    assert under.get(W("val")) == "single"
    widths = [int(g.get(W("w"))) for g in tbl.find(W("tblGrid"))]
    assert sum(widths) == 8844 and abs(widths[0] - 3 * widths[1]) <= 3
    # numeric cells right-aligned, text cells left, header centred
    jcs = [[tc.find(W("p")).find(W("pPr")).find(W("jc")).get(W("val")) for tc in r.findall(W("tc"))]
           for r in rows]  # fmt: skip
    assert jcs[0] == ["center"] * 3
    assert jcs[1] == ["left", "right", "right"]
    assert jcs[2][1] == "right"


def test_grid_table_has_all_borders(rich: bytes) -> None:
    body = part(rich, "word/document.xml")
    inside = [t.find(W("tblPr")).find(W("tblBorders")).find(W("insideV")) for t in body.iter(W("tbl"))]
    assert any(v is not None and v.get(W("val")) == "single" for v in inside), "grid table in box"


def test_caption_above_and_source_below_table(rich: bytes) -> None:
    body = part(rich, "word/document.xml").find(W("body"))
    kids = list(body)
    tbl = next(i for i, k in enumerate(kids) if k.tag == W("tbl") and "指标" in "".join(k.itertext()))
    style = lambda e: e.find(W("pPr")).find(W("pStyle")).get(W("val"))  # noqa: E731
    assert style(kids[tbl - 1]) == "Caption" and "表1" in "".join(kids[tbl - 1].itertext())
    assert style(kids[tbl + 1]) == "SourceNote"


def test_toc_field_is_prefilled_with_headings(rich: bytes) -> None:
    body = part(rich, "word/document.xml")
    instrs = [t.text.strip() for t in body.iter(W("instrText"))]
    assert 'TOC \\o "1-2" \\h \\z \\u' in instrs
    links = [(h.get(W("anchor")), "".join(h.itertext())) for h in body.iter(W("hyperlink"))]
    anchors = [a for a, _ in links]
    assert anchors[:2] == ["sec1", "sec1_1"]
    assert links[0][1].startswith("一、党建融入发展")
    assert any(i.startswith("PAGEREF sec1 ") for i in instrs)
    # begin … separate … end balance
    kinds = [f.get(W("fldCharType")) for f in body.iter(W("fldChar"))]
    assert kinds.count("begin") == kinds.count("end") == kinds.count("separate")


def test_masthead_is_red_xiaobiaosong_with_red_rule(rich: bytes) -> None:
    body = part(rich, "word/document.xml")
    run = next(r for r in body.iter(W("r")) if r.findtext(W("t")) == "党建工作简报")
    rpr = run.find(W("rPr"))
    assert rpr.find(W("color")).get(W("val")) == "FF0000"
    assert rpr.find(W("rFonts")).get(W("eastAsia")) == "方正小标宋简体"
    assert rpr.find(W("sz")).get(W("val")) == "72"
    p = run.getparent()
    assert p.find(W("pPr")).find(W("jc")).get(W("val")) == "center"
    rules = [b for b in body.iter(W("bottom")) if b.getparent().tag == W("pBdr")]
    assert any(b.get(W("color")) == "FF0000" and int(b.get(W("sz"))) >= 12 for b in rules)


def test_closing_block_anchored_at_bottom_with_rules(rich: bytes) -> None:
    body = part(rich, "word/document.xml").find(W("body"))
    tbl = next(t for t in body.iter(W("tbl")) if "报：区委办公室" in "".join(t.itertext()))
    pos = tbl.find(W("tblPr")).find(W("tblpPr"))
    assert pos.get(W("vertAnchor")) == "margin" and pos.get(W("tblpYSpec")) == "bottom"
    borders = tbl.find(W("tblPr")).find(W("tblBorders"))
    assert borders.find(W("top")).get(W("sz")) == borders.find(W("bottom")).get(W("sz")) == "8"
    inner = [b for b in tbl.iter(W("top")) if b.getparent().tag == W("tcBorders")]
    assert [b.get(W("sz")) for b in inner] == ["6"]
    texts = ["".join(p.itertext()) for p in tbl.iter(W("p"))]
    assert texts == ["报：区委办公室", "送：各镇党委", "发：各基层党组织", "（共印50份）"]
    assert list(body)[-2].tag == W("p")  # a paragraph follows the table, then sectPr


def test_page_break_becomes_page_break_before() -> None:
    doc = Document(meta(), [Paragraph(plain("甲")), PageBreak(), Heading(1, plain("乙"), label="一、")])
    body = part(build(doc), "word/document.xml")
    p = next(p for p in body.iter(W("p")) if "".join(p.itertext()) == "一、乙")
    assert p.find(W("pPr")).find(W("pageBreakBefore")) is not None
    assert not list(body.iter(W("br")))


def test_adjacent_tables_are_kept_apart() -> None:
    t1, t2 = small_table(), small_table()
    t1.caption = t2.caption = t1.source_note = t2.source_note = ""
    body = part(build(Document(meta(), [t1, t2])), "word/document.xml").find(W("body"))
    tags = [k.tag for k in body]
    assert [W("tbl"), W("tbl")] not in [tags[i : i + 2] for i in range(len(tags) - 1)]


def test_paragraph_roles_and_alignment() -> None:
    roles = ["body", "lead", "note", "source", "caption", "signature", "date"]
    blocks = [Paragraph(plain(r), role=r) for r in roles] + [  # type: ignore[arg-type]
        Paragraph(plain("居中"), align="center")
    ]
    d = reopen(build(Document(meta(), blocks, show_title=False)))
    got = {p.text: p.style.name for p in d.paragraphs if p.text}
    assert got["body"] == "Normal" and got["note"] == "Note" and got["date"] == "Date"
    centred = next(p for p in d.paragraphs if p.text == "居中")
    assert centred._p.find(W("pPr")).find(W("jc")).get(W("val")) == "center"


def test_title_and_subtitle_from_meta() -> None:
    d = reopen(build(Document(meta(), [Paragraph(plain(BODY))])))
    assert d.paragraphs[0].style.name == "Title" and d.paragraphs[0].text == meta().title
    assert d.paragraphs[1].style.name == "Subtitle"
    title = d.styles["Title"].element
    assert rfonts_of(title).get(W("eastAsia")) == "方正小标宋简体"
    assert title.find(W("rPr")).find(W("sz")).get(W("val")) == "44"
    d = reopen(build(Document(meta(), [Paragraph(plain(BODY))], show_title=False)))
    assert d.paragraphs[0].text == BODY


# ---------------------------------------------------------------- dispatch


def test_every_block_type_has_a_handler_and_renders() -> None:
    assert set(HANDLERS) == set(BLOCK_TYPES)
    assert {type(b) for b in one_of_each()} == set(BLOCK_TYPES)
    for block in one_of_each():
        data = build(Document(meta(), [block]))
        reopen(data)  # python-docx can read it back


def test_unknown_block_type_is_an_internal_error() -> None:
    class Chart:  # not in BLOCK_TYPES
        pass

    with pytest.raises(TypeError, match="internal error.*Chart"):
        build(Document(meta(), [Chart()]))  # type: ignore[list-item]


# ---------------------------------------------------------------- text safety


def test_markup_like_text_round_trips_literally() -> None:
    blocks = [
        Heading(1, plain(TRICKY), label="一、"),
        Paragraph(plain(TRICKY)),
        Table([[TableCell("列")], [TableCell(TRICKY)]], caption=TRICKY, source_note=TRICKY),
        Box(TRICKY, [Paragraph(plain(TRICKY))]),
    ]
    data = build(Document(Metadata(title=TRICKY), blocks))
    texts = [t.text for t in part(data, "word/document.xml").iter(W("t"))]
    assert texts.count(TRICKY) >= 7
    assert reopen(data).core_properties.title == TRICKY


def test_control_characters_never_break_the_docx() -> None:
    nasty = "甲\x00乙\x01丙\x0b丁\x1f戊\ufffe己\uffff庚\ud800辛"
    c = ctx()
    doc = Document(
        Metadata(title=nasty, author="单位\x07"),
        [Paragraph(plain(nasty)), Heading(1, plain(nasty)),
         Table([[TableCell(nasty)]], caption=nasty), ClosingBlock([("报", nasty)])],
    )  # fmt: skip
    data = render(doc, c)
    d = reopen(data)
    assert "甲乙丙丁戊己庚辛" in [p.text for p in d.paragraphs]
    assert d.tables[0].rows[0].cells[0].text == "甲乙丙丁戊己庚辛"
    assert any("XML cannot hold" in w for w in c.warnings)


def test_newline_and_tab_become_break_and_tab() -> None:
    data = build(Document(meta(), [Paragraph(plain("第一行\n第二行\t后")),
                                   Table([[TableCell("甲\n乙")]])], show_title=False))  # fmt: skip
    body = part(data, "word/document.xml")
    p = next(p for p in body.iter(W("p")) if "第一行" in "".join(p.itertext()))
    tags = [k.tag for r in p.iter(W("r")) for k in r if k.tag != W("rPr")]
    assert tags == [W("t"), W("br"), W("t"), W("tab"), W("t")]
    cell_p = next(body.iter(W("tc"))).find(W("p"))
    assert [k.tag for k in cell_p.find(W("r"))] == [W("t"), W("br"), W("t")]


# ---------------------------------------------------------------- package


def test_core_properties_come_from_meta_and_brief_date(rich: bytes) -> None:
    cp = reopen(rich).core_properties
    assert cp.title == meta().title
    assert cp.author == cp.last_modified_by == "示例区委组织部"
    assert cp.subject == "融入式党建" and "党建" in cp.keywords
    assert cp.language == "zh-CN"
    assert cp.created == cp.modified == STAMP.replace(tzinfo=UTC)
    assert cp.revision == 1
    with zipfile.ZipFile(io.BytesIO(rich)) as z:
        core = z.read("docProps/core.xml").decode()
        assert "python-docx" not in core
        assert "docProps/thumbnail.jpeg" not in z.namelist()


def test_zip_entries_are_fixed(rich: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(rich)) as z:
        infos = z.infolist()
    names = [i.filename for i in infos]
    assert names[0] == "[Content_Types].xml" and names[1:] == sorted(names[1:])
    assert {i.date_time for i in infos} == {(1980, 1, 1, 0, 0, 0)}
    assert {i.compress_type for i in infos} == {zipfile.ZIP_DEFLATED}


def test_same_input_gives_identical_bytes_in_and_across_processes(rich: bytes) -> None:
    digest = hashlib.sha256(rich).hexdigest()
    assert hashlib.sha256(build(rich_doc())).hexdigest() == digest
    here, tests = str(Path(__file__).parent), str(Path(__file__).parents[2])
    code = (
        f"import hashlib, sys; sys.path[:0] = [{here!r}, {tests!r}]; import test_docx_writer as t; "
        "print(hashlib.sha256(t.build(t.rich_doc())).hexdigest())"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={**os.environ, "PYTHONHASHSEED": "12345"})  # fmt: skip
    assert out.stdout.strip() == digest


@pytest.mark.slow  # 10,000 rows
def test_ten_thousand_row_table_keeps_every_row() -> None:
    rows = [[TableCell(h) for h in ("序号", "单位", "指标", "数值", "增长")]]
    rows += [
        [TableCell(str(i)), TableCell(f"第{i}单位"), TableCell("规上工业总产值"),
         TableCell(f"{i * 3.7:.1f}"), TableCell(f"{i % 13}.{i % 10}%")]
        for i in range(10_000)
    ]  # fmt: skip
    doc = Document(meta(), [Table(rows=rows, widths=[1, 3, 3, 2, 2], caption="大表")])
    data = build(doc)  # how fast: bench/run.py (tables)
    tbl = reopen(data).tables[0]
    assert len(tbl.rows) == 10_001 and tbl.rows[-1].cells[3].text == f"{9999 * 3.7:.1f}"


# ---------------------------------------------------------------- LibreOffice


@pytest.mark.slow  # starts LibreOffice
@pytest.mark.skipif(
    not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice absent"
)
def test_libreoffice_converts_rich_document(rich: bytes, tmp_path: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe
    src = tmp_path / "rich.docx"
    src.write_bytes(rich)
    r = subprocess.run(
        [exe, f"-env:UserInstallation=file://{tmp_path}/lo-profile", "--headless",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
        capture_output=True, text=True, timeout=240,
    )  # fmt: skip
    pdf = tmp_path / "rich.pdf"
    assert pdf.is_file(), r.stdout + r.stderr
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext absent")
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout  # fmt: skip
    squashed = "".join(text.split())
    for want in ("党建工作简报", "一、党建融入发展", "报：区委办公室", "（共印50份）", "学习要点"):
        assert want in squashed, want
