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


@pytest.mark.parametrize("bad", ["2026-13", "26-10", "next-month", ""])
def test_bad_periods(bad: str) -> None:
    with pytest.raises(ValueError):
        parse_period(bad)
