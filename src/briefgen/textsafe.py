"""Turn arbitrary input text into text every writer can hold: XML-invalid and bidi controls made visible."""

from __future__ import annotations

import re
import unicodedata

# Characters XML 1.0 cannot hold: C0 controls except tab/newline/CR, U+FFFE/FFFF, lone surrogates.
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")
# Bidi controls (Trojan Source): shown as [U+XXXX], never obeyed.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

MARKER = "〓"  # U+3013 GETA MARK: the Chinese typesetter's "missing character" mark, in GB2312


def sanitize(text: str) -> tuple[str, list[str]]:
    """Replace XML-invalid characters with 〓 and bidi controls with a visible [U+XXXX].

    Returns the clean text and one description per replaced character (for located warnings).
    """
    issues: list[str] = []

    def _bad(m: re.Match[str]) -> str:
        issues.append(f"U+{ord(m.group()):04X} cannot be stored in DOCX/PDF text; replaced by {MARKER}")
        return MARKER

    def _bidi(m: re.Match[str]) -> str:
        name = unicodedata.name(m.group(), "BIDI CONTROL")
        issues.append(f"bidi control U+{ord(m.group()):04X} ({name}) shown instead of obeyed")
        return f"[U+{ord(m.group()):04X}]"

    if _XML_INVALID.search(text):
        text = _XML_INVALID.sub(_bad, text)
    if _BIDI.search(text):
        text = _BIDI.sub(_bidi, text)
    return text, issues


def is_cjk(ch: str) -> bool:
    """True for Han characters, CJK punctuation and full-width forms."""
    o = ord(ch)
    return (
        0x3000 <= o <= 0x303F
        or 0x3400 <= o <= 0x4DBF
        or 0x4E00 <= o <= 0x9FFF
        or 0xF900 <= o <= 0xFAFF
        or 0xFF00 <= o <= 0xFFEF
        or 0x20000 <= o <= 0x3134F
        or ch in "“”‘’—…·"
    )
