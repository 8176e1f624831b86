"""Unit tests of writers.pdf.keeps: a heading's keep covers what must follow it; a box and a note go with the paragraph before them."""

from __future__ import annotations

from pdfkit import body_style, text_for

from briefgen.writers.pdf.flowables import BoxFlowable, KeepLines, TextBlock, WithPrevious
from briefgen.writers.pdf.keeps import chain_keeps, keep_with_previous


def _block(text: str) -> TextBlock:
    t = text_for()
    st = body_style(t)
    return TextBlock(t.pieces(text, st.role, st.size), st, t)


def _heading_keep(block: TextBlock) -> KeepLines:
    keep = KeepLines(lambda aw: block.wrap(aw, 1e9)[1])
    keep.heading = block
    return keep


def test_two_headings_in_a_row_keep_with_the_second_ones_text() -> None:
    one, two, para = _block("二、总量"), _block("（一）三次产业"), _block("正文。" * 40)
    k1, k2 = _heading_keep(one), _heading_keep(two)
    story = [k1, one, k2, two, para]
    chain_keeps(story)
    line = one.wrap(400, 1e9)[1]
    assert callable(k2.need) and k2.need(400) > line * 2  # the second heading keeps 2 lines of its text
    assert callable(k1.need) and abs(k1.need(400) - (line + k2.need(400))) < 0.01


def test_a_box_and_a_note_go_with_the_paragraph_before_them() -> None:
    lesson, note = _block("课文。" * 10), _block("注：口径说明。")
    box = BoxFlowable([_block("思考题")], pad_x=10, pad_y=5)
    story = [lesson, KeepLines(10.0), box, _block("正文。"), note]
    keep_with_previous(story, 1e9)
    assert isinstance(story[0], WithPrevious) and story[0].box is box
    assert isinstance(story[1], WithPrevious) and story[1].box is note
