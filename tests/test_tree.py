"""The document tree stays backend-neutral, and every writer renders every node type."""

from __future__ import annotations

import subprocess
import sys
from datetime import datetime
from decimal import Decimal

import pytest

import nodekit
from briefgen import tree
from briefgen.formats import FORMATS as WRITERS
from briefgen.writers import get_writer


def test_tree_imports_no_backend() -> None:
    code = ("import sys, briefgen.tree; bad = [m for m in ('docx', 'reportlab', 'jinja2', 'lxml') "
            "if m in sys.modules]; print(bad); sys.exit(1 if bad else 0)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr


def every_node_document() -> tree.Document:
    """A document holding one instance of every block type (and both emphasis kinds)."""
    T = tree.TableCell
    blocks: list[tree.Block] = [
        tree.Cover("封面标题", "副标题", "学习材料", "示例单位", "2022年9月23日", "内部资料 注意保存"),
        tree.TocPlaceholder(),
        tree.Masthead("党建工作简报", "第3期（总第45期）", "示例区委组织部", "2022年10月8日", "内部资料"),
        tree.Heading(1, tree.plain("一级标题"), label="一、"),
        tree.Paragraph((tree.Span("正文"), tree.Span("强调", strong=True), tree.Span("楷体", emphasis=True))),
        tree.ListBlock([tree.plain("第一项"), tree.plain("第二项")], ordered=True),
        tree.Table([[T("指标", "center", True), T("数值", "center", True)], [T("地区生产总值"), T("2224.53", "right")]],
                   caption="表题", source_note="资料来源：测试"),
        tree.Chart("bar", ["甲", "乙"], [tree.ChartSeries("数值", [Decimal("1.5"), Decimal("2")])], unit="亿元",
                   caption="图题", source_note="资料来源：测试", alt="柱状图：甲1.5，乙2.0", show_table=True,
                   axis_max=Decimal(3), axis_step=Decimal(1), decimals=1),
        tree.Box("思考题", [tree.Paragraph(tree.plain("怎样理解？"))], kind="question"),
        tree.PageBreak(),
        tree.Heading(2, tree.plain("二级标题"), label="（一）"),
        *nodekit.office_nodes(),
        tree.ClosingBlock([("报", "区委"), ("送", "各部门")], "（共印50份）"),
    ]
    assert {type(b) for b in blocks} == set(tree.BLOCK_TYPES)
    return tree.Document(tree.Metadata("全部节点", author="示例单位"), blocks)


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_writer_renders_every_node_type(fmt: str) -> None:
    from briefgen.fonts.book import FontBook
    from briefgen.model.theme import load_theme
    from briefgen.writers.context import RenderContext

    theme = load_theme("jianbao")
    ctx = RenderContext(theme, FontBook(theme), datetime(2022, 9, 23))
    data = get_writer(fmt).render(every_node_document(), ctx)
    assert isinstance(data, bytes) and len(data) > 1000


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_unknown_node_type_is_an_internal_error(fmt: str) -> None:
    from briefgen.fonts.book import FontBook
    from briefgen.model.theme import load_theme
    from briefgen.writers.context import RenderContext

    class Alien:
        pass

    theme = load_theme("gongwen")
    doc = tree.Document(tree.Metadata("x"), [Alien()])  # type: ignore[list-item]
    with pytest.raises((TypeError, NotImplementedError, KeyError)):
        get_writer(fmt).render(doc, RenderContext(theme, FontBook(theme), datetime(2022, 9, 23)))
