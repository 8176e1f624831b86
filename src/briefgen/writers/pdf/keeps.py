"""Turn a PDF story's headings, lessons, boxes and note paragraphs into keep-together rules: what a heading needs below it, and what goes with the paragraph before it."""

from __future__ import annotations

from collections.abc import Callable

from reportlab.platypus import Flowable

from briefgen.tree import NOTE_PARAGRAPH
from briefgen.writers.pdf.flowables import BoxFlowable, GridSnap, KeepLines, TextBlock, WithPrevious


def chain_keeps(story: list[Flowable]) -> None:
    """A heading followed by another heading or a table keeps with *their* keep height too."""
    for i in range(len(story) - 2, -1, -1):
        keep = story[i]
        block = getattr(keep, "heading", None)
        if not isinstance(keep, KeepLines) or block is None or i + 2 >= len(story):
            continue
        nxt = story[i + 2]
        if isinstance(nxt, KeepLines):
            keep.need = _sum_need(block, nxt)
        elif isinstance(nxt, TextBlock):
            keep.need = _para_need(block, nxt)
        elif isinstance(nxt, WithPrevious):  # a lesson and its box: a short lesson takes the box along
            keep.need = _lesson_need(block, nxt)


def _sum_need(block: TextBlock, nxt: KeepLines) -> Callable[[float], float]:
    def need(aw: float) -> float:
        rest = nxt.need(aw) if callable(nxt.need) else nxt.need
        return block.wrap(aw, 1e9)[1] + rest

    return need


def keep_with_previous(story: list[Flowable], max_box: float) -> None:
    """What follows a body paragraph and belongs to it goes with the paragraph's last lines (its
    widow rule decides where it splits): a box right after it (the lesson's 思考题, 学习要点; one
    taller than ``max_box`` is placed on its own), and a note paragraph (注：…, 说明：…), which so
    never opens a page alone."""
    headings = {id(getattr(k, "heading", None)) for k in story if isinstance(k, KeepLines)}
    for i in range(len(story) - 2, -1, -1):
        para, after = story[i], story[i + 1]
        if not isinstance(para, TextBlock) or id(para) in headings:
            continue
        box = story[i + 2] if i + 2 < len(story) else None
        if isinstance(after, KeepLines) and getattr(after, "heading", None) is None and isinstance(box, BoxFlowable):
            story[i : i + 3] = [WithPrevious(para, box, max_box)]
        elif isinstance(after, TextBlock) and NOTE_PARAGRAPH.match("".join(p.text for p in after.pieces[:4])):
            story[i : i + 2] = [WithPrevious(para, after, float("inf"))]
    # a note paragraph right after a chart (its caption, its own note) stays on the chart's page
    for i, f in enumerate(story):
        if isinstance(f, TextBlock) and NOTE_PARAGRAPH.match("".join(p.text for p in f.pieces[:4])):
            # a FittedChart (its module loads only with charts): the flowable that takes ``after``
            at = next((k for k in range(i - 1, max(-1, i - 5), -1) if isinstance(getattr(story[k], "after", None), list)),
                      None)  # fmt: skip
            if at is not None and all(isinstance(g, (TextBlock, GridSnap)) for g in story[at + 1 : i]):
                story[at].after.append(f)


def _lesson_need(block: TextBlock, lesson: WithPrevious) -> Callable[[float], float]:
    """A heading and its lesson with the box kept after it: a lesson of 3 lines or fewer goes
    with its box (``WithPrevious``), so the heading needs room for all of it; a longer one
    leaves 2 lines at a page foot, and so does one whose box is too tall to go along."""
    if not isinstance(lesson.para, TextBlock):
        return lambda aw: block.wrap(aw, 1e9)[1]
    short = _para_need(block, lesson.para)

    def need(aw: float) -> float:
        whole = lesson.wrap(aw, 1e9)[1]
        if len(lesson.para.lines(aw)) > 3 or lesson._bh > lesson.max_box:
            return short(aw)
        return block.wrap(aw, 1e9)[1] + lesson.getSpaceBefore() + whole

    return need


def _para_need(block: TextBlock, para: TextBlock) -> Callable[[float], float]:
    """A heading and the lines its paragraph may leave at a page foot: 2 (orphan rule), or the
    whole paragraph when it has 3 lines or fewer (it moves whole)."""

    def need(aw: float) -> float:
        n = len(para.lines(aw))
        lead = para.style.leading
        return block.wrap(aw, 1e9)[1] + para.getSpaceBefore() + (n if n <= 3 else 2) * lead

    return need
