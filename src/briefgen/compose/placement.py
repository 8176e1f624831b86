"""Turn a body's block order into a printable one: a note paragraph joins the table it annotates, a chart under a table from the same sources refers to the table's note, and a landscape table follows the rest of its section's text.

A turned table starts on a page of its own (GB/T 9704 §8), so set where the author put it, the
upright page before it ends wherever the text before it does — often a few lines down a page
that stays three-quarters empty while the section's text goes on after the turned pages. As a
typesetter floats a full-page table, the table is moved after the text that follows it in its
section (paragraphs, lists, boxes, pictures, charts and upright tables), up to the next heading,
attachment or page break (turned tables in a row move together); that text then fills the page, and the page before the
turned one is the section's last. Every writer prints the same order.
"""

from __future__ import annotations

from briefgen.compose.citations import NOTE_HEAD
from briefgen.tree import (
    NOTE_PARAGRAPH,
    Block,
    Box,
    Chart,
    Image,
    ListBlock,
    Paragraph,
    Table,
    inline_text,
)

#: Blocks a landscape table is moved past: the running content of a section.
_FLOW = (Paragraph, ListBlock, Box, Image, Chart)


def float_landscape(blocks: list[Block]) -> list[Block]:
    """``blocks`` with each landscape table moved after the running content that follows it."""
    out = list(blocks)
    i = 0
    while i < len(out):
        if _turned(out[i]):
            k = i + 1  # turned tables in a row go together
            while k < len(out) and _turned(out[k]):
                k += 1
            j = k
            while j < len(out) and _flows(out[j]):
                j += 1
            if j > k:
                out[i:j] = [*out[k:j], *out[i:k]]
            i = j  # past the tables in their new place
            continue
        i += 1
    return out


def _turned(b: Block) -> bool:
    return isinstance(b, Table) and b.landscape


def _flows(b: Block) -> bool:
    return isinstance(b, _FLOW) or (isinstance(b, Table) and not b.landscape)


def attach_notes(blocks: list[Block]) -> list[Block]:
    """``blocks`` with each plain note paragraph (注：…, 资料来源：…; no footnotes, no emphasis)
    that follows a table, or a chart printed with its data table, moved into its ``source_note``:
    it is then set under the last row and never opens a page alone, in every writer. (A chart
    without its table keeps a note paragraph on its page in the PDF writer: ``FittedChart.after``.)"""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        rows = isinstance(prev, Table) or (isinstance(prev, Chart) and prev.show_table)
        if (isinstance(b, Paragraph) and rows and NOTE_PARAGRAPH.match(inline_text(b.inlines))
                and all(not (s.note or s.strong or s.emphasis) for s in b.inlines)):  # fmt: skip
            text = inline_text(b.inlines).strip()
            assert isinstance(prev, (Table, Chart))
            prev.source_note = "\n".join(filter(None, (prev.source_note, text)))
            continue
        out.append(b)
    return out


#: A chart's source note when the table right before it names the same sources.
SAME_SOURCES = NOTE_HEAD + "同上表。"


def share_sources(blocks: list[Block]) -> list[Block]:
    """``blocks`` with the source note of a chart that follows a table citing the very same
    sources shortened to ``SAME_SOURCES``: a page does not print the same list twice."""
    for prev, b in zip(blocks, blocks[1:], strict=False):
        if (isinstance(prev, Table) and isinstance(b, Chart) and not b.show_table and b.source_note
                and b.source_note == prev.source_note):  # fmt: skip
            b.source_note = SAME_SOURCES
    return blocks
