"""Turn a tree ``Chart`` into an inline SVG element: axes, bars or lines, legend and real-text labels.

The geometry is the PDF chart's: the chart's layout (``typeset.chart_layout`` — columns or
horizontal bars, wrapped category labels, the plot rectangle), the same value axis
``axis_min/max/step``, palette and marker shapes, in points with y downwards. Text widths are
estimated (full-width characters 1 em, digits 0.5 em, others 0.55 em) as the layout's are,
since the reader's fonts are not known; labels are anchored so the estimate only places the
legend. Text elements come in the tree's reading order (unit, categories, series names, ticks,
values), so the page text reads like ``tree.document_text``.
"""

from __future__ import annotations

from lxml import etree

from briefgen.model.theme import MM
from briefgen.tree import Chart
from briefgen.typeset.chart_layout import (
    LABEL_PT,
    MAX_HEIGHT_SHARE,
    SMALL_PT,
    SWATCH,
    SWATCH_GAP,
    Text,
    axes,
    bars,
    category_texts,
    grid_line,
    layout_for,
    legend_entries,
    line_points,
    tick_texts,
)
from briefgen.typeset.label_wrap import est_width
from briefgen.writers.common import series_color

GRID_GREY = "#BFBFBF"
KIND_NAMES = {"bar": "柱状图", "grouped": "簇状柱形图", "stacked": "堆积柱形图", "line": "折线图"}
text_width = est_width  # estimated advance: full-width characters 1 em, digits 0.5 em, others 0.55 em


def _n(v: float) -> str:
    """A coordinate with two decimals at most (stable text, small files)."""
    out = f"{v:.2f}".rstrip("0").rstrip(".")
    return "0" if out in ("-0", "") else out


def describe(c: Chart) -> str:
    """A one-sentence description for ``<desc>`` when the brief gives no ``alt`` text."""
    series = "、".join(s.name for s in c.series if s.name)
    cats = f"{c.categories[0]}至{c.categories[-1]}" if len(c.categories) > 1 else "".join(c.categories)
    unit = f"，单位：{c.unit}" if c.unit else ""
    what = f"{series}，" if series else ""
    return f"{KIND_NAMES.get(c.kind, '图表')}：{what}{cats}{unit}。数据见图后的数据表。"


