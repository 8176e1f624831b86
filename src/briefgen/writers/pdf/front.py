"""Turn the 简报 masthead, the cover, the closing block (报尾) and the table of contents into PDF flowables."""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from briefgen.model.theme import MM, FontRole, Theme
from briefgen.tree import ClosingBlock, Cover, Masthead
from briefgen.typeset.linebreak import Align, Line, Piece, break_lines
from briefgen.typeset.titles import balanced_lines
from briefgen.writers.pdf.flowables import PdfText, TextStyle, color_of, draw_line

MASTHEAD_RULE = 1.5  # pt, red rule under the 简报 masthead (templates use 1.5 pt)
CLOSING_OUTER = 0.35 * MM  # GB/T 9704 §7.4.1 版记 first and last rules
CLOSING_INNER = 0.25 * MM  # middle rule
_FUZZ = 1e-6


@dataclass
class _Text:
    """A pre-broken block of lines with its font size (for baseline placement)."""

    lines: list[Line]
    size: float
    font: str


def _lines(
    text: PdfText,
    s: str,
    role: FontRole,
    size: float,
    width: float,
    align: Align,
    color: str | None = None,
    *,
    first_indent: float = 0.0,
    rest_indent: float = 0.0,
) -> _Text:
    pieces = text.pieces(s, role, size, color)
    brk = balanced_lines if align == "center" else break_lines  # even lines for wrapped titles
    lines = brk(pieces, width, text.widths, align=align,
                first_indent=first_indent, rest_indent=rest_indent)  # fmt: skip
    if align == "center" and len(lines) > 1:
        text.centred[s] = [ln.text for ln in lines]
    return _Text(lines, size, text.font(role))


def _draw_in_box(canv: Canvas, text: PdfText, block: _Text, top: float, leading: float) -> None:
    """Draw ``block`` with each line vertically centred in a box of ``leading`` below ``top``."""
    off = text.baseline(leading, block.size)
    for i, ln in enumerate(block.lines):
        draw_line(canv, ln, 0.0, top - i * leading - off)


# ---------------------------------------------------------------- 简报 masthead


