"""Unit tests of writers.docx.front: masthead paragraphs, the cover page and the closing table."""

from __future__ import annotations

from docxkit import NS, fonts, geometry, reparse, text_of, theme, wattr

from briefgen.tree import ClosingBlock, Cover, Masthead
from briefgen.writers.docx.front import CLOSING_INNER, CLOSING_OUTER, MASTHEAD_RULE, Front


def _front(warned: list[str]) -> Front:
    t = theme()
    return Front(t, fonts(t), geometry(t), warned.append)


def test_masthead_is_red_name_issue_line_and_rule() -> None:
    front = _front([])
    ps = [reparse(p) for p in front.masthead(Masthead("工作简报", "第3期", "示例办", "2024年5月10日",
                                                      mark="内部资料", serial="No.1"))]
    assert [text_of(p) for p in ps] == ["内部资料No.1", "工作简报", "第3期", "示例办2024年5月10日"]
    color = ps[1].find(".//w:rPr/w:color", NS)
    assert color is not None and wattr(color, "val") == front.theme.colors.red.lstrip("#").upper()
    rule = ps[-1].find("w:pPr/w:pBdr/w:bottom", NS)
    assert rule is not None and wattr(rule, "sz") == str(MASTHEAD_RULE)


def test_cover_fits_one_page() -> None:
    front = _front([])
    ps = [reparse(p) for p in front.cover(Cover("标题" * 10, "副题", "学习材料", "示例办", "2024年5月10日",
                                                mark="内部资料"))]
    assert [text_of(p) for p in ps] == ["内部资料", "标题" * 10, "副题", "学习材料", "示例办", "2024年5月10日"]
    used = sum(int(wattr(s, "before") or 0) + int(wattr(s, "line") or 0)
               for p in ps for s in p.iterfind("w:pPr/w:spacing", NS))
    assert used <= front.geo.text_h


def test_closing_is_a_bottom_anchored_table_with_rules() -> None:
    front = _front([])
    tbl = front.closing(ClosingBlock([("报", "区委办公室"), ("送", "各乡镇")], "（共印50份）"))
    assert tbl is not None
    tbl = reparse(tbl)
    rows = tbl.findall("w:tr", NS)
    assert [text_of(r) for r in rows] == ["报：区委办公室", "送：各乡镇", "（共印50份）"]
    pos = tbl.find("w:tblPr/w:tblpPr", NS)
    assert wattr(pos, "tblpYSpec") == "bottom" and wattr(pos, "vertAnchor") == "margin"
    assert wattr(tbl.find("w:tblPr/w:tblBorders/w:top", NS), "sz") == str(CLOSING_OUTER)
    inner = rows[-1].find("w:tc/w:tcPr/w:tcBorders/w:top", NS)
    assert inner is not None and wattr(inner, "sz") == str(CLOSING_INNER)


def test_empty_closing_is_skipped_with_a_warning() -> None:
    warned: list[str] = []
    assert _front(warned).closing(ClosingBlock([])) is None
    assert warned == ["docx: skipped an empty closing block"]
