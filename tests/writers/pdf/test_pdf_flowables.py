"""Unit tests of writers.pdf.flowables: pieces by font coverage, text blocks on the line pitch, boxes."""

from __future__ import annotations

from pdfkit import body_style, build, pages_text, text_for

from briefgen.tree import Span
from briefgen.writers.pdf.flowables import (
    Bookmark,
    BoxFlowable,
    KeepLines,
    SoftPageBreak,
    TextBlock,
    color_of,
    flatten,
)


def test_pieces_and_widths() -> None:
    text = text_for()
    pieces = text.pieces("中文\tabc", "fangsong", 16)
    assert "".join(p.text for p in pieces) == "中文 abc"  # a tab has no glyph: it becomes a space
    assert all(p.size == 16 for p in pieces)
    w = text.text_width(text.pieces("中文", "fangsong", 16))
    assert abs(w - 32) < 0.5  # two full-width characters of 16 pt
    assert text.pieces("", "fangsong", 16) == []


def test_inline_pieces_pick_strong_and_emphasis_roles() -> None:
    text = text_for()
    st = body_style(text)
    pieces = text.inline_pieces((Span("正"), Span("黑", strong=True), Span("楷", emphasis=True)), st)
    fonts = [p.font for p in pieces]
    assert fonts == [text.font(st.role), text.font(st.strong_role), text.font(st.emphasis_role)]


def test_text_block_breaks_lines_on_the_pitch_and_splits_between_lines() -> None:
    text = text_for()
    st = body_style(text)
    blk = TextBlock(text.pieces("字" * 70, st.role, st.size), st, text)
    aw = text.theme.type_area_width
    w, h = blk.wrap(aw, 1e6)
    lines = blk.lines(aw)
    assert len(lines) == 3  # 28 characters a line
    assert h == 3 * st.leading
    assert blk.split(aw, st.leading * 2 + 1) == []  # 2 + 1 lines would leave a widow: moves whole
    five = TextBlock(text.pieces("字" * 140, st.role, st.size), st, text)
    head, tail = five.split(aw, st.leading * 2 + 1)
    assert head.wrap(aw, 1e6)[1] == 2 * st.leading
    assert tail.wrap(aw, 1e6)[1] == 3 * st.leading
    assert five.split(aw, st.leading * 1.5) == []  # one line alone at the foot: an orphan


def test_box_draws_its_content_and_bookmark_records_the_page() -> None:
    text = text_for()
    st = body_style(text)
    heading = TextBlock(text.pieces("要点", st.role, st.size), st, text,
                        bookmark=Bookmark("kp", "要点", 0))
    box = BoxFlowable([TextBlock(text.pieces("框内文字", st.role, st.size), st, text)], pad_x=8, pad_y=6)
    data, doc = build([SoftPageBreak(), KeepLines(30.0), heading, box], text)
    assert pages_text(data)[0].startswith("要点框内文字")
    assert doc.heading_pages == {"kp": 1}


def test_flatten_and_colors() -> None:
    a, b, c = SoftPageBreak(), SoftPageBreak(), SoftPageBreak()
    assert flatten([a, [b, c]]) == [a, b, c]
    assert color_of("#FF0000").red == 1.0
    assert color_of("#FF0000") is color_of("#FF0000")


def test_a_lesson_that_fits_sends_its_last_lines_with_a_box_that_does_not() -> None:
    from briefgen.writers.pdf.flowables import WithPrevious

    text = text_for()
    st = body_style(text)
    aw = text.theme.type_area_width
    para = TextBlock(text.pieces("课" * 28 * 5, st.role, st.size), st, text)  # 5 lines
    box = BoxFlowable([TextBlock(text.pieces("思考题" * 30, st.role, st.size), st, text)], pad_x=8, pad_y=6)
    pair = WithPrevious(para, box, max_box=1e6)
    room = para.wrap(aw, 1e6)[1] + st.leading  # the lesson fits, the box does not
    head, rest = pair.split(aw, room)
    assert isinstance(head, TextBlock) and len(head.lines(aw)) == 3
    assert isinstance(rest, WithPrevious) and len(rest.para.lines(aw)) == 2  # two lines go with the box


def test_a_lesson_before_a_box_too_tall_to_keep_breaks_as_a_paragraph_where_the_page_ends() -> None:
    """Stress brief s5 (学习要点 box at a page foot): the pair used to hand ReportLab the whole
    lesson as its first part although it did not fit, which ReportLab reports as a LayoutError."""
    from briefgen.writers.pdf.flowables import WithPrevious

    text = text_for()
    st = body_style(text)
    aw = text.theme.type_area_width
    para = TextBlock(text.pieces("课" * 28 * 5, st.role, st.size), st, text)  # 5 lines
    box = BoxFlowable([TextBlock(text.pieces("要点" * 60, st.role, st.size), st, text)], pad_x=8, pad_y=6)
    pair = WithPrevious(para, box, max_box=st.leading)  # the box is too tall to keep with the lesson
    head, tail, rest = pair.split(aw, st.leading * 3 + 1)
    assert [len(b.lines(aw)) for b in (head, tail)] == [3, 2] and rest is box
    assert pair.split(aw, 1.0) == []  # nothing fits: the pair moves on, whole
    data, _doc = build([TextBlock(text.pieces("前" * 28 * 19, st.role, st.size), st, text),
                        WithPrevious(para, box, max_box=st.leading)], text)  # the lesson starts 3 lines from the foot
    assert "课" in pages_text(data)[0] and "要点" in pages_text(data)[-1]
