"""Unit tests of writers.docx.chart: the chart part's cached values, the embedded workbook, the drawing."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal

import docx
from lxml import etree

from briefgen.tree import Chart, ChartSeries
from briefgen.writers.docx.chart import (
    C_NS,
    WP_NS,
    add_chart_part,
    chart_xml,
    inline_chart,
    workbook,
)

C = {"c": C_NS, "a": "http://schemas.openxmlformats.org/drawingml/2006/main"}
SS = {"s": "http://schemas.openxmlformats.org/spreadsheetml/2006/main"}


def _chart(kind: str = "bar") -> Chart:
    return Chart(kind=kind, categories=["2022年", "2023年", "A&B"],  # type: ignore[arg-type]
                 series=[ChartSeries("产值", [Decimal("1.5"), Decimal("2.25"), None]),
                         ChartSeries("增速", [Decimal("3"), Decimal("4"), Decimal("5")])],
                 unit="亿元", caption="图1", axis_max=Decimal(6), axis_step=Decimal(2), decimals=1)


def test_chart_part_caches_categories_and_values_per_series() -> None:
    root = etree.fromstring(chart_xml(_chart(), "仿宋_GB2312", "Times New Roman"))
    sers = root.findall(".//c:ser", C)
    assert len(sers) == 2
    names = [s.findtext("c:tx//c:v", namespaces=C) for s in sers]
    assert names == ["产值", "增速"]
    cats = [v.text for v in sers[0].findall("c:cat//c:pt/c:v", C)]
    assert cats == ["2022年", "2023年", "A&B"]
    pts = {p.get("idx"): p.findtext("c:v", namespaces=C) for p in sers[0].findall("c:val//c:pt", C)}
    assert pts == {"0": "1.5", "1": "2.25"}  # the missing value has no point
    assert root.find(".//c:barChart", C) is not None
    assert root.find(".//c:valAx/c:scaling/c:max", C).get("val") == "6"
    assert {e.get("typeface") for e in root.iterfind(".//a:ea", C)} == {"仿宋_GB2312"}


def test_line_and_stacked_kinds() -> None:
    assert etree.fromstring(chart_xml(_chart("line"), "x", "y")).find(".//c:lineChart", C) is not None
    stacked = etree.fromstring(chart_xml(_chart("stacked"), "x", "y"))
    assert stacked.find(".//c:barChart/c:grouping", C).get("val") == "stacked"


def test_workbook_holds_the_chart_table_and_is_reproducible() -> None:
    data = workbook(_chart())
    assert data == workbook(_chart())
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        sheet = etree.fromstring(z.read("xl/worksheets/sheet1.xml"))
    cells = {c.get("r"): (c.findtext("s:v", namespaces=SS) or c.findtext("s:is/s:t", namespaces=SS))
             for c in sheet.iterfind(".//s:c", SS)}
    assert cells["B1"] == "产值" and cells["C1"] == "增速"
    assert cells["A4"] == "A&B"
    assert cells["B2"] == "1.5" and cells["C4"] == "5"
    assert "B4" not in cells  # no data, no cell


def test_add_chart_part_relates_chart_and_workbook() -> None:
    d = docx.Document()
    rid = add_chart_part(d.part, _chart(), 1, "仿宋", "Times New Roman")
    part = d.part.related_parts[rid]
    assert str(part.partname) == "/word/charts/chart1.xml"
    (book,) = part.related_parts.values()
    assert str(book.partname).endswith(".xlsx")
    run = inline_chart(rid, 7, 5_000_000, 2_000_000, "图1", "alt & text")
    d.element.body.append(d.add_paragraph()._p)
    d.paragraphs[-1]._p.append(run)
    buf = io.BytesIO()
    d.save(buf)
    back = docx.Document(io.BytesIO(buf.getvalue()))
    doc_pr = back.element.body.find(f".//{{{WP_NS}}}docPr")
    assert doc_pr is not None and doc_pr.get("descr") == "alt & text" and doc_pr.get("id") == "7"
    extent = back.element.body.find(f".//{{{WP_NS}}}extent")
    assert extent is not None and extent.get("cx") == "5000000"
    with zipfile.ZipFile(buf) as z:
        assert "word/charts/chart1.xml" in z.namelist()
