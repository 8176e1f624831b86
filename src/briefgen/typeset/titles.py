"""Break centred text (titles, attachment titles, captions) into even lines at phrase boundaries.

GB/T 9704 §7.3.1 asks a wrapped title to keep its words whole ("词意完整") and its lines in
a trapezoid or diamond, never a lone character or two. ``balanced_lines`` takes as many lines
as the text needs at the full width and chooses where they break by dynamic programming over
the allowed break points, minimising the phrase cost of each break (``phrases.break_costs``:
after punctuation or 的/和/与, before 关于 or a number, inside a word only when nothing else
will do) plus ``BALANCE`` × the squared deviation of each line's width from the mean, in ems.
The same plan serves the DOCX and HTML writers (``title_cuts``) with their own widths.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Callable, Sequence

from briefgen.typeset.breakrules import SPACES, Align, Line, Measure, Piece, WidthCache
from briefgen.typeset.linebreak import break_lines

#: Cost of one em of a line's deviation from the mean, squared (a break after punctuation is 0,
#: between two words 4, inside a word 12): with 0.25 a 4.5 em difference between two lines
#: (2.5) is preferred to a word boundary of perfectly even lines.
BALANCE = 0.25
_EPS = 1e-6


def title_cuts(text: str, advances: Sequence[float], width: float, em: float,
               lines: int, first_indent: float = 0.0, rest_indent: float = 0.0) -> list[int] | None:  # fmt: skip
    """Where ``text`` should break into ``lines`` lines of at most ``width`` (character offsets of
    the second and following lines' first characters), or ``None`` if it cannot.

    ``advances`` holds each character's width (with any tracking), ``em`` the width of one em."""
    from briefgen.typeset.phrases import (
        break_costs,  # reason: reads the word list only when a title wraps
    )

    n = len(text)
    if lines < 2 or n < 2:
        return None
    costs = break_costs(text)
    prefix = [0.0]
    for a in advances:
        prefix.append(prefix[-1] + a)
    cands = [0] + [k for k in range(1, n) if costs[k] < math.inf] + [n]

    def ink(a: int, b: int) -> float:
        while b > a and text[b - 1] in SPACES:
            b -= 1
        return prefix[b] - prefix[a]

    mean = ink(0, n) / lines
    # best[j][b]: (cost, previous break) of setting text[:b] in j lines
    best: list[dict[int, tuple[float, int]]] = [{0: (0.0, -1)}] + [{} for _ in range(lines)]
    for j in range(1, lines + 1):
        avail = width - (first_indent if j == 1 else rest_indent)
        for b in cands[1:]:
            if (b == n) != (j == lines):
                continue
            found: tuple[float, int] | None = None
            for a, (cost, _) in best[j - 1].items():
                if a >= b:
                    continue
                w = ink(a, b)
                if w > avail + _EPS:
                    continue
                total = cost + costs[b] * (b < n) + BALANCE * ((w - mean) / em) ** 2
                if found is None or total < found[0] - _EPS:
                    found = (total, a)
            if found is not None:
                best[j][b] = found
    if n not in best[lines]:
        return None
    cuts, b = [], n
    for j in range(lines, 0, -1):
        b = best[j][b][1]
        cuts.append(b)
    return sorted(cuts)[1:]


def balanced_lines(
    pieces: Sequence[Piece],
    width: float,
    widths: WidthCache | Measure,
    *,
    tracking: float = 0.0,
    first_indent: float = 0.0,
    rest_indent: float = 0.0,
    align: Align = "center",
) -> list[Line]:
    """``break_lines`` for centred text: as many lines as at the full ``width``, broken at phrase
    boundaries into lines as even as possible, each centred in ``width`` (``align`` is accepted
    for the callers' convenience: the result is always centred)."""
    cache = widths if isinstance(widths, WidthCache) else WidthCache(widths)

    def brk(ps: Sequence[Piece], w: float) -> list[Line]:
        return break_lines(ps, w, cache, tracking=tracking, first_indent=first_indent,
                           rest_indent=rest_indent, align="center")  # fmt: skip

    lines = brk(pieces, width)
    n = len(lines)
    if n < 2 or any("\n" in p.text or "\r" in p.text for p in pieces):
        return lines  # one line, or the author's own line breaks
    text = "".join(p.text for p in pieces)
    adv = [cache(ch, p.font, p.size) + tracking for p in pieces for ch in p.text]
    em = max(p.size for p in pieces)
    cuts = title_cuts(text, adv, width, em, n, first_indent, rest_indent)
    if cuts is not None:
        planned = brk(with_breaks(pieces, cuts), width)
        avail = [width - (first_indent if i == 0 else rest_indent) for i in range(len(planned))]
        if len(planned) == n and all(
            ln.width <= w + _EPS and not ln.squeezed for ln, w in zip(planned, avail, strict=True)
        ):
            return planned
    return _narrowest(brk, pieces, width, lines)


def _narrowest(brk: Callable[[Sequence[Piece], float], list[Line]], pieces: Sequence[Piece],
               width: float, lines: list[Line]) -> list[Line]:  # fmt: skip
    """The fallback: the lines at the narrowest width that still gives as many, centred in ``width``."""
    n = len(lines)
    lo, hi = width / n, width
    best = lines
    for _ in range(14):
        mid = (lo + hi) / 2
        trial = brk(pieces, mid)
        if len(trial) <= n and all(ln.x >= -_EPS for ln in trial):
            best, hi = trial, mid
        else:
            lo = mid
    if best is not lines:
        shift = (width - hi) / 2
        for ln in best:
            ln.x += shift
    return best


def with_breaks(pieces: Sequence[Piece], cuts: Sequence[int]) -> list[Piece]:
    """``pieces`` with a newline before each character offset in ``cuts``; a breaking space just
    before a cut is dropped (it would hang at the line end)."""
    out: list[Piece] = []
    cut = set(cuts)
    pos = 0
    for p in pieces:
        buf = []
        for i, ch in enumerate(p.text):
            if pos + i + 1 in cut and ch in SPACES:
                ch = ""
            buf.append(ch)
            if pos + i + 1 in cut:
                buf.append("\n")
        pos += len(p.text)
        out.append(Piece("".join(buf), p.font, p.size, p.color, p.link))
    return out


#: ``phrase_chunks`` splits where a break costs less than this (phrase and word boundaries).
CHUNK_COST = 8.0


def phrase_chunks(text: str, also: Sequence[int] = ()) -> list[str]:
    """``text`` cut at its phrase and word boundaries (and at the offsets ``also``), for writers
    that let the reader's software break lines (HTML: ``<wbr>`` between chunks, ``word-break:
    keep-all``): never inside a word, a number with its unit or a date."""
    from briefgen.typeset.phrases import break_costs  # reason: reads the word list only for titles

    if len(text) < 2:
        return [text] if text else []
    costs = break_costs(text)
    cuts = [k for k in range(1, len(text)) if costs[k] < CHUNK_COST or k in also]
    return [text[a:b] for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True)]


def unit_lines(text: str, size_pt: float, width_pt: float) -> list[str]:
    """``balanced_lines`` in character units (CJK and full-width 1 em, others ½), for writers
    without glyph metrics (DOCX, HTML): the lines' texts, one if it fits."""
    got = balanced_lines([Piece(text, "", size_pt)], width_pt, _unit_width)
    return [ln.text for ln in got] or [text]


def _unit_width(ch: str, _font: str, size: float) -> float:
    return size if unicodedata.east_asian_width(ch) in "WFA" else size / 2
