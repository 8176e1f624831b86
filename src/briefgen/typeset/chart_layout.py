"""Plan a chart's layout once for every writer: columns or horizontal bars, category labels wrapped onto centred lines, sizes, and the plot rectangle.

What a typesetter does with category labels, in order (shared/reference/page-quality.md):

1. columns, each label on one line under its column, in 五号 (10.5 pt);
2. labels too long for their slot wrap onto 2–3 centred lines at phrase boundaries
   (``label_wrap``), in 五号 or, when that splits fewer words or needs fewer lines, 小五 (9 pt);
   never smaller;
3. labels that still do not fit — or value labels that would touch their neighbours — turn
   the chart into horizontal bars: categories down the left, right-aligned, one row each, the
   chart as tall as its rows need (within the page's type area);
4. periods (a time axis) stay columns and line charts stay lines: every k-th period is
   labelled instead (the others are in the data table and the alt text).

All widths are estimated (``label_wrap.est_width``), so the PDF, DOCX and HTML charts get the
same decisions; compose plans at the chart's width (``plan_chart``) and a writer that must
draw it narrower (inside a box) plans again at its width (``layout_for``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from briefgen.model.theme import MM
from briefgen.tree import Chart, ChartLayout
from briefgen.typeset.label_wrap import IN_WORD, est_width, wrap_cost

LABEL_PT = 10.5  # 五号
SMALL_PT = 9.0  # 小五: the smallest type a chart uses
LEADING = 1.2
#: Least white between two neighbouring labels (about a quarter em), and between labels and the axis.
GAP = 6.0  # between two category labels (half an em at 五号 and more)
MAX_LINES = 3
#: A horizontal chart's category labels take at most this share of its width.
LABEL_SHARE = 0.45
#: Horizontal bars fill this share of their row (a group of bars, of several series, ``GROUP_FILL``;
#: squeezed at a page foot, ``TIGHT_FILL``, each bar still as thick as its 小五 value label is tall).
BAR_FILL, GROUP_FILL, TIGHT_FILL = 0.6, 0.75, 0.85
ROW_PAD = 6.0  # between the label lines of two rows
TIGHT_PAD = 2.0  # the same in a chart squeezed at a page foot (``plan_chart``'s ``fit``)
COMFORT_ROW = 22.0  # a row's height when there is room (a one-line label in 五号 and air)
#: A column chart at a page foot may be squeezed to this share of its height (``plan_chart``).
SQUEEZE = 0.6
#: Horizontal bars are at most this share of the type area's height (the caption keeps with them).
MAX_HEIGHT_SHARE = 0.85

Wrapped = tuple[float, list[list[str]]]


def layout_for(chart: Chart, width: float, max_height: float) -> ChartLayout:
    """The layout compose planned, or a new one when the writer draws the chart narrower."""
    lay = chart.layout
    if lay is not None and abs(lay.width - width) < 0.5:
        return lay
    return plan_chart(chart, width, max_height)


def plan_chart(c: Chart, width: float, max_height: float, fit: float = 0.0) -> ChartLayout:
    """Where everything goes in a chart ``width`` points wide (columns: ``c.height_mm`` tall;
    horizontal bars: as tall as their rows need, at most ``max_height``); with ``fit``, at most
    that tall where it can be without going under ``ChartLayout.least`` (columns
    ``SQUEEZE`` of their height; bars their rows without air): a chart at a page foot squeezed
    to the room left rather than leaving it empty."""
    unit_h = LABEL_PT * 2.0 if c.unit_label else 4.0
    legend_h = legend_height(c, width)
    natural = c.height_mm * MM
    height = max(min(natural, fit), SQUEEZE * natural) if fit > 0 else natural
    tick_w = max((est_width(c.tick(t), LABEL_PT) for t in c.ticks()), default=0.0)
    x0, x1 = tick_w + 6.0, width - 4.0
    slot = (x1 - x0) / max(len(c.categories), 1)
    vsize = value_size(c, slot)
    wrapped = wrap_all(c.categories, slot - GAP, MAX_LINES)
    every = 1
    if (wrapped is None or vsize is None) and (c.kind == "line" or (c.time_axis and vsize is not None)):
        every, wrapped = _thinned(c.categories, slot)
    if wrapped is None or (vsize is None and c.kind != "line"):
        return _horizontal(c, width, min(max_height, fit) if fit > 0 else max_height, unit_h, legend_h, fit > 0)
    size, lines = wrapped
    cat_h = max(len(ls) for ls in lines) * size * LEADING + 4.0
    y0 = legend_h + cat_h + 2.0
    lay = ChartLayout(width, height, x0, y0, x1, height - unit_h, cat_size=size, cat_lines=lines,
                      label_every=every, value_size=min(vsize or SMALL_PT, size), legend_h=legend_h,
                      least=SQUEEZE * natural)
    lay.hidden = _hidden(c, lay)
    return lay


def _hidden(c: Chart, lay: ChartLayout) -> list[tuple[int, int]]:
    """The value labels of stacked segments too small to hold them."""
    out = []
    for b in bars(c, lay, hidden=False):
        t = b.label
        if t is not None and t.white:
            length, thick = (b.w, b.h) if lay.horizontal else (b.h, b.w)
            if lay.horizontal:
                room = length >= est_width(t.text, t.size) + 4.0 and thick >= t.size * 1.1
            else:
                room = length >= t.size * 1.2 and thick >= est_width(t.text, t.size) + 2.0
            if not room:
                out.append((b.series, b.index))
    return out


def wrap_all(labels: list[str], avail: float, max_lines: int) -> Wrapped | None:
    """Every label wrapped to ``avail``: in 五号 unless 小五 needs fewer lines or splits fewer
    words; ``None`` when even 小五 in ``max_lines`` lines does not fit."""
    best: tuple[tuple[int, int, float], Wrapped] | None = None
    for size in (LABEL_PT, SMALL_PT):
        got = [wrap_cost(s, avail, size, max_lines) for s in labels]
        if any(g is None for g in got):
            continue
        done = [g for g in got if g is not None]
        lines = [ls for _, ls in done]
        score = (max((len(ls) for ls in lines), default=1), sum(1 for cost, _ in done if cost >= IN_WORD),
                 sum(cost for cost, _ in done))
        if best is None or score[:2] < best[0][:2]:
            best = (score, (size, lines))
        if score[1] == 0:
            break
    return None if best is None else best[1]


def _thinned(labels: list[str], slot: float) -> tuple[int, Wrapped]:
    """Label every k-th category (k as small as will do), each on at most two lines."""
    n = max(len(labels), 1)
    for k in range(2, n + 1):
        got = wrap_all(labels, slot * k - GAP, 2)
        if got is not None:
            return k, got
    return n, (SMALL_PT, [[s] for s in labels])


def value_texts(c: Chart) -> list[str]:
    return [c.number(v) for s in c.series for v in s.values if v is not None] if c.value_labels else []


def value_size(c: Chart, slot: float) -> float | None:
    """The size of value labels over columns ``slot`` wide: 五号 on wide single bars, else 小五;
    ``None`` when even 小五 would touch the neighbouring bar's label."""
    texts = value_texts(c)
    ns = max(len(c.series), 1)
    group = slot * (0.5 if c.kind == "stacked" or ns == 1 else GROUP_FILL)
    bar = group if c.kind == "stacked" else group / ns
    if not texts or c.kind == "line":
        return SMALL_PT
    spacing = slot if c.kind == "stacked" or ns == 1 else bar
    for size in (LABEL_PT, SMALL_PT):
        if size == LABEL_PT and (bar < 26 or ns > 2):
            continue
        if max(est_width(t, size) for t in texts) <= spacing - 2.0:
            return size
    return None