class MastheadFlowable(Flowable):
    """Red 简报 name centred, issue line, unit left and date right above a full-width red rule.

    Rows (one body line pitch each): mark/serial; name (two rows, more if it wraps); issue
    line; unit + date, with the rule just under them; one blank row. The height is a whole
    number of pitches so the body below stays on the grid.
    """

    def __init__(self, m: Masthead, text: PdfText, theme: Theme) -> None:
        super().__init__()
        self.m, self.text, self.theme = m, text, theme
        self.pitch = theme.grid.line_pitch_pt

    def _name(self, aw: float) -> tuple[_Text, float]:
        th, text = self.theme, self.text
        role = th.fonts.masthead
        size = max(th.sizes.masthead, 26.0)
        font = text.font(role)
        w = text.text_width(text.pieces(self.m.name, role, size))
        if w > aw:
            size = max(26.0, size * aw / w)
        block = _lines(text, self.m.name, role, size, aw, "center", th.colors.red)
        block.font = font
        lead = size * 1.3
        rows = max(2, -(-len(block.lines) * lead // self.pitch))
        return block, rows * self.pitch

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        _, name_h = self._name(aw)
        self.width = aw
        self.height = name_h + 4 * self.pitch
        return aw, self.height

    def draw(self) -> None:
        th, text, canv, p = self.theme, self.text, self.canv, self.pitch
        aw, top = self.width, self.height
        body = th.fonts.body
        size = th.sizes.body
        if self.m.mark:
            _draw_in_box(
                canv, text, _lines(text, self.m.mark, th.fonts.heading1, size, aw, "left"), top, p
            )
        if self.m.serial:
            _draw_in_box(canv, text, _lines(text, self.m.serial, body, size, aw, "right"), top, p)
        top -= p
        name, name_h = self._name(aw)
        lead = name.size * 1.3
        block_h = len(name.lines) * lead
        _draw_in_box(canv, text, name, top - (name_h - block_h) / 2, lead)
        top -= name_h
        if self.m.issue_line:
            _draw_in_box(
                canv, text, _lines(text, self.m.issue_line, body, size, aw, "center"), top, p
            )
        top -= p
        if self.m.unit:
            _draw_in_box(
                canv, text, _lines(text, self.m.unit, body, size, aw * 0.6, "left"), top, p
            )
        if self.m.date_text:
            _draw_in_box(
                canv, text, _lines(text, self.m.date_text, body, size, aw, "right"), top, p
            )
        top -= p
        y = top - MASTHEAD_RULE / 2 - 3
        canv.saveState()
        canv.setStrokeColor(color_of(th.colors.red))
        canv.setLineWidth(MASTHEAD_RULE)
        canv.line(0, y, aw, y)
        canv.restoreState()


# ---------------------------------------------------------------- cover


class CoverFlowable(Flowable):
    """A whole page: mark top-left, big title in the upper third, kind line, unit and date low.

    It takes the full frame, so it always starts and ends its own page; its page gets no
    page number and is not counted.
    """

    def __init__(self, c: Cover, text: PdfText, theme: Theme) -> None:
        super().__init__()
        self.c, self.text, self.theme = c, text, theme

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        full = frame._aH if frame is not None else ah
        self.width, self.height = aw, full - _FUZZ
        return self.width, self.height

    def draw(self) -> None:
        th, text, canv, c = self.theme, self.text, self.canv, self.c
        aw, h = self.width, self.height
        pitch = th.grid.line_pitch_pt
        doc = getattr(canv, "_doctemplate", None)
        if doc is not None and hasattr(doc, "unnumbered"):
            doc.unnumbered.add(canv.getPageNumber())
        if c.mark:
            _draw_in_box(
                canv,
                text,
                _lines(text, c.mark, th.fonts.heading1, th.sizes.body, aw, "left"),
                h,
                pitch,
            )
        big = th.sizes.cover_title
        title = _lines(text, c.title, th.fonts.cover_title, big, aw, "center")
        lead = big * 1.5
        top = h * 0.78
        _draw_in_box(canv, text, title, top, lead)
        top -= len(title.lines) * lead + pitch * 0.5
        if c.subtitle:
            sub = _lines(text, c.subtitle, th.fonts.subtitle, th.sizes.subtitle, aw, "center")
            _draw_in_box(canv, text, sub, top, pitch)
        if c.kind_line:
            kind = _lines(text, c.kind_line, th.fonts.title, th.sizes.title, aw, "center")
            _draw_in_box(canv, text, kind, h * 0.45, pitch * 1.2)
        low = pitch * 4
        if c.unit:
            _draw_in_box(
                canv,
                text,
                _lines(text, c.unit, th.fonts.body, th.sizes.body, aw, "center"),
                low,
                pitch,
            )
        if c.date_text:
            block = _lines(text, c.date_text, th.fonts.body, th.sizes.body, aw, "center")
            _draw_in_box(canv, text, block, low - pitch, pitch)


# ---------------------------------------------------------------- closing block (报尾 / 版记)


class ClosingFlowable(Flowable):
    """报：/送：/发： lines between 156 mm rules at the foot of the page it lands on.

    It claims all the space left on the page and draws at the bottom, so its lowest rule is
    the type-area bottom. If it does not fit in what is left, platypus moves it to a new page.
    """

    def __init__(self, c: ClosingBlock, text: PdfText, theme: Theme) -> None:
        super().__init__()
        self.c, self.text, self.theme = c, text, theme
        self.size = theme.sizes.closing
        self.pitch = theme.grid.line_pitch_pt

    def _blocks(self, aw: float) -> tuple[list[_Text], _Text | None]:
        th, text, size = self.theme, self.text, self.size
        inset = size  # 1 char
        out: list[_Text] = []
        for label, value in self.c.lines:
            head = f"{label}："
            head_w = text.text_width(text.pieces(head, th.fonts.body, size))
            out.append(_lines(text, head + value, th.fonts.body, size, aw - inset, "left",
                              first_indent=inset, rest_indent=inset + head_w))  # fmt: skip
        copies = None
        if self.c.copies_text:
            copies = _lines(text, self.c.copies_text, th.fonts.body, size, aw - inset, "right")
        return out, copies

    def _natural(self, aw: float) -> float:
        blocks, copies = self._blocks(aw)
        n = sum(len(b.lines) for b in blocks) + (len(copies.lines) if copies else 0)
        return n * self.pitch + CLOSING_OUTER

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        need = self._natural(aw)
        self.width = aw
        at_foot = getattr(self, "_frame", None) is not None  # inside a box: natural height
        self.height = ah if at_foot and need <= ah + _FUZZ else need
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        canv, text, p = self.canv, self.text, self.pitch
        aw = self.width
        blocks, copies = self._blocks(aw)
        n = sum(len(b.lines) for b in blocks) + (len(copies.lines) if copies else 0)
        bottom = CLOSING_OUTER / 2
        top = bottom + n * p
        rules = [(top, CLOSING_OUTER), (0.0, CLOSING_OUTER)]
        y = top
        for b in blocks:
            _draw_in_box(canv, text, b, y, p)
            y -= len(b.lines) * p
        if copies is not None:
            rules.append((y, CLOSING_INNER))
            _draw_in_box(canv, text, copies, y, p)
        canv.saveState()
        canv.setStrokeColorRGB(0, 0, 0)
        for ry, lw in rules:
            canv.setLineWidth(lw)
            canv.line(0, ry, aw, ry)
        canv.restoreState()


# ---------------------------------------------------------------- table of contents


class TocEntry(Flowable):
    """One TOC line: heading label and text, a dotted leader, the page number; links to the heading."""

    def __init__(
        self, pieces: list[Piece], key: str, style: TextStyle, text: PdfText, pages: dict[str, int]
    ) -> None:
        super().__init__()
        self.pieces, self.key, self.style, self.text, self.pages = pieces, key, style, text, pages
        self._lines: list[Line] = []

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        st = self.style
        reserve = 3 * st.size  # page-number column
        self._lines = break_lines(self.pieces, aw - reserve, self.text.widths, tracking=st.tracking,
                                  first_indent=st.first_indent, rest_indent=st.rest_indent,
                                  align="left")  # fmt: skip
        self.width = aw
        self.height = max(len(self._lines), 1) * st.leading
        return aw, self.height

    def draw(self) -> None:
        st, text, canv = self.style, self.text, self.canv
        off = text.baseline(st.leading, st.size)
        y = self.height
        for i, ln in enumerate(self._lines):
            draw_line(canv, ln, 0.0, self.height - i * st.leading - off)
        base = self.height - (len(self._lines) - 1) * st.leading - off
        page = self.pages.get(self.key)
        num = str(page) if page is not None else ""
        num_pieces = text.pieces(num, st.role, st.size) if num else []
        num_w = text.text_width(num_pieces)
        last = self._lines[-1] if self._lines else None
        x0 = (last.x + last.width if last else 0.0) + st.size * 0.5
        x1 = self.width - num_w - st.size * 0.5
        if x1 > x0:
            canv.saveState()
            canv.setLineWidth(1.2)
            canv.setLineCap(1)
            canv.setDash([0, 4])
            canv.line(x0, base + st.size * 0.12, x1, base + st.size * 0.12)
            canv.restoreState()
        if num_pieces:
            (ln,) = break_lines(num_pieces, num_w + 1, text.widths, align="left")
            draw_line(canv, ln, self.width - num_w, base)
        canv.linkRect("", self.key, (0, 0, self.width, y), relative=1, thickness=0)
