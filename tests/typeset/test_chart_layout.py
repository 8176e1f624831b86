"""Unit tests of typeset.chart_layout: columns or horizontal bars, wrapped labels, sizes, and geometry all writers draw."""

from __future__ import annotations

from decimal import Decimal

import pytest

from briefgen.model.theme import MM
from briefgen.tree import Chart, ChartSeries
from briefgen.typeset.chart_layout import (
    LABEL_PT,
    LABEL_SHARE,
    SMALL_PT,
    SQUEEZE,
    SWATCH,
    SWATCH_GAP,
    Text,
    axes,
    bars,
    category_texts,
    coarser,
    grid_line,
    label_room,
    layout_for,
    legend_entries,
    line_points,
    plan_chart,
    tick_texts,
)
from briefgen.typeset.label_wrap import est_width

LONG = ["全国实物商品网上零售额增速", "城镇消费品零售额增速", "乡村消费品零售额增速", "限额以上单位金银珠宝类商品零售额增速",
        "限额以上单位化妆品类商品零售额增速", "限额以上单位通讯器材类商品零售额增速", "全国规模以上工业增加值增速",
        "规模以上高技术制造业增加值增速", "装备制造业增加值增速", "全国服务业生产指数增速", "全国固定资产投资（不含农户）增速",
        "25至59岁人口调查失业率", "社会消费品零售总额", "居民消费价格涨幅", "全国快递服务企业业务量", "全国铁路发送旅客",
        "工业机器人产量增速", "一般公共预算收入", "房地产开发投资增速", "进出口总额增速"]  # fmt: skip
WIDTH = 156 * MM
PAGE = 225 * MM * 0.85


