"""Unit tests of writers.pdf.floats: a chart that would leave a third of a page empty goes after the text that fills the page, in the PDF and in the DOCX."""

from __future__ import annotations

import io
from decimal import Decimal

import pdfplumber
import pytest
from docx import Document as WordDocument
from pdfwkit import context

from briefgen import tree
from briefgen.writers.common import chart_key
from briefgen.writers.docx import writer as docx_writer
from briefgen.writers.pdf import writer as pdf_writer

TEXT = "截至年末，全市规模以上工业企业达到一万余家，其中高技术制造业企业的比重继续提高。"


def _doc(lines: int, level: int) -> tuple[tree.Document, tree.Chart]:
    chart = tree.Chart("bar", ["2022年", "2023年", "2024年"], [tree.ChartSeries("产值", [Decimal(383), Decimal("399.8"),
                       Decimal("444.6")])], unit="亿元", caption="全市工业产值", axis_max=Decimal(500),
                       axis_step=Decimal(100), width_mm=150, height_mm=140)  # fmt: skip
    blocks: list[tree.Block] = [tree.Paragraph(tree.plain("短段落。")) for _ in range(lines)]
    blocks += [chart, tree.Heading(level, tree.plain("后续工作"), label="（二）" if level > 1 else "二、"),
               tree.Paragraph(tree.plain(TEXT * 2)), tree.Paragraph(tree.plain("第二段。" + TEXT * 4)),
               tree.Paragraph(tree.plain(TEXT * 6))]  # fmt: skip
    return tree.Document(tree.Metadata("x"), blocks, show_title=False), chart


def _pages(pdf: bytes) -> list[str]:
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [(p.extract_text() or "").replace(" ", "").replace("\n", "") for p in doc.pages]


@pytest.mark.parametrize("lines", [13, 14])
def test_running_text_fills_the_page_a_chart_did_not_fit_and_the_docx_has_the_same_order(lines: int) -> None:
    doc, chart = _doc(lines, 2)
    ctx = context()
    pages = _pages(pdf_writer.render(doc, ctx))
    assert ctx.chart_floats == {chart_key(chart): 2}  # the heading and the paragraph that fit
    assert "后续工作" in pages[0] and TEXT[:10] in pages[0]
    assert "全市工业产值" in pages[1] and "第二段" in pages[1]
    assert pages[1].index("全市工业产值") < pages[1].index("第二段")
    texts = [p.text for p in WordDocument(io.BytesIO(docx_writer.render(doc, ctx))).paragraphs if p.text.strip()]
    at = {k: next(i for i, t in enumerate(texts) if k in t) for k in ("后续工作", "全市工业产值", "第二段")}
    assert at["后续工作"] < at["全市工业产值"] < at["第二段"]


def test_a_chart_does_not_float_past_a_first_level_heading_or_for_a_small_gap() -> None:
    doc, _ = _doc(14, 1)
    ctx = context()
    pages = _pages(pdf_writer.render(doc, ctx))
    assert ctx.chart_floats == {} and "后续工作" not in pages[0]
    doc, _ = _doc(19, 2)  # the room left is under a third of the page: the chart just goes on
    ctx = context()
    pdf_writer.render(doc, ctx)
    assert ctx.chart_floats == {}


def test_fill_count_takes_running_text_that_fits_and_never_ends_on_a_heading() -> None:
    from pdfwkit import writer

    from briefgen.writers.pdf.floats import fill_count

    doc, _ = _doc(0, 2)
    w = writer(doc=doc)
    w.story()  # the writer's state for one pass
    width = w.theme.type_area_width
    blocks = doc.blocks  # chart, （二）heading, 2-line paragraph, long paragraphs
    assert fill_count(w, blocks, 0, w.pitch * 2, width) == 0  # the heading alone would fit: not taken
    assert fill_count(w, blocks, 0, w.pitch * 5, width) == 2  # heading and its first paragraph
    assert fill_count(w, blocks, 0, 1e6, width) == 4
    first, _ = _doc(0, 1)
    assert fill_count(w, first.blocks, 0, 1e6, width) == 0  # not past a first-level heading


def test_fill_count_takes_a_whole_upright_table_but_not_a_turned_one() -> None:
    from pdfwkit import writer

    from briefgen.writers.pdf.floats import fill_count

    doc, chart = _doc(0, 2)
    rows = [[tree.TableCell("指标"), tree.TableCell("数值")], [tree.TableCell("产值"), tree.TableCell("383")],
            [tree.TableCell("增速"), tree.TableCell("4.1%")]]  # fmt: skip
    table = tree.Table(rows=rows, caption="主要指标")
    blocks: list[tree.Block] = [chart, table, tree.Paragraph(tree.plain(TEXT))]
    w = writer(doc=doc)
    w.story()
    width = w.theme.type_area_width
    assert fill_count(w, blocks, 0, 1e6, width) == 2
    assert fill_count(w, blocks, 0, w.pitch * 3, width) == 0  # the table does not fit whole: not taken
    table.landscape = True
    assert fill_count(w, blocks, 0, 1e6, width) == 0
