"""Turn a tree ``Table`` into flowables: caption, a row-splitting ReportLab table with CJK cells, and the source note.

ReportLab's ``Table.split`` re-measures every remaining row at every page break, which is
quadratic for long tables. ``RowTable`` measures each row once (prefix sums of row heights),
and on each page hands ReportLab a ``Table`` holding only that page's rows, with
``repeatRows`` header rows in front. A 10,000-row table stays linear.
"""

from __future__ import annotations

import bisect
import copy
import itertools
from dataclasses import replace

from reportlab.lib.colors import black
from reportlab.platypus import Flowable, TableStyle
from reportlab.platypus import Table as RLTable

from briefgen.errors import BriefError
from briefgen.i18n import _
from briefgen.model.theme import FontRole
from briefgen.tree import Table, TableCell
from briefgen.typeset.linebreak import Line, Piece, WidthCache
from briefgen.typeset.table_layout import Cell as LayoutCell
from briefgen.typeset.table_layout import (
    break_cell,
    figure_pads,
    measure_cell,
    prune_table,
)
from briefgen.typeset.table_widths import fit_columns
from briefgen.writers.context import CellLine, LaidTable
from briefgen.writers.pdf.flowables import PdfText, SoftPageBreak, TextBlock, TextStyle, draw_line

PAD_X = 4.0
PAD_X_TIGHT_EM = 0.25  # a crowded table's padding (half an em between columns), when that
# spares a cell a short last line
PAD_Y = 3.0
# A table that would leave a few rows alone on the next page is set with less padding above and
# below each cell when that keeps it whole: at most TAIL_ROWS rows and a quarter of its rows.
PAD_Y_TIGHT = 1.0
TAIL_ROWS = 3
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


