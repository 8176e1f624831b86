"""Turn a finished python-docx document into reproducible DOCX bytes (core properties, fixed ZIP)."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from docx.document import Document as DocxDocument

from briefgen.tree import Metadata
from briefgen.writers.docx.xml import clean_text

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)

# Template parts that would carry stale content: the thumbnail is a picture of python-docx's
# empty US-letter page, stylesWithEffects a second, outdated copy of the styles.
_DROP_RELS = ("/metadata/thumbnail", "/stylesWithEffects")


def drop_template_parts(docx: DocxDocument) -> None:
    """Remove the template's thumbnail and stylesWithEffects relationships (and so their parts)."""
    for rels in (docx.part.package.rels, docx.part.rels):
        for rid, rel in list(rels.items()):
            if rel.reltype.endswith(_DROP_RELS):
                del rels[rid]
                rels._target_parts_by_rId.pop(rid, None)


def set_core_properties(docx: DocxDocument, meta: Metadata, timestamp: datetime) -> None:
    """Title, author (issuing unit), subject, keywords, zh-CN, and the brief's date — never now."""
    cp = docx.core_properties
    cp.title = clean_text(meta.title)
    cp.author = clean_text(meta.author)
    cp.last_modified_by = clean_text(meta.author)
    cp.subject = clean_text(meta.subject or meta.subtitle)
    cp.keywords = clean_text("; ".join(meta.keywords))
    cp.language = meta.language or "zh-CN"
    cp.comments = ""
    cp.category = ""
    stamp = timestamp.replace(microsecond=0)
    if stamp.tzinfo is not None:  # python-docx writes the wall time with a "Z" suffix
        stamp = stamp.astimezone(UTC).replace(tzinfo=None)
    cp.created = stamp
    cp.modified = stamp
    cp.revision = 1


def save_reproducible(docx: DocxDocument) -> bytes:
    """Save, then rewrite the ZIP with fixed entry times (1980-01-01), a fixed entry order
    ([Content_Types].xml first, then sorted), fixed attributes and one compression level, so the
    same input gives the same bytes. (Deflate output can still differ between zlib versions.)"""
    raw = io.BytesIO()
    docx.save(raw)
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src:
        entries = {i.filename: src.read(i.filename) for i in src.infolist()}
    return fixed_zip(entries)


def fixed_zip(entries: dict[str, bytes]) -> bytes:
    """The parts as a reproducible DOCX ZIP: [Content_Types].xml first, then sorted names, fixed
    timestamps and attributes (the one place DOCX bytes are packed)."""
    names = sorted(entries, key=lambda n: (n != "[Content_Types].xml", n))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as dst:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=ZIP_EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            dst.writestr(info, entries[name], compresslevel=6)
    return out.getvalue()
