"""Unit tests of writers.docx.xml: unit conversions, element builders, text cleaning, runs for spans."""

from __future__ import annotations

from docxkit import NS, W, fonts, reparse, text_of, theme, wattr
from lxml import etree

from briefgen.tree import Span
from briefgen.writers.docx import xml as x


def test_units() -> None:
    assert x.tw(16) == 320
    assert x.tw_mm(25.4) == 1440
    assert x.half_pt(10.5) == 21
    assert x.hex_color("#c00000") == "C00000"


def test_qn_and_el_build_namespaced_elements() -> None:
    assert x.qn("w:p") == f"{{{W}}}p"
    p = x.el("w:p", None, x.val("w:jc", "center"), None)
    assert p.tag == f"{{{W}}}p"
    (jc,) = list(p)
    assert wattr(jc, "val") == "center"


def test_ordered_puts_children_in_schema_order_and_drops_empty() -> None:
    got = x.ordered("w:pPr", [x.val("w:jc", "left"), x.el("w:spacing"), x.val("w:pStyle", "Body")],
                    x.PPR_ORDER)
    assert got is not None
    assert [etree.QName(c).localname for c in got] == ["pStyle", "spacing", "jc"]
    assert x.ordered("w:pPr", [None], x.PPR_ORDER) is None


def test_clean_text_removes_xml_illegal_characters_and_warns() -> None:
    warned: list[str] = []
    assert x.clean_text("甲\x00乙\x0b丙", warned.append) == "甲乙丙"
    assert warned


def test_text_children_keep_spaces_and_turn_newlines_into_breaks() -> None:
    r = reparse(x.run(" 一行\n二行 "))
    assert [etree.QName(c).localname for c in r] == ["t", "br", "t"]
    assert text_of(r) == " 一行二行 "
    for t in r.iterfind("w:t", NS):
        assert t.get("{http://www.w3.org/XML/1998/namespace}space") == "preserve"


def test_span_runs_use_role_fonts_for_strong_and_emphasis() -> None:
    t = theme()
    f = fonts(t)
    runs = [reparse(r) for r in x.span_runs([Span("正文"), Span("黑体", strong=True),
                                              Span("楷体", emphasis=True), Span("")], f)]
    assert [text_of(r) for r in runs] == ["正文", "黑体", "楷体"]  # the empty span makes no run
    assert runs[0].find("w:rPr", NS) is None
    strong = runs[1].find("w:rPr/w:rFonts", NS)
    emph = runs[2].find("w:rPr/w:rFonts", NS)
    assert strong is not None and wattr(strong, "eastAsia") == f.name(t.fonts.strong)
    assert emph is not None and wattr(emph, "eastAsia") == f.name(t.fonts.emphasis)
    assert f.name(t.fonts.strong) != f.name(t.fonts.emphasis)


def test_fonts_lists_each_docx_name_once() -> None:
    t = theme()
    f = fonts(t)
    used = f.used()
    assert used == sorted(set(used))
    assert f.name(t.fonts.body) in used


def test_insert_ordered_replaces_same_tag_and_keeps_order() -> None:
    props = x.el("w:pPr", None, x.val("w:pStyle", "A"), x.val("w:jc", "left"))
    x.insert_ordered(props, x.el("w:spacing", {"w:before": 1}), x.PPR_ORDER)
    x.insert_ordered(props, x.val("w:jc", "right"), x.PPR_ORDER)
    assert [etree.QName(c).localname for c in props] == ["pStyle", "spacing", "jc"]
    assert wattr(props[-1], "val") == "right"


def test_p_props_creates_ppr_first() -> None:
    p = x.el("w:p", None, x.run("字"))
    props = x.p_props(p)
    assert p[0] is props
    assert x.p_props(p) is props


def test_char_units_counts_cjk_as_one_and_latin_as_half() -> None:
    assert x.char_units("中文") == 2.0
    assert x.char_units("ab12") == 2.0
    assert x.char_units("中\na") == 1.5