class SourceNote(TextBlock):
    """A table's source note, whose last line never holds only one or two characters when
    they can be pulled down (``break_cell``); the lines that give them up are set ragged."""

    @classmethod
    def of(cls, block: TextBlock) -> SourceNote:
        fixed = block._lines if block._fixed else None  # a part of a note split across pages
        return cls(block.pieces, block.style, block.text, bookmark=block.bookmark, lines=fixed,
                   first=block.first, last=block.last)  # fmt: skip

    def lines(self, aw: float) -> list[Line]:
        fresh = not self._fixed and (self._lines is None or abs(aw - self._aw) > _FUZZ)
        lines = super().lines(aw)
        st = self.style
        if fresh and len(lines) > 1 and not (st.first_indent or st.rest_indent):
            better = break_cell(self.pieces, aw - st.right_indent, self.text.widths,
                                tracking=st.tracking, align=st.align)  # fmt: skip
            if len(better) == len(lines) and len(better[-1].text) > len(lines[-1].text):
                self._lines = lines = better
        return lines


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
        note: Flowable | None = None,
        _shared: _Layout | None = None,
        _start: int = 0,
        _end: int | None = None,
    ) -> None:
        super().__init__()
        # the source note: drawn under the last row, never on a page of its own
        self.note = SourceNote.of(note) if type(note) is TextBlock else note
        self.source = table  # the tree's table: the layout cache key (pruning makes a copy)
        self.table = table if _shared is not None else prune_table(table)
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
            key = (id(self.source), round(aw, 3))
            got = self.text.tables.get(key)
            # the entry holds the table itself, so its id cannot be reused by another object
            if isinstance(got, tuple) and got[0] is self.source and isinstance(got[1], _Layout):
                self._layout = got[1]  # the same table at the same width in an earlier pass
            else:
                self._layout = _Layout.build(self.table, self.text, aw, self.body_style, self.header_style,
                                             self.strong_role, self.text.theme.type_area_height * 0.9)  # fmt: skip
                self.text.tables[key] = (self.source, self._layout)
            if self._end is None:
                self._end = len(self._layout.body)
        return self._layout

    def _rows(self) -> tuple[int, int]:
        assert self._layout is not None
        end = len(self._layout.body) if self._end is None else self._end
        return self._start, end

    def lead_height(self, aw: float, rows: int = 2) -> float:
        """Header plus the first ``rows`` body rows (group heading rows not counted; one when
        rows are taller than a quarter page): what must fit before the table may start; the
        whole table with its note when that is short."""
        lay = self.layout(aw)
        s, e = self._rows()
        end = s
        n = 0
        tall = self.text.theme.type_area_height / 4  # very tall rows: one is enough to start
        while end < e and n < rows and not (n and lay.prefix[end] - lay.prefix[s] > tall):
            n += not lay.group[end]
            end += 1
        if e - end <= 2 and lay.header_height + lay.prefix[e] - lay.prefix[s] <= tall:
            end = e  # a short table stays whole
        lead = lay.header_height + lay.prefix[end] - lay.prefix[s]
        return lead + (self._note_height(aw) if end == e else 0.0)

    def _note_height(self, aw: float) -> float:
        if self.note is None:
            return 0.0
        return float(self.note.wrap(aw, 1e9)[1]) + float(self.note.getSpaceBefore())

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        lay = self.layout(aw)
        s, e = self._rows()
        self.width = aw
        self.table_height = lay.header_height + lay.prefix[e] - lay.prefix[s]
        self.height = self.table_height + self._note_height(aw)
        return aw, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        lay = self.layout(aw)
        s, e = self._rows()
        room = ah - lay.header_height
        whole = lay.prefix[e] - lay.prefix[s]
        if whole <= room + _FUZZ:  # the rows fit but their note does not
            across = self._note_across(aw, room - whole, s, e)
            if across:
                return across
            frame = getattr(self, "_frame", None)
            if e - s <= 3 and not (frame is not None and frame._atTop):  # rows go with it
                return []
            if e - s <= 3 and self.note is not None:  # already on a page of their own: the note follows
                rows = RowTable(self.table, self.text, self.body_style, self.header_style, self.strong_role,
                                _shared=self.layout(aw), _start=s, _end=e)  # fmt: skip
                return [rows, self.note]
            # the note takes the last two rows with it, or one where that row alone is tall: two
            # rows of five lines each would leave a third of this page empty
            last = lay.prefix[e] - lay.prefix[e - 1]
            keep = 1 if last >= self.text.theme.type_area_height / 8 else 2
            room = min(room, whole - _FUZZ - (lay.prefix[e] - lay.prefix[e - keep]))
        # largest k with prefix[s + k] - prefix[s] <= room
        k = bisect.bisect_right(lay.prefix, lay.prefix[s] + room + _FUZZ, s, e + 1) - 1 - s
        if k <= 0:
            frame = getattr(self, "_frame", None)
            if frame is not None and frame._atTop:
                raise BriefError.at(
                    _("a table row is taller than a page ({height} pt)").format(
                        height=f"{lay.prefix[s + 1] - lay.prefix[s]:.0f}"),
                    hint=_("shorten the cell text or split the row"), code="E-ROW-TOO-TALL",
                )
            return []
        if k >= e - s:
            return []
        tight = self._tightened(aw, ah, s, e, k)
        if tight is not None:
            return [tight]
        fits = k
        tall = self.text.theme.type_area_height / 8
        if e - s - k < 2 and e - s >= 4 and lay.prefix[e] - lay.prefix[e - 1] < tall:
            k = e - s - 2  # no single (short) orphan row on the next page
        while k > 0 and lay.group[s + k - 1]:
            k -= 1  # a group heading row (分类 row) goes with its first row
        if k <= 0:
            return []

        first = RowTable(self.table, self.text, self.body_style, self.header_style, self.strong_role,
                         _shared=lay, _start=s, _end=s + k)  # fmt: skip
        rest = RowTable(self.table, self.text, self.body_style, self.header_style, self.strong_role,
                        note=self.note, _shared=lay, _start=s + k, _end=e)  # fmt: skip
        # rows held back for the next page must start it, not follow on this one with a header
        return [first, rest] if k == fits else [first, SoftPageBreak(), rest]

    def _note_across(self, aw: float, room: float, s: int, e: int) -> list[Flowable]:
        """Every row with the head of a long note (a list of sources) in ``room`` under them and
        the rest of the note on the next page — two lines or more on each side
        (``TextBlock.split``) — rather than the last rows moving with the whole note; ``[]``
        when the note does not split there."""
        if self.note is None:
            return []
        parts = self.note.split(aw, room - float(self.note.getSpaceBefore()))
        if len(parts) != 2:
            return []
        rows = RowTable(self.table, self.text, self.body_style, self.header_style, self.strong_role,
                        note=parts[0], _shared=self.layout(aw), _start=s, _end=e)  # fmt: skip
        return [rows, parts[1]]

    def _tightened(self, aw: float, ah: float, s: int, e: int, k: int) -> RowTable | None:
        """The whole table with ``PAD_Y_TIGHT`` cell padding when only a short tail (``TAIL_ROWS``,
        a quarter of the rows) would go to the next page and that padding keeps it on this one;
        a three-line table only when its rows are one line each."""
        lay = self.layout(aw)
        tail = e - s - k
        if s != 0 or e != len(lay.body) or not 0 < tail <= TAIL_ROWS or 4 * tail > e - s:
            return None
        if self.table.style != "grid" and any(len(c.lines) > 1 for row in lay.body for c in row):
            return None  # without rules between rows, the padding is what tells multi-line rows apart
        tight = lay.tightened(PAD_Y_TIGHT)
        if tight.header_height + tight.prefix[e] + self._note_height(aw) > ah + _FUZZ:
            return None
        self.text.tightened[(id(self.source), round(aw, 3))] = (self.source, tight)
        return RowTable(self.table, self.text, self.body_style, self.header_style, self.strong_role,
                        note=self.note, _shared=tight, _start=s, _end=e)  # fmt: skip

    def draw(self) -> None:
        lay = self.layout(self.width)
        s, e = self._rows()
        rl = lay.reportlab_table(s, e, self.table.style)
        rl.wrapOn(self.canv, self.width, self.table_height)
        below = self.height - self.table_height
        rl.drawOn(self.canv, 0, below)
        if self.note is not None:
            self.note.wrapOn(self.canv, self.width, below)
            self.note.drawOn(self.canv, 0, 0)


