"""compose.gongwen: the 公文 elements put around the body in GB/T 9704 order."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

from briefgen.compose.gongwen import arrange, attachment_block
from briefgen.model.spec import AttachmentBlock, Brief
from briefgen.tree import (
    Addressee,
    AttachmentMark,
    AttachmentNote,
    Block,
    GongwenHead,
    Imprint,
    Paragraph,
    Signoff,
    Span,
)


def _brief(gongwen: dict[str, object] | None, blocks: list[dict[str, object]] | None = None) -> Brief:
    return Brief.model_validate({"title": "关于做好示例工作的通知", "sources": {"mp": "p.yaml"},
                                 "date": dt.date(2024, 5, 10), "gongwen": gongwen,
                                 "blocks": blocks or [{"text": "x"}]})


def _para(text: str) -> Paragraph:
    return Paragraph((Span(text),))


def test_no_gongwen_leaves_the_body() -> None:
    body: list[Block] = [_para("正文")]
    assert arrange(_brief(None), body) == ([], body, [])


def test_elements_in_order() -> None:
    b = _brief({"organ": "示例县人民政府办公室", "wenjian": True, "doc_number": "示政办发〔2024〕5号",
                "addressee": "各乡镇人民政府", "cc": "县委办公室", "note": "联系人：张三", "sealed": True})
    body: list[Block] = [_para("正文"), AttachmentMark("附件1", "示例清单。"), _para("附件内容")]
    front, out, tail = arrange(b, body)
    assert front == [GongwenHead("示例县人民政府办公室", True, "示政办发〔2024〕5号", "")]
    assert front[0].mark == "示例县人民政府办公室文件"  # type: ignore[union-attr]
    assert [type(x) for x in out] == [Addressee, Paragraph, AttachmentNote, Signoff, AttachmentMark, Paragraph]
    assert out[0] == Addressee("各乡镇人民政府：")
    assert out[2] == AttachmentNote(["示例清单"])
    assert out[3] == Signoff("示例县人民政府办公室", "2024年5月10日", True, "联系人：张三")
    assert tail == [Imprint("县委办公室", "示例县人民政府办公室", "2024年5月10日")]


def test_listed_attachments_signature_and_no_attachment_mark() -> None:
    b = _brief({"organ": "示例局", "signature": "示例局（盖章）", "attachments": ["甲表；", "乙表"],
                "addressee": "各单位:", "printer": "示例局办公室", "print_date": "2024-05-12"})
    one: list[Block] = [_para("正文")]
    front, out, tail = arrange(b, one)
    assert out[0] == Addressee("各单位：")
    assert out[-2:] == [AttachmentNote(["甲表", "乙表"]), Signoff("示例局（盖章）", "2024年5月10日", False, "")]
    assert tail == [Imprint("", "示例局办公室", "2024年5月12日")]


def test_attachment_marks_numbered_only_when_several() -> None:
    blocks: list[dict[str, object]] = [{"attachment": "一"}, {"text": "x"}, {"attachment": "二"}]
    two = SimpleNamespace(brief=_brief(None, blocks), _expand=lambda text, path: text)
    got = [attachment_block(two, i, blk) for i, blk in enumerate(two.brief.blocks) if isinstance(blk, AttachmentBlock)]
    assert got == [[AttachmentMark("附件1", "一")], [AttachmentMark("附件2", "二")]]
    one = SimpleNamespace(brief=_brief(None, [{"attachment": "唯一"}]), _expand=lambda text, path: text)
    assert attachment_block(one, 0, one.brief.blocks[0]) == [AttachmentMark("附件", "唯一")]
