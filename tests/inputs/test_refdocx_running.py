"""The reference template's page header and footer as the PDF draws them: text, alignment, size, colour,
font role and bottom rule; page-number fields left to the theme; pictures and text boxes reported."""

from __future__ import annotations

import io
from pathlib import Path

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import parse_xml
from docx.shared import Mm, Pt, RGBColor
from PIL import Image as PILImage

from briefgen.compose.reference import _unmapped
from briefgen.inputs.refdocx import HeaderLine, load_reference

W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def _template(tmp: Path, picture: bool = True) -> Path:
    d = docx.Document()
    sec = d.sections[0]
    sec.header_distance, sec.footer_distance = Mm(10), Mm(8)
    head = sec.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = head.add_run("某某局办公室")
    run.font.size, run.font.color.rgb = Pt(12), RGBColor(0xFF, 0x00, 0x00)
    run.font.name = "黑体"
    run._r.get_or_add_rPr().rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", "黑体")
    if picture:
        png = io.BytesIO()
        PILImage.new("RGB", (20, 20), "red").save(png, "PNG")
        png.seek(0)
        sec.header.add_paragraph().add_run().add_picture(png, width=Mm(10))
    foot = sec.footer.paragraphs[0]
    foot.add_run("第")
    foot._p.append(parse_xml(f'<w:fldSimple {W_NS} w:instr=" PAGE "><w:r><w:t>1</w:t></w:r></w:fldSimple>'))
    foot.add_run("页")
    sec.footer.add_paragraph("内部资料")
    path = tmp / "t.docx"
    d.save(str(path))
    return path


def test_header_and_footer_lines_are_read(tmp_path: Path) -> None:
    r = load_reference(_template(tmp_path), None)
    assert r.header == (HeaderLine("某某局办公室", "right", 12.0, "#FF0000", "heiti"),)
    assert r.footer == (HeaderLine("内部资料", "left", 10.5, "", "songti"),)  # the 第 PAGE 页 line is the theme's
    assert (round(r.header_mm), round(r.footer_mm)) == (10, 8)
    assert r.unmapped == ("header: picture", "footer: field PAGE")


def test_check_reports_what_the_pdf_does_not_draw(tmp_path: Path) -> None:
    warnings: list[str] = []
    _unmapped(load_reference(_template(tmp_path), None), "t.docx", warnings)
    assert len(warnings) == 2
    assert "a picture in its page header is not drawn in the PDF" in warnings[0]
    assert "page number in its page footer" in warnings[1]
    warnings.clear()
    _unmapped(load_reference(_template(tmp_path, picture=False), None), "t.docx", warnings)
    assert len(warnings) == 1
