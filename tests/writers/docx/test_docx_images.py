"""writers.docx.images: pictures as inline drawings with alt text and caption, narrowed to the available
width, stored once, and logos anchored to the page; XML read back with lxml."""

from __future__ import annotations

import dataclasses

from docxkit import NS, reparse, text_of, wattr
from docxwkit import writer
from lxml import etree

import imagekit
from briefgen.writers.docx.images import (
    BOX_MARGIN,
    EMU_PER_MM,
    EMU_PER_TWIP,
    Pictures,
    image_block,
    pictures_of,
)

WP = "http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing"
A = "http://schemas.openxmlformats.org/drawingml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
ALL = {**NS, "wp": WP, "a": A}


def test_picture_paragraph_then_caption_and_credit() -> None:
    w = writer()
    img = imagekit.sample_node("图为示例", 40.0)
    ps = [reparse(p) for p in image_block(w, img, 0)]
    assert [text_of(p) for p in ps] == ["", "图为示例", "摄影：示例"]
    ext = ps[0].find(".//wp:inline/wp:extent", ALL)
    assert int(ext.get("cx")) == 40 * EMU_PER_MM and int(ext.get("cy")) == round(img.height_mm * EMU_PER_MM)
    doc_pr = ps[0].find(".//wp:docPr", ALL)
    assert doc_pr.get("descr") == "示例图片" and doc_pr.get("name") == "sample.png"
    assert ps[0].find("w:pPr/w:keepNext", NS) is not None and ps[1].find("w:pPr/w:keepNext", NS) is not None
    assert wattr(ps[1].find("w:pPr/w:pStyle", NS), "val") == "Caption"
    assert wattr(ps[2].find("w:pPr/w:pStyle", NS), "val") == "SourceNote"
    rid = ps[0].find(".//a:blip", ALL).get(f"{{{R}}}embed")
    assert w.docx.part.related_parts[rid].blob == img.data


def test_too_wide_is_narrowed_with_a_warning_and_stored_once() -> None:
    w = writer()
    wide = dataclasses.replace(imagekit.sample_node("", 400.0), caption="", credit="")
    warned: list[str] = []
    pics = Pictures(w.docx, warned.append)
    cx, cy = pics.size_emu(wide, 2000)
    assert cx == 2000 * EMU_PER_TWIP and cy == round(wide.height_mm * EMU_PER_MM * cx / (400 * EMU_PER_MM))
    assert warned == ["docx: image 'sample.png' narrowed to the available width"]
    a, b = pics.inline(wide, cx, cy), pics.inline(wide, cx, cy)
    ids = [x.find(".//wp:docPr", ALL).get("id") for x in (a, b)]
    rids = [x.find(".//a:blip", ALL).get(f"{{{R}}}embed") for x in (a, b)]
    assert ids[0] != ids[1] and rids[0] == rids[1]


def test_box_depth_narrows_the_available_width() -> None:
    w = writer()
    img = imagekit.sample_node("", 400.0)
    (p,) = [reparse(x) for x in image_block(w, dataclasses.replace(img, credit=""), 1)]
    ext = p.find(".//wp:extent", ALL)
    assert int(ext.get("cx")) == (w.geo.text_w - 2 * BOX_MARGIN) * EMU_PER_TWIP
    assert pictures_of(w) is pictures_of(w)


def test_anchored_logo_is_placed_from_the_page_corner() -> None:
    w = writer()
    logo = imagekit.sample_node("", 20.0)
    d = etree.fromstring(etree.tostring(pictures_of(w).anchored(logo, 15.0, 12.5)))
    anchor = d.find("wp:anchor", ALL)
    assert anchor.find("wp:positionH", ALL).get("relativeFrom") == "page"
    assert int(anchor.find("wp:positionH/wp:posOffset", ALL).text) == 15 * EMU_PER_MM
    assert int(anchor.find("wp:positionV/wp:posOffset", ALL).text) == round(12.5 * EMU_PER_MM)
    assert anchor.find("wp:wrapNone", ALL) is not None
