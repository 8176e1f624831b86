"""Turn ``Image`` nodes into PDF flowables: the picture (vector for text-free SVG), its caption and credit.

ReportLab's ``drawImage`` names each image XObject by a digest of its pixels, so a picture used
twice in one PDF is embedded once. Pictures are narrowed (aspect kept) to the frame width and, as a
last resort, to the frame height, so they never leave the type area. A ``KeepLines`` in front keeps
the picture and its caption on one page. SVGs without text are drawn as ReportLab vector drawings
(svglib); an SVG with text is drawn from its raster, since svglib would set that text in the
non-embedded standard fonts. What a picture costs to prepare (decoding, the pixel digest, the
compressed image stream, svglib's drawing) is kept per process by content, so a batch or a
re-pass prepares each picture once; every PDF still gets its own image objects.
"""

from __future__ import annotations

import copy
import hashlib
import io
import re
import threading
from collections import OrderedDict
from typing import Any

from reportlab.lib.boxstuff import aspectRatioFix
from reportlab.lib.utils import ImageReader, _digester
from reportlab.pdfbase import pdfdoc
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from briefgen.i18n import _
from briefgen.tree import Image
from briefgen.writers.pdf.flowables import GridSnap, KeepLines, TextBlock

PT_PER_MM = 72 / 25.4
_SVG_TEXT = re.compile(rb"<(?:\w+:)?text[\s>]")
_LOCK = threading.Lock()
# content digest → (XObject name, a prepared image XObject to copy into each PDF), bounded by bytes
_PREPARED: OrderedDict[str, tuple[str, Any]] = OrderedDict()
_PREPARED_MAX_BYTES = 64 * 1024 * 1024
_DRAWINGS: OrderedDict[str, Any] = OrderedDict()  # SVG digest → svglib drawing (or None)
_DRAWINGS_MAX = 64


def _stream_bytes(obj: Any) -> int:
    sm = getattr(obj, "_smask", None)
    return len(obj.streamContent) + (len(sm.streamContent) if sm is not None else 0)


def prepared_image(data: bytes, digest: str = "") -> tuple[str, Any]:
    """``(name, xobject)`` exactly as ``Canvas.drawImage(image, mask="auto")`` makes
    them (the name is ReportLab's digest of the pixels and mask), made once per content."""
    key = digest or hashlib.sha256(data).hexdigest()
    with _LOCK:
        got = _PREPARED.get(key)
        if got is not None:
            _PREPARED.move_to_end(key)
            return got
    reader = ImageReader(io.BytesIO(data))
    raw = reader.getRGBData()  # sets the alpha channel reader, as in drawImage
    smask = reader._dataA
    mdata = smask.getRGBData() if smask else b"auto"  # drawImage's str(mask) for mask="auto"
    name = _digester(raw + mdata)
    obj = pdfdoc.PDFImageXObject(name, reader, mask="auto")
    obj.name = name
    got = (name, obj)
    with _LOCK:
        _PREPARED[key] = got
        held = sum(_stream_bytes(o) for _n, o in _PREPARED.values())
        while len(_PREPARED) > 1 and held > _PREPARED_MAX_BYTES:
            _k, (_n, old) = _PREPARED.popitem(last=False)
            held -= _stream_bytes(old)
    return got


def draw_prepared(canv: Canvas, data: bytes, digest: str, width: float, height: float) -> None:
    """``canv.drawImage(image, 0, 0, width, height, mask="auto")`` with the image
    prepared once per content (same objects, names and content stream as drawImage writes)."""
    name, template = prepared_image(data, digest)
    canv._currentPageHasImages = 1
    doc = canv._doc
    reg = doc.getXObjectName(name)
    obj = doc.idToObject.get(reg, None)
    if not obj:  # first use in this PDF: a copy (ReportLab sets per-document attributes on it)
        obj = copy.copy(template)
        smask = getattr(template, "_smask", None)
        if smask is not None:
            obj._smask = copy.copy(smask)
        canv._setXObjects(obj)
        doc.Reference(obj, reg)
        doc.addForm(name, obj)
        smask = getattr(obj, "_smask", None)
        if smask:
            mreg = doc.getXObjectName(smask.name)
            if not doc.idToObject.get(mreg, None):
                canv._setXObjects(smask)
                obj.smask = doc.Reference(smask, mreg)
            else:
                obj.smask = pdfdoc.PDFObjectReference(mreg)
            del obj._smask
    x, y, width, height, _scaled = aspectRatioFix(False, "c", 0, 0, width, height, obj.width, obj.height, False)
    canv.saveState()
    canv.translate(x, y)
    canv.scale(width, height)
    canv._code.append(f"/{reg} Do")
    canv.restoreState()
    canv._formsinuse.append(name)


def svg_drawing(svg: bytes) -> Any:
    """svglib's drawing of ``svg`` (None when it cannot draw it), parsed once per content."""
    key = hashlib.sha256(svg).hexdigest()
    with _LOCK:
        if key in _DRAWINGS:
            _DRAWINGS.move_to_end(key)
            return _DRAWINGS[key]
    from svglib.svglib import svg2rlg  # reason: svglib only for SVG pictures

    drawing = svg2rlg(io.BytesIO(svg))
    with _LOCK:
        _DRAWINGS[key] = drawing
        while len(_DRAWINGS) > _DRAWINGS_MAX:
            _DRAWINGS.popitem(last=False)
    return drawing


