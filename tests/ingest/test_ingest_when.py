"""Periods of ``briefgen.ingest.when``: period words into canonical periods against a reference
date, comparison bases told apart, and the reference date and context period (invented text)."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.ingest.when import (
    PERIOD_RE,
    carries,
    context_period,
    find_periods,
    is_base,
    reference_date,
    resolve_match,
    resolve_period,
)

REF = dt.date(2024, 9, 20)


@pytest.mark.parametrize(("text", "with_ref", "without_ref"), [
    ("2024年前三季度，全县", "2024年前三季度", "2024年前三季度"),
    ("今年上半年，全县", "2024年上半年", "今年上半年"),
    ("1-8月，全县", "2024年1-8月", "1-8月"),
    ("截至9月14日，全县", "2024年9月14日", "9月14日"),
    ("8月末，贷款余额", "2024年8月末", "8月末"),
    ("去年全年，全县", "2023年", "去年"),
    ("2023年度，全县", "2023年", "2023年"),
    ("过去五年，全县", "2019-2023年", "过去五年"),
    ("“十四五”以来，全县", "“十四五”以来", "“十四五”以来"),
])
def test_period_words_resolve_to_canonical_periods(text: str, with_ref: str, without_ref: str) -> None:
    m = find_periods(text)[0]
    assert resolve_match(m, REF) == with_ref
    assert resolve_match(m, None) == without_ref


@pytest.mark.parametrize("text", ["比上年增长5%", "与2020年相比提高3个百分点", "较1-7月提高0.5个百分点"])
def test_comparison_bases_are_no_periods(text: str) -> None:
    m = next(PERIOD_RE.finditer(text))
    assert is_base(text, m)
    assert find_periods(text) == []


def test_a_cut_off_date_is_never_a_base() -> None:
    text = "较截至6月14日增加120户"
    assert [m.group(0) for m in find_periods(text)] == ["截至6月14日"]
    assert resolve_period(text, REF) == "2024年6月14日"


def test_a_running_period_is_given_a_year_only_once_it_has_ended() -> None:
    m = find_periods("1-8月全县")[0]
    assert resolve_match(m, dt.date(2024, 8, 10)) == "1-8月"  # August not over yet: year unknown
    assert resolve_match(m, dt.date(2024, 9, 1)) == "2024年1-8月"


def test_a_heading_year_decides_a_bare_全年() -> None:
    m = find_periods("全年完成投资")[0]
    assert resolve_match(m, None, year="2024") == "2024年"
    assert resolve_match(m, None) == "全年"


def test_one_month_asides_do_not_carry() -> None:
    assert not carries(find_periods("8月当月，全县")[0])
    assert carries(find_periods("8月末，全县")[0])


def test_the_first_own_period_of_a_text() -> None:
    assert resolve_period("比上年增长5%，今年上半年全县新增就业", REF) == "2024年上半年"
    assert resolve_period("全县新建道路12公里", REF) == ""


def test_reference_date_and_context_period() -> None:
    assert reference_date(REF, "示例县2023年统计公报") == REF
    assert reference_date(None, "示例县2023年统计公报") == dt.date(2023, 12, 31)
    assert reference_date(None, "示例县经济运行情况") is None
    assert context_period("2024年工作回顾", None) == "2024年"
