"""Turn a chart that did not fit at a page foot, leaving more than a third of the page empty, into a float: the text after it fills the page and the chart opens the next one.

A chart (with its caption and notes) cannot split; squeezed to its least height it may still not
fit the room left, and when what follows is running text a typesetter lets that text run on and
sets the chart at the top of the next page (图随文走: the text that names the chart still comes
first). A pass of the PDF writer records the room each such chart left (``Gaps``); the next pass
moves the paragraphs, lists, lower-level headings and upright tables that fit the room whole before
the chart (``writers.common.float_charts``, which the DOCX writer applies too). A chart never
moves past a first-level heading, a page break, an attachment, a turned table or another figure,
and the moved text never ends with a heading.
"""

from __future__ import annotations

from typing import Protocol

from reportlab.platypus import Flowable

from briefgen.tree import Block, Chart, Heading, ListBlock, Paragraph, Table
from briefgen.writers.common import chart_key, chart_notes
from briefgen.writers.pdf.flowables import GridSnap, KeepLines

#: Blocks that may run on before a floated chart: the running text of a section, and an upright
#: table that fits whole (tables and figures are separate float classes, as in book setting).
_RUNNING = (Paragraph, ListBlock, Heading, Table)


class _Writer(Protocol):
    pitch: float

    def block(self, node: Block, depth: int) -> list[Flowable]: ...


class Gaps:
    """The room each top-level chart left empty when it went to the next page, by ``chart_key``."""

    def __init__(self, least: float) -> None:
        self.least = least  # a third of the type area: smaller gaps are left alone
        self.room: dict[str, float] = {}

    def watch(self, keep: KeepLines, chart: Chart) -> None:
        """Let ``keep`` (the chart's keep) report the room it leaves when it breaks the page."""
        key = chart_key(chart)

        def broke(ah: float) -> None:
            if ah > self.least:
                self.room.setdefault(key, ah)

        keep.on_break = broke

    def decide(self, writer: _Writer, blocks: list[Block], floats: dict[str, int], width: float) -> bool:
        """Add to ``floats`` how many blocks fill the room each chart left; whether any was added."""
        added = False
        for i, b in enumerate(blocks):
            if not isinstance(b, Chart):
                continue
            key = chart_key(b)
            room = self.room.get(key)
            if room is None or key in floats:
                continue
            n = fill_count(writer, blocks, i, room, width)
            if n:
                floats[key], added = n, True
        self.room.clear()
        return added


def fill_count(writer: _Writer, blocks: list[Block], i: int, room: float, width: float) -> int:
    """How many of the blocks after the chart ``blocks[i]`` (and its notes) fit in ``room``
    points: running text and whole upright tables, not ending with a heading, a line to spare."""
    height, best = 0.0, 0
    start = chart_notes(blocks, i)
    for n, b in enumerate(blocks[start:], 1):
        if (not isinstance(b, _RUNNING) or (isinstance(b, Heading) and b.level <= 1)
                or (isinstance(b, Table) and b.landscape)):  # fmt: skip
            break
        height += sum(_height(f, width) for f in writer.block(b, 0))
        if height > room - writer.pitch:
            break
        if not isinstance(b, Heading):
            best = n
    return best


def _height(f: Flowable, width: float) -> float:
    if isinstance(f, (KeepLines, GridSnap)):
        return 0.0
    return float(f.wrap(width, 1e9)[1]) + float(f.getSpaceBefore()) + float(f.getSpaceAfter())


__all__ = ["Gaps", "fill_count"]
