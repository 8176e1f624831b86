"""Turn period expressions (2026-10, 2026-Q3, 2026, last-month, this-quarter) into canonical periods."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from briefgen.i18n import _

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_QUARTER = re.compile(r"^(\d{4})-Q([1-4])$", re.IGNORECASE)
_YEAR = re.compile(r"^(\d{4})$")
RELATIVE = ("this-month", "last-month", "this-quarter", "last-quarter", "this-year", "last-year")


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month, quarter or year."""

    year: int
    kind: str  # "M", "Q" or "Y"
    index: int  # month 1–12, quarter 1–4, or 0 for a year

    def __str__(self) -> str:
        if self.kind == "M":
            return f"{self.year}-{self.index:02d}"
        if self.kind == "Q":
            return f"{self.year}-Q{self.index}"
        return str(self.year)

    @property
    def chinese(self) -> str:
        """2026年10月 / 2026年第三季度 / 2026年."""
        if self.kind == "M":
            return f"{self.year}年{self.index}月"
        if self.kind == "Q":
            return f"{self.year}年第{'一二三四'[self.index - 1]}季度"
        return f"{self.year}年"

    def shift(self, n: int) -> Period:
        """The period ``n`` steps later (negative = earlier) of the same kind."""
        if self.kind == "Y":
            return Period(self.year + n, "Y", 0)
        size = 12 if self.kind == "M" else 4
        k = self.year * size + (self.index - 1) + n
        return Period(k // size, self.kind, k % size + 1)

    def as_kind(self, kind: str) -> Period:
        """The last period of ``kind`` within this one or containing it: 2023 as quarters is
        2023-Q4, as months 2023-12; 2023-Q2 as months 2023-06; 2023-05 as a quarter 2023-Q2."""
        if kind == self.kind:
            return self
        if kind == "Y":
            return Period(self.year, "Y", 0)
        if self.kind == "Y":
            return Period(self.year, kind, 12 if kind == "M" else 4)
        if kind == "M":  # from a quarter
            return Period(self.year, "M", self.index * 3)
        return Period(self.year, "Q", (self.index - 1) // 3 + 1)  # from a month

    def year_ago(self) -> Period:
        return Period(self.year - 1, self.kind, self.index)


def parse_period(text: str, today: date | None = None) -> Period:
    """Parse an absolute or relative period; raises ValueError with the accepted forms."""
    t = text.strip()
    today = today or date.today()
    if m := _MONTH.match(t):
        return Period(int(m.group(1)), "M", int(m.group(2)))
    if m := _QUARTER.match(t):
        return Period(int(m.group(1)), "Q", int(m.group(2)))
    if m := _YEAR.match(t):
        return Period(int(m.group(1)), "Y", 0)
    this_month = Period(today.year, "M", today.month)
    this_quarter = Period(today.year, "Q", (today.month - 1) // 3 + 1)
    rel = {
        "this-month": this_month,
        "last-month": this_month.shift(-1),
        "this-quarter": this_quarter,
        "last-quarter": this_quarter.shift(-1),
        "this-year": Period(today.year, "Y", 0),
        "last-year": Period(today.year - 1, "Y", 0),
    }
    if t.lower() in rel:
        return rel[t.lower()]
    raise ValueError(
        _("unknown period {text!r}: use YYYY-MM, YYYY-Qn, YYYY or one of {relative}").format(
            text=text, relative=", ".join(RELATIVE))
    )
