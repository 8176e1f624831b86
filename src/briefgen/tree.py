"""The backend-neutral document tree: what templates and data turn into, and what every writer renders.

This module imports nothing from python-docx, ReportLab or Jinja2. Writers dispatch on the node
classes listed in ``BLOCK_TYPES``; a test checks that every writer handles every one of them.
All text here is plain Unicode text (already made XML-safe), never markup.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Literal

# ---------------------------------------------------------------- inline content


@dataclass(frozen=True)
class Span:
    """A run of text with uniform emphasis. ``strong`` renders in the theme's 黑体 role,
    ``emphasis`` in the 楷体 role (Chinese official documents do not use bold/italic faces)."""

    text: str
    strong: bool = False
    emphasis: bool = False


Inlines = tuple[Span, ...]


def plain(text: str) -> Inlines:
    """Inline content made of one unemphasised span."""
    return (Span(text),) if text else ()


def inline_text(inlines: Inlines) -> str:
    """The plain text of inline content."""
    return "".join(s.text for s in inlines)


# ---------------------------------------------------------------- blocks

ParagraphRole = Literal["body", "lead", "note", "source", "caption", "signature", "date"]


@dataclass
class Heading:
    """A numbered or unnumbered heading. ``level`` 1..4 maps to 一、/（一）/1./（1）.
    ``label`` is filled by the numbering pass (e.g. "一、"), empty when unnumbered."""

    level: int
    inlines: Inlines
    numbered: bool = True
    label: str = ""
    anchor: str = ""  # stable id used for bookmarks and the TOC

    @property
    def text(self) -> str:
        return inline_text(self.inlines)


@dataclass
class Paragraph:
    """A paragraph of running text. ``role`` selects the theme style (body = 正文 with a
    two-character first-line indent; note = 编者按-like 楷体; source = 来源/注 lines)."""

    inlines: Inlines
    role: ParagraphRole = "body"
    align: Literal["justify", "left", "center", "right"] | None = None

    @property
    def text(self) -> str:
        return inline_text(self.inlines)


@dataclass
class ListBlock:
    """An ordered or unordered list; each item is inline content."""

    items: list[Inlines]
    ordered: bool = False


@dataclass
class TableCell:
    """One table cell: its text and how to align it."""

    text: str
    align: Literal["left", "center", "right"] = "left"
    strong: bool = False  # subtotal / total rows


@dataclass
class Table:
    """A table of plain-text cells. ``header_rows`` rows repeat on every page.
    ``widths`` are relative column weights. ``style`` is "three-line" (三线表) or "grid"."""

    rows: list[list[TableCell]]
    header_rows: int = 1
    widths: list[float] = field(default_factory=list)
    caption: str = ""
    source_note: str = ""
    style: Literal["three-line", "grid"] = "three-line"
    anchor: str = ""

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.rows), default=0)


@dataclass
class Box:
    """A framed block (学习要点 key points, 编者按 in some themes): an optional title and content."""

    title: str
    blocks: list[Block]
    kind: Literal["keypoints", "note", "question"] = "keypoints"


@dataclass
class PageBreak:
    """Start a new page."""


@dataclass
class TocPlaceholder:
    """Where the table of contents goes; writers pre-fill it from the document's headings."""

    title: str = "目录"
    max_level: int = 2


@dataclass
class Masthead:
    """The red 简报 masthead: name, issue line, issuing unit (left) and date (right), red rule."""

    name: str
    issue_line: str  # e.g. "第3期（总第45期）"
    unit: str
    date_text: str
    mark: str = ""  # top-left classification, e.g. "内部资料 注意保存"
    serial: str = ""  # top-right 编号


@dataclass
class Cover:
    """A cover page (学习材料 / report): title, kind line, unit, date, classification mark."""

    title: str
    subtitle: str
    kind_line: str  # e.g. "学习材料"
    unit: str
    date_text: str
    mark: str = ""


@dataclass
class ClosingBlock:
    """The 报尾 / 版记 at the foot of the last page: 报：/送：/发： lines and the copy count."""

    lines: list[tuple[str, str]]  # (label, text), e.g. ("报", "区委办公室")
    copies_text: str = ""  # e.g. "（共印50份）"


Block = (
    Heading
    | Paragraph
    | ListBlock
    | Table
    | Box
    | PageBreak
    | TocPlaceholder
    | Masthead
    | Cover
    | ClosingBlock
)

BLOCK_TYPES: tuple[type, ...] = (
    Heading,
    Paragraph,
    ListBlock,
    Table,
    Box,
    PageBreak,
    TocPlaceholder,
    Masthead,
    Cover,
    ClosingBlock,
)


# ---------------------------------------------------------------- document


@dataclass
class Metadata:
    """Document metadata shared by both outputs (DOCX core properties, PDF info)."""

    title: str
    subtitle: str = ""
    author: str = ""  # issuing unit 编印单位
    subject: str = ""
    keywords: list[str] = field(default_factory=list)
    date: date | None = None  # the brief's own date (成文日期), not the build time
    language: str = "zh-CN"


@dataclass
class Document:
    """A whole briefing: metadata, the title block flag, and the body blocks in order."""

    meta: Metadata
    blocks: list[Block]
    show_title: bool = True  # print meta.title (and subtitle) as the document title

    def headings(self) -> list[Heading]:
        """All headings in order, including those nested in boxes."""
        out: list[Heading] = []

        def walk(blocks: list[Block]) -> None:
            for b in blocks:
                if isinstance(b, Heading):
                    out.append(b)
                elif isinstance(b, Box):
                    walk(b.blocks)

        walk(self.blocks)
        return out


def document_text(doc: Document) -> list[str]:
    """Every text line of the document in reading order (used by tests and coverage checks)."""
    out: list[str] = [doc.meta.title]
    if doc.meta.subtitle:
        out.append(doc.meta.subtitle)

    def walk(blocks: list[Block]) -> None:
        for b in blocks:
            if isinstance(b, Heading):
                out.append(b.label + b.text)
            elif isinstance(b, Paragraph):
                out.append(b.text)
            elif isinstance(b, ListBlock):
                out.extend(inline_text(i) for i in b.items)
            elif isinstance(b, Table):
                out.append(b.caption)
                out.extend(c.text for r in b.rows for c in r)
                out.append(b.source_note)
            elif isinstance(b, Box):
                out.append(b.title)
                walk(b.blocks)
            elif isinstance(b, TocPlaceholder):
                out.append(b.title)
            elif isinstance(b, Masthead):
                out.extend([b.name, b.issue_line, b.unit, b.date_text, b.mark, b.serial])
            elif isinstance(b, Cover):
                out.extend([b.title, b.subtitle, b.kind_line, b.unit, b.date_text, b.mark])
            elif isinstance(b, ClosingBlock):
                out.extend(f"{k}：{v}" for k, v in b.lines)
                out.append(b.copies_text)

    walk(doc.blocks)
    return [t for t in out if t]
