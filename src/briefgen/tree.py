"""The backend-neutral document tree: what templates and data turn into, and what every writer renders.

This module imports nothing from python-docx, ReportLab or Jinja2. Writers dispatch on the node
classes listed in ``BLOCK_TYPES``; a test checks that every writer handles every one of them.
All text here is plain Unicode text (already made XML-safe), never markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Literal

#: A paragraph that annotates what is before it (注：… 说明：… 资料来源：…): writers keep it with
#: that, and compose folds a plain one into the table it follows.
NOTE_PARAGRAPH = re.compile(r"^\s*(?:注|说明|备注|资料来源|数据来源)\s*\d*\s*[:：]")

# ---------------------------------------------------------------- inline content


@dataclass(frozen=True)
class Span:
    """A run of text with uniform emphasis. ``strong`` renders in the theme's 黑体 role,
    ``emphasis`` in the 楷体 role (Chinese official documents do not use bold/italic faces)."""

    text: str
    strong: bool = False
    emphasis: bool = False
    # A footnote reference: ``text`` is its printed label (①, 1), ``note`` the footnote's text.
    # Writers that know footnotes put ``note`` at the foot of the page; others print ``text``.
    note: str = ""


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
    # A footnote on the cell (a key figure's note): the numbering pass appends its label (①, [1])
    # to ``text`` and keeps it in ``mark``; writers that know footnotes turn the mark into a reference.
    note: str = ""
    mark: str = ""


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
    # Too wide for the portrait type area: set on landscape pages (GB/T 9704 §8: the page
    # number stays where it is on portrait pages; the table head faces the binding edge).
    landscape: bool = False
    # A reference table (the sources appendix, a crowded key-figure table: compose.table_type):
    # looked up rather than read, set in the theme's smaller ``sizes.reference_table`` at
    # ``reference_table_line_pitch_pt``.
    reference: bool = False

    @property
    def columns(self) -> int:
        return max((len(r) for r in self.rows), default=0)


ChartKind = Literal["bar", "line", "stacked", "grouped"]


@dataclass
class ChartSeries:
    """One named series of a chart: one value per category (None = no data)."""

    name: str
    values: list[Decimal | None]


@dataclass
class ChartLayout:
    """Where a chart's parts go, planned once for every writer (``typeset.chart_layout``), in
    points with y upwards from the bottom of the chart: the plot rectangle ``x0, y0, x1, y1``;
    the category labels' lines and size; columns, or ``horizontal`` bars with the categories
    down the left (labels right-aligned at ``label_right``); every ``label_every``-th category
    labelled (crowded periods); the size of value labels and those left out (a stacked segment
    too small to hold its number, which the data table gives)."""

    width: float
    height: float
    x0: float
    y0: float
    x1: float
    y1: float
    horizontal: bool = False
    cat_size: float = 10.5
    cat_lines: list[list[str]] = field(default_factory=list)
    label_every: int = 1
    label_right: float = 0.0
    value_size: float = 10.5
    legend_h: float = 0.0
    hidden: list[tuple[int, int]] = field(default_factory=list)  # (series, category): no room for the value label
    least: float = 0.0  # the least height the chart may be squeezed to at a page foot (plan_chart's ``fit``)
    fill: float = 0.75  # the share of a row a horizontal group of bars fills (chart_layout.GROUP_FILL, or TIGHT_FILL)

    @property
    def pitch(self) -> float:
        """The room of one category: a column slot's width or a bar row's height."""
        n = max(len(self.cat_lines), 1)
        return (self.y1 - self.y0) / n if self.horizontal else (self.x1 - self.x0) / n

    def centre(self, i: int) -> float:
        """Category ``i``'s centre: x of its column, or y of its row (the first on top)."""
        if self.horizontal:
            return self.y1 - self.pitch * (i + 0.5)
        return self.x0 + self.pitch * (i + 0.5)


