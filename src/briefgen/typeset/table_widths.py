"""Turn a table's measured cells into column widths: CSS 2.1 automatic layout, then width moved between columns while the table's height and faults fall.

Both writers hand ``column_layout`` (or ``fit_columns``) one ``table_layout.Cell`` per sampled
(row, column) and get widths that sum to the available width. The rules
(shared/reference/page-quality.md, "Tables"; issue 12):

* per column, mins by priority: the widest cluster (a number with its unit is one); figures
  and periods whole (``2022年上半年``, ``增长4.1%``, ``2020年1—8月``) — hard while they all
  fit; cells of ≤ 4 characters and the header's bracketed units (``（亿元）``) whole; cells up
  to ``PHRASE_EM`` whole (each level raised cheapest column first while it fits, the last only
  while wrapping columns keep ``WRAP_EM``) — these two only as where the search starts;
  max-content = the widest cell on one line;
* CSS 2.1 shares the rest (the author's weights as the start), then width moves between
  columns while the cost falls: the table's height (the rows' line counts summed) plus
  penalties for a wrapped figure, a wrapped short phrase and a fault — a cell left with a short
  line (one or two characters last, 苏州、|上海 too), a character alone on a line, a figure split
  (超过|7%) — priced at ``SHORT_LAST_COST`` lines. Moves take width from one column to another
  (in steps, or just enough for a short cell to fit a line), or narrow every column to the
  least width that keeps the cost and give what that frees to one column, or widen a column
  with faults to its next one-line width paid for by all the others (``_funded``) — a short
  label column and a long text column in the same table often need width from several columns
  at once (issue 12: 范围 at three characters, 指标 at five);
* ``fit_columns`` also tries a tighter padding and takes it when the cost falls.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

from briefgen.typeset.table_content import auto_widths, weighted_widths
from briefgen.typeset.table_layout import SHORT_LAST, Cell, fill, flawed

_FUZZ = 1e-6
#: Cost of a figure or period cell that wraps, in table lines (hard while all of them fit).
WRAPPED_FIGURE_COST = 4
#: Cost of a wrapped cell of up to ``PHRASE_EM`` (过去五年|回顾): less than a line of height.
WRAPPED_PHRASE_COST = 1
#: Cost of a cell left with a short line (a last line of one or two characters, a lone one, a
#: figure split), in table lines: about what a typesetter pays in height to avoid one.
SHORT_LAST_COST = 24
#: Cells up to this wide (in ems) are short phrases (kept whole where the table has the width).
PHRASE_EM = 7.0
#: The level of ``_min_max`` that holds short phrases whole (raised only with room to spare).
PHRASE_LEVEL = 3
#: A column that wraps keeps this many ems before short phrases elsewhere are kept whole.
WRAP_EM = 5.0
#: A tighter padding that leaves more faults is taken only when it cuts the cost to this share.
TIGHTER = 0.9
#: Cells of up to this many characters are short (``_targets``: a width that fits one is tried).
SHORT_CELL = 8
#: How many of a column's next one-line widths ``_funded`` tries.
FUNDED_TARGETS = 1
#: Width moves tried between two columns, in ``step``s.
MOVES = (1, 2, 3, 4, 6, 8, 12, 16)

Score = Callable[[Sequence[float]], tuple[float, list[int], int]]


def column_layout(
    cells: Sequence[Sequence[Cell]],
    n: int,
    aw: float,
    pad: float,
    step: float,
    *,
    weights: Sequence[float] = (),
    floor: float = 0.0,
    balanced: bool = True,
    header_rows: int = 0,
) -> list[float]:
    """Column widths summing to ``aw`` for the sampled rows ``cells`` (see the module docstring).

    ``pad`` is a cell's horizontal padding (both sides), ``step`` the unit width moves in
    (half a character), ``weights`` the author's relative widths (honoured as the start, never
    below a column's min), ``floor`` the least width of any column; ``balanced``: the writer
    breaks cells with ``break_cell`` (the PDF), not greedily (Word); ``header_rows``: how
    many of ``cells``' first rows are the header.
    """
    return _layout(cells, n, aw, pad, step, weights, floor, balanced, header_rows)[2]


def fit_columns(
    cells: Sequence[Sequence[Cell]],
    n: int,
    aw: float,
    pads: Sequence[float],
    step: float,
    *,
    weights: Sequence[float] = (),
    floor: float = 0.0,
    balanced: bool = True,
    header_rows: int = 0,
) -> tuple[list[float], float]:
    """``column_layout`` at the first of ``pads`` (the writer's padding), or at a tighter one
    when that costs less without more faults (cells left with a short line, figures wrapped),
    or saves a tenth of the cost; the widths and the padding chosen (remembered: a preview or a
    batch lays the same table out again)."""
    widths, pad = _fit_columns(
        tuple(map(tuple, cells)), n, aw, tuple(pads), step, tuple(weights), floor, balanced, header_rows
    )
    return list(widths), pad


@lru_cache(maxsize=256)
def _fit_columns(
    cells: tuple[tuple[Cell, ...], ...],
    n: int,
    aw: float,
    pads: tuple[float, ...],
    step: float,
    weights: tuple[float, ...],
    floor: float,
    balanced: bool,
    header_rows: int,
) -> tuple[tuple[float, ...], float]:
    best: tuple[float, int, list[float]] | None = None
    chosen = pads[0] if pads else 0.0
    for pad in pads:
        got = _layout(cells, n, aw, pad, step, weights, floor, balanced, header_rows)
        if best is None or (
            got[0] < best[0] - _FUZZ and (got[1] <= best[1] or got[0] <= TIGHTER * best[0])
        ):
            best, chosen = got, pad
        if best[1] == 0 and best[0] <= 1.5 * len(cells):
            break  # no faults and rows of about one line: not crowded
    return ((), chosen) if best is None else (tuple(best[2]), chosen)


def layout_score(
    cells: Sequence[Sequence[Cell]], n: int, pad: float, widths: Sequence[float], balanced: bool = True
) -> tuple[int, int]:
    """(lines of all rows, faults: cells left with a short line or figures wrapped) of ``cells``
    at ``widths``, as ``column_layout`` counts them."""
    faults = _scorer(cells, n, pad, balanced)(widths)[2]
    height = sum(
        max((fill(c, widths[j] - pad, balanced)[0] for j, c in enumerate(row[:n]) if c.widths), default=1)
        for row in cells
    )
    return height, faults


def _min_max(
    cells: Sequence[Sequence[Cell]], n: int, pad: float, floor: float, header_rows: int = 0
) -> tuple[list[list[float]], list[float]]:
    """Per column, with ``pad``: the mins by priority — the widest cluster (hard); figures and
    periods whole; cells of ≤ 4 characters and the header's bracketed units (（亿元）) whole;
    cells up to ``PHRASE_EM`` and bracketed asides in the body whole — and the max-content width."""
    levels = [[floor] * n for _ in range(4)]
    hi = [floor] * n
    for r, row in enumerate(cells):
        for j, c in enumerate(row[:n]):
            if not c.widths:
                continue
            wide = max(c.widths) + pad
            kept = max(wide, c.keep + pad)
            short = c.figure or sum(c.chars) <= 4
            phrase = short or c.total <= PHRASE_EM * (c.em or c.total)
            levels[0][j] = max(levels[0][j], wide)
            levels[1][j] = max(levels[1][j], c.total + pad if c.figure else wide)
            levels[2][j] = max(
                levels[2][j], c.total + pad if short else kept if r < header_rows else wide
            )
            levels[3][j] = max(levels[3][j], c.total + pad if phrase else kept)
            hi[j] = max(hi[j], c.total + pad)
    for k in range(1, 4):  # each level includes the ones before it
        levels[k] = [max(a, b) for a, b in zip(levels[k - 1], levels[k], strict=True)]
    return levels, hi


def _lows(levels: list[list[float]], hi: Sequence[float], aw: float, em: float) -> list[float]:
    """Column mins: the hard mins, raised level by level — each column to the next level's min,
    the cheapest first — while the sum still fits ``aw``; the last level (short phrases) only
    while every column that still wraps keeps ``WRAP_EM`` ems."""
    lo = list(levels[0])
    for k, level in enumerate(levels[1:], 1):
        for j in sorted(range(len(lo)), key=lambda j: level[j] - lo[j]):
            if level[j] <= lo[j]:
                continue
            trial = [*lo[:j], level[j], *lo[j + 1 :]]
            need = sum(trial)
            if k == PHRASE_LEVEL:
                need += sum(
                    max(0.0, min(h, WRAP_EM * em) - w)
                    for w, h in zip(trial, hi, strict=True)
                    if h > w
                )
            if need <= aw + _FUZZ:
                lo = trial
    return lo


def _layout(
    cells: Sequence[Sequence[Cell]],
    n: int,
    aw: float,
    pad: float,
    step: float,
    weights: Sequence[float],
    floor: float,
    balanced: bool,
    header_rows: int,
) -> tuple[float, int, list[float]]:
    """(cost, short lines and wrapped figures, widths) of ``column_layout``."""
    if n <= 0:
        return 0.0, 0, []
    levels, hi = _min_max(cells, n, pad, floor, header_rows)
    # the search starts with figures, short cells and short phrases whole where they fit, and
    # may wrap any but the figures: whether the width is better spent elsewhere is the cost's
    hard = _lows(levels[:2], hi, aw, 2 * step)
    lows = [_lows(levels[:3], hi, aw, 2 * step), _lows(levels, hi, aw, 2 * step)]
    score = _scorer(cells, n, pad, balanced)
    best: tuple[float, int, list[float]] | None = None
    for lo in lows if lows[0] != lows[1] else lows[:1]:
        if len(weights) == n and all(w > 0 for w in weights) and sum(lo) < aw:
            start = weighted_widths(weights, lo, aw)
        else:
            start = auto_widths(lo, hi, aw)
        if sum(lo) >= aw or not cells or n < 2:
            return 0.0, score(start)[2], start
        cost, widths = _improve(start, hard, score, n, step, _targets(cells, n, pad))
        if best is None or cost < best[0]:
            best = (cost, score(widths)[2], widths)
    assert best is not None
    return best


def _scorer(cells: Sequence[Sequence[Cell]], n: int, pad: float, balanced: bool) -> Score:
    """The cost of column widths — the rows' total line count plus a penalty per wrapped figure,
    wrapped short phrase and cell left with a short line — which columns could use more width,
    and how many cells are left with a short line or are figures wrapped."""
    memo: dict[tuple[int, float], tuple[list[int], float, int]] = {}
    empty = Cell()
    # a column's distinct cells (a key-figure table repeats 全国, 元, 2021年), and which is where
    uniq: list[list[Cell]] = []
    where: list[list[int]] = []
    for j in range(n):
        seen: dict[Cell, int] = {}
        where.append(
            [seen.setdefault(row[j] if j < len(row) else empty, len(seen)) for row in cells]
        )
        uniq.append(list(seen))

    def col(j: int, w: float) -> tuple[list[int], float, int]:
        key = (j, round(w, 6))  # exact: a rounded key could straddle a break width
        got = memo.get(key)
        if got is None:
            each: list[tuple[int, float, int]] = []
            for c in uniq[j]:
                k, last = fill(c, w - pad, balanced)
                pen = 0.0
                # a column under two characters sets one a line (第|一|产|业): short lines all;
                # a figure split (超过|7%) or a character alone on a line costs as much
                short = k > 1 and (
                    last <= SHORT_LAST or w - pad < 2 * c.em - _FUZZ or flawed(c, w - pad, balanced)
                )
                if k > 1:
                    if c.figure:
                        pen += WRAPPED_FIGURE_COST
                    elif c.total <= PHRASE_EM * (c.em or c.total):
                        pen += WRAPPED_PHRASE_COST
                    if short:
                        pen += SHORT_LAST_COST
                each.append((k, pen, int(k > 1 and (c.figure or short))))
            rows = [each[i] for i in where[j]]
            got = memo[key] = (
                [r[0] for r in rows],
                sum(r[1] for r in rows),
                sum(r[2] for r in rows),
            )
        return got

    def score(ws: Sequence[float]) -> tuple[float, list[int], int]:
        cs = [col(j, ws[j]) for j in range(n)]
        height = sum(map(max, zip(*(c[0] for c in cs), strict=True)))
        # 2: the column has faults (short lines, split figures); 1: it wraps or pays a penalty
        wants = [2 if c[2] else int(c[1] > 0 or max(c[0]) > 1) for c in cs]
        return height + sum(c[1] for c in cs), wants, sum(c[2] for c in cs)

    return score


def _targets(cells: Sequence[Sequence[Cell]], n: int, pad: float) -> list[list[float]]:
    """Per column, the widths at which a short cell (``SHORT_CELL`` characters or fewer) fits on
    one line: where a column's short lines and split figures go away, off the step grid."""
    out: list[set[float]] = [set() for _ in range(n)]
    for row in cells:
        for j, c in enumerate(row[:n]):
            if c.widths and sum(c.chars) <= SHORT_CELL:
                out[j].add(c.total + pad)
    return [sorted(t) for t in out]


def _improve(
    start: list[float], lo: list[float], score: Score, n: int, step: float,
    targets: Sequence[Sequence[float]] = (),
    funded: bool = True,
) -> tuple[float, list[float]]:
    """Move width between columns while ``score`` decreases; the final cost and widths."""
    out = list(start)
    best, wants, _ = score(out)
    for _ in range(120):
        move = _pair_move(out, lo, score, wants, n, step, best, targets) or _pooled(
            out, lo, score, n, step, best
        )
        if move is None and funded:
            move = _funded(out, lo, score, wants, n, step, best, targets)
        if move is None:
            break
        best, out = move
        wants = score(out)[1]
    return best, out


def _pair_move(
    out: list[float],
    lo: list[float],
    score: Score,
    wants: list[int],
    n: int,
    step: float,
    best: float,
    targets: Sequence[Sequence[float]] = (),
) -> tuple[float, list[float]] | None:
    """The best move of width from one column to another that lowers the cost below ``best``:
    to a column that could use it (``MOVES`` steps, just enough for one of its short cells to
    fit on a line (``targets``), or all the donor has above its min), or away from one (a short
    last line may go away by narrowing: more characters come down)."""
    move: tuple[float, float, list[float]] | None = None
    for r in (j for j in range(n) if wants[j]):
        # a column with faults also tries just the width its next short cell needs
        exact = {t - out[r] for t in (targets[r] if wants[r] == 2 and r < len(targets) else ()) if t > out[r] + _FUZZ}
        for d in range(n):
            if d == r:
                continue
            room = out[d] - lo[d]  # all of it too: widths off the step grid after ``_pooled``
            deltas = {k * step for k in MOVES if k * step < room} | {room} | {x for x in exact if x < room}
            for delta in sorted(deltas):
                if delta <= _FUZZ:
                    continue
                trial = list(out)
                trial[r] += delta
                trial[d] -= delta
                s = score(trial)[0]
                if s < best and (move is None or s < move[0] or (s == move[0] and delta < move[1])):
                    move = (s, delta, trial)
        for k in MOVES[:4]:
            delta = k * step
            if out[r] - delta < lo[r] - _FUZZ:
                break
            for d in range(n):
                if d == r:
                    continue
                trial = list(out)
                trial[r] -= delta
                trial[d] += delta
                s = score(trial)[0]
                if s < best and (move is None or s < move[0]):
                    move = (s, delta, trial)
    return None if move is None else (move[0], move[2])


def _pooled(
    out: list[float], lo: list[float], score: Score, n: int, step: float, best: float
) -> tuple[float, list[float]] | None:
    """Every column narrowed (in quarter steps, not below ``lo``) to the least width that keeps
    the cost, and all the width freed given to the one column where it lowers the cost most."""
    tight = _tightened(out, lo, score, n, step)
    pool = sum(out) - sum(tight)
    if pool <= _FUZZ:
        return None
    move: tuple[float, list[float]] | None = None
    for k in range(n):
        trial = list(tight)
        trial[k] += pool
        s = score(trial)[0]
        if s < best - _FUZZ and (move is None or s < move[0]):
            move = (s, trial)
    return move


def _tightened(out: list[float], lo: list[float], score: Score, n: int, step: float) -> list[float]:
    """Every column narrowed (in quarter steps, not below ``lo``) to the least width that keeps
    the cost of ``out``."""
    cost = score(out)[0]
    tight = list(out)
    fine = step / 4
    for j in range(n):
        # the cost never falls as a column narrows: bisect for the least width that keeps it
        a, b = 0, int((tight[j] - lo[j]) / fine + _FUZZ)  # quarter steps that keep / may not
        while a < b:
            mid = (a + b + 1) // 2
            trial = [*tight[:j], tight[j] - mid * fine, *tight[j + 1 :]]
            if score(trial)[0] > cost + _FUZZ:
                b = mid - 1
            else:
                a = mid
        tight[j] -= a * fine
    return tight


def _funded(
    out: list[float],
    lo: list[float],
    score: Score,
    wants: list[int],
    n: int,
    step: float,
    best: float,
    targets: Sequence[Sequence[float]],
) -> tuple[float, list[float]] | None:
    """A column with faults widened just enough for its next short cell to fit a line (its next
    ``targets``), paid for by every column's free width (``_tightened``) and what is still
    missing from the other columns by their room over their mins, then settled by ``_improve``
    with that column held — a fault-free layout often needs width from several."""
    tight: list[float] | None = None
    move: tuple[float, list[float]] | None = None
    for r in (j for j in range(n) if wants[j] == 2 and j < len(targets)):
        for t in [t for t in targets[r] if t > out[r] + _FUZZ][:FUNDED_TARGETS]:
            if tight is None:
                tight = _tightened(out, lo, score, n, step)
            base = list(tight)
            base[r] = t
            missing = sum(base) - sum(out)
            room = [0.0 if k == r else max(0.0, w - lo[k]) for k, w in enumerate(base)]
            if missing > sum(room) + _FUZZ:
                continue
            # what is missing comes from every other column by its room (width to spare goes back
            # to this one), then the widths settle with this column held at its target
            if missing > _FUZZ:
                trial = [w - missing / sum(room) * room[k] for k, w in enumerate(base)]
            else:
                trial = [w - missing if k == r else w for k, w in enumerate(base)]
            held = [t if k == r else x for k, x in enumerate(lo)]
            s, trial = _improve(trial, held, score, n, step, (), funded=False)
            if s < best - _FUZZ and (move is None or s < move[0]):
                move = (s, trial)
    return move
