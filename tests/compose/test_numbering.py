"""Tests for GB/T 9704 heading numbering."""

from __future__ import annotations

from briefgen.compose.numbering import chinese_number, number_headings
from briefgen.tree import AttachmentMark, Document, Heading, Metadata, Paragraph, plain


def test_chinese_numbers() -> None:
    assert [chinese_number(n) for n in (1, 10, 11, 20, 21, 99, 100, 105, 110)] == [
        "一", "十", "十一", "二十", "二十一", "九十九", "一百", "一百零五", "一百一十"]


def test_levels_reset_below() -> None:
    hs = [Heading(1, plain("a")), Heading(2, plain("b")), Heading(2, plain("c")),
          Heading(3, plain("d")), Heading(4, plain("e")), Heading(1, plain("f")),
          Heading(2, plain("g")), Heading(1, plain("u"), numbered=False), Heading(1, plain("h"))]
    doc = Document(Metadata("t"), [*hs, Paragraph(plain("x"))])
    number_headings(doc, ["{cn}、", "（{cn}）", "{n}.", "（{n}）"])
    assert [h.label for h in hs] == ["一、", "（一）", "（二）", "1.", "（1）", "二、", "（一）", "", "三、"]
    assert len({h.anchor for h in hs}) == len(hs)


def test_a_heading_that_carries_its_own_label_gets_no_second_one() -> None:
    hs = [Heading(1, plain("一、总体情况")), Heading(2, plain("（一）人口")), Heading(2, plain("年龄构成")),
          Heading(1, plain("第二章 分地区")), Heading(1, plain("2024年展望")), Heading(3, plain("1.城镇"))]
    doc = Document(Metadata("t"), hs)
    number_headings(doc, ["{cn}、", "（{cn}）", "{n}.", "（{n}）"])
    # the author's labels stand and are counted: the next automatic one continues after them
    assert [h.label for h in hs] == ["", "", "（二）", "", "三、", ""]


def test_a_hand_numbered_heading_sets_the_count_and_a_wrong_number_is_named() -> None:
    """Helper set E: 学习目的 (automatic 一、) then 一、看总量 … 五、看季度 by hand, then 小结 got 七、
    (and the repeated 一 passed without a word). The count now follows the hand-written number and
    the repeat is warned about."""
    texts = ["学习目的", "一、看总量", "二、看结构", "三、看区域", "四、看口径", "五、看季度", "小结"]
    hs = [Heading(1, plain(t)) for t in texts]
    warnings = number_headings(Document(Metadata("t"), hs), ["{cn}、", "（{cn}）", "{n}.", "（{n}）"])
    assert [h.label for h in hs] == ["一、", "", "", "", "", "", "六、"]
    assert len(warnings) == 1 and "一、看总量" in warnings[0] and "2" in warnings[0]
    ok = [Heading(1, plain("一、甲")), Heading(1, plain("乙")), Heading(2, plain("（12）丙"))]
    assert number_headings(Document(Metadata("t"), ok), ["{cn}、", "（{cn}）"]) == ["heading '（12）丙' is numbered 12 by hand but is number 1 at its level: remove the number and briefgen numbers every heading"]


def test_an_attachment_numbers_its_headings_from_one_again() -> None:
    """Helper set F: 附件2's first heading was 四、 after the main text's 一、二、三、."""
    main = [Heading(1, plain(t)) for t in ("甲", "乙", "丙")]
    annex = [Heading(1, plain("丁")), Heading(2, plain("戊")), Heading(1, plain("己"))]
    doc = Document(Metadata("t"), [*main, AttachmentMark("附件2", "情况表"), *annex])
    number_headings(doc, ["{cn}、", "（{cn}）"])
    assert [h.label for h in main + annex] == ["一、", "二、", "三、", "一、", "（一）", "二、"]
