"""Turn a backend-neutral ``Document`` into DOCX bytes (python-docx, themed styles, reproducible)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from docx.document import Document as DocxDocument

from briefgen.i18n import _
from briefgen.model.theme import MM
from briefgen.tree import (
    AttachmentMark,
    Block,
    Box,
    Chart,
    ClosingBlock,
    Cover,
    Document,
    Heading,
    Image,
    ListBlock,
    Masthead,
    PageBreak,
    Paragraph,
    Table,
    TocPlaceholder,
    chart_table,
    plain,
)
from briefgen.typeset.chart_layout import MAX_HEIGHT_SHARE, layout_for
from briefgen.writers.common import BEFORE_TITLE, chart_key, float_charts, list_label, table_key
from briefgen.writers.context import RenderContext
from briefgen.writers.docx.footnotes import render_with_footnotes
from briefgen.writers.docx.front import Front
from briefgen.writers.docx.gongwen import HANDLERS as GONGWEN_HANDLERS
from briefgen.writers.docx.images import image_block, with_logo
from briefgen.writers.docx.package import (
    drop_template_parts,
    save_reproducible,
    set_core_properties,
)
from briefgen.writers.docx.page import Footers, blank_footers, numbered_footers, sect_pr
from briefgen.writers.docx.reference import base_document, merge_reference
from briefgen.writers.docx.styles import (
    Geometry,
    install_font_table,
    install_settings,
    install_styles,
)
from briefgen.writers.docx.tables import Laid, table_xml
from briefgen.writers.docx.toc import PageEstimator, TitleBlock, TocEntry, toc_paragraphs
from briefgen.writers.docx.xml import (
    PPR_ORDER,
    Element,
    Fonts,
    border,
    clean_text,
    el,
    insert_ordered,
    p_props,
    ppr,
    qn,
    run,
    spacing,
    span_runs,
    title_text,
    val,
)

ROLE_STYLES = {
    "body": "Normal",
    "lead": "Lead",
    "note": "Note",
    "source": "SourceNote",
    "caption": "Caption",
    "signature": "Signature",
    "date": "Date",
}
ALIGN = {"justify": "both", "left": "left", "center": "center", "right": "right"}
BOX_BORDER = 8  # eighths of a point
BOX_MARGIN = 170  # twips, left/right inside a box
# Blocks that come before the document title (the title goes in front of the first other block).

Handler = Callable[["DocxWriter", Any, int], list[Element]]


def render(doc: Document, ctx: RenderContext) -> bytes:
    """The DOCX file for ``doc`` under ``ctx.theme`` (same input → same bytes), footnotes included."""
    return render_with_footnotes(lambda d, c: merge_reference(DocxWriter(d, c).render(), d, c), doc, ctx)


class DocxWriter:
    """One render: a python-docx document from the default template, restyled from the theme."""

    def __init__(self, doc: Document, ctx: RenderContext) -> None:
        self.doc, self.ctx, self.theme = doc, ctx, ctx.theme
        self.warn = ctx.warn
        self.fonts = Fonts(ctx.theme, getattr(ctx, "fonts", None))
        self.geo = Geometry.of(ctx.theme)
        self.front = Front(self.theme, self.fonts, self.geo, self.warn)
        self.docx: DocxDocument = base_document(doc)  # the unit's reference template, if any
        self._next_bookmark = 0
        self.bookmarks: dict[int, str] = {}
        self._used_bookmarks: set[str] = set()
        self.pending_break = False
        self._charts = 0

    # ------------------------------------------------------------ driver
    def render(self) -> bytes:
        d, theme = self.docx, self.theme
        drop_template_parts(d)
        install_styles(d, theme, self.fonts, self.geo)
        install_settings(d, theme, even_odd=theme.page_numbers.position != "none")
        install_font_table(d, self.fonts)
        set_core_properties(d, self.doc.meta, self.ctx.timestamp)

        flow = self._flow()
        self._name_bookmarks()
        self.toc_entries = self._toc_entries(flow)

        body = d.element.body
        for child in list(body):
            body.remove(child)
        footers = numbered_footers(d, theme)
        cover_footers: Footers | None = None
        segments: list[tuple[str, list[Element]]] = []
        last_heading: list[Element] = []
        prev: Block | TitleBlock | None = None
        for item in flow:
            wide = isinstance(item, Table) and item.landscape
            kind = "cover" if isinstance(item, Cover) else "landscape" if wide else "main"
            carried: list[Element] = []
            if wide and last_heading and segments and segments[-1][0] == "main":
                # a heading (or 附件N and title) right before a landscape table goes onto the
                # landscape page with it
                tail = segments[-1][1][-len(last_heading):]
                if len(tail) == len(last_heading) and all(a is b for a, b in zip(tail, last_heading, strict=True)):
                    del segments[-1][1][-len(last_heading):]
                    carried = last_heading
                    for e in carried:  # the landscape section starts its page: no break of its own
                        for brk in e.findall(f"{qn('w:pPr')}/{qn('w:pageBreakBefore')}"):
                            brk.getparent().remove(brk)
                    if not segments[-1][1] and len(segments) > 1:
                        segments.pop()
            if not segments or segments[-1][0] != kind or kind == "cover":
                segments.append((kind, []))
            elems = self._title(item) if isinstance(item, TitleBlock) else self.block(item, 0)
            self._keep_lesson(segments[-1][1], prev, item)
            self._append(segments[-1][1], carried + elems)
            last_heading = elems if isinstance(item, (Heading, AttachmentMark)) else []
            prev = item
        if not segments:
            segments.append(("main", []))
        if self.pending_break:
            segments[-1][1].append(_page_break_paragraph())
        for i, (kind, elems) in enumerate(segments):
            if kind == "cover":
                cover_footers = cover_footers or blank_footers(d)
                sp = sect_pr(theme, self.geo, cover_footers)
            else:
                after_cover = i > 0 and segments[i - 1][0] == "cover"
                sp = sect_pr(theme, self.geo, footers, restart_numbering=after_cover,
                             landscape=kind == "landscape")
            if not elems or elems[-1].tag != qn("w:p"):
                elems.append(el("w:p", None, ppr(extra=[spacing(20)])))
            if i < len(segments) - 1:
                insert_ordered(p_props(elems[-1]), sp, PPR_ORDER)
            else:
                elems.append(sp)
            for e in elems:
                body.append(e)
        return save_reproducible(d)

    def _flow(self) -> list[Block | TitleBlock]:
        """The blocks in order, with the document title placed before the first content block
        (after any cover, masthead, table of contents and page break)."""
        blocks: list[Block | TitleBlock] = []
        flow = float_charts(self.doc.blocks, self.ctx.chart_floats)  # the PDF's order
        for i, b in enumerate(flow):
            blocks.append(b)
            # A table of contents gets its own page(s): the body starts on a new page.
            nxt = flow[i + 1] if i + 1 < len(flow) else None
            if isinstance(b, TocPlaceholder) and nxt is not None and not isinstance(
                nxt, (PageBreak, Cover)
            ):
                blocks.append(PageBreak())
        meta = self.doc.meta
        if self.doc.show_title and (meta.title or meta.subtitle):
            at = next(
                (i for i, b in enumerate(blocks) if not isinstance(b, BEFORE_TITLE)), len(blocks)
            )
            blocks.insert(at, TitleBlock(meta.title, meta.subtitle))
        return blocks

    def _name_bookmarks(self) -> None:
        for n, h in enumerate(self.doc.headings(), 1):
            self.bookmarks[id(h)] = self._bookmark_name(h.anchor, n)

    def _bookmark_name(self, anchor: str, n: int) -> str:
        """A Word-valid, unique bookmark name for ``anchor`` (ASCII letter first, then letters,
        digits or ``_``, at most 40 characters); ``_Toc_bg<n>`` when there is no anchor."""
        name = re.sub(r"[^A-Za-z0-9_]", "_", anchor)[:40] if anchor else f"_Toc_bg{n:05d}"
        if not re.match(r"[A-Za-z_]", name):
            name = f"h{name}"[:40]
        base, k = name, 1
        while name in self._used_bookmarks:
            k += 1
            name = f"{base[:34]}_{k}"
        self._used_bookmarks.add(name)
        return name

    def _toc_entries(self, flow: list[Block | TitleBlock]) -> list[TocEntry]:
        tocs = [b for b in flow if isinstance(b, TocPlaceholder)]
        if not tocs:
            return []
        heads = self.doc.headings()
        count = sum(1 for h in heads if h.level <= tocs[0].max_level)
        printed = self.ctx.heading_pages  # the PDF's page numbers when it was laid out in this build
        if printed is not None and len(printed) == len(heads):
            pages = list(printed)
        else:
            est = PageEstimator(self.theme, count)
            est.walk(flow, self.theme.type_area_width)
            pages = [est.pages.get(id(h), 1) for h in heads]
        return [
            TocEntry(h.level, clean_text(h.label + h.text), self.bookmarks[id(h)], page)
            for h, page in zip(heads, pages, strict=True)
        ]  # fmt: skip

    def _append(self, out: list[Element], elems: list[Element]) -> None:
        """Append to a body or cell, honouring a pending page break and keeping tables apart."""
        if not elems:
            return
        first = elems[0]
        if self.pending_break:
            if first.tag == qn("w:p"):
                insert_ordered(p_props(first), el("w:pageBreakBefore"), PPR_ORDER)
            else:
                out.append(_page_break_paragraph())
            self.pending_break = False
        if out and out[-1].tag == qn("w:tbl") and first.tag == qn("w:tbl"):
            out.append(el("w:p", None, ppr(extra=[spacing(self.geo.line_pitch // 2)])))
        out.extend(elems)

    def _laid(self, t: Table) -> list[Laid]:
        """How the PDF laid ``t`` out in this build (none: DOCX-only build)."""
        known: dict[str, list[Laid]] = getattr(self.ctx, "table_widths", None) or {}
        return known.get(table_key(t), []) if known else []

    # ------------------------------------------------------------ dispatch
    def block(self, node: Block, depth: int) -> list[Element]:
        handler = HANDLERS.get(type(node))
        if handler is None:
            raise TypeError(f"internal error: docx writer has no handler for {type(node).__name__}")
        return handler(self, node, depth)

    def blocks(self, nodes: list[Block], depth: int) -> list[Element]:
        out: list[Element] = []
        prev: Block | None = None
        for node in nodes:
            elems = self.block(node, depth)
            self._keep_lesson(out, prev, node)
            self._append(out, elems)
            prev = node
        return out

    # ------------------------------------------------------------ handlers
    def _title(self, t: TitleBlock) -> list[Element]:
        out = []
        sizes, width = self.theme.sizes, self.geo.text_w / 20
        if t.title:
            title = title_text(t.title, sizes.title, width, self.ctx.title_lines)
            p = el("w:p", None, ppr("Title"), *span_runs(plain(title), self.fonts, self.warn))
            if not t.subtitle:
                after = spacing(_title_line(self), 0, self.geo.line_pitch)
                insert_ordered(p_props(p), after, PPR_ORDER)
            out.append(p)
        if t.subtitle:
            sub = title_text(t.subtitle, sizes.subtitle, width, self.ctx.title_lines)
            out.append(el("w:p", None, ppr("Subtitle"), *span_runs(plain(sub), self.fonts, self.warn)))
        return out

    def heading(self, h: Heading, depth: int) -> list[Element]:
        level = h.level
        if not 1 <= level <= 4:
            self.warn(_("docx: heading level {level} shown as level {shown}").format(level=level, shown=min(max(level, 1), 4)))
            level = min(max(level, 1), 4)
        runs = ([run(clean_text(h.label, self.warn))] if h.label else []) + span_runs(
            h.inlines, self.fonts, self.warn
        )
        name = self.bookmarks.get(id(h))
        if name is None:
            return [el("w:p", None, ppr(f"Heading{level}"), *runs)]
        bid = self._next_bookmark
        self._next_bookmark += 1
        return [
            el(
                "w:p",
                None,
                ppr(f"Heading{level}"),
                el("w:bookmarkStart", {"w:id": bid, "w:name": name}),
                *runs,
                el("w:bookmarkEnd", {"w:id": bid}),
            )
        ]

    def paragraph(self, p: Paragraph, depth: int) -> list[Element]:
        style = ROLE_STYLES.get(p.role, "Normal")
        jc = ALIGN.get(p.align) if p.align else None
        return [el("w:p", None, ppr(style, jc=jc), *span_runs(p.inlines, self.fonts, self.warn))]

    def list_block(self, lst: ListBlock, depth: int) -> list[Element]:
        out = []
        for i, item in enumerate(lst.items, 1):
            if lst.ordered:
                label = list_label(i)
                style = "ListNumber"
            else:
                label, style = "•", "ListBullet"
            runs = [run(label)] + span_runs(item, self.fonts, self.warn)
            out.append(el("w:p", None, ppr(style), *runs))
        return out

    def table(self, t: Table, depth: int) -> list[Element]:
        width = self.geo.text_w - depth * 2 * BOX_MARGIN
        if t.landscape and depth == 0:
            width = self.geo.text_h  # across the turned type area
        out: list[Element] = []
        if t.caption:
            cap = el("w:p", None, ppr("Caption"), run(clean_text(t.caption, self.warn)))
            if t.anchor:
                bid = self._next_bookmark
                self._next_bookmark += 1
                name = self._bookmark_name(t.anchor, bid)
                cap.insert(1, el("w:bookmarkStart", {"w:id": bid, "w:name": name}))
                cap.append(el("w:bookmarkEnd", {"w:id": bid}))
            out.append(cap)
        tbl = table_xml(t, self.fonts, width, self.warn, self._laid(t))
        if tbl is not None:
            out.append(tbl)
        if t.source_note:
            out.append(
                el("w:p", None, ppr("SourceNote"), run(clean_text(t.source_note, self.warn)))
            )
        return out

    def chart(self, c: Chart, depth: int) -> list[Element]:
        """A native Word chart at its physical size, caption under it, optional number table, note."""
        avail_mm = (self.geo.text_w - depth * 2 * BOX_MARGIN) / 20 * 25.4 / 72
        width_mm = c.width_mm
        if width_mm > avail_mm + 0.05:
            self.warn(_("docx: chart {name!r} narrowed to the available width").format(name=c.caption or c.kind))
            width_mm = avail_mm
        self._charts += 1
        n = self._charts
        ea = self.fonts.name(self.theme.fonts.table)
        latin = self.fonts.name("latin")
        from briefgen.writers.docx.chart import (  # only with charts
            EMU_PER_MM,
            add_chart_part,
            inline_chart,
        )

        lay = layout_for(c, width_mm * MM, self.theme.type_area_height * MAX_HEIGHT_SHARE)
        drawn = (getattr(self.ctx, "chart_layouts", None) or {}).get(chart_key(c))
        if drawn is not None and abs(drawn.width - lay.width) < 0.5:
            lay = drawn  # as the PDF drew it (squeezed at a page foot)
        rid = add_chart_part(self.docx.part, c, n, ea, latin, lay)
        drawing = inline_chart(rid, n, round(width_mm * EMU_PER_MM), round(lay.height / MM * EMU_PER_MM),
                               f"图表 {n}", clean_text(c.alt, self.warn))
        props = ppr(jc="center", extra=[el("w:keepNext"), val("w:snapToGrid", 0), spacing(None, 0, 60),
                                        el("w:ind", {"w:firstLine": 0, "w:firstLineChars": 0})])  # in the type area
        out: list[Element] = [el("w:p", None, props, drawing)]
        if c.caption:
            # as in the PDF, a data table splits like any table rather than pulling chart and
            # caption onto the next page: the caption keeps with its chart, not with the table
            free = [val("w:keepNext", 0)] if c.show_table else []
            out.append(el("w:p", None, ppr("Caption", extra=free), run(clean_text(c.caption, self.warn))))
        if c.show_table:
            data = chart_table(c)
            tbl = table_xml(data, self.fonts, self.geo.text_w - depth * 2 * BOX_MARGIN, self.warn,
                            self._laid(data))
            if tbl is not None:
                out.append(tbl)
        if c.source_note:
            out.append(el("w:p", None, ppr("SourceNote"), run(clean_text(c.source_note, self.warn))))
        return out

    def box(self, b: Box, depth: int) -> list[Element]:
        """A one-cell bordered table holding the title and the nested blocks: one row that does
        not split when the box is short (as the PDF moves it whole), else a splittable row whose
        title keeps with the text."""
        width = self.geo.text_w - depth * 2 * BOX_MARGIN
        short = self._short_box(b)
        inner: list[Element] = []
        if b.title:
            props = ppr("BoxTitle", extra=[] if short else [el("w:keepNext")])
            inner.append(el("w:p", None, props, run(clean_text(b.title, self.warn))))
        self._append(inner, self.blocks(b.blocks, depth + 1))
        if not inner or inner[-1].tag != qn("w:p"):
            inner.append(el("w:p", None, ppr(extra=[spacing(20)])))
        edges = [border(s, BOX_BORDER, space=0) for s in ("top", "left", "bottom", "right")]
        tbl_pr = el(
            "w:tblPr",
            None,
            el("w:tblW", {"w:w": width, "w:type": "dxa"}),
            val("w:jc", "center"),
            el("w:tblBorders", None, *edges),
            el("w:tblLayout", {"w:type": "fixed"}),
            el(
                "w:tblCellMar",
                None,
                el("w:top", {"w:w": 113, "w:type": "dxa"}),
                el("w:left", {"w:w": BOX_MARGIN, "w:type": "dxa"}),
                el("w:bottom", {"w:w": 113, "w:type": "dxa"}),
                el("w:right", {"w:w": BOX_MARGIN, "w:type": "dxa"}),
            ),
        )
        cell = el("w:tc", None, el("w:tcPr", None, el("w:tcW", {"w:w": width, "w:type": "dxa"})))
        cell.extend(inner)
        grid = el("w:tblGrid", None, el("w:gridCol", {"w:w": width}))
        row = el("w:tr", None, el("w:trPr", None, el("w:cantSplit")) if short else None, cell)
        return [el("w:tbl", None, tbl_pr, grid, row)]

    def _keep_lesson(self, out: list[Element], prev: object, node: object) -> None:
        """A short box after a body paragraph (思考题 after its lesson) never opens a page without
        the lesson's last lines, as in the PDF: the paragraph keeps with the box (widow control
        keeps two of its lines together)."""
        if isinstance(node, Box) and isinstance(prev, Paragraph) and out and out[-1].tag == qn("w:p"):
            pp = p_props(out[-1])
            if pp.find(qn("w:keepNext")) is None and self._short_box(node):
                insert_ordered(pp, el("w:keepNext"), PPR_ORDER)

    def _short_box(self, b: Box) -> bool:
        """Whether the PDF moves ``b`` whole (and keeps it with the lesson before it): at most 30 %
        of the type area, estimated on the grid (``PageEstimator``)."""
        est = PageEstimator(self.theme)
        est.walk([b], self.theme.type_area_width)
        return (est.page - 1) * est.height + est.y <= 0.3 * self.theme.type_area_height

    def page_break(self, _: PageBreak, depth: int) -> list[Element]:
        self.pending_break = True
        return []

    def toc(self, t: TocPlaceholder, depth: int) -> list[Element]:
        if not self.toc_entries:
            self.warn(_("docx: table of contents has no headings to list"))
        return toc_paragraphs(t, self.toc_entries, clean_text(t.title, self.warn))

    def masthead(self, m: Masthead, depth: int) -> list[Element]:
        return self.front.masthead(m)

    def cover(self, c: Cover, depth: int) -> list[Element]:
        if depth:
            self.warn(_("docx: a cover inside a box is rendered without its own page"))
        return self.front.cover(c)

    def closing(self, c: ClosingBlock, depth: int) -> list[Element]:
        tbl = self.front.closing(c)
        return [tbl] if tbl is not None else []


def _title_line(w: DocxWriter) -> int:
    return round(max(w.theme.sizes.title * 1.3, w.theme.grid.line_pitch_pt) * 20)


def _page_break_paragraph() -> Element:
    return el("w:p", None, el("w:r", None, el("w:br", {"w:type": "page"})))


HANDLERS: dict[type, Handler] = {
    Heading: DocxWriter.heading,
    Paragraph: DocxWriter.paragraph,
    ListBlock: DocxWriter.list_block,
    Table: DocxWriter.table,
    Chart: DocxWriter.chart,
    Box: DocxWriter.box,
    PageBreak: DocxWriter.page_break,
    TocPlaceholder: DocxWriter.toc,
    Masthead: with_logo(DocxWriter.masthead),
    Cover: with_logo(DocxWriter.cover),
    ClosingBlock: DocxWriter.closing,
    Image: image_block,
    **GONGWEN_HANDLERS,
}