def _horizontal(c: Chart, width: float, max_height: float, unit_h: float, legend_h: float,
                squeeze: bool = False) -> ChartLayout:
    """Bars across, the categories down the left: label column, rows and height; ``squeeze`` (a
    chart at a page foot): the rows may go down to ``_tight_row``'s."""
    n = max(len(c.categories), 1)
    ns = max(len(c.series), 1)
    grouped = c.kind != "stacked" and ns > 1
    vsize = LABEL_PT if ns <= 2 else SMALL_PT
    tick_row = LABEL_PT * LEADING + 6.0
    fixed = unit_h + tick_row + legend_h + 2.0
    bar_need = ns * vsize * 1.15 / GROUP_FILL if grouped else vsize * LEADING
    options: list[tuple[float, list[list[str]], float, float]] = []
    for share, most in ((LABEL_SHARE, MAX_LINES), (0.5, 2), (0.6, 1)):  # fewer lines while too tall
        wrapped = wrap_all(c.categories, width * share, most)
        if wrapped is not None:
            size, lines = wrapped
            options.append((size, lines, max(max(len(ls) for ls in lines) * size * LEADING + ROW_PAD, bar_need),
                            GROUP_FILL))
            if fixed + n * options[-1][2] <= max_height:
                break
    if not options:  # a word wider than the column: one line each
        options.append((SMALL_PT, [[s] for s in c.categories], max(SMALL_PT * LEADING + 2.0, bar_need), GROUP_FILL))
    tight = _tight_row(c, width, ns, grouped)
    if squeeze and tight is not None:
        options.append(tight)
    fits = [o for o in options if fixed + n * o[2] <= max_height]
    size, lines, row, fill = fits[0] if fits else min(options, key=lambda o: o[2])
    col = min(max(est_width(ln, size) for ls in lines for ln in ls), width * 0.6)
    want = fixed + n * max(row, COMFORT_ROW)
    height = min(max(fixed + n * row, min(c.height_mm * MM, want)), max_height)
    if squeeze:  # the caller squeezes to the room left, which is less than the natural height
        height = max(fixed + n * row, max_height)
    x0 = col + GAP + 4.0
    x1 = width - max(4.0, max((est_width(c.tick(t), LABEL_PT) for t in c.ticks()), default=0.0) / 2 + 1.0)
    if (height - fixed) / n < bar_need - 0.01:  # rows without air: grouped bars take 小五 value labels
        vsize = SMALL_PT
    least = fixed + n * min(o[2] for o in options + ([tight] if tight else []))
    lay = ChartLayout(width, height, x0, legend_h + tick_row, x1, height - unit_h, horizontal=True,
                      cat_size=size, cat_lines=lines, label_right=col, value_size=min(vsize, size),
                      legend_h=legend_h, least=min(height, least), fill=fill)
    lay.hidden = _hidden(c, lay)
    return lay


