"""Turn a reference Word template (.docx) into checked bytes plus what briefgen reads from it: page size,
margins, style names, and the text of its page header and footer (the letterhead, for the PDF).

The file is confined to the brief's allowed roots and the ``input_bytes`` limit; it must be a ZIP
holding ``word/document.xml`` and ``word/styles.xml``, each read with a cap on its unpacked size
(a ZIP bomb fails here), and parsed without network access or entity expansion.
"""

from __future__ import annotations

import io
import os
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from briefgen.errors import EXIT_IO, EXIT_LIMIT
from briefgen.inputs.confine import Roots, refusal, roots_hint
from briefgen.inputs.images import ImageError
from briefgen.inputs.limits import limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_PART = 50 * 1024 * 1024  # unpacked bytes of one XML part read here
TWIPS_PER_MM = 1440 / 25.4
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


R = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
# a font name → the theme font role that stands in for it in the PDF
_ROLE_WORDS = (("小标宋", "xiaobiaosong"), ("黑", "heiti"), ("楷", "kaiti"), ("仿宋", "fangsong"), ("宋", "songti"))


@dataclass(frozen=True)
class HeaderLine:
    """One paragraph of the template's header or footer, as far as the PDF can draw it."""

    text: str
    align: str = "left"  # left | center | right
    size_pt: float = 10.5
    color: str = ""  # #RRGGBB
    role: str = "songti"
    rule_pt: float = 0.0  # bottom border width
    rule_color: str = ""


@dataclass(frozen=True)
class ReferenceDocx:
    """A reference template: its bytes, page setup (mm) and styles (id → name)."""

    data: bytes
    page_mm: tuple[float, float] | None = None  # width, height
    margins_mm: tuple[float, float, float, float] | None = None  # top, bottom, left, right
    styles: dict[str, str] = field(default_factory=dict)
    has_header: bool = False
    header: tuple[HeaderLine, ...] = ()
    footer: tuple[HeaderLine, ...] = ()
    header_mm: float = 15.0  # header / footer distance from the paper's edge
    footer_mm: float = 15.0
    unmapped: tuple[str, ...] = ()  # what the PDF does not draw: "header: picture", "footer: field PAGE", "… text box"


def _part(z: zipfile.ZipFile, name: str) -> bytes:
    try:
        info = z.getinfo(name)
    except KeyError:
        raise ImageError(f"not a Word document: it has no {name}", "save it from Word or WPS as .docx") from None
    if info.file_size > MAX_PART:
        raise ImageError(f"{name} unpacks to {info.file_size} bytes, over {MAX_PART}", exit_code=EXIT_LIMIT)
    with z.open(info) as fh:
        data = fh.read(MAX_PART + 1)
    if len(data) > MAX_PART:
        raise ImageError(f"{name} unpacks to more than {MAX_PART} bytes", exit_code=EXIT_LIMIT)
    return data


def _mm(v: str | None) -> float | None:
    try:
        return round(int(str(v)) / TWIPS_PER_MM, 2) if v is not None else None
    except ValueError:
        return None


def load_reference(path: Path, roots: Roots | None) -> ReferenceDocx:
    """Read and check the template at ``path`` (``ImageError`` carries message, hint, exit code)."""
    if roots is not None:
        why = refusal(path, roots)
        if why:
            raise ImageError(f"reference template {why}", roots_hint(roots))
    cap = limits().input_bytes
    try:
        if os.stat(path).st_size > cap:
            raise ImageError(f"template is over the limit input_bytes={cap}", "raise it with --limit input_bytes=N",
                             EXIT_LIMIT)
        data = path.read_bytes()
    except FileNotFoundError:
        raise ImageError("reference template not found", "paths are relative to the file naming them",
                         EXIT_IO) from None
    except OSError as e:
        raise ImageError(f"cannot read the template: {e.strerror or e}", exit_code=EXIT_IO) from None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            doc = etree.fromstring(_part(z, "word/document.xml"), _PARSER)
            styles = etree.fromstring(_part(z, "word/styles.xml"), _PARSER)
            has_header = any(n.startswith("word/header") for n in z.namelist())
    except zipfile.BadZipFile:
        raise ImageError("not a .docx file (not a ZIP package)", "save it from Word or WPS as .docx") from None
    except etree.XMLSyntaxError as e:
        raise ImageError(f"the template's XML is damaged: {e}", "open and save it again in Word") from None
    sects = list(doc.iter(f"{W}sectPr"))
    page: tuple[float, float] | None = None
    margins: tuple[float, float, float, float] | None = None
    if sects:
        sect = sects[-1]
        sz, mar = sect.find(f"{W}pgSz"), sect.find(f"{W}pgMar")
        if sz is not None:
            w, h = _mm(sz.get(f"{W}w")), _mm(sz.get(f"{W}h"))
            page = (w, h) if w and h else None
        if mar is not None:
            vals = [v for v in (_mm(mar.get(f"{W}{k}")) for k in ("top", "bottom", "left", "right")) if v is not None]
            margins = (vals[0], vals[1], vals[2], vals[3]) if len(vals) == 4 else None
    names: dict[str, str] = {}
    for st in styles.iter(f"{W}style"):
        sid, name = st.get(f"{W}styleId"), st.find(f"{W}name")
        if sid:
            names[sid] = name.get(f"{W}val", sid) if name is not None else sid
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        running = _running(z, sects[-1] if sects else None)
    return ReferenceDocx(data, page, margins, names, has_header, *running)


