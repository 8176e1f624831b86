"""Unit tests of compose.composer: each spec block type through its handler, and the front/tail blocks."""

from __future__ import annotations

from pathlib import Path

from composekit import composer, mini

from briefgen.compose.composer import BLOCK_HANDLERS, Composer
from briefgen.model.spec import (
    AttachmentBlock,
    ChartBlock,
    HeadingBlock,
    ImageBlock,
    PageBreakBlock,
    SectionBlock,
    TableBlock,
    TextBlock,
    TocBlock,
)
from briefgen.tree import (
    Chart,
    ClosingBlock,
    Heading,
    Masthead,
    PageBreak,
    Paragraph,
    Table,
    TocPlaceholder,
)


def test_every_block_type_but_appendix_has_a_handler() -> None:
    assert set(BLOCK_HANDLERS) == {SectionBlock, TableBlock, ChartBlock, TextBlock, HeadingBlock,
                                   PageBreakBlock, TocBlock, ImageBlock, AttachmentBlock}
    for fn in BLOCK_HANDLERS.values():  # a Composer method, or a stage module's function taking the Composer
        assert getattr(Composer, fn.__name__, None) is fn or fn.__module__ in {
            "briefgen.compose.images", "briefgen.compose.gongwen"}, fn


def test_simple_handlers(tmp_path: Path) -> None:
    c = composer(mini(tmp_path))
    (h,) = c.heading_block(0, HeadingBlock.model_validate({"heading": "小结", "level": 2}))
    assert isinstance(h, Heading) and h.level == 2 and h.text == "小结"
    assert [type(b) for b in c.page_break_block(0, PageBreakBlock.model_validate({"page_break": True}))] == [PageBreak]
    (toc,) = c.toc_block(0, TocBlock.model_validate({"toc": True, "title": "目次"}))
    assert isinstance(toc, TocPlaceholder) and toc.title == "目次"
    paras = c.text_block(0, TextBlock.model_validate({"text": "第一段**强调**。\n\n第二段。"}))
    assert [type(p) for p in paras] == [Paragraph, Paragraph]
    assert any(s.strong and s.text == "强调" for s in paras[0].inlines)  # type: ignore[union-attr]
    assert not c.problems


def test_table_and_chart_handlers_use_the_pack_figures(tmp_path: Path) -> None:
    c = composer(mini(tmp_path))
    blocks = c.table_block(2, TableBlock.model_validate({"table": "figures", "ids": ["gdp_2023", "stations"]}))
    table = next(b for b in blocks if isinstance(b, Table))
    assert [r[0].text for r in table.rows[1:]] == ["地区生产总值", "网格服务站"]
    assert c.figures_used[:2] == ["gdp_2023", "stations"]
    blocks = c.chart_block(3, ChartBlock.model_validate({"chart": "bar", "ids": ["gdp_2023"], "caption": "图"}))
    chart = next(b for b in blocks if isinstance(b, Chart))
    assert chart.categories == ["地区生产总值"]
    assert [str(v) for v in chart.series[0].values] == ["1234.56"]
    assert not c.problems
    c.chart_block(3, ChartBlock.model_validate({"chart": "bar", "ids": ["gdp_2023", "stations"]}))
    (p,) = c.problems
    assert p.message == "the chart mixes units: 个, 亿元" and p.path == "blocks[3]"


def test_unknown_figure_is_a_located_problem(tmp_path: Path) -> None:
    c = composer(mini(tmp_path))
    c.table_block(2, TableBlock.model_validate({"table": "figures", "ids": ["nope"]}))
    (p,) = c.problems
    assert "nope" in str(p) and "brief.yaml:" in str(p)


def test_compose_builds_masthead_and_closing_for_jianbao(tmp_path: Path) -> None:
    prep = mini(tmp_path, "name: 工作简报\nissue: 3\nclosing: {bao: 区委办公室, copies: 50}\n")
    prep.theme = prep.theme.model_copy(update={"blocks": prep.theme.blocks.model_copy(
        update={"masthead": True, "closing": True, "cover": False, "toc": False})})
    composed = composer(prep).compose()
    blocks = composed.document.blocks
    masthead = blocks[0]
    assert isinstance(masthead, Masthead) and masthead.name == "工作简报" and masthead.issue_line == "第3期"
    closing = blocks[-1]
    assert isinstance(closing, ClosingBlock)
    assert closing.lines == [("报", "区委办公室")] and closing.copies_text == "（共印50份）"
