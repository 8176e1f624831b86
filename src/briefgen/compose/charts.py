"""Turn figures and period-data series into ``Chart`` tree nodes: categories, series, a shared axis scale and alt text."""

from __future__ import annotations

import math
import re
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from briefgen.model.periods import Period
from briefgen.model.sourcepack import Figure
from briefgen.model.theme import MM
from briefgen.tree import Chart, ChartKind, ChartSeries
from briefgen.typeset.chart_layout import (
    MAX_HEIGHT_SHARE,
    coarser,
    label_room,
    plan_chart,
    ticks_crowded,
)

KIND_NAMES = {"bar": "柱状图", "grouped": "分组柱状图", "stacked": "堆积柱状图", "line": "折线图"}
_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5), Decimal(10))
MAX_ALT_CHARS = 600


def decimals_of(values: list[Decimal | None]) -> int:
    """The largest number of decimal places among ``values`` (as written in the data)."""
    out = 0
    for v in values:
        if v is not None:
            exp = v.as_tuple().exponent
            if isinstance(exp, int):
                out = max(out, -exp)
    return min(out, 4)


def nice_scale(lo: Decimal, hi: Decimal, include_zero: bool, headroom: bool) -> tuple[Decimal, Decimal, Decimal]:
    """Axis ``(min, max, step)`` with 3–6 steps of 1, 2, 2.5 or 5 × 10ⁿ covering ``lo..hi``.

    ``headroom`` adds a step when the largest value would touch the top (room for value labels)."""
    if include_zero:
        lo, hi = min(lo, Decimal(0)), max(hi, Decimal(0))
    if hi == lo:
        pad = abs(hi) / 10 if hi else Decimal(1)
        lo, hi = (lo if include_zero and lo == 0 else lo - pad), hi + pad
    span = hi - lo
    mag = Decimal(10) ** math.floor(math.log10(float(span / 5)))
    step = mag
    for m in _STEPS:
        step = m * mag
        if span / step <= 6:
            break
    top = (hi / step).to_integral_value(rounding=ROUND_CEILING) * step
    bottom = (lo / step).to_integral_value(rounding=ROUND_FLOOR) * step
    if headroom and hi > 0 and top - hi < step * Decimal("0.15"):
        top += step
    if headroom and lo < 0 and lo - bottom < step * Decimal("0.15"):
        bottom -= step
    return bottom.normalize() + 0, top.normalize() + 0, step.normalize() + 0


def period_labels(periods: list[Period]) -> list[str]:
    """Short category labels: the year on the first period and on every January or first quarter
    (2025年11月, 12月, 2026年1月, 2月 …); yearly periods as 2025年."""
    out = []
    for i, p in enumerate(periods):
        if p.kind == "Y":
            out.append(f"{p.year}年")
            continue
        part = f"{p.index}月" if p.kind == "M" else f"第{'一二三四'[p.index - 1]}季度"
        out.append(f"{p.year}年{part}" if i == 0 or p.index == 1 else part)
    return out


def build_chart(
    kind: ChartKind,
    categories: list[str],
    series: list[ChartSeries],
    *,
    unit: str,
    caption: str,
    source_note: str,
    alt: str,
    show_table: bool,
    value_labels: bool,
    width_mm: float,
    height_mm: float,
    table_style: str,
    table_title: str,
    time_axis: bool = False,
    page_height_mm: float = 250.0,
) -> Chart:
    """A chart whose value axis and layout every writer draws the same way, with generated alt
    text if none; horizontal bars at most ``MAX_HEIGHT_SHARE`` of ``page_height_mm`` (the type
    area's height) tall."""
    values = [v for s in series for v in s.values if v is not None]
    if kind == "stacked":
        pos = [sum((s.values[i] or Decimal(0) for s in series if (s.values[i] or 0) > 0), Decimal(0))
               for i in range(len(categories))]
        neg = [sum((s.values[i] or Decimal(0) for s in series if (s.values[i] or 0) < 0), Decimal(0))
               for i in range(len(categories))]
        lo, hi = min(neg + [Decimal(0)]), max(pos + [Decimal(0)])
    else:
        lo, hi = (min(values), max(values)) if values else (Decimal(0), Decimal(1))
    amin, amax, step = nice_scale(lo, hi, include_zero=kind != "line",
                                  headroom=value_labels and kind != "stacked")
    chart = Chart(kind, categories, series, unit=unit, caption=caption, source_note=source_note,
                  show_table=show_table, value_labels=value_labels, width_mm=width_mm,
                  height_mm=height_mm, axis_min=amin, axis_max=amax, axis_step=step,
                  decimals=decimals_of([v for s in series for v in s.values]),
                  tick_decimals=decimals_of([step, amin]),
                  table_style="grid" if table_style == "grid" else "three-line",
                  table_title=table_title, time_axis=time_axis)
    chart.alt = alt or alt_text(chart)
    fit_layout(chart, page_height_mm * MM * MAX_HEIGHT_SHARE)
    return chart


