"""writers.docx.reference: a DOCX written into the unit's Word template keeps the template's styles, page
setup and header; briefgen styles it lacks are warned about."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from docx import Document as open_docx
from docxkit import NS, W, wattr
from docxwkit import context, document
from lxml import etree

from briefgen.writers.docx.reference import base_document, merge_reference
from briefgen.writers.docx.writer import DocxWriter
from refdocxkit import make_template


def _part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


def _write(tmp: Path, styles: dict[str, str]) -> tuple[bytes, list[str]]:
    tmpl = make_template(tmp / "unit.docx").read_bytes()
    doc = document(reference_docx=tmpl, reference_styles=styles)
    ctx = context()
    data = merge_reference(DocxWriter(doc, ctx).render(), doc, ctx)
    return data, ctx.warnings


def test_base_document_is_the_template(tmp_path: Path) -> None:
    tmpl = make_template(tmp_path / "unit.docx").read_bytes()
    d = base_document(document(reference_docx=tmpl))
    assert "本单位正文" in [s.name for s in d.styles]
    assert d.sections[0].header.paragraphs[0].text == "示例单位"
    assert "本单位正文" not in [s.name for s in base_document(document()).styles]


def test_page_setup_header_and_mapped_style(tmp_path: Path) -> None:
    data, warnings = _write(tmp_path, {"Normal": "本单位正文"})
    sect = _part(data, "word/document.xml").find(".//w:body/w:sectPr", NS)
    mar = sect.find("w:pgMar", NS)
    assert [int(wattr(mar, k) or 0) for k in ("top", "bottom", "left", "right")] == [
        round(mm * 1440 / 25.4) for mm in (30, 32, 25, 24)]
    assert sect.find("w:headerReference", NS) is not None
    normal = _part(data, "word/styles.xml").find("w:style[@w:styleId='Normal']", NS)
    assert wattr(normal.find("w:name", NS), "val") == "Normal"  # briefgen's id and name kept
    assert normal.find("w:rPr/w:rFonts", NS) is not None  # role fonts filled in
    d = open_docx(io.BytesIO(data))
    assert d.sections[0].header.paragraphs[0].text == "示例单位"
    assert "正文。" in [p.text for p in d.paragraphs]
    assert any("the reference template has no style for" in w for w in warnings)


def test_no_template_returns_the_bytes() -> None:
    ctx = context()
    data = DocxWriter(document(), ctx).render()
    assert merge_reference(data, document(), ctx) is data
    assert W in etree.tostring(_part(data, "word/document.xml")).decode()
