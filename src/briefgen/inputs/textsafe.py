"""Turn arbitrary input text into text every writer can hold: XML-invalid and bidi controls made visible.

The policy, applied to every text of every input (YAML values as they load, template output,
and finally every string of the document tree before a writer sees it):

- C0 controls other than tab, newline and carriage return, U+FFFE, U+FFFF and lone surrogates
  cannot be stored in DOCX (XML 1.0) and break PDF text; DEL and the C1 controls (U+007F–U+009F)
  are invisible and have no glyph: each becomes 〓 (U+3013 GETA MARK).
- Bidi controls (U+202A–U+202E, U+2066–U+2069, U+200E, U+200F, U+061C) are shown as
  ``[U+202E]`` instead of reordering the text around them (Trojan Source).
- Each replacement is a warning, located at the YAML value (``file:line:col: field``) or the
  template where possible; with ``--strict`` each is an error instead (exit code 3).
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from typing import Any

from briefgen.i18n import _

# Characters XML 1.0 cannot hold (C0 controls except tab/newline/CR, U+FFFE/FFFF, lone surrogates),
# plus DEL and the C1 controls (U+007F–U+009F: XML "discourages" them, no font has a glyph for
# them, and U+0085 is a line break in YAML 1.1).
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff\ud800-\udfff]")
# Bidi controls (Trojan Source): shown as [U+XXXX], never obeyed.
_BIDI = re.compile("[\u202a-\u202e\u2066-\u2069\u200e\u200f\u061c]")

MARKER = "〓"  # U+3013 GETA MARK: the Chinese typesetter's "missing character" mark, in GB2312


def sanitize(text: str) -> tuple[str, list[str]]:
    """Replace XML-invalid characters with 〓 and bidi controls with a visible [U+XXXX].

    Returns the clean text and one description per replaced character (for located warnings).
    """
    issues: list[str] = []

    def _bad(m: re.Match[str]) -> str:
        issues.append(_("U+{code:04X} cannot be stored in DOCX/PDF text").format(code=ord(m.group()))
                      + _("; replaced by {marker}").format(marker=MARKER))
        return MARKER

    def _bidi(m: re.Match[str]) -> str:
        name = unicodedata.name(m.group(), "BIDI CONTROL")
        issues.append(_("bidi control U+{code:04X} ({name})").format(code=ord(m.group()), name=name)
                      + _(" shown instead of obeyed"))
        return f"[U+{ord(m.group()):04X}]"

    if _XML_INVALID.search(text):
        text = _XML_INVALID.sub(_bad, text)
    if _BIDI.search(text):
        text = _BIDI.sub(_bidi, text)
    return text, issues


def refused(issue: str) -> str:
    """A :func:`sanitize` warning reworded as the ``--strict`` error (nothing was replaced)."""
    return (issue.replace(_("; replaced by {marker}").format(marker=MARKER), "")
            .replace(_(" shown instead of obeyed"), _(" is not allowed")))


def is_clean(text: str) -> bool:
    """True when :func:`sanitize` would change nothing."""
    return not (_XML_INVALID.search(text) or _BIDI.search(text))


def scrub(obj: Any, where: str = "") -> list[str]:
    """Sanitize, in place, every string reachable from dataclass ``obj`` (a document tree).

    Lists are changed in place; tuples and frozen dataclasses (spans) are rebuilt or updated,
    so no node type — including ones added later — can carry an invalid character to a writer.
    Returns one ``"… (in Class.field)"`` line per replaced character.
    """
    issues: list[str] = []
    seen: set[int] = set()

    def fix(value: Any, place: str) -> Any:
        if isinstance(value, str):
            if is_clean(value):
                return value
            clean, found = sanitize(value)
            issues.extend(_("{issue} (in {place})").format(issue=i, place=place) for i in found)
            return clean
        if isinstance(value, tuple):
            items = tuple(fix(v, place) for v in value)
            return value if all(a is b for a, b in zip(items, value, strict=True)) else items
        if isinstance(value, list):
            for i, v in enumerate(value):
                new = fix(v, place)
                if new is not v:
                    value[i] = new
            return value
        if isinstance(value, dict):
            for k, v in list(value.items()):
                new = fix(v, place)
                if new is not v:
                    value[k] = new
            return value
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            if id(value) in seen:
                return value
            seen.add(id(value))
            for f in dataclasses.fields(value):
                old = getattr(value, f.name)
                new = fix(old, f"{type(value).__name__}.{f.name}")
                if new is not old:
                    object.__setattr__(value, f.name, new)  # also for frozen spans
            return value
        return value

    fix(obj, where or type(obj).__name__)
    return issues


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
