"""Turn a CFF-outline OpenType font (``OTTO`` .otf, or one subfont of a .ttc/.otc) into a cached TrueType file ReportLab can embed."""

from __future__ import annotations

import contextlib
import hashlib
import os
import sys
import time
from collections.abc import Callable, Iterator
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.atomic import replace_file

if TYPE_CHECKING:  # fontTools is imported where a conversion needs it, not by every build
    from fontTools.ttLib import TTFont

# Bump when the conversion output changes so stale cache files are not reused.
CONVERTER_VERSION = 2
# Maximum approximation error in font units (1000/2048 upem): invisible at print sizes.
MAX_ERR = 1.0


def converted_name(source: Path, index: int) -> str:
    """Cache file name for one subfont of ``source``, keyed on path, size, mtime and converter version."""
    st = source.stat()
    key = f"{source.resolve()}|{index}|{st.st_size}|{st.st_mtime_ns}|v{CONVERTER_VERSION}"
    digest = hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]
    stem = "".join(c if c.isalnum() or c in "-_" else "_" for c in source.stem)[:40]
    return f"{stem}-{index}-{digest}.ttf"


def is_cff(path: Path, index: int = 0) -> bool:
    """True when the (sub)font has PostScript/CFF outlines, which ReportLab cannot embed."""
    from fontTools.ttLib import TTFont

    font = TTFont(str(path), fontNumber=index, lazy=True)
    try:
        return "CFF " in font or "CFF2" in font
    finally:
        font.close()


def _reachable_glyphs(font: TTFont) -> set[str]:
    """Glyphs a text renderer without shaping can reach: everything in the cmap, plus .notdef."""
    order = font.getGlyphOrder()
    names = set(font.getBestCmap().values())
    names.add(order[0])
    return names


# (glyph name, compiled glyf data, xMin, yMin, xMax, yMax, points, contours)
_Converted = tuple[str, bytes, int, int, int, int, int, int]


def _convert_glyphs(
    path: str, index: int, names: list[str], max_err: float, optimize_size: bool
) -> list[_Converted]:
    """Draw ``names`` through cu2qu into compiled ``glyf`` records (runs in worker processes too)."""
    from fontTools.pens.cu2quPen import Cu2QuPen
    from fontTools.pens.ttGlyphPen import TTGlyphPen
    from fontTools.ttLib import TTFont

    font = TTFont(path, fontNumber=index, lazy=True)
    try:
        glyph_set = font.getGlyphSet()
        out: list[_Converted] = []
        for name in names:
            tt_pen = TTGlyphPen(None)
            glyph_set[name].draw(Cu2QuPen(tt_pen, max_err, reverse_direction=True))
            glyph = tt_pen.glyph()
            contours = glyph.numberOfContours
            if contours <= 0:
                out.append((name, b"", 0, 0, 0, 0, 0, 0))
                continue
            data = glyph.compile(None, recalcBBoxes=True, optimizeSize=optimize_size)
            out.append(
                (
                    name,
                    data,
                    glyph.xMin,
                    glyph.yMin,
                    glyph.xMax,
                    glyph.yMax,
                    len(glyph.coordinates),
                    contours,
                )
            )
        return out
    finally:
        font.close()


def _default_workers() -> int:
    env = os.environ.get("BRIEFGEN_FONT_WORKERS", "").strip()
    if env.isdigit():
        return max(1, int(env))
    return max(1, min(4, os.cpu_count() or 1))


def _pool_context(explicit: bool) -> BaseContext | None:
    """A multiprocessing context that is safe to use from library code, or None for serial work.

    ``fork`` re-runs nothing, so it is used when available (not macOS) and this process has a
    single thread (forking a threaded process can deadlock). ``spawn``/``forkserver`` re-import
    the caller's main module, so they are only used when workers were asked for explicitly.
    """
    import multiprocessing
    import threading

    if (
        "fork" in multiprocessing.get_all_start_methods()
        and sys.platform != "darwin"
        and threading.active_count() == 1
    ):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context() if explicit else None


