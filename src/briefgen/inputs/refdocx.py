"""Turn a reference Word template (.docx) into checked bytes plus what briefgen reads from it: page size,
margins and style names.

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

from lxml import etree

from briefgen.errors import EXIT_IO, EXIT_LIMIT
from briefgen.inputs.confine import Roots, refusal, roots_hint
from briefgen.inputs.images import ImageError
from briefgen.inputs.limits import limits

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MAX_PART = 50 * 1024 * 1024  # unpacked bytes of one XML part read here
TWIPS_PER_MM = 1440 / 25.4
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)


@dataclass(frozen=True)
class ReferenceDocx:
    """A reference template: its bytes, page setup (mm) and styles (id → name)."""

    data: bytes
    page_mm: tuple[float, float] | None = None  # width, height
    margins_mm: tuple[float, float, float, float] | None = None  # top, bottom, left, right
    styles: dict[str, str] = field(default_factory=dict)
    has_header: bool = False


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
    return ReferenceDocx(data, page, margins, names, has_header)
