"""Turn a theme into ReportLab page geometry: the type-area frame, page numbers, PDF metadata and a reproducible canvas."""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from reportlab.lib.colors import HexColor
from reportlab.pdfbase.pdfdoc import PDFArray, PDFDictionary
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate

from briefgen.model.theme import FONT_ROLES, MM, Theme
from briefgen.tree import Metadata
from briefgen.typeset.linebreak import break_lines
from briefgen.writers.pdf.flowables import PdfText, draw_line

_PDF_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_.:-]{0,63}$")


class BriefDocTemplate(BaseDocTemplate):
    """One frame filling the type area; records heading pages and draws page numbers.

    Pages drawn by a cover are unnumbered and not counted: the page after a cover is 1.
    """

    def __init__(
        self, buf: Any, theme: Theme, text: PdfText, meta: Metadata, keywords: str
    ) -> None:
        m = theme.page.margins_mm
        self.theme = theme
        self.text = text
        self.unnumbered: set[int] = set()
        self.silent: set[int] = set()  # counted but not numbered: a blank page and the 版记 page after it
        # the unit's template's page header and footer lines (tree.RunningLine) and their distances (mm)
        self.running: tuple[tuple[Any, ...], tuple[Any, ...], float, float] = ((), (), 15.0, 15.0)
        self.heading_pages: dict[str, int] = {}
        super().__init__(
            buf,
            pagesize=(theme.page.width_pt, theme.page.height_pt),
            leftMargin=m.left * MM,
            rightMargin=m.right * MM,
            topMargin=m.top * MM,
            bottomMargin=m.bottom * MM,
            title=meta.title,
            author=meta.author,
            subject=meta.subject,
            keywords=keywords,
            creator="briefgen",
            producer="briefgen (ReportLab)",
            lang=meta.language,
            invariant=1,
            pageCompression=1,
            initialFontName=text.font(theme.fonts.body),  # a TrueType font: no unembedded Helvetica
        )
        frame = Frame(
            self.leftMargin,
            self.bottomMargin,
            theme.type_area_width,
            theme.type_area_height,
            leftPadding=0,
            rightPadding=0,
            topPadding=0,
            bottomPadding=0,
            id="body",
        )
        self.addPageTemplates([PageTemplate(id="body", frames=[frame], onPageEnd=self._decorate)])

    def handle_pageEnd(self) -> None:
        # A page holding turned (landscape) content asks viewers to show it turned: /Rotate 90
        # on the unchanged portrait MediaBox (ReportLab would swap the box to landscape).
        canv = self.canv
        turned = bool(getattr(canv, "briefgen_turned", False))
        self.rotation = 90 if turned else 0
        canv.briefgen_turned = False
        super().handle_pageEnd()
        if turned:
            page = canv._doc.Pages.pages[-1]
            page.MediaBox = PDFArray([0, 0, page.pagewidth, page.pageheight])
        self.rotation = 0

    def display_number(self, page: int) -> int:
        return page - sum(1 for p in self.unnumbered if p <= page)

    def afterFlowable(self, flowable: Any) -> None:
        key = getattr(flowable, "toc_key", None)
        if key and key not in self.heading_pages:
            self.heading_pages[key] = self.display_number(self.page)

    def _decorate(self, canv: Canvas, doc: Any) -> None:
        page = canv.getPageNumber()
        draw_running(canv, self.theme, self.text, self.running)
        if page in self.unnumbered or page in self.silent:
            return
        draw_page_number(canv, self.theme, self.text, self.display_number(page))


