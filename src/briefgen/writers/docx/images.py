"""Turn ``Image`` nodes into DOCX paragraphs: an inline picture (alt text in ``docPr@descr``), then its caption.

The picture bytes go into the package through python-docx's image parts, which are keyed by
content (SHA-1): a picture used twice is stored once. Drawing ids are counted by the writer, not
by python-docx (whose ``next_id`` only sees XML already in the body). The picture paragraph keeps
with its caption (``keepNext``) and uses single, auto line spacing off the document grid, so the
exact 28.95 pt body line pitch cannot clip it. Anchored (floating) pictures for logos are made by
:func:`anchored_picture`, placed relative to the page in millimetres.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

from docx.document import Document as DocxDocument
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from briefgen.i18n import _
from briefgen.tree import Image
from briefgen.writers.docx.xml import NOTES, Element, clean_text, el, ppr, qn, run, spacing, val

EMU_PER_MM = 36000
EMU_PER_TWIP = 635


class Pictures:
    """Adds picture parts to one DOCX and hands out unique drawing ids."""

    def __init__(self, docx: DocxDocument, warn: Callable[[str], None]) -> None:
        self.docx, self.warn = docx, warn
        self._next_id = 1000

    def _rid(self, img: Image) -> str:
        rid, _image = self.docx.part.get_or_add_image(io.BytesIO(img.data))
        return str(rid)

    def _id(self) -> int:
        self._next_id += 1
        return self._next_id

    def size_emu(self, img: Image, avail_twips: int) -> tuple[int, int]:
        """The printed size in EMU, narrowed (aspect kept) to the available width."""
        cx = round(img.width_mm * EMU_PER_MM)
        cy = round(img.height_mm * EMU_PER_MM)
        avail = avail_twips * EMU_PER_TWIP
        if cx > avail:
            cy = round(cy * avail / cx)
            cx = avail
            self.warn(_("docx: image {name!r} narrowed to the available width").format(name=img.name))
        return cx, cy

    def inline(self, img: Image, cx: int, cy: int) -> Element:
        """``w:drawing`` with an inline ``pic:pic`` of ``img`` at ``cx``×``cy`` EMU."""
        rid, pid = self._rid(img), self._id()
        name = _attr(img.name or f"image{pid}")
        descr = _attr(img.alt or img.caption)
        xml = (
            f'<w:drawing {nsdecls("w", "wp", "a", "pic", "r")}>'
            f'<wp:inline distT="0" distB="0" distL="0" distR="0"><wp:extent cx="{cx}" cy="{cy}"/>'
            '<wp:effectExtent l="0" t="0" r="0" b="0"/>'
            f'<wp:docPr id="{pid}" name="{name}" descr="{descr}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f"{_graphic(pid, name, descr, rid, cx, cy)}</wp:inline></w:drawing>"
        )
        return parse_xml(xml)

    def anchored(self, img: Image, x_mm: float, y_mm: float) -> Element:
        """``w:drawing`` floating in front of the text at (``x_mm``, ``y_mm``) from the page's top left."""
        rid, pid = self._rid(img), self._id()
        cx, cy = round(img.width_mm * EMU_PER_MM), round(img.height_mm * EMU_PER_MM)
        name = _attr(img.name or f"logo{pid}")
        descr = _attr(img.alt or img.caption)
        xml = (
            f'<w:drawing {nsdecls("w", "wp", "a", "pic", "r")}>'
            f'<wp:anchor distT="0" distB="0" distL="0" distR="0" simplePos="0" relativeHeight="{pid}" '
            'behindDoc="0" locked="1" layoutInCell="1" allowOverlap="1">'
            '<wp:simplePos x="0" y="0"/>'
            f'<wp:positionH relativeFrom="page"><wp:posOffset>{round(x_mm * EMU_PER_MM)}</wp:posOffset>'
            "</wp:positionH>"
            f'<wp:positionV relativeFrom="page"><wp:posOffset>{round(y_mm * EMU_PER_MM)}</wp:posOffset>'
            "</wp:positionV>"
            f'<wp:extent cx="{cx}" cy="{cy}"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/>'
            f'<wp:docPr id="{pid}" name="{name}" descr="{descr}"/>'
            '<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>'
            f"{_graphic(pid, name, descr, rid, cx, cy)}</wp:anchor></w:drawing>"
        )
        return parse_xml(xml)

    def paragraphs(self, img: Image, avail_twips: int) -> list[Element]:
        """The picture paragraph, then the caption and credit lines (kept together)."""
        cx, cy = self.size_emu(img, avail_twips)
        lines = [t for t in (img.caption, img.credit) if t]
        jc = {"left": "left", "center": "center", "right": "right"}[img.align]
        pic_ppr = ppr(None, jc=jc, extra=[
            el("w:keepNext") if lines else None, el("w:keepLines"), val("w:snapToGrid", 0), spacing(None),
            el("w:ind", {"w:firstLine": 0, "w:firstLineChars": 0}),
        ])
        out: list[Element] = [el("w:p", None, pic_ppr, el("w:r", None, self.inline(img, cx, cy)))]
        for k, text in enumerate(lines):
            style = "Caption" if text == img.caption and k == 0 else "SourceNote"
            keep = el("w:keepNext") if k < len(lines) - 1 else None
            out.append(el("w:p", None, ppr(style, jc="center", extra=[keep]), *self._line(img, text)))
        return out

    def _line(self, img: Image, text: str) -> list[Element]:
        """A caption or credit line's runs; the one carrying the picture's note mark gets a Word footnote."""
        collected = NOTES.get()
        if not (img.note and img.mark and collected is not None and text.endswith(img.mark)):
            return [run(clean_text(text, self.warn))]
        collected.append(clean_text(img.note, self.warn))
        ref = el("w:r", None, el("w:rPr", None, val("w:rStyle", "FootnoteReference")),
                 el("w:footnoteReference", {"w:id": len(collected)}))
        return [run(clean_text(text.removesuffix(img.mark), self.warn)), ref]


