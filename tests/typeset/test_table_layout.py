"""Turn small tables into column widths and cell lines, and check them against the table rules of issue 12."""

from __future__ import annotations

from briefgen.tree import Table, TableCell
from briefgen.typeset.linebreak import Piece, is_cjk
from briefgen.typeset.table_content import is_period
from briefgen.typeset.table_layout import (
    SHORT_LAST,
    auto_widths,
    break_cell,
    figure_pads,
    figure_split,
    fill,
    flawed,
    is_unbroken,
    measure_cell,
    plan_lines,
    prune_table,
)
from briefgen.typeset.table_widths import column_layout, fit_columns

SIZE = 14.0


def adv(ch: str) -> float:
    return SIZE if is_cjk(ch) or ord(ch) >= 0x2000 else SIZE / 2


def measure(ch: str, font: str, size: float) -> float:
    return size if is_cjk(ch) or ord(ch) >= 0x2000 else size / 2


def test_auto_widths_follow_css_2_1() -> None:
    # max widths fit: used, and the rest shared in proportion to them
    assert auto_widths([10, 10], [20, 60], 160) == [40, 120]
    # they do not: each gets its min plus a share of the room in proportion to (max - min)
    assert auto_widths([10, 20], [110, 40], 70) == [10 + 40 * 100 / 120, 20 + 40 * 20 / 120]


def test_figures_never_wrap_and_the_label_column_absorbs_the_wrapping() -> None:
    rows = [
        ["全社会固定资产投资完成额", "357", "亿元", "增长5.9%", "2022年上半年"],
        ["民营企业注册资本总额", "超5300", "亿元", "", "报道时"],
        ["居民人均可支配收入", "65294", "元", "比上年增长8.8%", "2021年"],
    ]
    cells = [[measure_cell(t, adv) for t in r] for r in rows]
    widths = column_layout(cells, 5, 24 * SIZE, 8.0, SIZE / 2)
    assert abs(sum(widths) - 24 * SIZE) < 1e-6
    for r in cells:
        for j, c in enumerate(r):
            if c.figure:
                assert fill(c, widths[j] - 8.0)[0] == 1, (r, j, widths)
    assert widths[0] == max(widths)  # the label column is the widest


def test_cell_last_line_never_holds_one_or_two_characters_when_it_can_be_avoided() -> None:
    text = "2022“全国百强区”榜单全国排名"
    plain = [ln.text for ln in break_cell([Piece(text, "f", SIZE)], 7 * SIZE, measure)]
    assert all(len(t) > 2 for t in plain), plain
    assert "".join(plain) == text
    # lines the row takes anyway may be used, never more
    text = [Piece("吴江区委组织部党员教育中心党校", "f", SIZE)]
    alone = break_cell(text, 7.2 * SIZE, measure)
    roomy = break_cell(text, 7.2 * SIZE, measure, max_lines=4)
    assert len(roomy) <= 4 and len(roomy[-1].text) >= len(alone[-1].text) > 2
    # characters come down past a number with its unit; a short book title stays whole
    lines = break_cell([Piece("恒力集团《财富》世界500强排名", "f", SIZE)], 5.2 * SIZE, measure)
    assert [ln.text for ln in lines] == ["恒力集团", "《财富》", "世界", "500强排名"], [ln.text for ln in lines]


def test_empty_columns_are_dropped_with_their_header() -> None:
    t = Table(rows=[[TableCell("指标"), TableCell("增幅"), TableCell("数值")],
                    [TableCell("工业投资"), TableCell(""), TableCell("114")],
                    [TableCell("常住人口"), TableCell(" "), TableCell("155.9")]],
              widths=[3, 1, 1])  # fmt: skip
    p = prune_table(t)
    assert [c.text for c in p.rows[0]] == ["指标", "数值"] and p.widths == [3, 1]
    assert prune_table(p) is p  # nothing more to drop


def test_figures_align_on_their_last_integer_digit() -> None:
    assert figure_split("超5300") == ("超", "5300", "")
    assert figure_split("1100多") == ("", "1100", "多")
    texts = ["2224.53", "155.9", "65294", "1100多", "报道时"]
    pads = figure_pads(texts, adv)
    tails = {".53": 3 * SIZE / 2, ".9": SIZE, "": 0.0, "多": SIZE}
    widest = max(tails.values())
    assert pads == [widest - tails[".53"], widest - tails[".9"], widest, widest - SIZE, 0.0]


