"""Turn a font source into a ReportLab font (registered once per process) with cached advance widths; CFF sources through a skeleton and a glyph store."""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from pathlib import Path

from briefgen.errors import BriefError, Problem
from briefgen.fonts import coverage, facecache, glyphs
from briefgen.fonts.resolve import FontSource
from briefgen.i18n import _

_LOCK = threading.RLock()
_REGISTERED: dict[tuple[str, int, int, int], str] = {}  # (file, subfont, size, mtime) -> RL name
_WIDTHS: dict[str, dict[str, float]] = {}  # RL name -> char -> advance per 1 pt
_DEFAULT_WIDTH: dict[str, float] = {}
_STORES: dict[tuple[str, int, str, str], glyphs.GlyphStore] = {}


def rl_name(family: str, path: Path, index: int) -> str:
    clean = "".join(c for c in family if c.isascii() and c.isalnum())[:24] or "Font"
    digest = hashlib.sha1(f"{path}|{index}".encode()).hexdigest()[:8]
    return f"BG-{clean}-{digest}"


def register(path: Path, index: int, family: str, cache: Path | None = None) -> str:
    """Register a TrueType face with ReportLab once per process; return its font name.

    With ``cache``, ReportLab's parse of the file is also reused across processes (facecache).
    """
    from reportlab.pdfbase import pdfmetrics

    key = coverage.file_key(path, index)
    with _LOCK:
        name = _REGISTERED.get(key)
        if name:
            return name
        name = rl_name(family, path, index)
        font = facecache.load_ttfont(cache, name, path, index)
        pdfmetrics.registerFont(font)
        face = font.face
        _WIDTHS[name] = {chr(cp): w / 1000.0 for cp, w in face.charWidths.items()}
        _DEFAULT_WIDTH[name] = float(face.defaultWidth) / 1000.0
        _REGISTERED[key] = name
        return name


def store(src: FontSource, cache: Path, on_message: Callable[[str], None] | None = None) -> glyphs.GlyphStore:
    """The process's glyph store for a CFF source (its converted glyphs, loaded once)."""
    key = (*src.ident, str(cache))
    with _LOCK:
        got = _STORES.get(key)
        if got is None:
            got = glyphs.GlyphStore(src.path, src.index, src.treatment, cache,
                                    label=src.display, on_message=on_message)
            _STORES[key] = got
        return got


def register_source(
    src: FontSource, cache: Path, on_message: Callable[[str], None] | None = None
) -> str:
    """ReportLab font name for ``src``: the file itself (TrueType) or its skeleton whose subsets
    are filled from the glyph store (CFF). Errors become located BriefErrors."""
    path, index = src.path, src.index
    if src.cff:
        try:
            path = glyphs.skeleton(src.path, src.index, cache, src.treatment, label=src.family,
                                   on_message=on_message)
        except Exception as exc:  # noqa: BLE001
            raise BriefError(
                Problem(
                    _("could not prepare CFF font for PDF embedding ({error})").format(
                        error=f"{type(exc).__name__}: {exc}"),
                    file=str(src.path),
                )
            ) from None
        index = 0
    name = register(path, index, src.family, cache)
    if src.cff:
        from reportlab.pdfbase import pdfmetrics

        glyphs.attach(pdfmetrics.getFont(name).face, store(src, cache, on_message))
    return name


def width(text: str, font_name: str, size: float) -> float:
    """Advance width of ``text`` in points in a registered font."""
    widths = _WIDTHS.get(font_name)
    if widths is None:
        from reportlab.pdfbase import pdfmetrics

        return float(pdfmetrics.stringWidth(text, font_name, size))
    default = _DEFAULT_WIDTH[font_name]
    get = widths.get
    return sum(get(c, default) for c in text) * size
