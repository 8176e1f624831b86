"""Turn a DOCX written into the unit's reference template into one that keeps the template's look (like pandoc
``--reference-doc``).

The writer starts from the template package (:func:`base_document`), so its headers, footers,
letterhead, theme, numbering and every style briefgen does not use stay as they are. Afterwards
(:func:`merge_reference`):

* each briefgen style (Normal, Heading1…, Title, Caption…) that the template defines — by the same
  id, or by the name given in ``reference_styles`` — takes the template's definition; briefgen's
  公文 role fonts (``w:rFonts``), size and grid-related paragraph settings fill in only what the
  template leaves unset;
* every section gets the template's paper size, margins, header/footer references and
  ``titlePg`` (briefgen's page-number footers stay where the template has no footer);
* briefgen styles the template lacks are reported (``ctx.warn``, shown by ``briefgen check``).
"""

from __future__ import annotations

import copy
import io
import zipfile
from typing import Any

import docx
from docx.document import Document as DocxDocument
from lxml import etree

from briefgen.i18n import _
from briefgen.writers.docx.package import fixed_zip
from briefgen.writers.docx.styles import Geometry, style_elements
from briefgen.writers.docx.xml import PPR_ORDER, RPR_ORDER, W_NS, Fonts, insert_ordered

W = f"{{{W_NS}}}"
_REFS = (f"{W}headerReference", f"{W}footerReference")


def base_document(doc: Any) -> DocxDocument:
    """The python-docx document to write into: the reference template, or python-docx's default."""
    data = getattr(doc, "reference_docx", b"")
    return docx.Document(io.BytesIO(data)) if data else docx.Document()


def _merge_props(t: etree._Element, b: etree._Element, tag: str, order: tuple[str, ...]) -> None:
    """Children of ``b``'s ``tag`` (pPr/rPr) that ``t`` lacks are added to ``t`` (attributes too, for rFonts)."""
    bp = b.find(f"{W}{tag}")
    if bp is None:
        return
    tp = t.find(f"{W}{tag}")
    if tp is None:
        tp = etree.SubElement(t, f"{W}{tag}")
    have = {c.tag: c for c in tp}
    for child in bp:
        if child.tag not in have:
            insert_ordered(tp, copy.deepcopy(child), order)
        elif child.tag == f"{W}rFonts":
            for k, v in child.attrib.items():
                if k not in have[child.tag].attrib and not k.endswith("Theme"):
                    have[child.tag].set(k, v)


def _styles(out: bytes, tmpl: bytes, ids: list[str], mapping: dict[str, str], warn: Any) -> bytes:
    root, troot = etree.fromstring(out), etree.fromstring(tmpl)
    t_by_id = {s.get(f"{W}styleId"): s for s in troot.iter(f"{W}style")}
    t_by_name = {}
    for s in troot.iter(f"{W}style"):
        n = s.find(f"{W}name")
        if n is not None:
            t_by_name[n.get(f"{W}val")] = s
    missing = []
    for b in list(root.iter(f"{W}style")):
        sid = b.get(f"{W}styleId")
        if sid not in ids:
            continue
        t = t_by_name.get(mapping[sid]) if sid in mapping else t_by_id.get(sid)
        if t is None:
            missing.append(sid)
            continue
        merged = copy.deepcopy(t)
        merged.set(f"{W}styleId", sid)
        b_name, m_name = b.find(f"{W}name"), merged.find(f"{W}name")
        if sid in mapping and b_name is not None and m_name is not None:
            m_name.set(f"{W}val", b_name.get(f"{W}val", sid))  # the template's own style stays as it is
        for tag, order in (("pPr", PPR_ORDER), ("rPr", RPR_ORDER)):
            _merge_props(merged, b, tag, order)
        b.addprevious(merged)
        root.remove(b)
    if missing:
        warn(_("docx: the reference template has no style for {styles}; briefgen's are used "
               "(map them with reference_styles)").format(styles=", ".join(sorted(missing))))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _document(out: bytes, tmpl: bytes) -> bytes:
    root, troot = etree.fromstring(out), etree.fromstring(tmpl)
    tsects = list(troot.iter(f"{W}sectPr"))
    if not tsects:
        return out
    ts = tsects[-1]
    t_refs = [c for c in ts if c.tag in _REFS]
    for sect in root.iter(f"{W}sectPr"):
        for tag in ("pgSz", "pgMar", "titlePg"):
            new, old = ts.find(f"{W}{tag}"), sect.find(f"{W}{tag}")
            if new is None:
                continue
            landscape = old is not None and old.get(f"{W}orient") == "landscape"
            if tag == "pgSz" and landscape:
                continue  # a landscape section keeps its turned paper
            if old is not None:
                old.addprevious(copy.deepcopy(new))
                sect.remove(old)
            else:
                sect.append(copy.deepcopy(new))
        kinds = {(c.tag, c.get(f"{W}type")) for c in t_refs}
        for c in [c for c in sect if c.tag in _REFS and (c.tag, c.get(f"{W}type")) in kinds]:
            sect.remove(c)
        for c in reversed(t_refs):
            sect.insert(0, copy.deepcopy(c))
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def merge_reference(data: bytes, doc: Any, ctx: Any) -> bytes:
    """The DOCX ``data`` with the template's styles, page setup and headers/footers (see the module docstring)."""
    tmpl = getattr(doc, "reference_docx", b"")
    if not tmpl:
        return data
    fonts = Fonts(ctx.theme, getattr(ctx, "fonts", None))
    ids = [e.get(f"{W}styleId") for e in style_elements(ctx.theme, fonts, Geometry.of(ctx.theme))]
    with zipfile.ZipFile(io.BytesIO(tmpl)) as z:
        t_styles, t_doc = z.read("word/styles.xml"), z.read("word/document.xml")
    with zipfile.ZipFile(io.BytesIO(data)) as src:
        entries = {i.filename: src.read(i.filename) for i in src.infolist()}
    entries["word/styles.xml"] = _styles(entries["word/styles.xml"], t_styles, ids,
                                         dict(getattr(doc, "reference_styles", {})), ctx.warn)
    entries["word/document.xml"] = _document(entries["word/document.xml"], t_doc)
    return fixed_zip(entries)
