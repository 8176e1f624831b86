"""writers.docx.gongwen: the 公文 elements as DOCX paragraphs placed by GB/T 9704 §7, read back with lxml."""

from __future__ import annotations

from docxkit import NS, reparse, text_of, wattr
from docxwkit import writer

from briefgen.tree import Addressee, AttachmentMark, AttachmentNote, GongwenHead, Imprint, Signoff
from briefgen.writers.docx.gongwen import (
    HANDLERS,
    RED_RULE,
    addressee,
    attachment_mark,
    attachment_note,
    head,
    imprint,
    signoff,
)
from briefgen.writers.docx.xml import tw_mm


def test_head_red_mark_35mm_down_and_red_rule() -> None:
    w = writer()
    ps = [reparse(p) for p in head(w, GongwenHead("示例县人民政府办公室", True, "示政办发〔2024〕5号"), 0)]
    assert [text_of(p) for p in ps] == ["示例县人民政府办公室文件", "示政办发〔2024〕5号", ""]
    assert wattr(ps[0].find("w:pPr/w:spacing", NS), "before") == str(tw_mm(35))
    red = w.theme.colors.red.lstrip("#").upper()
    assert wattr(ps[0].find(".//w:rPr/w:color", NS), "val") == red
    rule = ps[1].find("w:pPr/w:pBdr/w:bottom", NS)
    assert wattr(rule, "sz") == str(RED_RULE) and wattr(rule, "color") == red
    assert wattr(ps[1].find("w:pPr/w:jc", NS), "val") == "center"


def test_head_with_signer_uses_a_right_tab() -> None:
    w = writer()
    ps = [reparse(p) for p in head(w, GongwenHead("示例局", False, "示局呈〔2024〕2号", "张三"), 0)]
    assert text_of(ps[1]) == "示局呈〔2024〕2号签发人：张三"
    assert ps[1].find("w:r/w:tab", NS) is not None  # the tab before 签发人
    tab = ps[1].find("w:pPr/w:tabs/w:tab", NS)
    assert wattr(tab, "val") == "right" and int(wattr(tab, "pos") or 0) == w.geo.text_w - w.geo.body_char
    fonts = [wattr(r, "eastAsia") for r in ps[1].iterfind(".//w:rFonts", NS)]
    assert str(w.theme.docx_fonts.kaiti) in fonts  # the signer's name in 楷体


def test_addressee_note_and_signoff() -> None:
    w = writer()
    c = w.geo.body_char
    assert text_of(reparse(addressee(w, Addressee("各乡镇人民政府："), 0)[0])) == "各乡镇人民政府："
    note = [reparse(p) for p in attachment_note(w, AttachmentNote(["甲表。", "乙表"]), 0)]
    assert [text_of(p) for p in note] == ["", "附件：1.甲表", "2.乙表"]
    ind = note[1].find("w:pPr/w:ind", NS)
    assert int(wattr(ind, "left") or 0) - int(wattr(ind, "hanging") or 0) == 2 * c
    sig = [reparse(p) for p in signoff(w, Signoff("示例局", "2024年5月10日", True, "联系人：张三"), 0)]
    assert [text_of(p) for p in sig] == ["", "", "示例局", "2024年5月10日", "（联系人：张三）"]
    assert wattr(sig[3].find("w:pPr/w:ind", NS), "right") == str(4 * c)  # sealed: date 4 characters in
    assert wattr(sig[2].find("w:pPr/w:jc", NS), "val") == "right"


def test_attachment_mark_starts_a_page_and_imprint_is_a_table() -> None:
    w = writer()
    mark = [reparse(p) for p in attachment_mark(w, AttachmentMark("附件1", "示例清单"), 0)]
    assert [text_of(p) for p in mark] == ["附件1", "", "示例清单"]
    assert mark[0].find("w:pPr/w:pageBreakBefore", NS) is not None
    (tbl,) = [reparse(t) for t in imprint(w, Imprint("县委办公室，", "示例局办公室", "2024年5月10日"), 0)]
    rows = [text_of(r) for r in tbl.findall("w:tr", NS)]
    assert rows == ["抄送：县委办公室。", "示例局办公室2024年5月10日印发"]
    issue = tbl.findall(".//w:p", NS)[-1]
    assert issue.find("w:r/w:tab", NS) is not None and issue.find("w:pPr/w:tabs/w:tab", NS) is not None
    assert imprint(w, Imprint(), 0) == []
    assert set(HANDLERS) == {GongwenHead, Addressee, AttachmentNote, Signoff, AttachmentMark, Imprint}