class PictureFlowable(Flowable):
    """One picture at its printed size, narrowed to fit the frame; aligned by ``hAlign``."""

    def __init__(self, img: Image, warn: Any = None, font: str = "") -> None:
        super().__init__()
        self.font = font  # an embedded font: renderPDF sets a font even for drawings without text
        self.img = img
        self.warn = warn
        self.full_w = img.width_mm * PT_PER_MM
        self.full_h = img.height_mm * PT_PER_MM
        self.hAlign = img.align.upper()
        self._drawing: Any = None
        self.width, self.height = self.full_w, self.full_h

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        scale = min(1.0, aw / self.full_w) if self.full_w > 0 else 1.0
        frame = getattr(self, "_frame", None)
        frame_h = (frame._y2 - frame._y1 - frame._topPadding - frame._bottomPadding) if frame is not None else 1e9
        if self.full_h * scale > frame_h:
            scale = frame_h / self.full_h
        if scale < 0.999 and self.warn is not None:
            self.warn(_("pdf: image {name!r} narrowed to the available space").format(name=self.img.name))
        self.width, self.height = self.full_w * scale, self.full_h * scale
        return self.width, self.height

    def _vector(self) -> Any:
        if self._drawing is None:
            self._drawing = svg_drawing(self.img.svg)
        return self._drawing

    def draw(self) -> None:
        img = self.img
        if img.svg and not _SVG_TEXT.search(img.svg):
            from reportlab.graphics import renderPDF  # reason: graphics only for SVG pictures

            d = self._vector()
            if d is not None and d.width > 0 and d.height > 0:
                if self.font:
                    d.__dict__["initialFontName"] = self.font  # read by renderbase.StateTracker
                self.canv.saveState()
                self.canv.scale(self.width / d.width, self.height / d.height)
                renderPDF.draw(d, self.canv, 0, 0)
                self.canv.restoreState()
                return
        draw_prepared(self.canv, img.data, img.digest, self.width, self.height)


def image_block(w: Any, img: Image, depth: int) -> list[Flowable]:
    """HANDLERS entry for ``Image``: keep-together, the picture, caption and credit, grid snap."""
    pic = PictureFlowable(img, w.ctx.warn, w.text.font(w.theme.fonts.body))
    lines: list[TextBlock] = []
    if img.caption:
        st = w.roles["caption"].but(space_before=w.pitch * 0.25)
        lines.append(TextBlock(w.text.pieces(img.caption, st.role, st.size), st, w.text))
    if img.credit:
        st = w.roles["source"].but(align="center", first_indent=0.0)
        lines.append(TextBlock(w.text.pieces(img.credit, st.role, st.size), st, w.text))

    def need(aw: float) -> float:  # the picture and its caption lines stay on one page
        return pic.wrap(aw, 1e9)[1] + sum(t.wrap(aw, 1e9)[1] for t in lines)

    return [KeepLines(need), pic, *lines, GridSnap(w.pitch)]


class WithLogo(Flowable):
    """A front-matter flowable (masthead, cover) plus its logo, drawn at a fixed place on the page."""

    def __init__(self, inner: Flowable, logo: Image, page_height: float, font: str = "") -> None:
        super().__init__()
        self.inner, self.logo, self.page_height = inner, logo, page_height
        self.pic = PictureFlowable(logo, None, font)

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.inner._frame = getattr(self, "_frame", None)
        self.width, self.height = self.inner.wrap(aw, ah)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        parts = self.inner.split(aw, ah)
        if not parts:
            return []
        return [WithLogo(parts[0], self.logo, self.page_height, self.pic.font), *parts[1:]]

    def getSpaceBefore(self) -> float:  # noqa: N802 - ReportLab's name
        return float(self.inner.getSpaceBefore())

    def getSpaceAfter(self) -> float:  # noqa: N802 - ReportLab's name
        return float(self.inner.getSpaceAfter())

    def draw(self) -> None:
        self.inner.drawOn(self.canv, 0, 0)
        logo = self.logo
        ox, oy = self.canv.absolutePosition(0, 0)
        w, h = logo.width_mm * PT_PER_MM, logo.height_mm * PT_PER_MM
        x = (logo.page_x_mm or 0.0) * PT_PER_MM
        y = self.page_height - (logo.page_y_mm or 0.0) * PT_PER_MM - h
        self.pic.canv = self.canv
        self.pic.width, self.pic.height = w, h
        self.canv.saveState()
        self.canv.translate(x - ox, y - oy)
        self.pic.draw()
        self.canv.restoreState()


def with_logo(handler: Any) -> Any:
    """Wrap a masthead/cover handler so the first flowable it returns also draws the node's logo."""

    def wrapped(w: Any, node: Any, depth: int) -> list[Flowable]:
        out: list[Flowable] = handler(w, node, depth)
        logo: Image | None = getattr(node, "logo", None)
        if logo is None or logo.page_x_mm is None or not out:
            return out
        return [WithLogo(out[0], logo, w.theme.page.height_pt, w.text.font(w.theme.fonts.body)), *out[1:]]

    return wrapped