def _graphic(pid: int, name: str, descr: str, rid: str, cx: int, cy: int) -> str:
    return (
        '<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture">'
        f'<pic:pic><pic:nvPicPr><pic:cNvPr id="{pid}" name="{name}" descr="{descr}"/><pic:cNvPicPr/></pic:nvPicPr>'
        f'<pic:blipFill><a:blip r:embed="{rid}"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>'
        f'<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="{cx}" cy="{cy}"/></a:xfrm>'
        '<a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic>'
    )


def _attr(text: str) -> str:
    """Text made safe for an XML attribute value."""
    text = clean_text(text)
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
            .replace("\n", "&#10;"))


def pictures_of(w: object) -> Pictures:
    """The writer's ``Pictures`` (made on first use)."""
    pics = getattr(w, "_pictures", None)
    if pics is None:
        pics = Pictures(w.docx, w.warn)  # type: ignore[attr-defined]
        w._pictures = pics  # type: ignore[attr-defined]
    return pics


def image_block(w: object, img: Image, depth: int) -> list[Element]:
    """HANDLERS entry for ``Image``: the type-area width less box margins is available."""
    avail = w.geo.text_w - depth * 2 * BOX_MARGIN  # type: ignore[attr-defined]
    return pictures_of(w).paragraphs(img, avail)


BOX_MARGIN = 170  # twips, left/right inside a box (as the writer's boxes)


def with_logo(handler: Callable[[Any, Any, int], list[Element]]) -> Callable[[Any, Any, int], list[Element]]:
    """Wrap a masthead/cover handler: its ``logo`` floats at its page position, anchored in the first paragraph."""

    def wrapped(w: Any, node: Any, depth: int) -> list[Element]:
        out = handler(w, node, depth)
        logo: Image | None = getattr(node, "logo", None)
        if logo is None or logo.page_x_mm is None or logo.page_y_mm is None:
            return out
        first = next((p for e in out for p in e.iter(qn("w:p"))), None)
        if first is None:
            first = el("w:p")
            out.insert(0, first)
        at = 1 if len(first) and first[0].tag == qn("w:pPr") else 0
        first.insert(at, el("w:r", None, pictures_of(w).anchored(logo, logo.page_x_mm, logo.page_y_mm)))
        return out

    return wrapped
