"""Turn the 公文 element nodes into PDF flowables placed by GB/T 9704-2012 §7.

Positions (all from the type area, ``c`` = one body character = theme.char_pitch, one line = the
body pitch): 发文机关标志 top edge 35 mm below the type-area top, red, centred; 发文字号 two lines
below it, centred (or 1c in from the left with 签发人 1c in from the right); a red 156 mm rule 4 mm
below the 发文字号; the title two lines below the rule. 主送机关 flush left; 附件说明 2c in,
later items under the first name; unsealed 署名 2c in from the right with the date below it 2c
further right (or the date 2c in and the name moved), sealed date 4c in with the name centred over
it; 附注 2c in below the date; 附件N in 黑体 flush left on a new page with the title on line 3; the
版记 between 156 mm rules (0.35/0.25/0.35 mm) with its lowest rule on the type-area bottom, on an
even page when the theme asks (``blocks.imprint_even_page``, :class:`EvenPage`).
"""

from __future__ import annotations

from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.platypus import Flowable, Spacer
from reportlab.platypus.doctemplate import FrameBreak

from briefgen.tree import Addressee, AttachmentMark, AttachmentNote, GongwenHead, Imprint, Signoff
from briefgen.writers.pdf.flowables import GridSnap, SoftPageBreak, TextBlock, draw_line
from briefgen.writers.pdf.footnotes import registry_of
from briefgen.writers.pdf.front import _draw_in_box, _lines

MM = 72 / 25.4
MARK_DROP = 35 * MM  # 发文机关标志 top edge below the type-area top (§7.2.4)
RULE_GAP = 4 * MM  # red rule below the 发文字号 (§7.2.7)
RED_RULE = 1.5  # pt; the standard leaves the thickness open (templates: 0.35–0.5 mm, 1.5 pt)
OUTER, INNER = 0.35 * MM, 0.25 * MM  # 版记 rules (§7.4.1)


class HeadFlowable(Flowable):
    """The 版头: red 发文机关标志, 发文字号 (and 签发人), red rule, and two lines of space for the title."""

    def __init__(self, h: GongwenHead, w: Any) -> None:
        super().__init__()
        self.h, self.w = h, w
        th = w.theme
        self.pitch, self.char = th.grid.line_pitch_pt, th.char_pitch
        self.role = th.fonts.masthead
        self.size = th.sizes.masthead

    def _mark_size(self, aw: float) -> float:
        t = self.w.text
        width = t.text_width(t.pieces(self.h.mark, self.role, self.size))
        return self.size if width <= aw else self.size * aw / width

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        size = self._mark_size(aw)
        lines = 1 if self.h.doc_number or self.h.signer else 0
        self.width = aw
        # mark, 2 blank lines, 发文字号 line, 4 mm, rule, then the title's 2 blank lines
        self.height = MARK_DROP + size + (2 + lines) * self.pitch + RULE_GAP + 2 * self.pitch
        return aw, self.height

    def draw(self) -> None:
        canv, t, th = self.canv, self.w.text, self.w.theme
        aw, top = self.width, self.height
        size = self._mark_size(aw)
        font = t.font(self.role)
        mark = _lines(t, self.h.mark, self.role, size, aw, "center", th.colors.red)
        base = top - MARK_DROP - size * t.em_top(font)  # the em box's top edge at 35 mm
        for ln in mark.lines:
            draw_line(canv, ln, 0.0, base)
        y = top - MARK_DROP - size - 2 * self.pitch  # top of the 发文字号 line box
        body = th.fonts.body
        bsize = th.sizes.body
        if self.h.signer:
            left = _lines(t, self.h.doc_number, body, bsize, aw, "left", first_indent=self.char)
            label = t.pieces("签发人：", body, bsize)
            name = t.pieces(self.h.signer, "kaiti", bsize)  # §7.2.6: the name in 楷体
            right_w = t.text_width(label + name)
            right = _lines(t, "签发人：", body, bsize, aw, "left", first_indent=aw - self.char - right_w)
            who = _lines(t, self.h.signer, "kaiti", bsize, aw, "left",
                         first_indent=aw - self.char - t.text_width(name))
            for blk in (left, right, who):
                _draw_in_box(canv, t, blk, y, self.pitch)
            y -= self.pitch
        elif self.h.doc_number:
            _draw_in_box(canv, t, _lines(t, self.h.doc_number, body, bsize, aw, "center"), y, self.pitch)
            y -= self.pitch
        rule_y = y - RULE_GAP
        canv.saveState()
        canv.setStrokeColor(HexColor(th.colors.red))
        canv.setLineWidth(RED_RULE)
        canv.line(0, rule_y, aw, rule_y)
        canv.restoreState()


