"""Turn styled text into ReportLab flowables that break lines with briefgen's CJK rules and draw them with canvas text objects.

No user text ever goes through ReportLab's ``Paragraph`` markup parser: lines are broken by
``cjk_linebreak`` and drawn one PDF text object per line (``Tc`` carries tracking plus the
justification share, ``Tw`` any overflow into spaces), so ``<font>``, ``&`` and friends are
printed literally and pdftotext reads each line back without inserted spaces.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any

from reportlab.lib.colors import Color, HexColor
from reportlab.pdfbase import pdfmetrics
from reportlab.platypus import Flowable

from briefgen.model.theme import FontRole, Theme
from briefgen.tree import Inlines
from briefgen.typeset.linebreak import (
    Align,
    Line,
    Piece,
    WidthCache,
    break_lines,
)
from briefgen.typeset.titles import balanced_lines

if TYPE_CHECKING:
    from reportlab.pdfgen.canvas import Canvas

    from briefgen.fonts.book import FontBook

_FUZZ = 1e-6


# ---------------------------------------------------------------- fonts and pieces


class PdfText:
    """Fonts for one render: pieces per role via the FontBook, cached widths, missing glyphs."""

    def __init__(self, book: FontBook, theme: Theme) -> None:
        self.book = book
        self.theme = theme
        self.widths = WidthCache(self._measure)
        self.missing: dict[str, set[str]] = {}  # character → roles that lack it
        self._em_top: dict[str, float] = {}
        self._runs: dict[tuple[str, str], list[tuple[str, str]]] = {}
        self._fonts: dict[str, str] = {}
        # table cells measured for column widths, kept across the TOC passes (text, role, size)
        self.cells: dict[tuple[str, str, float], object] = {}
        # tables broken into lines, by (id of the tree table, width), kept across the TOC passes
        self.tables: dict[tuple[int, float], object] = {}
        # tables the current pass set with tighter padding to keep them whole, same keys: a
        # decision of one layout pass, so the writer clears it when a pass starts
        self.tightened: dict[tuple[int, float], object] = {}
        # centred text (titles) that wrapped, by its text: its lines, for the DOCX writer
        self.centred: dict[str, list[str]] = {}

    def _measure(self, ch: str, font: str, size: float) -> float:
        return float(self.book.width(ch, font, size))

    def font(self, role: FontRole) -> str:
        name = self._fonts.get(role)
        if name is None:
            name = self._fonts[role] = str(self.book.pdf_font(role))
        return name

    def pieces(
        self,
        text: str,
        role: FontRole,
        size: float,
        color: str | None = None,
        link: str | None = None,
    ) -> list[Piece]:
        """``text`` split into pieces by glyph coverage along the role's fallback chain."""
        if not text:
            return []
        text = text.replace("\t", " ")  # no glyph for a tab: it would print .notdef
        key = (text, role)
        runs = self._runs.get(key) if len(text) < 64 else None
        if runs is None:
            for ch in self.book.missing(text, role):
                c = ch if isinstance(ch, str) else chr(int(ch))
                if not c.isspace():
                    self.missing.setdefault(c, set()).add(role)
            runs = [(str(f), s) for f, s in self.book.runs(text, role)]
            if len(text) < 64:
                self._runs[key] = runs
        return [Piece(sub, font, size, color, link) for font, sub in runs if sub]

    def inline_pieces(self, inlines: Inlines, style: TextStyle) -> list[Piece]:
        out: list[Piece] = []
        for span in inlines:
            role = (
                style.strong_role
                if span.strong
                else style.emphasis_role
                if span.emphasis
                else style.role
            )
            out.extend(self.pieces(span.text, role, style.size, style.color))
        return out

    def em_top(self, font: str) -> float:
        """Baseline-to-em-top distance in ems (1 + descent): pdfplumber's ``top`` sits there."""
        v = self._em_top.get(font)
        if v is None:
            face = getattr(pdfmetrics.getFont(font), "face", None)
            descent = float(getattr(face, "descent", -120)) / 1000 if face is not None else -0.12
            v = self._em_top[font] = 1 + max(min(descent, 0.0), -0.5)
        return v

    def baseline(self, leading: float, size: float) -> float:
        """Distance from a line box's top to the baseline of ``size``-point text centred in it.

        All fonts share the body font's em box, so 黑体 headings, 楷体 notes and 仿宋 body
        text sit on the same baselines whatever descent their font files declare.
        """
        return (leading - size) / 2 + size * self.em_top(self.font(self.theme.fonts.body))

    def text_width(self, pieces: Sequence[Piece], tracking: float = 0.0) -> float:
        w = 0.0
        for p in pieces:
            for ch in p.text:
                w += self.widths(ch, p.font, p.size) + tracking
        return w - (tracking if w else 0.0)

    def missing_error_text(self) -> str:
        cps = sorted(self.missing)
        shown = ", ".join(f"U+{ord(c):04X} {c}" for c in cps[:40])
        if len(cps) > 40:
            shown += f", … ({len(cps)} in all)"
        return shown


