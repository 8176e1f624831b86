"""Turn the document's headings into a pre-filled Word TOC field, with estimated page numbers."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.model.theme import Theme
from briefgen.tree import (
    Block,
    Box,
    Chart,
    ClosingBlock,
    Cover,
    Heading,
    Image,
    ListBlock,
    Masthead,
    PageBreak,
    Paragraph,
    Table,
    TocPlaceholder,
    chart_table,
    inline_text,
)
from briefgen.writers.docx.page import field_runs
from briefgen.writers.docx.tables import column_widths
from briefgen.writers.docx.xml import Element, char_units, clean_text, el, ppr, run


@dataclass
class TitleBlock:
    """Where the writer puts the document title (not a tree block, but it takes space)."""

    title: str
    subtitle: str


@dataclass
class TocEntry:
    level: int
    text: str
    bookmark: str
    page: int


class PageEstimator:
    """Estimate on which page each heading starts, from the 22 × 28 grid.

    Body text on the grid is regular (28 characters a line, 22 lines a page), so this is close
    for running text; tables and special blocks are approximations. Word replaces the numbers
    when the field is updated; LibreOffice computes the nested PAGEREF fields itself."""

    def __init__(self, theme: Theme, toc_entries: int = 0) -> None:
        self.theme = theme
        self.toc_entries = toc_entries
        self.pitch = theme.grid.line_pitch_pt
        self.height = theme.grid.lines * self.pitch
        self.chars = theme.grid.chars
        self.page, self.y = 1, 0.0
        self.pages: dict[int, int] = {}

    def _lines(self, text: str, indent_chars: float = 2) -> int:
        return sum(
            max(1, math.ceil((char_units(seg) + indent_chars) / self.chars))
            for seg in (text.split("\n") or [""])
        )

    def _flow(self, h: float) -> int:
        """Place splittable content of height ``h``; return the page it starts on."""
        if self.y + min(h, self.pitch) > self.height + 0.01:
            self.page, self.y = self.page + 1, 0.0
        start = self.page
        self.y += h
        while self.y > self.height + 0.01:
            self.y -= self.height
            self.page += 1
        return start

    def _row(self, h: float) -> None:
        if self.y + h > self.height + 0.01 and self.y > 0:
            self.page, self.y = self.page + 1, 0.0
        self.y += h

    def _table(self, t: Table, width_pt: float) -> None:
        s = self.theme.sizes
        if t.caption:
            self._flow(self.pitch)
        widths = column_widths(t.widths, t.columns, round(width_pt * 20))
        size, pitch = self.theme.table_type(t.reference)
        for row in t.rows:
            lines = 1
            for c, cell in enumerate(row[: len(widths)]):
                usable = max(1.0, widths[c] / 20 - 8.5)
                per_line = max(1, math.floor(usable / size))
                lines = max(lines, math.ceil(char_units(cell.text) / per_line) or 1)
            self._row(lines * pitch)
        if t.source_note:
            self._flow(s.source_note * 1.5 * (t.source_note.count("\n") + 1))

    def walk(self, blocks: Sequence[Block | TitleBlock], width_pt: float) -> None:
        s = self.theme.sizes
        for b in blocks:
            if isinstance(b, TitleBlock):
                per = max(1, math.floor(width_pt / s.title))
                n = max(1, math.ceil(char_units(b.title) / per))
                self._flow(n * max(s.title * 1.3, self.pitch) + (self.pitch if b.subtitle else 0))
                self._flow(self.pitch)
            elif isinstance(b, Heading):
                self.pages[id(b)] = self._flow(self._lines(b.label + b.text) * self.pitch)
            elif isinstance(b, Paragraph):
                self._flow(self._lines(b.text) * self.pitch)
            elif isinstance(b, ListBlock):
                for item in b.items:
                    self._flow(self._lines(inline_text(item) + "①") * self.pitch)
            elif isinstance(b, Table) and b.landscape:
                if self.y > 0:
                    self.page, self.y = self.page + 1, 0.0
                self._table(b, self.height)  # rows run across the turned type area
                self.page, self.y = self.page + 1, 0.0
            elif isinstance(b, Table):
                self._table(b, width_pt)
            elif isinstance(b, Chart):
                self._flow(b.height_mm * 72 / 25.4 + (self.pitch if b.caption else 0))
                if b.show_table:
                    self._table(chart_table(b), width_pt)
                if b.source_note:
                    self._flow(s.source_note * 1.5 * (b.source_note.count("\n") + 1))
            elif isinstance(b, Image):
                self._flow(b.height_mm * 72 / 25.4 + self.pitch * ((b.caption != "") + (b.credit != "")))
            elif isinstance(b, Box):
                self._flow(self.pitch if b.title else 0)
                self.walk(b.blocks, width_pt - 17)
            elif isinstance(b, PageBreak):
                if self.y > 0:
                    self.page, self.y = self.page + 1, 0.0
            elif isinstance(b, TocPlaceholder):
                self._flow(max(s.title * 1.3, self.pitch) + self.pitch)
                self._flow(self.pitch * max(1, self.toc_entries))
            elif isinstance(b, Masthead):
                self._flow(s.masthead * 1.3 + self.pitch * 4)
            elif isinstance(b, Cover):
                self.page, self.y = 1, 0.0
            elif isinstance(b, ClosingBlock):
                pass


def toc_paragraphs(
    node: TocPlaceholder, entries: list[TocEntry], title: str
) -> list[Element]:
    """TOC title, then a ``TOC \\o "1-N" \\h \\z \\u`` field whose cached result already lists the
    headings (hyperlinked to their bookmarks, page numbers as nested PAGEREF fields), so the
    table of contents is readable before anyone updates fields (quarto #8330, carbone #82)."""
    max_level = max(1, min(node.max_level, 4))
    out: list[Element] = []
    if title:
        out.append(el("w:p", None, ppr("TOCHeading"), run(title)))
    begin = field_runs(f'TOC \\o "1-{max_level}" \\h \\z \\u', "")[:3]
    end = field_runs("", "")[-1]
    shown = [e for e in entries if e.level <= max_level]
    if not shown:
        out.append(el("w:p", None, ppr("TOC1"), *begin, end))
        return out
    for i, e in enumerate(shown):
        link = el("w:hyperlink", {"w:anchor": e.bookmark, "w:history": 1})
        link.append(run(clean_text(e.text)))
        link.append(el("w:r", None, el("w:tab")))
        for r in field_runs(f"PAGEREF {e.bookmark} \\h", str(e.page)):
            link.append(r)
        kids: list[Element] = [*begin] if i == 0 else []
        kids.append(link)
        if i == len(shown) - 1:
            kids.append(end)
        out.append(el("w:p", None, ppr(f"TOC{e.level}"), *kids))
    return out

