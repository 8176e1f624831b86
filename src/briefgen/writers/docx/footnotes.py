"""Turn the footnote references collected while a DOCX is written into real Word footnotes (``word/footnotes.xml``).

While :func:`render_with_footnotes` runs the writer, ``xml.span_runs`` turns every footnote span into
a ``w:footnoteReference`` and collects its text (:data:`xml.NOTES`). Afterwards the finished package
gets the footnotes part (separator, continuation separator, one ``w:footnote`` per note), its
relationship and content type, the ``FootnoteText``/``FootnoteReference`` styles, and in every
section a ``w:footnotePr`` numbering the notes continuously in the theme's format (①② or 1 2). The
package is rewritten with the same fixed ZIP layout as :func:`package.save_reproducible`.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from typing import Any

from lxml import etree

from briefgen.writers.docx.package import fixed_zip
from briefgen.writers.docx.xml import NOTES, W_NS, Fonts, half_pt

W = f"{{{W_NS}}}"
REL_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"
FOOTNOTES_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes"
FOOTNOTES_CT = "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml"
NUM_FMT = {"circled": "decimalEnclosedCircle", "decimal": "decimal"}
# w:sectPr children that come before w:footnotePr
_BEFORE_FOOTNOTE_PR = {f"{W}headerReference", f"{W}footerReference"}


def render_with_footnotes(render: Callable[[Any, Any], bytes], doc: Any, ctx: Any) -> bytes:
    """Run the DOCX ``render`` collecting footnotes, then add them to the package."""
    if ctx.theme.notes.mode != "footnote":
        return render(doc, ctx)
    token = NOTES.set([])
    try:
        data = render(doc, ctx)
        notes = list(NOTES.get() or [])
    finally:
        NOTES.reset(token)
    if not notes:
        return data
    return add_footnotes(data, notes, ctx.theme, Fonts(ctx.theme, getattr(ctx, "fonts", None)))


def _w(tag: str, attrs: dict[str, str] | None = None, *kids: etree._Element) -> etree._Element:
    e = etree.Element(W + tag, {W + k: v for k, v in (attrs or {}).items()}, nsmap={"w": W_NS})
    e.extend(kids)
    return e


def footnotes_xml(notes: list[str]) -> bytes:
    root = _w("footnotes")
    for kind, fid in (("separator", "-1"), ("continuationSeparator", "0")):
        p = _w("p", None, _w("pPr", None, _w("spacing", {"after": "0", "line": "240", "lineRule": "auto"})),
               _w("r", None, _w(kind)))
        root.append(_w("footnote", {"type": kind, "id": fid}, p))
    for n, text in enumerate(notes, 1):
        t = _w("t", None)
        t.text = "\u2002" + text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        p = _w("p", None, _w("pPr", None, _w("pStyle", {"val": "FootnoteText"})),
               _w("r", None, _w("rPr", None, _w("rStyle", {"val": "FootnoteReference"})), _w("footnoteRef")),
               _w("r", None, t))
        root.append(_w("footnote", {"id": str(n)}, p))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _styles(data: bytes, theme: Any, fonts: Fonts) -> bytes:
    root = etree.fromstring(data)
    for sid in ("FootnoteText", "FootnoteReference"):
        for old in root.findall(f"{W}style[@{W}styleId='{sid}']"):
            root.remove(old)
    name = fonts.name(theme.fonts.body)
    size = str(half_pt(theme.notes.size))
    text = _w("style", {"type": "paragraph", "styleId": "FootnoteText"},
              _w("name", {"val": "footnote text"}), _w("basedOn", {"val": "Normal"}),
              _w("pPr", None, _w("snapToGrid", {"val": "0"}),
                 _w("spacing", {"before": "0", "after": "0", "line": "240", "lineRule": "auto"}),
                 _w("ind", {"left": "0", "firstLine": "0", "firstLineChars": "0"}), _w("jc", {"val": "both"})),
              _w("rPr", None, _w("rFonts", {"ascii": name, "hAnsi": name, "eastAsia": name, "cs": name}),
                 _w("sz", {"val": size}), _w("szCs", {"val": size})))
    ref_rpr = [_w("vertAlign", {"val": "superscript"})] if theme.notes.numbering == "decimal" else []
    ref = _w("style", {"type": "character", "styleId": "FootnoteReference"},
             _w("name", {"val": "footnote reference"}), _w("rPr", None, *ref_rpr))
    root.extend([text, ref])
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _document(data: bytes, numbering: str) -> bytes:
    root = etree.fromstring(data)
    for sect in root.iter(f"{W}sectPr"):
        for old in sect.findall(f"{W}footnotePr"):
            sect.remove(old)
        pr = _w("footnotePr", None, _w("numFmt", {"val": NUM_FMT[numbering]}),
                _w("numRestart", {"val": "continuous"}))
        at = 0
        for i, child in enumerate(sect):
            if child.tag in _BEFORE_FOOTNOTE_PR:
                at = i + 1
        sect.insert(at, pr)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _rels(data: bytes) -> bytes:
    root = etree.fromstring(data)
    ids = {r.get("Id") for r in root}
    rid = next(f"rIdFn{k}" for k in range(1, 1000) if f"rIdFn{k}" not in ids)
    etree.SubElement(root, f"{{{REL_NS}}}Relationship", Id=rid, Type=FOOTNOTES_REL, Target="footnotes.xml")
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _content_types(data: bytes) -> bytes:
    root = etree.fromstring(data)
    etree.SubElement(root, f"{{{CT_NS}}}Override", PartName="/word/footnotes.xml", ContentType=FOOTNOTES_CT)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def add_footnotes(data: bytes, notes: list[str], theme: Any, fonts: Fonts) -> bytes:
    """The DOCX ``data`` with ``notes`` as Word footnotes 1..n (see the module docstring)."""
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = {i.filename: src.read(i.filename) for i in src.infolist()}
    entries["word/footnotes.xml"] = footnotes_xml(notes)
    entries["word/styles.xml"] = _styles(entries["word/styles.xml"], theme, fonts)
    entries["word/document.xml"] = _document(entries["word/document.xml"], theme.notes.numbering)
    entries["word/_rels/document.xml.rels"] = _rels(entries["word/_rels/document.xml.rels"])
    entries["[Content_Types].xml"] = _content_types(entries["[Content_Types].xml"])
    return fixed_zip(entries)