@dataclass(frozen=True)
class TextStyle:
    """How one kind of text block is set (all lengths in points)."""

    role: FontRole
    size: float
    leading: float
    tracking: float = 0.0
    first_indent: float = 0.0
    rest_indent: float = 0.0
    right_indent: float = 0.0
    align: Align = "justify"
    color: str | None = None
    strong_role: FontRole = "heiti"
    emphasis_role: FontRole = "kaiti"
    space_before: float = 0.0
    space_after: float = 0.0

    def but(self, **kw: Any) -> TextStyle:
        return replace(self, **kw)


_COLORS: dict[str, Color] = {}


def color_of(hexcode: str) -> Color:
    c = _COLORS.get(hexcode)
    if c is None:
        c = _COLORS[hexcode] = HexColor(hexcode)
    return c


def _chunks(canv: Canvas, text: str, font: str) -> list[str]:
    """``text`` cut where ReportLab switches font subset (each switch starts a new ``Tj``)."""
    f = pdfmetrics.getFont(font)
    if not getattr(f, "_dynamicFont", False):
        return [text]
    out: list[str] = []
    i = 0
    for _, data in f.splitString(text, canv._doc):
        out.append(text[i : i + len(data)])  # one byte per character in a TrueType subset
        i += len(data)
    return out


def draw_line(canv: Canvas, ln: Line, x: float, y: float) -> None:
    """Draw one broken line as a single text object with baseline ``y``.

    With character spacing (``Tc``) every run and every font-subset chunk starts at its
    computed position (``Tm``): the PDF would place it there anyway, but pdfminer-based
    readers (pdfplumber) drop the ``Tc`` after the last glyph of each ``Tj`` and would
    otherwise measure lines up to a few points wider than they print.
    """
    if not ln.runs or getattr(canv, "briefgen_draft", False):  # a draft pass: layout only
        return
    coloured = any(r.color for r in ln.runs)
    isolate = coloured or ln.word_space != 0.0
    if isolate:
        canv.saveState()
    x0 = x + ln.x
    t = canv.beginText(x0 + ln.runs[0].x, y)
    tc = ln.runs[0].char_space if ln.runs[0].char_space is not None else ln.char_space
    t.setCharSpace(tc)
    if ln.word_space:
        t.setWordSpace(ln.word_space)
    exact = ln.char_space != 0.0 or any(r.char_space is not None for r in ln.runs)
    cur: tuple[str, float] | None = None
    cur_color: str | None = None
    for k, r in enumerate(ln.runs):
        rc = r.char_space if r.char_space is not None else ln.char_space
        if rc != tc:  # elastic CJK gaps and compressed marks have their own spacing
            t.setCharSpace(rc)
            tc = rc
        if (r.font, r.size) != cur:
            t.setFont(r.font, r.size)
            cur = (r.font, r.size)
        if coloured and r.color != cur_color:
            t.setFillColor(color_of(r.color or "#000000"))
            cur_color = r.color
        if not exact:
            t.textOut(r.text)
            continue
        pos = 0.0
        for i, chunk in enumerate(_chunks(canv, r.text, r.font)):
            if k or i:
                t.setTextOrigin(x0 + r.x + pos, y)
            t.textOut(chunk)
            pos += (
                pdfmetrics.stringWidth(chunk, r.font, r.size)
                + len(chunk) * tc
                + (chunk.count(" ") + chunk.count("\u00a0")) * ln.word_space  # both are code 32
            )
    canv.drawText(t)
    if isolate:
        canv.restoreState()