def convert_cff_to_ttf(
    source: Path,
    dest: Path,
    *,
    index: int = 0,
    max_err: float = MAX_ERR,
    all_glyphs: bool = False,
    workers: int | None = None,
    optimize_size: bool = True,
) -> None:
    """Convert ``source`` (subfont ``index``) from cubic CFF outlines to quadratic ``glyf`` and save to ``dest``.

    Glyph ids are kept stable. Unless ``all_glyphs``, glyphs that no cmap entry reaches
    (vertical forms, ligatures: ReportLab does no shaping) are left empty, which saves
    about a third of the work on the Noto CJK collections. Glyphs are converted in up to
    ``workers`` processes (default: CPU count, at most 4; env ``BRIEFGEN_FONT_WORKERS``).
    ``dest`` is written atomically.
    """
    from fontTools.ttLib import TTFont, newTable
    from fontTools.ttLib.tables._g_l_y_f import Glyph

    font = TTFont(str(source), fontNumber=index, lazy=False)
    try:
        if font.sfntVersion != "OTTO" or "CFF " not in font:
            raise ValueError(f"{source} (subfont {index}) has no CFF outlines to convert")
        order = font.getGlyphOrder()
        wanted = set(order) if all_glyphs else _reachable_glyphs(font)
        todo = [n for n in order if n in wanted]
        explicit = workers is not None or os.environ.get("BRIEFGEN_FONT_WORKERS", "").strip() != ""
        n_workers = workers if workers is not None else _default_workers()
        context = _pool_context(explicit) if n_workers > 1 else None
        results: list[_Converted] = []
        if context is None or len(todo) < 2000:
            results = _convert_glyphs(str(source), index, todo, max_err, optimize_size)
        else:
            from concurrent.futures import ProcessPoolExecutor
            from concurrent.futures.process import BrokenProcessPool
            from pickle import PicklingError

            chunks = max(n_workers * 4, 1)
            size = -(-len(todo) // chunks)
            parts = [todo[i : i + size] for i in range(0, len(todo), size)]
            try:
                with ProcessPoolExecutor(max_workers=n_workers, mp_context=context) as pool:
                    futures = [
                        pool.submit(
                            _convert_glyphs, str(source), index, part, max_err, optimize_size
                        )
                        for part in parts
                    ]
                    for fut in futures:
                        results.extend(fut.result())
            except (OSError, BrokenProcessPool, PicklingError, NotImplementedError):
                # No subprocesses here (sandbox, frozen app, …): do it in this process.
                results = _convert_glyphs(str(source), index, todo, max_err, optimize_size)

        glyphs: dict[str, Glyph] = {name: Glyph() for name in order}
        hmtx = font["hmtx"]
        x_min = y_min = 0x7FFF
        x_max = y_max = -0x8000
        max_points = max_contours = 0
        for name, data, gx0, gy0, gx1, gy1, points, contours in results:
            if not data:
                continue
            glyphs[name] = Glyph(data)  # kept compiled: saving copies the bytes as they are
            hmtx[name] = (hmtx[name][0], gx0)
            x_min, y_min = min(x_min, gx0), min(y_min, gy0)
            x_max, y_max = max(x_max, gx1), max(y_max, gy1)
            max_points, max_contours = max(max_points, points), max(max_contours, contours)
        if x_min > x_max:  # no outlines at all
            x_min = y_min = x_max = y_max = 0

        font["loca"] = newTable("loca")
        glyf = newTable("glyf")
        glyf.glyphOrder = order
        glyf.glyphs = glyphs
        font["glyf"] = glyf
        del font["CFF "]
        if "VORG" in font:
            del font["VORG"]

        maxp = newTable("maxp")
        maxp.tableVersion = 0x00010000
        maxp.numGlyphs = len(order)
        maxp.maxPoints = max_points
        maxp.maxContours = max_contours
        maxp.maxCompositePoints = 0
        maxp.maxCompositeContours = 0
        maxp.maxZones = 1
        maxp.maxTwilightPoints = 0
        maxp.maxStorage = 0
        maxp.maxFunctionDefs = 0
        maxp.maxInstructionDefs = 0
        maxp.maxStackElements = 0
        maxp.maxSizeOfInstructions = 0
        maxp.maxComponentElements = 0
        maxp.maxComponentDepth = 0
        font["maxp"] = maxp

        head = font["head"]
        head.xMin, head.yMin, head.xMax, head.yMax = x_min, y_min, x_max, y_max
        head.glyphDataFormat = 0

        post = font["post"]
        post.formatType = 2.0
        post.extraNames = []
        post.mapping = {}
        post.glyphOrder = order
        try:
            post.compile(font)
        except OverflowError:  # too many glyph names for format 2
            post.formatType = 3.0
        font.sfntVersion = "\x00\x01\x00\x00"
        # Bounds are already set from the converted glyphs; recalculating would decompile all of them.
        font.recalcBBoxes = False
        replace_file(dest, font.save)
    finally:
        font.close()


LOCK_STALE_SECONDS = 900.0


@contextlib.contextmanager
def _conversion_lock(
    lock: Path, dest: Path, wait_seconds: float = LOCK_STALE_SECONDS
) -> Iterator[bool]:
    """Hold ``lock`` (O_EXCL file) while converting; yields False if another process finished ``dest`` meanwhile."""
    deadline = time.monotonic() + wait_seconds
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            with contextlib.suppress(OSError):
                if time.time() - lock.stat().st_mtime > LOCK_STALE_SECONDS:
                    os.unlink(lock)  # left behind by a killed process
                    continue
            if dest.is_file() and dest.stat().st_size > 0:
                yield False
                return
            if time.monotonic() > deadline:
                # Give up waiting; converting twice is slower but still correct (atomic replace).
                yield True
                return
            time.sleep(0.25)
            continue
        except OSError:
            yield True  # cannot lock (read-only or odd file system): just convert
            return
        break
    try:
        os.write(fd, str(os.getpid()).encode())
        os.close(fd)
        yield not (dest.is_file() and dest.stat().st_size > 0)
    finally:
        with contextlib.suppress(OSError):
            os.unlink(lock)


def prepared_ttf(
    source: Path,
    index: int,
    cache_dir: Path,
    *,
    label: str = "",
    on_message: Callable[[str], None] | None = None,
) -> Path:
    """Return a cached TrueType conversion of ``source``/``index``, converting it once if needed.

    Concurrent processes wait for each other through a lock file, so the work is done once.
    """
    dest = cache_dir / "ttf" / converted_name(source, index)
    if dest.is_file() and dest.stat().st_size > 0:
        return dest
    dest.parent.mkdir(parents=True, exist_ok=True)
    with _conversion_lock(dest.with_name(dest.name + ".lock"), dest) as must_convert:
        if not must_convert:
            return dest
        if on_message:
            shown = label or source.name
            on_message(f"preparing font {shown} for PDF embedding (once; cached in {dest.parent})…")
        started = time.monotonic()
        convert_cff_to_ttf(source, dest, index=index)
        if on_message:
            on_message(f"prepared {dest.name} in {time.monotonic() - started:.1f} s")
    return dest