# Crowded six-column tables modelled on issue 12's unseen stress briefs (labels written here).
# Old engine, same input: PLAN 36 lines (指标 5 characters, cells of 4 lines, 类别 holding
# 2024年预期目标 whole); INCOME 108 lines; DIGEST 27 lines with 2021年|1—9月 wrapped four times.
PLAN = [["指标", "数值", "单位", "时期", "范围", "类别"]] + [
    [label, value, unit, period, scope, kind]
    for label, value, unit, period, scope, kind in [
        ("全省地区生产总值（GRP）", "5.8", "万亿元", "2023年", "全省", "近五年回顾"),
        ("全省地区生产总值五年平均增速", "6.1", "%", "2019—2023年", "全省", "近五年回顾"),
        ("全省一般公共预算收入（税收部分）", "4120", "亿元", "2023年", "全省", "近五年回顾"),
        ("城乡居民人均可支配收入年均增速", "7.3", "%", "2019—2023年", "城乡", "近五年回顾"),
        ("全省粮食总产量（连续稳定水平）", "700以上", "亿斤", "2019—2023年", "全省", "近五年回顾"),
        ("全省常住人口城镇化率", "66.2", "%", "2023年", "全省", "近五年回顾"),
        ("行政村通硬化路和客车的比例", "99.8", "%", "2023年", "全省行政村", "近五年回顾"),
        ("全省新增城镇就业人数预期目标", "110左右", "万人", "2024年", "城镇", "2024年预期目标"),
        ("全省居民消费价格涨幅预期目标", "3左右", "%", "2024年", "全省", "2024年预期目标"),
        ("全省地区生产总值增长预期目标", "5.5左右", "%", "2024年", "全省", "2024年预期目标"),
        ("单位地区生产总值能耗降低目标", "2.5", "%", "2024年", "全省", "2024年预期目标"),
        ("全省研究与试验发展经费投入强度", "2.6以上", "%", "2024年", "全省", "2024年预期目标"),
    ]
]
SCOPE = "全省（城乡一体化住户抽样调查口径）"
INCOME = [["指标", "数值", "单位", "增幅", "时期", "范围"]] + [
    [label, value, unit, f"比上年同期（名义）增长{change}%" if change else "", year, scope]
    for year in ("2021年上半年", "2022年上半年", "2023年上半年")
    for label, value, unit, change, scope in [
        ("全省居民人均可支配收入", "18210", "元", "7.1", SCOPE),
        ("全省居民人均可支配收入实际增速（扣除物价因素）", "5.9", "%", "", "全省"),
        ("城镇居民人均可支配收入", "24406", "元", "6.2", "全省"),
        ("农村居民人均可支配收入", "11534", "元", "8.3", "全省"),
        ("全省居民人均可支配收入中位数", "15337", "元", "6.8", "全省"),
        ("城镇居民人均可支配收入中位数", "21337", "元", "5.8", "全省"),
        ("全省居民人均工资性收入", "10337", "元", "6.1", "全省"),
        ("全省居民人均经营净收入", "3337", "元", "7.0", "全省"),
        ("全省居民人均消费支出", "12302", "元", "9.4", "全省"),
        ("农村居民人均消费支出", "8302", "元", "10.4", "全省"),
        ("食品烟酒支出占人均消费支出的比重", "28.7", "%", "", "全省"),
    ]
]
DIGEST = [["指标", "数值", "单位", "增幅", "时期", "范围"]] + [
    [label, value, unit, change, period, scope]
    for label, value, unit, change, period, scope in [
        ("全省网上零售额增速", "12.4", "%", "+0.6个百分点", "2021年1—9月", "全省"),
        ("限额以上单位家具类商品零售额增速", "9.8", "%", "+3.1个百分点", "2021年9月", "限额以上单位"),
        ("限额以上单位体育娱乐用品类零售额增速", "21.3", "%", "+11.2个百分点", "2021年9月", "限额以上单位"),
        ("规模以上工业企业营业收入增速", "8.7", "%", "", "2021年1—9月", "规模以上工业"),
        ("全省快递业务量", "31.2", "亿件", "+22.5%", "2021年1—9月", "全省"),
        ("全省城镇调查失业率", "5.1", "%", "−0.2个百分点", "2021年9月", "城镇"),
        ("16至24岁人口调查失业率", "14.2", "%", "−1.1个百分点", "2021年9月", "16至24岁人口"),
        ("全省铁路旅客发送量", "1.9", "亿人次", "", "2021年1—9月", "全省"),
    ]
]  # fmt: skip


def laid_out(rows: list[list[str]], em: float) -> list[list[tuple[int, int]]]:
    """Per body cell (lines, characters on the last line) at the widths of ``fit_columns``."""
    cells = [[measure_cell(t, adv) for t in r] for r in rows]
    widths, pad = fit_columns(cells, len(rows[0]), em * SIZE, (8.0, 7.0), SIZE / 2, header_rows=1)
    assert abs(sum(widths) - em * SIZE) < 1e-6
    return [[fill(c, w - pad) for c, w in zip(r, widths, strict=True)] for r in cells[1:]]


def height(got: list[list[tuple[int, int]]]) -> int:
    return sum(max(k for k, _ in row) for row in got)


def test_short_columns_do_not_starve_a_long_label_column() -> None:
    got = laid_out(PLAN, 31.6)
    assert height(got) <= 26  # 36 before
    assert max(row[0][0] for row in got) <= 3  # labels: 国内生|产总值五|年年均增|长速度 before
    for r, row in zip(PLAN[1:], got, strict=True):
        for text, (k, last) in zip(r, row, strict=True):
            assert k == 1 or (not is_unbroken(text) and last > SHORT_LAST), (text, k, last)


