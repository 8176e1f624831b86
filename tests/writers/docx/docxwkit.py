"""A DocxWriter on a tiny document, for unit tests of its node handlers (DOCX names straight from the theme)."""

from __future__ import annotations

from datetime import datetime

from briefgen.model.theme import Theme, load_theme
from briefgen.tree import Block, Document, Metadata, Paragraph, Span
from briefgen.writers.context import RenderContext
from briefgen.writers.docx.writer import DocxWriter

STAMP = datetime(2024, 5, 10)


class DocxNames:
    """Stands in for FontBook: DOCX names straight from the theme (the DOCX writer needs no more)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme

    def docx_name(self, role: str) -> str:
        return str(getattr(self.theme.docx_fonts, role))


def context(theme: str = "gongwen") -> RenderContext:
    t = load_theme(theme)
    return RenderContext(theme=t, fonts=DocxNames(t), timestamp=STAMP)  # type: ignore[arg-type]


def document(blocks: list[Block] | None = None, **kw: object) -> Document:
    return Document(Metadata("单元测试"), blocks or [Paragraph((Span("正文。"),))], **kw)  # type: ignore[arg-type]


def writer(theme: str = "gongwen", doc: Document | None = None) -> DocxWriter:
    return DocxWriter(doc or document(), context(theme))
