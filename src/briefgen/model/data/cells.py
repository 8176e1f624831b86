"""Turn spreadsheet and database cell values (numbers, "12.3%", "1,234.5", "—", dates, "2026年3月") into Decimals and Periods."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation

from briefgen.i18n import _
from briefgen.model.periods import Period

# Cells that mean "no value for this period" (never zero): blank, dashes, ellipses, slashes.
MISSING = frozenset({"", "-", "--", "—", "——", "–", "－", "…", "……", "...", "/", "／"})

_NUMBER = re.compile(r"^[+\-−]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?$")
_DECIMALS = re.compile(r"0\.(0+)")
_LITERALS = re.compile(r'"[^"]*"|\\.')  # quoted text and backslash-escaped characters in a format
_CN_MONTHS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "十": 10, "十一": 11, "十二": 12}
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}


class CellError(ValueError):
    """A cell that holds something other than a number, a period or a missing-value mark."""


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, str) and value.strip() in MISSING)


def format_decimals(number_format: str) -> int | None:
    """Decimals a fixed number format shows (``0.0%`` → 1, ``#,##0`` → 0); None for General."""
    fmt = (number_format or "").split(";")[0]
    if not fmt or fmt.lower() == "general" or "0" not in fmt:
        return None
    m = _DECIMALS.search(fmt)
    return len(m.group(1)) if m else 0


def decimal_from_float(value: float, shown: int | None) -> Decimal:
    """A float as the sheet shows it: fixed decimals when the format has them, else 15 digits."""
    d = Decimal(repr(value))
    if shown is not None:
        return d.quantize(Decimal(1).scaleb(-shown))
    return Decimal(f"{value:.15g}") if len(d.as_tuple().digits) > 15 else d


def cell_number(value: object, number_format: str = "General") -> tuple[Decimal | None, bool]:
    """``(number, is_percent)`` of a cell; ``(None, False)`` for a missing value.

    Percent-formatted numbers (0.053 shown as ``5.3%``) and text such as ``"12.3%"`` give the
    percentage (5.3, 12.3); text ``"1,234.5"`` gives 1234.5. Anything else raises CellError.
    """
    if is_missing(value):
        return None, False
    if isinstance(value, bool):
        raise CellError(_("expected a number, got {value}").format(value=str(value).upper()))
    if isinstance(value, int | float):
        if isinstance(value, float) and value != value:  # NaN
            raise CellError(_("expected a number, got {value}").format(value="NaN"))
        percent = "%" in _LITERALS.sub("", number_format or "")  # 0.0"%" shows the number as is
        shown = format_decimals(number_format)
        if percent:
            d = Decimal(repr(value)) * 100 if isinstance(value, float) else Decimal(value) * 100
            d = d.quantize(Decimal(1).scaleb(-shown)) if shown is not None else d.normalize()
            return d, True
        if isinstance(value, int):  # 242.0 is stored (and read back) as 242
            d = Decimal(value)
            return (d.quantize(Decimal(1).scaleb(-shown)) if shown else d), False
        return decimal_from_float(value, shown), False
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise CellError(_("expected a number, got {value}").format(value=value))
        return value, False
    if isinstance(value, str):
        return text_number(value)
    raise CellError(_("expected a number, got {value}").format(value=shown_value(value)))


def text_number(text: str) -> tuple[Decimal | None, bool]:
    """``"12.3%"`` → (12.3, True); ``"1,234.5"`` → (1234.5, False); ``"—"`` → (None, False)."""
    t = text.strip().replace("\u3000", "").replace(" ", "")
    if t in MISSING:
        return None, False
    percent = t.endswith(("%", "％"))
    core = t[:-1] if percent else t
    core = core.replace("−", "-")
    if not core or not _NUMBER.match(core) or core in {"+", "-"}:
        raise CellError(_("expected a number, got {value}").format(value=shown_value(text)))
    try:
        return Decimal(core.replace(",", "")), percent
    except InvalidOperation:
        raise CellError(_("expected a number, got {value}").format(value=shown_value(text))) from None


def shown_value(value: object) -> str:
    """A cell value quoted for a message (text shortened)."""
    if isinstance(value, str):
        t = value if len(value) <= 40 else value[:39] + "…"
        return f'"{t}"'
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return repr(value)


# ---------------------------------------------------------------- period headers

_FULL = re.compile(r"^(\d{4})\s*[-./年]\s*(\d{1,2})\s*月?$")
_YEAR = re.compile(r"^(\d{4})\s*年?(全年|合计|年度)?$")
_MONTH = re.compile(r"^(\d{1,2}|[一二三四五六七八九十]{1,2})\s*月(份)?$")
_CUMULATIVE = re.compile(r"^(?:(\d{4})\s*年)?\s*1\s*[-－—–~～至]\s*(\d{1,2})\s*月(?:累计)?$")
_QUARTER = re.compile(r"^(?:(\d{4})\s*年?\s*)?(?:第?([一二三四1-4])季度|Q([1-4]))$", re.IGNORECASE)
_ISO = re.compile(r"^(\d{4})-(0[1-9]|1[0-2]|Q[1-4])$", re.IGNORECASE)


class Header:
    """What one column header (its cells top to bottom, joined) names."""

    def __init__(self, period: Period | None, cumulative: bool = False) -> None:
        self.period = period
        self.cumulative = cumulative

    def __repr__(self) -> str:
        return f"Header({self.period}, cumulative={self.cumulative})"


def header_period(parts: list[object]) -> Header | None:
    """The period a column's header cells name: ``["2025年", "3月"]``, ``"2025年3月"``, ``"2025-03"``,
    a date cell, ``"1-9月"`` (cumulative January–September), ``"一季度"``, ``"2025年全年"``.
    None when the header names no period (a label column, a note)."""
    year: int | None = None
    texts: list[str] = []
    for p in parts:
        if isinstance(p, dt.datetime | dt.date):
            return Header(Period(p.year, "M", p.month))
        if isinstance(p, int | float) and not isinstance(p, bool) and 1900 <= p <= 2200 and p == int(p):
            texts.append(f"{int(p)}年")
        elif isinstance(p, int) and not isinstance(p, bool) and 1 <= p <= 12:
            texts.append(f"{p}月")  # a month written as a bare number under its year
        elif p is not None and str(p).strip():
            texts.append(str(p).strip().replace("\u3000", "").replace(" ", ""))
    rest: list[str] = []
    for t in texts:
        if m := _YEAR.match(t):
            year = int(m.group(1))
            if m.group(2):
                return Header(Period(year, "Y", 0))
            continue
        rest.append(t)
    if not rest:
        return Header(Period(year, "Y", 0)) if year is not None and len(texts) == 1 else None
    t = "".join(rest)
    if m := _ISO.match(t):
        y, part = int(m.group(1)), m.group(2).upper()
        return Header(Period(y, "Q", int(part[1])) if part.startswith("Q") else Period(y, "M", int(part)))
    if m := _FULL.match(t):
        mon = int(m.group(2))
        return Header(Period(int(m.group(1)), "M", mon)) if 1 <= mon <= 12 else None
    if t in ("全年", "合计", "年度") and year is not None:
        return Header(Period(year, "Y", 0))
    if (m := _CUMULATIVE.match(t)) and (m.group(1) or year is not None):
        mon = int(m.group(2))
        if 1 <= mon <= 12:
            return Header(Period(int(m.group(1) or year or 0), "M", mon), cumulative=True)
    if (m := _MONTH.match(t)) and year is not None:
        g = m.group(1)
        mon = int(g) if g.isdigit() else _CN_MONTHS.get(g, 0)
        return Header(Period(year, "M", mon)) if 1 <= mon <= 12 else None
    if (m := _QUARTER.match(t)) and (m.group(1) or year is not None):
        q = _QUARTERS[(m.group(2) or m.group(3)).upper()]
        return Header(Period(int(m.group(1) or year or 0), "Q", q))
    return None


def cell_period(value: object) -> Period:
    """The period in a long-layout period cell (``2026-10``, ``2026年10月``, a date); CellError otherwise."""
    if isinstance(value, str | dt.datetime | dt.date):
        h = header_period([value])
        if h is not None and h.period is not None and not h.cumulative:
            return h.period
    if isinstance(value, int) and 1900 <= value <= 2200:
        return Period(value, "Y", 0)
    raise CellError(_("expected a period (2026-10, 2026年10月, 2026-Q3, 2026), got {value}").format(value=shown_value(value)))
