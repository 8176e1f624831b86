"""fonts.report: the role reports, ``briefgen fonts`` text and substitution summary of a pip-only FontBook."""

from __future__ import annotations

from pathlib import Path

import pytest
from fonthelpers_bg import build_tiny_font

from briefgen.fonts.book import FontBook
from briefgen.fonts.report import describe, format_report, summary_line
from briefgen.fonts.roles import ROLES
from briefgen.model.theme import FontFiles, Theme


@pytest.fixture(scope="module")
def book(gongwen: Theme, font_cache: Path) -> FontBook:
    return FontBook(gongwen, system_fonts=False, cache_dir=font_cache)


def test_describe_every_role(book: FontBook) -> None:
    reps = {r.role: r for r in describe(book)}
    assert list(reps) == list(ROLES)
    fs = reps["fangsong"]
    assert (fs.role_zh, fs.family, fs.why, fs.needs_conversion) == ("仿宋", "Noto Serif SC", "bundled", True)
    assert "install 仿宋" in fs.substitution
    assert reps["kaiti"].treatment == "oblique" and reps["latin"].why == "same-as"


def test_format_report_and_summary(book: FontBook) -> None:
    text = format_report(book)
    assert text.startswith("# system font discovery: off")
    assert "fangsong 仿宋  (DOCX: 仿宋)" in text and "  PDF font : Noto Sans SC" in text
    assert "# synthetic faces:" in text
    line = summary_line(book)
    assert line.startswith("PDF fonts: 5 role(s) use stand-ins (仿宋 → Noto Serif SC;")


def test_no_summary_when_every_role_is_explicit(gongwen: Theme, font_cache: Path, tmp_path: Path) -> None:
    font = build_tiny_font(tmp_path / "t.ttf", family="Tiny Test")
    files = FontFiles(**{r: str(font) for r in ("fangsong", "heiti", "kaiti", "songti", "xiaobiaosong")})
    book = FontBook(gongwen.model_copy(update={"font_files": files}), system_fonts=False, cache_dir=font_cache)
    assert summary_line(book) == ""
    text = format_report(book)
    assert "why      : explicit (theme.font_files.heiti)" in text and "# synthetic faces" not in text
