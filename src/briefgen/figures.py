"""Turn key figures into display text (2231亿元, 增长4.1%) and into figure-table nodes."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from briefgen.sourcepack import Change, Figure
from briefgen.tree import Table, TableCell

PREFIX_QUALIFIERS = ("超", "逾", "近", "约", "超过")
SUFFIX_QUALIFIERS = ("余", "多")
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
    q = fig.note.strip()
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


def change_text(change: Change | None, signed: bool = False) -> str:
    """``增长4.1%`` / ``下降0.3个百分点`` (or ``+4.1%`` with ``signed``); basis kept unless 同比."""
    if change is None:
        return ""
    v = change.value
    unit = change.unit
    if unit == "百分点":
        unit = "个百分点"
    if signed:
        sign = "+" if v > 0 else ("−" if v < 0 else "±")
        return f"{sign}{number_text(abs(v))}{unit}"
    if unit == "倍":
        word = "增长" if v >= 0 else "下降"
    elif "百分点" in unit:
        word = "提高" if v >= 0 else "下降"
    else:
        word = "增长" if v >= 0 else "下降"
    basis = "" if change.basis in ("", "同比") else change.basis
    return f"{basis}{word}{number_text(abs(v))}{unit}"


def fig_text(fig: Figure, fmt: str = "value") -> str:
    """Inline forms: value (2231亿元), number (2231), change (增长4.1%), full (2231亿元，增长4.1%),
    period (2022年上半年2231亿元)."""
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
    return value_text(fig)


FIG_FORMATS = ("value", "number", "change", "full", "period", "label")


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
) -> Table:
    """A key-figure table; a unit shared by every row moves into the value column's header."""
    figs = list(figures)
    cols = list(columns)
    units = {f.unit for f in figs}
    shared_unit = len(units) == 1 and "unit" in cols and next(iter(units)) != ""
    if shared_unit:
        cols.remove("unit")
    header = []
    for c in cols:
        title = COLUMN_TITLES[c]
        if c == "value" and shared_unit:
            title = f"{title}（{next(iter(units))}）"
        header.append(TableCell(title, "center", strong=True))
    rows: list[list[TableCell]] = [header]
    numeric = {"value", "change"}

    def row_of(f: Figure) -> list[TableCell]:
        cells = []
        for c in cols:
            if c == "label":
                text = f.label
            elif c == "value":
                text = value_text(f, with_unit=False) if ("unit" in cols or shared_unit) else value_text(f)
            elif c == "unit":
                text = f.unit
            elif c == "change":
                text = change_text(f.change)
            elif c == "period":
                text = f.period
            elif c == "scope":
                text = f.scope
            elif c == "source":
                text = f.section
            elif c == "category":
                text = f.category
            else:
                text = "" if f.note in PREFIX_QUALIFIERS + SUFFIX_QUALIFIERS else f.note
            cells.append(TableCell(text, "right" if c in numeric else "left"))
        return cells

    if group_by_category:
        order: list[str] = []
        for f in figs:
            if f.category not in order:
                order.append(f.category)
        for cat in order:
            rows.append([TableCell(cat or "其他", "left", strong=True)] + [TableCell("") for _ in cols[1:]])
            rows.extend(row_of(f) for f in figs if f.category == cat)
    else:
        rows.extend(row_of(f) for f in figs)
    return Table(rows=rows, header_rows=1, widths=column_weights(rows), caption=caption,
                 source_note=source_note, style="three-line" if style == "three-line" else "grid")
