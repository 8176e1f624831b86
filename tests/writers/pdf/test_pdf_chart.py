"""Unit tests of writers.pdf.chart: a vector drawing with bars or lines and real-text labels."""

from __future__ import annotations

from decimal import Decimal

import pytest
from pdfkit import build, pages_text, text_for
from reportlab.graphics.shapes import Drawing, Group, PolyLine, Rect, String

from briefgen.model.theme import MM
from briefgen.tree import Chart, ChartSeries
from briefgen.writers.pdf.chart import FittedChart


def chart_drawing(chart: Chart, text: object, theme: object, max_width: float) -> Drawing:
    """The chart as the PDF writer draws it where it has room."""
    return FittedChart(chart, text, theme, max_width, lambda aw: 0.0, lambda lay: None).drawing  # type: ignore[arg-type]


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


def test_data_caption_is_drawn_only_where_it_opens_a_page() -> None:
    from pdfkit import body_style, build, pages_text, text_for

    from briefgen.writers.pdf.chart import AtPageTop
    from briefgen.writers.pdf.flowables import KeepLines, SoftPageBreak, TextBlock

    text = text_for()
    st = body_style(text)

    def block(s: str) -> TextBlock:
        return TextBlock(text.pieces(s, st.role, st.size), st, text)

    # after a paragraph the caption stays hidden; at the top of the next page it is printed
    flow = [block("正文"), AtPageTop(block("图一（数据）")), block("表一"), SoftPageBreak(),
            KeepLines(0.0), AtPageTop(block("图二（数据）")), block("表二")]  # fmt: skip
    data, _ = build(flow, text)
    pages = pages_text(data)
    assert "图一（数据）" not in pages[0] and "表一" in pages[0]
    assert pages[1].startswith("图二（数据）")


def test_a_chart_at_a_page_foot_is_squeezed_to_the_room_with_its_caption() -> None:
    """Rather than leave the rest of the page empty, a chart that does not fit is drawn shorter
    (not below its least height), its caption under it on the same page; the layout it was drawn
    with is recorded for the DOCX writer."""
    from pdfkit import body_style
    from reportlab.platypus import Spacer

    from briefgen.tree import ChartLayout
    from briefgen.writers.pdf.chart import FittedChart
    from briefgen.writers.pdf.flowables import KeepLines, TextBlock

    text = text_for()
    st = body_style(text)
    caption = TextBlock(text.pieces("图1 示例图表", st.role, st.size), st, text)
    drawn: list[ChartLayout] = []
    chart = FittedChart(_chart(), text, text.theme, 1000, lambda aw: caption.wrap(aw, 1e9)[1], drawn.append)
    natural, least = chart.natural.height, chart.least
    assert least < natural
    room = text.theme.type_area_height - (least + natural) / 2 - caption.wrap(400, 1e9)[1]
    flow = [Spacer(1, room), KeepLines(lambda aw: chart.least + caption.wrap(aw, 1e9)[1]), chart, caption]
    data, _ = build(flow, text)
    pages = pages_text(data)
    assert "示例图表" in pages[0] and len(pages) == 1
    assert drawn and least - 0.5 <= drawn[-1].height < natural - 1
    # with no room even for its least height, it goes whole to the next page
    drawn.clear()
    flow = [Spacer(1, text.theme.type_area_height - least / 2), KeepLines(lambda aw: chart.least), chart, caption]
    data, _ = build(flow, text)
    assert len(pages_text(data)) == 2 and abs(drawn[-1].height - natural) < 0.5



@pytest.mark.parametrize("follow", [True, False])
def test_a_chart_is_squeezed_so_that_its_short_data_table_stays_under_it(follow: bool) -> None:
    """A short data table (one that never splits) that would go to the next page and leave more
    than a third of this one empty stays under its chart, the chart drawn shorter (not below its
    least height); without the table to keep (``follow``), the chart keeps its height."""
    from pdfkit import body_style
    from reportlab.platypus import Spacer

    from briefgen.tree import ChartLayout
    from briefgen.writers.pdf.flowables import KeepLines, TextBlock

    text = text_for()
    st = body_style(text)
    area = text.theme.type_area_height
    caption = TextBlock(text.pieces("图1 示例图表", st.role, st.size), st, text)
    tail = TextBlock(text.pieces("表尾", st.role, st.size), st, text)
    drawn: list[ChartLayout] = []
    probe = FittedChart(_chart(), text, text.theme, 1000, lambda aw: 0.0, drawn.append)
    natural, least = probe.natural.height, probe.least
    cap = caption.wrap(400, 1e9)[1]
    table = area - 20 - cap - (least + natural) / 2  # fits under the chart squeezed halfway
    assert area - 20 - cap - natural > area / 3  # what the table would leave empty
    chart = FittedChart(_chart(), text, text.theme, 1000, lambda aw: caption.wrap(aw, 1e9)[1],
                        drawn.append, (lambda aw: table) if follow else None)
    flow = [Spacer(1, 20), KeepLines(lambda aw: chart.least + caption.wrap(aw, 1e9)[1]), chart, caption,
            KeepLines(table), Spacer(1, table - tail.wrap(400, 1e9)[1]), tail]
    data, _ = build(flow, text)
    pages = pages_text(data)
    if follow:
        assert "表尾" in pages[0] and least - 0.5 <= drawn[-1].height < natural - 1
    else:
        assert "表尾" in pages[1] and abs(drawn[-1].height - natural) < 0.5