def fit_layout(chart: Chart, max_height: float) -> None:
    """Plan the chart's layout (``typeset.chart_layout``), widening the value axis by a step
    where value labels lack room and coarsening its step where tick labels would touch."""
    width = chart.width_mm * MM
    lay = plan_chart(chart, width, max_height)
    for _ in range(8):
        if ticks_crowded(chart, lay) and len(chart.ticks()) > 2:
            step = coarser(chart.axis_step)
            chart.axis_min = (chart.axis_min / step).to_integral_value(rounding=ROUND_FLOOR) * step
            chart.axis_max = (chart.axis_max / step).to_integral_value(rounding=ROUND_CEILING) * step
            chart.axis_step = step
            chart.tick_decimals = decimals_of([step, chart.axis_min])
        else:
            short_hi, short_lo = label_room(chart, lay)
            if not (short_hi or short_lo):
                break
            chart.axis_max += chart.axis_step if short_hi else 0
            chart.axis_min -= chart.axis_step if short_lo else 0
        lay = plan_chart(chart, width, max_height)
    chart.layout = lay


def figure_series(
    kind: ChartKind, figs: list[Figure], values: list[Decimal | None], name: str
) -> tuple[ChartKind, list[str], list[ChartSeries]]:
    """Categories and series for a chart of one value per figure. Where the same indicator comes
    for several periods (or areas), a bar or grouped chart groups it: indicators as categories,
    periods (areas) as series, when most indicator × period pairs are there; otherwise each
    repeated label carries its period (or scope), so no two categories read the same."""
    labels = [f.label for f in figs]
    if len(set(labels)) == len(labels):
        return kind, labels, [ChartSeries(name, values)]
    cats = list(dict.fromkeys(labels))
    for tags in ([f.period for f in figs], [f.scope for f in figs]):  # by period, else by area
        groups = list(dict.fromkeys(tags))
        if all(re.fullmatch(r"\d{4}年", g) for g in groups):
            groups.sort()  # years in order, whatever order the figures were named in
        pairs = {(f.label, t): v for f, t, v in zip(figs, tags, values, strict=True)}
        full = 4 * len(figs) >= 3 * len(cats) * len(groups)
        if kind in ("bar", "grouped") and len(pairs) == len(figs) and 1 < len(groups) <= 6 and full and all(groups):
            series = [ChartSeries(f"{g}{name}", [pairs.get((c, g)) for c in cats]) for g in groups]
            return "grouped", cats, series
        if kind == "stacked" and len(pairs) == len(figs) and len(groups) > 1 and all(groups):
            # each period (area) one bar made of the indicators
            return "stacked", groups, [ChartSeries(c, [pairs.get((c, g)) for g in groups]) for c in cats]
    for tags in ([f.period for f in figs], [f.scope for f in figs]):
        if len(set(zip(labels, tags, strict=True))) == len(figs):
            labels = [f"{lb}（{t}）" if t and labels.count(lb) > 1 else lb for lb, t in zip(labels, tags, strict=True)]
            break
    return kind, labels, [ChartSeries(name, values)]


def alt_text(chart: Chart) -> str:
    """A description for readers who cannot see the chart: kind, caption, unit and the numbers."""
    head = KIND_NAMES[chart.kind] + (f"：{chart.caption}" if chart.caption else "")
    if chart.unit:
        head += f"（单位：{chart.unit}）"
    parts = []
    for s in chart.series:
        pts = [f"{c}{chart.number(v)}" for c, v in zip(chart.categories, s.values, strict=False) if v is not None]
        name = f"{s.name}：" if s.name else ""
        parts.append(name + "，".join(pts))
    text = head + "。" + "；".join(parts) + "。"
    if len(text) <= MAX_ALT_CHARS:
        return text
    parts = []
    for s in chart.series:
        vals = [v for v in s.values if v is not None]
        if vals:
            parts.append(f"{s.name}从{chart.number(vals[0])}到{chart.number(vals[-1])}，"
                         f"最低{chart.number(min(vals))}，最高{chart.number(max(vals))}")
    span = f"{chart.categories[0]}至{chart.categories[-1]}，" if chart.categories else ""
    return head + "。" + span + "；".join(parts) + "。"
