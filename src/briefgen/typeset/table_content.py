"""Turn a table's content into what is printed (columns empty in every row dropped, figures lined up on their last digit) and mins into CSS 2.1 width shares."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from briefgen.tree import Table

#: A cell is a figure (never wraps) when it has a digit and at most this many characters.
FIGURE_CHARS = 8
#: Tails that take part in decimal alignment: decimals, a percent sign, a qualifier after the
#: digits (多, 余; 以上, 左右 where the unit is in the header: ``1300以上`` over ``1322``).
_TAIL = re.compile(r"^(\.\d+)?[%‰％]?(?:[多余超强]|以上|左右|以内|以下|上下|前后)?$")
_FIGURE = re.compile(r"^(?P<pre>\D*?)(?P<int>[+\-−±]?\d[\d,]*)(?P<post>.*)$")


def is_figure(text: str) -> bool:
    """A short cell holding a number (value, change, period): it must stay on one line."""
    t = text.strip()
    return 0 < len(t) <= FIGURE_CHARS and any(c.isdigit() for c in t)


#: A period or date that stays on one line like a figure: 2020年1—8月, 2019年7月以来, 2013—2022年.
_PERIOD = re.compile(
    r"(?:\d+|[年月日份号末初底—–\-~/.、至到 ]|季度|[上下]半年|[上中下]旬|[前一二三四]季度|前三季度"
    r"|以来|至今|截至|截止|累计|同期)+"
)
#: Periods longer than this may break (2018年上半年—2024年上半年 after its dash).
PERIOD_CHARS = 12


def is_period(text: str) -> bool:
    """A date or period (``2020年1—8月``, ``2019年7月以来``): kept on one line like a figure."""
    t = text.strip()
    return 0 < len(t) <= PERIOD_CHARS and any(c.isdigit() for c in t) and bool(_PERIOD.fullmatch(t))


def is_unbroken(text: str) -> bool:
    """A cell the table layout keeps on one line where it can: a figure with its unit or
    qualifier (``5300亿元``, ``增长4.1%``) or a period (``2020年1—8月``) — not a short label
    holding two numbers (``25至59岁人口``)."""
    if is_period(text):
        return True
    if not is_figure(text):
        return False
    t = text.strip()
    groups = len(re.findall(r"\d+(?:[.,]\d+)*", t))
    han = sum(1 for c in t if not c.isascii() and not c.isdigit() and c not in "%‰％—–～")
    return groups <= 1 or han <= 2


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


def weighted_widths(weights: Sequence[float], lo: Sequence[float], aw: float) -> list[float]:
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
