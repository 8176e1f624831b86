"""Turn a tree ``Chart`` into an inline SVG element: axes, bars or lines, legend and real-text labels.

The geometry follows the PDF chart (same value axis ``axis_min/max/step``, same palette and marker
shapes) in points, y downwards. Text widths are estimated (full-width characters 1 em, others
0.55 em) since the reader's fonts are not known; labels are anchored so the estimate only places
the value axis and the legend. Text elements come in the tree's reading order (unit, categories,
series names, ticks, values), so the page text reads like ``tree.document_text``.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from decimal import Decimal

from lxml import etree

from briefgen.model.theme import MM
from briefgen.tree import Chart
from briefgen.writers.common import series_color

LABEL_PT = 10.5  # 五号
SMALL_PT = 9.0  # 小五
GRID_GREY = "#BFBFBF"
KIND_NAMES = {"bar": "柱状图", "grouped": "簇状柱形图", "stacked": "堆积柱形图", "line": "折线图"}
YPos = Callable[[Decimal | float], float]


def text_width(s: str, size: float) -> float:
    """Estimated advance of ``s`` at ``size`` points."""
    return sum(size if unicodedata.east_asian_width(ch) in "WF" else size * 0.55 for ch in s)


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

    def __init__(self, chart: Chart, ident: str, max_width: float) -> None:
        self.c = chart
        self.ident = ident
        self.w = min(chart.width_mm * MM, max_width)
        self.h = chart.height_mm * MM
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

    def _layout(self) -> None:
        c = self.c
        n = max(len(c.categories), 1)
        ticks = c.ticks()
        tick_w = max((text_width(c.tick(t), LABEL_PT) for t in ticks), default=0.0)
        unit_h = LABEL_PT * 2.0 if c.unit_label else 4.0
        legend_h = LABEL_PT * 2.0 if len(c.series) > 1 else 0.0  # as the PDF and DOCX: no legend for one series
        x0, x1 = tick_w + 6.0, self.w - 4.0
        slot = (x1 - x0) / n
        widest = max((text_width(ln, LABEL_PT) for s in c.categories for ln in c.category_lines(s)), default=0)
        cat_size = LABEL_PT if widest <= slot - 2 else SMALL_PT
        cat_lines = [c.category_lines(s) for s in c.categories]
        cat_h = max((len(ls) for ls in cat_lines), default=1) * cat_size * 1.2 + 4.0
        y0, y1 = legend_h + cat_h + 2.0, self.h - unit_h
        lo, hi = float(c.axis_min), float(c.axis_max)
        span = hi - lo or 1.0

        def ypos(v: Decimal | float) -> float:
            return y0 + (float(v) - lo) / span * (y1 - y0)

        if c.unit_label:
            self.texts.append(self._text(0.0, self.h - LABEL_PT, c.unit_label, LABEL_PT, "start"))
        for t in ticks:
            if t != 0:
                self._line(x0, ypos(t), x1, ypos(t), GRID_GREY, 0.5)
        self._line(x0, y0, x0, y1, "#000000", 0.75)
        zero = ypos(0) if lo <= 0 <= hi else y0
        self._line(x0, zero, x1, zero, "#000000", 0.75)
        for i, lines in enumerate(cat_lines):
            cx = x0 + slot * (i + 0.5)
            if len(lines) == 1:
                self.texts.append(self._text(cx, y0 - 3.0 - cat_size, lines[0], cat_size))
            else:  # one <text> per category, its lines as <tspan>s: the label reads as one word
                el = self._text(cx, y0 - 3.0 - cat_size, "", cat_size)
                el.text = None
                for k, ln in enumerate(lines):
                    sp = etree.SubElement(el, "tspan", x=_n(cx), dy="0" if k == 0 else _n(cat_size * 1.15))
                    sp.text = ln
                self.texts.append(el)
        if legend_h:
            self._legend(legend_h)
        for t in ticks:
            self.texts.append(self._text(x0 - 4.0, ypos(t) - LABEL_PT * 0.35, c.tick(t), LABEL_PT, "end"))
        if c.kind == "line":
            self._lines(x0, slot, ypos)
        else:
            self._bars(x0, slot, ypos)

    def _line(self, xa: float, ya: float, xb: float, yb: float, color: str, width: float) -> None:
        self.shapes.append(self._el("line", x1=_n(xa), y1=_n(self.h - ya), x2=_n(xb), y2=_n(self.h - yb),
                                    stroke=color, stroke_width=_n(width)))

    def _bars(self, x0: float, slot: float, y_of: YPos) -> None:
        c = self.c
        stacked = c.kind == "stacked"
        ns = len(c.series)
        group = slot * (0.5 if stacked or ns == 1 else 0.75)
        bar = group if stacked else group / max(ns, 1)
        size = SMALL_PT if bar < 26 or ns > 2 else LABEL_PT
        for i in range(len(c.categories)):
            left = x0 + slot * i + (slot - group) / 2
            up = down = Decimal(0)
            for k, s in enumerate(c.series):
                v = s.values[i] if i < len(s.values) else None
                if v is None:
                    continue
                if stacked:
                    base = up if v >= 0 else down
                    top = base + v
                    up, down = (top, down) if v >= 0 else (up, top)
                    bx = left
                else:
                    base, top, bx = Decimal(0), v, left + k * bar
                ya, yb = y_of(base), y_of(top)
                self.shapes.append(self._el("rect", x=_n(bx), y=_n(self.h - max(ya, yb)), width=_n(bar),
                                            height=_n(abs(yb - ya)), fill=series_color(k)))
                if c.value_labels:
                    label = c.number(v)
                    if stacked:
                        el = self._text(bx + bar / 2, (ya + yb) / 2 - size * 0.35, label, size, fill="#FFFFFF")
                    elif v >= 0:
                        el = self._text(bx + bar / 2, yb + 2.0, label, size)
                    else:
                        el = self._text(bx + bar / 2, yb - size - 1.0, label, size)
                    self.values.append(el)

    def _lines(self, x0: float, slot: float, y_of: YPos) -> None:
        c = self.c
        for k, s in enumerate(c.series):
            col = series_color(k)
            run: list[tuple[float, float]] = []
            pts: list[tuple[float, float, Decimal]] = []
            for i, v in enumerate(s.values):
                if v is None:
                    self._polyline(run, col)
                    run = []
                    continue
                x, y = x0 + slot * (i + 0.5), y_of(v)
                run.append((x, y))
                pts.append((x, y, v))
            self._polyline(run, col)
            for x, y, v in pts:
                self._marker(k, x, y, col)
                if c.value_labels:
                    self.values.append(self._text(x, y + 4.0, c.number(v), SMALL_PT))

    def _polyline(self, run: list[tuple[float, float]], col: str) -> None:
        if len(run) >= 2:
            pts = " ".join(f"{_n(x)},{_n(self.h - y)}" for x, y in run)
            self.shapes.append(self._el("polyline", points=pts, fill="none", stroke=col, stroke_width="1.5"))

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
        sw = LABEL_PT * 1.4
        items = [(series_color(k), s.name) for k, s in enumerate(c.series)]
        widths = [sw + 4.0 + text_width(name, LABEL_PT) + LABEL_PT * 1.5 for _, name in items]
        x = max(0.0, (self.w - sum(widths)) / 2)
        y = h * 0.3
        for k, ((col, name), wd) in enumerate(zip(items, widths, strict=True)):
            if c.kind == "line":
                self._line(x, y + LABEL_PT * 0.35, x + sw, y + LABEL_PT * 0.35, col, 1.5)
                self._marker(k, x + sw / 2, y + LABEL_PT * 0.35, col)
            else:
                self.shapes.append(self._el("rect", x=_n(x), y=_n(self.h - y - LABEL_PT * 0.8), width=_n(sw),
                                            height=_n(LABEL_PT * 0.8), fill=col))
            if name:
                self.texts.append(self._text(x + sw + 4.0, y, name, LABEL_PT, "start"))
            x += wd
