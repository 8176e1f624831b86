"""HTML chart unit: a tree Chart becomes an accessible inline SVG with the chart's own numbers and labels."""

from __future__ import annotations

from decimal import Decimal

from lxml import etree

from briefgen.compose.charts import build_chart
from briefgen.tree import ChartSeries
from briefgen.writers.common import series_color
from briefgen.writers.html.chart import SvgChart, describe, text_width


def _chart(kind: str = "bar", alt: str = "") -> object:
    series = [ChartSeries("规上工业总产值", [Decimal("233.4"), Decimal("222.9"), Decimal("-12.5")])]
    if kind != "bar":
        series.append(ChartSeries("社会消费品零售总额", [Decimal("99.2"), None, Decimal("94.2")]))
    return build_chart(kind, ["2026年8月", "9月", "10月"], series, unit="亿元", caption="图1 主要指标",  # type: ignore[arg-type]
                       source_note="资料来源：测试数据", alt=alt, show_table=True, value_labels=True,
                       width_mm=150.0, height_mm=70, table_style="three-line", table_title="时期")


def test_text_width_counts_full_width_as_one_em() -> None:
    assert text_width("亿元", 10) == 20
    assert text_width("ab", 10) == 11


def test_bar_chart_svg_has_title_desc_and_every_label() -> None:
    chart = _chart()
    svg = SvgChart(chart, "c1", max_width=1000.0).build()  # type: ignore[arg-type]
    assert svg.get("role") == "img" and svg.get("aria-labelledby") == "c1-title"
    assert svg.findtext("title") == "图1 主要指标"
    assert svg.findtext("desc") == (chart.alt or describe(chart))  # type: ignore[attr-defined, arg-type]
    texts = [t.text for t in svg.iter("text")]
    for label in ("2026年8月", "9月", "10月", chart.unit_label):  # type: ignore[attr-defined]
        assert label in texts
    assert {chart.number(v) for v in chart.series[0].values if v is not None} <= set(texts)  # type: ignore[attr-defined]
    fills = {r.get("fill") for r in svg.iter("rect")}
    assert series_color(0) in fills
    etree.tostring(svg)  # serialisable


def test_width_never_exceeds_the_space_given_and_alt_text_wins() -> None:
    chart = _chart("line", alt="两项指标近三个月走势")
    svg = SvgChart(chart, "c2", max_width=200.0).build()  # type: ignore[arg-type]
    assert float(svg.get("viewBox").split()[2]) <= 200.0
    assert svg.findtext("desc") == "两项指标近三个月走势"
    assert "折线图" in describe(chart)  # type: ignore[arg-type]
