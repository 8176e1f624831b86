"""Small shared helpers for the PDF unit tests: one FontBook per process, a document template that
lays out a few flowables, and text read back with pypdf / pdfplumber."""

from __future__ import annotations

import io
from datetime import datetime
from functools import cache

import pdfplumber
from pypdf import PdfReader
from reportlab.platypus import Flowable

from briefgen.fonts.book import FontBook
from briefgen.model.theme import Theme, load_theme
from briefgen.tree import Metadata
from briefgen.writers.pdf.flowables import PdfText, TextStyle
from briefgen.writers.pdf.pages import BriefDocTemplate, canvas_maker

STAMP = datetime(2024, 5, 10)
META = Metadata("单元测试", author="示例办", subject="测试", keywords=["甲"])


@cache
def _book(name: str) -> tuple[Theme, FontBook]:
    t = load_theme(name)
    return t, FontBook(t)


def text_for(name: str = "gongwen") -> PdfText:
    """A fresh PdfText (its missing-glyph record is per render) on the shared FontBook."""
    t, book = _book(name)
    return PdfText(book, t)


def body_style(text: PdfText) -> TextStyle:
    t = text.theme
    return TextStyle(t.fonts.body, t.sizes.body, t.grid.line_pitch_pt, t.tracking)


def build(flowables: list[Flowable], text: PdfText, meta: Metadata = META) -> tuple[bytes, BriefDocTemplate]:
    """Lay ``flowables`` out on the theme's pages; the PDF bytes and the template (page records)."""
    buf = io.BytesIO()
    doc = BriefDocTemplate(buf, text.theme, text, meta, ", ".join(meta.keywords))
    doc.build(flowables, canvasmaker=canvas_maker(STAMP))
    return buf.getvalue(), doc


def pages_text(data: bytes) -> list[str]:
    """Each page's text without whitespace (pypdf)."""
    return ["".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages]


def plumber(data: bytes) -> pdfplumber.PDF:
    return pdfplumber.open(io.BytesIO(data))
