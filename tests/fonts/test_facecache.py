"""The cross-process font cache: a cached face behaves exactly like a freshly parsed one."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from fonthelpers_bg import build_tiny_font
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas

from briefgen.fonts import facecache


def _state(font: TTFont) -> dict[str, object]:
    """The face's parsed state; per-glyph sequences (arrays in the cache) compared as lists."""
    skip = {"_ttf_data", "_pos", "_pdfScale", "glyphToChar", "_g2c"}
    return {k: list(v) if k in ("glyphPos", "hmetrics") else v
            for k, v in vars(font.face).items() if k not in skip}


def _pdf(font: TTFont, text: str) -> bytes:
    pdfmetrics.registerFont(font)
    buf = io.BytesIO()
    c = Canvas(buf, invariant=1)
    c.setFont(font.fontName, 12)
    c.drawString(72, 720, text)
    c.save()
    return buf.getvalue().replace(font.fontName.encode(), b"F")


@pytest.mark.parametrize("upem", [1000, 2048])  # int widths / float widths in ReportLab
def test_cached_face_equals_parsed_face(tmp_path: Path, upem: int) -> None:
    font_path = build_tiny_font(tmp_path / "tiny.ttf", advance=1229, upem=upem)
    cache = tmp_path / "cache"
    first = facecache.load_ttfont(cache, "BG-cache-a", font_path, 0)  # parses and stores
    assert list((cache / "faces").glob("*.rlface"))
    second = facecache.load_ttfont(cache, "BG-cache-b", font_path, 0)  # from the cache
    assert type(second.face) is not type(first.face)
    assert _state(second) == _state(first)
    for key, value in _state(first).items():  # ints stay ints, floats stay floats
        if isinstance(value, dict):
            assert [type(v) for v in value.values()] == [type(v) for v in _state(second)[key].values()]  # type: ignore[union-attr]
    assert set(vars(second)) == set(vars(first))
    assert second._asciiReadable == first._asciiReadable and second.shapable == first.shapable
    assert second.face._pdfScale(500) == first.face._pdfScale(500)
    assert second.stringWidth("AB1.", 10) == first.stringWidth("AB1.", 10)
    assert _pdf(second, "Hello 42%") == _pdf(first, "Hello 42%")
    assert second.face.hmetrics[3] == first.face.hmetrics[3] and len(second.face.hmetrics) == len(first.face.hmetrics)
    assert bytes(second.face._ttf_data[:4]) == first.face._ttf_data[:4]


def test_changed_or_corrupt_file_is_parsed_again(tmp_path: Path) -> None:
    font_path = build_tiny_font(tmp_path / "tiny.ttf", advance=600)
    cache = tmp_path / "cache"
    facecache.load_ttfont(cache, "BG-c1", font_path, 0)
    entry = next((cache / "faces").glob("*.rlface"))
    entry.write_bytes(entry.read_bytes()[:-10])  # truncated: CRC fails
    font = facecache.load_ttfont(cache, "BG-c2", font_path, 0)
    assert font.face.charWidths[ord("A")] == 600
    build_tiny_font(font_path, advance=700)  # same path, new content
    os.utime(font_path, ns=(1, 1))
    font = facecache.load_ttfont(cache, "BG-c3", font_path, 0)
    assert font.face.charWidths[ord("A")] == 700


def test_coverage_round_trip_and_no_cache_dir(tmp_path: Path) -> None:
    font_path = build_tiny_font(tmp_path / "tiny.ttf")
    codes = frozenset({0x20, 0x41, 0x4E00, 0x1F600})
    assert facecache.load_coverage(tmp_path, font_path, 0) is None
    facecache.save_coverage(tmp_path, font_path, 0, codes)
    assert facecache.load_coverage(tmp_path, font_path, 0) == codes
    assert facecache.load_coverage(None, font_path, 0) is None
    font = facecache.load_ttfont(None, "BG-nocache", font_path, 0)  # plain ReportLab parse
    assert type(font.face).__name__ == "TTFontFace"


def test_unwritable_cache_is_not_an_error(tmp_path: Path) -> None:
    font_path = build_tiny_font(tmp_path / "tiny.ttf")
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    font = facecache.load_ttfont(blocker, "BG-blocked", font_path, 0)
    assert font.face.charWidths[ord("A")] == 600
    facecache.save_coverage(blocker, font_path, 0, frozenset({1}))


def test_blank_glyphs_without_reportlab(tmp_path: Path) -> None:
    from briefgen.fonts.coverage import blank_codes as _blank_codes

    font_path = build_tiny_font(tmp_path / "tiny.ttf")  # every glyph but the space has an outline
    assert _blank_codes(font_path, 0, tmp_path / "cache") == frozenset({0x20})
    assert facecache.load_codes(tmp_path / "cache", font_path, 0, "blank") == frozenset({0x20})
    cff = build_tiny_font(tmp_path / "tiny.otf", cff=True)
    assert _blank_codes(cff, 0, tmp_path / "cache") is None  # CFF: ReportLab decides after conversion


def test_cff_blank_answers_are_kept_per_font_file(tmp_path: Path) -> None:
    from briefgen.fonts import coverage

    cff = build_tiny_font(tmp_path / "tiny.otf", cff=True)  # the space has no outline
    cache = tmp_path / "cache"
    assert coverage.cff_blank(cff, 0, 0x20, cache) is True
    assert coverage.cff_blank(cff, 0, ord("A"), cache) is False
    stored = facecache.load_codes(cache, cff, 0, "cffink")
    assert stored == frozenset({0x20 | 1 << 31, ord("A")})
    coverage._CFF_KNOWN.clear()  # a later process: answers come from the cache, not the font
    coverage._CFF_FONTS.clear()
    assert coverage.cff_blank(cff, 0, 0x20, cache) is True
    assert coverage.cff_blank(cff, 0, ord("A"), cache) is False
    assert not coverage._CFF_FONTS