class _Layout:
    """Cells broken into lines at the table's column widths, and row-height prefix sums."""

    def __init__(self) -> None:
        self.width = 0.0
        self.font = ""
        self.col_widths: list[float] = []
        self.pad_x = PAD_X
        self.header: list[list[CellText]] = []
        self.header_heights: list[float] = []
        self.body: list[list[CellText]] = []
        self.group: list[bool] = []  # body row is a group heading: first cell strong, rest empty
        self.prefix: list[float] = [0.0]
        self.header_height = 0.0
        self.pad_y = PAD_Y
        self.figure_pads: list[list[float]] = []  # per column: right padding per body row
        self.cell_lines: list[tuple[tuple[CellLine, ...], ...]] = []  # per row (header first), per column

    def tightened(self, pad_y: float) -> _Layout:
        """The same lines with ``pad_y`` above and below each cell instead of ``PAD_Y``."""
        out = copy.copy(self)
        cut = 2 * (self.pad_y - pad_y)
        out.pad_y = pad_y
        out.header_heights = [h - cut for h in self.header_heights]
        out.header_height = sum(out.header_heights)
        out.prefix = [0.0]
        for a, b in itertools.pairwise(self.prefix):
            out.prefix.append(out.prefix[-1] + (b - a) - cut)
        return out

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
        hr = min(max(table.header_rows, 0), len(table.rows))
        pads = _figure_pads(table, text, body_style, hr, ncols)
        lay.col_widths, lay.pad_x = column_fit(table, text, aw, body_style, header_style, pads)
        lay.figure_pads = pads
        memo: dict[tuple[str, str, int, str, bool, float], list[Line]] = {}  # repeated short cells
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
                pad = pads[ci][ri - hr] if not is_header and pads[ci] else 0.0
                key = (cell.text, role, ci, cell.align, is_header, pad)
                lines = memo.get(key)
                if lines is None:
                    pieces: list[Piece] = text.pieces(cell.text, role, st.size)
                    lines = break_cell(
                        pieces,
                        lay.col_widths[ci] - 2 * lay.pad_x - pad,
                        text.widths,
                        tracking=st.tracking,
                        align=cell.align,
                    )
                    if len(cell.text) < 40:
                        memo[key] = lines
                offset = text.baseline(st.leading, st.size)
                cells.append(CellText(lines, st.leading, offset))
                height = max(height, len(lines))
            for ci, ct in enumerate(cells):  # a short last line may take lines the row has anyway
                if 1 < len(ct.lines) < height and len(ct.lines[-1].text.strip()) <= 2:
                    cell = row[ci] if ci < len(row) else TableCell("")
                    role = strong_role if cell.strong and not is_header else st.role
                    pad = pads[ci][ri - hr] if not is_header and pads[ci] else 0.0
                    ct.lines = break_cell(text.pieces(cell.text, role, st.size),
                                          lay.col_widths[ci] - 2 * lay.pad_x - pad, text.widths,
                                          tracking=st.tracking, align=cell.align, max_lines=height)  # fmt: skip
            lay.cell_lines.append(tuple(tuple(_cell_line(ln, text.widths, st.tracking) for ln in ct.lines) for ct in cells))
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
            ("LEFTPADDING", (0, 0), (-1, -1), self.pad_x),
            ("RIGHTPADDING", (0, 0), (-1, -1), self.pad_x),
            ("TOPPADDING", (0, 0), (-1, -1), self.pad_y),
            ("BOTTOMPADDING", (0, 0), (-1, -1), self.pad_y),
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


def _cell_line(line: Line, widths: WidthCache, tracking: float) -> CellLine:
    """A cell line's text, how much narrower than at ``tracking`` the PDF set it, and its width."""
    runs = [r for r in line.runs if r.text]
    if not runs:
        return ("", 0.0, 0.0)
    last = runs[-1]
    tc = line.char_space if last.char_space is None else last.char_space
    drawn = last.x + sum(widths(ch, last.font, last.size) + tc for ch in last.text) - runs[0].x
    natural = sum(widths(ch, r.font, r.size) + tracking for r in runs for ch in r.text)
    return (line.text, max(0.0, round(natural - drawn, 3)), round(drawn, 3))


