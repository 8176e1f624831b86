"""Unit tests of model.dates: the GB/T 9704 written date."""

from __future__ import annotations

from datetime import date

from briefgen.model.dates import chinese_date


def test_chinese_date_has_no_leading_zeros() -> None:
    assert chinese_date(date(2022, 9, 3)) == "2022年9月3日"
    assert chinese_date(date(2024, 12, 31)) == "2024年12月31日"
    assert chinese_date(None) == ""
