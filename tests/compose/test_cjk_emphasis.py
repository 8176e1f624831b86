"""Unit tests of compose.cjk_emphasis: bold and italic runs beside Chinese punctuation, CommonMark elsewhere."""

from __future__ import annotations

import pytest
from markdown_it import MarkdownIt

from briefgen.compose.cjk_emphasis import cjk_emphasis
from briefgen.compose.markdown import markdown_blocks
from briefgen.tree import Paragraph

CJK = MarkdownIt("commonmark").use(cjk_emphasis)
PLAIN = MarkdownIt("commonmark")


def _marks(md: MarkdownIt, text: str) -> list[str]:
    return [t.type for t in md.parseInline(text)[0].children or [] if t.type != "text"]


@pytest.mark.parametrize("text", [
    "**一是强化组织领导。**各地要加强领导。",  # the bold lead of an official document
    "**（1）“初步核算数”与“核实数”。**每年公布两次。",
    "正文**“重要”**正文",
    "**注：**本表数字为初步核算数。",
    "全年*增长*较快，",
])
def test_emphasis_closes_after_chinese_punctuation(text: str) -> None:
    assert _marks(CJK, text) in (["strong_open", "strong_close"], ["em_open", "em_close"])


@pytest.mark.parametrize("text", ["a **b** c", "a**b**c", "2*3*4", "** not bold**", "*a *b", "x_y_z", "**a**.", "(**a**)"])
def test_runs_without_chinese_neighbours_are_commonmark(text: str) -> None:
    assert _marks(CJK, text) == _marks(PLAIN, text)


def test_a_brief_paragraph_gets_its_bold_lead() -> None:
    (para,) = markdown_blocks("**一是强化组织领导。**各地要加强领导。")
    assert isinstance(para, Paragraph)
    assert [(s.text, s.strong) for s in para.inlines] == [("一是强化组织领导。", True), ("各地要加强领导。", False)]
