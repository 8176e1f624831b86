"""Turn Masthead, Cover and ClosingBlock nodes into DOCX paragraphs and a bottom-anchored table."""

from __future__ import annotations

import math
from collections.abc import Callable

from briefgen.i18n import _
from briefgen.model.theme import FontRole, Theme
from briefgen.tree import ClosingBlock, Cover, Masthead
from briefgen.writers.docx.styles import Geometry
from briefgen.writers.docx.xml import (
    Element,
    Fonts,
    border,
    char_units,
    clean_text,
    el,
    indent,
    no_border,
    ppr,
    rpr,
    run,
    spacing,
    tabs,
    tw,
    val,
)

Warn = Callable[[str], None]

CLOSING_OUTER = 8  # 0.35 mm ≈ 0.99 pt, in eighths of a point (GB/T 9704 §7.4.1)
CLOSING_INNER = 6  # 0.25 mm ≈ 0.71 pt
MASTHEAD_RULE = 12  # 1.5 pt red rule under the 简报 masthead, as in the PDF


class Front:
    """Builders for the special blocks; they share theme, fonts, geometry and the warning sink."""

    def __init__(self, theme: Theme, fonts: Fonts, geo: Geometry, warn: Warn) -> None:
        self.theme, self.fonts, self.geo, self.warn = theme, fonts, geo, warn

    # ------------------------------------------------------------ helpers
    def _r(self, text: str, role: FontRole, size: float, color: str | None = None) -> Element:
        return run(clean_text(text, self.warn), rpr(self.fonts.name(role), size, color))

    def _p(
        self,
        *runs: Element,
        jc: str = "left",
        line: int | None = None,
        before: int = 0,
        after: int = 0,
        extra: tuple[Element | None, ...] = (),
        style: str | None = None,
        ind: Element | None = None,
    ) -> Element:
        props = ppr(
            style,
            jc=jc,
            extra=[
                val("w:snapToGrid", 0),
                spacing(line if line is not None else self.geo.line_pitch, before, after),
                ind if ind is not None else indent(0),
                *extra,
            ],
        )
        return el("w:p", None, props, *runs)

    # ------------------------------------------------------------ masthead
    def masthead(self, m: Masthead) -> list[Element]:
        """Red 简报 name, issue line, unit left / date right above a full-width red rule."""
        t, f, s, geo = self.theme, self.theme.fonts, self.theme.sizes, self.geo

        def right_tab() -> Element:  # a fresh element per paragraph (lxml moves shared ones)
            return tabs(("right", geo.text_w, "none"))

        out: list[Element] = []
        if m.mark or m.serial:
            out.append(self._p(
                self._r(m.mark, f.heading1, s.body), el("w:r", None, el("w:tab")),
                self._r(m.serial, f.body, s.body), extra=(right_tab(),),
            ))  # fmt: skip
        # the PDF's rows (writers/pdf/front.py MastheadFlowable), in absolute twips: the name
        # centred in two body pitches, issue line and unit/date one pitch each, the rule 3 pt
        # under the unit row, then one blank pitch
        lead = tw(max(s.masthead, 26.0) * 1.3)
        name_h = max(2 * geo.line_pitch, lead)
        pad = (name_h - lead) // 2
        out.append(self._p(
            self._r(m.name, f.masthead, s.masthead, t.colors.red),
            jc="center", line=lead, before=pad, after=name_h - lead - pad,
        ))  # fmt: skip
        out.append(self._p(self._r(m.issue_line, f.body, s.body), jc="center"))
        rule = el("w:pBdr", None, border("bottom", MASTHEAD_RULE, t.colors.red, space=3))
        out.append(self._p(
            self._r(m.unit, f.body, s.body), el("w:r", None, el("w:tab")),
            self._r(m.date_text, f.body, s.body),
            after=geo.line_pitch - tw(3 + MASTHEAD_RULE / 8), extra=(rule, right_tab()),
        ))  # fmt: skip
        return out

    # ------------------------------------------------------------ cover
    def cover(self, c: Cover) -> list[Element]:
        """A one-page cover: mark top-left, title block in the upper third, unit and date low.
        Gaps are computed from the type-area height so the cover never spills onto a 2nd page."""
        f, s, geo = self.theme.fonts, self.theme.sizes, self.geo
        pitch = geo.line_pitch
        title_line = tw(s.cover_title * 1.4)
        per_line = max(1, math.floor(geo.text_w / 20 / s.cover_title))
        title_lines = max(1, math.ceil(char_units(c.title) / per_line))
        kind_line = tw(max(s.title * 1.3, self.theme.grid.line_pitch_pt))
        used = (
            (pitch if c.mark else 0)
            + title_lines * title_line
            + (pitch if c.subtitle else 0)
            + (kind_line if c.kind_line else 0)
            + (pitch if c.unit else 0)
            + (pitch if c.date_text else 0)
        )
        free = max(0, geo.text_h - used - 2 * pitch)  # two lines of safety
        gap_top, gap_mid, gap_low = int(free * 0.3), int(free * 0.15), int(free * 0.55)
        out: list[Element] = []
        if c.mark:
            out.append(self._p(self._r(c.mark, f.heading1, s.body)))
        out.append(self._p(self._r(c.title, f.cover_title, s.cover_title), jc="center",
                           line=title_line, before=gap_top))  # fmt: skip
        if c.subtitle:
            out.append(self._p(self._r(c.subtitle, f.subtitle, s.subtitle), jc="center"))
        if c.kind_line:
            out.append(self._p(self._r(c.kind_line, f.heading1, s.title), jc="center",
                               line=kind_line, before=gap_mid))  # fmt: skip
        low = gap_low + (0 if c.kind_line else gap_mid)
        if c.unit:
            out.append(self._p(self._r(c.unit, f.body, s.body), jc="center", before=low))
            low = 0
        if c.date_text:
            out.append(self._p(self._r(c.date_text, f.body, s.body), jc="center", before=low))
        return out

    # ------------------------------------------------------------ closing block
    def closing(self, cb: ClosingBlock) -> Element | None:
        """The 报尾/版记 as a floating one-column table anchored to the bottom of the type area
        (``w:tblpPr vertAnchor=margin tblpYSpec=bottom``): full-width rules as table borders
        (0.35 mm outside, 0.25 mm above the copy count), lines in 4号, indented one character."""
        s, geo = self.theme.sizes, self.geo
        char = tw(s.closing)
        rows: list[tuple[Element, bool]] = []
        for label, text in cb.lines:
            lab = clean_text(label, self.warn)
            hang = round(char_units(lab + "：") * char)
            p = self._p(
                self._r(f"{lab}：{text}", self.theme.fonts.body, s.closing),
                style="Closing",
                line=tw(s.closing * 1.6),
                ind=indent(left=char + hang, right=char, hanging=hang),
            )
            rows.append((p, False))
        if cb.copies_text:
            p = self._p(
                self._r(cb.copies_text, self.theme.fonts.body, s.closing),
                style="Closing",
                jc="right",
                line=tw(s.closing * 1.6),
                ind=indent(right=char),
            )
            rows.append((p, bool(cb.lines)))
        if not rows:
            self.warn(_("docx: skipped an empty closing block"))
            return None
        width = geo.text_w
        tbl_pr = el(
            "w:tblPr",
            None,
            el("w:tblpPr", {"w:leftFromText": 0, "w:rightFromText": 0, "w:topFromText": 0,
                            "w:bottomFromText": 0, "w:vertAnchor": "margin",
                            "w:horzAnchor": "page", "w:tblpX": geo.left,
                            "w:tblpYSpec": "bottom"}),
            val("w:tblOverlap", "never"),
            el("w:tblW", {"w:w": width, "w:type": "dxa"}),
            val("w:jc", "center"),
            el("w:tblBorders", None, border("top", CLOSING_OUTER, space=0), no_border("left"),
               border("bottom", CLOSING_OUTER, space=0), no_border("right"),
               no_border("insideH"), no_border("insideV")),
            el("w:tblLayout", {"w:type": "fixed"}),
            el("w:tblCellMar", None, el("w:left", {"w:w": 0, "w:type": "dxa"}),
               el("w:right", {"w:w": 0, "w:type": "dxa"})),
        )  # fmt: skip
        tbl = el("w:tbl", None, tbl_pr, el("w:tblGrid", None, el("w:gridCol", {"w:w": width})))
        for p, rule_above in rows:
            tc_pr = el(
                "w:tcPr",
                None,
                el("w:tcW", {"w:w": width, "w:type": "dxa"}),
                el("w:tcBorders", None, border("top", CLOSING_INNER, space=0)) if rule_above else None,
            )
            tbl.append(el("w:tr", None, el("w:trPr", None, el("w:cantSplit")), el("w:tc", None, tc_pr, p)))
        return tbl
