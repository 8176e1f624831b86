"""Turn key figures into display text (2231亿元, 增长4.1%) and into figure-table nodes."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Literal

from briefgen.compose.citations import cite
from briefgen.model.sourcepack import (
    AFTER_QUALIFIERS,
    PREFIX_QUALIFIERS,
    SUFFIX_QUALIFIERS,
    Change,
    Figure,
)
from briefgen.tree import Table, TableCell

COMPUTED_MARK = "*"
COMPUTED_NOTE = "注：带“*”的增幅为briefgen根据上年同期、上期数据计算的计算值。"

_MAGNITUDES = "十百千万亿"

COLUMN_TITLES = {
    "label": "指标",
    "value": "数值",
    "unit": "单位",
    "change": "增幅",
    "period": "时期",
    "scope": "范围",
    "source": "来源",
    "note": "备注",
    "category": "类别",
    "yoy": "同比",
    "mom": "环比",
}


def number_text(value: Decimal) -> str:
    """Exact digits as written in the source, never scientific notation: 2224.53, 155.9, 65294."""
    text = format(value, "f")
    return text


# Units after which 多/余 follow the unit rather than the number: 9年多, 3个多月.
_QUALIFIER_AFTER_UNIT = ("年", "个月", "天")


def _qualified(fig: Figure, with_unit: bool) -> str:
    num = number_text(fig.value)
    if fig.kind == "ranking":
        num = f"第{num}"
    unit = fig.unit if with_unit else ""
    q = fig.qualifier
    if q in AFTER_QUALIFIERS:
        return f"{num}{unit}{q}"
    if q in SUFFIX_QUALIFIERS and unit in _QUALIFIER_AFTER_UNIT:
        return f"{num}{unit}{q}"
    if q in PREFIX_QUALIFIERS:
        return f"{q}{num}{unit}"
    if q in SUFFIX_QUALIFIERS:
        if unit and unit[0] in _MAGNITUDES:
            return f"{num}{unit[0]}{q}{unit[1:]}"
        return f"{num}{q}{unit}"
    return f"{num}{unit}"


def value_text(fig: Figure, with_unit: bool = True) -> str:
    """The figure's value as printed: ``2231亿元``, ``超9万家``, ``10万余人次``."""
    return _qualified(fig, with_unit)


def value_and_unit(fig: Figure) -> tuple[str, str]:
    """The value and unit cells of a table with a unit column, read left to right as Chinese
    writes them: a qualifier that follows the unit (以上, 左右, 以内; 多/余 after 年, 个月, 天)
    goes into the unit cell — ``1.3 | 万亿斤以上``, ``3 | %左右``, not ``1.3以上 | 万亿斤`` — so the
    value cell holds the digits alone and lines up with the others; 近70, 超5300, 1100多 (before
    万人) keep theirs."""
    q, unit = fig.qualifier, fig.unit
    if unit and (q in AFTER_QUALIFIERS or (q in SUFFIX_QUALIFIERS and unit in _QUALIFIER_AFTER_UNIT)):
        num = number_text(fig.value)
        return (f"第{num}" if fig.kind == "ranking" else num), f"{unit}{q}"
    return value_text(fig, with_unit=False), unit


#: Words that give a change's direction, each with its opposite: a basis ending in one (比上年提高)
#: is not given another, and a change whose sign says the other way takes the opposite word.
_UP_DOWN = {"增长": "下降", "提高": "降低", "增加": "减少", "上升": "下降", "回升": "回落", "加快": "放缓",
            "提升": "下降"}
#: Words that say a direction of a gap or a fall (降幅收窄, 差距扩大): the basis has its word, but
#: its sense is the subject's, not the sign's — printed as written, never turned.
_SAID = ("扩大", "缩小", "收窄", "加深", "减缓", "放大", "收缩")
_DIRECTIONS = (*_UP_DOWN, *_UP_DOWN.values())


#: Comparatives that open a basis and give the direction themselves (高于上年 12.1个百分点).
_MORE_LESS = {"高于": "低于", "多于": "少于"}


