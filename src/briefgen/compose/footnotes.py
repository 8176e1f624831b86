"""Turn footnote references in the document tree into numbered ones (①② or 1 2 per theme), or into 注释 at the end.

Notes come from Markdown (``[^1]``, ``^[…]``), from ``note:`` on source-pack sections, and from
``note:`` on key figures (:class:`FigureNotes`: at the figure's first printing, in text or in a
key-figure table's value cell); each is a ``Span`` or ``TableCell`` with ``note`` set. Numbering runs once over the finished tree in reading order, so notes are
numbered per document. In ``endnote`` mode the references keep their labels as plain text and the
notes are listed under the theme's heading (注释) before the closing block.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from briefgen.model.sourcepack import Figure
from briefgen.model.theme import Notes
from briefgen.tree import (
    Block,
    Box,
    ClosingBlock,
    Document,
    Heading,
    Image,
    Inlines,
    ListBlock,
    Paragraph,
    Span,
    Table,
    plain,
    walk,
)

# Where a figure's note goes in text that is still to be parsed (Markdown, template markup):
# private-use characters around the note's index, turned into a note span after parsing.
_OPEN, _CLOSE = "\ue000", "\ue001"
_MARK = re.compile(f"{_OPEN}(\\d+){_CLOSE}")


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
        elif isinstance(b, Table):
            for cell in (c for row in b.rows for c in row if c.note):
                texts.append(cell.note)
                cell.mark = note_label(len(texts), notes.numbering)
                cell.text += cell.mark
                cell.note = "" if notes.mode == "endnote" else cell.note
        elif isinstance(b, Image) and b.note:
            _image_note(b, texts, notes)
    if notes.mode == "endnote" and texts:
        _endnotes(doc, notes, texts)
    return texts


def _image_note(img: Image, texts: list[str], notes: Notes) -> None:
    """A picture's note: a mark after its caption (else its credit); with neither, it is printed as
    the line under the picture."""
    if not img.caption and not img.credit:
        img.credit, img.note = img.note, ""
        return
    texts.append(img.note)
    img.mark = note_label(len(texts), notes.numbering)
    if img.caption:
        img.caption += img.mark
    else:
        img.credit += img.mark
    img.note = "" if notes.mode == "endnote" else img.note


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


class FigureNotes:
    """Key figures' ``note:`` as footnotes, each given once: where the figure is first printed."""

    def __init__(self) -> None:
        self.texts: list[str] = []
        self._seen: set[tuple[str, str, str]] = set()

    def _first(self, fig: Figure) -> bool:
        key = (fig.id, fig.period, fig.note.strip())
        if not key[2] or key in self._seen:
            return False
        self._seen.add(key)
        return True

    def mark(self, fig: Figure, fmt: str) -> str:
        """A placeholder for ``fig``'s note after its text (``""`` when it has none or had it before)."""
        if fmt == "when" or not self._first(fig):
            return ""
        self.texts.append(fig.note.strip())
        return f"{_OPEN}{len(self.texts) - 1}{_CLOSE}"

    def for_table(self, figs: list[Figure], columns: Sequence[str]) -> list[Figure]:
        """The figures of a key-figure table: a note given before is not given again (a 备注 column
        prints every note as text instead)."""
        if "note" in columns:
            return figs
        return [f if not f.note.strip() or self._first(f) else f.model_copy(update={"note": ""}) for f in figs]

    def _spans(self, inl: Inlines) -> Inlines:
        out: list[Span] = []
        for s in inl:
            if _OPEN not in s.text:
                out.append(s)
                continue
            at = 0
            for m in _MARK.finditer(s.text):
                k = int(m.group(1))
                if m.start() > at:
                    out.append(Span(s.text[at:m.start()], s.strong, s.emphasis))
                if k < len(self.texts):
                    out.append(Span("", s.strong, s.emphasis, note=self.texts[k]))
                at = m.end()
            rest = s.text[at:].replace(_OPEN, "").replace(_CLOSE, "")
            if rest:
                out.append(Span(rest, s.strong, s.emphasis))
        return tuple(out)

    def attach(self, blocks: list[Block]) -> list[Block]:
        """``blocks`` with the note placeholders turned into footnote references (a note on a box title
        goes after the box's first paragraph instead)."""
        if not self.texts:
            return blocks
        for b in walk(blocks):
            if isinstance(b, (Heading, Paragraph)):
                b.inlines = self._spans(b.inlines)
            elif isinstance(b, ListBlock):
                b.items = [self._spans(it) for it in b.items]
            elif isinstance(b, Box):
                moved = [self.texts[int(k)] for k in _MARK.findall(b.title) if int(k) < len(self.texts)]
                b.title = _MARK.sub("", b.title)
                first = next((x for x in walk(b.blocks) if isinstance(x, (Heading, Paragraph))), None)
                for note in moved if first is not None else []:  # a title holds no note: its first text does
                    first.inlines = add_note(first.inlines, note)  # type: ignore[union-attr]
        return blocks