def test_a_long_scope_in_a_few_rows_and_long_labels_share_the_width() -> None:
    got = laid_out(INCOME, 30)
    assert height(got) <= 95  # 108 before: every change cell in three lines
    assert all(k == 1 for row in got for k, _ in row[1:3] + row[4:5])  # figures, units, periods


def test_periods_stay_whole_in_a_crowded_table() -> None:
    got = laid_out(DIGEST, 30)
    assert all(row[4][0] == 1 for row in got)  # 2021年|1—9月 four times before
    assert height(got) <= 22  # 27 before


def test_figures_and_periods_are_unbroken_labels_holding_two_numbers_are_not() -> None:
    assert all(is_period(t) for t in ["2021年1—9月", "2019年7月以来", "2013—2022年", "截至2022年"])
    assert not any(is_period(t) for t in ["2024年预期目标", "报道时", "2018年上半年—2024年上半年"])
    figures = ["2021年1—9月", "增长4.1%", "11.0亿千瓦时", "5—10%", "超5300"]
    assert all(is_unbroken(t) for t in figures)
    assert not is_unbroken("16至24岁人口")  # a scope: 16至|24岁人口 may wrap


def test_no_character_is_left_alone_on_a_cell_line_and_dates_end_phrases() -> None:
    lines = plan_lines(measure_cell("全省乡镇", adv), 3 * SIZE)
    assert lines == [0, 2]  # 全省|乡镇, not 全|省乡镇
    # where it must wrap, a list breaks after its 、 (not 湖|州、嘉兴); the last item of two
    # characters is still a short last line, which the column widths are priced to avoid
    cell = measure_cell("湖州、嘉兴", adv)
    assert [ln.text for ln in break_cell([Piece("湖州、嘉兴", "f", SIZE)], 4 * SIZE, measure)] == [
        "湖州、",
        "嘉兴",
    ]
    assert fill(cell, 4 * SIZE) == (2, SHORT_LAST) and plan_lines(cell, 4 * SIZE) == [0, 2]
    assert fill(cell, 5 * SIZE) == (1, 5)
    for em in (4.2, 5.2):  # not 2024年预|期目标
        lines = break_cell([Piece("2024年预期目标", "f", SIZE)], em * SIZE, measure)
        got = [ln.text for ln in lines]
        assert got == ["2024年", "预期目标"], (em, got)


def test_a_figure_with_its_qualifier_range_or_unit_is_not_split() -> None:
    """超过|7%, 60%|-65%, “2|+26” are figures split: a cell breaks elsewhere where it can, and
    the column widths count a cell that cannot as a fault (as they count a short last line)."""
    for text, em in [("65岁及以上人口比重超过7%的市", 6.2), ("15-59岁人口比重在60%-65%之间的市", 7.4),
                     ("年旅客吞吐量100万人次以上的通航机场", 9.0)]:
        lines = [ln.text for ln in break_cell([Piece(text, "f", SIZE)], em * SIZE, measure)]
        cut = [len("".join(lines[: k + 1])) for k in range(len(lines) - 1)]
        figs = [(m.start(), m.end()) for m in __import__("re").finditer(
            r"超过7%|60%-65%|15-59岁|2\+26|100万人次以上", text)]
        assert not any(a < c < b for c in cut for a, b in figs), (text, lines)
    assert flawed(measure_cell("超过7%", adv), 2.2 * SIZE)  # no room: 超过|7%
    assert flawed(measure_cell("京津冀及周边地区“2+26”城市", adv), 5.4 * SIZE)  # 边地区“2|+26”城市
    assert not flawed(measure_cell("65岁及以上人口比重超过7%的市", adv), 6.2 * SIZE)


def test_a_character_alone_on_a_cell_line_is_a_fault_the_widths_avoid() -> None:
    head = measure_cell("新订单指数（%）", adv)
    assert flawed(head, 2.2 * SIZE)  # 新|订单|指数|（%）: one alone
    rows = [["月份", "制造业PMI（%）", "新订单指数（%）", "生产指数（%）", "从业人员指数（%）"]] + [
        [f"2017年{m}月", "51.7", "52.8", "53.9", "49.2"] for m in range(1, 13)]
    cells = [[measure_cell(t, adv) for t in r] for r in rows]
    widths, pad = fit_columns(cells, 5, 22 * SIZE, (8.0, 7.0), SIZE / 2, header_rows=1)
    assert not any(flawed(c, w - pad) for r in cells for c, w in zip(r, widths, strict=True))


def test_a_table_laid_out_again_gets_the_same_widths_from_memory() -> None:
    cells = [[measure_cell(t, adv) for t in r] for r in INCOME[:8]]
    first = fit_columns(cells, 6, 30 * SIZE, (8.0, 7.0), SIZE / 2, header_rows=1)
    first[0][0] += 1000.0  # the caller's copy: the remembered answer is not changed
    again = fit_columns(cells, 6, 30 * SIZE, (8.0, 7.0), SIZE / 2, header_rows=1)
    assert abs(sum(again[0]) - 30 * SIZE) < 1e-6 and abs(again[0][0] - (first[0][0] - 1000.0)) < 1e-9