def chart(cats: list[str], kind: str = "bar", series: int = 1, time_axis: bool = False, big: bool = False,
          axis_max: int = 30) -> Chart:
    values = [[Decimal(27561 + 7 * i + k) if big else Decimal(f"{(i * 7 + k * 3) % 25 + 0.5:.1f}")
               for i in range(len(cats))] for k in range(series)]
    return Chart(kind, cats, [ChartSeries(f"{2022 + k}年", v) for k, v in enumerate(values)],  # type: ignore[arg-type]
                 unit="%", axis_max=Decimal(axis_max), axis_step=Decimal(axis_max // 6), time_axis=time_axis)


def boxes(texts: list[Text]) -> list[tuple[float, float, float, float]]:
    out = []
    for t in texts:
        w = est_width(t.text, t.size)
        x = t.x - w / 2 if t.anchor == "middle" else t.x - w if t.anchor == "end" else t.x
        out.append((x, t.y - 0.12 * t.size, x + w, t.y + 0.88 * t.size))
    return out


def overlaps(bs: list[tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    return [(i, j) for i, a in enumerate(bs) for j, b in enumerate(bs[i + 1:], i + 1)
            if a[0] < b[2] - 0.01 and b[0] < a[2] - 0.01 and a[1] < b[3] - 0.01 and b[1] < a[3] - 0.01]


def test_short_labels_make_columns_with_one_line_each() -> None:
    lay = plan_chart(chart(["2021年", "2022年", "2023年", "2024年"]), WIDTH, PAGE)
    assert not lay.horizontal and lay.cat_size == 10.5 and lay.cat_lines == [[s] for s in ["2021年", "2022年", "2023年", "2024年"]]


def test_three_long_labels_wrap_under_their_columns() -> None:
    lay = plan_chart(chart(LONG[3:6]), WIDTH, PAGE)
    assert not lay.horizontal
    assert all(2 <= len(ls) <= 3 for ls in lay.cat_lines)
    assert all(est_width(ln, lay.cat_size) <= lay.pitch - 4 for ls in lay.cat_lines for ln in ls)


@pytest.mark.parametrize("n", [10, 20])
def test_many_long_labels_turn_the_chart_into_horizontal_bars(n: int) -> None:
    lay = plan_chart(chart(LONG[:n]), WIDTH, PAGE)
    assert lay.horizontal and lay.cat_size >= SMALL_PT
    assert lay.label_right <= WIDTH * LABEL_SHARE + 1e-6
    assert lay.height <= PAGE
    tallest = max(len(ls) for ls in lay.cat_lines) * lay.cat_size * 1.2
    assert lay.pitch >= tallest  # rows never overlap


def test_horizontal_charts_grow_with_their_rows_within_the_page() -> None:
    h10 = plan_chart(chart(LONG[:10]), WIDTH, PAGE).height
    h20 = plan_chart(chart(LONG[:20]), WIDTH, PAGE).height
    assert h20 > h10 * 1.5
    assert plan_chart(chart(LONG[:20] * 3), WIDTH, PAGE).height <= PAGE


@pytest.mark.parametrize("n", [1, 2, 3, 5, 8, 10, 14, 20])
@pytest.mark.parametrize("kind", ["bar", "grouped", "stacked"])
def test_labels_never_overlap_and_stay_inside_the_chart(n: int, kind: str) -> None:
    c = chart(LONG[:n], kind, series=1 if kind == "bar" else 2)
    lay = plan_chart(c, WIDTH, PAGE)
    texts = [t for i in range(n) for t in category_texts(lay, i)]
    texts += [t for _, t in tick_texts(c, lay)]
    texts += [b.label for b in bars(c, lay) if b.label is not None and not b.label.white]
    texts.append(Text(c.unit_label, 0.0, lay.height - 10.5, 10.5, "start"))  # where the writers put it
    bs = boxes(texts)
    assert not overlaps(bs), [(texts[i].text, texts[j].text) for i, j in overlaps(bs)]
    assert all(b[0] >= -0.01 and b[2] <= lay.width + 0.01 and b[1] >= -0.01 and b[3] <= lay.height for b in bs)
    assert min(t.size for t in texts) >= SMALL_PT


def test_periods_stay_columns_and_every_kth_is_labelled() -> None:
    cats = [f"{y}年{m}月" if m == 1 else f"{m}月" for y in (2023, 2024, 2025) for m in range(1, 13)]
    c = chart(cats, "line", time_axis=True)
    c.value_labels = False
    lay = plan_chart(c, WIDTH, PAGE)
    assert not lay.horizontal and lay.label_every > 1
    shown = [t for i in range(len(cats)) for t in category_texts(lay, i)]
    assert not overlaps(boxes(shown))
    assert {t.text for t in category_texts(lay, 0)} == {"2023年", "1月"}


def test_value_labels_that_would_touch_turn_columns_into_bars() -> None:
    c = chart(["工业增加值", "社零总额", "固定资产投资", "进出口总额", "居民收入"], "grouped", series=3, big=True,
              axis_max=35000)
    assert plan_chart(c, WIDTH, PAGE).horizontal
    c.value_labels = False
    assert not plan_chart(c, WIDTH, PAGE).horizontal


def test_value_labels_need_room_beyond_the_longest_bar() -> None:
    c = chart(LONG[:10], axis_max=25)
    c.series[0].values[0] = Decimal("24.9")
    lay = plan_chart(c, WIDTH, PAGE)
    assert label_room(c, lay) == (True, False)
    c.axis_max = Decimal(30)
    assert label_room(c, plan_chart(c, WIDTH, PAGE)) == (False, False)


def test_a_stacked_segment_too_small_for_its_number_leaves_it_out() -> None:
    c = chart(["甲", "乙", "丙"], "stacked", series=2, axis_max=300)
    c.series[1].values[1] = Decimal("0.5")
    lay = plan_chart(c, WIDTH, PAGE)
    assert (1, 1) in lay.hidden
    assert all(b.label is None for b in bars(c, lay) if (b.series, b.index) == (1, 1))


def test_coarser_steps_and_layout_reuse() -> None:
    assert [coarser(Decimal(s)) for s in ("1", "2", "2.5", "5", "0.5")] == [2, 5, 5, 10, 1]
    c = chart(LONG[:10])
    c.layout = plan_chart(c, WIDTH, PAGE)
    assert layout_for(c, WIDTH, PAGE) is c.layout
    narrow = layout_for(c, WIDTH * 0.6, PAGE)
    assert narrow is not c.layout and narrow.width == pytest.approx(WIDTH * 0.6)


def test_axes_grid_lines_runs_and_legend_are_one_geometry_for_every_writer() -> None:
    c = chart(["1月", "2月", "3月", "4月", "5月"], kind="line", series=2)
    c.series[0].values[2] = None  # a gap: two runs, the second of two points
    c.series[1].values[1] = None  # a lone first point draws no line
    lay = layout_for(c, WIDTH, PAGE)
    zero, (vaxis, caxis) = axes(c, lay)
    assert vaxis == (lay.x0, lay.y0, lay.x0, lay.y1) and caxis == (lay.x0, zero, lay.x1, zero)
    assert grid_line(lay, 100.0) == (lay.x0, 100.0, lay.x1, 100.0)
    runs, pts = line_points(c, lay, 0)
    assert [len(r) for r in runs] == [2, 2] and len(pts) == 4
    runs, pts = line_points(c, lay, 1)
    assert [len(r) for r in runs] == [3] and len(pts) == 4
    entries = legend_entries(c, WIDTH, 20.0, est_width)
    assert [k for k, _x, _y in entries] == [0, 1] and entries[0][1] < entries[1][1]
    left, right = entries[0][1], WIDTH - (entries[1][1] + (entries[1][1] - entries[0][1]))
    assert abs(left - right) < 1e-6  # centred
    bar = layout_for(chart(LONG[:10]), WIDTH, PAGE)
    assert bar.horizontal and grid_line(bar, 50.0) == (50.0, bar.y0, 50.0, bar.y1)


@pytest.mark.parametrize("n", [3, 8, 14])
@pytest.mark.parametrize("kind", ["bar", "grouped"])
def test_a_chart_squeezed_to_its_least_height_keeps_its_labels_apart(n: int, kind: str) -> None:
    """At a page foot a chart may be drawn as short as ``ChartLayout.least`` (columns: SQUEEZE of
    their height; bars: rows without their air), never shorter, and still legible."""
    c = chart(LONG[:n] if n > 3 else ["一月", "二月", "三月"], kind, series=1 if kind == "bar" else 2)
    natural = plan_chart(c, WIDTH, PAGE)
    assert 0 < natural.least <= natural.height
    squeezed = plan_chart(c, WIDTH, PAGE, fit=natural.least)
    assert squeezed.height <= natural.height and abs(squeezed.height - natural.least) < 1.0
    if not natural.horizontal:
        assert abs(natural.least - SQUEEZE * natural.height) < 0.01
    between = plan_chart(c, WIDTH, PAGE, fit=(natural.least + natural.height) / 2)
    assert natural.least - 0.5 <= between.height <= natural.height
    texts = [t for i in range(n) for t in category_texts(squeezed, i)]
    texts += [t for _, t in tick_texts(c, squeezed)]
    texts += [b.label for b in bars(c, squeezed) if b.label is not None and not b.label.white]
    assert not overlaps(boxes(texts))


def test_grouped_bars_squeezed_at_a_page_foot_take_small_one_line_labels_and_tight_rows() -> None:
    """Ten groups of two bars with one long label: at a page foot the rows may lose more than
    their air — the labels go to 小五 on one line and each bar is only as thick as its 小五 value
    label — so the chart fits where its natural rows (two label lines, 五号 value labels) do not."""
    cats = LONG[:9] + ["电力、热力、燃气及水生产和供应业增加值增速"]
    c = chart(cats, "grouped", series=2)
    c.width_mm = 156
    natural = plan_chart(c, WIDTH, PAGE)
    assert natural.horizontal and max(len(ls) for ls in natural.cat_lines) == 2
    squeezed = plan_chart(c, WIDTH, PAGE, fit=natural.least)
    assert abs(squeezed.height - natural.least) < 0.5
    assert (squeezed.y1 - squeezed.y0) / len(cats) < 2 * SMALL_PT * 1.05 / 0.85 + 0.5  # two 小五 labels' height
    assert (natural.y1 - natural.y0) / len(cats) > 30.0
    assert squeezed.cat_size == SMALL_PT and all(len(ls) == 1 for ls in squeezed.cat_lines)
    assert squeezed.value_size == SMALL_PT
    assert min(b.h for b in bars(c, squeezed)) >= SMALL_PT
    # between the two, the chart takes the room it is given
    half = plan_chart(c, WIDTH, PAGE, fit=(natural.least + natural.height) / 2)
    assert abs(half.height - (natural.least + natural.height) / 2) < 0.5


def test_a_legend_too_wide_for_one_row_wraps_inside_the_chart() -> None:
    c = chart(["一月", "二月", "三月"], "grouped", series=2)
    names = ["全国规模以上工业增加值", "江苏省规模以上工业增加值", "浙江省规模以上工业增加值", "上海市规模以上工业增加值"]
    c.series = [ChartSeries(n, list(c.series[0].values)) for n in names]
    lay = plan_chart(c, WIDTH / 2, PAGE)
    assert lay.legend_h > LABEL_PT * 2.0  # more than one row
    got = legend_entries(c, lay.width, lay.legend_h, est_width)
    assert len({round(y, 3) for _, _, y in got}) >= 2
    for k, x, y in got:
        assert x >= 0 and x + SWATCH + SWATCH_GAP + est_width(names[k], LABEL_PT) <= lay.width + 0.01
        assert 0 <= y <= lay.legend_h
    one = chart(["一月", "二月"], "grouped", series=2)
    assert plan_chart(one, WIDTH, PAGE).legend_h == LABEL_PT * 2.0  # short names: one row, as before


def test_a_value_tiny_beside_the_others_still_draws_a_bar() -> None:
    c = Chart("bar", ["全国", "甲省"], [ChartSeries("人次", [Decimal(3000), Decimal("0.1")])], unit="万",  # type: ignore[arg-type]
              axis_max=Decimal(3000), axis_step=Decimal(500))
    lay = plan_chart(c, WIDTH, PAGE)
    small = [b for b in bars(c, lay) if b.index == 1][0]
    assert min(small.w, small.h) >= 1.0 - 1e-9  # its length, across a column 100 pt wide


def test_neighbouring_category_labels_keep_half_an_em_apart() -> None:
    cats = ["第一产业对经济增长的贡献率", "第二产业对经济增长的贡献率", "第三产业对经济增长的贡献率"]
    c = chart(cats, axis_max=70)
    lay = plan_chart(c, WIDTH * 0.85, PAGE)
    rows: dict[float, list[tuple[float, float, float, float]]] = {}
    for i in range(len(cats)):
        for b in boxes(category_texts(lay, i)):
            rows.setdefault(round(b[1], 1), []).append(b)
    for line in rows.values():
        line.sort()
        assert all(b[0] - a[2] >= 5.0 for a, b in zip(line, line[1:], strict=False)), line
