"""Share a table's width between its columns so that it wraps as few lines as possible.

Backend-neutral (no ReportLab, no python-docx): the PDF writer measures with real glyph
widths, the DOCX writer with character units; both describe each sampled row as the widths of
its cells' unbreakable clusters (split where the CJK line breaker may break) and let
``balance`` move width from columns that can spare it to columns that wrap.
"""

from __future__ import annotations

from collections.abc import Sequence

from briefgen.typeset.linebreak import ALLOW, classify

_FUZZ = 1e-6


def clusters(text: str, widths: Sequence[float]) -> list[float]:
    """Widths of the runs of ``text`` the line breaker never breaks inside (``widths``: one
    advance per character)."""
    out: list[float] = []
    cur = 0.0
    prev2 = prev = ""
    for ch, w in zip(text, widths, strict=True):
        if prev and classify(prev2, prev, ch) == ALLOW:
            out.append(cur)
            cur = 0.0
        cur += w
        prev2, prev = prev, ch
    out.append(cur)
    return out


def cell_lines(parts: Sequence[float], inner: float) -> int:
    """Lines a cell needs at ``inner`` width, filling its clusters greedily."""
    lines, cur = 1, 0.0
    for c in parts:
        if cur > 0 and cur + c > inner + _FUZZ:
            lines += 1
            cur = 0.0
        if c > inner + _FUZZ:  # wider than the column: broken as a last resort
            lines += int(c // max(inner, 1.0))
            c = c % max(inner, 1.0)
        cur += c
    return lines


def balance(
    widths: Sequence[float],
    floor: Sequence[float],
    cells: Sequence[Sequence[Sequence[float]]],
    step: float,
    pad: float,
) -> list[float]:
    """Move width between columns while that makes the table shorter (fewer wrapped lines).

    Starting from ``widths`` (content-based or weighted), a column whose cells wrap takes
    multiples of ``step`` from a column that stays at or above its ``floor``; a move is made
    only if the rows' total line count drops, so tables that already fit keep their
    proportions. ``cells`` holds each sampled row's cluster widths per column; ``pad`` is a
    cell's horizontal padding (both sides).
    """
    n = len(widths)
    out = list(widths)
    if not cells or n < 2:
        return out
    memo: dict[tuple[int, int], list[int]] = {}

    def col_lines(j: int, w: float) -> list[int]:
        key = (j, round(w * 8))
        got = memo.get(key)
        if got is None:
            got = memo[key] = [cell_lines(row[j], w - pad) for row in cells]
        return got

    def total(ws: list[float]) -> int:
        cols = [col_lines(j, ws[j]) for j in range(n)]
        return sum(max(c[i] for c in cols) for i in range(len(cells)))

    best = total(out)
    for _ in range(200):
        cols = [col_lines(j, out[j]) for j in range(n)]
        tallest = [max(c[i] for c in cols) for i in range(len(cells))]
        takers = [j for j in range(n) if any(cols[j][i] > 1 and cols[j][i] == tallest[i]
                                             for i in range(len(cells)))]  # fmt: skip
        move: tuple[float, int, list[float]] | None = None
        for r in takers:
            for d in range(n):
                if d == r:
                    continue
                for k in range(1, 7):
                    delta = k * step
                    if out[d] - delta < floor[d] - _FUZZ:
                        break
                    trial = list(out)
                    trial[r] += delta
                    trial[d] -= delta
                    h = total(trial)
                    if h < best and (move is None or (best - h) / delta > move[0]):
                        move = ((best - h) / delta, h, trial)
        if move is None:
            break
        _, best, out = move
    return out