def basis_direction(basis: str) -> tuple[str, int]:
    """The direction word a basis ends in (``比上年末增加`` → ``增加``) or opens with (``高于上年``)
    and its sense (+1 up, −1 down; 2 for a word whose sense is its subject's: 降幅比上月收窄);
    ``("", 0)`` for a basis without one."""
    if basis.endswith(_SAID) or "降幅" in basis or "跌幅" in basis:
        return basis[-2:], 2  # said, not turned (see ``worded_basis``)
    for word in _DIRECTIONS:
        if basis.endswith(word):
            return word, (1 if word in _UP_DOWN else -1)
    for word in (*_MORE_LESS, *_MORE_LESS.values()):
        if basis.startswith(word):
            return word, (1 if word in _MORE_LESS else -1)
    return "", 0


def _opposite(word: str, unit: str) -> str:
    if word == "下降":  # up again: the word the unit takes (提高 percentage points, 增长 rates …)
        return _word(Decimal(1), unit)
    pairs = {**_UP_DOWN, **_MORE_LESS}
    return pairs.get(word) or next(up for up, down in pairs.items() if down == word)


def worded_basis(basis: str, v: Decimal, unit: str = "") -> str:
    """``basis`` with its direction word turned to agree with the sign of ``v`` (the value is
    signed: ``-2.1`` with 比上年末增加 is 比上年末减少)."""
    word, sense = basis_direction(basis)
    if not sense or sense == 2 or sense * v >= 0:
        return basis
    if basis.endswith(word):
        return basis[: -len(word)] + _opposite(word, unit)
    return _opposite(word, unit) + basis[len(word):]


def _word(v: Decimal, unit: str) -> str:
    """The direction word statistics use for a change of ``v`` in ``unit``."""
    if "百分点" in unit:
        return "提高" if v >= 0 else "下降"
    if unit in ("%", "％", "‰", "倍", ""):
        return "增长" if v >= 0 else "下降"
    return "增加" if v >= 0 else "减少"  # an amount (个, 万人, 亿元)


def change_text(change: Change | None, signed: bool = False, omit_basis: tuple[str, ...] = ("", "同比")) -> str:
    """``增长4.1%`` / ``下降0.3个百分点`` / ``持平`` (or ``+4.1%`` / ``−0.3个百分点`` / ``0.0%`` with
    ``signed``); the basis (比上年, 环比 …) is printed unless it is in ``omit_basis``."""
    if change is None:
        return ""
    v = change.value
    unit = change.unit
    if unit == "百分点":
        unit = "个百分点"
    if signed:
        sign = "+" if v > 0 else ("−" if v < 0 else "")
        return f"{sign}{number_text(abs(v))}{unit}"
    basis = "" if change.basis in omit_basis else change.basis
    if v == 0:
        return f"{basis}持平"
    if basis_direction(basis)[1]:  # the pack's basis says the direction: 比上年提高 0.08个百分点
        return f"{worded_basis(basis, v, unit)}{number_text(abs(v))}{unit}"
    return f"{basis}{_word(v, unit)}{number_text(abs(v))}{unit}"


def fig_text(fig: Figure, fmt: str = "value") -> str:
    """Inline forms: value (2231亿元), number (2231), change (增长4.1%), full (2231亿元，增长4.1%),
    period (2022年上半年2231亿元), label (规上工业总产值2231亿元), when (2022年上半年),
    yoy (同比增长4.1%), mom (环比增长1.2%)."""
    if fmt == "number":
        return number_text(fig.value)
    if fmt == "change":
        return change_text(fig.change)
    if fmt == "full":
        ch = change_text(fig.change)
        return value_text(fig) + (f"，{ch}" if ch else "")
    if fmt == "period":
        return f"{fig.period}{value_text(fig)}"
    if fmt == "label":
        return f"{fig.label}{value_text(fig)}"
    if fmt == "when":
        return fig.period
    if fmt == "yoy":
        return change_text(fig.change, omit_basis=())
    if fmt == "mom":
        return change_text(fig.mom, omit_basis=())
    return value_text(fig)


