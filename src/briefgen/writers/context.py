"""What every writer receives besides the document: theme, fonts, build date and a warning sink."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from briefgen.model.theme import Theme
from briefgen.tree import ChartLayout

if TYPE_CHECKING:
    from briefgen.fonts.book import FontBook


#: One line of a table cell as the PDF set it: its text, how many points narrower than at the
#: style's tracking the PDF set it (punctuation compressed in pairs, a squeezed line), and its width.
CellLine = tuple[str, float, float]


@dataclass(frozen=True)
class LaidTable:
    """How the PDF writer laid one table out at one available width: the DOCX writer takes its
    column widths, cell padding, figure padding and the cells' lines, so that Word and
    LibreOffice wrap every cell where the PDF did."""

    width: float  # the available width, pt
    col_widths: tuple[float, ...]
    pad_y: float  # cell padding above and below, pt
    pad_x: float = 4.0  # cell padding left and right, pt
    figure_pads: tuple[tuple[float, ...], ...] = ()  # per column: right padding per body row, pt
    lines: tuple[tuple[tuple[CellLine, ...], ...], ...] = ()  # per row (header rows first), per column

    @property
    def key(self) -> tuple[float, tuple[float, ...], float]:
        return (self.width, self.col_widths, self.pad_y)


@dataclass
class RenderContext:
    """Inputs shared by all writers for one build."""

    theme: Theme
    fonts: FontBook
    # Timestamp written into file metadata (DOCX core props, PDF info). It comes from the
    # brief's date or SOURCE_DATE_EPOCH, never the wall clock, so outputs are reproducible.
    timestamp: datetime
    warnings: list[str] = field(default_factory=list)
    # Printed page number of each heading (``Document.headings()`` order), set by the PDF
    # writer; the DOCX writer caches them in its table of contents when present.
    heading_pages: list[int] | None = None
    # How the PDF writer laid each table out (``LaidTable``: widths, padding, the cells' lines), by
    # ``writers.common.table_key``. The DOCX writer uses them so both wrap cells alike and a table
    # the PDF tightened to stay on one page is tightened in Word too.
    table_widths: dict[str, list[LaidTable]] = field(default_factory=dict)
    # Centred text (titles, attachment titles) the PDF writer broke into lines, by its text: the
    # DOCX writer breaks it at the same places (``typeset.titles``).
    title_lines: dict[str, list[str]] = field(default_factory=dict)
    # The layout the PDF writer drew each chart with, by ``writers.common.chart_key`` (one squeezed
    # to the room at a page foot is drawn the same in the DOCX).
    chart_layouts: dict[str, ChartLayout] = field(default_factory=dict)
    # Charts the PDF writer placed after the text that follows them, by ``chart_key``: how many
    # blocks (``writers.common.float_charts``). The DOCX writer prints the same order.
    chart_floats: dict[str, int] = field(default_factory=dict)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