@dataclass
class Chart:
    """A chart drawn as vector graphics (PDF) and as a native, editable chart (DOCX).

    ``bar`` and ``grouped`` draw side-by-side columns, ``stacked`` stacks them, ``line`` joins the
    points. The value axis runs from ``axis_min`` to ``axis_max`` in steps of ``axis_step`` in both
    outputs, so the tick labels agree; value labels print as the source wrote them, ``decimals``
    is the most decimal places among them and ``tick_decimals`` the ticks' precision.
    ``show_table`` prints the numbers as a table after the chart (see ``chart_table``)."""

    kind: ChartKind
    categories: list[str]
    series: list[ChartSeries]
    unit: str = ""
    caption: str = ""
    source_note: str = ""
    alt: str = ""
    show_table: bool = False
    value_labels: bool = True
    width_mm: float = 156.0
    height_mm: float = 80.0
    axis_min: Decimal = Decimal(0)
    axis_max: Decimal = Decimal(1)
    axis_step: Decimal = Decimal(1)
    decimals: int = 0
    tick_decimals: int = 0
    table_style: Literal["three-line", "grid"] = "three-line"
    table_title: str = "项目"  # header of the category column in the companion table
    time_axis: bool = False  # categories are periods: crowded labels are thinned, bars stay columns
    layout: ChartLayout | None = None  # decided once in compose (typeset.chart_layout) for every writer
    anchor: str = ""

    def number(self, v: Decimal) -> str:
        """A value as printed: its digits as the source wrote them (``4`` stays ``4``, ``19.0``
        stays ``19.0``, as in the key-figure tables), never scientific notation; plain ``-``."""
        return format(v, "f")

    def tick(self, v: Decimal) -> str:
        return f"{v:.{self.tick_decimals}f}"

    def ticks(self) -> list[Decimal]:
        out: list[Decimal] = []
        v = self.axis_min
        while v <= self.axis_max and len(out) < 50:
            out.append(v)
            v += self.axis_step
        return out

    @property
    def unit_label(self) -> str:
        return f"单位：{self.unit}" if self.unit else ""


def chart_table(chart: Chart) -> Table:
    """The numbers of ``chart`` as a table: categories as rows, one column per series."""
    unit = f"（{chart.unit}）" if chart.unit else ""
    header = [TableCell(chart.table_title, "center", True)] + [
        TableCell(f"{s.name}{unit}" if len(chart.series) > 1 or s.name else f"数值{unit}", "center", True)
        for s in chart.series
    ]
    rows = [header]
    for i, cat in enumerate(chart.categories):
        row = [TableCell(cat)]
        for s in chart.series:
            v = s.values[i] if i < len(s.values) else None
            row.append(TableCell("—" if v is None else chart.number(v), "right"))
        rows.append(row)
    return Table(rows=rows, header_rows=1, widths=[3.0] + [2.0] * len(chart.series),
                 style=chart.table_style)


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
class Image:
    """A picture (photo, diagram, SVG drawing) with its caption, credit and alternative text.

    ``data`` are the bytes to embed (PNG or JPEG, upright, sRGB; ``mime`` says which); ``svg`` is
    the vector source of an SVG picture (writers that draw vectors use it, others use ``data``).
    ``width_mm``/``height_mm`` are the printed size, already fitted inside the type area; writers
    shrink it further (keeping the aspect) when the available width is smaller (inside a box).
    ``digest`` identifies the content: the same picture used twice is embedded once."""

    data: bytes
    mime: str
    px_width: int
    px_height: int
    width_mm: float
    height_mm: float
    caption: str = ""
    credit: str = ""  # e.g. "摄影：张三" / "图片来源：…", printed under the caption
    alt: str = ""
    align: Literal["left", "center", "right"] = "center"
    svg: bytes = b""
    digest: str = ""
    name: str = ""  # the file name, for messages and as the DOCX picture name
    # A footnote on the picture: the numbering pass appends its label to the caption (else the
    # credit) and keeps it in ``mark``, like ``TableCell``.
    note: str = ""
    mark: str = ""
    # Set for pictures placed on the page rather than in the text flow (logos): the top-left
    # corner in mm from the page's top-left corner.
    page_x_mm: float | None = None
    page_y_mm: float | None = None

    @property
    def dpi(self) -> float:
        """Pixels per inch at the printed size."""
        return self.px_width / (self.width_mm / 25.4) if self.width_mm > 0 else 0.0