class SvgChart:
    """Builds one ``<svg>``; ``ident`` makes the ids of ``<title>``/``<desc>`` unique in the page."""

    def __init__(self, chart: Chart, ident: str, max_width: float, max_height: float = 700.0) -> None:
        self.c = chart
        self.ident = ident
        self.lay = layout_for(chart, min(chart.width_mm * MM, max_width), max_height * MAX_HEIGHT_SHARE)
        self.w, self.h = self.lay.width, self.lay.height
        self.shapes: list[etree._Element] = []
        self.texts: list[etree._Element] = []  # in reading order
        self.values: list[etree._Element] = []

    def _el(self, tag: str, **attrs: str) -> etree._Element:
        el = etree.Element(tag)
        for k, v in attrs.items():
            el.set(k.rstrip("_").replace("_", "-"), v)
        return el

    def _text(self, x: float, y: float, s: str, size: float, anchor: str = "middle",
              fill: str = "#000000") -> etree._Element:
        el = self._el("text", x=_n(x), y=_n(self.h - y), font_size=_n(size), text_anchor=anchor)
        if fill != "#000000":
            el.set("fill", fill)
        el.text = s
        return el

    def build(self) -> etree._Element:
        c = self.c
        svg = self._el("svg", viewBox=f"0 0 {_n(self.w)} {_n(self.h)}",
                       width=f"{_n(self.w)}pt", height=f"{_n(self.h)}pt", role="img",
                       aria_labelledby=f"{self.ident}-title", aria_describedby=f"{self.ident}-desc")
        title = etree.SubElement(svg, "title", id=f"{self.ident}-title")
        title.text = c.caption or c.alt or KIND_NAMES.get(c.kind, "图表")
        desc = etree.SubElement(svg, "desc", id=f"{self.ident}-desc")
        desc.text = c.alt or describe(c)
        self._layout()
        for el in self.shapes + self.texts + self.values:
            svg.append(el)
        return svg

    def _put(self, t: Text) -> etree._Element:
        return self._text(t.x, t.y, t.text, t.size, t.anchor, "#FFFFFF" if t.white else "#000000")

    def _layout(self) -> None:
        c, lay = self.c, self.lay
        if c.unit_label:
            self.texts.append(self._text(0.0, self.h - LABEL_PT, c.unit_label, LABEL_PT, "start"))
        zero, axis_lines = axes(c, lay)
        ticks = tick_texts(c, lay)
        for pos, _ in ticks:
            if pos != zero:
                self._line(*grid_line(lay, pos), GRID_GREY, 0.5)
        for seg in axis_lines:
            self._line(*seg, "#000000", 0.75)
        for i in range(len(c.categories)):
            lines = category_texts(lay, i)
            if len(lines) == 1:
                self.texts.append(self._put(lines[0]))
            elif lines:  # one <text> per category, its lines as <tspan>s: the label reads as one word
                el = self._put(lines[0])
                el.text = None
                for k, t in enumerate(lines):
                    sp = etree.SubElement(el, "tspan", x=_n(t.x), dy="0" if k == 0 else _n(lines[k - 1].y - t.y))
                    sp.text = t.text
                self.texts.append(el)
        if lay.legend_h:
            self._legend(lay.legend_h)
        for _, t in ticks:
            self.texts.append(self._put(t))
        if c.kind == "line":
            self._lines()
        else:
            for bar in bars(c, lay):
                self.shapes.append(self._el("rect", x=_n(bar.x), y=_n(self.h - bar.y - bar.h), width=_n(bar.w),
                                            height=_n(bar.h), fill=series_color(bar.series)))
                if bar.label is not None:
                    self.values.append(self._put(bar.label))

    def _line(self, xa: float, ya: float, xb: float, yb: float, color: str, width: float) -> None:
        self.shapes.append(self._el("line", x1=_n(xa), y1=_n(self.h - ya), x2=_n(xb), y2=_n(self.h - yb),
                                    stroke=color, stroke_width=_n(width)))

    def _lines(self) -> None:
        c, lay = self.c, self.lay
        for k in range(len(c.series)):
            col = series_color(k)
            runs, pts = line_points(c, lay, k)
            for run in runs:
                self._polyline(run, col)
            for x, y, v in pts:
                self._marker(k, x, y, col)
                if c.value_labels:
                    self.values.append(self._text(x, y + 4.0, c.number(v), SMALL_PT))

    def _polyline(self, run: list[tuple[float, float]], col: str) -> None:
        pts = " ".join(f"{_n(x)},{_n(self.h - y)}" for x, y in run)
        self.shapes.append(self._el("polyline", points=pts, fill="none", stroke=col, stroke_width="1.5",
                                    stroke_linejoin="round"))

    def _marker(self, k: int, x: float, y: float, col: str, r: float = 2.6) -> None:
        """Distinct marker shapes per series (circle, square, triangle, diamond), as in the PDF."""
        Y = self.h - y
        shape = k % 4
        if shape == 0:
            el = self._el("circle", cx=_n(x), cy=_n(Y), r=_n(r), fill=col)
        elif shape == 1:
            el = self._el("rect", x=_n(x - r), y=_n(Y - r), width=_n(2 * r), height=_n(2 * r), fill=col)
        else:
            pts = ([(x, Y - r * 1.2), (x - r * 1.1, Y + r), (x + r * 1.1, Y + r)] if shape == 2 else
                   [(x, Y - r * 1.3), (x + r * 1.3, Y), (x, Y + r * 1.3), (x - r * 1.3, Y)])
            el = self._el("polygon", points=" ".join(f"{_n(a)},{_n(b)}" for a, b in pts), fill=col)
        self.shapes.append(el)

    def _legend(self, h: float) -> None:
        c = self.c
        for k, x, y in legend_entries(c, self.w, h, text_width):
            col, name = series_color(k), c.series[k].name
            if c.kind == "line":
                self._line(x, y + LABEL_PT * 0.35, x + SWATCH, y + LABEL_PT * 0.35, col, 1.5)
                self._marker(k, x + SWATCH / 2, y + LABEL_PT * 0.35, col)
            else:
                self.shapes.append(self._el("rect", x=_n(x), y=_n(self.h - y - LABEL_PT * 0.8), width=_n(SWATCH),
                                            height=_n(LABEL_PT * 0.8), fill=col))
            if name:
                self.texts.append(self._text(x + SWATCH + SWATCH_GAP, y, name, LABEL_PT, "start"))
