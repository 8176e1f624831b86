"""Turn a document tree into one self-contained, accessible HTML5 file (UTF-8 bytes).

The page is built as an element tree (lxml) and serialised by lxml's HTML serialiser, so every
piece of text from a brief, pack or theme is escaped: text is data, never markup. No scripts, no
external resources: a Content-Security-Policy allows only the page's own style sheet (by hash).
Headings are ``h1`` (the title) and ``h2``–``h5`` for levels 1–4 with their 一、（一）labels;
tables are real ``<table>``s with ``<caption>``, ``<thead>`` and ``scope``; charts are inline SVG
with ``<title>``/``<desc>`` and their numbers in a table; pictures are ``<figure>``s of ``data:``
images; footnotes and the 公文 elements are written by :mod:`briefgen.writers.html.office`.
Same tree and context → same bytes.

Every handler is looked up in ``HANDLERS`` by node type; a node type without a handler is an
internal error (``TypeError``), never silently skipped.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from typing import Any, TypeAlias

from lxml import etree

from briefgen.tree import (
    Block,
    Box,
    Chart,
    ClosingBlock,
    Cover,
    Document,
    Heading,
    Inlines,
    ListBlock,
    Masthead,
    PageBreak,
    Paragraph,
    Table,
    TocPlaceholder,
    chart_table,
)
from briefgen.typeset.table_layout import prune_table
from briefgen.typeset.titles import unit_lines
from briefgen.writers.common import BEFORE_TITLE, unique_id
from briefgen.writers.context import RenderContext
from briefgen.writers.html import office
from briefgen.writers.html.chart import SvgChart
from briefgen.writers.html.css import css_string, stylesheet

Element: TypeAlias = etree._Element
ALIGN = {"left": "l", "center": "c", "right": "r"}


def render(doc: Document, ctx: RenderContext) -> bytes:
    """The HTML file for ``doc`` under ``ctx.theme`` (same input → same bytes)."""
    return HtmlWriter(doc, ctx).render()


def csp(css: str) -> str:
    """The page's Content-Security-Policy: nothing but its own style sheet (no scripts, no fetches)."""
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    return f"default-src 'none'; style-src 'sha256-{digest}'; img-src data:; base-uri 'none'; form-action 'none'"


def sub(parent: Element, tag: str, text: str = "", cls: str = "", **attrs: str) -> Element:
    """A child element with escaped-on-output text and attributes (``_`` in names becomes ``-``)."""
    el = etree.SubElement(parent, tag)
    if cls:
        el.set("class", cls)
    for k, v in attrs.items():
        el.set(k.rstrip("_").replace("_", "-"), v)
    if text:
        el.text = text
    return el


def newline(el: Element) -> Element:
    """A line break after a block element in the source (readability only; no rendered text)."""
    el.tail = "\n"
    return el


