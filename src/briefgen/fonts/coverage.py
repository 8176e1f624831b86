"""Turn a font file into the code points it maps and those it maps to empty glyphs, from cmap with fontTools (no ReportLab)."""

from __future__ import annotations

import threading
import unicodedata
from pathlib import Path
from typing import Any

from briefgen.fonts import facecache

# Characters that never count as missing: layout whitespace.
WHITESPACE = frozenset(" \t\n\r\u00a0\u3000\u2002\u2003\u2009\u200b")
# Characters routed to an explicit ``theme.font_files.latin`` font (as Word does with w:ascii).
_LATIN_RANGES = ((0x21, 0x7E), (0xC0, 0x24F))

_LOCK = threading.RLock()
_COVERAGE: dict[tuple[str, int, int, int], frozenset[int]] = {}
_BLANKS: dict[tuple[str, int, int, int], frozenset[int]] = {}
_CFF_FONTS: dict[tuple[str, int, int, int], Any] = {}
_CFF_KNOWN: dict[tuple[str, int, int, int], dict[int, bool]] = {}


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


def is_latin(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _LATIN_RANGES)


def visible(ch: str) -> bool:
    """Whether ``ch`` must print as ink (letters, numbers, punctuation, symbols)."""
    return ch not in WHITESPACE and unicodedata.category(ch)[0] in "LNPS"


def file_key(path: Path, index: int) -> tuple[str, int, int, int]:
    st = path.stat()
    return (str(path), index, st.st_size, st.st_mtime_ns)


def coverage(path: Path, index: int, cache: Path | None = None) -> frozenset[int]:
    """Code points the face maps (from its cmap; for CFF sources, before conversion).

    Once per process; with ``cache`` (the FontBook's cache dir) also once per font file.
    """
    key = file_key(path, index)
    with _LOCK:
        cached = _COVERAGE.get(key)
    if cached is not None:
        return cached
    codes = facecache.load_coverage(cache, path, index)
    if codes is None:
        from fontTools.ttLib import TTFont as FTFont

        font = FTFont(str(path), fontNumber=index, lazy=True)
        try:
            codes = frozenset(font.getBestCmap() or {})
        finally:
            font.close()
        if 0x20 in codes or 0xA0 in codes:  # ReportLab maps each to the other
            codes = codes | {0x20, 0xA0}
        facecache.save_coverage(cache, path, index, codes)
    with _LOCK:
        _COVERAGE[key] = codes
    return codes


def blank_codes(path: Path, index: int, cache: Path | None = None) -> frozenset[int] | None:
    """Code points a TrueType face maps to an empty glyph (from cmap and loca), once per process
    and, with ``cache``, once per font file; None for CFF faces."""
    key = file_key(path, index)
    with _LOCK:
        cached = _BLANKS.get(key)
    if cached is not None:
        return cached
    codes = facecache.load_codes(cache, path, index, "blank")
    if codes is None:
        from fontTools.ttLib import TTFont as FTFont

        font = FTFont(str(path), fontNumber=index, lazy=True)
        try:
            if "glyf" not in font or "loca" not in font:
                return None
            cmap = font.getBestCmap() or {}
            loca = font["loca"]
            order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
            blank = set()
            for cp, name in cmap.items():
                gid = order.get(name)
                if gid is not None and gid + 1 < len(loca) and loca[gid + 1] == loca[gid]:
                    blank.add(cp)
            codes = frozenset(blank)
        finally:
            font.close()
        facecache.save_codes(cache, path, index, codes, "blank")
    with _LOCK:
        _BLANKS[key] = codes
    return codes


class _InkPen:
    """A pen that only notes whether anything was drawn."""

    def __init__(self) -> None:
        self.ink = False

    def moveTo(self, pt: Any) -> None:  # noqa: N802 - fontTools pen protocol
        self.ink = True

    def lineTo(self, pt: Any) -> None:  # noqa: N802
        self.ink = True

    def curveTo(self, *pts: Any) -> None:  # noqa: N802
        self.ink = True

    def qCurveTo(self, *pts: Any) -> None:  # noqa: N802
        self.ink = True

    def closePath(self) -> None:  # noqa: N802
        pass

    def endPath(self) -> None:  # noqa: N802
        pass

    def addComponent(self, name: str, transform: Any) -> None:  # noqa: N802
        self.ink = True


# Bit set on a cached code point whose CFF glyph is blank (code points need 21 bits).
_BLANK_BIT = 1 << 31


def _cff_known(key: tuple[str, int, int, int], path: Path, index: int,
               cache: Path | None) -> dict[int, bool]:
    """Code points already checked in this CFF face (code point → blank), from ``cache`` once."""
    known = _CFF_KNOWN.get(key)
    if known is None:
        stored = facecache.load_codes(cache, path, index, "cffink") or frozenset()
        known = {c & ~_BLANK_BIT: bool(c & _BLANK_BIT) for c in stored}
        _CFF_KNOWN[key] = known
    return known


def cff_blank(path: Path, index: int, cp: int, cache: Path | None = None) -> bool:
    """Whether a CFF face maps ``cp`` to a glyph without outlines (its charstring is run, not
    converted; the font stays open for the process). With ``cache`` each answer is also kept
    per font file, so a later process opens the font with fontTools only for new characters."""
    key = file_key(path, index)
    with _LOCK:
        known = _cff_known(key, path, index, cache)
        got = known.get(cp)
        if got is not None:
            return got
        font = _CFF_FONTS.get(key)
        if font is None:
            from fontTools.ttLib import TTFont as FTFont

            font = FTFont(str(path), fontNumber=index, lazy=True)
            _CFF_FONTS[key] = (font, font.getBestCmap() or {}, font.getGlyphSet())
            font = _CFF_FONTS[key]
        _font, cmap, glyph_set = font
        name = cmap.get(cp)
        blank = False
        if name is not None:
            pen = _InkPen()
            glyph_set[name].draw(pen)
            blank = not pen.ink
        known[cp] = blank
        if cache is not None:  # merge with what other processes stored meanwhile
            stored = facecache.load_codes(cache, path, index, "cffink") or frozenset()
            codes = {c & ~_BLANK_BIT: bool(c & _BLANK_BIT) for c in stored}
            codes.update(known)
            facecache.save_codes(cache, path, index,
                                 frozenset(c | (_BLANK_BIT if b else 0) for c, b in codes.items()),
                                 "cffink")
        return blank
