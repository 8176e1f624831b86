"""Turn a tree ``Table`` into flowables: caption, a row-splitting ReportLab table with CJK cells, and the source note.

ReportLab's ``Table.split`` re-measures every remaining row at every page break, which is
quadratic for long tables. ``RowTable`` measures each row once (prefix sums of row heights),
and on each page hands ReportLab a ``Table`` holding only that page's rows, with
``repeatRows`` header rows in front. A 10,000-row table stays linear.
"""

from __future__ import annotations

import bisect

from reportlab.lib.colors import black
from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus import Table as RLTable

from briefgen.errors import BriefError
from briefgen.model.theme import FontRole
from briefgen.tree import Table, TableCell
from briefgen.typeset.linebreak import Line, Piece, break_lines
from briefgen.typeset.table_fit import balance, clusters
from briefgen.writers.pdf.flowables import PdfText, SoftPageBreak, TextStyle, draw_line

PAD_X = 4.0
PAD_Y = 3.0
RULE_THICK = 1.0  # 三线表 top and bottom rules
RULE_THIN = 0.5  # rule under the header; grid lines
_FUZZ = 1e-6


class CellText(Flowable):
    """The already-broken lines of one table cell."""

    def __init__(self, lines: list[Line], leading: float, offset: float) -> None:
        super().__init__()
        self.lines = lines
        self.leading = leading
        self.offset = offset  # baseline offset from each line box top

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.width = aw
        self.height = max(len(self.lines), 1) * self.leading
        return aw, self.height

    def draw(self) -> None:
        for i, ln in enumerate(self.lines):
            draw_line(self.canv, ln, 0.0, self.height - i * self.leading - self.offset)


class RowTable(Flowable):
    """A table that splits between rows in O(rows on the page), repeating its header rows."""

    def __init__(
        self,
        table: Table,
        text: PdfText,
        body_style: TextStyle,
        header_style: TextStyle,
        strong_role: FontRole,
        *,
        _shared: _Layout | None = None,
        _start: int = 0,
        _end: int | None = None,
    ) -> None:
        super().__init__()
        self.table = table
        self.text = text
        self.body_style = body_style
        self.header_style = header_style
        self.strong_role = strong_role
        self._layout = _shared
        self._start = _start
        self._end = _end

    # -------------------------------------------------------------- layout

    def layout(self, aw: float) -> _Layout:
        if self._layout is None or abs(self._layout.width - aw) > _FUZZ:
            self._layout = _Layout.build(self.table, self.text, aw, self.body_style, self.header_style,
                                         self.strong_role, self.text.theme.type_area_height * 0.9)  # fmt: skip
            if self._end is None:
                self._end = len(self._layout.body)
        return self._layout

    def _rows(self) -> tuple[int, int]:
        assert self._layout is not None
        end = len(self._layout.body) if self._end is None else self._end
        return self._start, end

    def lead_height(self, aw: float, rows: int = 2) -> float:
        """Header plus the first ``rows`` body rows: what must fit before the table may start."""
        lay = self.layout(aw)
        s, e = self._rows()
        return lay.header_height + lay.prefix[min(s + rows, e)] - lay.prefix[s]

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        lay = self.layout(aw)
        s, e = self._rows()
        self.width = aw
        self.height = lay.header_height + lay.prefix[e] - lay.prefix[s]
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        lay = self.layout(aw)
        s, e = self._rows()
        room = ah - lay.header_height
        # largest k with prefix[s + k] - prefix[s] <= room
        k = bisect.bisect_right(lay.prefix, lay.prefix[s] + room + _FUZZ, s, e + 1) - 1 - s
        if k <= 0:
            frame = getattr(self, "_frame", None)
            if frame is not None and frame._atTop:
                raise BriefError.at(
                    f"a table row is taller than a page ({lay.prefix[s + 1] - lay.prefix[s]:.0f} pt)",
                    hint="shorten the cell text or split the row",
                )
            return []
        if k >= e - s:
            return []
        fits = k
        if e - s - k < 2 and e - s >= 4:
            k = e - s - 2  # no single orphan row on the next page
        while k > 0 and lay.group[s + k - 1]:
            k -= 1  # a group heading row (分类 row) goes with its first row
        if k <= 0:
            return []

        first = RowTable(self.table, self.text, self.body_style, self.header_style, self.strong_role,
                         _shared=lay, _start=s, _end=s + k)  # fmt: skip
        rest = RowTable(self.table, self.text, self.body_style, self.header_style, self.strong_role,
                        _shared=lay, _start=s + k, _end=e)  # fmt: skip
        # rows held back for the next page must start it, not follow on this one with a header
        return [first, rest] if k == fits else [first, SoftPageBreak(), rest]

    def draw(self) -> None:
        lay = self.layout(self.width)
        s, e = self._rows()
        rl = lay.reportlab_table(s, e, self.table.style)
        rl.wrapOn(self.canv, self.width, self.height)
        rl.drawOn(self.canv, 0, 0)


