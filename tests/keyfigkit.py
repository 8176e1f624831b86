"""Helpers for key-figure tests: a render context per theme, the example CSV read independently, a work copy."""

from __future__ import annotations

import csv
import shutil
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from briefgen.fonts.book import FontBook
from briefgen.model.theme import load_theme
from briefgen.writers.context import RenderContext

REPO = Path(__file__).resolve().parents[1]
CSV = REPO / "data" / "illustrative-monthly.csv"
_BOOKS: dict[str, FontBook] = {}


def context(theme_name: str = "gongwen") -> RenderContext:
    theme = load_theme(theme_name)
    if theme_name not in _BOOKS:
        _BOOKS[theme_name] = FontBook(theme)
    return RenderContext(theme=theme, fonts=_BOOKS[theme_name], timestamp=datetime(2026, 11, 5))


def csv_values() -> dict[tuple[str, str], Decimal]:
    """(indicator, YYYY-MM) → value, read straight from the example CSV (independent of briefgen)."""
    lines = [ln for ln in CSV.read_text(encoding="utf-8").splitlines() if not ln.startswith("#")]
    return {(r["indicator"], r["period"]): Decimal(r["value"]) for r in csv.DictReader(lines)}


def pct(now: Decimal, before: Decimal) -> Decimal:
    return ((now - before) / before * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def monthly_copy(tmp_path: Path) -> Path:
    """A copy of the monthly example (brief, pack, data) that tests may edit."""
    for sub in ("briefs", "sources", "data"):
        (tmp_path / sub).mkdir()
    shutil.copy(REPO / "briefs" / "monthly-report.yaml", tmp_path / "briefs")
    shutil.copy(REPO / "sources" / "illustrative-monthly.yaml", tmp_path / "sources")
    shutil.copy(CSV, tmp_path / "data")
    return tmp_path / "briefs" / "monthly-report.yaml"
