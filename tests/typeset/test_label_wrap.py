"""Unit tests of typeset.label_wrap: chart category labels on a few centred lines, broken at phrase boundaries."""

from __future__ import annotations

import pytest

from briefgen.typeset.label_wrap import IN_WORD, break_costs, est_width, wrap_cost, wrap_label

LONG = "限额以上单位通讯器材类商品零售额增速"


def test_estimated_width_counts_full_width_as_one_em() -> None:
    assert est_width("亿元", 10) == 20
    assert est_width("ab", 10) == pytest.approx(11)


def test_a_label_that_fits_stays_on_one_line() -> None:
    assert wrap_label(LONG, est_width(LONG, 10.5), 10.5) == [LONG]


@pytest.mark.parametrize(("avail", "want"), [
    (120, ["限额以上单位通讯器材类", "商品零售额增速"]),
    (80, ["限额以上单位", "通讯器材类", "商品零售额增速"]),
])  # fmt: skip
def test_long_indicator_names_break_between_their_words(avail: float, want: list[str]) -> None:
    assert wrap_label(LONG, avail, 10.5) == want


def test_lines_fit_and_no_character_is_left_alone() -> None:
    for text in (LONG, "全国实物商品网上零售额增速", "规模以上高技术制造业增加值增速", "25至59岁人口调查失业率",
                 "全国服务业生产指数增速", "乡村消费品零售额增速"):
        for avail in (40, 50, 60, 80, 100, 130):
            for size in (10.5, 9.0):
                lines = wrap_label(text, avail, size)
                if lines is None:
                    continue
                assert "".join(lines) == text
                assert all(est_width(ln, size) <= avail + 1e-6 for ln in lines)
                assert len(lines) == 1 or min(len(ln) for ln in lines) >= 2, (text, avail, lines)


def test_numbers_and_brackets_stay_whole_and_dates_may_break_after_the_year() -> None:
    costs = break_costs("25至59岁人口调查失业率")
    assert 1 not in costs and 4 not in costs  # 25 and 59岁 whole
    assert wrap_label("2025年11月", 40, 10.5) == ["2025年", "11月"]
    assert wrap_label("全国固定资产投资（不含农户）增速", 90, 10.5) == ["全国固定资产投资", "（不含农户）增速"]


def test_one_more_line_keeps_a_word_whole() -> None:
    assert wrap_label("地区生产总值增速", 60, 10.5) == ["地区", "生产总值", "增速"]
    cost, lines = wrap_cost("居民消费价格", 45, 10.5) or (99.0, [])
    assert lines == ["居民", "消费价格"] and cost < IN_WORD


def test_none_when_no_three_lines_fit() -> None:
    assert wrap_label(LONG, 40, 9.0) is None
    assert wrap_label(LONG, 40, 9.0, max_lines=6) is not None
