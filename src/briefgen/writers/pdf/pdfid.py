"""Turn PDF bytes into the same PDF whose trailer ``/ID`` is derived from the file's content.

ReportLab's invariant mode fixes ``/ID`` to a digest of the title, author, subject and keywords
only, so two briefs with the same metadata but different text would share an ID. The new ID is
the first 16 bytes of SHA-256 over the file with the old ID blanked; it has the same length, so
every byte offset (and the xref table) stays valid.
"""

from __future__ import annotations

import hashlib
import re

_TRAILER_ID = re.compile(rb"/ID\s*\[\s*<([0-9A-Fa-f]{32})>\s*<([0-9A-Fa-f]{32})>\s*\]")
_BLANK = b"0" * 32


def content_id(pdf: bytes) -> str:
    """The 32-hex-digit ID ``with_content_id`` writes: SHA-256 of the file with its ID blanked."""
    matches = list(_TRAILER_ID.finditer(pdf))
    blanked = pdf
    if matches:
        m = matches[-1]
        blanked = pdf[: m.start(1)] + _BLANK + pdf[m.end(1) : m.start(2)] + _BLANK + pdf[m.end(2) :]
    return hashlib.sha256(blanked).hexdigest()[:32]


def with_content_id(pdf: bytes) -> bytes:
    """``pdf`` with both halves of the last trailer ``/ID`` replaced by ``content_id(pdf)``.

    Bytes without a recognisable ``/ID [<…><…>]`` pair come back unchanged.
    """
    matches = list(_TRAILER_ID.finditer(pdf))
    if not matches:
        return pdf
    m = matches[-1]
    new = content_id(pdf).encode("ascii")
    return pdf[: m.start(1)] + new + pdf[m.end(1) : m.start(2)] + new + pdf[m.end(2) :]
