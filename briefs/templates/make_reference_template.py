"""Make briefs/templates/本单位简报模板.docx: an example of a unit's own Word template (python-docx).

It has its own page setup (A4, margins 30/28/26/24 mm), a letterhead in the page header (red unit
name over a red rule), a footer line, and custom styles: 本单位正文 (body), Heading 1 in 黑体 dark red,
Title in 方正小标宋简体 red, Caption. Run: python briefs/templates/make_reference_template.py
"""

from __future__ import annotations

from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor

OUT = Path(__file__).with_name("本单位简报模板.docx")


def _east_asia(style: object, name: str) -> None:
    rpr = style.element.get_or_add_rPr()  # type: ignore[attr-defined]
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for k in ("w:ascii", "w:hAnsi", "w:eastAsia"):
        fonts.set(qn(k), name)


def make(path: Path = OUT) -> Path:
    d = docx.Document()
    sec = d.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin = Mm(30), Mm(28)
    sec.left_margin, sec.right_margin = Mm(26), Mm(24)
    sec.header_distance, sec.footer_distance = Mm(12), Mm(12)
    head = sec.header.paragraphs[0]
    head.alignment = WD_ALIGN_PARAGRAPH.CENTER
    r = head.add_run("示例县委办公室")
    r.font.size, r.font.color.rgb, r.font.name = Pt(18), RGBColor(0xC0, 0x00, 0x00), "方正小标宋简体"
    ppr = head._p.get_or_add_pPr()
    bdr = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for k, v in (("w:val", "single"), ("w:sz", "12"), ("w:space", "1"), ("w:color", "C00000")):
        bottom.set(qn(k), v)
    bdr.append(bottom)
    ppr.append(bdr)
    foot = sec.footer.paragraphs[0]
    foot.alignment = WD_ALIGN_PARAGRAPH.CENTER
    foot.add_run("内部资料　注意保存").font.size = Pt(10.5)

    body = d.styles.add_style("本单位正文", WD_STYLE_TYPE.PARAGRAPH)
    body.base_style = d.styles["Normal"]
    body.font.size = Pt(15)
    _east_asia(body, "仿宋_GB2312")
    h1 = d.styles["Heading 1"]
    h1.font.size, h1.font.bold, h1.font.color.rgb = Pt(16), False, RGBColor(0x80, 0x00, 0x00)
    _east_asia(h1, "黑体")
    title = d.styles["Title"]
    title.font.size, title.font.color.rgb = Pt(22), RGBColor(0xC0, 0x00, 0x00)
    _east_asia(title, "方正小标宋简体")
    d.styles["Caption"].font.size = Pt(12)
    d.core_properties.author = "示例县委办公室"
    d.save(str(path))
    return path


if __name__ == "__main__":
    print(make())
