"""Tests for period parsing and arithmetic."""

from __future__ import annotations

from datetime import date

import pytest

from briefgen.model.periods import Period, parse_period


def test_absolute_forms() -> None:
    assert str(parse_period("2026-10")) == "2026-10"
    assert str(parse_period("2026-q3")) == "2026-Q3"
    assert str(parse_period("2026")) == "2026"


def test_relative_forms() -> None:
    today = date(2026, 1, 15)
    assert str(parse_period("last-month", today)) == "2025-12"
    assert str(parse_period("this-quarter", today)) == "2026-Q1"
    assert str(parse_period("last-quarter", today)) == "2025-Q4"


def test_shift_and_chinese() -> None:
    p = Period(2026, "M", 1)
    assert str(p.shift(-1)) == "2025-12" and str(p.year_ago()) == "2025-01"
    assert p.chinese == "2026年1月"
    assert Period(2026, "Q", 3).chinese == "2026年第三季度"


def test_a_period_in_another_kind_is_the_last_one_within_or_around_it() -> None:
    """A yearly brief's quarterly series ends at its Q4 (helper set E: it ended a year early, at
    2022-Q4 for 2023, and dropped the 2023 rows without a word)."""
    year = Period(2023, "Y", 0)
    assert str(year.as_kind("Q")) == "2023-Q4" and str(year.as_kind("M")) == "2023-12"
    assert str(Period(2023, "Q", 2).as_kind("M")) == "2023-06" and str(Period(2023, "M", 5).as_kind("Q")) == "2023-Q2"
    assert Period(2023, "M", 5).as_kind("Y") == year and year.as_kind("Y") == year


@pytest.mark.parametrize("bad", ["2026-13", "26-10", "next-month", ""])
def test_bad_periods(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_period(bad)