@dataclass
class Bookmark:
    """A named destination plus an outline entry, created where a heading is drawn."""

    key: str
    title: str
    level: int
    toc: bool = True  # record the page for the table of contents
    outline: bool = True  # add an outline (bookmark panel) entry, not just a destination


def place_bookmark(canv: Canvas, bm: Bookmark, top: float) -> None:
    """A destination at the current position and its outline entry (``top`` in flowable space)."""
    _, y = canv.absolutePosition(0, top)
    canv.bookmarkPage(bm.key, fit="XYZ", left=0, top=y)
    if bm.outline:
        canv.addOutlineEntry(bm.title, bm.key, level=bm.level, closed=False)


# ---------------------------------------------------------------- text block


class TextBlock(Flowable):
    """A paragraph of pieces broken into lines on a fixed line pitch; splits between lines."""

    #: How many flowables from this one on move with a landscape table that follows them (附件N).
    carried = 0

    def __init__(
        self,
        pieces: list[Piece],
        style: TextStyle,
        text: PdfText,
        *,
        bookmark: Bookmark | None = None,
        lines: list[Line] | None = None,
        first: bool = True,
        last: bool = True,
    ) -> None:
        super().__init__()
        self.pieces = pieces
        self.style = style
        self.text = text
        self.bookmark = bookmark
        self._lines = lines
        self._fixed = lines is not None
        self._aw = -1.0
        self.first, self.last = first, last
        self.spaceBefore = style.space_before if first else 0.0
        self.spaceAfter = style.space_after if last else 0.0
        self.toc_key = bookmark.key if bookmark and bookmark.toc else None

    def lines(self, aw: float) -> list[Line]:
        if self._lines is None or (not self._fixed and abs(aw - self._aw) > _FUZZ):
            st = self.style
            # centred text (titles, captions) that wraps gets even lines, not a lone last word
            brk = balanced_lines if st.align == "center" else break_lines
            self._lines = brk(
                self.pieces,
                aw - st.right_indent,
                self.text.widths,
                tracking=st.tracking,
                first_indent=st.first_indent,
                rest_indent=st.rest_indent,
                align=st.align,
            )
            self._aw = aw
            if st.align == "center" and len(self._lines) > 1:
                self.text.centred["".join(p.text for p in self.pieces)] = [ln.text for ln in self._lines]
        return self._lines

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = len(self.lines(aw)) * self.style.leading
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        lines = self.lines(aw)
        fit = int((ah + _FUZZ) / self.style.leading)
        if fit <= 0 or fit >= len(lines):
            return []
        # no widow or orphan: at least 2 lines on each side of the break, else the paragraph
        # moves whole (on a 公文 grid the page then ends one or two grid lines early)
        k = min(fit, len(lines) - 2)
        if k < 2:
            frame = getattr(self, "_frame", None)
            if frame is None or not frame._atTop:
                return []
            k = fit  # a paragraph taller than a page has to break where it must
        head = TextBlock(self.pieces, self.style, self.text, bookmark=self.bookmark,
                         lines=lines[:k], first=self.first, last=False)  # fmt: skip
        tail = TextBlock(
            self.pieces, self.style, self.text, lines=lines[k:], first=False, last=self.last
        )
        return [head, tail]

    def baseline_offset(self) -> float:
        return self.text.baseline(self.style.leading, self.style.size)

    def draw(self) -> None:
        canv = self.canv
        if self.bookmark is not None:
            place_bookmark(canv, self.bookmark, self.height)
        lead = self.style.leading
        off = self.baseline_offset()
        for i, ln in enumerate(self._lines or []):
            draw_line(canv, ln, 0.0, self.height - i * lead - off)


