"""Turn a tree ``Chart`` into a vector ReportLab ``Drawing``: bars, lines and real-text labels in the theme's embedded fonts.

Everything is drawn with shapes (rectangles, polylines, markers, lines) and strings; no raster
image is made. Labels go through ``PdfText`` like body text, so their fonts are the theme's
TrueType fonts (embedded and subset), characters missing from every font are reported, and the
text can be extracted. The value axis uses the chart's own ``axis_min/max/step`` — the same
numbers the DOCX writer writes into the native Word chart — and every label, bar and line sits
where the chart's layout (``typeset.chart_layout``, shared with the DOCX and HTML writers) puts it.
"""

from __future__ import annotations

from collections.abc import Callable

from reportlab.graphics.shapes import Circle, Drawing, Group, Line, Polygon, PolyLine, Rect, String
from reportlab.lib.colors import Color, HexColor
from reportlab.platypus import Flowable

from briefgen.model.theme import MM, FontRole, Theme
from briefgen.tree import Chart, ChartLayout
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
    plan_chart,
    tick_texts,
)
from briefgen.writers.common import series_color
from briefgen.writers.pdf.flowables import KeepLines, PdfText
from briefgen.writers.pdf.tables import RowTable

GRID_GREY = HexColor("#BFBFBF")
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


def short_table(data: list[Flowable]) -> Callable[[float], float]:
    """``FittedChart``'s ``follow``: the height of a chart's data table (caption, rows, note) when
    it is short enough never to split, else 0."""

    def follow(aw: float) -> float:
        grid = next((f for f in data if isinstance(f, RowTable)), None)
        if grid is None or grid.lead_height(aw) < grid.wrap(aw, 1e9)[1] - 0.5:
            return 0.0
        return sum(float(f.wrap(aw, 1e9)[1]) + float(f.getSpaceBefore()) + float(f.getSpaceAfter())
                   for f in data if not isinstance(f, (KeepLines, AtPageTop)))  # fmt: skip

    return follow


class FittedChart(Flowable):
    """A chart that, at a page foot with less room than it wants but at least its
    ``ChartLayout.least``, is drawn squeezed to the room left (``plan_chart``'s ``fit``) rather
    than leaving the room empty; ``extra(aw)`` is what must fit under it (caption, note), and
    ``record`` is told the layout it was drawn with (the DOCX writer draws the same).
    ``follow(aw)`` is the height of a short data table that never splits: where it would go to the
    next page and leave more than a third of this one empty, the chart is squeezed (not under
    ``least``) so that the table stays under it."""

    def __init__(self, chart: Chart, text: PdfText, theme: Theme, max_width: float,
                 extra: Callable[[float], float], record: Callable[[ChartLayout], None],
                 follow: Callable[[float], float] | None = None) -> None:
        super().__init__()
        self.chart, self.text, self.theme = chart, text, theme
        self.max_height = theme.type_area_height * MAX_HEIGHT_SHARE
        self.natural = layout_for(chart, min(chart.width_mm * MM, max_width), self.max_height)
        self.extra, self.record, self.follow = extra, record, follow
        self.after: list[Flowable] = []  # a note paragraph (注：…) that follows the chart's caption
        self.lay = self.natural
        self.drawing = self._draw(self.lay)
        self.hAlign = "CENTER"

    @property
    def least(self) -> float:
        return self.natural.least or self.natural.height  # plan_chart keeps least ≤ height

    def under(self, aw: float) -> float:
        """What must fit under the chart on its page: ``extra`` and the ``after`` paragraphs (with
        the space that puts them back on the body grid, up to a line pitch)."""
        after = sum(float(f.wrap(aw, 1e9)[1]) + float(f.getSpaceBefore()) + float(f.getSpaceAfter()) for f in self.after)
        return self.extra(aw) + (after + self.theme.grid.line_pitch_pt if self.after else 0.0)

    def need(self, aw: float) -> float:
        """The least room the chart and what goes under it take (a ``KeepLines`` height)."""
        return self.least + self.under(aw)

    def _draw(self, lay: ChartLayout) -> Drawing:
        return _Builder(self.chart, self.text, self.theme.fonts.table, lay).build()

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        lay = self.natural
        frame = getattr(self, "_frame", None)
        room = ah - self.under(aw)
        if self.follow is not None and room - lay.height > self.theme.type_area_height / 3:
            with_table = room - self.follow(aw) - 1.0  # 1 pt: what the frame's rounding may take
            if self.least + 0.5 <= with_table < lay.height:
                room = with_table
        if room < lay.height - 0.5 and room >= self.least + 0.5 and not (frame is not None and frame._atTop):
            squeezed = plan_chart(self.chart, lay.width, self.max_height, fit=room - 0.5)
            if self.least - 1.0 <= squeezed.height <= room:
                lay = squeezed
        if lay is not self.lay:
            self.lay, self.drawing = lay, self._draw(lay)
        self.width, self.height = float(self.drawing.width), float(self.drawing.height)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        self.record(self.lay)
        self.drawing.drawOn(self.canv, 0, 0)


