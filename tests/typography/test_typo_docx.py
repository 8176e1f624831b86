"""DOCX checklist rows (gongwen-layout.md §2) on the DOCX files the same builds wrote.

Sections (A4, margins 37/35/28/26 mm, docGrid for 22 × 28), fonts in both the East-Asian and
Latin slots of every style and run, kinsoku and zh-CN line-break sets, odd/even footers with
PAGE fields, heading styles and their generated numbering, 28 characters per line from run
spacing, red masthead and closing block. Read with python-docx and the raw XML.
"""

from __future__ import annotations

import re
from typing import Any

import pytest
from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.text import WD_LINE_SPACING
from docx.oxml.ns import qn
from docx.shared import Pt
from typo_build import Built
from typo_measure import NO_END, NO_START

OFFICE = {"仿宋", "黑体", "楷体", "宋体", "方正小标宋简体", "Times New Roman"}
HEADS = {
    "Heading 1": (re.compile(r"^[一二三四五六七八九十]+、"), "黑体"),
    "Heading 2": (re.compile(r"^（[一二三四五六七八九十]+）"), "楷体"),
    "Heading 3": (re.compile(r"^\d+\."), "仿宋"),
    "Heading 4": (re.compile(r"^（\d+）"), "仿宋"),
}


def W(tag: str) -> str:  # noqa: N802 - reads like the XML
    return qn(f"w:{tag}")


@pytest.fixture(scope="module")
def docs(everything: list[Built]) -> list[tuple[Built, DocxDocument]]:
    return [(b, Document(str(b.docx))) for b in everything]


def test_sections_a4_margins_and_grid(docs: list[tuple[Built, DocxDocument]]) -> None:
    for b, d in docs:
        for s in d.sections:
            w, h = s.page_width.twips, s.page_height.twips
            assert sorted((w, h)) == [11906, 16838], b.name
            if w > h:
                continue  # a landscape table section turns the page, not the margins' meaning
            for got, want in ((s.top_margin, 2098), (s.bottom_margin, 1984),
                              (s.left_margin, 1588), (s.right_margin, 1474)):  # fmt: skip
                assert abs(got.twips - want) <= 1, (b.name, want, got.twips)
            grid = s._sectPr.find(W("docGrid"))
            assert grid.get(W("type")) == "linesAndChars"
            pitch = int(grid.get(W("linePitch")))
            assert 22 * pitch <= 12756 < 23 * pitch  # 22 lines fill the 225 mm type area
            char = 16 + int(grid.get(W("charSpace"))) / 4096  # ECMA-376 charSpace in 1/4096 pt
            assert 28 * char == pytest.approx(442.2, abs=0.1)  # 28 characters per line


def test_body_style_16pt_exact_pitch_indent_and_28_chars(docs: list[tuple[Built, DocxDocument]]) -> None:
    for b, d in docs:
        normal = d.styles["Normal"]
        rpr = normal.element.find(W("rPr"))
        assert rpr.find(W("sz")).get(W("val")) == "32", b.name
        assert normal.paragraph_format.line_spacing_rule == WD_LINE_SPACING.EXACTLY
        assert Pt(28) <= normal.paragraph_format.line_spacing <= Pt(28.99)
        ind = normal.element.find(W("pPr")).find(W("ind"))
        assert ind.get(W("firstLineChars")) == "200"
        # 28 characters per line come from run spacing (the char grid is not snapped to):
        # 28 × (16 pt + spacing) fits the 442.2 pt line, 29 do not
        spacing = int(rpr.find(W("spacing")).get(W("val"))) / 20
        assert 28 * (16 + spacing) <= 442.2 < 29 * (16 + spacing)
        kinsoku = normal.element.find(W("pPr")).find(W("kinsoku"))
        assert kinsoku is None or kinsoku.get(W("val")) in ("1", "true", "on")
        assert rpr.find(W("lang")).get(W("eastAsia")) == "zh-CN"


def test_fonts_named_in_both_slots_everywhere(docs: list[tuple[Built, DocxDocument]]) -> None:
    """Every rFonts in styles and text names an office font in the East-Asian and Latin slots,
    never a theme font (so Word/WPS use 仿宋 etc., not the template's Latin fonts)."""
    for b, d in docs:
        for part in (*_used_styles(d), d.element.body):
            for rf in part.iter(W("rFonts")):
                attrs = {k.split("}")[1]: v for k, v in rf.attrib.items()}
                assert not any(k.endswith("Theme") for k in attrs), (b.name, attrs)
                if "eastAsia" in attrs or "ascii" in attrs:
                    assert attrs.get("eastAsia") in OFFICE and attrs.get("ascii") in OFFICE, (
                        b.name, attrs)  # fmt: skip
                    assert attrs.get("hAnsi") in OFFICE