# ---------------------------------------------------------------- spacing helpers


class GridSnap(Flowable):
    """Vertical space up to the next body grid line, so text after a table stays on the grid."""

    def __init__(self, pitch: float) -> None:
        super().__init__()
        self.pitch = pitch

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        h = 0.0
        if frame is not None:
            used = frame._y2 - frame._topPadding - frame._y
            rem = used % self.pitch
            if rem > 0.01 and self.pitch - rem > 0.01:
                h = min(self.pitch - rem, max(ah, 0.0))
        self.width, self.height = aw, h
        return aw, h

    def draw(self) -> None:
        pass


class SoftPageBreak(Flowable):
    """Start a new page unless already at the top of one (never makes an empty page)."""

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        if frame is not None and not frame._atTop:
            from reportlab.platypus.doctemplate import (  # reportlab loads only when this runs
                FrameBreak,  # reportlab loads only when this runs
            )

            frame.add_generated_content(FrameBreak)
        return 0.0, 0.0

    def draw(self) -> None:
        pass


class KeepLines(Flowable):
    """Move to a new page unless ``height`` points are left (keeps a heading with its text).

    ``height`` may be a function of the available width, evaluated when the frame reaches it.
    """

    def __init__(self, height: float | Callable[[float], float]) -> None:
        super().__init__()
        self.need = height
        self.heading: TextBlock | None = None  # set when this keeps a heading with its text
        self.on_break: Callable[[float], None] | None = None  # told the room it leaves when it breaks

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        frame = getattr(self, "_frame", None)
        if frame is None or frame._atTop:
            return 0.0, 0.0
        need = self.need(aw) if callable(self.need) else self.need
        if ah < need - _FUZZ:
            from reportlab.platypus.doctemplate import (  # reportlab loads only when this runs
                FrameBreak,  # reportlab loads only when this runs
            )

            frame.add_generated_content(FrameBreak)
            if self.on_break is not None:
                self.on_break(ah)
        return 0.0, 0.0

    def draw(self) -> None:
        pass


# ---------------------------------------------------------------- framed box


class BoxFlowable(Flowable):
    """A framed group of flowables (学习要点, 思考题) that may continue on the next page."""

    def __init__(
        self,
        content: list[Flowable],
        *,
        pad_x: float,
        pad_y: float,
        line_width: float = 0.75,
        open_top: bool = False,
        open_bottom: bool = False,
        keep_first: int = 0,
    ) -> None:
        super().__init__()
        self.content = content
        self.keep_first = keep_first  # leading flowables (the title) that may not end a part
        self.pad_x, self.pad_y = pad_x, pad_y
        self.line_width = line_width
        self.open_top, self.open_bottom = open_top, open_bottom
        self._sizes: list[tuple[float, float]] = []

    def _inner(self, aw: float) -> float:
        return aw - 2 * self.pad_x

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        iw = self._inner(aw)
        self._sizes = [f.wrap(iw, 1e9) for f in self.content]
        h = sum(s[1] for s in self._sizes) + self._space_total()
        self.width, self.height = aw, h + 2 * self.pad_y
        return self.width, self.height

    def _space_total(self) -> float:
        return sum(_gap(self.content, i) for i in range(len(self.content)))

    def split(self, aw: float, ah: float) -> list[Flowable]:
        frame = getattr(self, "_frame", None)
        full = frame._aH if frame is not None else 1e9
        if self.wrap(aw, ah)[1] <= full * 0.3 and not (frame is not None and frame._atTop):
            return []  # a short box moves whole rather than splitting
        iw = self._inner(aw)
        room = ah - 2 * self.pad_y
        used = 0.0
        head: list[Flowable] = []
        rest = list(self.content)
        while rest:
            f = rest[0]
            gap = _gap(head + [f], len(head)) if head else 0.0
            _, h = f.wrap(iw, 1e9)
            if used + gap + h <= room + _FUZZ:
                head.append(rest.pop(0))
                used += gap + h
                continue
            parts = f.split(iw, room - used - gap) if room - used - gap > 0 else []
            if len(parts) >= 2:
                head.append(parts[0])
                rest = list(parts[1:]) + rest[1:]
            break
        if len(head) <= self.keep_first or not rest:
            return []  # never leave the title (or nothing) behind at the foot of a page
        a = BoxFlowable(head, pad_x=self.pad_x, pad_y=self.pad_y, line_width=self.line_width,
                        open_top=self.open_top, open_bottom=True)  # fmt: skip
        b = BoxFlowable(rest, pad_x=self.pad_x, pad_y=self.pad_y, line_width=self.line_width,
                        open_top=True, open_bottom=self.open_bottom)  # fmt: skip
        return [a, b]

    def draw(self) -> None:
        canv = self.canv
        iw = self._inner(self.width)
        y = self.height - self.pad_y
        for i, f in enumerate(self.content):
            y -= _gap(self.content, i)
            _, h = f.wrap(iw, 1e9)
            y -= h
            f.drawOn(canv, self.pad_x, y)
        canv.saveState()
        canv.setLineWidth(self.line_width)
        canv.setStrokeColorRGB(0, 0, 0)
        w, h = self.width, self.height
        canv.line(0, 0, 0, h)
        canv.line(w, 0, w, h)
        if not self.open_top:
            canv.line(0, h, w, h)
        if not self.open_bottom:
            canv.line(0, 0, w, 0)
        canv.restoreState()


