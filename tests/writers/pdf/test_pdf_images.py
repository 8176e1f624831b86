"""writers.pdf.images: pictures drawn at their printed size (narrowed to the frame), caption and credit
under them, the same picture embedded once, logos at their page position; read back with pdfplumber/pypdf."""

from __future__ import annotations

import dataclasses
import io

import pytest
from pdfkit import build, pages_text, plumber
from pdfwkit import writer
from pypdf import PdfReader
from reportlab.platypus import Flowable, Spacer

import imagekit
from briefgen.writers.pdf.flowables import GridSnap, KeepLines
from briefgen.writers.pdf.images import PT_PER_MM, PictureFlowable, WithLogo, image_block


def test_picture_caption_and_credit() -> None:
    w = writer()
    img = imagekit.sample_node("图为示例", 60.0)
    flow = image_block(w, img, 0)
    assert isinstance(flow[0], KeepLines) and isinstance(flow[1], PictureFlowable) and isinstance(flow[-1], GridSnap)
    data, _ = build(flow, w.text)
    assert pages_text(data)[0].startswith("图为示例摄影：示例")
    with plumber(data) as pdf:
        page = pdf.pages[0]
        (im,) = page.images
        assert im["x1"] - im["x0"] == pytest.approx(60 * PT_PER_MM, abs=0.1)
        assert im["bottom"] - im["top"] == pytest.approx(40 * PT_PER_MM, abs=0.1)
        left = w.theme.page.margins_mm.left * 72 / 25.4
        mid = left + w.theme.type_area_width / 2
        assert (im["x0"] + im["x1"]) / 2 == pytest.approx(mid, abs=0.5)  # centred in the type area
        cap = [c for c in page.chars if c["text"] == "图"][0]
        assert cap["top"] > im["bottom"]


def test_wide_picture_narrowed_with_a_warning() -> None:
    w = writer()
    img = dataclasses.replace(imagekit.sample_node("", 400.0), credit="")
    pic = PictureFlowable(img, w.ctx.warn)
    aw = w.theme.type_area_width
    width, height = pic.wrap(aw, 1e9)
    assert width == pytest.approx(aw) and height == pytest.approx(aw * 160 / 240)
    assert w.ctx.warnings == ["pdf: image 'sample.png' narrowed to the available space"]


def test_same_picture_embedded_once() -> None:
    w = writer()
    img = dataclasses.replace(imagekit.sample_node("", 30.0), credit="")
    data, _ = build([PictureFlowable(img), Spacer(1, 10), PictureFlowable(img)], w.text)
    assert len(PdfReader(io.BytesIO(data)).pages[0].images) == 1  # one image XObject
    with plumber(data) as pdf:
        assert len(pdf.pages[0].images) == 2


class _Box(Flowable):
    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        return aw, 20

    def draw(self) -> None:
        self.canv.rect(0, 0, 10, 10)


def test_logo_drawn_at_its_page_position() -> None:
    w = writer()
    logo = dataclasses.replace(imagekit.sample_node("", 24.0), page_x_mm=20.0, page_y_mm=15.0)
    page_h = w.theme.page.height_pt
    data, _ = build([WithLogo(_Box(), logo, page_h)], w.text)
    with plumber(data) as pdf:
        (im,) = pdf.pages[0].images
        assert im["x0"] == pytest.approx(20 * PT_PER_MM, abs=0.1)
        assert im["top"] == pytest.approx(15 * PT_PER_MM, abs=0.1)
        assert im["x1"] - im["x0"] == pytest.approx(24 * PT_PER_MM, abs=0.1)


@pytest.mark.parametrize("mode,fmt", [("RGB", "JPEG"), ("RGB", "PNG"), ("RGBA", "PNG"), ("L", "PNG")])
def test_prepared_image_writes_what_draw_image_writes(mode: str, fmt: str) -> None:
    """The once-per-content image preparation: the same PDF bytes as ReportLab's drawImage, with
    the picture drawn twice on a page and in two documents (each PDF gets its own objects)."""
    from PIL import Image as PILImage
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen.canvas import Canvas

    from briefgen.writers.pdf import images

    im = PILImage.new(mode, (40, 30), (10, 200, 30, 128)[: len(mode)] if mode != "L" else 90)
    im.putpixel((3, 4), (250, 0, 0, 0)[: len(mode)] if mode != "L" else 7)
    buf = io.BytesIO()
    im.save(buf, fmt)
    data = buf.getvalue()

    def pdf(prepared: bool) -> bytes:
        out = io.BytesIO()
        c = Canvas(out, invariant=1)
        for x in (0, 100):
            c.saveState()
            c.translate(x, 50)
            if prepared:
                images.draw_prepared(c, data, "", 40, 30)
            else:
                c.drawImage(ImageReader(io.BytesIO(data)), 0, 0, 40, 30, mask="auto")
            c.restoreState()
        c.showPage()
        c.save()
        return out.getvalue()

    want = pdf(False)
    assert pdf(True) == want
    assert pdf(True) == want  # from the per-process cache
