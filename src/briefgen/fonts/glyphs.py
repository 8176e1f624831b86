"""Turn a CFF-outline font into a TrueType face ReportLab can measure at once and embed glyph by glyph.

ReportLab embeds only TrueType (``glyf``) outlines, and the bundled Noto fonts (and Debian's Noto
CJK) are CFF. Converting a whole CJK font takes tens of seconds; a document uses a thousand
glyphs. So a CFF face becomes:

* a *skeleton*: the font's own ``cmap``, ``hmtx``, ``name``, ``OS/2``… around an empty ``glyf``
  (built from the raw tables in well under a second, cached under ``<cache>/ttf``): ReportLab
  reads every width and code point from it as from any TrueType font;
* a *glyph store*: the ``glyf`` records of the glyphs documents actually used, converted from
  the CFF charstrings with cu2qu when a PDF is saved and cached under ``<cache>/glyphs``, so the
  cache grows with use. The skeleton's ``makeSubset`` is replaced by one that fills in those
  glyphs, so the embedded subset is the one a whole-font conversion would give.

A glyph's conversion depends only on the font file and the treatment, never on what else is in
the cache, so PDFs are byte-identical whatever the cache held. A *treatment* derives a synthetic
face (``bold``: the outline drawn four times, offset, for 小标宋-like weight; ``oblique``: slanted
about the middle of the em box) for roles with no font of their own on pip-only machines.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import marshal
import math
import struct
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from briefgen.atomic import replace_file
from briefgen.fonts import notices
from briefgen.i18n import _
from briefgen.inputs.blobs import read_blob, write_blob

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

# Bump when the conversion output changes, so stale cache files are not reused.
CONVERTER_VERSION = 3
# Maximum cu2qu approximation error in font units (1000/2048 upem): invisible at print sizes.
MAX_ERR = 1.0
# Synthetic bold: the outline is drawn at the corners of a square this wide (per 1000 units/em).
BOLD_OFFSET = 26.0
# Synthetic oblique: slant (tan of the angle, about 10°) about this height (per 1000 units/em).
SLANT = 0.176
SLANT_CENTRE = 380.0
# A glyph store this large on first use announces itself (converting it takes a moment).
ANNOUNCE_GLYPHS = 200

Treatment = Literal["", "bold", "oblique"]
TREATMENTS: tuple[Treatment, ...] = ("", "bold", "oblique")
# Appended to a synthetic face's PostScript name (``NotoSerifSC-Regular-SynBold``), so PDFs name it.
TREATMENT_SUFFIX: dict[str, str] = {"bold": "SynBold", "oblique": "SynOblique"}
# (glyf data, xMin, yMin, xMax, yMax, points, contours); empty data for an empty glyph
Record = tuple[bytes, int, int, int, int, int, int]
_SKELETON_TABLES = ("cmap", "head", "hhea", "hmtx", "name", "OS/2", "post")
_LOCK = threading.RLock()


def _ident(source: Path, index: int, treatment: str) -> str:
    st = source.stat()
    key = "|".join(map(str, (source.resolve(), index, st.st_size, st.st_mtime_ns,
                             CONVERTER_VERSION, MAX_ERR, treatment)))
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:16]


def _stem(source: Path, index: int, treatment: str) -> str:
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in source.stem)[:40]
    return f"{stem}-{index}{'-' + treatment if treatment else ''}"


def skeleton_name(source: Path, index: int, treatment: str = "") -> str:
    """Cache file name of the skeleton for one subfont and treatment (keyed on the file's stat)."""
    return f"{_stem(source, index, treatment)}-{_ident(source, index, treatment)}.skel.ttf"


def _renamed(font: TTFont, treatment: str) -> bytes:
    """The ``name`` table, with the PostScript and full names marked for a treatment (a PDF then
    lists the synthetic face under its own name)."""
    table = font["name"]
    suffix = TREATMENT_SUFFIX[treatment]
    for rec in table.names:
        if rec.nameID in (4, 6):
            try:
                text = rec.toUnicode()
            except (UnicodeDecodeError, LookupError):
                continue
            rec.string = f"{text}-{suffix}" if rec.nameID == 6 else f"{text} {suffix}"
    data: bytes = table.compile(font)
    return data


def build_skeleton(source: Path, index: int, dest: Path, treatment: Treatment = "") -> None:
    """Write the TrueType skeleton of ``source`` (subfont ``index``) to ``dest``, atomically."""
    from fontTools.ttLib import TTFont
    from fontTools.ttLib.sfnt import SFNTWriter

    font = TTFont(str(source), fontNumber=index, lazy=True)
    try:
        if "CFF " not in font:
            raise ValueError(f"{source} (subfont {index}) has no CFF outlines to convert")
        raw = {tag: bytes(font.reader[tag]) for tag in _SKELETON_TABLES}
        n_glyphs = struct.unpack(">H", bytes(font.reader["maxp"])[4:6])[0]
        head = bytearray(raw["head"])
        head[50:54] = b"\x00\x00\x00\x00"  # indexToLocFormat short, glyphDataFormat 0
        raw["head"] = bytes(head)
        post = b"\x00\x03\x00\x00" + raw["post"][4:32]
        if treatment == "oblique":  # italicAngle (16.16 fixed, negative leans right)
            angle = -math.degrees(math.atan(SLANT))
            post = post[:4] + struct.pack(">i", round(angle * 65536)) + post[8:]
        raw["post"] = post
        if treatment:
            raw["name"] = _renamed(font, treatment)
        raw["maxp"] = struct.pack(">LH13H", 0x00010000, n_glyphs, 0, 0, 0, 0, 1, *([0] * 8))
        raw["loca"] = bytes(2 * (n_glyphs + 1))
        raw["glyf"] = b""

        def write(fh: Any) -> None:
            writer = SFNTWriter(fh, len(raw), sfntVersion="\x00\x01\x00\x00")
            for tag in sorted(raw):
                writer[tag] = raw[tag]
            writer.close()

        replace_file(dest, write, fsync=False)
    finally:
        font.close()


def skeleton(
    source: Path,
    index: int,
    cache_dir: Path,
    treatment: Treatment = "",
    *,
    label: str = "",
    on_message: Callable[[str], None] | None = None,
) -> Path:
    """The cached skeleton of ``source``/``index``, built once (under a lock that dies with its
    holder, so a killed first run never blocks the next)."""
    from briefgen.inputs.filelock import FileLock

    dest = cache_dir / "ttf" / skeleton_name(source, index, treatment)
    if dest.is_file() and dest.stat().st_size > 0:
        return dest
    shown = (label or source.name) + (_(", synthetic {style}").format(style=treatment) if treatment else "")
    _say(_("preparing font {font} for PDF embedding (first use; cached in {cache})…").format(
        font=shown, cache=cache_dir), on_message)
    try:
        lock = FileLock(dest.with_name(dest.name + ".lock"), timeout=120.0,
                        on_wait=lambda m: _say(m, on_message), what=_("font cache entry {name}").format(name=dest.name))
        lock.acquire()
    except Exception:  # noqa: BLE001 - no lock (read-only or odd file system): just build it
        lock = None
    try:
        if not (dest.is_file() and dest.stat().st_size > 0):
            build_skeleton(source, index, dest, treatment)
    finally:
        if lock is not None:
            lock.release()
    return dest


def _say(message: str, on_message: Callable[[str], None] | None) -> None:
    if not notices.emit(message) and on_message is not None:
        on_message(message)


# ---------------------------------------------------------------------------- glyph conversion


def _draw(glyph: Any, pen: Any, treatment: str, upem: int) -> None:
    from fontTools.pens.transformPen import TransformPen

    scale = upem / 1000.0
    if treatment == "bold":
        d = BOLD_OFFSET * scale / 2
        for dx, dy in ((-d, -d), (d, -d), (-d, d), (d, d)):
            glyph.draw(TransformPen(pen, (1, 0, 0, 1, dx, dy)))
    elif treatment == "oblique":
        glyph.draw(TransformPen(pen, (1, 0, SLANT, 1, -SLANT * SLANT_CENTRE * scale, 0)))
    else:
        glyph.draw(pen)


def convert_glyph(glyph_set: Any, name: str, treatment: str = "", upem: int = 1000) -> Record:
    """One CFF glyph as a compiled TrueType ``glyf`` record (cubic → quadratic within ``MAX_ERR``)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib.tables._g_l_y_f import flagOverlapSimple

    tt_pen = TTGlyphPen(None)
    _draw(glyph_set[name], Cu2QuPen(tt_pen, MAX_ERR, reverse_direction=True), treatment, upem)
    glyph = tt_pen.glyph()
    if glyph.numberOfContours <= 0:
        return (b"", 0, 0, 0, 0, 0, 0)
    if treatment == "bold":  # overlapping copies: tell rasterisers that care (macOS)
        glyph.flags[0] |= flagOverlapSimple
    data = glyph.compile(None, recalcBBoxes=True, optimizeSize=True)
    return (data, glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax,
            len(glyph.coordinates), glyph.numberOfContours)


class GlyphStore:
    """Converted glyphs of one CFF subfont and treatment: loaded from the cache, converted on
    demand, saved back (merged with what other processes added meanwhile)."""

    def __init__(self, source: Path, index: int, treatment: Treatment, cache_dir: Path | None,
                 label: str = "", on_message: Callable[[str], None] | None = None) -> None:
        self.source, self.index, self.treatment = source, index, treatment
        self.label = label or source.name
        self.on_message = on_message
        self.file = (cache_dir / "glyphs" / f"{_stem(source, index, treatment)}-"
                     f"{_ident(source, index, treatment)}.glyphs") if cache_dir else None
        self._glyphs: dict[int, Record] = self._load() if self.file else {}
        self._new: set[int] = set()
        self._font: TTFont | None = None
        self._upem = 1000

    def _load(self) -> dict[int, Record]:
        assert self.file is not None
        payload = read_blob(self.file)
        if payload is None:
            return {}
        try:
            data = marshal.loads(payload)
        except (ValueError, EOFError, TypeError):
            return {}
        return data if isinstance(data, dict) else {}

    def _glyph_set(self) -> tuple[Any, list[str]]:
        if self._font is None:
            from fontTools.ttLib import TTFont

            self._font = TTFont(str(self.source), fontNumber=self.index, lazy=True)
            self._upem = int(self._font["head"].unitsPerEm)
        return self._font.getGlyphSet(), self._font.getGlyphOrder()

    def get(self, gids: Iterable[int]) -> dict[int, Record]:
        """The records of ``gids``, converting (and remembering) those not converted yet."""
        with _LOCK:
            todo = sorted(g for g in set(gids) if g not in self._glyphs)
            if todo:
                if len(todo) >= ANNOUNCE_GLYPHS and not self._glyphs:
                    if self.file:
                        msg = _("preparing font {font} for PDF embedding: converting {n} glyphs "
                                "(first use; cached in {cache})…")
                    else:
                        msg = _("preparing font {font} for PDF embedding: converting {n} glyphs (first use)…")
                    _say(msg.format(font=self.label, n=len(todo), cache=self.file.parent if self.file else ""),
                         self.on_message)
                glyph_set, order = self._glyph_set()
                for n, gid in enumerate(todo):
                    name = order[gid] if gid < len(order) else order[0]
                    self._glyphs[gid] = convert_glyph(glyph_set, name, self.treatment, self._upem)
                    self._new.add(gid)
                    if n % 64 == 0:
                        notices.tick()
            return {g: self._glyphs[g] for g in gids}

    def save(self) -> None:
        """Write newly converted glyphs to the cache (best effort: a cache that cannot be written
        only means converting them again next time)."""
        from briefgen.inputs.filelock import FileLock

        with _LOCK:
            if not self._new or self.file is None:
                return
            lock = FileLock(self.file.with_name(self.file.name + ".lock"), timeout=30.0)
            with contextlib.suppress(Exception), lock:
                merged: dict[int, Record] = {}
                payload = read_blob(self.file)
                if payload is not None:
                    with contextlib.suppress(ValueError, EOFError, TypeError):
                        old = marshal.loads(payload)
                        if isinstance(old, dict):
                            merged.update(old)
                merged.update(self._glyphs)
                write_blob(self.file, marshal.dumps(dict(sorted(merged.items()))))
                self._glyphs = merged
            self._new.clear()

    def close(self) -> None:
        if self._font is not None:
            self._font.close()
            self._font = None


# ---------------------------------------------------------------------------- ReportLab subsets


class _Metrics(Sequence[tuple[float, int]]):
    """ReportLab's per-glyph ``(advance, lsb)``, with the converted outline's xMin as lsb."""

    def __init__(self, base: Any, lsb: dict[int, int]) -> None:
        self._base, self._lsb = base, lsb

    def __getitem__(self, i: Any) -> Any:
        aw, lsb = self._base[i]
        return (aw, self._lsb.get(i, lsb))

    def __len__(self) -> int:
        return len(self._base)


def _make_subset(face: Any, store: GlyphStore, subset: Sequence[int]) -> bytes:
    """ReportLab's ``makeSubset`` on the skeleton, with the subset's glyphs filled in."""
    gids = sorted({0, *(face.charToGlyph.get(code, 0) for code in subset)})
    records = store.get(gids)
    blob: list[bytes] = []
    pos: dict[int, int] = {}
    lsb: dict[int, int] = {}
    off = 0
    for gid in gids:
        data, x_min = records[gid][0], records[gid][1]
        pos[gid] = off
        off += len(data)
        pos[gid + 1] = off  # the next glyph's start, or this one's end
        blob.append(data)
        if data:
            lsb[gid] = x_min & 0xFFFF  # ReportLab keeps lsb as read: unsigned
    max_points = max((r[5] for r in records.values()), default=0)
    max_contours = max((r[6] for r in records.values()), default=0)
    maxp = struct.pack(">LH13H", 0x00010000, len(gids), max_points, max_contours, 0, 0, 1,
                       *([0] * 8))
    glyf = b"".join(blob)
    base = bytes(face._ttf_data)
    saved = (face._ttf_data, face.table, face.glyphPos, face.hmetrics)
    try:
        face._ttf_data = base + glyf + maxp
        face.table = dict(face.table)
        face.table["glyf"] = {**face.table["glyf"], "offset": len(base), "length": len(glyf)}
        face.table["maxp"] = {**face.table["maxp"], "offset": len(base) + len(glyf),
                              "length": len(maxp)}
        face.glyphPos = pos
        face.hmetrics = _Metrics(saved[3], lsb)
        subset_font: bytes = type(face).makeSubset(face, subset)
    finally:
        face._ttf_data, face.table, face.glyphPos, face.hmetrics = saved
    store.save()
    return subset_font


def attach(face: Any, store: GlyphStore) -> None:
    """Make ReportLab's face of a skeleton embed ``store``'s converted glyphs (once per face)."""
    if getattr(face, "_bg_store", None) is store:
        return
    face._bg_store = store
    face.makeSubset = functools.partial(_make_subset, face, store)