def _tight_row(c: Chart, width: float, ns: int, grouped: bool) -> tuple[float, list[list[str]], float, float] | None:
    """The tightest rows a squeezed horizontal chart may take: 小五 labels on as few lines as fit,
    rows without air, grouped bars ``TIGHT_FILL`` of the row and each as thick as a 小五 label."""
    for share, most in ((0.6, 1), (0.5, 2), (LABEL_SHARE, MAX_LINES)):
        got = [wrap_cost(s, width * share, SMALL_PT, most) for s in c.categories]
        if all(g is not None for g in got):
            lines = [g[1] for g in got if g is not None]
            bar = ns * SMALL_PT * 1.05 / TIGHT_FILL if grouped else SMALL_PT * LEADING
            return SMALL_PT, lines, max(max(len(ls) for ls in lines) * SMALL_PT * LEADING + TIGHT_PAD, bar), TIGHT_FILL
    return None


def label_room(c: Chart, lay: ChartLayout) -> tuple[bool, bool]:
    """Whether value labels lack room beyond the axis's top (``[0]``) or bottom (``[1]``): each
    label must stay inside the plot, clear of the category labels and the unit."""
    if not c.value_labels or c.kind in ("stacked", "line"):
        return False, False
    lo, hi = float(c.axis_min), float(c.axis_max)
    span = (hi - lo) or 1.0
    length = (lay.x1 - lay.x0) if lay.horizontal else (lay.y1 - lay.y0)
    per = length / span
    short_hi = short_lo = False
    for s in c.series:
        for v in s.values:
            if v is None:
                continue
            need = (est_width(c.number(v), lay.value_size) + 4.0) if lay.horizontal else lay.value_size * 1.25
            if v >= 0:
                short_hi = short_hi or (hi - float(v)) * per < need
            else:
                short_lo = short_lo or (float(v) - lo) * per < need
    return short_hi, short_lo


def ticks_crowded(c: Chart, lay: ChartLayout) -> bool:
    """Whether the value axis's tick labels would touch each other."""
    steps = max(len(c.ticks()) - 1, 1)
    if lay.horizontal:
        widest = max((est_width(c.tick(t), LABEL_PT) for t in c.ticks()), default=0.0)
        return (lay.x1 - lay.x0) / steps < widest + LABEL_PT * 1.5
    return (lay.y1 - lay.y0) / steps < LABEL_PT * LEADING


def coarser(step: Decimal) -> Decimal:
    """The next nice step above ``step`` (1 → 2 → 5 → 10 …)."""
    mag = Decimal(10) ** step.adjusted()
    for m in (Decimal(2), Decimal(5), Decimal(10)):
        if m * mag > step:
            return (m * mag).normalize() + 0
    return (mag * 20).normalize() + 0


