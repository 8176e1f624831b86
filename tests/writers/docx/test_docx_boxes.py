"""writers.docx boxes (思考题, 学习要点): a short box is one row that does not split and keeps the
lesson before it, as the PDF moves it whole with the lesson's last lines; XML read back with lxml."""

from __future__ import annotations

from docxkit import NS, reparse
from docxwkit import writer

from briefgen.tree import Box, Heading, Paragraph, plain

LESSON = "吴江借领导班子集中换届的契机，对照中央“五个过硬”要求选人用人，突出实干、实绩和担当导向。"


def _keeps(p: object) -> bool:
    return p.find("w:pPr/w:keepNext", NS) is not None  # type: ignore[attr-defined]


def test_a_short_box_keeps_with_its_lesson_and_does_not_split() -> None:
    w = writer()
    out = [reparse(e) for e in w.blocks([Paragraph(plain(LESSON)), Box("思考题", [Paragraph(plain("如何理解？"))])], 0)]
    lesson, box = out
    assert _keeps(lesson)  # the lesson's last lines go with the box
    assert box.find("w:tr/w:trPr/w:cantSplit", NS) is not None
    title = box.find("w:tr/w:tc/w:p", NS)
    # no keepNext inside the box: LibreOffice would keep the whole table with what follows it
    assert title is not None and not _keeps(title)


def test_a_long_box_may_split_and_its_title_keeps_with_the_text() -> None:
    w = writer()
    long = [Paragraph(plain(LESSON * 3)) for _ in range(6)]  # well over 30 % of the type area
    lesson, box = [reparse(e) for e in w.blocks([Paragraph(plain(LESSON)), Box("学习要点", long)], 0)]
    assert not _keeps(lesson)
    assert box.find("w:tr/w:trPr/w:cantSplit", NS) is None
    title = box.find("w:tr/w:tc/w:p", NS)
    assert title is not None and _keeps(title)


def test_a_box_after_a_heading_changes_nothing_before_it() -> None:
    w = writer()
    head, _box = [reparse(e) for e in w.blocks([Heading(1, plain("要点"), label="一、"),
                                                Box("思考题", [Paragraph(plain("如何理解？"))])], 0)]  # fmt: skip
    assert head.find("w:pPr/w:keepNext", NS) is None  # the heading style keeps with next, not the paragraph
