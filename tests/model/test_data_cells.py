"""Cell values and period headers: numbers as the sheet shows them, text numbers, missing marks, month/quarter/cumulative headers."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from briefgen.model.data.cells import CellError, cell_number, cell_period, header_period
from briefgen.model.periods import Period


@pytest.mark.parametrize(("value", "fmt", "expected"), [
    (196.2, "0.0", ("196.2", False)),
    (242, "0.0", ("242.0", False)),  # 242.0 comes back from the file as 242
    (0.1 + 0.2, "General", ("0.3", False)),  # float noise beyond 15 digits dropped
    (0.053, "0.0%", ("5.3", True)),
    (0.0534, "0.00%", ("5.34", True)),
    (5.3, '0.0"%"', ("5.3", False)),  # a quoted % is only text after the number
    (1234.5678, "#,##0", ("1235", False)),
    ("12.3%", "General", ("12.3", True)),
    ("1,234.5", "@", ("1234.5", False)),
    ("−3.5％", "General", ("-3.5", True)),
    (Decimal("7.10"), "General", ("7.10", False)),
])
def test_numbers(value: object, fmt: str, expected: tuple[str, bool]) -> None:
    number, percent = cell_number(value, fmt)
    assert (str(number), percent) == expected


@pytest.mark.parametrize("value", [None, "", " ", "—", "——", "…", "……", "-", "－", "/"])
def test_missing_marks_are_not_zero(value: object) -> None:
    assert cell_number(value) == (None, False)


@pytest.mark.parametrize(("value", "shown"), [("约6", '"约6"'), ("1.2.3", '"1.2.3"'), ("n/a", '"n/a"'),
                                              (True, "TRUE"), ("%", '"%"'), ("1,23", '"1,23"')])
def test_text_that_is_no_number(value: object, shown: str) -> None:
    with pytest.raises(CellError, match=f"expected a number, got {shown}"):
        cell_number(value)


@pytest.mark.parametrize(("parts", "period", "cumulative"), [
    (["2025年", "3月"], Period(2025, "M", 3), False),
    ([2025, 3], Period(2025, "M", 3), False),
    (["2025年", "三月"], Period(2025, "M", 3), False),
    (["2025年3月"], Period(2025, "M", 3), False),
    (["2025-03"], Period(2025, "M", 3), False),
    (["2025.3"], Period(2025, "M", 3), False),
    ([dt.datetime(2025, 3, 1)], Period(2025, "M", 3), False),
    (["2026年", "1-9月"], Period(2026, "M", 9), True),
    (["2026年1—9月累计"], Period(2026, "M", 9), True),
    (["2026年", "1~2月"], Period(2026, "M", 2), True),
    (["2026年", "一季度"], Period(2026, "Q", 1), False),
    (["2026-Q3"], Period(2026, "Q", 3), False),
    (["2025年", "全年"], Period(2025, "Y", 0), False),
    (["2025年全年"], Period(2025, "Y", 0), False),
])
def test_headers(parts: list[object], period: Period, cumulative: bool) -> None:
    h = header_period(parts)
    assert h is not None and (h.period, h.cumulative) == (period, cumulative)


@pytest.mark.parametrize("parts", [["指标"], ["单位"], ["2025年", "备注"], ["3月"], ["2025年", "13月"], [None]])
def test_headers_that_name_no_period(parts: list[object]) -> None:
    assert header_period(parts) is None


def test_period_cells() -> None:
    assert cell_period("2026年10月") == Period(2026, "M", 10)
    assert cell_period(dt.date(2026, 10, 1)) == Period(2026, "M", 10)
    assert cell_period(2026) == Period(2026, "Y", 0)
    with pytest.raises(CellError, match="expected a period"):
        cell_period("1-9月")


@given(st.decimals(min_value=-10**9, max_value=10**9, places=3, allow_nan=False, allow_infinity=False))
def test_text_numbers_round_trip(d: Decimal) -> None:
    plain = f"{d:f}"
    grouped = f"{d:,f}"
    assert cell_number(plain) == (d, False)
    assert cell_number(grouped) == (d, False)
    assert cell_number(f"{grouped}%") == (d, True)


@given(st.integers(min_value=0, max_value=10**6), st.integers(min_value=0, max_value=3))
def test_percent_cells_as_shown(n: int, places: int) -> None:
    shown = Decimal(n).scaleb(-places)  # what the sheet shows, e.g. 5.3 for "5.3%"
    fmt = "0%" if places == 0 else "0." + "0" * places + "%"
    assert cell_number(float(shown / 100), fmt) == (shown, True)
