"""Remember what parsing a font file found, across processes: glyph coverage and ReportLab's metrics.

Parsing CJK fonts is most of a cold build: ReportLab reads cmap, hmtx and loca of 25–65k glyphs
in pure Python (0.07–0.2 s per face) and fontTools reads the cmap again for glyph coverage
(0.05–0.25 s), and for CFF faces runs a glyph's charstring to see whether it is blank (opening
the font costs 0.2–0.4 s). All depend only on the file, so they are cached under ``<cache>/faces`` keyed by
path, subfont, size, mtime and library versions; a later process loads an entry in a few
milliseconds. An entry that is unreadable, truncated or from another version is ignored and
rebuilt; a cache that cannot be written is simply not used. Nothing here is needed for
correctness: every function falls back to parsing the font.
"""

from __future__ import annotations

import contextlib
import hashlib
import marshal
import mmap
import os
import sys
from array import array
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

from briefgen.inputs.blobs import read_blob, write_blob

if TYPE_CHECKING:
    from reportlab.pdfbase.ttfonts import TTFont as RLTTFont

FORMAT = 2
# Big per-glyph containers stored as arrays (fast to load) when their values are all ints or all
# floats (ReportLab's widths are ints for 1000-unit fonts, floats otherwise); everything else,
# mixed-type dicts included, goes through marshal unchanged.
_INT_DICTS = ("charToGlyph",)
_NUM_DICTS = ("charWidths",)
_SKIP = {"_ttf_data", "_pos", "_pdfScale", "glyphToChar"}
# Per-glyph lists only ever indexed (by makeSubset, when the PDF is saved): kept as arrays.
_INDEXED = ("glyphPos",)
_PAIRS = ("hmetrics",)


def _entry(cache: Path, path: Path, index: int, kind: str) -> Path:
    version = ""
    if kind == "rlface":  # ReportLab's internal state: only valid for the version that made it
        import reportlab

        version = reportlab.Version
    st = path.stat()
    ident = "|".join(map(str, (FORMAT, kind, version, sys.version_info[:2], path.resolve(),
                               index, st.st_size, st.st_mtime_ns)))
    digest = hashlib.sha1(ident.encode("utf-8", "surrogatepass")).hexdigest()[:20]
    return cache / "faces" / f"{path.stem[:40]}-{index}-{digest}.{kind}"


# ---------------------------------------------------------------------------- coverage


def load_codes(cache: Path | None, path: Path, index: int, kind: str = "cov") -> frozenset[int] | None:
    """A cached set of code points for this exact file: ``cov`` (mapped), ``blank`` (mapped to
    an empty glyph)."""
    if cache is None:
        return None
    try:
        payload = read_blob(_entry(cache, path, index, kind))
        if payload is None or len(payload) % 4:
            return None
        codes = array("I")
        codes.frombytes(payload)
        return frozenset(codes.tolist())
    except (OSError, ValueError):
        return None


def save_codes(cache: Path | None, path: Path, index: int, codes: frozenset[int], kind: str = "cov") -> None:
    if cache is None:
        return
    with contextlib.suppress(OSError, ValueError, OverflowError):
        write_blob(_entry(cache, path, index, kind), array("I", sorted(codes)).tobytes())


def load_coverage(cache: Path | None, path: Path, index: int) -> frozenset[int] | None:
    """Code points the face maps, if cached for this exact file."""
    return load_codes(cache, path, index, "cov")


def save_coverage(cache: Path | None, path: Path, index: int, codes: frozenset[int]) -> None:
    save_codes(cache, path, index, codes, "cov")


# ---------------------------------------------------------------------------- ReportLab faces


def _face_class() -> type:
    from reportlab.pdfbase.ttfonts import TTFontFace

    class CachedTTFontFace(TTFontFace):
        """A ReportLab ``TTFontFace`` restored from the cache instead of parsed: same state."""

        def _pdfScale(self, x: float) -> float:  # noqa: N802 - ReportLab's name
            upem = self.unitsPerEm
            return x if upem == 1000 else x * (1000 / upem)

        @property
        def glyphToChar(self) -> dict[int, list[int]]:  # noqa: N802 - only used while parsing
            g2c = self.__dict__.get("_g2c")
            if g2c is None:
                g2c = {}
                for char, glyph in self.charToGlyph.items():
                    g2c.setdefault(glyph, []).append(char)
                self.__dict__["_g2c"] = g2c
            return g2c

        @glyphToChar.setter
        def glyphToChar(self, value: dict[int, list[int]]) -> None:  # noqa: N802
            self.__dict__["_g2c"] = value

    return CachedTTFontFace


_CACHED_FACE: Any = None