def _running(z: zipfile.ZipFile, sect: etree._Element | None) -> tuple[Any, ...]:
    """(header lines, footer lines, header mm, footer mm, unmapped) of the last section's default header/footer."""
    if sect is None:
        return (), (), 15.0, 15.0, ()
    try:
        rels = etree.fromstring(_part(z, "word/_rels/document.xml.rels"), _PARSER)
    except ImageError:
        return (), (), 15.0, 15.0, ()
    targets = {r.get("Id"): r.get("Target", "") for r in rels.iter(f"{PKG_REL}Relationship")}
    unmapped: list[str] = []
    out: list[tuple[HeaderLine, ...]] = []
    for kind in ("header", "footer"):
        ref = next((r for r in sect.findall(f"{W}{kind}Reference") if r.get(f"{W}type", "default") == "default"),
                   None)
        target = targets.get(ref.get(f"{R}id")) if ref is not None else None
        if not target:
            out.append(())
            continue
        try:
            part = etree.fromstring(_part(z, "word/" + target.lstrip("/").removeprefix("word/")), _PARSER)
        except ImageError:
            out.append(())
            continue
        lines, missed = _lines(part)
        out.append(lines)
        unmapped += [f"{kind}: {m}" for m in missed]
    mar = sect.find(f"{W}pgMar")
    head = _mm(mar.get(f"{W}header")) if mar is not None else None
    foot = _mm(mar.get(f"{W}footer")) if mar is not None else None
    return out[0], out[1], head or 15.0, foot or 15.0, tuple(dict.fromkeys(unmapped))


def _lines(part: etree._Element) -> tuple[tuple[HeaderLine, ...], list[str]]:
    missed: list[str] = []
    if part.find(f".//{W}drawing") is not None or part.find(".//{urn:schemas-microsoft-com:vml}shape") is not None:
        missed.append("picture")
    if part.find(f".//{W}txbxContent") is not None:
        missed.append("text box")
    out: list[HeaderLine] = []
    for p in part.iter(f"{W}p"):
        if any(a.tag == f"{W}txbxContent" for a in p.iterancestors()):
            continue
        text, fields = _para_text(p)
        missed += [f"field {f}" for f in fields]
        if {"PAGE", "NUMPAGES", "SECTIONPAGES"} & set(fields):
            continue  # a page number: the PDF prints the theme's
        ppr = p.find(f"{W}pPr")
        jc = ppr.find(f"{W}jc") if ppr is not None else None
        align = {"center": "center", "right": "right", "end": "right"}.get(jc.get(f"{W}val", "") if jc is not None
                                                                           else "", "left")
        bottom = ppr.find(f"{W}pBdr/{W}bottom") if ppr is not None else None
        rule = 0.0
        rule_color = ""
        if bottom is not None and bottom.get(f"{W}val", "none") not in ("none", "nil"):
            rule = int(bottom.get(f"{W}sz", "4") or 4) / 8
            rule_color = _hex(bottom.get(f"{W}color"))
        if not text.strip() and not rule:
            continue
        rpr = next((r.find(f"{W}rPr") for r in p.iter(f"{W}r") if r.find(f"{W}rPr") is not None), None)
        size, color, role = 10.5, "", "songti"
        if rpr is not None:
            sz = rpr.find(f"{W}sz")
            if sz is not None and (sz.get(f"{W}val") or "").isdigit():
                size = int(sz.get(f"{W}val", "21")) / 2
            c = rpr.find(f"{W}color")
            color = _hex(c.get(f"{W}val")) if c is not None else ""
            fonts = rpr.find(f"{W}rFonts")
            name = " ".join(fonts.get(f"{W}{k}", "") for k in ("eastAsia", "ascii")) if fonts is not None else ""
            role = next((r for word, r in _ROLE_WORDS if word in name), role)
        out.append(HeaderLine(text.strip(), align, size, color, role, rule, rule_color))
    return tuple(out), missed


def _para_text(p: etree._Element) -> tuple[str, list[str]]:
    """The paragraph's text without field results (a PAGE field is the writer's business), and the fields."""
    parts: list[str] = []
    fields: list[str] = []
    in_result = False
    for node in p.iter(f"{W}t", f"{W}fldChar", f"{W}instrText", f"{W}fldSimple"):
        if node.tag == f"{W}fldSimple":
            instr = (node.get(f"{W}instr") or "").split()
            fields.append(instr[0].upper() if instr else "?")
        elif node.tag == f"{W}instrText":
            word = (node.text or "").split()
            if word:
                fields.append(word[0].upper())
        elif node.tag == f"{W}fldChar":
            kind = node.get(f"{W}fldCharType")
            in_result = kind == "separate" or (in_result and kind != "end")
        elif not in_result and not any(a.tag == f"{W}fldSimple" for a in node.iterancestors()):
            parts.append(node.text or "")
    return "".join(parts), fields


def _hex(v: str | None) -> str:
    v = (v or "").strip()
    return f"#{v.upper()}" if len(v) == 6 and all(c in "0123456789abcdefABCDEF" for c in v) else ""
