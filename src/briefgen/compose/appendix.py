"""Turn the figures a brief used into its sources appendix: one row per figure (a series once), each source document named once under the table."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from briefgen.compose.citations import UNKNOWN as UNKNOWN
from briefgen.compose.citations import cite
from briefgen.compose.keyfig_refs import FigureUse
from briefgen.compose.keyfig_tables import value_text
from briefgen.model.sourcepack import Figure, series_provenance
from briefgen.model.spec import AppendixBlock
from briefgen.tree import Block, Heading, Paragraph, Table, TableCell, plain

#: Relative column weights: 序号, 指标, 数值, 时期, 出处 (the layout engine starts from them).
WEIGHTS = (2.0, 5.0, 3.5, 4.0, 12.0)


def _row(figs: list[Figure]) -> tuple[str, str, tuple[str, str]]:
    """Value, period and (origin, place) of one appendix row (a series: all its periods)."""
    f = figs[0]
    prov = f.provenance
    ref = (prov.origin(), prov.place()) if prov is not None else ("", "")
    if len(figs) == 1:
        return value_text(f), f.period, ref
    figs.sort(key=lambda x: str(x.data_period))
    series = series_provenance([x.provenance for x in figs if x.provenance])
    return f"共{len(figs)}期", f"{figs[0].period}—{figs[-1].period}", series if series[0] else ref


def sources_appendix(
    uses: Sequence[FigureUse], blk: AppendixBlock, style: Literal["three-line", "grid"]
) -> list[Block]:
    """Every figure used, once, with its value, period and place in its source; a data series
    named period by period (id@PERIOD, as charts and series tables do) is one row for all its
    periods; the sources themselves are listed under the table."""
    groups: dict[tuple[str, str], list[Figure]] = {}
    for u in uses:
        f = u.figure
        key = (f.id, "@") if "@" in u.ref and f.data_period is not None else (f.id, f.period)
        if f not in groups.setdefault(key, []):
            groups[key].append(f)
    out: list[Block] = [Heading(blk.level, plain(blk.heading), numbered=blk.numbered)]
    if not groups:
        out.append(Paragraph(plain("本材料未引用关键数据。")))
        return out
    rows = [[TableCell(t, "center", True) for t in ("序号", "指标", "数值", "时期", "出处")]]
    made = [(figs[0].label, *_row(figs)) for figs in groups.values()]
    cells, note = cite([ref for *_, ref in made])
    for n, ((label, value, period, _), where) in enumerate(zip(made, cells, strict=True), 1):
        rows.append([TableCell(str(n), "center"), TableCell(label), TableCell(value, "right"),
                     TableCell(period), TableCell(where)])
    out.append(Table(rows, header_rows=1, widths=list(WEIGHTS), source_note=note, style=style,
                     reference=True))
    return out
