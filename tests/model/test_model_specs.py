"""model.data.specs: workbook source entries validated (sheet positions, header rows, cumulative pattern)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from briefgen.model.data.specs import ALL_SHEETS, SHEET_PERIOD, WorkbookSource, is_column_letter


def test_defaults_and_sheet_position_text() -> None:
    w = WorkbookSource.model_validate({"file": "a.xlsx", "sheet": "2"})
    assert w.sheet == 2
    assert (w.layout, w.header_rows, w.last_row) == ("long", [1], None)
    assert WorkbookSource.model_validate({"file": "a.xlsx", "sheet": ALL_SHEETS}).sheet == "*"


def test_header_rows_must_increase() -> None:
    with pytest.raises(ValidationError, match="increasing order"):
        WorkbookSource.model_validate({"file": "a.xlsx", "header_rows": [2, 1]})
    with pytest.raises(ValidationError, match="increasing order"):
        WorkbookSource.model_validate({"file": "a.xlsx", "header_rows": [0]})
    assert WorkbookSource.model_validate({"file": "a.xlsx", "header_rows": [1, 2]}).header_rows == [1, 2]


def test_period_by_sheet_only_in_long_layout() -> None:
    ok = WorkbookSource.model_validate({"file": "a.xlsx", "period": SHEET_PERIOD})
    assert ok.period == "sheet"
    with pytest.raises(ValidationError, match="long layout"):
        WorkbookSource.model_validate({"file": "a.xlsx", "period": SHEET_PERIOD, "layout": "wide"})


def test_cumulative_needs_id_and_unknown_keys_refused() -> None:
    with pytest.raises(ValidationError, match=r"\{id\}"):
        WorkbookSource.model_validate({"file": "a.xlsx", "layout": "wide", "cumulative": "ytd"})
    assert WorkbookSource.model_validate({"file": "a.xlsx", "cumulative": "{id}_ytd"}).cumulative == "{id}_ytd"
    with pytest.raises(ValidationError, match="sheeet"):
        WorkbookSource.model_validate({"file": "a.xlsx", "sheeet": 1})


def test_column_letters() -> None:
    assert is_column_letter("A") and is_column_letter(" ab ") and is_column_letter("XFD")
    assert not is_column_letter("指标") and not is_column_letter("A1") and not is_column_letter("ABCD")
