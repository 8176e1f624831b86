"""What every writer receives besides the document: theme, fonts, build date and a warning sink."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from briefgen.model.theme import Theme

if TYPE_CHECKING:
    from briefgen.fonts.book import FontBook


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
    # Column widths (points) the PDF writer laid each table out with, by ``writers.common.table_key``:
    # (available width, widths, cell padding above/below) triples. The DOCX writer uses them so both
    # wrap cells alike and a table the PDF tightened to stay on one page is tightened in Word too.
    table_widths: dict[str, list[tuple[float, list[float], float]]] = field(default_factory=dict)
    # Centred text (titles, attachment titles) the PDF writer broke into lines, by its text: the
    # DOCX writer breaks it at the same places (``typeset.titles``).
    title_lines: dict[str, list[str]] = field(default_factory=dict)

    def warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)