class _Layout:
    """Cells broken into lines at the table's column widths, and row-height prefix sums."""

    def __init__(self) -> None:
        self.width = 0.0
        self.font = ""
        self.col_widths: list[float] = []
        self.header: list[list[CellText]] = []
        self.header_heights: list[float] = []
        self.body: list[list[CellText]] = []
        self.group: list[bool] = []  # body row is a group heading: first cell strong, rest empty
        self.prefix: list[float] = [0.0]
        self.header_height = 0.0

    @classmethod
    def build(
        cls,
        table: Table,
        text: PdfText,
        aw: float,
        body_style: TextStyle,
        header_style: TextStyle,
        strong_role: FontRole,
        max_height: float,
    ) -> _Layout:
        lay = cls()
        lay.width = aw
        lay.font = text.font(body_style.role)
        ncols = max(table.columns, 1)
        lay.col_widths = column_widths(table, text, aw, body_style, header_style)
        hr = min(max(table.header_rows, 0), len(table.rows))
        memo: dict[tuple[str, str, int, str, bool], list[Line]] = {}  # repeated short cells
        for ri, row in enumerate(table.rows):
            is_header = ri < hr
            st = header_style if is_header else body_style
            cells: list[CellText] = []
            height = 1
            for ci in range(ncols):
                cell = row[ci] if ci < len(row) else TableCell("")
                role = st.role
                if cell.strong and not is_header:
                    role = strong_role
                key = (cell.text, role, ci, cell.align, is_header)
                lines = memo.get(key)
                if lines is None:
                    pieces: list[Piece] = text.pieces(cell.text, role, st.size)
                    lines = break_lines(
                        pieces,
                        lay.col_widths[ci] - 2 * PAD_X,
                        text.widths,
                        tracking=st.tracking,
                        align=cell.align,
                    )
                    if len(cell.text) < 40:
                        memo[key] = lines
                offset = text.baseline(st.leading, st.size)
                cells.append(CellText(lines, st.leading, offset))
                height = max(height, len(lines))
            row_h = height * st.leading + 2 * PAD_Y
            if is_header:
                lay.header.append(cells)
                lay.header_heights.append(row_h)
                continue
            # a row taller than a page continues as further rows (its cells' next lines)
            header_h = sum(lay.header_heights)
            fit = max(1, int((max_height - header_h - 2 * PAD_Y) // st.leading))
            for j in range(0, height, fit):
                part = (
                    [CellText(c.lines[j : j + fit], c.leading, c.offset) for c in cells]
                    if height > fit
                    else cells
                )
                n = min(fit, height - j)
                lay.body.append(part)
                lay.group.append(
                    height <= fit
                    and bool(row)
                    and row[0].strong
                    and bool(row[0].text)
                    and all(not c.text for c in row[1:])
                )
                lay.prefix.append(lay.prefix[-1] + n * st.leading + 2 * PAD_Y)
        lay.header_height = sum(lay.header_heights)
        return lay

    def reportlab_table(self, s: int, e: int, style: str) -> RLTable:
        data = [list(r) for r in self.header] + [list(r) for r in self.body[s:e]]
        heights = self.header_heights + [self.prefix[i + 1] - self.prefix[i] for i in range(s, e)]
        hr = len(self.header)
        cmds: list[tuple[object, ...]] = [
            ("LEFTPADDING", (0, 0), (-1, -1), PAD_X),
            ("RIGHTPADDING", (0, 0), (-1, -1), PAD_X),
            ("TOPPADDING", (0, 0), (-1, -1), PAD_Y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), PAD_Y),
            ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
            # ReportLab sets each cell's font even for flowable cells: keep it an embedded
            # TrueType font, or an unembedded Helvetica lands in the resources
            ("FONT", (0, 0), (-1, -1), self.font, 10),
        ]
        if style == "grid":
            cmds += [
                ("GRID", (0, 0), (-1, -1), RULE_THIN, black),
                ("BOX", (0, 0), (-1, -1), RULE_THIN * 1.5, black),
            ]
        else:
            cmds += [
                ("LINEABOVE", (0, 0), (-1, 0), RULE_THICK, black),
                ("LINEBELOW", (0, -1), (-1, -1), RULE_THICK, black),
            ]
            if hr and len(data) > hr:
                cmds.append(("LINEBELOW", (0, hr - 1), (-1, hr - 1), RULE_THIN, black))
        return RLTable(
            data,
            colWidths=self.col_widths,
            rowHeights=heights,
            style=TableStyle(cmds),
            repeatRows=hr,
        )


def column_widths(
    table: Table, text: PdfText, aw: float, body: TextStyle, header: TextStyle
) -> list[float]:
    """Column widths in points filling ``aw``.

    Each column gets a minimum (its widest unbreakable cluster, e.g. a whole number; the whole
    text of cells up to four characters, such as units and short headers) and a natural width
    (its longest cell on one line), measured on a sample of rows. ``table.widths`` are relative
    preferences: honoured, except that no column goes below its minimum. Without them, natural
    widths are stretched to fill, or the widest columns are capped at a common width.
    """
    n = max(table.columns, 1)
    lo, hi, keep, cells = _column_extents(table, text, n, body, header)
    if sum(lo) >= aw:
        total = sum(lo)
        return [aw * w / total for w in lo]
    weights = [float(w) for w in table.widths[:n]]
    start = (
        _weighted(weights, lo, aw)
        if len(weights) == n and all(w > 0 for w in weights)
        else _natural(lo, hi, aw)
    )
    # a column gives width away only down to what keeps its figures (cells with digits, up to
    # 16 characters: values, changes, periods) on one line; its prose may wrap instead
    floor = [max(lo[j], min(start[j], keep[j])) for j in range(n)]
    return balance(start, floor, cells, body.size / 2, 2 * PAD_X)


def _natural(lo: list[float], hi: list[float], aw: float) -> list[float]:
    """Natural widths stretched to fill ``aw``, or the widest capped at a common width."""
    n = len(lo)
    if sum(hi) <= aw:
        total = sum(hi)
        return [aw * w / total for w in hi]
    a, b = 0.0, max(hi)
    for _ in range(50):  # water-fill: the cap c with sum(clamp(c, lo, hi)) == aw
        c = (a + b) / 2
        if sum(max(l_, min(h, c)) for l_, h in zip(lo, hi, strict=True)) > aw:
            b = c
        else:
            a = c
    widths = [max(l_, min(h, a)) for l_, h in zip(lo, hi, strict=True)]
    slack = aw - sum(widths)
    grow = [i for i in range(n) if widths[i] < hi[i]] or list(range(n))
    for i in grow:
        widths[i] += slack / len(grow)
    return widths


def _weighted(weights: list[float], lo: list[float], aw: float) -> list[float]:
    """Share ``aw`` by ``weights``, raising columns to their minimum and rescaling the rest."""
    n = len(weights)
    widths = [0.0] * n
    free = set(range(n))
    room = aw
    while free:
        total = sum(weights[i] for i in free)
        short = [i for i in free if room * weights[i] / total < lo[i]]
        if not short:
            for i in free:
                widths[i] = room * weights[i] / total
            break
        for i in short:
            widths[i] = lo[i]
            room -= lo[i]
            free.discard(i)
    return widths


def _column_extents(
    table: Table, text: PdfText, n: int, body: TextStyle, header: TextStyle
) -> tuple[list[float], list[float], list[float], list[list[list[float]]]]:
    """Per column: minimum, natural and figure-keeping width (see ``column_widths``); per
    sampled row (at most 80): the cells' cluster widths."""
    lo = [2 * body.size + 2 * PAD_X] * n
    hi = list(lo)
    keep_w = [0.0] * n
    cells: list[list[list[float]]] = []
    hr = min(table.header_rows, len(table.rows))
    rows = table.rows
    step = max(1, (len(rows) - hr) // 400)
    sample = sorted(
        set(range(hr))
        | set(range(hr, len(rows), step))
        | set(range(max(hr, len(rows) - 50), len(rows)))
    )
    every = max(1, len(sample) // 80)
    for si, ri in enumerate(sample):
        st = header if ri < hr else body
        row: list[list[float]] = [[] for _ in range(n)]
        for ci, cell in enumerate(rows[ri][:n]):
            if not cell.text:
                continue
            role = st.strong_role if cell.strong and ri >= hr else st.role
            longest, cluster, clusters = _extent(text, cell.text, role, st.size)
            hi[ci] = max(hi[ci], longest + 2 * PAD_X)
            keep = longest if len(cell.text.strip()) <= 4 else cluster
            lo[ci] = max(lo[ci], keep + 2 * PAD_X)
            if len(cell.text) <= 16 and any(c.isdigit() for c in cell.text):
                keep_w[ci] = max(keep_w[ci], longest + 2 * PAD_X)
            row[ci] = clusters
        if si % every == 0:
            cells.append(row)
    return lo, hi, keep_w, cells


def _extent(text: PdfText, s: str, role: FontRole, size: float) -> tuple[float, float, list[float]]:
    """Width of ``s`` on one line, of its widest unbreakable cluster (same rules as lines), and
    of each cluster."""
    chars: list[str] = []
    widths: list[float] = []
    for piece in text.pieces(s, role, size):
        chars.append(piece.text)
        widths += [text.widths(ch, piece.font, size) for ch in piece.text]
    parts = clusters("".join(chars), widths)
    return sum(widths), max(parts), parts
