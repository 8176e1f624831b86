"""Turn a document tree into PDF bytes: ReportLab platypus pages with briefgen's own CJK text flowables.

Geometry follows the theme (for ``gongwen`` and the themes extending it: A4, margins
37/35/28/26 mm, 22 lines × 28 characters of 16 pt 仿宋). ``theme.char_pitch`` is
442.2 / 28 ≈ 15.79 pt, so body text is set with a tracking of ``theme.tracking`` ≈ −0.21 pt
(PDF ``Tc``): 28 full-width characters fill a justified line, as Word's ``docGrid`` does.
Body lines sit on a 28.95 pt baseline grid (``theme.grid.line_pitch_pt``); blocks that are
not a whole number of lines (tables, boxes, small print) are followed by a ``GridSnap``.

Every handler is looked up in ``HANDLERS`` by node type; a node type without a handler is
an internal error (``TypeError``), never silently skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from io import BytesIO
from typing import Any

from reportlab import rl_config
from reportlab.platypus import Flowable, Spacer

from briefgen.errors import BriefError, LimitError
from briefgen.i18n import _
from briefgen.inputs.limits import current, limits, raise_hint
from briefgen.tree import (
    Block,
    Box,
    Chart,
    ChartLayout,
    ClosingBlock,
    Cover,
    Document,
    Heading,
    Image,
    Imprint,
    ListBlock,
    Masthead,
    PageBreak,
    Paragraph,
    ParagraphRole,
    Table,
    TocPlaceholder,
    chart_table,
    plain,
)
from briefgen.writers.common import (
    BEFORE_TITLE,
    chart_key,
    float_charts,
    list_label,
    table_key,
    unique_id,
)
from briefgen.writers.context import RenderContext
from briefgen.writers.pdf.floats import Gaps
from briefgen.writers.pdf.flowables import (
    Bookmark,
    BoxFlowable,
    GridSnap,
    KeepLines,
    PdfText,
    SoftPageBreak,
    TextBlock,
    TextStyle,
)
from briefgen.writers.pdf.footnotes import MAX_PASSES as NOTE_PASSES
from briefgen.writers.pdf.footnotes import registry_of, with_foot, with_notes
from briefgen.writers.pdf.front import ClosingFlowable, CoverFlowable, MastheadFlowable, TocEntry
from briefgen.writers.pdf.gongwen import HANDLERS as GONGWEN_HANDLERS
from briefgen.writers.pdf.images import image_block, with_logo
from briefgen.writers.pdf.keeps import chain_keeps, keep_with_previous
from briefgen.writers.pdf.landscape import LandscapePages
from briefgen.writers.pdf.pages import BriefDocTemplate, canvas_maker
from briefgen.writers.pdf.pdfid import with_content_id
from briefgen.writers.pdf.tables import RowTable, laid_table

BULLET = "•"
MAX_PASSES = 3


def configure_reportlab() -> None:
    """No network or file fetching by ReportLab, and reproducible output."""
    rl_config.trustedHosts = []
    rl_config.trustedSchemes = []
    rl_config.invariant = 1


_PAGE = re.compile(rb"/Type\s*/Page(?![A-Za-z])")


def render(doc: Document, ctx: RenderContext) -> bytes:
    """The PDF for ``doc`` under ``ctx.theme`` (same input and timestamp → same bytes), with a
    content-derived ``/ID`` and its page count within the run's ``pages`` limit."""
    configure_reportlab()
    data = with_content_id(PdfWriter(doc, ctx).render())
    pages, cap = len(_PAGE.findall(data)), limits().pages
    if pages > cap:
        raise LimitError.at(f"the PDF has {pages} pages, over the limit pages={cap}", hint=raise_hint("pages"))
    return data


