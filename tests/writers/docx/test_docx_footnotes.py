"""writers.docx.footnotes: footnote spans become Word footnotes (part, relationship, content type, styles,
numbering) in a DOCX read back with lxml and python-docx."""

from __future__ import annotations

import io
import zipfile

from docx import Document as open_docx
from docxkit import NS, W, wattr
from docxwkit import context, document
from lxml import etree

from briefgen.tree import Paragraph, Span
from briefgen.writers.docx.footnotes import (
    FOOTNOTES_CT,
    FOOTNOTES_REL,
    footnotes_xml,
    render_with_footnotes,
)
from briefgen.writers.docx.writer import DocxWriter


def _parts(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return {n: z.read(n) for n in z.namelist()}


def _noted() -> object:
    return document([Paragraph((Span("全年增长"), Span("①", note="数据来自示例统计局。"), Span("。"))),
                     Paragraph((Span("另见"), Span("②", note="第二条注释。"),))])


def _render(theme_ctx: object, doc: object) -> bytes:
    return render_with_footnotes(lambda d, c: DocxWriter(d, c).render(), doc, theme_ctx)


def test_footnotes_part_and_references() -> None:
    data = _render(context(), _noted())
    parts = _parts(data)
    notes = etree.fromstring(parts["word/footnotes.xml"])
    bodies = [n for n in notes.findall("w:footnote", NS) if n.get(f"{{{W}}}type") is None]
    assert [wattr(n, "id") for n in bodies] == ["1", "2"]
    assert ["".join(n.itertext()).strip() for n in bodies] == ["数据来自示例统计局。", "第二条注释。"]
    doc = etree.fromstring(parts["word/document.xml"])
    assert [wattr(r, "id") for r in doc.iter(f"{{{W}}}footnoteReference")] == ["1", "2"]
    fmt = doc.find(".//w:sectPr/w:footnotePr/w:numFmt", NS)
    assert wattr(fmt, "val") == "decimalEnclosedCircle"
    assert FOOTNOTES_REL.encode() in parts["word/_rels/document.xml.rels"]
    assert FOOTNOTES_CT.encode() in parts["[Content_Types].xml"]
    styles = etree.fromstring(parts["word/styles.xml"])
    assert styles.find("w:style[@w:styleId='FootnoteText']", NS) is not None
    assert "全年增长" in "".join(p.text for p in open_docx(io.BytesIO(data)).paragraphs)


def test_decimal_numbering_is_superscript() -> None:
    ctx = context()
    ctx.theme = ctx.theme.model_copy(update={"notes": ctx.theme.notes.model_copy(update={"numbering": "decimal"})})
    parts = _parts(_render(ctx, _noted()))
    doc = etree.fromstring(parts["word/document.xml"])
    assert wattr(doc.find(".//w:footnotePr/w:numFmt", NS), "val") == "decimal"
    ref = etree.fromstring(parts["word/styles.xml"]).find("w:style[@w:styleId='FootnoteReference']", NS)
    assert wattr(ref.find("w:rPr/w:vertAlign", NS), "val") == "superscript"


def test_no_notes_or_endnote_mode_leaves_the_package_alone() -> None:
    plain = _render(context(), document())
    assert "word/footnotes.xml" not in _parts(plain)
    ctx = context()
    ctx.theme = ctx.theme.model_copy(update={"notes": ctx.theme.notes.model_copy(update={"mode": "endnote"})})
    assert "word/footnotes.xml" not in _parts(_render(ctx, _noted()))


def test_footnotes_xml_has_separators_first() -> None:
    root = etree.fromstring(footnotes_xml(["甲"]))
    kinds = [(n.get(f"{{{W}}}type"), n.get(f"{{{W}}}id")) for n in root]
    assert kinds == [("separator", "-1"), ("continuationSeparator", "0"), (None, "1")]