def head(w: Any, h: GongwenHead, depth: int) -> list[Flowable]:
    return [HeadFlowable(h, w)]


def addressee(w: Any, a: Addressee, depth: int) -> list[Flowable]:
    st = w.body.but(first_indent=0.0, align="left")
    return [TextBlock(w.text.pieces(a.text, st.role, st.size), st, w.text)]


def attachment_note(w: Any, n: AttachmentNote, depth: int) -> list[Flowable]:
    """附件：1.… one blank line below the body, 2 characters in; later items and turnovers align with the name."""
    t, st, c = w.text, w.body, w.char
    out: list[Flowable] = [Spacer(1, w.pitch)]
    head_w = t.text_width(t.pieces("附件：", st.role, st.size), st.tracking) + st.tracking
    many = len(n.items) > 1
    for k, item in enumerate(n.items, 1):
        item = item.rstrip("。；;，,. ")
        num = f"{k}." if many else ""
        num_w = t.text_width(t.pieces(num, st.role, st.size), st.tracking) + st.tracking if num else 0.0
        text = ("附件：" if k == 1 else "") + num + item
        first = 2 * c if k == 1 else 2 * c + head_w
        s = st.but(first_indent=first, rest_indent=2 * c + head_w + num_w, align="left")
        out.append(TextBlock(t.pieces(text, s.role, s.size), s, t))
    return out


def signoff(w: Any, s: Signoff, depth: int) -> list[Flowable]:
    """署名 and 成文日期 (sealed or not), then 附注, as right-indented lines of body text."""
    t, st, c = w.text, w.body, w.char

    def width(x: str) -> float:
        return float(t.text_width(t.pieces(x, st.role, st.size), st.tracking)) + st.tracking

    wn, wd = width(s.organ), width(s.date_text)
    if s.sealed:
        date_ri = 4 * c
        name_ri = date_ri + (wd - wn) / 2
    else:
        name_ri, date_ri = 2 * c, wn - wd
        if date_ri < 2 * c:  # a date longer than the name: date 2 characters in, the name moves left
            date_ri, name_ri = 2 * c, 4 * c + wd - wn
    out: list[Flowable] = [Spacer(1, w.pitch * (2 if s.sealed else 1))]
    for text, ri in ((s.organ, name_ri), (s.date_text, date_ri)):
        if text:
            line = st.but(first_indent=0.0, align="right", right_indent=max(ri, 0.0))
            out.append(TextBlock(t.pieces(text, line.role, line.size), line, t))
    if s.note:
        line = st.but(first_indent=2 * c, align="left")
        out.append(TextBlock(t.pieces(f"（{s.note}）", line.role, line.size), line, t))
    return out


def attachment_mark(w: Any, a: AttachmentMark, depth: int) -> list[Flowable]:
    """A new page; 附件N in 黑体 flush left on line 1, the title centred on line 3."""
    th, t = w.theme, w.text
    mark = w.body.but(role="heiti", first_indent=0.0,
                      align="left", tracking=0.0)
    label = TextBlock(t.pieces(a.label, mark.role, mark.size), mark, t)
    label.carried = 3  # label, space and title go onto a landscape table's first page with it
    out: list[Flowable] = [SoftPageBreak(), label, Spacer(1, w.pitch)]
    st = w.body.but(role=th.fonts.title, size=th.sizes.title, first_indent=0.0, align="center", tracking=0.0,
                    space_after=w.pitch)
    out.append(TextBlock(t.pieces(a.title, st.role, st.size), st, t))
    out.append(GridSnap(w.pitch))
    return out