def _gap(content: Sequence[Flowable], i: int) -> float:
    """Space before content[i] inside a box (its spaceBefore after the first, plus the previous spaceAfter)."""
    if i == 0:
        return 0.0
    return float(content[i - 1].getSpaceAfter()) + float(content[i].getSpaceBefore())


def flatten(items: Iterable[Flowable | list[Flowable]]) -> list[Flowable]:
    out: list[Flowable] = []
    for it in items:
        if isinstance(it, list):
            out.extend(it)
        else:
            out.append(it)
    return out


class WithPrevious(Flowable):
    """A paragraph and the box that follows it (思考题, 学习要点 after their lesson): the box never
    opens a page without at least two lines of the lesson (the paragraph's widow rule decides
    where it splits). A box taller than ``max_box`` is placed on its own, as before."""

    def __init__(self, para: TextBlock, box: Flowable, max_box: float) -> None:
        super().__init__()
        self.para, self.box, self.max_box = para, box, max_box
        self.spaceBefore = para.getSpaceBefore()
        self.spaceAfter = box.getSpaceAfter()
        self._ph = self._bh = 0.0

    def _gap(self) -> float:
        return float(self.para.getSpaceAfter()) + float(self.box.getSpaceBefore())

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self._ph = float(self.para.wrap(aw, 1e9)[1])
        self._bh = float(self.box.wrap(aw, 1e9)[1])
        self.width = aw
        self.height = self._ph + self._gap() + self._bh
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        self.wrap(aw, ah)
        if self._bh > self.max_box:  # a box on its own: the lesson breaks as any paragraph does
            if self._ph <= ah + _FUZZ:
                return [self.para, self.box]
            self.para._frame = getattr(self, "_frame", None)  # its widow rule asks whether the page is fresh
            try:
                parts = self.para.split(aw, ah)
            finally:
                del self.para._frame
            return [*parts, self.box] if parts else []
        # the lesson fits but its box does not: its last lines go with the box (the paragraph's
        # widow rule keeps two on each side), rather than the page ending with everything moved
        room = min(ah, self._ph - self.para.style.leading / 2)
        parts = self.para.split(aw, room)
        if len(parts) == 2 and isinstance(parts[1], TextBlock):
            return [parts[0], WithPrevious(parts[1], self.box, self.max_box)]
        frame = getattr(self, "_frame", None)
        if frame is not None and frame._atTop:
            return [self.para, self.box]
        return []

    def draw(self) -> None:
        self.para.drawOn(self.canv, 0, self.height - self._ph)
        self.box.drawOn(self.canv, 0, 0)
