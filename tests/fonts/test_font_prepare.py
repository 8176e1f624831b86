"""CFF → TrueType conversion: geometry kept, metrics kept, atomic cache, ReportLab loads the result."""

from __future__ import annotations

from pathlib import Path

from fonthelpers_bg import build_tiny_font
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from reportlab.pdfbase.ttfonts import TTFont as RLTTFont

from briefgen.fonts import prepare


def _bounds(font: TTFont, glyph: str) -> tuple[float, float, float, float] | None:
    pen = BoundsPen(font.getGlyphSet())
    font.getGlyphSet()[glyph].draw(pen)
    return pen.bounds


def test_convert_keeps_outlines_and_metrics(tmp_path: Path) -> None:
    src = build_tiny_font(tmp_path / "t.otf", family="Tiny CFF", cff=True)
    dest = tmp_path / "out" / "t.ttf"
    prepare.convert_cff_to_ttf(src, dest, workers=1)
    a, b = TTFont(str(src)), TTFont(str(dest))
    assert b.sfntVersion == "\x00\x01\x00\x00" and "glyf" in b and "CFF " not in b
    assert b["maxp"].tableVersion == 0x00010000 and b["post"].formatType == 2.0
    assert a.getGlyphOrder() == b.getGlyphOrder()
    assert a.getBestCmap() == b.getBestCmap()
    for g in ("uni0041", "uni0030"):
        assert a["hmtx"][g] == b["hmtx"][g]
        ba, bb = _bounds(a, g), _bounds(b, g)
        assert ba is not None and bb is not None
        assert all(abs(x - y) <= 1 for x, y in zip(ba, bb, strict=True))
    face = RLTTFont("TinyConverted", str(dest)).face
    assert face.charWidths[ord("A")] == 600


def test_prepared_ttf_is_cached_and_keyed_on_source(tmp_path: Path) -> None:
    src = build_tiny_font(tmp_path / "t.otf", family="Tiny CFF", cff=True)
    messages: list[str] = []
    first = prepare.prepared_ttf(src, 0, tmp_path / "cache", on_message=messages.append)
    assert messages and "preparing font t.otf for PDF embedding (once" in messages[0]
    messages.clear()
    assert prepare.prepared_ttf(src, 0, tmp_path / "cache", on_message=messages.append) == first
    assert messages == []
    assert sorted(p.name for p in first.parent.iterdir()) == [first.name]  # no temp or lock files
    build_tiny_font(src, family="Tiny CFF", cff=True, advance=700)  # source changed
    assert prepare.converted_name(src, 0) != first.name


def test_stale_lock_does_not_block(tmp_path: Path) -> None:
    import os

    src = build_tiny_font(tmp_path / "t.otf", cff=True)
    dest = tmp_path / "cache" / "ttf" / prepare.converted_name(src, 0)
    dest.parent.mkdir(parents=True)
    lock = dest.with_name(dest.name + ".lock")
    lock.write_text("12345")
    old = lock.stat().st_mtime - prepare.LOCK_STALE_SECONDS - 10
    os.utime(lock, (old, old))
    assert prepare.prepared_ttf(src, 0, tmp_path / "cache") == dest
    assert dest.is_file() and not lock.exists()