def _used_styles(d: DocxDocument) -> list[Any]:
    """Style elements the document refers to (in text and footers), with their basedOn chain;
    the template's unused table and heading 5–9 styles do not matter."""
    parts = [d.element.body] + [s.footer._element for s in d.sections]
    parts += [s.even_page_footer._element for s in d.sections]
    ids = {el.get(W("val")) for part in parts for tag in ("pStyle", "rStyle", "tblStyle")
           for el in part.iter(W(tag))}  # fmt: skip
    ids |= {"Normal"}
    by_id = {st.get(W("styleId")): st for st in d.styles.element.iter(W("style"))}
    out, todo = [], list(ids)
    while todo:
        st = by_id.get(todo.pop())
        if st is not None and st not in out:
            out.append(st)
            based = st.find(W("basedOn"))
            if based is not None:
                todo.append(based.get(W("val")))
    return out


def test_kinsoku_sets_and_even_odd_footers(docs: list[tuple[Built, DocxDocument]]) -> None:
    for b, d in docs:
        settings = d.settings.element
        assert d.settings.odd_and_even_pages_header_footer, b.name
        before = settings.find(W("noLineBreaksBefore"))
        after = settings.find(W("noLineBreaksAfter"))
        assert before.get(W("lang")) == after.get(W("lang")) == "zh-CN"
        assert set(NO_START) <= set(before.get(W("val")))
        assert set(NO_END) <= set(after.get(W("val")))
        numbered = 0
        for s in d.sections:
            instr = "".join(t.text for t in s.footer._element.iter(W("instrText")))
            instr += "".join(f.get(W("instr"), "") for f in s.footer._element.iter(W("fldSimple")))
            if "PAGE" not in instr:
                continue  # a cover section
            numbered += 1
            want = ("center", "center") if b.theme.page_numbers.position == "center" else ("right", "left")
            for footer, jc in zip((s.footer, s.even_page_footer), want, strict=True):
                p = footer._element.find(W("p"))
                assert p.find(W("pPr")).find(W("jc")).get(W("val")) == jc, b.name
                text = "".join(t.text or "" for t in footer._element.iter(W("t")))
                assert text.startswith("— ") and text.endswith(" —")
                assert "PAGE" in "".join(t.text for t in footer._element.iter(W("instrText")))
        assert numbered >= 1, b.name


def test_heading_styles_and_generated_numbers(docs: list[tuple[Built, DocxDocument]]) -> None:
    seen: set[str] = set()
    for b, d in docs:
        for name, (_, font) in HEADS.items():
            style = d.styles[name]
            rf = style.element.find(W("rPr")).find(W("rFonts"))
            assert rf.get(W("eastAsia")) == font and rf.get(W("ascii")) == font
            rpr = style.element.find(W("rPr"))
            assert rpr.find(W("sz")).get(W("val")) == "32"
            assert rpr.find(W("b")) is None or rpr.find(W("b")).get(W("val")) in ("0", "false")
        for p in d.paragraphs:
            if p.style.name in HEADS and p.text.strip():
                # numbered headings carry their level's label (一、（一）1.（1）), generated from
                # the structure; an unnumbered one (附：…) carries none of the labels
                pattern, _ = HEADS[p.style.name]
                if pattern.match(p.text):
                    seen.add(p.style.name)
                else:
                    assert not any(x.match(p.text) for x, _ in HEADS.values()), (b.name, p.text)
    assert seen == set(HEADS)


def test_title_masthead_and_closing_block(docs: list[tuple[Built, DocxDocument]]) -> None:
    for b, d in docs:
        title = d.styles["Title"].element
        assert title.find(W("rPr")).find(W("sz")).get(W("val")) == "44"  # 2号
        assert title.find(W("rPr")).find(W("rFonts")).get(W("eastAsia")) == "方正小标宋简体"
        assert title.find(W("pPr")).find(W("jc")).get(W("val")) == "center"
        body = d.element.body
        if b.theme.blocks.masthead:
            red = [r for r in body.iter(W("r"))
                   if r.find(W("rPr")) is not None and r.find(W("rPr")).find(W("color")) is not None
                   and r.find(W("rPr")).find(W("color")).get(W("val")).upper() == "FF0000"]  # fmt: skip
            assert red and int(red[0].find(W("rPr")).find(W("sz")).get(W("val"))) >= 52, b.name
        texts = [p.text for p in d.paragraphs]
        if any(t.startswith("报：") for t in texts):
            heads = [t[:2] for t in texts if re.match(r"^(报|送|发)：", t)]
            assert heads == ["报：", "送：", "发："], b.name
            assert any(re.search(r"（共印\d+份）", t) for t in texts)
