"""The document tree stays backend-neutral, and every writer renders every node type."""

from __future__ import annotations

import io
import subprocess
import sys
import zipfile
from collections.abc import Callable
from datetime import datetime
from decimal import Decimal

import pytest
from lxml import etree
from pypdf import PdfReader

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


# The printed text of every node of ``every_node_document`` (whitespace removed).
EVERY_NODE_TEXT = (
    "封面标题", "学习材料", "党建工作简报", "第3期（总第45期）", "示例区委组织部", "一、一级标题", "正文强调楷体",
    "第一项", "第二项", "表题", "地区生产总值", "2224.53", "图题", "资料来源：测试", "思考题", "怎样理解？",
    "（一）二级标题", "区委", "各部门", "（共印50份）",
)


def _docx_text(data: bytes) -> str:
    """Every ``w:t`` of every WordprocessingML part (body, footers), in part order."""
    w_t = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}t"
    out = []
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        for name in sorted(n for n in z.namelist() if n.startswith("word/") and n.endswith(".xml")):
            out += [t.text or "" for t in etree.fromstring(z.read(name)).iter(w_t)]
    return "".join(out)


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _html_text(data: bytes) -> str:
    import lxml.html

    return str(lxml.html.document_fromstring(data).body.text_content())


READERS: dict[str, Callable[[bytes], str]] = {"docx": _docx_text, "pdf": _pdf_text, "html": _html_text}


@pytest.mark.parametrize("fmt", sorted(WRITERS))
def test_every_writer_renders_every_node_type(fmt: str) -> None:
    from briefgen.fonts.book import FontBook
    from briefgen.model.theme import load_theme
    from briefgen.writers.context import RenderContext

    theme = load_theme("jianbao")
    ctx = RenderContext(theme, FontBook(theme), datetime(2022, 9, 23))
    data = get_writer(fmt).render(every_node_document(), ctx)
    read = READERS.get(fmt, lambda b: b.decode("utf-8"))  # a new text format is read as UTF-8
    text = "".join(read(data).split())
    missing = [t for t in EVERY_NODE_TEXT if t not in text]
    assert not missing, f"{fmt}: text of these nodes is missing: {missing}"


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
