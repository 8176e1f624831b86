"""A PdfWriter on a tiny document for unit tests of its node handlers, on one FontBook per process
(bundled fonts when BRIEFGEN_NO_SYSTEM_FONTS=1)."""

from __future__ import annotations

from datetime import datetime
from functools import cache

from briefgen.fonts.book import FontBook
from briefgen.model.theme import load_theme
from briefgen.tree import Block, Document, Metadata, Paragraph, Span
from briefgen.writers.context import RenderContext
from briefgen.writers.pdf.writer import PdfWriter

STAMP = datetime(2024, 5, 10)


@cache
def _book(name: str) -> FontBook:
    return FontBook(load_theme(name))


def context(theme: str = "gongwen") -> RenderContext:
    return RenderContext(theme=load_theme(theme), fonts=_book(theme), timestamp=STAMP)


def document(blocks: list[Block] | None = None) -> Document:
    return Document(Metadata("单元测试"), blocks or [Paragraph((Span("正文。"),))], show_title=False)


def writer(theme: str = "gongwen", doc: Document | None = None) -> PdfWriter:
    return PdfWriter(doc or document(), context(theme))