class HtmlWriter:
    """One render: the ``<html>`` element built block by block."""

    def __init__(self, doc: Document, ctx: RenderContext) -> None:
        self.doc, self.ctx, self.theme = doc, ctx, ctx.theme
        self.used_ids: set[str] = {"title"}
        self.heading_ids = self._heading_ids()
        self.charts = 0
        self.boxes = 0
        self.tables = 0
        self.figures = 0
        self.notes = office.Notes(ctx.theme.notes.numbering == "decimal")
        self.rules: list[str] = []  # per-table column widths, appended to the style sheet
        self.title_shown = bool(doc.show_title and doc.meta.title)

    # ------------------------------------------------------------ driver

    def render(self) -> bytes:
        meta = self.doc.meta
        html = etree.Element("html", lang=meta.language or "zh-CN")
        html.text = "\n"
        body = newline(sub(html, "body"))
        body.text = "\n"
        main = newline(sub(body, "main"))
        main.text = "\n"
        blocks: list[Block | None] = list(self.doc.blocks)
        if self.doc.show_title and (meta.title or meta.subtitle):
            at = next((i for i, b in enumerate(blocks) if not isinstance(b, BEFORE_TITLE)), len(blocks))
            blocks.insert(at, None)  # None marks where the title goes
        for b in blocks:
            if b is None:
                self.title(main)
            else:
                self.block(main, b, 0)
        self.notes.section(main, self.theme.notes.endnote_heading)
        css = stylesheet(self.theme) + office.office_css(self.theme) + "".join(self.rules)
        html.insert(0, self.head(css))
        text = etree.tostring(html, method="html", encoding="unicode", doctype="<!DOCTYPE html>")
        text = text.replace("<wbr></wbr>", "<wbr>")  # libxml2 does not know wbr is void (text is escaped)
        return (text + "\n").encode("utf-8")

    def head(self, css: str) -> Element:
        meta = self.doc.meta
        head = newline(etree.Element("head"))
        head.text = "\n"
        newline(sub(head, "meta", charset="utf-8"))
        newline(sub(head, "meta", http_equiv="Content-Security-Policy", content=csp(css)))
        newline(sub(head, "meta", name="viewport", content="width=device-width, initial-scale=1"))
        newline(sub(head, "meta", name="generator", content="briefgen"))
        if meta.author:
            newline(sub(head, "meta", name="author", content=meta.author))
        if meta.keywords:
            newline(sub(head, "meta", name="keywords", content=", ".join(meta.keywords)))
        if meta.subject:
            newline(sub(head, "meta", name="description", content=meta.subject))
        if meta.date:
            newline(sub(head, "meta", name="dcterms.date", content=meta.date.isoformat()))
        newline(sub(head, "title", " — ".join(t for t in (meta.title, meta.subtitle) if t) or "briefgen"))
        newline(sub(head, "style", css))
        return head

    def block(self, parent: Element, node: Block, depth: int) -> None:
        handler = HANDLERS.get(type(node))
        if handler is None:
            raise TypeError(f"internal error: html writer has no handler for {type(node).__name__}")
        handler(self, parent, node, depth)

    # ------------------------------------------------------------ helpers

    def _unique(self, wanted: str, fallback: str) -> str:
        return unique_id(wanted, fallback, self.used_ids)

    def _heading_ids(self) -> dict[int, str]:
        return {id(h): self._unique(h.anchor, f"h{n}") for n, h in enumerate(self.doc.headings(), 1)}

    def _heading_tag(self, level: int) -> str:
        return f"h{min(max(level, 1), 4) + (1 if self.title_shown else 0)}"

    def inlines(self, el: Element, inlines: Inlines) -> None:
        """Spans as text, ``<strong>`` (黑体 role), ``<em>`` (楷体 role) and footnote references; appended to ``el``."""
        last: Element | None = None
        for span in inlines:
            if span.note:
                last = self.notes.reference(el, span.text, span.note)
                continue
            if not span.strong and not span.emphasis:
                if last is None:
                    el.text = (el.text or "") + span.text
                else:
                    last.tail = (last.tail or "") + span.text
                continue
            outer = etree.SubElement(el, "strong" if span.strong else "em")
            inner = etree.SubElement(outer, "em") if span.strong and span.emphasis else outer
            inner.text = span.text
            last = outer

    # ------------------------------------------------------------ handlers

    def title(self, parent: Element) -> None:
        meta = self.doc.meta
        sizes = self.theme.sizes
        if meta.title:
            office.phrased(parent, "h1", meta.title, "title with-subtitle" if meta.subtitle else "title",
                           self.title_lines(meta.title, sizes.title), id="title")  # fmt: skip
        if meta.subtitle:
            office.phrased(parent, "p", meta.subtitle, "subtitle", self.title_lines(meta.subtitle, sizes.subtitle))

    def title_lines(self, text: str, size: float) -> list[str]:
        """The lines of a centred title at the page's full width: the PDF's (same build), else
        ``typeset.titles`` in character units."""
        got = self.ctx.title_lines.get(text)
        if got is not None:
            return got
        if len(text) * size <= self.theme.type_area_width:  # fits whatever its characters
            return [text]
        return unit_lines(text, size, self.theme.type_area_width)

    def heading(self, parent: Element, h: Heading, depth: int) -> None:
        level = min(max(h.level, 1), 4)
        el = newline(sub(parent, self._heading_tag(level), cls=f"h{level}", id=self.heading_ids[id(h)]))
        if h.label:
            label = sub(el, "span", h.label, "label")
            label.tail = None
            self.inlines_after(el, label, h.inlines)
        else:
            self.inlines(el, h.inlines)

    def inlines_after(self, el: Element, first: Element, inlines: Inlines) -> None:
        """Inline content after the element ``first`` already inside ``el``."""
        holder = etree.Element("span")
        self.inlines(holder, inlines)
        first.tail = holder.text
        for child in list(holder):
            el.append(child)

    def paragraph(self, parent: Element, p: Paragraph, depth: int) -> None:
        cls: str = p.role if p.inlines else "blank"
        if p.align:
            cls += f" align-{p.align}"
        el = newline(sub(parent, "p", cls=cls))
        self.inlines(el, p.inlines)

    def list_block(self, parent: Element, lst: ListBlock, depth: int) -> None:
        el = newline(sub(parent, "ol" if lst.ordered else "ul"))
        for item in lst.items:
            self.inlines(newline(sub(el, "li")), item)

    def table(self, parent: Element, t: Table, depth: int, ident: str = "") -> Element:
        t = prune_table(t)  # columns empty in every body row are dropped, as in the PDF and DOCX
        wrap = newline(sub(parent, "div", cls="table-wrap landscape" if t.landscape and depth == 0 else "table-wrap"))
        table = sub(wrap, "table", cls=f"{t.style} reference" if t.reference else t.style)
        self.tables += 1
        if t.anchor or ident:
            table.set("id", self._unique(t.anchor, ident or f"table{self.tables}"))
        if t.caption:
            newline(sub(table, "caption", t.caption))
        if t.widths and len(t.widths) == t.columns and sum(t.widths) > 0:
            self._widths(table, t.widths)
        head_rows, body_rows = t.rows[: t.header_rows], t.rows[t.header_rows:]
        if head_rows:
            thead = newline(sub(table, "thead"))
            for row in head_rows:
                tr = newline(sub(thead, "tr"))
                for cell in row:
                    sub(tr, "th", cell.text, self._cell_class(cell.align, cell.strong), scope="col")
        tbody = newline(sub(table, "tbody"))
        for row in body_rows:
            tr = newline(sub(tbody, "tr"))
            for k, cell in enumerate(row):
                cls = self._cell_class(cell.align, cell.strong)
                text = cell.text.removesuffix(cell.mark) if cell.note else cell.text
                if k == 0 and len(row) > 1:
                    td = sub(tr, "th", text, cls, scope="row")
                else:
                    td = sub(tr, "td", text, cls)
                if cell.note and cell.mark:
                    self.notes.reference(td, cell.mark, cell.note)
        if t.source_note:
            newline(sub(wrap, "p", t.source_note, "source"))
        return wrap

    def _widths(self, table: Element, widths: list[float]) -> None:
        """Relative column widths as a ``<colgroup>`` sized by id-scoped rules in the style sheet."""
        if not table.get("id"):
            table.set("id", self._unique("", f"table{self.tables}"))
        tid = table.get("id", "")
        table.set("class", f"{table.get('class', '')} sized")
        group = newline(sub(table, "colgroup"))
        total = sum(widths)
        for k, w in enumerate(widths, 1):
            sub(group, "col")
            self.rules.append(f"table[id={css_string(tid)}] > colgroup > col:nth-child({k}) {{ width: {100 * w / total:.2f}%; }}\n")

    @staticmethod
    def _cell_class(align: str, strong: bool) -> str:
        return ALIGN.get(align, "l") + (" strong" if strong else "")

    def chart(self, parent: Element, c: Chart, depth: int) -> None:
        self.charts += 1
        ident = self._unique(c.anchor, f"chart{self.charts}")
        fig = newline(sub(parent, "figure", cls="chart", id=ident))
        fig.text = "\n"
        width = self.theme.type_area_width - depth * 2 * self.theme.sizes.body
        svg = SvgChart(c, ident, width, self.theme.type_area_height).build()
        fig.append(svg)
        newline(svg)
        if c.caption:
            newline(sub(fig, "figcaption", c.caption, "caption"))
        data = chart_table(c)
        data.caption = ""
        if c.show_table:
            self.table(fig, data, depth)
        else:
            details = newline(sub(fig, "details", cls="data"))
            sub(details, "summary")
            self.table(details, data, depth)
        if c.source_note:
            newline(sub(fig, "p", c.source_note, "source"))

    def box(self, parent: Element, b: Box, depth: int) -> None:
        self.boxes += 1
        el = newline(sub(parent, "aside", cls=f"box {b.kind}"))
        el.text = "\n"
        if b.title:
            tid = self._unique("", f"box{self.boxes}")
            el.set("aria-labelledby", tid)
            newline(sub(el, "p", b.title, "box-title", id=tid))
        for n in b.blocks:
            self.block(el, n, depth + 1)

    def page_break(self, parent: Element, _: PageBreak, depth: int) -> None:
        newline(sub(parent, "div", cls="page-break", role="presentation"))

    def toc(self, parent: Element, t: TocPlaceholder, depth: int) -> None:
        nav = newline(sub(parent, "nav", cls="toc"))
        nav.text = "\n"
        if t.title:
            tid = self._unique("toc-title", "toc-title")
            nav.set("aria-labelledby", tid)
            newline(sub(nav, "p", t.title, "toc-title", id=tid))
        else:
            nav.set("aria-label", "目录")
        max_level = max(1, min(t.max_level, 4))
        stack: list[tuple[int, Element]] = [(0, newline(sub(nav, "ol")))]
        for h in self.doc.headings():
            if h.level > max_level:
                continue
            while len(stack) > 1 and stack[-1][0] >= h.level:
                stack.pop()
            ol = stack[-1][1]
            li = newline(sub(ol, "li"))
            a = sub(li, "a", h.label + h.text, href=f"#{self.heading_ids[id(h)]}")
            a.tail = None
            stack.append((h.level, sub(li, "ol")))
        for el in list(nav.iter("ol")):  # drop the empty sub-lists
            if len(el) == 0 and el.getparent() is not nav:
                el.getparent().remove(el)

    def masthead(self, parent: Element, m: Masthead, depth: int) -> None:
        head = newline(sub(parent, "header", cls="masthead"))
        head.text = "\n"
        office.logo(head, m)
        if m.mark or m.serial:
            row = newline(sub(head, "div", cls="row"))
            sub(row, "p", m.mark, "mark")
            sub(row, "p", m.serial, "serial")  # an empty one keeps the serial on the right
        newline(sub(head, "p", m.name, "masthead-name"))
        if m.issue_line:
            newline(sub(head, "p", m.issue_line, "issue"))
        row = newline(sub(head, "div", cls="row unit-date"))
        sub(row, "p", m.unit, "unit")
        sub(row, "p", m.date_text, "date-line")

    def cover(self, parent: Element, c: Cover, depth: int) -> None:
        sec = newline(sub(parent, "section", cls="cover", aria_label="封面"))
        sec.text = "\n"
        office.logo(sec, c)
        if c.mark:
            newline(sub(sec, "p", c.mark, "mark"))
        newline(sub(sec, "p", c.title, "cover-title"))
        if c.subtitle:
            newline(sub(sec, "p", c.subtitle, "subtitle"))
        if c.kind_line:
            newline(sub(sec, "p", c.kind_line, "kind"))
        foot = newline(sub(sec, "div", cls="foot"))
        for s in (c.unit, c.date_text):
            if s:
                newline(sub(foot, "p", s))

    def closing(self, parent: Element, c: ClosingBlock, depth: int) -> None:
        if not c.lines and not c.copies_text:
            return
        foot = newline(sub(parent, "footer", cls="closing", aria_label="版记"))
        foot.text = "\n"
        for label, value in c.lines:
            newline(sub(foot, "p", f"{label}：{value}"))
        if c.copies_text:
            newline(sub(foot, "p", c.copies_text, "copies"))


Handler = Callable[[HtmlWriter, Element, Any, int], Any]

HANDLERS: dict[type, Handler] = {
    Heading: HtmlWriter.heading,
    Paragraph: HtmlWriter.paragraph,
    ListBlock: HtmlWriter.list_block,
    Table: HtmlWriter.table,
    Chart: HtmlWriter.chart,
    Box: HtmlWriter.box,
    PageBreak: HtmlWriter.page_break,
    TocPlaceholder: HtmlWriter.toc,
    Masthead: HtmlWriter.masthead,
    Cover: HtmlWriter.cover,
    ClosingBlock: HtmlWriter.closing,
    **office.HANDLERS,
}

__all__ = ["HANDLERS", "HtmlWriter", "render"]
