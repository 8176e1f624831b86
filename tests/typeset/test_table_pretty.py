"""Turn table cells into "pretty" lines (no last line of one or two characters, units whole) and columns that keep short phrases whole; properties over random labels and widths."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.typeset.linebreak import ALLOW, Piece, boundary_classes, is_cjk
from briefgen.typeset.table_content import is_figure
from briefgen.typeset.table_layout import (
    SHORT_LAST,
    break_cell,
    fill,
    measure_cell,
    plan_lines,
    pretty_cuts,
)
from briefgen.typeset.table_widths import column_layout, fit_columns

SIZE = 14.0
PARTS = [
    "党建",
    "联盟",
    "2019年7月",
    "（亿元）",
    "5300亿元",
    "、",
    "项目",
    "增长4.1%",
    "的",
    "第75",
]
HAN = "规上工业总产值全社会固定资产投资居民人均可支配收入民营企业注册资本额党建联盟项目完成率"


def adv(ch: str) -> float:
    return SIZE if is_cjk(ch) or ord(ch) >= 0x2000 else SIZE / 2


def measure(ch: str, font: str, size: float) -> float:
    return size if is_cjk(ch) or ord(ch) >= 0x2000 else size / 2


def lines_of(text: str, em: float, **kw: int) -> list[str]:
    return [ln.text for ln in break_cell([Piece(text, "f", SIZE)], em * SIZE, measure, **kw)]


def test_a_header_unit_moves_whole_onto_its_own_line() -> None:
    assert lines_of("出口总额（亿元）", 4.4) == ["出口总额", "（亿元）"]  # not 出口总|额（亿|元）
    assert lines_of("全社会用电量（亿千瓦时）", 6.2) == ["全社会用电量", "（亿千瓦时）"]
    assert lines_of("城镇调查失业率（%）", 10) == ["城镇调查失业率（%）"]  # fits: one line


def test_a_long_label_pulls_characters_down_in_as_many_lines() -> None:
    text = "自主研发创新成果中由党员技术骨干带领的突击队、先锋队完成的比重"
    greedy = fill(measure_cell(text, adv), 6 * SIZE, balanced=False)
    got = lines_of(text, 6)
    assert "".join(got) == text and len(got) == greedy[0]
    assert len(got[-1]) > SHORT_LAST, got
    assert any(ln.endswith("、") for ln in got)  # a phrase boundary is used where it helps


def test_dates_and_numbers_with_their_unit_are_never_split() -> None:
    assert is_figure("2022年上半年") and not is_figure("2019年7月以来")  # 9 characters: a phrase
    got = lines_of("2019年7月以来", 5.5)
    assert got[0].startswith("2019年7月"), got
    assert lines_of("民营企业注册资本总额超5300亿元", 5)[-1].endswith("5300亿元")


def test_pretty_cuts_only_where_greedy_wrapping_leaves_a_short_last_line() -> None:
    cell = measure_cell("全社会固定资产投资", adv)
    assert pretty_cuts(cell, 8 * SIZE) != []  # greedy: 全社会固定资产投|资
    assert pretty_cuts(cell, 9 * SIZE) == []  # one line
    # 规上工业|总产值 is fine as greedy filling leaves it
    assert pretty_cuts(measure_cell("规上工业总产值", adv), 4 * SIZE) == []
    cuts = pretty_cuts(measure_cell("出口总额（亿元）", adv), 6 * SIZE)
    assert cuts == [4]  # before the bracket, which greedy filling would split (出口总额（亿|元）)


def test_short_phrases_stay_whole_when_the_table_can_give_the_width() -> None:
    rows = [["指标", "数值", "时期", "范围"]] + [
        [label, "45", period, "全区"]
        for label, period in [("与省级机关党组织结对共建的吴江重点民营企业党组织", "2019年7月以来"),
                              ("民营企业数量", "报道时"), ("地区生产总值", "2021年")]
    ]  # fmt: skip
    cells = [[measure_cell(t, adv) for t in r] for r in rows]
    widths = column_layout(cells, 4, 26 * SIZE, 8.0, SIZE / 2, header_rows=1)
    assert fill(cells[1][2], widths[2] - 8.0) == (1, 9)  # 2019年7月以来 on one line
    assert widths[0] - 8.0 >= 5 * SIZE  # while the label column keeps five characters a line


def test_a_tighter_padding_is_taken_only_when_it_avoids_a_short_line() -> None:
    rows = [["2019年7月以来", "户籍人口"], ["2021年", "全区"]]
    cells = [[measure_cell(t, adv) for t in r] for r in rows]
    roomy = 6.5 * SIZE + 8 + 4 * SIZE + 8  # both cells whole at the writer's padding
    assert fit_columns(cells, 2, roomy + 40, (8.0, 4.0), SIZE / 2)[1] == 8.0  # room enough
    widths, pad = fit_columns(cells, 2, roomy - 2, (8.0, 4.0), SIZE / 2)
    assert pad == 4.0 and fill(cells[0][0], widths[0] - pad)[0] == 1


@settings(max_examples=150, deadline=None)
@given(
    st.text(alphabet=HAN, min_size=3, max_size=40),
    st.floats(min_value=3.0, max_value=12.0),
)
def test_no_wrapped_han_cell_leaves_one_or_two_characters_alone(text: str, em: float) -> None:
    cell = measure_cell(text, adv)
    greedy = fill(cell, em * SIZE, balanced=False)[0]
    got = lines_of(text, em)
    assert "".join(got) == text
    assert len(got) == greedy  # never more lines than greedy filling
    assert all(len(ln) * SIZE <= em * SIZE + 1e-6 for ln in got)
    if len(got) > 1:
        assert all(len(ln) > 1 for ln in got), got  # no character alone on a line
        if len(text) > 4:  # 上上|上上: four characters in two lines can do no better
            assert len(got[-1]) > SHORT_LAST, got


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.sampled_from(PARTS),
        min_size=2,
        max_size=12,
    ),
    st.floats(min_value=5.0, max_value=10.0),
)
def test_pretty_breaks_fall_only_where_a_line_may_break(parts: list[str], em: float) -> None:
    text = "".join(parts)
    plan = plan_lines(measure_cell(text, adv), em * SIZE)
    got = lines_of(text, em)
    assert "".join(got) == text
    if plan is not None:  # every cluster fits: breaks only at allowed places, none inside a number
        klass = boundary_classes(text)
        pos = 0
        for ln in got[:-1]:
            pos += len(ln)
            assert klass[pos] == ALLOW, (got, pos)
