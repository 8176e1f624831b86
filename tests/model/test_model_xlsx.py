"""model.data.xlsx: long and wide worksheets made with openpyxl read into data points with their cells;
column letters, indicator matching and non-.xlsx files checked directly."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from briefgen.errors import BriefError
from briefgen.model.data.specs import WorkbookSource
from briefgen.model.data.xlsx import (
    column_index,
    column_letter,
    load_workbook,
    match_indicator,
    read_workbook_bytes,
    sheet_period,
)

NAMES = {"output": "output", "规上工业总产值": "output", "用电量": "power", "power": "power"}


def _save(path: Path, rows: list[list[object]], title: str = "Sheet") -> Path:
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    ws.title = title
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def test_column_letters_round_trip() -> None:
    assert [column_index(x) for x in ("A", "z", "AB", "XFD")] == [1, 26, 28, 16384]
    assert all(column_letter(column_index(x)) == x for x in ("A", "Z", "AA", "AZ", "XFD"))


def test_match_indicator_ignores_prefix_and_unit_suffix() -> None:
    assert match_indicator("规上工业总产值", NAMES.get) == "output"
    assert match_indicator("  其中：用电量（亿千瓦时）", NAMES.get) == "power"
    assert match_indicator("", NAMES.get) is None and match_indicator("人口", NAMES.get) is None


def test_sheet_period_from_title() -> None:
    assert str(sheet_period("2025年3月")) == "2025-03"
    assert sheet_period("汇总") is None


def test_long_layout(tmp_path: Path) -> None:
    p = _save(tmp_path / "d.xlsx", [["indicator", "period", "value", "unit"],
                                    ["规上工业总产值", "2025-03", 218.5, "亿元"],
                                    ["power", "2025-03", 12, "亿千瓦时"]])
    points, found, digest = load_workbook(p, WorkbookSource.model_validate({"file": "d.xlsx"}), NAMES.get)
    got = {(pt.indicator, str(pt.period)): pt for pt in points}
    assert set(got) == {("output", "2025-03"), ("power", "2025-03")}
    assert got["output", "2025-03"].value == Decimal("218.5") and got["output", "2025-03"].unit == "亿元"
    assert got["power", "2025-03"].cell.endswith("C3")
    assert found == {"output", "power"} and len(digest) == 64


def test_wide_layout_two_header_rows(tmp_path: Path) -> None:
    p = _save(tmp_path / "w.xlsx", [["指标", "2025年", None], [None, "2月", "3月"],
                                    ["规上工业总产值", 200, 218.5]])
    spec = WorkbookSource.model_validate({"file": "w.xlsx", "layout": "wide", "header_rows": [1, 2]})
    points, _, _ = load_workbook(p, spec, NAMES.get)
    assert {str(pt.period): pt.value for pt in points} == {"2025-02": Decimal("200"), "2025-03": Decimal("218.5")}


def test_missing_column_is_a_located_error(tmp_path: Path) -> None:
    p = _save(tmp_path / "d.xlsx", [["indicator", "period"], ["output", "2025-03"]])
    with pytest.raises(BriefError) as e:
        load_workbook(p, WorkbookSource.model_validate({"file": "d.xlsx"}), NAMES.get)
    assert "value" in str(e.value)


def test_xls_and_non_zip_refused(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0")
    with pytest.raises(BriefError, match="97-2003"):
        read_workbook_bytes(tmp_path / "old.xls")
    (tmp_path / "bad.xlsx").write_text("a,b\n", encoding="utf-8")
    with pytest.raises(BriefError, match="not a readable .xlsx"):
        read_workbook_bytes(tmp_path / "bad.xlsx")
