"""Turn a table's measured cells into column widths (CSS 2.1 automatic layout plus CJK table rules).

Backend-neutral: the PDF writer measures cells with real glyph widths, the DOCX writer with
character units; both hand ``column_layout`` one ``Cell`` per sampled (row, column) — the
widths and character counts of its unbreakable clusters — and get widths that sum to the
available width. The rules (shared/reference/page-quality.md, "Tables"):

* per column, min-content = the widest unbreakable unit (a whole figure cell such as
  ``2022年上半年``, ``11.0亿千瓦时`` or ``增长4.1%``; a Latin word; cells of ≤ 4 characters)
  and max-content = the widest cell on one line (both plus padding);
* if the max widths fit they are used and the rest is shared in proportion to them; otherwise
  every column gets its min plus a share of the rest in proportion to (max − min), so short
  figure columns never wrap and the label column absorbs the wrapping;
* then width moves between columns while that lowers the cost: the rows' total line count plus a
  penalty for each figure cell that wraps and each cell whose last line holds one or two characters.

``prune_table`` drops columns that are empty in every body row (with their header) and
``figure_pads`` right-aligns figures on their last digit (decimal point alignment with
qualifiers such as 超/多/% kept outside the digits).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from briefgen.tree import Table
from briefgen.typeset.linebreak import (
    ALLOW,
    Align,
    Line,
    Measure,
    Piece,
    WidthCache,
    boundary_classes,
    break_lines,
)

_FUZZ = 1e-6
#: A cell is a figure (never wraps) when it has a digit and at most this many characters.
FIGURE_CHARS = 8
#: Cells whose last line holds this many characters or fewer are "short" (to be avoided).
SHORT_LAST = 2
#: Cost of a figure cell that wraps and of a cell ending in a short line, in table lines.
WRAPPED_FIGURE_COST = 4
SHORT_LAST_COST = 1  # a tie-breaker: break_cell rebalances most short last lines without width
#: Tails that take part in decimal alignment: decimals, a percent sign, one qualifier character.
_TAIL = re.compile(r"^(\.\d+)?[%‰％]?[多余超强]?$")
_FIGURE = re.compile(r"^(?P<pre>\D*?)(?P<int>[+\-−±]?\d[\d,]*)(?P<post>.*)$")


@dataclass(frozen=True)
class Cell:
    """One cell as the layout sees it: widths and character counts of its unbreakable clusters."""

    widths: tuple[float, ...] = ()
    chars: tuple[int, ...] = ()
    figure: bool = False

    @property
    def total(self) -> float:
        return sum(self.widths)


def is_figure(text: str) -> bool:
    """A short cell holding a number (value, change, period): it must stay on one line."""
    t = text.strip()
    return 0 < len(t) <= FIGURE_CHARS and any(c.isdigit() for c in t)


def measure_cell(text: str, advance: Callable[[str], float]) -> Cell:
    """Split ``text`` into the clusters the CJK line breaker never breaks inside."""
    if not text:
        return Cell()
    widths: list[float] = []
    chars: list[int] = []
    cur, n = 0.0, 0
    klass = boundary_classes(text)
    for k, ch in enumerate(text):
        if k and klass[k] == ALLOW:
            widths.append(cur)
            chars.append(n)
            cur, n = 0.0, 0
        cur += advance(ch)
        n += 1
    widths.append(cur)
    chars.append(n)
    return Cell(tuple(widths), tuple(chars), is_figure(text))


def fill(cell: Cell, inner: float) -> tuple[int, int]:
    """(lines, characters on the last line) for ``cell`` filled greedily at ``inner`` width."""
    if not cell.widths:
        return 1, 0
    if cell.figure and cell.total <= inner + _FUZZ:
        return 1, sum(cell.chars)
    lines, cur, last = 1, 0.0, 0
    for w, n in zip(cell.widths, cell.chars, strict=True):
        if cur > 0 and cur + w > inner + _FUZZ:
            lines += 1
            cur, last = 0.0, 0
        if w > inner + _FUZZ:  # wider than the column: broken as a last resort
            per = max(inner, 1.0)
            k = int(w // per)
            lines += k
            frac = (w - k * per) / w if w else 0.0
            w, n = w - k * per, max(1, round(n * frac))
        cur += w
        last += n
    return lines, last


def _min_max(
    cells: Sequence[Sequence[Cell]], n: int, pad: float, floor: float
) -> tuple[list[float], list[float], list[float]]:
    """Per column: soft min (figures and ≤ 4-character cells whole), hard min (widest
    cluster) and max-content width, each with ``pad``."""
    soft = [floor] * n
    hard = [floor] * n
    hi = [floor] * n
    for row in cells:
        for j, c in enumerate(row[:n]):
            if not c.widths:
                continue
            whole = c.figure or sum(c.chars) <= 4
            hard[j] = max(hard[j], max(c.widths) + pad)
            soft[j] = max(soft[j], (c.total if whole else max(c.widths)) + pad)
            hi[j] = max(hi[j], c.total + pad)
    return soft, hard, hi


def auto_widths(lo: Sequence[float], hi: Sequence[float], aw: float) -> list[float]:
    """CSS 2.1 §17.5.2.2: max widths if they fit (rest in proportion), else min + share of (max − min)."""
    if sum(lo) >= aw:
        total = sum(lo) or 1.0
        return [aw * w / total for w in lo]
    if sum(hi) <= aw:
        total = sum(hi) or 1.0
        return [w + (aw - sum(hi)) * w / total for w in hi]
    span = sum(h - lo_ for lo_, h in zip(lo, hi, strict=True)) or 1.0
    room = aw - sum(lo)
    return [lo_ + room * (h - lo_) / span for lo_, h in zip(lo, hi, strict=True)]


def _weighted(weights: Sequence[float], lo: Sequence[float], aw: float) -> list[float]:
    """Share ``aw`` by the author's ``weights``, raising columns to their min and rescaling the rest."""
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


