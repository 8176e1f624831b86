"""Turn every text of a composed tree XML-safe and (optionally) punctuation-normalised, counting the changes."""

from __future__ import annotations

from briefgen.compose.punctuation import Change as PunctChange
from briefgen.compose.punctuation import normalise_changes
from briefgen.i18n import _
from briefgen.inputs.textsafe import sanitize
from briefgen.tree import (
    Block,
    Box,
    Chart,
    ChartSeries,
    ClosingBlock,
    Cover,
    Document,
    Heading,
    Image,
    ListBlock,
    Masthead,
    Paragraph,
    Span,
    Table,
    TableCell,
    TocPlaceholder,
    walk,
)


def clean_text(doc: Document, normalise_punct: bool, warnings: list[str]) -> int:
    """Make every text in the tree XML-safe and (optionally) normalise punctuation; count changes.

    The punctuation changes are also reported as one warning saying where they were made
    (title, or the heading they follow) and showing the first change at each place.
    """
    changes = 0
    where = _("title")
    places: dict[str, list[PunctChange]] = {}

    def fix(text: str) -> str:
        nonlocal changes
        text, issues = sanitize(text)
        warnings.extend(issues)
        if normalise_punct:
            text, found = normalise_changes(text)
            changes += len(found)
            if found:
                places.setdefault(where, []).extend(found)
        return text

    def spans(inl: tuple[Span, ...]) -> tuple[Span, ...]:
        return tuple(Span(fix(s.text), s.strong, s.emphasis, fix(s.note) if s.note else "") for s in inl)

    def clean(blk: Block) -> None:
        nonlocal where
        if isinstance(blk, Heading):
            where = _("heading “{text}”").format(text=blk.text[:20])
        if isinstance(blk, (Heading, Paragraph)):
            blk.inlines = spans(blk.inlines)
            if isinstance(blk, Heading):
                where = _("under “{text}”").format(text=blk.text[:20])
        elif isinstance(blk, ListBlock):
            blk.items = [spans(it) for it in blk.items]
        elif isinstance(blk, Table):
            blk.rows = [[TableCell(fix(c.text), c.align, c.strong, fix(c.note) if c.note else "") for c in r]
                        for r in blk.rows]
            blk.caption, blk.source_note = fix(blk.caption), fix(blk.source_note)
        elif isinstance(blk, Chart):
            blk.categories = [fix(c) for c in blk.categories]
            blk.series = [ChartSeries(fix(x.name), x.values) for x in blk.series]
            blk.caption, blk.source_note, blk.alt = fix(blk.caption), fix(blk.source_note), fix(blk.alt)
            blk.unit, blk.table_title = fix(blk.unit), fix(blk.table_title)
        elif isinstance(blk, Box):
            blk.title = fix(blk.title)
        elif isinstance(blk, (Masthead, Cover)):
            for name, value in vars(blk).items():
                if isinstance(value, str):
                    setattr(blk, name, fix(value))
        elif isinstance(blk, ClosingBlock):
            blk.lines = [(k, fix(v)) for k, v in blk.lines]
        elif isinstance(blk, TocPlaceholder):
            blk.title = fix(blk.title)
        elif isinstance(blk, Image):
            blk.caption, blk.credit, blk.alt = fix(blk.caption), fix(blk.credit), fix(blk.alt)
            blk.note = fix(blk.note) if blk.note else ""

    doc.meta.title = fix(doc.meta.title)
    where = _("subtitle")
    doc.meta.subtitle = fix(doc.meta.subtitle)
    where = _("unit")
    doc.meta.author = fix(doc.meta.author)
    where = _("before the first heading")
    for blk in walk(doc.blocks):
        clean(blk)
    if places:
        shown = [f"{place} ×{len(found)} ({found[0]})" for place, found in list(places.items())[:8]]
        more = _("; and {n} more places").format(n=len(places) - 8) if len(places) > 8 else ""
        warnings.append(_("punctuation: {n} half-width mark(s) or straight quote(s) made full-width: {places}").format(
            n=changes, places="; ".join(shown) + more))
    return changes
