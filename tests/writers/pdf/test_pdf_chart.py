"""Unit tests of writers.pdf.chart: a vector drawing with bars or lines and real-text labels."""

from __future__ import annotations

from decimal import Decimal

from pdfkit import build, pages_text, text_for
from reportlab.graphics.shapes import Drawing, Group, PolyLine, Rect, String

from briefgen.model.theme import MM
from briefgen.tree import Chart, ChartSeries
from briefgen.writers.pdf.chart import chart_drawing


def _chart(kind: str = "bar") -> Chart:
    return Chart(kind=kind, categories=["2022年", "2023年", "2024年"],  # type: ignore[arg-type]
                 series=[ChartSeries("产值", [Decimal(2), Decimal(4), None])], unit="亿元",
                 axis_max=Decimal(6), axis_step=Decimal(2), width_mm=120, height_mm=60)


def _shapes(node: object) -> list[object]:
    out: list[object] = []
    for s in getattr(node, "contents", []):
        out.append(s)
        if isinstance(s, Group):
            out += _shapes(s)
    return out


def test_bar_chart_has_one_bar_per_value_and_axis_labels_as_text() -> None:
    text = text_for()
    d = chart_drawing(_chart(), text, text.theme, 1000)
    assert isinstance(d, Drawing)
    assert (round(d.width), round(d.height)) == (round(120 * MM), round(60 * MM))
    shapes = _shapes(d)
    bars = [s for s in shapes if isinstance(s, Rect) and s.height > 0 and s.width < d.width / 3]
    assert len(bars) == 2  # the missing value draws no bar
    assert abs(bars[1].height - 2 * bars[0].height) < 0.01  # 4 is twice 2
    assert any(isinstance(s, String) for s in shapes)


def test_chart_is_narrowed_to_the_room_and_prints_its_labels() -> None:
    text = text_for()
    d = chart_drawing(_chart("line"), text, text.theme, 200)
    assert round(d.width) == 200
    assert any(isinstance(s, PolyLine) for s in _shapes(d))
    data, _ = build([d], text)
    page = pages_text(data)[0]
    for label in ("2022年", "2023年", "2024年", "6", "4"):
        assert label in page