FIG_FORMATS = ("value", "number", "change", "full", "period", "label", "when", "yoy", "mom")
# formats that print a change: empty text means the data has no such change
CHANGE_FORMATS = ("change", "yoy", "mom")


def _display_width(text: str) -> float:
    """Width in em: CJK characters count 1, Latin letters and digits about 0.55."""
    return sum(1.0 if ord(ch) > 0x2E7F else 0.55 for ch in text)


def column_weights(rows: list[list[TableCell]], max_em: float = 12.0) -> list[float]:
    """Relative column widths from the widest cell of each column (long labels capped so they wrap)."""
    ncols = max(len(r) for r in rows)
    weights = []
    for c in range(ncols):
        widest = max((_display_width(r[c].text) for r in rows if c < len(r)), default=1.0)
        weights.append(min(max(widest, 2.0), max_em) + 1.0)
    return weights


def figure_table(
    figures: Iterable[Figure],
    columns: list[str],
    caption: str,
    source_note: str,
    style: str,
    group_by_category: bool = False,
    *,
    titles: dict[str, str] | None = None,
    signed: bool = False,
) -> Table:
    """A key-figure table; a unit shared by every row moves into the value column's header, a
    period shared by every row into the caption.

    Figures with ``total_of`` are subtotal rows (bold) placed after the figures they total; with
    ``group_by_category`` rows are grouped under category rows. 同比/环比 computed by briefgen are
    marked ``*`` and explained in a note appended to ``source_note``."""
    figs = list(figures)
    cols = list(columns)
    titles = titles or {}
    units = {f.unit for f in figs}
    shared_unit = len(units) == 1 and "unit" in cols and next(iter(units)) != ""
    if shared_unit:
        cols.remove("unit")
    periods = {f.period for f in figs}
    if caption and len(figs) > 1 and len(periods) == 1 and "period" in cols and next(iter(periods)):
        cols.remove("period")  # a period shared by every row goes into the caption
        shared = next(iter(periods))
        if shared not in caption:  # unless the caption says it already (2023年主要指标)
            caption = f"{caption}（{shared}）"
    # the 来源 column gives each row's place; its source document is named once, under the table
    places: list[str] = []
    cite_note = ""
    if "source" in cols:
        places, cite_note = cite([(p.origin(), p.place()) if (p := f.provenance) is not None else ("", f.section)
                                  for f in figs])  # fmt: skip
    cited = {id(f): t for f, t in zip(figs, places, strict=False)}
    unit = next(iter(units)) if shared_unit else ""
    header = []
    for c in cols:
        title = titles.get(c) or COLUMN_TITLES[c]
        if c == "value" and unit and not title.endswith((f"（{unit}）", f"({unit})")):  # not 涨跌（%）（%）
            title = f"{title}（{unit}）"
        header.append(TableCell(title, "center", strong=True))
    rows: list[list[TableCell]] = [header]
    numeric = {"value", "change", "yoy", "mom"}
    computed = False

    def change_cell(ch: Change | None, omit: tuple[str, ...]) -> str:
        nonlocal computed
        text = change_text(ch, signed, omit)
        if ch is not None and ch.computed and text:
            computed = True
            text += COMPUTED_MARK
        return text

    def row_of(f: Figure) -> list[TableCell]:
        cells = []
        strong = bool(f.total_of)
        for c in cols:
            if c == "label":
                text = f.label
            elif c == "value":
                if "unit" in cols:
                    text = value_and_unit(f)[0]
                else:
                    text = value_text(f, with_unit=False) if shared_unit else value_text(f)
            elif c == "unit":
                text = value_and_unit(f)[1]
            elif c == "change":
                text = change_cell(f.change, ("", "同比"))
            elif c == "yoy":
                text = change_cell(f.change, ("", "同比")) or "—"
            elif c == "mom":
                text = change_cell(f.mom, ("", "环比")) or "—"
            elif c == "period":
                text = f.period
            elif c == "scope":
                text = f.scope
            elif c == "source":
                text = cited[id(f)]
            elif c == "category":
                text = f.category
            else:
                text = f.note
            cell = TableCell(text, "right" if c in numeric else "left", strong=strong)
            if c == "value" and "note" not in cols and f.note.strip():
                cell.note = f.note.strip()  # a footnote mark after the value (compose.footnotes)
            cells.append(cell)
        return cells

    def ordered(group: list[Figure]) -> list[Figure]:
        """Subtotals after the last of their parts (when the parts are in the table)."""
        out = [f for f in group if not f.total_of]
        for t in (f for f in group if f.total_of):
            parts = [i for i, f in enumerate(out) if f.id in t.total_of]
            out.insert(max(parts) + 1 if parts else len(out), t)
        return out

    if group_by_category:
        order: list[str] = []
        for f in figs:
            if f.category not in order:
                order.append(f.category)
        for cat in order:
            rows.append([TableCell(cat or "其他", "left", strong=True)] + [TableCell("") for _ in cols[1:]])
            rows.extend(row_of(f) for f in ordered([f for f in figs if f.category == cat]))
    else:
        rows.extend(row_of(f) for f in ordered(figs))
    source_note = "\n".join(filter(None, (source_note, cite_note, COMPUTED_NOTE if computed else "")))
    return Table(rows=rows, header_rows=1, widths=column_weights(rows), caption=caption,
                 source_note=source_note, style=_table_style(style))