def column_layout(
    cells: Sequence[Sequence[Cell]],
    n: int,
    aw: float,
    pad: float,
    step: float,
    *,
    weights: Sequence[float] = (),
    floor: float = 0.0,
) -> list[float]:
    """Column widths summing to ``aw`` for the sampled rows ``cells`` (see the module docstring).

    ``pad`` is a cell's horizontal padding (both sides), ``step`` the unit width moves in
    (half a character), ``weights`` the author's relative widths (honoured as the start, never
    below a column's min), ``floor`` the least width of any column.
    """
    if n <= 0:
        return []
    lo, hard, hi = _min_max(cells, n, pad, floor)
    if sum(lo) > aw:  # figures cannot all stay whole: let the search decide which wrap
        lo = hard
    if len(weights) == n and all(w > 0 for w in weights) and sum(lo) < aw:
        start = _weighted(weights, lo, aw)
    else:
        start = auto_widths(lo, hi, aw)
    if sum(lo) >= aw or not cells or n < 2:
        return start
    return _improve(start, lo, cells, n, pad, step)


def _improve(
    start: list[float], lo: list[float], cells: Sequence[Sequence[Cell]], n: int, pad: float, step: float
) -> list[float]:
    """Move width between columns while the cost (lines of all rows, plus a penalty per wrapped
    figure and per short last line) decreases."""
    memo: dict[tuple[int, int], tuple[list[int], int, int]] = {}
    empty = Cell()

    def col(j: int, w: float) -> tuple[list[int], int, int]:
        key = (j, round(w * 8))
        got = memo.get(key)
        if got is None:
            lines: list[int] = []
            wrapped = short = 0
            for row in cells:
                c = row[j] if j < len(row) else empty
                k, last = fill(c, w - pad)
                lines.append(k)
                if k > 1 and c.figure:
                    wrapped += 1
                if k > 1 and last <= SHORT_LAST:
                    short += 1
            got = memo[key] = (lines, wrapped, short)
        return got

    def score(ws: list[float]) -> int:
        cs = [col(j, ws[j]) for j in range(n)]
        height = sum(map(max, zip(*(c[0] for c in cs), strict=True)))
        return height + WRAPPED_FIGURE_COST * sum(c[1] for c in cs) + SHORT_LAST_COST * sum(c[2] for c in cs)

    out = list(start)
    best = score(out)
    for _ in range(120):
        cs = [col(j, out[j]) for j in range(n)]
        takers = [j for j in range(n) if cs[j][1] or cs[j][2] or max(cs[j][0]) > 1]
        move: tuple[int, float, list[float]] | None = None
        for r in takers:
            for d in range(n):
                if d == r:
                    continue
                for k in (1, 2, 3, 4, 6, 8, 12, 16):
                    delta = k * step
                    if out[d] - delta < lo[d] - _FUZZ:
                        break
                    trial = list(out)
                    trial[r] += delta
                    trial[d] -= delta
                    s = score(trial)
                    if s < best and (move is None or s < move[0] or (s == move[0] and delta < move[1])):
                        move = (s, delta, trial)
            # a short last line may also go away by narrowing: more characters come down
            for k in (1, 2, 3, 4):
                delta = k * step
                if out[r] - delta < lo[r] - _FUZZ:
                    break
                for d in range(n):
                    if d == r:
                        continue
                    trial = list(out)
                    trial[r] -= delta
                    trial[d] += delta
                    s = score(trial)
                    if s < best and (move is None or s < move[0]):
                        move = (s, delta, trial)
        if move is None:
            break
        best, _, out = move
    return out