# ---------------------------------------------------------------- geometry every writer draws


@dataclass(frozen=True)
class Text:
    """A label: its text, anchor point (baseline) and anchor (``start``, ``middle``, ``end``)."""

    text: str
    x: float
    y: float
    size: float
    anchor: str = "middle"
    white: bool = False


@dataclass(frozen=True)
class Bar:
    """One bar of series ``series``: its rectangle (y upwards) and its value label, if any."""

    series: int
    index: int
    x: float
    y: float
    w: float
    h: float
    label: Text | None


def value_pos(c: Chart, lay: ChartLayout, v: Decimal | float) -> float:
    """Where value ``v`` falls on the value axis: a y (columns) or an x (horizontal bars)."""
    lo, hi = float(c.axis_min), float(c.axis_max)
    a, b = (lay.x0, lay.x1) if lay.horizontal else (lay.y0, lay.y1)
    return a + (float(v) - lo) / ((hi - lo) or 1.0) * (b - a)


def _baseline(top: float, size: float) -> float:
    """The baseline of a line whose line box (``LEADING`` × ``size``) starts at ``top``."""
    return top - (LEADING - 1.0) / 2 * size - 0.88 * size


def category_texts(lay: ChartLayout, i: int) -> list[Text]:
    """Category ``i``'s label lines: centred under its column, or right-aligned left of its
    row and centred on it; none for a period left unlabelled on a crowded time axis."""
    if i % lay.label_every:
        return []
    lines, size = lay.cat_lines[i], lay.cat_size
    lead = size * LEADING
    if lay.horizontal:
        top, x, anchor = lay.centre(i) + len(lines) * lead / 2, lay.label_right, "end"
    else:
        top, x, anchor = lay.y0 - 3.0, lay.centre(i), "middle"
    return [Text(ln, x, _baseline(top - k * lead, size), size, anchor) for k, ln in enumerate(lines)]


def tick_texts(c: Chart, lay: ChartLayout) -> list[tuple[float, Text]]:
    """Each tick's position on the value axis and its label (left of columns, under bars)."""
    out = []
    for t in c.ticks():
        p = value_pos(c, lay, t)
        if lay.horizontal:
            out.append((p, Text(c.tick(t), p, _baseline(lay.y0 - 3.0, LABEL_PT), LABEL_PT)))
        else:
            out.append((p, Text(c.tick(t), lay.x0 - 4.0, p - LABEL_PT * 0.35, LABEL_PT, "end")))
    return out


def bars(c: Chart, lay: ChartLayout, hidden: bool = True) -> list[Bar]:
    """The bars of a bar, grouped or stacked chart, with their value labels: outside the bar's
    end (beyond it for negatives), or inside a stacked segment in white (``hidden``: not where
    the layout leaves them out)."""
    out: list[Bar] = []
    gone = set(lay.hidden) if hidden else set()
    stacked = c.kind == "stacked"
    ns = max(len(c.series), 1)
    group = lay.pitch * (0.5 if stacked or ns == 1 else GROUP_FILL)
    if lay.horizontal:
        group = lay.pitch * (BAR_FILL if stacked or ns == 1 else lay.fill)
    thick = group if stacked else group / ns
    vs = lay.value_size
    for i in range(len(c.categories)):
        start = lay.centre(i) + (group / 2 if lay.horizontal else -group / 2)  # top / left edge of the group
        up = down = Decimal(0)
        for k, s in enumerate(c.series):
            v = s.values[i] if i < len(s.values) else None
            if v is None:
                continue
            base = Decimal(0)
            if stacked:
                base = up if v >= 0 else down
                up, down = (base + v, down) if v >= 0 else (up, base + v)
            a, b = value_pos(c, lay, base), value_pos(c, lay, base + v)
            if not stacked and v != 0 and abs(b - a) < MIN_BAR:  # 0.3 beside 95: still seen
                b = a + (MIN_BAR if v > 0 else -MIN_BAR)
            if lay.horizontal:
                across = start - (1 if stacked else k + 1) * thick
            else:
                across = start + (0 if stacked else k) * thick
            mid = across + thick / 2
            label = None
            if c.value_labels and (k, i) not in gone:
                txt = c.number(v)
                if stacked:
                    label = (Text(txt, (a + b) / 2, mid - vs * 0.35, vs, white=True) if lay.horizontal
                             else Text(txt, mid, (a + b) / 2 - vs * 0.35, vs, white=True))
                elif lay.horizontal:
                    label = Text(txt, b + 3.0 if v >= 0 else b - 3.0, mid - vs * 0.35, vs,
                                 "start" if v >= 0 else "end")
                else:
                    label = Text(txt, mid, b + 2.0 if v >= 0 else b - vs - 1.0, vs)
            if lay.horizontal:
                out.append(Bar(k, i, min(a, b), across, abs(b - a), thick, label))
            else:
                out.append(Bar(k, i, across, min(a, b), thick, abs(b - a), label))
    return out


