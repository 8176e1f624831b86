"""Turn dates into the GB/T 9704 written form (2022年9月23日: full year, no leading zeros)."""

from __future__ import annotations

from datetime import date


def chinese_date(d: date | None) -> str:
    """``date(2022, 9, 23)`` → ``2022年9月23日``; ``None`` → empty."""
    return f"{d.year}年{d.month}月{d.day}日" if d else ""