class PdfWriter:
    """One render: builds the story (re-built per pass when a TOC needs page numbers)."""

    def __init__(self, doc: Document, ctx: RenderContext) -> None:
        self.doc, self.ctx, self.theme = doc, ctx, ctx.theme
        th = self.theme
        self.text = PdfText(ctx.fonts, th)
        self.pitch = th.grid.line_pitch_pt
        self.char = th.char_pitch
        self.pages: dict[str, int] = {}
        self.gaps = Gaps(th.type_area_height / 3)  # charts that left a third of a page empty
        self.flow: list[Block] = list(doc.blocks)  # the blocks in the order of the current pass (floats)
        self.has_toc = False
        f, s = th.fonts, th.sizes
        self.body = TextStyle(f.body, s.body, self.pitch, th.tracking, first_indent=2 * self.char,
                              strong_role=f.strong, emphasis_role=f.emphasis)  # fmt: skip
        self.roles: dict[ParagraphRole, TextStyle] = {
            "body": self.body,
            "lead": self.body,
            "note": self.body.but(role=f.note, size=s.note, tracking=self._tracking(s.note)),
            "source": TextStyle(
                f.source_note,
                s.source_note,
                max(s.source_note * 1.5, 1.0),
                strong_role=f.strong,
                emphasis_role=f.emphasis,
            ),  # fmt: skip
            "caption": TextStyle(
                f.caption,
                s.caption,
                self.pitch,
                align="center",
                strong_role=f.strong,
                emphasis_role=f.emphasis,
            ),  # fmt: skip
            "signature": self.body.but(first_indent=0.0, align="right", right_indent=2 * self.char),
            "date": self.body.but(first_indent=0.0, align="right", right_indent=4 * self.char),
        }

    def _tracking(self, size: float) -> float:
        """Body tracking for text at body size (keeps the 28-character grid), none otherwise."""
        return self.theme.tracking if abs(size - self.theme.sizes.body) < 0.01 else 0.0

    # ------------------------------------------------------------ driver

    def render(self) -> bytes:
        data = b""
        attempt, drafted = 0, False
        while attempt < MAX_PASSES + NOTE_PASSES:
            story = self.story()
            self.text.tightened.clear()
            self.gaps.room.clear()
            if attempt == 0 and self.text.missing and current().strict:  # else drawn as 〓, warned
                raise BriefError.at(
                    _("no installed font has a glyph for {n} character(s): {chars}").format(
                        n=len(self.text.missing), chars=self.text.missing_error_text()),
                    hint=_("install a font covering them or set theme.font_files"), code="E-MISSING-GLYPH",
                )
            # A first pass that a TOC or footnotes will redo is a draft: laid out, text not drawn.
            draft = attempt == 0 and not drafted and (self.has_toc or registry_of(self).has_notes)
            drafted = drafted or draft
            buf = BytesIO()
            m = self.doc.meta
            template = BriefDocTemplate(buf, self.theme, self.text, m, ", ".join(m.keywords))
            d = self.doc
            template.running = (d.page_header, d.page_footer, d.header_mm, d.footer_mm)  # the template's letterhead
            registry_of(self).attach(template)  # footnotes at the foot of their pages
            template._doSave = 0  # lay out only: the PDF is written for the pass that is kept
            template.build(story, canvasmaker=canvas_maker(self.ctx.timestamp, draft=draft))
            notes_settled = registry_of(self).settled()
            floated = attempt < MAX_PASSES + NOTE_PASSES - 1 and self.gaps.decide(  # taken in a pass to come
                self, self.flow, self.ctx.chart_floats,
                self.theme.type_area_width)
            done = (not self.has_toc or template.heading_pages == self.pages) and notes_settled and not floated
            if done and draft:  # the draft was already final (nothing moved): draw it for real
                registry_of(self).passes -= 1
                continue
            if done or attempt == MAX_PASSES + NOTE_PASSES - 1:
                template.canv.save()  # subsetting fonts and compressing streams: once per render
                data = buf.getvalue()
            if done:
                break
            self.pages = dict(template.heading_pages)
            attempt += 1
        got = template.heading_pages
        pages = [got.get(self._keys.get(id(h), "")) for h in self.doc.headings()]
        self.ctx.heading_pages = [p for p in pages if p is not None] if None not in pages else None
        self._record_table_widths()
        self.ctx.title_lines.update(self.text.centred)
        return data

    def _record_table_widths(self) -> None:
        """Hand how each table was laid out (widths, padding, the cells' lines) to the DOCX writer."""
        widths = self.ctx.table_widths
        for entry in (*self.text.tables.values(), *self.text.tightened.values()):
            if isinstance(entry, tuple) and len(entry) == 2 and hasattr(entry[1], "col_widths"):
                source, lay = entry
                got = widths.setdefault(table_key(source), [])
                laid = laid_table(lay)
                if all(g.key != laid.key for g in got):
                    got.append(laid)

    def story(self) -> list[Flowable]:
        self._outline_prev = -1
        self._used_keys: set[str] = {"title"}
        self._keys = _heading_keys(self.doc.headings(), self._used_keys)
        self._used_keys.update(self._keys.values())
        out: list[Flowable] = []
        meta = self.doc.meta
        self.flow = float_charts(self.doc.blocks, self.ctx.chart_floats)  # the blocks in this pass's order
        blocks: list[Block | None] = list(self.flow)
        if self.doc.show_title and (meta.title or meta.subtitle):
            at = next(
                (i for i, b in enumerate(blocks) if not isinstance(b, BEFORE_TITLE)), len(blocks)
            )
            blocks.insert(at, None)  # None marks where the title goes
        for b in blocks:
            flow = self.title() if b is None else self.block(b, 0)
            if flow and isinstance(flow[-1], LandscapePages):
                _carry_heading(out, flow[-1])
            out.extend(flow)
        keep_with_previous(out, self.theme.type_area_height * 0.3)
        chain_keeps(out)
        return out or [Spacer(1, 1)]

    def block(self, node: Block, depth: int) -> list[Flowable]:
        handler = HANDLERS.get(type(node))
        if handler is None:
            raise TypeError(f"internal error: pdf writer has no handler for {type(node).__name__}")
        return handler(self, node, depth)

    def blocks(self, nodes: list[Block], depth: int) -> list[Flowable]:
        out: list[Flowable] = []
        for n in nodes:
            out.extend(self.block(n, depth))
        return out

    # ------------------------------------------------------------ helpers

    def _outline_level(self, wanted: int) -> int:
        level = max(0, min(wanted, self._outline_prev + 1))
        self._outline_prev = level
        return level

    def _key(self, anchor: str, fallback: str) -> str:
        return unique_id(anchor, fallback, self._used_keys)

    def _keep_with_next(self, block: TextBlock) -> KeepLines:
        """Keep a heading with two lines of what follows (or with a following table's head)."""
        keep = KeepLines(lambda aw: block.wrap(aw, 1e9)[1] + 2 * self.pitch)
        keep.heading = block
        return keep

    # ------------------------------------------------------------ handlers

    def title(self) -> list[Flowable]:
        th, meta = self.theme, self.doc.meta
        out: list[Flowable] = []
        if meta.title:
            st = TextStyle(th.fonts.title, th.sizes.title, max(th.sizes.title * 1.3, self.pitch),
                           align="center", space_after=0.0 if meta.subtitle else self.pitch)  # fmt: skip
            bm = Bookmark("title", meta.title, self._outline_level(0), toc=False)
            out.append(
                TextBlock(
                    self.text.pieces(meta.title, st.role, st.size), st, self.text, bookmark=bm
                )
            )
        if meta.subtitle:
            st = TextStyle(th.fonts.subtitle, th.sizes.subtitle, self.pitch, align="center",
                           space_after=self.pitch)  # fmt: skip
            out.append(TextBlock(self.text.pieces(meta.subtitle, st.role, st.size), st, self.text))
        return out

    def heading(self, h: Heading, depth: int) -> list[Flowable]:
        th = self.theme
        level = min(max(h.level, 1), 4)
        st = self.body.but(role=th.fonts.heading(level), size=th.sizes.heading,
                           tracking=self._tracking(th.sizes.heading))  # fmt: skip
        key = self._keys.get(id(h)) or self._key(h.anchor, f"h{len(self._used_keys)}")
        base = 0 if self.doc.show_title and self.doc.meta.title else 1
        bm = Bookmark(key, h.label + h.text, self._outline_level(level - base))
        pieces = self.text.pieces(h.label, st.role, st.size) + self.text.inline_pieces(
            h.inlines, st
        )
        block = TextBlock(pieces, st, self.text, bookmark=bm)
        return [self._keep_with_next(block), block]

    def paragraph(self, p: Paragraph, depth: int) -> list[Flowable]:
        st = self.roles.get(p.role, self.body)
        if p.align:
            st = st.but(
                align=p.align,
                first_indent=st.first_indent if p.align in ("justify", "left") else 0.0,
            )
        pieces = self.text.inline_pieces(p.inlines, st)
        if not pieces:
            return [Spacer(1, self.pitch)]
        out: list[Flowable] = [TextBlock(pieces, st, self.text)]
        if abs(st.leading - self.pitch) > 0.01:
            out.append(GridSnap(self.pitch))
        return out

    def list_block(self, lst: ListBlock, depth: int) -> list[Flowable]:
        """Items with ①②… or • labels, indented like body text, turnovers hanging after the label."""
        st = self.body
        out: list[Flowable] = []
        for i, item in enumerate(lst.items, 1):
            label = _list_label(i, lst.ordered)
            marker = self.text.pieces(label, st.role, st.size)
            hang = self.text.text_width(marker, st.tracking) + st.tracking
            item_st = st.but(rest_indent=st.first_indent + hang)
            out.append(
                TextBlock(marker + self.text.inline_pieces(item, item_st), item_st, self.text)
            )
        return out

    def table(self, t: Table, depth: int) -> list[Flowable]:
        th = self.theme
        f = th.fonts
        size, pitch = th.table_type(t.reference)
        body = TextStyle(f.table, size, pitch, strong_role=f.strong)
        header = body.but(role=f.table_header)
        out: list[Flowable] = []
        caption: TextBlock | None = None
        if t.caption:
            st = self.roles["caption"]
            bm = (
                Bookmark(self._key(t.anchor, f"t{id(t)}"), t.caption, 0, toc=False, outline=False)
                if t.anchor
                else None
            )
            caption = TextBlock(
                self.text.pieces(t.caption, st.role, st.size), st, self.text, bookmark=bm
            )
        note: TextBlock | None = None
        if t.source_note:
            st = self.roles["source"].but(space_before=3.0)
            note = TextBlock(self.text.pieces(t.source_note, st.role, st.size), st, self.text)
        grid = (
            RowTable(t, self.text, body, header.but(strong_role=f.strong), f.strong, note=note)
            if t.rows
            else None
        )

        def need(aw: float) -> float:  # caption, header and two rows stay together
            h = caption.wrap(aw, 1e9)[1] if caption is not None else 0.0
            return h + (grid.lead_height(aw) if grid is not None else 0.0)

        out.append(KeepLines(need))
        if caption is not None:
            out.append(caption)
        if grid is not None:
            out.append(grid)  # the source note is drawn under its last row
        elif note is not None:
            out.append(note)
        out.append(GridSnap(self.pitch))
        if t.landscape and depth == 0:
            return [SoftPageBreak(), LandscapePages(out, self.theme.type_area_height)]
        return out

    def chart(self, c: Chart, depth: int) -> list[Flowable]:
        """Vector chart, caption under it, the optional number table, then the source note."""
        th = self.theme
        width = th.type_area_width - depth * 2 * th.sizes.body
        from briefgen.writers.pdf.chart import (  # ReportLab graphics: only with charts
            DATA_CAPTION,
            AtPageTop,
            FittedChart,
            short_table,
        )

        if width < c.width_mm * 72 / 25.4 - 0.5:
            self.ctx.warn(_("pdf: chart {name!r} narrowed to the available width").format(name=c.caption or c.kind))
        st = self.roles["caption"]
        caption = TextBlock(self.text.pieces(c.caption, st.role, st.size), st, self.text) if c.caption else None

        numbers = chart_table(c)
        numbers.source_note = c.source_note  # drawn under the data table's last row: they never part
        data = [f for f in self.table(numbers, depth) if not isinstance(f, GridSnap)] if c.show_table else []

        note: TextBlock | None = None
        if c.source_note and not data:
            sn = self.roles["source"].but(space_before=3.0)
            note = TextBlock(self.text.pieces(c.source_note, sn.role, sn.size), sn, self.text)

        def under(aw: float) -> float:  # what stays with the chart: its caption, a note under them
            return sum(b.wrap(aw, 1e9)[1] + b.getSpaceBefore() + b.getSpaceAfter()
                       for b in (caption, note) if b is not None)  # fmt: skip

        def record(lay: ChartLayout) -> None:
            self.ctx.chart_layouts[chart_key(c)] = lay

        drawing = FittedChart(c, self.text, th, width, under, record, short_table(data) if data else None)
        keep = KeepLines(drawing.need)
        if depth == 0:
            self.gaps.watch(keep, c)
        out: list[Flowable] = [keep, drawing]
        if caption is not None:
            out.append(caption)
        if data and isinstance(data[0], KeepLines) and caption is not None and c.caption:
            # the data table splits like any table (header + 2 rows together, header repeated);
            # where it opens a page apart from its chart it carries the chart's caption
            cont = TextBlock(self.text.pieces(DATA_CAPTION.format(caption=c.caption), st.role, st.size),
                             st, self.text)  # fmt: skip
            data.insert(1, AtPageTop(cont))
        out.extend(data)
        if note is not None:
            out.append(note)
        out.append(GridSnap(self.pitch))
        return out

    def box(self, b: Box, depth: int) -> list[Flowable]:
        th = self.theme
        content: list[Flowable] = []
        if b.title:
            st = TextStyle(th.fonts.heading1, th.sizes.heading, self.pitch, align="center")
            content.append(TextBlock(self.text.pieces(b.title, st.role, st.size), st, self.text))
        content.extend(
            f for f in self.blocks(b.blocks, depth + 1) if not isinstance(f, (KeepLines, GridSnap))
        )
        if not content:
            return []
        pad_y = self.pitch / 4
        box = BoxFlowable(content, pad_x=th.sizes.body, pad_y=pad_y, keep_first=1 if b.title else 0)
        full = th.type_area_height

        def need(aw: float) -> float:  # what BoxFlowable.split will insist on
            h = box.wrap(aw, 1e9)[1]
            return (
                h
                if h <= full * 0.3
                else min(h, 2 * pad_y + (2 + (1 if b.title else 0)) * self.pitch)
            )

        return [KeepLines(need), box, GridSnap(self.pitch)]

    def page_break(self, _: PageBreak, depth: int) -> list[Flowable]:
        return [SoftPageBreak()]

    def toc(self, t: TocPlaceholder, depth: int) -> list[Flowable]:
        th = self.theme
        self.has_toc = True
        out: list[Flowable] = []
        if t.title:
            st = TextStyle(
                th.fonts.title, th.sizes.title, self.pitch, align="center", space_after=self.pitch
            )
            out.append(TextBlock(self.text.pieces(t.title, st.role, st.size), st, self.text))
        max_level = max(1, min(t.max_level, 4))
        for h in self.doc.headings():
            if h.level > max_level:
                continue
            indent = (h.level - 1) * 2 * self.char
            st = self.body.but(first_indent=indent, rest_indent=indent, align="left")
            pieces = self.text.pieces(h.label, st.role, st.size) + self.text.inline_pieces(
                plain(h.text), st
            )
            out.append(TocEntry(pieces, self._keys[id(h)], st, self.text, self.pages))
        out.append(SoftPageBreak())
        return out

    def masthead(self, m: Masthead, depth: int) -> list[Flowable]:
        return [MastheadFlowable(m, self.text, self.theme)]

    def cover(self, c: Cover, depth: int) -> list[Flowable]:
        if not depth:
            return [CoverFlowable(c, self.text, self.theme)]
        self.ctx.warn(_("pdf: a cover inside a box is rendered without its own page"))
        th = self.theme
        out: list[Flowable] = []
        for s, role, size in (
            (c.mark, th.fonts.heading1, th.sizes.body),
            (c.title, th.fonts.cover_title, th.sizes.title),
            (c.subtitle, th.fonts.subtitle, th.sizes.subtitle),
            (c.kind_line, th.fonts.title, th.sizes.body),
            (c.unit, th.fonts.body, th.sizes.body),
            (c.date_text, th.fonts.body, th.sizes.body),
        ):
            if s:
                st = TextStyle(role, size, self.pitch, align="center")
                out.append(TextBlock(self.text.pieces(s, role, size), st, self.text))
        return out

    def closing(self, c: ClosingBlock, depth: int) -> list[Flowable]:
        if not c.lines and not c.copies_text:
            return []
        return [ClosingFlowable(c, self.text, self.theme)]


