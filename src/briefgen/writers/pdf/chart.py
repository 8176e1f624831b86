"""Turn a tree ``Chart`` into a vector ReportLab ``Drawing``: bars, lines and real-text labels in the theme's embedded fonts.

Everything is drawn with shapes (rectangles, polylines, markers, lines) and strings; no raster
image is made. Labels go through ``PdfText`` like body text, so their fonts are the theme's
TrueType fonts (embedded and subset), characters missing from every font are reported, and the
text can be extracted. The value axis uses the chart's own ``axis_min/max/step`` — the same
numbers the DOCX writer writes into the native Word chart.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import Color, HexColor
from reportlab.platypus import Flowable

from briefgen.model.theme import MM, FontRole, Theme
from briefgen.tree import Chart
from briefgen.writers.common import series_color
from briefgen.writers.pdf.flowables import PdfText

GRID_GREY = HexColor("#BFBFBF")
LABEL_PT = 10.5  # 五号
SMALL_PT = 9.0  # 小五
YPos = Callable[[Decimal | float], float]
DATA_CAPTION = "{caption}（数据）"  # heads a chart's data table that starts a page apart from its chart


class AtPageTop(Flowable):
    """``inner`` only where it opens a page (frame), nothing elsewhere: the caption a chart's data
    table carries when it is not right under its chart."""

    def __init__(self, inner: Flowable) -> None:
        super().__init__()
        self.inner = inner

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        self.shown = frame is not None and bool(frame._atTop)
        w, h = self.inner.wrap(aw, ah) if self.shown else (aw, 0.0)
        self.width, self.height = float(w), float(h)
        return self.width, self.height

    def draw(self) -> None:
        if self.shown:
            self.inner.drawOn(self.canv, 0, 0)


def chart_drawing(chart: Chart, text: PdfText, theme: Theme, max_width: float) -> Drawing:
    """The chart at ``chart.width_mm`` × ``chart.height_mm`` (narrowed to ``max_width`` points)."""
    return _Builder(chart, text, theme.fonts.table, min(chart.width_mm * MM, max_width),
                    chart.height_mm * MM).build()


class _Builder:
    def __init__(self, chart: Chart, text: PdfText, role: FontRole, width: float, height: float) -> None:
        self.c = chart
        self.text = text
        self.role = role
        self.w, self.h = width, height
        self.g = Group()

    # ------------------------------------------------------------ text
    def width_of(self, s: str, size: float) -> float:
        return self.text.text_width(self.text.pieces(s, self.role, size))

    def label(self, x: float, y: float, s: str, size: float, anchor: str = "middle",
              color: Color | None = None) -> None:
        """``s`` with its baseline at ``y``; split into runs when fonts fall back per glyph."""
        pieces = self.text.pieces(s, self.role, size)
        if not pieces:
            return
        total = self.text.text_width(pieces)
        x0 = x - total / 2 if anchor == "middle" else x - total if anchor == "end" else x
        for p in pieces:
            self.g.add(String(x0, y, p.text, fontName=p.font, fontSize=size,
                              fillColor=color or HexColor("#000000"), textAnchor="start"))
            x0 += self.text.text_width([p])

    # ------------------------------------------------------------ layout
    def build(self) -> Drawing:
        c = self.c
        n = max(len(c.categories), 1)
        ticks = c.ticks()
        tick_w = max((self.width_of(c.tick(t), LABEL_PT) for t in ticks), default=0.0)
        unit_h = LABEL_PT * 2.0 if c.unit_label else 4.0
        legend_h = LABEL_PT * 2.0 if len(c.series) > 1 else 0.0
        x0 = tick_w + 6.0
        x1 = self.w - 4.0
        slot = (x1 - x0) / n
        widest = max((self.width_of(ln, LABEL_PT) for s in c.categories for ln in c.category_lines(s)), default=0)
        cat_size = LABEL_PT if widest <= slot - 2 else SMALL_PT
        cat_lines = [c.category_lines(s) for s in c.categories]
        cat_h = max((len(ls) for ls in cat_lines), default=1) * cat_size * 1.2 + 4.0
        y0 = legend_h + cat_h + 2.0
        y1 = self.h - unit_h
        lo, hi = float(c.axis_min), float(c.axis_max)
        span = hi - lo or 1.0

        def ypos(v: Decimal | float) -> float:
            return y0 + (float(v) - lo) / span * (y1 - y0)

        if c.unit_label:
            self.label(0.0, self.h - LABEL_PT, c.unit_label, LABEL_PT, "start")
        for t in ticks:  # grid lines and tick labels
            y = ypos(t)
            if t != 0:
                self.g.add(Line(x0, y, x1, y, strokeColor=GRID_GREY, strokeWidth=0.5))
            self.label(x0 - 4.0, y - LABEL_PT * 0.35, c.tick(t), LABEL_PT, "end")
        self.g.add(Line(x0, y0, x0, y1, strokeColor=HexColor("#000000"), strokeWidth=0.75))
        zero = ypos(0) if lo <= 0 <= hi else y0
        self.g.add(Line(x0, zero, x1, zero, strokeColor=HexColor("#000000"), strokeWidth=0.75))
        for i, lines in enumerate(cat_lines):
            cx = x0 + slot * (i + 0.5)
            for k, ln in enumerate(lines):
                self.label(cx, y0 - 3.0 - cat_size * (k + 1) * 1.15 + cat_size * 0.15, ln, cat_size)
        if c.kind == "line":
            self._lines(x0, slot, ypos)
        else:
            self._bars(x0, slot, ypos)
        if legend_h:
            self._legend(legend_h)
        d = Drawing(self.w, self.h)
        # the renderer's starting font: an embedded TrueType one, or unembedded Helvetica lands in the PDF
        d.initialFontName = self.text.font(self.role)
        d.initialFontSize = LABEL_PT
        d.add(self.g)
        d.hAlign = "CENTER"
        return d

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
                    if v >= 0:
                        up = top
                    else:
                        down = top
                    bx = left
                else:
                    base, top = Decimal(0), v
                    bx = left + k * bar
                ya, yb = y_of(base), y_of(top)
                self.g.add(Rect(bx, min(ya, yb), bar, abs(yb - ya), fillColor=HexColor(series_color(k)),
                                strokeColor=None, strokeWidth=0))
                if c.value_labels:
                    s_txt = c.number(v)
                    if stacked:
                        self.label(bx + bar / 2, (ya + yb) / 2 - size * 0.35, s_txt, size,
                                   color=HexColor("#FFFFFF"))
                    elif v >= 0:
                        self.label(bx + bar / 2, yb + 2.0, s_txt, size)
                    else:
                        self.label(bx + bar / 2, yb - size - 1.0, s_txt, size)

    def _lines(self, x0: float, slot: float, y_of: YPos) -> None:
        c = self.c
        for k, s in enumerate(c.series):
            col = HexColor(series_color(k))
            run: list[float] = []
            pts: list[tuple[float, float, Decimal]] = []
            for i, v in enumerate(s.values):
                if v is None:
                    if len(run) >= 4:
                        self.g.add(PolyLine(run, strokeColor=col, strokeWidth=1.5))
                    run = []
                    continue
                x, y = x0 + slot * (i + 0.5), y_of(v)
                run += [x, y]
                pts.append((x, y, v))
            if len(run) >= 4:
                self.g.add(PolyLine(run, strokeColor=col, strokeWidth=1.5))
            for x, y, v in pts:
                self._marker(k, x, y, col)
                if c.value_labels:
                    self.label(x, y + 4.0, c.number(v), SMALL_PT)

    def _marker(self, k: int, x: float, y: float, col: Color, r: float = 2.6) -> None:
        """Distinct marker shapes per series, so lines stay apart when printed in black and white."""
        shape = k % 4
        if shape == 0:
            self.g.add(Circle(x, y, r, fillColor=col, strokeColor=None))
        elif shape == 1:
            self.g.add(Rect(x - r, y - r, 2 * r, 2 * r, fillColor=col, strokeColor=None))
        elif shape == 2:
            self.g.add(Polygon([x, y + r * 1.2, x - r * 1.1, y - r, x + r * 1.1, y - r], fillColor=col,
                               strokeColor=None))
        else:
            self.g.add(Polygon([x, y + r * 1.3, x + r * 1.3, y, x, y - r * 1.3, x - r * 1.3, y],
                               fillColor=col, strokeColor=None))

    def _legend(self, h: float) -> None:
        c = self.c
        sw = LABEL_PT * 1.4
        items = [(series_color(k), s.name) for k, s in enumerate(c.series)]
        widths = [sw + 4.0 + self.width_of(name, LABEL_PT) + LABEL_PT * 1.5 for _, name in items]
        x = max(0.0, (self.w - sum(widths)) / 2)
        y = h * 0.3
        for k, ((col, name), wd) in enumerate(zip(items, widths, strict=True)):
            if c.kind == "line":
                self.g.add(Line(x, y + LABEL_PT * 0.35, x + sw, y + LABEL_PT * 0.35, strokeColor=HexColor(col),
                                strokeWidth=1.5))
                self._marker(k, x + sw / 2, y + LABEL_PT * 0.35, HexColor(col))
            else:
                self.g.add(Rect(x, y, sw, LABEL_PT * 0.8, fillColor=HexColor(col), strokeColor=None))
            self.label(x + sw + 4.0, y, name, LABEL_PT, "start")
            x += wd