def _data_cell(v: Decimal | None) -> TableCell:
    """A period-data value, right-aligned; a gap prints as —."""
    return TableCell("—" if v is None else number_text(v), "right")


def _table_style(style: str) -> Literal["three-line", "grid"]:
    return "three-line" if style == "three-line" else "grid"


def series_table(
    labels: list[str],
    units: list[str],
    periods: list[str],
    values: list[list[Decimal | None]],
    caption: str,
    source_note: str,
    style: str,
    first_title: str = "时期",
) -> Table:
    """Periods as rows and indicators as columns (header: label（unit）); gaps print as —."""
    header = [TableCell(first_title, "center", strong=True)] + [
        TableCell(f"{lab}（{u}）" if u else lab, "center", strong=True) for lab, u in zip(labels, units, strict=True)
    ]
    rows = [header]
    for i, per in enumerate(periods):
        rows.append([TableCell(per)] + [
            _data_cell(col[i]) for col in values
        ])
    # the period column on one line; indicator headers may wrap into two or three lines
    widths = [max(_display_width(r[0].text) for r in rows) + 2.0] + [
        max(max((_display_width(r[c].text) for r in rows[1:]), default=2.0), _display_width(header[c].text) / 2.5)
        + 1.0 for c in range(1, len(header))
    ]
    return Table(rows=rows, header_rows=1, widths=widths, caption=caption,
                 source_note=source_note, style=_table_style(style))


def indicator_table(
    labels: list[str],
    units: list[str],
    periods: list[str],
    values: list[list[Decimal | None]],
    caption: str,
    source_note: str,
    style: str,
) -> Table:
    """``series_table`` turned: indicators as rows (label（unit）), periods as columns — for many
    indicators over few periods, which as columns would need a landscape page of narrow columns."""
    shared = units[0] if len(set(units)) == 1 and units[0] else ""  # one unit: in the header, once
    header = [TableCell("指标", "center", strong=True)] + [
        TableCell(f"{p}（{shared}）" if shared else p, "center", strong=True) for p in periods
    ]
    rows = [header]
    for lab, u, col in zip(labels, units, values, strict=True):
        rows.append([TableCell(f"{lab}（{u}）" if u and not shared else lab)] + [
            _data_cell(v) for v in col
        ])
    return Table(rows=rows, header_rows=1, widths=column_weights(rows), caption=caption,
                 source_note=source_note, style=_table_style(style))
