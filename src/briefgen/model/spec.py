"""Turn a brief spec YAML file into a validated Brief model (metadata, sources, ordered blocks)."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Discriminator,
    Field,
    Tag,
    field_validator,
)

from briefgen.formats import DEFAULT_FORMATS, FORMAT_NAMES
from briefgen.i18n import _
from briefgen.model.periods import parse_period
from briefgen.model.sizes import parse_width
from briefgen.model.theme import Logo


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class SectionBlock(_Strict):
    """Sections of a source pack chosen by id or pattern, each rendered through a template."""

    section: str = Field(
        description="section id or pattern: lessons.*, pillars.region, context.economy",
        examples=["lessons.*", "pillars.region"],
    )
    source: str | None = Field(None, description="which source (key in `sources`); default: the first")
    mode: Literal["summary", "full", "title"] = Field(
        "summary", description="summary only, summary plus body paragraphs, or the heading alone"
    )
    heading: str | None = Field(None, description="heading text override (single section only)")
    headings: bool = Field(True, description="print each section's title as a heading")
    level: int = Field(1, ge=1, le=4, description="heading level: 1 一、 2 （一） 3 1. 4 （1）")
    numbered: bool = True
    template: str | None = Field(None, description="template file name (default: section.xml.j2)")
    images: bool = Field(True, description="print the section's photos (from the pack) after its text")
    questions: dict[str, str] = Field(
        default_factory=dict, description="思考题 per section id, e.g. {lessons.1: …}"
    )
    keypoints: dict[str, list[str]] = Field(
        default_factory=dict, description="学习要点 per section id (shown in a box)"
    )


Column = Literal[
    "label", "value", "unit", "change", "yoy", "mom", "period", "scope", "source", "note", "category"
]
DEFAULT_COLUMNS: tuple[Column, ...] = ("label", "value", "unit", "change", "period")
if TYPE_CHECKING:
    Format = str
else:
    Format = Literal[FORMAT_NAMES]  # an enum in the JSON schema, read from the format registry


class TableBlock(_Strict):
    """A key-figure table (``table: figures``) or a period-data table (``table: series``)."""

    table: Literal["figures", "series"] = Field(
        description="figures: one row per key figure; series: one row per period, one column per indicator"
    )
    source: str | None = None
    ids: list[str] = Field(default_factory=list, description="figure ids in order (id@2026-09 for another period)")
    tags: list[str] = Field(default_factory=list, description="take figures with any of these tags")
    section: str | None = Field(None, description="take figures of sections matching this pattern")
    columns: list[Column] = Field(default_factory=lambda: list(DEFAULT_COLUMNS))
    titles: dict[Column, str] = Field(default_factory=dict, description="column titles, e.g. {value: 本月}")
    caption: str = ""
    source_note: str | None = Field(None, description="note under the table; default: the pack's attribution")
    heading: str | None = Field(None, description="optional heading printed before the table")
    level: int = Field(1, ge=1, le=4)
    group_by_category: bool = False
    signed: bool = Field(False, description="changes as +4.1% / −0.3个百分点 instead of 增长/下降")
    landscape: bool | Literal["auto"] = Field(
        "auto", description="print on landscape pages; auto: when the columns need more than the portrait width"
    )
    compact: bool | Literal["auto"] = Field(
        "auto",
        description="set in the theme's smaller reference-table size; auto: when the table is crowded at its table size",
    )
    transpose: bool | Literal["auto"] = Field(
        "auto",
        description="table: series — indicators as rows, periods as columns; auto: when more indicators than "
        "periods would need a landscape page",
    )
    series: list[str] = Field(default_factory=list, description="table: series — the indicators (columns)")
    periods: int = Field(12, ge=1, le=120, description="table: series — how many periods up to the brief's")


class ChartBlock(_Strict):
    """A chart of key figures (``ids``/``tags``: one bar per figure) or of period data (``series``)."""

    chart: Literal["bar", "line", "stacked", "grouped"] = Field(description="bar | line | stacked | grouped")
    source: str | None = None
    ids: list[str] = Field(default_factory=list, description="figures: one category per figure")
    tags: list[str] = Field(default_factory=list)
    series: list[str] = Field(default_factory=list, description="indicators of period data: one series each")
    periods: int = Field(12, ge=2, le=120, description="series: how many periods up to the brief's")
    measure: Literal["value", "yoy", "mom"] = Field("value", description="plot values, 同比 or 环比 changes")
    caption: str = ""
    source_note: str | None = Field(None, description="note under the chart; default: the pack's attribution")
    unit: str | None = Field(None, description="unit label; default: the figures' unit")
    alt: str = Field("", description="alternative text; default: generated from the numbers")
    show_table: bool = Field(False, description="also print the numbers as a table")
    value_labels: bool | None = Field(None, description="print values on bars/points; default: yes except line")
    width_mm: float | None = Field(None, gt=20, le=400, description="default: the type-area width")
    height_mm: float = Field(80.0, ge=30, le=250)
    heading: str | None = None
    level: int = Field(1, ge=1, le=4)


class AppendixBlock(_Strict):
    """An appendix; ``sources`` lists every figure the brief uses with its provenance."""

    appendix: Literal["sources"]
    heading: str = "附：数据来源"
    level: int = Field(1, ge=1, le=4)
    numbered: bool = False


class TextBlock(_Strict):
    """Free text written in the brief (Markdown: paragraphs, lists, **strong**, *emphasis*, # headings)."""

    text: str
    heading: str | None = None
    level: int = Field(1, ge=1, le=4)
    role: Literal["body", "note", "lead", "source"] = "body"


class HeadingBlock(_Strict):
    """A heading of its own."""

    heading: str
    level: int = Field(1, ge=1, le=4)
    numbered: bool = True


def _yes(value: object) -> object:
    """``yes``/``true`` written in YAML (kept as text by the loader) as the flag they mean."""
    return True if isinstance(value, str) and value.strip().lower() in ("yes", "true") else value


# a block-marking flag (`- toc: true`, `- page_break: yes`): its value is a boolean, so no YAML 1.1 hint
Flag = Annotated[Literal[True], BeforeValidator(_yes)]


class PageBreakBlock(_Strict):
    """Start a new page."""

    page_break: Flag = True


class TocBlock(_Strict):
    """Place the table of contents here (themes with a TOC place it after the cover by default)."""

    toc: Flag = True
    title: str = "目录"


class ImageBlock(_Strict):
    """A picture: a photo, diagram or SVG drawing, with caption, credit and alternative text."""

    image: str = Field(description="image file (JPEG, PNG, SVG…), relative to the brief",
                       examples=["photos/visit.jpg"])
    width: float | str | None = Field(
        None, description="60 or '60mm' (millimetres), 0.5 or '50%' (of the type-area width); "
        "default: the picture's own size, at most the type area")
    caption: str = Field("", description="caption under the picture, e.g. 图为…")
    credit: str = Field("", description="credit line, e.g. 摄影：张三")
    alt: str = Field("", description="alternative text (default: the caption)")
    note: str = Field("", description="a footnote on the picture, referenced after its caption (or credit)")
    align: Literal["left", "center", "right"] = "center"
    heading: str | None = None
    level: int = Field(1, ge=1, le=4)

    @field_validator("width")
    @classmethod
    def _width(cls, v: object) -> object:
        parse_width(v)
        return v


class AttachmentBlock(_Strict):
    """The start of a 公文 attachment (附件N on a new page, then its title); the blocks after it are its content."""

    attachment: str = Field(description="the attachment's title, also listed in the 附件说明")


class Gongwen(_Strict):
    """公文 elements (GB/T 9704-2012 §7): 版头, 主送机关, 署名/日期 with or without seal, 附注, 版记."""

    organ: str = Field(description="发文机关标志 (the issuing organ's name, printed in red)")
    wenjian: bool = Field(False, description="add 文件 to the 发文机关标志 (…文件)")
    doc_number: str = Field("", description="发文字号, e.g. 示政办发〔2024〕5号")
    signer: str = Field("", description="签发人 (上行文 only), printed right of the 发文字号")
    addressee: str = Field("", description="主送机关, e.g. 各乡镇人民政府，县各有关部门")
    attachments: list[str] = Field(default_factory=list, description="附件说明; default: the attachment blocks' titles")
    signature: str = Field("", description="发文机关署名; default: organ")
    sealed: bool = Field(False, description="a seal is applied: date 4 characters in, name centred over it")
    note: str = Field("", description="附注, printed in （） below the date")
    cc: str = Field("", description="抄送 organs, e.g. 县委办公室，县人大常委会办公室")
    printer: str = Field("", description="印发机关; default: organ")
    print_date: dt.date | None = Field(None, description="印发日期; default: the brief's date")

    @field_validator("doc_number")
    @classmethod
    def _number(cls, v: str) -> str:
        if v and not re.search(r"〔\d{4}〕[1-9]\d*号$", v):
            raise ValueError(_("发文字号 must end like 〔2024〕5号: year in 〔〕 (U+3014/3015), number without 第 or "
                               "leading zeros"))
        return v


# Block kinds in the order they are recognised: "section" is also an option of table blocks.
_BLOCK_KEYS = {
    "table": "table",
    "chart": "chart",
    "appendix": "appendix",
    "text": "text",
    "section": "section",
    "heading": "heading",
    "page_break": "page_break",
    "toc": "toc",
    "image": "image",
    "attachment": "attachment",
}


def _block_tag(v: Any) -> str | None:
    if isinstance(v, dict):
        for key, tag in _BLOCK_KEYS.items():
            if key in v:
                # "heading" is also an option of section/table/text blocks
                if key == "heading" and any(k in v for k in ("section", "table", "text", "chart", "appendix")):
                    continue
                return tag
        return None
    if isinstance(v, BaseModel):
        return {
            SectionBlock: "section",
            TableBlock: "table",
            ChartBlock: "chart",
            AppendixBlock: "appendix",
            TextBlock: "text",
            HeadingBlock: "heading",
            PageBreakBlock: "page_break",
            TocBlock: "toc",
            ImageBlock: "image",
            AttachmentBlock: "attachment",
        }.get(type(v))
    return None


Block = Annotated[
    Annotated[SectionBlock, Tag("section")]
    | Annotated[TableBlock, Tag("table")]
    | Annotated[ChartBlock, Tag("chart")]
    | Annotated[AppendixBlock, Tag("appendix")]
    | Annotated[TextBlock, Tag("text")]
    | Annotated[HeadingBlock, Tag("heading")]
    | Annotated[PageBreakBlock, Tag("page_break")]
    | Annotated[TocBlock, Tag("toc")]
    | Annotated[ImageBlock, Tag("image")]
    | Annotated[AttachmentBlock, Tag("attachment")],
    Discriminator(
        _block_tag,
        custom_error_type="block_kind",
        custom_error_message="each block needs one of the keys: section, table, chart, text, heading, "
        "page_break, toc, appendix, image, attachment",
    ),
]




class Closing(_Strict):
    """The 简报 closing block (报尾)."""

    bao: str = Field("", description="报：superior recipients")
    song: str = Field("", description="送：peer recipients")
    fa: str = Field("", description="发：subordinate recipients")
    copies: int | None = Field(None, ge=1, description="（共印X份）")


class Brief(_Strict):
    """A brief spec: metadata, sources, blocks, theme, formats and output name."""

    # what ``inputs.validate`` suggests from when a block has none of the kind keys
    error_choices: ClassVar[dict[str, tuple[str, ...]]] = {"block_kind": tuple(_BLOCK_KEYS)}

    title: str = Field(description="document title (标题)")
    subtitle: str = ""
    name: str = Field("", description="简报 name printed in the red masthead, e.g. 党建工作简报")
    unit: str = Field("", description="issuing unit 编印单位 (also the DOCX/PDF author)")
    issue: str = Field("", description="期号, e.g. 3 → 第3期")
    issue_total: str = Field("", description="总期号, e.g. 45 → （总第45期）")
    date: dt.date | None = Field(None, description="the brief's own date 成文日期 (YYYY-MM-DD)")
    period: str = Field("", description="reporting period: 2026-10, 2026-Q3, 2026, last-month, this-quarter")
    audience: str = ""
    mark: str = Field("", description="classification mark, e.g. 内部资料 注意保存")
    keywords: list[str] = Field(default_factory=list)
    editor_note: str = Field("", description="编者按 text (简报)")
    closing: Closing | None = None
    gongwen: Gongwen | None = Field(None, description="公文 elements: 版头, 主送机关, 署名/日期, 附注, 版记")
    theme: str = Field("gongwen", description="built-in theme name or path to a theme YAML")
    logo: Logo | None = Field(None, description="logo/emblem on the masthead page and cover (overrides the theme's)")
    reference_docx: str = Field("", description="the unit's Word template (.docx): its page setup, styles, headers "
                                "and footers are kept and the content written into it; relative to the brief")
    reference_styles: dict[str, str] = Field(default_factory=dict, description="briefgen style id → the template's "
                                             "style name, e.g. {Normal: 本单位正文, Heading1: 本单位标题一}")
    formats: list[Format] = Field(default_factory=lambda: list(DEFAULT_FORMATS))
    output: str = Field("{slug}.{ext}", description="output file pattern inside the output folder")
    slug: str = Field("", description="output name stem; default: the spec file name")
    sources: dict[str, str] = Field(description="source packs by short name: {wj: ../sources/x.yaml}")
    templates: list[str] = Field(default_factory=list, description="extra template folders")
    blocks: list[Block] = Field(min_length=1)
    vars: dict[str, str] = Field(default_factory=dict, description="free values for templates")

    @field_validator("issue", "issue_total", mode="before")
    @classmethod
    def _issue_text(cls, v: object) -> object:
        return "" if v is None else v

    @field_validator("period")
    @classmethod
    def _period(cls, v: str) -> str:
        return str(parse_period(v)) if v.strip() else ""

    @field_validator("sources")
    @classmethod
    def _some_source(cls, v: dict[str, str]) -> dict[str, str]:
        if not v:
            raise ValueError(_("name at least one source pack"))
        return v


def json_schema() -> dict[str, Any]:
    """JSON Schema of the brief spec (for editors such as VS Code)."""
    schema = Brief.model_json_schema()
    schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    schema["title"] = "briefgen brief spec"
    return schema