#: The shortest bar drawn for a value that is not zero, in points.
MIN_BAR = 1.0
Segment = tuple[float, float, float, float]  # x0, y0, x1, y1
SWATCH = LABEL_PT * 1.4  # a legend entry's colour sample
SWATCH_GAP = 4.0  # between the sample and the series name


def axes(c: Chart, lay: ChartLayout) -> tuple[float, list[Segment]]:
    """The value axis's zero (its minimum when zero is off the axis) and the two axis lines:
    the category axis through it and the value axis along the plot's edge."""
    zero = value_pos(c, lay, 0) if c.axis_min <= 0 <= c.axis_max else value_pos(c, lay, c.axis_min)
    if lay.horizontal:
        return zero, [(lay.x0, lay.y0, lay.x1, lay.y0), (zero, lay.y0, zero, lay.y1)]
    return zero, [(lay.x0, lay.y0, lay.x0, lay.y1), (lay.x0, zero, lay.x1, zero)]


def grid_line(lay: ChartLayout, pos: float) -> Segment:
    """The grid line across the plot at value-axis position ``pos``."""
    return (pos, lay.y0, pos, lay.y1) if lay.horizontal else (lay.x0, pos, lay.x1, pos)


def line_points(c: Chart, lay: ChartLayout, k: int) -> tuple[list[list[tuple[float, float]]],
                                                             list[tuple[float, float, Decimal]]]:
    """Series ``k`` of a line chart: its unbroken runs of points (a missing value ends a run) and
    every point with its value."""
    runs: list[list[tuple[float, float]]] = [[]]
    pts: list[tuple[float, float, Decimal]] = []
    for i, v in enumerate(c.series[k].values):
        if v is None:
            runs.append([])
            continue
        x, y = lay.centre(i), value_pos(c, lay, v)
        runs[-1].append((x, y))
        pts.append((x, y, v))
    return [r for r in runs if len(r) >= 2], pts


def legend_entries(c: Chart, width: float, height: float,
                   text_width: Callable[[str, float], float]) -> list[tuple[int, float, float]]:
    """Each series' legend entry as (series index, x, y of its sample), the entries side by side
    and centred across ``width`` in a legend band ``height`` tall; ``text_width`` measures names."""
    widths = _entry_widths(c, text_width)
    rows = _legend_rows(widths, width)
    pitch = height / (LEGEND_PAD + LEGEND_ROW * len(rows))
    out = []
    for r, row in enumerate(rows):  # the first row on top, each row centred
        x = max(0.0, (width - sum(widths[k] for k in row)) / 2)
        y = height - pitch * (LEGEND_ROW * (r + 1) - 0.2)  # one row: 0.3 of the band, as before
        for k in row:
            out.append((k, x, y))
            x += widths[k]
    return out


#: A legend row's height and the band's padding, in units of ``LABEL_PT``.
LEGEND_ROW, LEGEND_PAD = 1.6, 0.4


def _legend_rows(widths: list[float], width: float) -> list[list[int]]:
    """The legend's entries (by index) in rows that fit ``width``, filled in order."""
    rows: list[list[int]] = [[]]
    used = 0.0
    for k, wd in enumerate(widths):
        if rows[-1] and used + wd > width:
            rows.append([])
            used = 0.0
        rows[-1].append(k)
        used += wd
    return rows


def legend_height(c: Chart, width: float) -> float:
    """The legend band's height: one row per line of entries that fits ``width`` (none for one series)."""
    if len(c.series) < 2:
        return 0.0
    return LABEL_PT * (LEGEND_PAD + LEGEND_ROW * len(_legend_rows(_entry_widths(c, est_width), width)))


def _entry_widths(c: Chart, text_width: Callable[[str, float], float]) -> list[float]:
    """Each legend entry's width: sample, gap, the series name, and the space before the next."""
    return [SWATCH + SWATCH_GAP + text_width(s.name, LABEL_PT) + LABEL_PT * 1.5 for s in c.series]