class _Builder:
    def __init__(self, chart: Chart, text: PdfText, role: FontRole, lay: ChartLayout) -> None:
        self.c = chart
        self.text = text
        self.role = role
        self.lay = lay
        self.w, self.h = lay.width, lay.height
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

    def put(self, t: Text) -> None:
        self.label(t.x, t.y, t.text, t.size, t.anchor, HexColor("#FFFFFF") if t.white else None)

    # ------------------------------------------------------------ layout
    def build(self) -> Drawing:
        c, lay = self.c, self.lay
        black = HexColor("#000000")
        if c.unit_label:
            self.label(0.0, self.h - LABEL_PT, c.unit_label, LABEL_PT, "start")
        zero, axis_lines = axes(c, lay)
        for pos, t in tick_texts(c, lay):  # grid lines and tick labels
            if pos != zero:
                self.g.add(Line(*grid_line(lay, pos), strokeColor=GRID_GREY, strokeWidth=0.5))
            self.put(t)
        for seg in axis_lines:
            self.g.add(Line(*seg, strokeColor=black, strokeWidth=0.75))
        for i in range(len(c.categories)):
            for t in category_texts(lay, i):
                self.put(t)
        if c.kind == "line":
            self._lines()
        else:
            for b in bars(c, lay):
                self.g.add(Rect(b.x, b.y, b.w, b.h, fillColor=HexColor(series_color(b.series)),
                                strokeColor=None, strokeWidth=0))
                if b.label is not None:
                    self.put(b.label)
        if lay.legend_h:
            self._legend(lay.legend_h)
        d = Drawing(self.w, self.h)
        # the renderer's starting font: an embedded TrueType one, or unembedded Helvetica lands in the PDF
        d.initialFontName = self.text.font(self.role)
        d.initialFontSize = LABEL_PT
        d.add(self.g)
        d.hAlign = "CENTER"
        return d

    def _lines(self) -> None:
        c, lay = self.c, self.lay
        for k in range(len(c.series)):
            col = HexColor(series_color(k))
            runs, pts = line_points(c, lay, k)
            for run in runs:
                self.g.add(PolyLine([v for p in run for v in p], strokeColor=col, strokeWidth=1.5, strokeLineJoin=1))
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
        for k, x, y in legend_entries(c, self.w, h, self.width_of):
            col = HexColor(series_color(k))
            if c.kind == "line":
                self.g.add(Line(x, y + LABEL_PT * 0.35, x + SWATCH, y + LABEL_PT * 0.35, strokeColor=col,
                                strokeWidth=1.5))
                self._marker(k, x + SWATCH / 2, y + LABEL_PT * 0.35, col)
            else:
                self.g.add(Rect(x, y, SWATCH, LABEL_PT * 0.8, fillColor=col, strokeColor=None))
            self.label(x + SWATCH + SWATCH_GAP, y, c.series[k].name, LABEL_PT, "start")