@dataclass
class Masthead:
    """The red 简报 masthead: name, issue line, issuing unit (left) and date (right), red rule."""

    name: str
    issue_line: str  # e.g. "第3期（总第45期）"
    unit: str
    date_text: str
    mark: str = ""  # top-left classification, e.g. "内部资料 注意保存"
    serial: str = ""  # top-right 编号
    logo: Image | None = None  # placed on the page (page_x_mm/page_y_mm), outside the text flow


@dataclass
class Cover:
    """A cover page (学习材料 / report): title, kind line, unit, date, classification mark."""

    title: str
    subtitle: str
    kind_line: str  # e.g. "学习材料"
    unit: str
    date_text: str
    mark: str = ""
    logo: Image | None = None  # placed on the page (page_x_mm/page_y_mm), outside the text flow


@dataclass
class ClosingBlock:
    """The 报尾 / 版记 at the foot of the last page: 报：/送：/发： lines and the copy count."""

    lines: list[tuple[str, str]]  # (label, text), e.g. ("报", "区委办公室")
    copies_text: str = ""  # e.g. "（共印50份）"


@dataclass
class GongwenHead:
    """公文版头 (GB/T 9704 §7.2): red 发文机关标志 (with 文件 when ``wenjian``), 发文字号 (with
    签发人 for 上行文) and the red rule; the title follows two lines below the rule."""

    organ: str
    wenjian: bool = False
    doc_number: str = ""  # e.g. 示政办发〔2024〕5号
    signer: str = ""  # 签发人 name (上行文 only)

    @property
    def mark(self) -> str:
        return self.organ + ("文件" if self.wenjian else "")


@dataclass
class Addressee:
    """主送机关: flush left, ending with a full-width colon (§7.3.2)."""

    text: str


@dataclass
class AttachmentNote:
    """附件说明 (§7.3.4): 附件：1.… with later items aligned under the first name."""

    items: list[str]


@dataclass
class Signoff:
    """发文机关署名 and 成文日期 (§7.3.5), sealed (date 4 chars in, name centred over it, room for
    the seal) or unsealed (name 2 chars in, date below moved 2 chars right), then 附注 (§7.3.6)."""

    organ: str
    date_text: str
    sealed: bool = False
    note: str = ""  # 附注 text without the brackets


@dataclass
class AttachmentMark:
    """The start of an attachment (§7.3.7): new page, 附件N in 黑体 flush left, title on line 3."""

    label: str  # 附件1
    title: str


@dataclass
class Imprint:
    """版记 (§7.4): 抄送 and 印发机关/印发日期 between rules at the foot of the last page."""

    cc: str = ""  # 抄送 organs, e.g. 县委办公室，县人大常委会办公室
    printer: str = ""  # 印发机关
    print_date: str = ""  # 2024年5月10日


Block = (
    Heading
    | Paragraph
    | ListBlock
    | Table
    | Chart
    | Box
    | PageBreak
    | TocPlaceholder
    | Masthead
    | Cover
    | ClosingBlock
    | Image
    | GongwenHead
    | Addressee
    | AttachmentNote
    | Signoff
    | AttachmentMark
    | Imprint
)

