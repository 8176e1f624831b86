"""A reference Word template made with python-docx for the tests (nothing binary is committed)."""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.shared import Mm

MARGINS = (30.0, 32.0, 25.0, 24.0)  # top, bottom, left, right (mm): not a built-in theme's


def make_template(path: Path, width_mm: float = 210, height_mm: float = 297, style: str = "本单位正文",
                  margins: tuple[float, float, float, float] = MARGINS) -> Path:
    """A template with the given paper and margins, one custom paragraph style and a header."""
    doc = Document()
    s = doc.sections[0]
    s.page_width, s.page_height = Mm(width_mm), Mm(height_mm)
    s.top_margin, s.bottom_margin, s.left_margin, s.right_margin = (Mm(m) for m in margins)
    doc.styles.add_style(style, 1)
    s.header.paragraphs[0].text = "示例单位"
    doc.save(str(path))
    return path
