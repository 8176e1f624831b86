"""Fixtures for the font tests: a session-wide font cache and a pip-only FontBook."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from fonthelpers_bg import PipOnly

from briefgen.fonts.book import FontBook
from briefgen.model.theme import Theme, load_theme


@pytest.fixture(scope="session")
def gongwen() -> Theme:
    return load_theme("gongwen")


@pytest.fixture(scope="session")
def font_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One cache dir for the whole session, so the bundled fonts are converted once (~15 s each)."""
    return tmp_path_factory.mktemp("font-cache")


@pytest.fixture(scope="session")
def pip_only(gongwen: Theme, font_cache: Path) -> Iterator[PipOnly]:
    """A FontBook that sees no system fonts: everything comes from pylopdf-fonts-zh-cn, converted."""
    messages: list[str] = []
    started = time.monotonic()
    book = FontBook(gongwen, system_fonts=False, cache_dir=font_cache, on_message=messages.append)
    book.pdf_font("fangsong")  # converts Noto Serif SC
    book.pdf_font("heiti")  # converts Noto Sans SC
    yield PipOnly(book, messages, time.monotonic() - started)