# ---------------------------------------------------------------- table content rules


def prune_table(table: Table) -> Table:
    """``table`` without the columns that are empty in every body row (their header goes too)."""
    n = table.columns
    hr = min(max(table.header_rows, 0), len(table.rows))
    body = table.rows[hr:]
    if n < 2 or not body:
        return table
    keep = [j for j in range(n) if any(j < len(r) and r[j].text.strip() for r in body)]
    if len(keep) == n or not keep:
        return table
    rows = [[r[j] for j in keep if j < len(r)] for r in table.rows]
    widths = [table.widths[j] for j in keep] if len(table.widths) == n else []
    return replace(table, rows=rows, widths=widths)


def figure_split(text: str) -> tuple[str, str, str] | None:
    """(qualifier before, integer digits, rest) of a figure cell: ``超5300`` → (超, 5300, "")."""
    m = _FIGURE.match(text.strip())
    if m is None or not is_figure(text):
        return None
    return m.group("pre"), m.group("int"), m.group("post")


def figure_pads(texts: Sequence[str], advance: Callable[[str], float]) -> list[float]:
    """Extra right padding per cell so right-aligned figures line up on their last integer digit
    (the decimal point): each cell is padded by how much narrower its tail (``.53``, ``%``,
    ``多``) is than the column's widest tail. Non-figure cells get 0."""
    tails: list[float | None] = []
    for t in texts:
        parts = figure_split(t)
        ok = parts is not None and _TAIL.match(parts[2]) is not None
        tails.append(sum(advance(c) for c in parts[2]) if ok and parts else None)
    widest = max((t for t in tails if t is not None), default=0.0)
    return [0.0 if t is None else widest - t for t in tails]


def _clean_breaks(lines: Sequence[Line], klass: Sequence[int]) -> bool:
    """Does every break between ``lines`` fall where the line breaker allows one (none forced)?"""
    pos = 0
    for ln in lines[:-1]:
        pos += len(ln.text) + len(ln.hang)
        if pos < len(klass) and klass[pos] != ALLOW:
            return False
    return True


def break_cell(
    pieces: Sequence[Piece],
    width: float,
    widths: WidthCache | Measure,
    *,
    tracking: float = 0.0,
    align: Align = "left",
    max_lines: int = 0,
) -> list[Line]:
    """A cell's lines: ``break_lines``, except that a last line of one or two characters is
    avoided by breaking the cell narrower (characters moved down): in as many lines, or up to
    ``max_lines`` (the lines its row takes anyway)."""
    lines = break_lines(pieces, width, widths, tracking=tracking, align=align)
    if len(lines) < 2 or len(lines[-1].text.strip()) > SHORT_LAST:
        return lines
    n = len(lines)
    text = "".join(p.text for p in pieces)
    klass = boundary_classes(text)
    size = max((p.size for p in pieces), default=1.0)
    best, used = lines, width
    w = width - size / 4
    limit = max(n, max_lines)
    while w > width * (n - 1) / limit:  # the widest narrower width that brings characters down
        trial = break_lines(pieces, w, widths, tracking=tracking, align=align)
        if len(trial) > limit:
            break
        last = len(trial[-1].text.strip())
        if last > len(best[-1].text.strip()) and _clean_breaks(trial, klass):
            best, used = trial, w  # better: a two-character word (排名) rather than one character
            if last > SHORT_LAST:
                break
        w -= size / 4
    if best is not lines and align in ("center", "right"):
        shift = (width - used) / (2 if align == "center" else 1)
        for ln in best:
            ln.x += shift
    return best
