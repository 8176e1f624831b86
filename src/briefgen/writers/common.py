"""What both writers share: the chart series palette, ordered-list labels, which blocks come before the title, table and chart keys, and where floated charts go."""

from __future__ import annotations

import hashlib
import re

from briefgen.tree import (
    NOTE_PARAGRAPH,
    Block,
    Chart,
    Cover,
    GongwenHead,
    Masthead,
    PageBreak,
    Paragraph,
    Table,
    TocPlaceholder,
    inline_text,
)

PALETTE = ("#1F4E79", "#C0504D", "#7F7F7F", "#E46C0A", "#4F6228", "#604A7B", "#31859C", "#948A54")


def series_color(i: int) -> str:
    """The colour of series ``i`` (shared by the PDF and DOCX charts)."""
    return PALETTE[i % len(PALETTE)]


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"  # ordered-list labels


def list_label(i: int) -> str:
    """The label of item ``i`` (from 1) of an ordered list: ① … ⑳, then ``21.``."""
    return CIRCLED[i - 1] if i <= len(CIRCLED) else f"{i}."


# Blocks printed before the document title (the title goes after the last of these at the top).
BEFORE_TITLE = (Cover, Masthead, GongwenHead, TocPlaceholder, PageBreak)


# Anchors and ids the brief may name itself: safe in a PDF destination name and an HTML id.
SAFE_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]{0,63}$")


def unique_id(wanted: str, fallback: str, taken: set[str]) -> str:
    """``wanted`` if it is a safe id, else ``fallback``; suffixed ``-2``, ``-3`` … until it is not in
    ``taken``, to which it is added (PDF destinations and HTML ids of headings, figures)."""
    key = wanted if SAFE_ID.match(wanted or "") else fallback
    base, n = key, 1
    while key in taken:
        n += 1
        key = f"{base}-{n}"
    taken.add(key)
    return key


def chart_key(chart: Chart) -> str:
    """A content key for ``chart`` (kind, caption, categories, series, size): the PDF records the
    layout it drew a chart with under it, and the DOCX writer draws the same."""
    h = hashlib.blake2b(digest_size=16)
    h.update(f"{chart.kind}|{chart.caption}|{chart.width_mm}|{chart.height_mm}|{chart.categories}".encode())
    for s in chart.series:
        h.update(f"\x1e{s.name}\x1f{s.values}".encode())
    return h.hexdigest()


def table_key(table: Table) -> str:
    """A content key for ``table`` (cell texts, header rows, style, type size): the PDF records
    the column widths it laid a table out with under it, and the DOCX writer looks them up."""
    h = hashlib.blake2b(digest_size=16)
    size = "|reference" if table.reference else ""  # set smaller: other widths
    h.update(f"{table.columns}|{table.header_rows}|{table.style}|{table.widths}{size}".encode())
    for row in table.rows:
        h.update(b"\x1e")
        for cell in row:
            h.update(f"{cell.text}\x1f{cell.align}\x1f{int(cell.strong)}\x1f".encode())
    return h.hexdigest()


def chart_notes(blocks: list[Block], i: int) -> int:
    """The index after the chart ``blocks[i]`` and the 注 paragraphs written right after it (they
    belong to it and go where it goes)."""
    j = i + 1
    while j < len(blocks):
        b = blocks[j]
        if not (isinstance(b, Paragraph) and NOTE_PARAGRAPH.match(inline_text(b.inlines))):
            break
        j += 1
    return j


def float_charts(blocks: list[Block], floats: dict[str, int]) -> list[Block]:
    """``blocks`` with each chart the PDF writer floated (``RenderContext.chart_floats``: by
    ``chart_key``, how many blocks) placed after that many of the blocks that follow it and its
    notes: the text that filled the page it did not fit on. Both writers print this order."""
    if not floats:
        return list(blocks)
    out = list(blocks)
    i = 0
    while i < len(out):
        b = out[i]
        n = floats.get(chart_key(b), 0) if isinstance(b, Chart) else 0
        if n:
            j = chart_notes(out, i)
            out[i : j + n] = [*out[j : j + n], *out[i:j]]
            i += n
        i += 1
    return out
