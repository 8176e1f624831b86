"""Turn a source pack's ``data:`` entries for workbooks and databases into validated mappings (which sheet, rows, columns; which URL and query)."""

from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from briefgen.i18n import _

_COLUMN = re.compile(r"^[A-Za-z]{1,3}$")
ALL_SHEETS = "*"  # every sheet whose name is a period (one sheet per month)
SHEET_PERIOD = "sheet"  # long layout: the period is the sheet's name


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class WorkbookSource(_Strict):
    """Where the numbers are in an Excel (.xlsx) workbook: sheet, layout, header rows and columns.

    Columns are letters (``A``) or the header text above them (``指标``). Long layout: one row per
    indicator and period (columns ``indicator``, ``period``, ``value`` and optionally ``unit``).
    Wide layout: one row per indicator, one column per period; ``header_rows`` (top to bottom)
    name each column's period — ``2025年`` over ``3月``, or ``2025年3月`` — and blank (merged)
    header cells, except in the last header row, take the value to their left.
    """

    file: str = Field(description=".xlsx file, relative to the pack file")
    sheet: str | int = Field(1, description="sheet name, its position counted from 1, or * for every "
                             "sheet named for a period (2026年9月: one sheet per month)")
    layout: Literal["long", "wide"] = Field("long", description="long: a row per value; wide: periods across")
    header_rows: list[int] = Field(
        default_factory=lambda: [1], min_length=1, max_length=5,
        description="row numbers of the header (wide: the rows naming the periods, top to bottom)")
    indicator: str = Field("", description="indicator column (letter or header text); "
                           "cells hold the indicator id or label; default: A (wide) or 'indicator'/'指标'")
    period: str = Field("", description="long layout: the period column (default 'period'/'时期'), "
                        "or 'sheet': the sheet's name is the period of all its rows")
    value: str = Field("", description="long layout: the value column; default 'value'/'数值'")
    unit: str = Field("", description="the unit column, if any (checked against the indicator's unit)")
    last_row: int | None = Field(None, ge=1, description="last data row (default: the end of the sheet)")
    cumulative: str = Field(
        "", description="wide layout: cumulative columns such as 1-9月 are skipped unless this names "
        "the indicator they feed, e.g. '{id}_ytd' (the period is the last month they cover)")

    @field_validator("sheet", mode="before")
    @classmethod
    def _position(cls, v: object) -> object:
        # YAML text "2" and the number 2 both mean the second sheet
        return int(v) if isinstance(v, str) and v.strip().isdigit() else v

    @field_validator("header_rows")
    @classmethod
    def _rows(cls, v: list[int]) -> list[int]:
        if any(r < 1 for r in v) or v != sorted(set(v)):
            raise ValueError(_("header rows are row numbers from 1, in increasing order"))
        return v

    @model_validator(mode="after")
    def _period_by_sheet(self) -> WorkbookSource:
        if self.period == SHEET_PERIOD and self.layout != "long":
            raise ValueError(_("period: sheet is for the long layout (a wide sheet names periods in its header)"))
        return self

    @field_validator("cumulative")
    @classmethod
    def _pattern(cls, v: str) -> str:
        if v and "{id}" not in v:
            raise ValueError(_("cumulative must contain {id}, e.g. '{id}_ytd'"))
        return v


def is_column_letter(ref: str) -> bool:
    return bool(_COLUMN.match(ref.strip()))

