"""Turn the 公文 element nodes into DOCX paragraphs placed by GB/T 9704-2012 §7 (see writers.pdf.gongwen).

Word lays the text out itself, so positions are set as paragraph properties: the 发文机关标志 gets
35 mm of space before it (the type-area top is the page's top margin), the red rule is the 发文字号
paragraph's bottom border 4 mm below it, right indents are whole characters (一字 = the body
character), and the 版记 is the floating bottom-anchored table of the 报尾 with the 印发 line split
by a right tab.
"""

from __future__ import annotations

from typing import Any

from briefgen.tree import (
    Addressee,
    AttachmentMark,
    AttachmentNote,
    ClosingBlock,
    GongwenHead,
    Imprint,
    Signoff,
)
from briefgen.writers.docx.xml import (
    PPR_ORDER,
    Element,
    border,
    char_units,
    clean_text,
    el,
    hex_color,
    insert_ordered,
    ppr,
    qn,
    rpr,
    run,
    spacing,
    tabs,
    title_text,
    tw,
    tw_mm,
)

RED_RULE = 12  # eighths of a point: 1.5 pt, as the PDF


def _p(w: Any, *runs: Element, jc: str = "left", ind: dict[str, int] | None = None,
       extra: tuple[Element | None, ...] = ()) -> Element:
    attrs: dict[str, str | int] = {"w:firstLine": 0, "w:firstLineChars": 0, **(ind or {})}
    return el("w:p", None, ppr(None, jc=jc, extra=[el("w:ind", attrs), *extra]), *runs)


def _r(w: Any, text: str, role: str, size: float | None = None, color: str | None = None) -> Element:
    return run(clean_text(text, w.warn), rpr(w.fonts.name(role), size, color))


def _blank(w: Any) -> Element:
    return el("w:p", None, ppr(None, extra=[spacing(w.geo.line_pitch)]))


def head(w: Any, h: GongwenHead, depth: int) -> list[Element]:
    th, geo = w.theme, w.geo
    size = min(th.sizes.masthead, geo.text_w / 20 / (char_units(h.mark) + 1.5))  # Word adds grid spacing
    mark = el("w:p", None, ppr(None, jc="center", extra=[
        spacing(tw(size * 1.2), before=tw_mm(35)), val_snap()]), _r(w, h.mark, th.fonts.masthead, size, th.colors.red))
    body = th.fonts.body
    bottom = border("bottom", RED_RULE, hex_color(th.colors.red), space=11)  # 4 mm ≈ 11 pt below
    pbdr = el("w:pBdr", None, bottom)
    if h.signer:
        pos = geo.text_w - geo.body_char
        num = _p(w, _r(w, h.doc_number, body), run("\t"), _r(w, "签发人：", body), _r(w, h.signer, "kaiti"),
                 ind={"w:left": geo.body_char}, extra=(pbdr, tabs(("right", pos, "none")),
                                                        spacing(geo.line_pitch, before=2 * geo.line_pitch)))
    else:
        num = _p(w, _r(w, h.doc_number, body), jc="center",
                 extra=(pbdr, spacing(geo.line_pitch, before=2 * geo.line_pitch)))
    return [mark, num, _blank(w)]


def val_snap() -> Element:
    return el("w:snapToGrid", {"w:val": 0})


def addressee(w: Any, a: Addressee, depth: int) -> list[Element]:
    return [_p(w, _r(w, a.text, w.theme.fonts.body))]


def attachment_note(w: Any, n: AttachmentNote, depth: int) -> list[Element]:
    c = w.geo.body_char
    out = [_blank(w)]
    many = len(n.items) > 1
    for k, item in enumerate(n.items, 1):
        item = item.rstrip("。；;，,. ")
        num = f"{k}." if many else ""
        left = 2 * c + round(3 * c) + round(char_units(num) * c)  # turnovers align with the name
        first = 2 * c if k == 1 else 2 * c + 3 * c
        text = ("附件：" if k == 1 else "") + num + item
        out.append(_p(w, _r(w, text, w.theme.fonts.body), ind={"w:left": left, "w:hanging": left - first}))
    return out


def signoff(w: Any, s: Signoff, depth: int) -> list[Element]:
    c = w.geo.body_char
    wn, wd = char_units(s.organ) * c, char_units(s.date_text) * c
    if s.sealed:
        date_ri = 4 * c
        name_ri = date_ri + (wd - wn) / 2
    else:
        name_ri, date_ri = 2 * c, wn - wd
        if date_ri < 2 * c:
            date_ri, name_ri = 2 * c, 4 * c + wd - wn
    out = [_blank(w) for _ in range(2 if s.sealed else 1)]
    body = w.theme.fonts.body
    if s.organ:
        out.append(_p(w, _r(w, s.organ, body), jc="right", ind={"w:right": round(max(name_ri, 0))}))
    if s.date_text:
        out.append(_p(w, _r(w, s.date_text, body), jc="right", ind={"w:right": round(max(date_ri, 0))}))
    if s.note:
        out.append(_p(w, _r(w, f"（{s.note}）", body), ind={"w:firstLine": 2 * c}))
    return out


def attachment_mark(w: Any, a: AttachmentMark, depth: int) -> list[Element]:
    th = w.theme
    mark = _p(w, _r(w, a.label, "heiti"), extra=(el("w:pageBreakBefore"),))
    text = title_text(a.title, th.sizes.title, w.geo.text_w / 20, w.ctx.title_lines)
    title = el("w:p", None, ppr("Title"), _r(w, text, th.fonts.title))
    return [mark, _blank(w), title]


def imprint(w: Any, im: Imprint, depth: int) -> list[Element]:
    cc = im.cc if im.cc.endswith("。") or not im.cc else im.cc.rstrip("，,;；") + "。"
    issue = f"{im.printer}\t{im.print_date}印发" if (im.printer or im.print_date) else ""
    tbl = w.front.closing(ClosingBlock([("抄送", cc)] if cc else [], issue))
    if tbl is None:
        return []
    if issue:  # the 印发 line: organ 1 char in on the left, date 1 char in on the right
        last = list(tbl.iter(qn("w:p")))[-1]
        props = last.find(qn("w:pPr"))
        char = tw(w.theme.sizes.closing)
        for old in props.findall(qn("w:jc")) + props.findall(qn("w:ind")):
            props.remove(old)
        insert_ordered(props, el("w:ind", {"w:left": char, "w:right": char}), PPR_ORDER)
        insert_ordered(props, tabs(("right", w.geo.text_w - char, "none")), PPR_ORDER)
    return [tbl]


HANDLERS: dict[type, Any] = {
    GongwenHead: head,
    Addressee: addressee,
    AttachmentNote: attachment_note,
    Signoff: signoff,
    AttachmentMark: attachment_mark,
    Imprint: imprint,
}