def draw_running(canv: Canvas, theme: Theme, text: PdfText,
                 running: tuple[tuple[Any, ...], tuple[Any, ...], float, float]) -> None:
    """The template's header lines from ``header_mm`` below the paper's top, its footer lines up to
    ``footer_mm`` above the bottom, across the type-area width, each with its bottom rule."""
    header, footer, head_mm, foot_mm = running
    if not header and not footer:
        return
    left = theme.page.margins_mm.left * MM
    width = theme.type_area_width

    def lines(items: tuple[Any, ...]) -> list[tuple[Any, Any, float]]:
        out = []
        for ln in items:
            role = ln.role if ln.role in FONT_ROLES else theme.fonts.body
            pieces = text.pieces(ln.text, role, ln.size_pt) if ln.text else []
            first = break_lines(pieces, 1e6, text.widths, align="left")[:1] if pieces else []
            out.append((ln, first[0] if first else None, ln.size_pt * 1.3 + (ln.rule_pt + 2 if ln.rule_pt else 0)))
        return out

    def draw(ln: Any, line: Any, top: float) -> None:
        size = ln.size_pt
        canv.saveState()
        if line is not None:
            x = left + {"center": (width - line.width) / 2, "right": width - line.width}.get(ln.align, 0.0)
            canv.setFillColor(HexColor(ln.color or theme.colors.text))
            role = ln.role if ln.role in FONT_ROLES else theme.fonts.body
            draw_line(canv, line, x, top - size * text.em_top(text.font(role)))
        if ln.rule_pt:
            y = top - size * 1.3 - ln.rule_pt / 2 - 1
            canv.setStrokeColor(HexColor(ln.rule_color or ln.color or theme.colors.text))
            canv.setLineWidth(ln.rule_pt)
            canv.line(left, y, left + width, y)
        canv.restoreState()

    top = theme.page.height_pt - head_mm * MM
    for ln, line, h in lines(header):
        draw(ln, line, top)
        top -= h
    laid = lines(footer)
    top = foot_mm * MM + sum(h for _, _, h in laid)
    for ln, line, h in laid:
        draw(ln, line, top)
        top -= h


def draw_page_number(canv: Canvas, theme: Theme, text: PdfText, n: int) -> None:
    """``— N —`` 7 mm below the type area: odd pages right, even left, inset one character."""
    pn = theme.page_numbers
    if pn.position == "none":
        return
    size = theme.sizes.page_number
    role = theme.fonts.page_number
    pieces = text.pieces(pn.format.format(n=n), role, size)
    if not pieces:
        return
    (line,) = break_lines(pieces, 1e6, text.widths, align="left")[:1]
    m = theme.page.margins_mm
    left = m.left * MM
    right = left + theme.type_area_width
    inset = pn.inset_chars * size
    width = line.width
    if pn.position == "center":
        x = left + (theme.type_area_width - width) / 2
    elif pn.position == "right" or n % 2 == 1:
        x = right - inset - width
    else:
        x = left + inset
    # the em box top (pdfplumber's ``top``) sits below_type_area_mm under the type area
    top = m.bottom * MM - pn.below_type_area_mm * MM
    baseline = top - size * text.em_top(text.font(role))
    draw_line(canv, line, x, baseline)


def canvas_maker(timestamp: datetime, draft: bool = False) -> Callable[..., Canvas]:
    """A Canvas class whose CreationDate/ModDate are ``timestamp`` (UTC when naive). A ``draft``
    canvas is for a layout pass that is never saved: lines of text are not drawn on it."""
    ts = timestamp if timestamp.tzinfo else timestamp.replace(tzinfo=UTC)
    utc = ts.astimezone(UTC)
    offset = ts.utcoffset()
    minutes = int(offset.total_seconds() // 60) if offset is not None else 0
    local = ts.timetuple()

    class _Canvas(Canvas):
        briefgen_draft = draft

        def __init__(self, *args: Any, **kw: Any) -> None:
            kw["invariant"] = 1
            super().__init__(*args, **kw)
            stamp = self._doc._timeStamp
            stamp.t = calendar.timegm(utc.timetuple())
            stamp.lt = local
            stamp.YMDhms = tuple(local)[:6]
            stamp.dhh, stamp.dmm = (
                divmod(minutes, 60) if minutes >= 0 else (-((-minutes) // 60), (-minutes) % 60)
            )
            stamp.tzname = "UTC" if not minutes else ""
            self.showOutline()

        def save(self) -> None:
            # export heading destinations by name (file.pdf#anchor); ReportLab keeps them private
            dests = {k: v for k, v in sorted(self._destinations.items()) if _PDF_NAME.match(k)}
            if dests:
                self._doc.Catalog.Dests = PDFDictionary(dests)
            super().save()

    return _Canvas