def _encode_face(face: Any) -> bytes | None:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    plain: dict[str, Any] = {}
    names: dict[str, tuple[bytes, str]] = {}
    arrays: dict[str, tuple[bytes, bytes, str]] = {}
    for key, value in vars(face).items():
        if key in _SKIP:
            continue
        if key in _INDEXED and all(type(v) is int for v in value):
            arrays[key] = (array("q", value).tobytes(), b"", "seq")
        elif key in _PAIRS and all(len(v) == 2 and type(v[1]) is int for v in value):
            arrays[key] = (array("d", (v[0] for v in value)).tobytes(),
                           array("q", (v[1] for v in value)).tobytes(), "pairs")
        elif key in _INT_DICTS:
            arrays[key] = (array("I", value.keys()).tobytes(), array("I", value.values()).tobytes(), "I")
        elif key in _NUM_DICTS and all(type(v) is int for v in value.values()):
            arrays[key] = (array("I", value.keys()).tobytes(), array("q", value.values()).tobytes(), "q")
        elif key in _NUM_DICTS and all(type(v) is float for v in value.values()):
            arrays[key] = (array("I", value.keys()).tobytes(), array("d", value.values()).tobytes(), "d")
        elif isinstance(value, TTFNameBytes):
            names[key] = (bytes(value), value.ustr)
        else:
            plain[key] = value
    try:
        return marshal.dumps((FORMAT, plain, names, arrays))
    except ValueError:  # an attribute marshal cannot store: leave this face uncached
        return None


def _decode_face(payload: bytes) -> Any:
    from reportlab.pdfbase.ttfonts import TTFNameBytes

    global _CACHED_FACE
    if _CACHED_FACE is None:
        _CACHED_FACE = _face_class()
    fmt, plain, names, arrays = marshal.loads(payload)
    if fmt != FORMAT:
        return None
    face = _CACHED_FACE.__new__(_CACHED_FACE)
    state = dict(plain)
    for key, (raw, text) in names.items():
        nb = bytes.__new__(TTFNameBytes, raw)
        nb.ustr = text
        state[key] = nb
    for key, (kraw, vraw, vcode) in arrays.items():
        if vcode == "seq":
            seq = array("q")
            seq.frombytes(kraw)
            state[key] = seq
            continue
        if vcode == "pairs":
            first, second = array("d"), array("q")
            first.frombytes(kraw)
            second.frombytes(vraw)
            state[key] = _Pairs(first, second)
            continue
        ks, vs = array("I"), array(vcode)
        ks.frombytes(kraw)
        vs.frombytes(vraw)
        state[key] = dict(zip(ks.tolist(), vs.tolist(), strict=True))
    face.__dict__.update(state)
    return face


class _Pairs(Sequence[tuple[float, int]]):
    """ReportLab's ``hmetrics`` (advance, left side bearing) per glyph, built on access: only the
    glyphs a PDF uses are ever looked up. Advances come back as floats (ReportLab ``int()``s them)."""

    __slots__ = ("_first", "_second")

    def __init__(self, first: array[float], second: array[int]) -> None:
        self._first, self._second = first, second

    @overload
    def __getitem__(self, i: int) -> tuple[float, int]: ...

    @overload
    def __getitem__(self, i: slice) -> list[tuple[float, int]]: ...

    def __getitem__(self, i: int | slice) -> tuple[float, int] | list[tuple[float, int]]:
        if isinstance(i, slice):
            return list(zip(self._first[i], self._second[i], strict=True))
        return (self._first[i], self._second[i])

    def __len__(self) -> int:
        return len(self._first)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]


def _file_bytes(path: Path) -> bytes | mmap.mmap:
    """The font file for ReportLab to slice: memory-mapped on POSIX (no 5-30 MB copy per font;
    fonts are replaced, never rewritten in place), read elsewhere (Windows locks mapped files)."""
    with open(path, "rb") as fh:
        if os.name == "posix":
            try:
                return mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ)
            except (OSError, ValueError):  # empty or unmappable: read it
                pass
        return fh.read()


def _new_ttfont(name: str, face: Any) -> RLTTFont:
    """A ReportLab ``TTFont`` around an already-parsed face (what ``TTFont.__init__`` sets up)."""
    from fnmatch import fnmatch
    from weakref import WeakKeyDictionary

    from reportlab import rl_config
    from reportlab.pdfbase.ttfonts import TTEncoding
    from reportlab.pdfbase.ttfonts import TTFont as RLTTFont

    font = RLTTFont.__new__(RLTTFont)
    font.fontName = name
    font.face = face
    font.encoding = TTEncoding()
    font.state = WeakKeyDictionary()
    font._asciiReadable = rl_config.ttfAsciiReadable
    font.shapable = not any(fnmatch(name, g) for g in rl_config.unShapedFontGlob)
    return font


def load_ttfont(cache: Path | None, name: str, path: Path, index: int) -> RLTTFont:
    """``reportlab.pdfbase.ttfonts.TTFont(name, path, subfontIndex=index)``, parsed at most once per file.

    On a cache hit the face's metrics come from ``<cache>/faces`` and the file is only mapped
    (ReportLab subsets glyphs from it when the PDF is saved).
    """
    from reportlab.pdfbase.ttfonts import TTFont as RLTTFont

    if cache is not None:
        try:
            entry = _entry(cache, path, index, "rlface")
            payload = read_blob(entry)
            face = _decode_face(payload) if payload is not None else None
            if face is not None:
                face._ttf_data = _file_bytes(path)
                face._pos = 0
                return _new_ttfont(name, face)
        except Exception:  # noqa: BLE001 - a bad entry: parse the font and rewrite it
            pass
    font = RLTTFont(name, str(path), subfontIndex=index)
    if cache is not None:
        try:
            payload = _encode_face(font.face)
            if payload is not None:
                write_blob(_entry(cache, path, index, "rlface"), payload)
        except Exception:  # noqa: BLE001 - caching is best effort
            pass
    return font