class ImprintFlowable(Flowable):
    """版记 at the foot of the page it lands on: rule / 抄送 / rule / 印发 line / rule on the type-area bottom."""

    def __init__(self, im: Imprint, w: Any) -> None:
        super().__init__()
        self.im, self.w = im, w
        th = w.theme
        self.size, self.pitch = th.sizes.closing, th.grid.line_pitch_pt

    def _cc(self, aw: float) -> Any:
        if not self.im.cc:
            return None
        t, th, size = self.w.text, self.w.theme, self.size
        text = self.im.cc if self.im.cc.endswith("。") else self.im.cc.rstrip("，,;；") + "。"
        head_w = t.text_width(t.pieces("抄送：", th.fonts.body, size))
        return _lines(t, "抄送：" + text, th.fonts.body, size, aw - size, "left", first_indent=size,
                      rest_indent=size + head_w)

    def _need(self, aw: float) -> float:
        cc = self._cc(aw)
        n = (len(cc.lines) if cc else 0) + (1 if self.im.printer or self.im.print_date else 0)
        return n * self.pitch + OUTER

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        need = self._need(aw)
        self.width = aw
        self.height = ah if getattr(self, "_frame", None) is not None and need <= ah + 1e-6 else need
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canv, t, th, p, size = self.canv, self.w.text, self.w.theme, self.pitch, self.size
        aw = self.width
        cc = self._cc(aw)
        issue = bool(self.im.printer or self.im.print_date)
        bottom = OUTER / 2
        y = bottom + (p if issue else 0.0) + (len(cc.lines) * p if cc else 0.0)
        rules = [(y, OUTER), (0.0 + bottom - OUTER / 2, OUTER)]
        if cc is not None:
            _draw_in_box(canv, t, cc, y, p)
            y -= len(cc.lines) * p
            if issue:
                rules.append((y, INNER))
        if issue:
            left = _lines(t, self.im.printer, th.fonts.body, size, aw, "left", first_indent=size)
            right = _lines(t, f"{self.im.print_date}印发" if self.im.print_date else "", th.fonts.body, size,
                           aw - size, "right")
            _draw_in_box(canv, t, left, y, p)
            _draw_in_box(canv, t, right, y, p)
        canv.saveState()
        canv.setStrokeColorRGB(0, 0, 0)
        for ry, lw in rules:
            canv.setLineWidth(lw)
            canv.line(0, ry, aw, ry)
        canv.restoreState()


class EvenPage(Flowable):
    """Before the 版记 (theme ``blocks.imprint_even_page``): moves it to the next page unless this page is
    even and has room for it; an odd page left blank that way and the 版记 page after it are unnumbered
    (GB/T 9704 §7.4.1, §7.5)."""

    def __init__(self, imprint: ImprintFlowable, w: Any) -> None:
        super().__init__()
        self.imprint, self.w = imprint, w

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        doc = registry_of(self.w).template
        if frame is None or doc is None:
            return 0.0, 0.0
        page = doc.canv.getPageNumber()
        even = doc.display_number(page) % 2 == 0
        if even and self.imprint._need(aw) <= ah + 1e-6:
            return 0.0, 0.0
        if not even and frame._atTop:  # nothing on this odd page: it stays blank
            doc.silent.update({page, page + 1})
        frame.add_generated_content(FrameBreak, EvenPage(self.imprint, self.w))
        return 0.0, 0.0

    def draw(self) -> None:
        pass


def imprint(w: Any, im: Imprint, depth: int) -> list[Flowable]:
    flow = ImprintFlowable(im, w)
    return [EvenPage(flow, w), flow] if w.theme.blocks.imprint_even_page else [flow]


HANDLERS: dict[type, Any] = {
    GongwenHead: head,
    Addressee: addressee,
    AttachmentNote: attachment_note,
    Signoff: signoff,
    AttachmentMark: attachment_mark,
    Imprint: imprint,
}
