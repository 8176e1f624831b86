"""What both writers share: the chart series palette, ordered-list labels, and which blocks come before the title."""

from __future__ import annotations

from briefgen.tree import Cover, GongwenHead, Masthead, PageBreak, TocPlaceholder

PALETTE = ("#1F4E79", "#C0504D", "#7F7F7F", "#E46C0A", "#4F6228", "#604A7B", "#31859C", "#948A54")


def series_color(i: int) -> str:
    """The colour of series ``i`` (shared by the PDF and DOCX charts)."""
    return PALETTE[i % len(PALETTE)]


CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"  # ordered-list labels


def list_label(i: int) -> str:
    """The label of item ``i`` (from 1) of an ordered list: ① … ⑳, then ``21.``."""
    return CIRCLED[i - 1] if i <= len(CIRCLED) else f"{i}."


# Blocks printed before the document title (the title goes after the last of these at the top).
BEFORE_TITLE = (Cover, Masthead, GongwenHead, TocPlaceholder, PageBreak)
