"""Turn a table's cells into measured clusters and "pretty" lines (CJK table rules); the column widths are ``table_widths``'.

Backend-neutral: the PDF writer measures cells with real glyph widths, the DOCX writer with
character units; both make one ``Cell`` per (row, column) — the widths and character counts of
its unbreakable clusters, the cost of a break before each — which ``table_widths`` turns into
column widths (shared/reference/page-quality.md, "Tables"), and break cells here:

* a cell is broken greedily unless that leaves one or two characters on its last line, a
  lone character on a line, or splits a bracketed unit or a figure with its qualifier, range
  and unit (超过7%, 60%-65%, 100万人次以上); then ``plan_lines`` pulls characters
  down (as many lines, breaks at phrase boundaries preferred, lines balanced) and
  ``break_cell`` hands its breaks to the line breaker; ``pretty_cuts`` gives the same breaks to
  writers that wrap greedily (Word);
* ``fill`` counts a cell's lines at a width the way ``break_cell`` breaks it, and ``flawed``
  tells whether it still splits a figure or leaves a character alone, for the widths.

``prune_table`` and ``figure_pads`` (``table_content``, re-exported) drop empty columns and
line figures up on their last digit."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from briefgen.typeset.linebreak import (
    ALLOW,
    Align,
    Line,
    Measure,
    Piece,
    WidthCache,
    boundary_classes,
    break_lines,
    is_cjk,
)
from briefgen.typeset.table_content import (  # re-exported: the writers' one entry point
    FIGURE_CHARS as FIGURE_CHARS,
)
from briefgen.typeset.table_content import auto_widths as auto_widths
from briefgen.typeset.table_content import figure_pads as figure_pads
from briefgen.typeset.table_content import figure_split as figure_split
from briefgen.typeset.table_content import is_unbroken as is_unbroken
from briefgen.typeset.table_content import prune_table as prune_table

_FUZZ = 1e-6
#: Cells whose last line holds this many characters or fewer are "short" (to be avoided).
SHORT_LAST = 2
#: A bracketed unit or short aside kept on one line: （亿元）, （%）, （亿千瓦时）.
_KEEP = re.compile(r"[（(][^（）()]{1,4}[）)]|《[^《》]{1,4}》|“[^“”]{1,4}”")
#: A figure as it is read, with its qualifier, range and unit: 超过7%, 60%-65%, 15-59岁, “2+26”,
#: 100万人次以上, 1100多 — a break inside one costs ``FIGURE_COST``, more than a bracketed unit.
_FIGURE_SPAN = re.compile(
    r"(?:超过|超|近|约|逾|不足|第)?[+\-−]?\d[\d,.]*(?:[%‰]|个百分点)?"
    r"(?:[—–~～\-至到+][+\-−]?\d[\d,.]*)?"
    r"(?:[%‰℃]|个百分点|百分点|[万亿千百]*(?:千瓦时|平方公里|平方米|公里|人次|元|吨|人|户|个|家|项|所|件|台|辆|米|位|岁|倍"
    r"|个月|小时|年|天|次))?"
    r"(?:多|余|以上|左右|以下|以内)?"
)
#: Cost of a break inside such a bracket (a break between running characters costs ``RUN_COST``),
#: and inside a figure (a fault the column widths are priced to avoid, ``flawed``).
KEEP_COST = 20.0
FIGURE_COST = 25.0
#: Phrase boundaries: a break after these, or before the opening marks, costs nothing.
_AFTER_OK = frozenset("、，。；：！？）》」』”’的和与及或之")
_BEFORE_OK = frozenset("（《「『“‘")
_DATE_UNITS = frozenset("年月日")
_DATE_END = re.compile(r"\d[年月日][^\d\s]")
#: Cost of a break between two characters of running text, in ``plan_lines``' units (a line
#: left short by x ems costs x²): a phrase boundary is worth a line about 2.2 ems shorter.
RUN_COST = 5.0
#: Cost of a line holding a lone character before the last (全|国乡镇): a short line too.
LONE_COST = 1000.0
#: ``fill`` re-plans only this many last lines of a long cell.
TAIL_LINES = 3
#: How much cheaper (in ``plan_lines``' cost) a re-break of acceptable greedy lines must be.
PHRASE_GAIN = 0.5


@dataclass(frozen=True)
class Cell:
    """One cell as the layout sees it: widths and character counts of its unbreakable clusters,
    the cost of a break before each cluster (``costs[0]`` unused), the widest span that should
    stay on one line (a bracketed unit such as ``（亿元）``) and the width of one em."""

    widths: tuple[float, ...] = ()
    chars: tuple[int, ...] = ()
    figure: bool = False
    costs: tuple[float, ...] = ()
    keep: float = 0.0
    em: float = 0.0

    @property
    def total(self) -> float:
        return sum(self.widths)


def measure_cell(text: str, advance: Callable[[str], float]) -> Cell:
    """Split ``text`` into the clusters the CJK line breaker never breaks inside."""
    return cell_of(text, [advance(ch) for ch in text])


def break_cost(text: str, k: int) -> float:
    """How much a break before ``text[k]`` costs: 0 at a phrase boundary (after 、，）” or
    的/和/与/及, before （《“, after a date such as 2023年), ``RUN_COST`` between two characters
    of running text."""
    a, b = text[k - 1], text[k]
    if a in _AFTER_OK or b in _BEFORE_OK or a.isspace():
        return 0.0
    if a in _DATE_UNITS and k >= 2 and text[k - 2].isdigit():
        return 0.0  # after a date: 2023年|预期目标
    return RUN_COST


def cell_of(text: str, advs: Sequence[float]) -> Cell:
    """``measure_cell`` with one advance per character of ``text`` (given by the caller, who
    may add what depends on neighbours, such as Word's space between Chinese and digits)."""
    if not text:
        return Cell()
    widths: list[float] = []
    chars: list[int] = []
    costs: list[float] = [0.0]
    cur, n = 0.0, 0
    klass = boundary_classes(text)
    figs = [m for m in _FIGURE_SPAN.finditer(text) if m.end() - m.start() > 1]
    spans = [*_KEEP.finditer(text), *figs]
    inside = {k for m in spans for k in range(m.start() + 1, m.end())}
    in_figure = {k for m in figs for k in range(m.start() + 1, m.end())}
    for k in range(len(text)):
        if k and klass[k] == ALLOW:
            widths.append(cur)
            chars.append(n)
            costs.append(FIGURE_COST if k in in_figure else KEEP_COST if k in inside else break_cost(text, k))
            cur, n = 0.0, 0
        cur += advs[k]
        n += 1
    widths.append(cur)
    chars.append(n)
    keep = max((sum(advs[m.start() : m.end()]) for m in spans), default=0.0)
    em = max((a for ch, a in zip(text, advs, strict=True) if is_cjk(ch)), default=max(advs))
    return Cell(tuple(widths), tuple(chars), is_unbroken(text), tuple(costs), keep, em)


def short_last(cell: Cell, start: int) -> bool:
    """Whether a last line beginning at cluster ``start`` is short: one or two characters of a
    wrapped cell (a whole list item too: 苏州、|上海; a two-character cell broken: 指|标)."""
    return start > 0 and sum(cell.chars[start:]) <= SHORT_LAST


def fill(cell: Cell, inner: float, balanced: bool = True) -> tuple[int, int]:
    """(lines, characters on the last line) for ``cell`` at ``inner`` width: filled greedily,
    then (``balanced``) re-planned by ``plan_lines`` when the last line would be short."""
    lines, start = _greedy(cell, inner)
    # four characters or fewer on two lines or more end short whatever the breaks: nothing to plan
    if balanced and lines > 1 and short_last(cell, start) and sum(cell.chars) > 2 * SHORT_LAST:
        # only the last lines take part (what plan_lines would change), which keeps long cells cheap
        if lines > TAIL_LINES:
            starts = _greedy_starts(cell, inner)
            head = starts[lines - TAIL_LINES] if lines - TAIL_LINES < len(starts) else len(cell.widths)
        else:
            head = 0
        tail = Cell(
            cell.widths[head:],
            cell.chars[head:],
            cell.figure,
            cell.costs[head:],
            cell.keep,
            cell.em,
        )
        plan = _planned(tail, inner, min(lines, TAIL_LINES))
        if plan is not None:
            lines, start = lines - min(lines, TAIL_LINES) + len(plan), head + plan[-1]
    last = sum(cell.chars[start:])
    return lines, last


#: ``flawed`` looks at cells of up to this many characters (longer ones are running text).
FLAW_CHARS = 40


def flawed(cell: Cell, inner: float, balanced: bool = True) -> bool:
    """Whether ``cell`` at ``inner`` width, broken as ``break_cell`` breaks it, splits a figure
    (超过|7%, 60%|-65%), leaves a character alone on a line
    (新|订单|指数) or breaks a cluster wider than the column — for cells of up to ``FLAW_CHARS``."""
    if not cell.widths or sum(cell.chars) > FLAW_CHARS:
        return False
    if max(cell.widths) > inner + _FUZZ:
        return True
    starts = _greedy_starts(cell, inner)
    if len(starts) < 2 or not _bad(cell, starts):
        return False
    if not balanced:
        return True
    plan = _planned(cell, inner, len(starts))
    return plan is None or _bad(cell, plan)


@lru_cache(maxsize=16384)
def _planned(cell: Cell, inner: float, allowed: int) -> tuple[int, ...] | None:
    """``plan_lines`` remembered: the width search asks again for the same cells and widths."""
    plan = plan_lines(cell, inner, allowed)
    return None if plan is None else tuple(plan)


def _bad(cell: Cell, starts: Sequence[int]) -> bool:
    """A break inside a figure, or a line before the last holding one character."""
    if len(cell.costs) == len(cell.widths) and any(cell.costs[i] >= FIGURE_COST for i in starts[1:]):
        return True
    total = sum(cell.chars)
    return total > 2 and any(sum(cell.chars[a:b]) == 1 for a, b in zip(starts, starts[1:], strict=False))


def _greedy_starts(cell: Cell, inner: float) -> list[int]:
    """The first cluster of each line of ``cell`` filled greedily (clusters fit ``inner``)."""
    starts, cur = [0], 0.0
    for i, w in enumerate(cell.widths):
        if cur > 0 and cur + w > inner + _FUZZ:
            starts.append(i)
            cur = 0.0
        cur += w
    return starts


def _greedy(cell: Cell, inner: float) -> tuple[int, int]:
    """(lines, the cluster the last line begins with) for ``cell`` filled greedily at ``inner``."""
    if not cell.widths or (cell.figure and cell.total <= inner + _FUZZ):
        return 1, 0
    lines, cur, start = 1, 0.0, 0
    for i, w in enumerate(cell.widths):
        if cur > 0 and cur + w > inner + _FUZZ:
            lines += 1
            cur, start = 0.0, i
        if w > inner + _FUZZ:  # wider than the column: broken as a last resort
            per = max(inner, 1.0)
            k = int(w // per)
            lines += k
            w -= k * per
        cur += w
    return lines, start


def plan_lines(cell: Cell, inner: float, allowed: int = 0) -> list[int] | None:
    """The first cluster of each line of ``cell`` at ``inner`` width, broken "pretty": no more
    lines than ``allowed`` (or greedy filling needs), the last line holding more than
    ``SHORT_LAST`` characters when any such break exists, then the least cost — each non-last
    line's slack in ems squared plus ``Cell.costs`` of its break (phrase boundaries are free, a
    bracketed unit is kept whole). ``None`` when a cluster is wider than ``inner``."""
    ws, ns = cell.widths, cell.chars
    n = len(ws)
    if n == 0 or max(ws) > inner + _FUZZ:
        return None
    costs = cell.costs if len(cell.costs) == n else (0.0,) + (RUN_COST,) * (n - 1)
    em = cell.em or max(ws) or 1.0
    allowed = max(allowed, _greedy(cell, inner)[0])
    total = sum(ns)
    # best[i][m]: least cost of m lines ending just before cluster i, and where the last began
    best: list[dict[int, tuple[float, int]]] = [{} for _ in range(n + 1)]
    best[0][0] = (0.0, -1)
    finals: list[tuple[tuple[bool, int, int, float], int, int]] = []
    before = 0
    for i in range(n):
        before += ns[i - 1] if i else 0
        if not best[i]:
            continue
        w, k = 0.0, 0
        for j in range(i + 1, n + 1):
            w += ws[j - 1]
            k += ns[j - 1]
            if w > inner + _FUZZ:
                break
            if j == n:
                for m, (c, _) in best[i].items():
                    # how bad a short line is: a last line of two, of one, a lone character before
                    last = total - before
                    bad = SHORT_LAST + 1 - last if m and short_last(cell, i) else 0
                    bad = max(bad, SHORT_LAST if c >= LONE_COST else 0)
                    finals.append(((bad > 0, m + 1, bad, c), i, m + 1))
                continue
            add = ((inner - w) / em) ** 2 + costs[j] + (LONE_COST if k == 1 < total - 2 else 0.0)
            for m, (c, _) in best[i].items():
                if m + 2 > allowed:  # room for the last line within ``allowed``
                    continue
                got = best[j].get(m + 1)
                if got is None or c + add < got[0] - _FUZZ:
                    best[j][m + 1] = (c + add, i)
    if not finals:
        return None
    _, i, m = min(finals, key=lambda f: f[0])
    starts = [i]
    while m > 1:
        i = best[i][m - 1][1]
        m -= 1
        starts.append(i)
    return starts[::-1]


def pretty_cuts(cell: Cell, inner: float) -> list[int]:
    """Character offsets where a writer that wraps greedily (Word) should break ``cell`` by
    hand: none when greedy filling at ``inner`` is fine, else ``plan_lines``' breaks — when its
    last line would hold one or two characters or a bracketed unit would be split."""
    if not cell.widths or max(cell.widths) > inner + _FUZZ:
        return []
    starts = _greedy_starts(cell, inner)
    if len(starts) < 2:
        return []
    short = short_last(cell, starts[-1])
    split = len(cell.costs) == len(cell.widths) and any(
        cell.costs[i] >= KEEP_COST for i in starts[1:]
    )
    plan = plan_lines(cell, inner, len(starts)) if short or split else None
    if plan is None or plan == starts:
        return []
    offsets = _offsets(cell)
    return [offsets[i] for i in plan[1:]]


def break_cell(
    pieces: Sequence[Piece],
    width: float,
    widths: WidthCache | Measure,
    *,
    tracking: float = 0.0,
    align: Align = "left",
    max_lines: int = 0,
) -> list[Line]:
    """A cell's lines: ``break_lines``, except that when its last line would hold one or two
    characters, a line one alone, or a bracketed unit or a figure (超过|7%, 60%|-65%) would be
    split, the cell is re-broken by ``plan_lines``
    (characters pulled down at phrase boundaries) in as many lines, or up to ``max_lines``
    (the lines its row takes anyway); the planned breaks are handed to ``break_lines`` as
    forced ones."""
    lines = break_lines(pieces, width, widths, tracking=tracking, align=align)
    if len(lines) < 2:
        return lines
    text = "".join(p.text for p in pieces)
    if "\n" in text or "\r" in text:
        return lines  # the author's own line breaks
    short = len(lines[-1].text.strip()) <= SHORT_LAST < len(text.strip())
    lone = any(len(ln.text.strip()) == 1 for ln in lines[:-1])  # 新订|单指|数|（%）
    if (
        not short
        and not lone
        and _AFTER_OK.isdisjoint(text)
        and _BEFORE_OK.isdisjoint(text)
        and _DATE_END.search(text) is None
        and not any(c.isdigit() for c in text)
    ):
        return lines  # no phrase boundary, bracket or figure to break at instead: greedy lines stand
    cache = widths if isinstance(widths, WidthCache) else WidthCache(widths)
    cell = cell_of(text, [cache(ch, p.font, p.size) + tracking for p in pieces for ch in p.text])
    starts = _offsets(cell)
    cuts = _cuts(lines)
    split = any(cell.costs[starts.index(k)] >= KEEP_COST for k in cuts if k in starts)
    plan = plan_lines(cell, width, max(len(lines), max_lines))
    want = [] if plan is None else [starts[i] for i in plan[1:]]
    if plan is None or want == cuts:
        return lines
    if not short and not split and not lone:  # greedy lines are acceptable: re-break for a clear gain only
        greedy = [starts.index(k) for k in cuts] if all(k in starts for k in cuts) else None
        if greedy is None or _cost(cell, width, plan) + PHRASE_GAIN > _cost(
            cell, width, [0, *greedy]
        ):
            return lines
    same = next((k for k, (a, b) in enumerate(zip(want, cuts, strict=False)) if a != b), len(cuts))
    # the lines before the first changed break come out as before (and stay justified)
    better = break_lines(
        _with_breaks(pieces, want[same:]), width, widths, tracking=tracking, align=align
    )
    return better if len(better) == len(plan) else lines


def _cost(cell: Cell, inner: float, starts: Sequence[int]) -> float:
    """``plan_lines``' cost of breaking ``cell`` before the clusters ``starts`` (after the first)."""
    em = cell.em or max(cell.widths) or 1.0
    costs = (
        cell.costs
        if len(cell.costs) == len(cell.widths)
        else (0.0,) + (RUN_COST,) * (len(cell.widths) - 1)
    )
    total = 0.0
    for a, b in zip(starts, starts[1:], strict=False):
        total += ((inner - sum(cell.widths[a:b])) / em) ** 2 + costs[b]
    return total


def _offsets(cell: Cell) -> list[int]:
    """The character offset where each cluster of ``cell`` starts."""
    out, k = [], 0
    for n in cell.chars:
        out.append(k)
        k += n
    return out


def _cuts(lines: Sequence[Line]) -> list[int]:
    """Character offsets where ``lines`` (one paragraph) break."""
    out, pos = [], 0
    for ln in lines[:-1]:
        pos += len(ln.text) + len(ln.hang)
        out.append(pos)
    return out


def _with_breaks(pieces: Sequence[Piece], cuts: Sequence[int]) -> list[Piece]:
    """``pieces`` with a newline (a forced break) before each character offset in ``cuts``."""
    out: list[Piece] = []
    todo = sorted(cuts)
    pos = 0
    for p in pieces:
        text, start = [], pos
        for k, ch in enumerate(p.text):
            if todo and todo[0] == start + k:
                text.append("\n")
                todo.pop(0)
            text.append(ch)
        pos += len(p.text)
        out.append(replace(p, text="".join(text)))
    return out
