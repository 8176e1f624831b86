"""Turn a brief's ``gongwen:`` settings and ``attachment:`` blocks into the 公文 element nodes (GB/T 9704 §7).

The 版头 goes first (before the title), 主送机关 right after the title, 附件说明 and 署名/日期/附注
after the body (before the first attachment), each attachment starts with its 附件N mark, and the
版记 closes the document.
"""

from __future__ import annotations

from typing import Any

from briefgen.model.dates import chinese_date
from briefgen.model.spec import AttachmentBlock, Brief
from briefgen.tree import (
    Addressee,
    AttachmentMark,
    AttachmentNote,
    Block,
    GongwenHead,
    Imprint,
    Signoff,
)


def attachment_block(c: Any, i: int, blk: AttachmentBlock) -> list[Block]:
    """BLOCK_HANDLERS entry for ``attachment:`` blocks (numbered 附件1, 附件2… in order)."""
    n = sum(1 for b in c.brief.blocks[: i + 1] if isinstance(b, AttachmentBlock))
    total = sum(1 for b in c.brief.blocks if isinstance(b, AttachmentBlock))
    label = f"附件{n}" if total > 1 else "附件"
    return [AttachmentMark(label, c._expand(blk.attachment, ("blocks", i, "attachment")))]


def arrange(brief: Brief, body: list[Block]) -> tuple[list[Block], list[Block], list[Block]]:
    """(front, body, tail) with the 公文 elements in place; body is changed in place and returned."""
    g = brief.gongwen
    if g is None:
        return [], body, []
    front: list[Block] = [GongwenHead(g.organ, g.wenjian, g.doc_number, g.signer)]
    if g.addressee:
        text = g.addressee if g.addressee.endswith("：") else g.addressee.rstrip(":：") + "："
        body.insert(0, Addressee(text))
    items = [t.rstrip("。；;，,. ") for t in (list(g.attachments) or [b.title for b in body if isinstance(b, AttachmentMark)])]
    at = next((k for k, b in enumerate(body) if isinstance(b, AttachmentMark)), len(body))
    ending: list[Block] = []
    if items:
        ending.append(AttachmentNote(items))
    ending.append(Signoff(g.signature or g.organ, chinese_date(brief.date), g.sealed, g.note))
    body[at:at] = ending
    tail: list[Block] = []
    if g.cc or g.printer or g.print_date or brief.date:
        tail.append(Imprint(g.cc, g.printer or g.organ, chinese_date(g.print_date or brief.date)))
    return front, body, tail
