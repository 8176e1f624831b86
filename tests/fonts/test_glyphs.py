"""CFF embedding by skeleton + glyph store: metrics kept, outlines kept, PDFs independent of the cache, treatments, locks that die with their holder."""

from __future__ import annotations

import io
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pylopdf_fonts_zh_cn
import pypdf
from fonthelpers_bg import build_tiny_font
from fontTools.pens.boundsPen import BoundsPen
from fontTools.ttLib import TTFont
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont as RLTTFont
from reportlab.pdfgen import canvas

from briefgen.fonts import glyphs
from briefgen.inputs.filelock import FileLock

NOTO_SERIF = Path(pylopdf_fonts_zh_cn.serif_path())  # a dependency: present on pip-only machines


NOTO_SERIF = Path(pylopdf_fonts_zh_cn.serif_path())  # a dependency: present on pip-only machines


def _bounds(font: TTFont, glyph: str) -> tuple[float, float, float, float]:
    pen = BoundsPen(font.getGlyphSet())
    font.getGlyphSet()[glyph].draw(pen)
    assert pen.bounds is not None
    return pen.bounds


def _pdf(src: Path, cache: Path, text: str, name: str, treatment: glyphs.Treatment = "") -> bytes:
    """A one-line PDF in ``src`` embedded through its skeleton and a glyph store in ``cache``."""
    skel = glyphs.skeleton(src, 0, cache, treatment)
    pdfmetrics.registerFont(RLTTFont(name, str(skel)))
    # ReportLab maps a font whose PostScript name it has seen to the first such font object
    glyphs.attach(pdfmetrics.getFont(name).face, glyphs.GlyphStore(src, 0, treatment, cache))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, invariant=1)
    c.setFont(name, 20)
    c.drawString(50, 700, text)
    c.save()
    return buf.getvalue()


def _embedded(pdf: bytes) -> TTFont:
    """The (only) embedded TrueType font program of a PDF."""
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    for ref in fonts.values():
        desc = ref.get_object().get("/FontDescriptor")
        if desc is not None and "/FontFile2" in desc.get_object():
            data = desc.get_object()["/FontFile2"].get_object().get_data()
            return TTFont(io.BytesIO(data))
    raise AssertionError("no embedded TrueType font")


def test_skeleton_keeps_cmap_and_metrics_without_outlines(tmp_path: Path) -> None:
    src = build_tiny_font(tmp_path / "t.otf", family="Tiny CFF", cff=True)
    skel = glyphs.skeleton(src, 0, tmp_path / "cache")
    a, b = TTFont(str(src)), TTFont(str(skel))
    assert b.sfntVersion == "\x00\x01\x00\x00" and "glyf" in b and "CFF " not in b
    assert len(a.getGlyphOrder()) == len(b.getGlyphOrder())  # same glyph ids (names: post 3)
    gid_a, gid_b = a.getReverseGlyphMap(), b.getReverseGlyphMap()
    assert {c: gid_a[n] for c, n in a.getBestCmap().items()} == {
        c: gid_b[n] for c, n in b.getBestCmap().items()}
    order_b = b.getGlyphOrder()
    assert all(a["hmtx"][g] == b["hmtx"][order_b[i]] for i, g in enumerate(a.getGlyphOrder()))
    assert all(b["glyf"][g].numberOfContours == 0 for g in order_b)
    assert RLTTFont("TinySkeleton", str(skel)).face.charWidths[ord("A")] == 600


def test_subset_embeds_converted_outlines_of_used_glyphs(tmp_path: Path) -> None:
    src = build_tiny_font(tmp_path / "t.otf", family="Tiny CFF", cff=True)
    pdf = _pdf(src, tmp_path / "cache", "AB", "TinySubset")
    emb = _embedded(pdf)
    assert "glyf" in emb
    source = TTFont(str(src))
    want = _bounds(source, "uni0041")
    drawn = [g for g in emb.getGlyphOrder() if emb["glyf"][g].numberOfContours > 0]
    assert drawn  # ReportLab's first subset holds the font's ASCII: here every glyph, all boxes
    for g in drawn:
        glyph = emb["glyf"][g]
        got = (glyph.xMin, glyph.yMin, glyph.xMax, glyph.yMax)
        assert all(abs(x - y) <= 1 for x, y in zip(got, want, strict=True)), (got, want)
    assert "AB" in pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text()