def _carry_heading(story: list[Flowable], pages: LandscapePages) -> None:
    """Move a heading, or an attachment's 附件N and title, that directly precedes a landscape
    table onto its first landscape page (not alone on an upright one)."""
    if len(story) >= 2 and isinstance(story[-2], KeepLines) and getattr(story[-2], "heading", None) is story[-1]:
        heading = story.pop()
        story.pop()
        pages.content.insert(0, heading)
    elif len(story) >= 4 and getattr(story[-4], "carried", 0) == 3 and isinstance(story[-1], GridSnap):
        pages.content[0:0] = story[-4:-1]
        del story[-4:]


def _list_label(i: int, ordered: bool) -> str:
    if not ordered:
        return BULLET + " "
    return list_label(i)


def _heading_keys(heads: list[Heading], used: set[str]) -> dict[int, str]:
    """The destination name ``PdfWriter.heading`` will give each heading (same rule, same order)."""
    taken = set(used)
    return {id(h): unique_id(h.anchor, f"h{n}", taken) for n, h in enumerate(heads, 1)}


Handler = Callable[[PdfWriter, Any, int], list[Flowable]]

HANDLERS: dict[type, Handler] = {
    Heading: with_notes(PdfWriter.heading),
    Paragraph: with_notes(PdfWriter.paragraph),
    ListBlock: with_notes(PdfWriter.list_block),
    Table: with_notes(PdfWriter.table),
    Chart: PdfWriter.chart,
    Box: PdfWriter.box,
    PageBreak: PdfWriter.page_break,
    TocPlaceholder: PdfWriter.toc,
    Masthead: with_logo(PdfWriter.masthead),
    Cover: with_logo(PdfWriter.cover),
    ClosingBlock: with_foot(PdfWriter.closing),
    Image: with_notes(image_block),
    **GONGWEN_HANDLERS,
    Imprint: with_foot(GONGWEN_HANDLERS[Imprint]),
}