BLOCK_TYPES: tuple[type, ...] = (
    Heading,
    Paragraph,
    ListBlock,
    Table,
    Chart,
    Box,
    PageBreak,
    TocPlaceholder,
    Masthead,
    Cover,
    ClosingBlock,
    Image,
    GongwenHead,
    Addressee,
    AttachmentNote,
    Signoff,
    AttachmentMark,
    Imprint,
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


@dataclass(frozen=True)
class RunningLine:
    """One paragraph of a page header or footer taken from the unit's Word template (its letterhead),
    drawn on every page of the PDF: plain text, alignment, size, colour, and the rule under it."""

    text: str
    align: Literal["left", "center", "right"] = "center"
    size_pt: float = 10.5
    color: str = ""  # "#RRGGBB"; empty: the theme's text colour
    role: str = "songti"  # a theme font role (fangsong, heiti, kaiti, songti, xiaobiaosong)
    rule_pt: float = 0.0  # width of the paragraph's bottom border (0: none)
    rule_color: str = ""


@dataclass
class Document:
    """A whole briefing: metadata, the title block flag, and the body blocks in order."""

    meta: Metadata
    blocks: list[Block]
    show_title: bool = True  # print meta.title (and subtitle) as the document title
    # The unit's Word template (.docx bytes): the DOCX is written into it; ``reference_styles``
    # maps briefgen's style ids to the template's style names where they differ.
    reference_docx: bytes = b""
    reference_styles: dict[str, str] = field(default_factory=dict)
    # The template's page header and footer (letterhead) for the PDF, and their distances from the
    # paper's top and bottom edges in mm.
    page_header: tuple[RunningLine, ...] = ()
    page_footer: tuple[RunningLine, ...] = ()
    header_mm: float = 15.0
    footer_mm: float = 15.0

    def headings(self) -> list[Heading]:
        """All headings in order, including those nested in boxes."""
        return [b for b in walk(self.blocks) if isinstance(b, Heading)]


def walk(blocks: list[Block]) -> Iterator[Block]:
    """Every block in reading order, depth first: a box, then the blocks inside it.

    The one traversal of the tree: text extraction, headings, sanitising and limit checks use it.
    """
    for b in blocks:
        yield b
        if isinstance(b, Box):
            yield from walk(b.blocks)


def _chart_text(b: Chart) -> list[str]:
    lay = b.layout
    every = lay.label_every if lay else 1
    hidden = set(lay.hidden) if lay else set()
    out = [b.unit_label, *(c for i, c in enumerate(b.categories) if i % every == 0), *(s.name for s in b.series)]
    out += [b.tick(t) for t in b.ticks()]
    out += [b.number(v) for k, s in enumerate(b.series) for i, v in enumerate(s.values)
            if v is not None and (k, i) not in hidden]
    out += [b.caption, b.source_note]
    if b.show_table:
        out += [c.text for r in chart_table(b).rows for c in r]
    return out


def _notes(inlines: Inlines) -> list[str]:
    return [s.note for s in inlines if s.note]


# The printed text of one block (not of the blocks inside it), per node type.
_BLOCK_TEXT: dict[type, Callable[[Any], list[str]]] = {
    Heading: lambda b: [b.label + b.text, *_notes(b.inlines)],
    Paragraph: lambda b: [b.text, *_notes(b.inlines)],
    ListBlock: lambda b: [t for i in b.items for t in (inline_text(i), *_notes(i))],
    Table: lambda b: [b.caption, *(t for r in b.rows for c in r for t in (c.text, c.note)), b.source_note],
    Chart: _chart_text,
    Box: lambda b: [b.title],
    PageBreak: lambda b: [],
    TocPlaceholder: lambda b: [b.title],
    Masthead: lambda b: [b.name, b.issue_line, b.unit, b.date_text, b.mark, b.serial],
    Cover: lambda b: [b.title, b.subtitle, b.kind_line, b.unit, b.date_text, b.mark],
    ClosingBlock: lambda b: [*(f"{k}：{v}" for k, v in b.lines), b.copies_text],
    Image: lambda b: [b.caption, b.credit, b.note],
    GongwenHead: lambda b: [b.mark, b.doc_number, f"签发人：{b.signer}" if b.signer else ""],
    Addressee: lambda b: [b.text],
    AttachmentNote: lambda b: [("附件：" if k == 1 else "") + (f"{k}." if len(b.items) > 1 else "") + t
                               for k, t in enumerate(b.items, 1)],
    Signoff: lambda b: [b.organ, b.date_text, f"（{b.note}）" if b.note else ""],
    AttachmentMark: lambda b: [b.label, b.title],
    Imprint: lambda b: [f"抄送：{b.cc}" if b.cc else "", b.printer, f"{b.print_date}印发" if b.print_date else ""],
}


def document_text(doc: Document) -> list[str]:
    """Every text line of the document in reading order (used by tests and coverage checks)."""
    out: list[str] = [doc.meta.title, doc.meta.subtitle]
    for b in walk(doc.blocks):
        out += _BLOCK_TEXT[type(b)](b)
    return [t for t in out if t]
