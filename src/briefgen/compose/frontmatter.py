"""Turn a brief's metadata into the blocks around its body: cover, contents, masthead, 编者按 and the 简报 closing block."""

from __future__ import annotations

from briefgen.model.dates import chinese_date
from briefgen.model.spec import Brief
from briefgen.model.theme import Theme
from briefgen.tree import (
    Block,
    ClosingBlock,
    Cover,
    Image,
    Masthead,
    Paragraph,
    Span,
    TocPlaceholder,
)


def front_blocks(b: Brief, theme: Theme, title: str, subtitle: str, editor_note: str, has_toc: bool,
                 logos: dict[str, Image | None]) -> list[Block]:
    """The blocks before the body that the theme asks for (the title itself is the writers' job)."""
    front: list[Block] = []
    date_text = chinese_date(b.date)
    if theme.blocks.cover:
        front.append(Cover(title, subtitle, b.name or theme.cover_name, b.unit, date_text, b.mark,
                           logos.get("cover")))
    if theme.blocks.toc and not has_toc:
        front.append(TocPlaceholder())
    if theme.blocks.masthead:
        issue_line = f"第{b.issue}期" if b.issue else ""
        if b.issue_total:
            issue_line += f"（总第{b.issue_total}期）"
        front.append(Masthead(b.name or title, issue_line, b.unit, date_text, b.mark,
                              logo=logos.get("masthead")))
    if editor_note:
        front.append(Paragraph((Span("编者按：", strong=True), Span(editor_note.strip())), "note"))
    return front


def closing_blocks(b: Brief, theme: Theme) -> list[Block]:
    """The 报尾 (报/送/发 and the number of copies) when the theme has one and the brief fills it."""
    if not (theme.blocks.closing and b.closing):
        return []
    c = b.closing
    lines = [(k, v) for k, v in (("报", c.bao), ("送", c.song), ("发", c.fa)) if v]
    copies = f"（共印{c.copies}份）" if c.copies else ""
    return [ClosingBlock(lines, copies)]
