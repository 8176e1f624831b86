"""compose.frontmatter: the theme decides cover, contents, masthead and 报尾; the brief fills them."""

from __future__ import annotations

import datetime as dt

from briefgen.compose.frontmatter import closing_blocks, front_blocks
from briefgen.model.spec import Brief
from briefgen.model.theme import load_theme
from briefgen.tree import ClosingBlock, Cover, Masthead, Paragraph, TocPlaceholder


def _brief(**extra: object) -> Brief:
    return Brief.model_validate({"title": "标题", "sources": {"mp": "p.yaml"}, "blocks": [{"text": "x"}],
                                 "unit": "示例办", "date": dt.date(2024, 5, 10), **extra})


def test_jianbao_masthead_with_issue_lines_and_editor_note() -> None:
    b = _brief(name="工作简报", issue="3", issue_total="45", mark="内部资料")
    out = front_blocks(b, load_theme("jianbao"), "标题", "", "  按语正文  ", False, {})
    assert [type(x) for x in out] == [Masthead, Paragraph]
    m = out[0]
    assert isinstance(m, Masthead)
    assert (m.name, m.issue_line, m.unit, m.mark) == ("工作简报", "第3期（总第45期）", "示例办", "内部资料")
    assert m.date_text == "2024年5月10日" and m.logo is None
    note = out[1]
    assert isinstance(note, Paragraph)
    assert [s.text for s in note.inlines] == ["编者按：", "按语正文"] and note.inlines[0].strong


def test_report_cover_and_toc_unless_the_brief_has_one() -> None:
    b = _brief(subtitle="副题")
    t = load_theme("report")
    out = front_blocks(b, t, "标题", "副题", "", False, {})
    assert [type(x) for x in out] == [Cover, TocPlaceholder]
    assert isinstance(out[0], Cover) and out[0].kind_line == "数据报告"  # the theme's cover_name (helper set F)
    handout = front_blocks(b, load_theme("handout"), "标题", "副题", "", False, {})[0]
    assert isinstance(handout, Cover) and handout.kind_line == "学习材料"
    named = front_blocks(_brief(name="经济运行简报"), t, "标题", "", "", False, {})[0]
    assert isinstance(named, Cover) and named.kind_line == "经济运行简报"
    assert [type(x) for x in front_blocks(b, t, "标题", "副题", "", True, {})] == [Cover]


def test_gongwen_theme_has_no_front_blocks() -> None:
    assert front_blocks(_brief(), load_theme("gongwen"), "标题", "", "", False, {}) == []


def test_closing_lines_skip_empty_fields() -> None:
    b = _brief(closing={"bao": "县委", "fa": "各乡镇", "copies": 30})
    out = closing_blocks(b, load_theme("jianbao"))
    assert len(out) == 1 and isinstance(out[0], ClosingBlock)
    assert out[0].lines == [("报", "县委"), ("发", "各乡镇")]
    assert out[0].copies_text == "（共印30份）"
    assert closing_blocks(b, load_theme("gongwen")) == []
    assert closing_blocks(_brief(), load_theme("jianbao")) == []
