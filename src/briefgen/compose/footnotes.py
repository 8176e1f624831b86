"""Turn footnote references in the document tree into numbered ones (①② or 1 2 per theme), or into 注释 at the end.

Notes come from Markdown (``[^1]``, ``^[…]``) and from ``note:`` on source-pack sections; each is a
``Span`` with ``note`` set. Numbering runs once over the finished tree in reading order, so notes are
numbered per document. In ``endnote`` mode the references keep their labels as plain text and the
notes are listed under the theme's heading (注释) before the closing block.
"""

from __future__ import annotations

from briefgen.model.theme import Notes
from briefgen.tree import (
    Block,
    ClosingBlock,
    Document,
    Heading,
    Inlines,
    ListBlock,
    Paragraph,
    Span,
    plain,
    walk,
)


def note_label(n: int, numbering: str) -> str:
    """①…⑳, ㉑…㊿ for circled numbering (then (51)…); [n] for decimal (Word prints a superscript n)."""
    if numbering == "decimal":
        return f"[{n}]"
    if 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if 21 <= n <= 35:
        return chr(0x3251 + n - 21)
    if 36 <= n <= 50:
        return chr(0x32B1 + n - 36)
    return f"({n})"


def add_note(inlines: Inlines, note: str) -> Inlines:
    """``inlines`` with a footnote reference to ``note`` at the end."""
    return (*inlines, Span("", note=note)) if note.strip() else inlines


def number_notes(doc: Document, notes: Notes) -> list[str]:
    """Label every footnote reference in reading order; the note texts in order."""
    texts: list[str] = []

    def label(inl: Inlines) -> Inlines:
        out = []
        for s in inl:
            if s.note:
                texts.append(s.note)
                lab = note_label(len(texts), notes.numbering)
                s = Span(lab, s.strong, s.emphasis, "" if notes.mode == "endnote" else s.note)
            out.append(s)
        return tuple(out)

    for b in walk(doc.blocks):
        if isinstance(b, (Heading, Paragraph)):
            if any(s.note for s in b.inlines):
                b.inlines = label(b.inlines)
        elif isinstance(b, ListBlock):
            b.items = [label(it) if any(s.note for s in it) else it for it in b.items]
    if notes.mode == "endnote" and texts:
        _endnotes(doc, notes, texts)
    return texts


def _endnotes(doc: Document, notes: Notes, texts: list[str]) -> None:
    block: list[Block] = [Heading(1, plain(notes.endnote_heading), numbered=False)]
    for n, t in enumerate(texts, 1):
        block.append(Paragraph((Span(note_label(n, notes.numbering) + "\u3000"), Span(t)), "source"))
    at = len(doc.blocks)
    while at > 0 and isinstance(doc.blocks[at - 1], ClosingBlock):
        at -= 1
    doc.blocks[at:at] = block


def note_after_text(blocks: list[Block], note: str) -> None:
    """Reference a section's ``note:`` after its last paragraph (or heading)."""
    if not note.strip():
        return
    for b in reversed(blocks):
        if isinstance(b, (Paragraph, Heading)):
            b.inlines = add_note(b.inlines, note)
            return
