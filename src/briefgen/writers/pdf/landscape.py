"""Turn flowables (a wide table with its caption and note) into landscape pages that keep the portrait page number, per GB/T 9704 §8.

The sheet stays A4 portrait and the type area stays where it is; the content is set in that
area turned 90° counter-clockwise, so the table head faces the binding edge on odd pages and the
outer edge on even pages (both on the left of the sheet). The page number is drawn by the page
template in its usual portrait place, upright on the sheet. The page gets ``/Rotate 90`` so PDF
viewers show the table upright (and the page number sideways, as on the printed sheet turned).
"""

from __future__ import annotations

from reportlab.platypus import Flowable

from briefgen.writers.pdf.flowables import GridSnap, KeepLines, SoftPageBreak, TextBlock
from briefgen.writers.pdf.tables import RowTable

_FUZZ = 1e-6
BALANCE_STEP = 6.0  # pt: how much less room each try at balancing two turned pages gives the first


def _used(placed: list[tuple[Flowable, float]]) -> float:
    """Height the placed flowables take on a turned page, with the spaces between them."""
    total = 0.0
    for i, (f, h) in enumerate(placed):
        total += h + (float(f.getSpaceBefore()) if i else 0.0) + float(f.getSpaceAfter())
    return total


class LandscapePages(Flowable):
    """Content set across the turned type area: one flowable per rotated page, splitting onward."""

    def __init__(self, content: list[Flowable], page_height: float) -> None:
        super().__init__()
        # page-flow helpers mean nothing on a turned page (this flowable does the page breaking)
        self.content = [f for f in content if not isinstance(f, (KeepLines, GridSnap, SoftPageBreak))]
        self.full = page_height  # the frame's height: the turned area's width
        self._placed: list[tuple[Flowable, float]] | None = None

    @property
    def toc_key(self) -> str | None:
        """A heading carried onto the landscape page records its page for the TOC."""
        return getattr(self.content[0], "toc_key", None) if self.content else None

    def _layout(self, lw: float, lh: float) -> tuple[list[tuple[Flowable, float]], list[Flowable]]:
        """Flowables (with heights) that fit one turned page, and the rest."""
        placed: list[tuple[Flowable, float]] = []
        rest = list(self.content)
        used = 0.0
        while rest:
            f = rest[0]
            gap = float(f.getSpaceBefore()) if placed else 0.0
            _, h = f.wrap(lw, lh)
            if used + gap + h <= lh + _FUZZ:
                placed.append((rest.pop(0), h))
                used += gap + h + float(f.getSpaceAfter())
                continue
            room = lh - used - gap
            parts = f.split(lw, room) if room > 0 else []
            h1 = parts[0].wrap(lw, room)[1] if len(parts) == 1 else 0.0
            if len(parts) == 1 and h1 <= room + _FUZZ:  # set tighter to stay whole
                placed.append((parts[0], h1))
                rest.pop(0)
                used += gap + h1 + float(f.getSpaceAfter())
                continue
            if len(parts) >= 2:
                _, h0 = parts[0].wrap(lw, room)
                placed.append((parts[0], h0))
                rest = [f for f in parts[1:] if not isinstance(f, SoftPageBreak)] + rest[1:]
            elif not placed:  # nothing fits on an empty page: set it anyway (clipped by nothing)
                placed.append((rest.pop(0), h))
            break
        if rest and placed and all(isinstance(f, TextBlock) for f in rest) and isinstance(placed[-1][0], RowTable):
            # a note never stands alone: the table's last rows go over with it
            table, th = placed[-1]
            parts = [f for f in table.split(lw, th - 1.0) if not isinstance(f, SoftPageBreak)]
            if len(parts) >= 2:
                placed[-1] = (parts[0], parts[0].wrap(lw, lh)[1])
                rest = [*parts[1:], *rest]
        return placed, rest

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        placed, rest = self._layout(self.full, aw)
        self._placed = placed
        self._rest = rest
        self.height = self.full * (1 + (1 if rest else 0))
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        if ah < self.full - 0.5:
            return []  # start on a fresh page
        placed, rest = self._layout(self.full, aw)
        if not rest:
            return []
        placed, rest = self._balanced(aw, placed, rest)
        first = LandscapePages([f for f, _ in placed], self.full)
        return [first, LandscapePages(rest, self.full)]

    def _balanced(self, aw: float, placed: list[tuple[Flowable, float]],
                  rest: list[Flowable]) -> tuple[list[tuple[Flowable, float]], list[Flowable]]:
        """When what spills fits one more turned page, the two pages share it evenly instead of
        the second holding a header and two rows: the page after it is portrait anyway, so the
        first page gives up rows until it is about as full as the second (never less full)."""
        second, more = LandscapePages(rest, self.full)._layout(self.full, aw)
        if more:
            return placed, rest
        best = (placed, rest)
        room = aw - BALANCE_STEP
        while room > aw / 2:
            p, r = self._layout(self.full, room)
            s2, m2 = LandscapePages(r, self.full)._layout(self.full, aw)
            if not r or m2 or _used(p) < _used(s2):
                break
            best = (p, r)
            room = min(room, _used(p)) - BALANCE_STEP
        return best

    def draw(self) -> None:
        canv = self.canv
        lw, lh = self.full, self.width
        placed = self._placed if self._placed is not None else self._layout(lw, lh)[0]
        canv.saveState()
        # (u, v) in the turned area → (x, y) = (aw − v, u): its top edge lies on the sheet's left
        canv.translate(self.width, 0)
        canv.rotate(90)
        y = lh
        for i, (f, h) in enumerate(placed):
            if i:
                y -= float(f.getSpaceBefore())
            y -= h
            f.drawOn(canv, 0, y)
            y -= float(f.getSpaceAfter())
        canv.restoreState()
        canv.briefgen_turned = True  # BriefDocTemplate.handle_pageEnd sets /Rotate 90
