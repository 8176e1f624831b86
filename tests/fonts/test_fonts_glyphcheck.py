"""fonts.glyphcheck: characters no PDF font has become warnings at the first input line holding them
(or an error with strict); the bundled fonts only."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import BriefError
from briefgen.fonts.book import FontBook
from briefgen.fonts.glyphcheck import missing_glyphs
from briefgen.model.theme import Theme

RARE = "\U0002a6a5"  # 𪚥: in no bundled font


@pytest.fixture(scope="module")
def book(gongwen: Theme, font_cache: Path) -> FontBook:
    return FontBook(gongwen, system_fonts=False, cache_dir=font_cache)


def test_covered_text_gives_nothing(book: FontBook, tmp_path: Path) -> None:
    assert missing_glyphs("示例县2024年", book, "fangsong", file=str(tmp_path / "b.yaml")) == []


def test_missing_character_located_in_an_input(book: FontBook, tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text("title: 标题\n", encoding="utf-8")
    pack = tmp_path / "pack.yaml"
    pack.write_text("a: 1\nb: 人名" + RARE + "\u200d\n", encoding="utf-8")
    got = missing_glyphs("人名" + RARE + "\u200d", book, "fangsong", file=str(brief), inputs=[pack])
    assert got == [f"{pack}:2: U+2A6A5 {RARE} not in any PDF font; drawn as 〓"]


def test_unlocated_character_names_the_brief(book: FontBook, tmp_path: Path) -> None:
    brief = tmp_path / "brief.yaml"
    brief.write_text("title: 标题\n", encoding="utf-8")
    assert missing_glyphs(RARE, book, "heiti", file=str(brief)) == [
        f"{brief}: U+2A6A5 {RARE} not in any PDF font; drawn as 〓"]


def test_strict_is_an_error(book: FontBook, tmp_path: Path) -> None:
    with pytest.raises(BriefError, match="no font has a glyph for U[+]2A6A5") as e:
        missing_glyphs(RARE, book, "fangsong", file=str(tmp_path / "b.yaml"), strict=True)
    assert e.value.exit_code == 3
