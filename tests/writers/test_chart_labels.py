"""Chart category labels in every writer, measured in the files they produce: never on top of each other, never outside the type area, the same lines everywhere."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from lxml import etree

from briefgen import tree
from briefgen.compose.charts import build_chart
from briefgen.model.theme import MM
from briefgen.writers.docx import writer as docx_writer
from briefgen.writers.docx.chart import chart_xml
from briefgen.writers.html.chart import SvgChart
from briefgen.writers.pdf import writer as pdf_writer
from keyfigkit import context

C = {"c": "http://schemas.openxmlformats.org/drawingml/2006/chart",
     "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
LONG = ["全国实物商品网上零售额增速", "城镇消费品零售额增速", "乡村消费品零售额增速", "限额以上单位金银珠宝类商品零售额增速",
        "限额以上单位化妆品类商品零售额增速", "限额以上单位通讯器材类商品零售额增速", "全国规模以上工业增加值增速",
        "规模以上高技术制造业增加值增速", "装备制造业增加值增速", "全国服务业生产指数增速", "全国固定资产投资（不含农户）增速",
        "25至59岁人口调查失业率", "社会消费品零售总额", "居民消费价格涨幅", "全国快递服务企业业务量", "全国铁路发送旅客",
        "工业机器人产量增速", "一般公共预算收入", "房地产开发投资增速", "进出口总额增速"]  # fmt: skip
VALUES = ["15.8", "0.5", "0.7", "15.3", "19.0", "25.1", "5.6", "7.6", "10.8", "4", "-0.3", "4.8", "0.5", "2.4", "36.5",
          "2.5", "32.5", "-4.6", "11.8", "-7.1"]  # fmt: skip


def long_chart(n: int, kind: str = "bar", first: int = 0) -> tree.Chart:
    values = VALUES[first : first + n]
    series = [tree.ChartSeries("", [Decimal(v) for v in values])]
    if kind != "bar":
        series = [tree.ChartSeries(f"{y}年", [abs(Decimal(v)) + k for v in values]) for k, y in enumerate((2023, 2024))]
    theme = context().theme
    return build_chart(kind, LONG[first : first + n], series, unit="%", caption="", source_note="", alt="",  # type: ignore[arg-type]
                       show_table=False, value_labels=True, width_mm=round(theme.type_area_width / MM, 1),
                       height_mm=80, table_style="three-line", table_title="指标",
                       page_height_mm=theme.type_area_height / MM)


def doc(chart: tree.Chart) -> tree.Document:
    return tree.Document(tree.Metadata("测试", author="示例单位"), [chart], show_title=False)


def type_area() -> tuple[float, float, float, float]:
    th = context().theme
    m = th.page.margins_mm
    return m.left * MM, m.top * MM, m.left * MM + th.type_area_width, m.top * MM + th.type_area_height


def collisions(chars: list[dict[str, Any]]) -> list[str]:
    """Pairs of glyphs drawn over each other (boxes overlapping by more than 0.3 pt both ways)."""
    out = []
    for i, a in enumerate(chars):
        for b in chars[i + 1:]:
            if (min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 0.3
                    and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.3):
                out.append(a["text"] + b["text"])
    return out


@pytest.mark.parametrize(("n", "kind", "first"),
                         [(3, "bar", 3), (6, "bar", 3), (10, "bar", 0), (20, "bar", 0), (10, "grouped", 0), (8, "stacked", 0)])
def test_pdf_chart_labels_neither_overlap_nor_leave_the_type_area(n: int, kind: str, first: int) -> None:
    chart = long_chart(n, kind, first)
    data = pdf_writer.render(doc(chart), context())
    left, top, right, bottom = type_area()
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        chars = [c for c in pdf.pages[0].chars if top <= c["top"] < bottom]
    text = "".join(c["text"] for c in chars)
    assert chart.layout is not None
    for lines in chart.layout.cat_lines:  # every category printed, each of its lines whole
        assert all(line in text for line in lines)
    assert not collisions(chars)
    assert all(left - 0.5 <= c["x0"] and c["x1"] <= right + 0.5 for c in chars), (left, right)
    assert min(c["size"] for c in chars) >= 9.0 - 0.01


@pytest.mark.parametrize("n", [10, 20])
def test_long_labels_make_horizontal_bars_in_every_writer(n: int) -> None:
    chart = long_chart(n)
    assert chart.layout is not None and chart.layout.horizontal
    space = etree.fromstring(chart_xml(chart, "仿宋", "Times New Roman"))
    assert space.find(".//c:barDir", C).get("val") == "bar"
    assert space.find(".//c:catAx/c:scaling/c:orientation", C).get("val") == "maxMin"  # first on top
    assert space.find(".//c:valAx/c:crosses", C).get("val") == "max"  # values under the bars
    assert space.find(".//c:catAx/c:txPr/a:bodyPr", C).get("rot") == "0"  # never turned
    svg = SvgChart(chart, "c1", 1000.0).build()
    assert float(svg.get("height").rstrip("pt")) == pytest.approx(chart.layout.height, abs=0.01)
    rects = list(svg.iter("rect"))
    assert len(rects) == n and len({r.get("height") for r in rects}) == 1  # bars across: one thickness
    assert len({r.get("width") for r in rects}) > 1  # lengths are the values
    data = pdf_writer.render(doc(chart), context())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        bars = pdf.pages[0].rects
    assert len(bars) == n and len({round(r["height"], 2) for r in bars}) == 1


def test_the_same_label_lines_in_pdf_docx_and_html() -> None:
    chart = long_chart(3, first=3)
    lay = chart.layout
    assert lay is not None and not lay.horizontal and max(len(ls) for ls in lay.cat_lines) >= 2
    space = etree.fromstring(chart_xml(chart, "仿宋", "Times New Roman"))
    cached = [v.text for v in space.find(".//c:ser", C).findall("c:cat//c:pt/c:v", C)]
    assert cached == ["\n".join(ls) for ls in lay.cat_lines]
    svg = SvgChart(chart, "c1", 1000.0).build()
    spans = [[s.text for s in t.iter("tspan")] or [t.text] for t in svg.iter("text")]
    for ls in lay.cat_lines:
        assert ls in spans
    data = pdf_writer.render(doc(chart), context())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        lines = (pdf.pages[0].extract_text() or "").split("\n")
    for ls in lay.cat_lines:
        assert all(any(ln in got for got in lines) for ln in ls)


def test_repeated_indicators_of_several_periods_are_told_apart() -> None:
    from briefgen.compose.charts import figure_series
    from briefgen.model.sourcepack import Figure

    figs = [Figure(id=f"{k}{y}", label=label, value=Decimal(v), unit="元", period=f"{y}年上半年")
            for k, (label, vals) in enumerate((("全国居民人均可支配收入", (14063, 15294)), ("城镇居民人均可支配收入", (19770, 21342))))
            for y, v in zip((2018, 2019), vals, strict=True)]  # fmt: skip
    kind, cats, series = figure_series("bar", figs, [f.value for f in figs], "")
    assert kind == "grouped" and cats == ["全国居民人均可支配收入", "城镇居民人均可支配收入"]
    assert [s.name for s in series] == ["2018年上半年", "2019年上半年"]
    assert series[1].values == [Decimal(15294), Decimal(21342)]
    kind, cats, _ = figure_series("line", figs, [f.value for f in figs], "")
    assert kind == "line" and cats[0] == "全国居民人均可支配收入（2018年上半年）" and len(set(cats)) == 4
    # asked for grouped bars, the same; and an indicator given for several areas groups by area
    assert figure_series("grouped", figs, [f.value for f in figs], "")[2] == series
    areas = [Figure(id=f"a{n}{k}", label=label, value=Decimal(v), unit="%", period="2020年", scope=a)
             for n, (a, vals) in enumerate((("全国", (17.95, 18.70)), ("广东", (18.85, 12.35)), ("广州", (13.87, 11.41))))
             for k, (label, v) in enumerate(zip(("0—14岁人口比重", "60岁及以上人口比重"), vals, strict=True))]  # fmt: skip
    kind, cats, series = figure_series("grouped", areas, [f.value for f in areas], "")
    assert kind == "grouped" and cats == ["0—14岁人口比重", "60岁及以上人口比重"]
    assert [s.name for s in series] == ["全国", "广东", "广州"]


def test_value_labels_print_as_the_source_wrote_them_in_every_writer() -> None:
    chart = long_chart(10)
    assert chart.number(Decimal("4")) == "4" and chart.number(Decimal("19.0")) == "19.0"
    space = etree.fromstring(chart_xml(chart, "仿宋", "Times New Roman"))
    own = {d.find("c:idx", C).get("val"): d.find("c:numFmt", C).get("formatCode")
           for d in space.iterfind(".//c:dLbls/c:dLbl", C)}
    assert own == {"9": "0"}  # 4, beside the others' 0.0
    svg = SvgChart(chart, "c1", 1000.0).build()
    assert "4" in [t.text for t in svg.iter("text")] and "4.0" not in [t.text for t in svg.iter("text")]
    table = tree.chart_table(chart)
    assert table.rows[10][1].text == "4"


def test_docx_chart_paragraph_has_no_first_line_indent() -> None:
    data = docx_writer.render(doc(long_chart(10)), context())
    body = etree.fromstring(zipfile.ZipFile(io.BytesIO(data)).read("word/document.xml"))
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    p = next(d for d in body.iter(f"{w}p") if d.find(f".//{w}drawing") is not None)
    ind = p.find(f"{w}pPr/{w}ind")
    assert ind is not None and ind.get(f"{w}firstLine") == "0"  # the chart stays in the type area


@pytest.mark.slow  # starts LibreOffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_draws_long_labels_apart_inside_the_type_area(tmp_path: Path) -> None:
    src = tmp_path / "c.docx"
    src.write_bytes(docx_writer.render(doc(long_chart(10)), context()))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   capture_output=True, timeout=120, check=True)
    left, top, right, bottom = type_area()
    with pdfplumber.open(tmp_path / "c.pdf") as pdf:
        chars = [c for c in pdf.pages[0].chars if top <= c["top"] < bottom]
    assert "限额以上单位通讯器材类商品零售额增速" in "".join(c["text"] for c in chars)
    assert not collisions(chars)
    assert all(left - 1 <= c["x0"] and c["x1"] <= right + 1 for c in chars)


def test_a_chart_squeezed_at_a_page_foot_in_the_pdf_has_the_same_height_in_the_docx() -> None:
    """Paragraphs fill most of the first page; the chart is squeezed into the room left in the
    PDF, and the DOCX, rendered after the PDF with the same context, draws it as tall."""
    chart = build_chart("bar", ["一月", "二月", "三月"], [tree.ChartSeries("产值", [Decimal(2), Decimal(4), Decimal(3)])],
                        unit="亿元", caption="图1 示例", source_note="", alt="", show_table=False,
                        value_labels=True, width_mm=150, height_mm=80, table_style="grid", table_title="月份")
    para = tree.Paragraph(tree.plain("示例正文。" * 25))
    d = tree.Document(tree.Metadata("测试", author="示例单位"), [para, para, para, chart], show_title=False)
    ctx = context()
    data = pdf_writer.render(d, ctx)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) == 1 and "示例" in (pdf.pages[0].extract_text() or "")
    (lay,) = ctx.chart_layouts.values()
    assert lay.height < 80 * MM - 1  # squeezed
    xml = zipfile.ZipFile(io.BytesIO(docx_writer.render(d, ctx))).read("word/document.xml").decode()
    cy = int(xml.split('<wp:extent cx="')[1].split('cy="')[1].split('"')[0])
    assert abs(cy / 914400 * 72 - lay.height) < 0.5


def test_a_stacked_chart_of_parts_over_several_years_stacks_each_year() -> None:
    from briefgen.compose.charts import figure_series
    from briefgen.model.sourcepack import Figure

    figs = [Figure(id=f"p{k}{y}", label=label, value=Decimal(v), unit="亿元", period=f"{y}年")
            for y, vals in ((2022, ("2023.5", "3482.5", "25276.9")), (2023, ("2259.1", "3661.5", "27436.5")))
            for k, (label, v) in enumerate(zip(("基础研究", "应用研究", "试验发展"), vals, strict=True))]  # fmt: skip
    kind, cats, series = figure_series("stacked", figs, [f.value for f in figs], "")
    assert kind == "stacked" and cats == ["2022年", "2023年"]
    assert [s.name for s in series] == ["基础研究", "应用研究", "试验发展"]
    assert series[0].values == [Decimal("2023.5"), Decimal("2259.1")]