def test_pdf_bytes_do_not_depend_on_the_cache(tmp_path: Path) -> None:
    src = build_tiny_font(tmp_path / "t.otf", family="Tiny CFF", cff=True)
    cold = _pdf(src, tmp_path / "c1", "ABC123", "TinyCold")
    _pdf(src, tmp_path / "c2", "XYZ", "TinyPrime")  # a cache that already holds other glyphs
    primed = _pdf(src, tmp_path / "c2", "ABC123", "TinyPrimed")
    warm = _pdf(src, tmp_path / "c1", "ABC123", "TinyWarm")
    assert cold == primed == warm


def test_glyph_store_grows_with_use(tmp_path: Path) -> None:
    src = NOTO_SERIF
    cache = tmp_path / "cache"
    _pdf(src, cache, "中文", "NotoGrowA")
    first = glyphs.GlyphStore(src, 0, "", cache)
    assert first.file is not None and first.file.is_file()
    before = len(first._glyphs)
    assert before >= 3  # .notdef, 中, 文 (and the ASCII of ReportLab's first subset)
    _pdf(src, cache, "中文简报", "NotoGrowB")
    assert len(glyphs.GlyphStore(src, 0, "", cache)._glyphs) == before + 2
    assert before < 500, "converted far more than the page uses"


def test_treatments_change_the_outline_not_the_metrics(tmp_path: Path) -> None:
    src = build_tiny_font(tmp_path / "t.otf", family="Tiny CFF", cff=True)
    font = TTFont(str(src))
    gs = font.getGlyphSet()
    plain = glyphs.convert_glyph(gs, "uni0041")
    bold = glyphs.convert_glyph(gs, "uni0041", "bold")
    oblique = glyphs.convert_glyph(gs, "uni0041", "oblique")
    assert bold[3] - bold[1] == plain[3] - plain[1] + round(glyphs.BOLD_OFFSET)  # wider
    assert bold[6] == 4 * plain[6]  # four copies of the contour
    assert oblique[3] > plain[3] and oblique[1] != plain[1]  # slanted right at the top
    skel = glyphs.skeleton(NOTO_SERIF, 0, tmp_path / "cache", "bold")
    names = [n.toUnicode() for n in TTFont(str(skel))["name"].names if n.nameID == 6]
    assert names and all(n.endswith("-SynBold") for n in names)
    skel = glyphs.skeleton(NOTO_SERIF, 0, tmp_path / "cache", "oblique")
    assert TTFont(str(skel))["post"].italicAngle < -5


HOLD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from briefgen.inputs.filelock import FileLock
    lock = FileLock(Path(sys.argv[1]), timeout=5)
    lock.acquire()
    print("held", flush=True)
    time.sleep(600)
""")


def test_lock_of_a_killed_holder_is_taken_over_at_once(tmp_path: Path) -> None:
    src = build_tiny_font(tmp_path / "t.otf", family="Tiny CFF", cff=True)
    cache = tmp_path / "cache"
    dest = cache / "ttf" / glyphs.skeleton_name(src, 0)
    lock = dest.with_name(dest.name + ".lock")
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    holder = subprocess.Popen([sys.executable, "-c", HOLD, str(lock)], stdout=subprocess.PIPE,
                              text=True, env=env)
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    waits: list[str] = []
    try:
        with FileLock(lock, timeout=0, on_wait=waits.append) as probe:  # pragma: no cover
            raise AssertionError(f"lock not held by the child: {probe}")
    except Exception as exc:  # noqa: BLE001 - LockTimeout: the child does hold it
        assert "locked by briefgen pid" in str(exc), exc
    holder.send_signal(signal.SIGKILL)
    holder.wait()
    messages: list[str] = []
    assert glyphs.skeleton(src, 0, cache, on_message=messages.append) == dest
    assert dest.is_file()
    assert not any("waiting" in m for m in messages), messages
