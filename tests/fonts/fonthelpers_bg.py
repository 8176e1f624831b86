"""Helpers for the font tests: tiny generated fonts and the pip-only result record."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from fontTools.fontBuilder import FontBuilder
from fontTools.pens.t2CharStringPen import T2CharStringPen
from fontTools.pens.ttGlyphPen import TTGlyphPen

from briefgen.fonts.book import FontBook

TINY_CHARS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.%"


def _glyph_name(ch: str) -> str:
    return f"uni{ord(ch):04X}"


def build_tiny_font(
    path: Path,
    *,
    family: str | dict[str, str] = "Tiny Test",
    chars: str = TINY_CHARS,
    advance: int = 600,
    fs_type: int = 0,
    cff: bool = False,
    upem: int = 1000,
) -> Path:
    """A small font whose glyphs are boxes of ``advance`` units (``upem`` units per em)."""
    names = [".notdef", "space", *(_glyph_name(c) for c in chars)]
    fb = FontBuilder(upem, isTTF=not cff)
    fb.setupGlyphOrder(names)
    fb.setupCharacterMap({0x20: "space", **{ord(c): _glyph_name(c) for c in chars}})
    if cff:
        charstrings = {}
        for n in names:
            pen = T2CharStringPen(advance, None)
            if n != "space":
                pen.moveTo((100, 0))
                pen.lineTo((100, 700))
                pen.curveTo((200, 800), (400, 800), (500, 700))
                pen.lineTo((500, 0))
                pen.closePath()
            charstrings[n] = pen.getCharString()
        fb.setupCFF("TinyTest-Regular", {"FullName": "Tiny Test"}, charstrings, {})
    else:
        glyphs = {}
        for n in names:
            pen = TTGlyphPen(None)
            if n != "space":
                pen.moveTo((100, 0))
                pen.lineTo((100, 700))
                pen.lineTo((500, 700))
                pen.lineTo((500, 0))
                pen.closePath()
            glyphs[n] = pen.glyph()
        fb.setupGlyf(glyphs)
    fb.setupHorizontalMetrics({n: (advance, 100) for n in names})
    fb.setupHorizontalHeader(ascent=800, descent=-200)
    family_names = family if isinstance(family, dict) else {"en": family}
    fb.setupNameTable({"familyName": family_names, "styleName": "Regular"}, mac=False)
    fb.setupOS2(
        sTypoAscender=800, sTypoDescender=-200, usWinAscent=800, usWinDescent=200, fsType=fs_type
    )
    fb.setupPost()
    path.parent.mkdir(parents=True, exist_ok=True)
    fb.save(str(path))
    return path


@dataclass
class PipOnly:
    book: FontBook
    messages: list[str]
    seconds: float