def laid_table(lay: _Layout) -> LaidTable:
    """What the DOCX writer takes from a table's PDF layout (``writers.context.LaidTable``)."""
    return LaidTable(
        float(lay.width),
        tuple(float(w) for w in lay.col_widths),
        float(lay.pad_y),
        float(lay.pad_x),
        tuple(tuple(p) for p in lay.figure_pads),
        tuple(lay.cell_lines),
    )


def _figure_pads(table: Table, text: PdfText, st: TextStyle, hr: int, n: int) -> list[list[float]]:
    """Per column (empty list if none): right padding per body row that lines right-aligned
    figures up on their last integer digit."""
    out: list[list[float]] = []
    seen: dict[str, float] = {}

    def advance(ch: str) -> float:
        w = seen.get(ch)
        if w is None:
            w = seen[ch] = sum(text.widths(c, p.font, st.size) for p in text.pieces(ch, st.role, st.size)
                               for c in p.text)  # fmt: skip
        return w

    for ci in range(n):
        col = [r[ci] if ci < len(r) else TableCell("") for r in table.rows[hr:]]
        if not any(c.align == "right" for c in col):
            out.append([])
            continue
        pads = figure_pads([c.text if c.align == "right" else "" for c in col], advance)
        out.append(pads if any(pads) else [])
    return out


def column_widths(
    table: Table, text: PdfText, aw: float, body: TextStyle, header: TextStyle,
    pads: list[list[float]] | None = None,
) -> list[float]:
    """Column widths in points filling ``aw``, from the shared table layout engine
    (``typeset.table_widths``) measured with the real glyph widths on a sample of rows."""
    return column_fit(table, text, aw, body, header, pads)[0]


def column_fit(
    table: Table, text: PdfText, aw: float, body: TextStyle, header: TextStyle,
    pads: list[list[float]] | None = None,
) -> tuple[list[float], float]:
    """``column_widths`` and the cells' left/right padding: ``PAD_X``, or ``PAD_X_TIGHT_EM`` in a
    crowded table (a quarter em) where that avoids a cell ending in a short line."""
    n = max(table.columns, 1)
    hr = min(max(table.header_rows, 0), len(table.rows))
    if pads is None:
        pads = _figure_pads(table, text, body, hr, n)
    cells = _sample_cells(table, text, n, body, header, pads)
    tight = min(2 * PAD_X, 2 * PAD_X_TIGHT_EM * body.size)
    widths, pad = fit_columns(cells, n, aw, (2 * PAD_X, tight), body.size / 2, weights=table.widths[:n],
                              floor=2 * body.size + 2 * PAD_X, header_rows=hr)  # fmt: skip
    return widths, pad / 2


def _sample_cells(
    table: Table, text: PdfText, n: int, body: TextStyle, header: TextStyle, pads: list[list[float]]
) -> list[list[LayoutCell]]:
    """Per sampled row (header rows, an even spread, the last 50; at most 120): measured cells."""
    hr = min(table.header_rows, len(table.rows))
    rows = table.rows
    step = max(1, (len(rows) - hr) // 70)
    sample = sorted(
        set(range(hr))
        | set(range(hr, len(rows), step))
        | set(range(max(hr, len(rows) - 50), len(rows)))
    )
    out: list[list[LayoutCell]] = []
    for ri in sample:
        st = header if ri < hr else body
        row: list[LayoutCell] = []
        for cell in rows[ri][:n]:
            role = st.strong_role if cell.strong and ri >= hr else st.role
            c = _measure(text, cell.text, role, st.size)
            pad = pads[len(row)][ri - hr] if ri >= hr and pads[len(row)] else 0.0
            if pad and c.figure:  # the alignment padding is part of the figure's width
                c = replace(c, widths=(*c.widths[:-1], c.widths[-1] + pad))
            row.append(c)
        out.append(row)
    return out


def _measure(text: PdfText, s: str, role: FontRole, size: float) -> LayoutCell:
    """The cell's unbreakable clusters at their real glyph widths."""
    if not s:
        return LayoutCell()
    key = (s, str(role), size)
    got = text.cells.get(key)
    if isinstance(got, LayoutCell):
        return got
    widths: dict[str, float] = {}
    for piece in text.pieces(s, role, size):
        for ch in piece.text:
            widths[ch] = text.widths(ch, piece.font, size)
    cell = text.cells[key] = measure_cell(s, lambda ch: widths.get(ch, 0.0))
    return cell
