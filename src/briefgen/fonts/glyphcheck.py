"""Turn a document's text and a FontBook into located warnings for characters no PDF font has (or, with ``--strict``, an error).

The DOCX keeps every character (the reader's Word has its own fonts); the PDF draws a character
from any font in the role's chain that has it, else the publishing placeholder 〓. Each such
character is reported once, at the first line of the brief or its inputs that contains it:
``file:line: U+2A6A5 𪚥 not in any PDF font; drawn as 〓``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import BriefError
from briefgen.i18n import _

if TYPE_CHECKING:
    from briefgen.fonts.book import FontBook
    from briefgen.model.theme import FontRole

# Invisible format characters a font need not have (variation selectors, joiners): dropped, not 〓.
IGNORABLE = frozenset(
    [0x200C, 0x200D, 0x2060, 0xFEFF, *range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)]
)
# Input files larger than this are not searched for a character's line.
_MAX_SEARCH_BYTES = 8 * 1024 * 1024


def _locate(chars: Sequence[str], files: Sequence[Path]) -> dict[str, str]:
    """``char → "file:line"`` for the first line of ``files`` holding each character."""
    where: dict[str, str] = {}
    left = set(chars)
    for path in files:
        if not left:
            break
        try:
            if path.stat().st_size > _MAX_SEARCH_BYTES:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            continue
        for n, line in enumerate(text.splitlines(), 1):
            for ch in [c for c in left if c in line]:
                where[ch] = f"{path}:{n}"
                left.discard(ch)
            if not left:
                break
    return where


def missing_glyphs(
    text: str,
    book: FontBook,
    role: FontRole,
    *,
    file: str,
    inputs: Sequence[Path] = (),
    strict: bool = False,
) -> list[str]:
    """Warnings for characters of ``text`` no PDF font covers; with ``strict`` a BriefError (exit 3)."""
    missing = [ch for ch in book.missing(text, role) if ord(ch) not in IGNORABLE]
    if not missing:
        return []
    if strict:
        cps = ", ".join(f"U+{ord(c):04X} {c!r}" for c in missing[:20])
        more = _(" and {n} more").format(n=len(missing) - 20) if len(missing) > 20 else ""
        raise BriefError.at(
            _("no font has a glyph for {chars}").format(chars=cps + more),
            file=file,
            hint=_("install a font that covers them, or name one in the theme's font_files "
                   "(without --strict they are drawn as 〓 in the PDF and kept in the DOCX)"),
            code="E-MISSING-GLYPH",
        )
    where = _locate(missing, [Path(file), *inputs])
    return [
        _("{place}: {codepoint} {char} not in any PDF font; drawn as 〓").format(
            place=where.get(ch, file), codepoint=f"U+{ord(ch):04X}", char=ch)
        for ch in missing
    ]
