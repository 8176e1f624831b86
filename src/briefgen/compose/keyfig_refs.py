"""Turn figure references (``gdp_2021``, ``retail@2026-09``, ``retail@-1``) into figures for a brief's period.

Figures written in a pack are returned as they are. Indicators of a pack's period data become
figures for the requested period: the value of that period (or, if the data stops earlier, the
latest older value, marked stale), with 同比 and 环比 changes *computed* from the same period a
year earlier and the previous period when the data has them (``Change.computed``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from briefgen.errors import available, suggest
from briefgen.i18n import _
from briefgen.model.datasets import DataPoint
from briefgen.model.periods import Period, parse_period
from briefgen.model.sourcepack import Change, Figure, Indicator, LoadedPack, data_provenance

RATE_UNITS = ("%", "‰")
_REF = re.compile(r"^([a-z0-9][a-z0-9_]*)(?:@(.+))?$")


class RefError(ValueError):
    """A reference that names no figure (or a bad period); carries a hint."""

    def __init__(self, message: str, hint: str = "", code: str = "E-UNKNOWN-FIGURE") -> None:
        super().__init__(message)
        self.hint = hint
        self.code = code


def percent_change(now: Decimal, before: Decimal, decimals: int = 1) -> Decimal | None:
    """(now − before) / before × 100, rounded half up; None when ``before`` is zero."""
    if before == 0:
        return None
    q = Decimal(1).scaleb(-decimals)
    return ((now - before) / abs(before) * 100).quantize(q, rounding=ROUND_HALF_UP)


def point_change(now: Decimal, before: Decimal, decimals: int = 1) -> Decimal:
    """now − before (for rates: 百分点), rounded half up."""
    q = Decimal(1).scaleb(-decimals)
    return (now - before).quantize(q, rounding=ROUND_HALF_UP)


def is_rate(ind: Indicator) -> bool:
    return ind.kind == "rate" or ind.unit in RATE_UNITS


@dataclass(frozen=True)
class SeriesPoint:
    """One value of a data series (None where the data has a gap)."""

    period: Period
    value: Decimal | None
    line: int | None


class FigureIndex:
    """Looks figures up by reference in the brief's source packs, at the brief's period."""

    def __init__(self, packs: dict[str, LoadedPack], period: Period | None) -> None:
        self.packs = packs
        self.period = period
        self._memo: dict[tuple[str, str], Figure] = {}

    # ------------------------------------------------------------ periods
    def period_of(self, pack: LoadedPack) -> Period | None:
        """The brief's period, or else the latest period in the pack's data."""
        if self.period is not None:
            return self.period
        latest = [p for s in pack.series.values() for p in s]
        return max(latest) if latest else None

    def periods(self, pack: LoadedPack, indicator: str, count: int, end: Period | None = None) -> list[Period]:
        """The ``count`` periods ending at ``end`` (default: the brief's) in the indicator's kind."""
        last = end or self.period_of(pack)
        if last is None:
            return []
        kinds = {p.kind for p in pack.series.get(indicator, {})}
        if kinds and last.kind not in kinds:
            last = last.as_kind(sorted(kinds)[0])  # a yearly brief's quarters run to its Q4
        return [last.shift(-k) for k in range(count - 1, -1, -1)]

    def series(self, pack: LoadedPack, indicator: str, periods: list[Period]) -> list[SeriesPoint]:
        data = pack.series.get(indicator, {})
        return [SeriesPoint(p, data[p].value if p in data else None, data[p].line if p in data else None)
                for p in periods]

    # ------------------------------------------------------------ lookup
    def ids(self, pack: LoadedPack) -> set[str]:
        return set(pack.figures) | set(pack.indicators)

    def has(self, pack: LoadedPack, ref: str) -> bool:
        """Whether ``ref``'s id (``id`` or ``id@PERIOD``) is the pack's (without building ``ids``)."""
        fid = ref.split("@")[0]
        return fid in pack.figures or fid in pack.indicators

    def all_ids(self) -> set[str]:
        return {i for p in self.packs.values() for i in self.ids(p)}

    def find_pack(self, ref: str) -> LoadedPack | None:
        """The first pack (in the brief's order) that defines ``ref``'s id."""
        m = _REF.match(ref)
        fid = m.group(1) if m else ref
        for pack in self.packs.values():
            if fid in pack.figures or fid in pack.indicators:
                return pack
        return None

    def get(self, ref: str, pack: LoadedPack | None = None) -> Figure:
        """The figure ``ref`` names (``id`` or ``id@PERIOD`` / ``id@-N``); raises RefError."""
        pack = pack or self.find_pack(ref)
        m = _REF.match(ref)
        if pack is None or m is None:
            pool = self.all_ids() if pack is None else self.ids(pack)
            raise RefError(_("unknown figure {id!r}").format(id=ref), suggest(ref, pool) or available(pool))
        fid, at = m.group(1), m.group(2)
        key = (str(pack.path), ref)
        if key in self._memo:
            return self._memo[key]
        if fid in pack.figures and at is None:
            fig = pack.figures[fid]
        elif fid in pack.indicators:
            fig = self._indicator(pack, fid, self._at(pack, fid, at))
        elif fid in pack.figures:
            raise RefError(_("figure {id!r} is not period data; {ref!r} cannot name a period").format(id=fid, ref=ref),
                           _("only indicators from data files take @PERIOD"), code="E-NOT-PERIOD-DATA")
        else:
            pool = self.ids(pack)
            raise RefError(_("unknown figure {id!r}").format(id=fid), suggest(fid, pool) or available(pool))
        self._memo[key] = fig
        return fig

    def _at(self, pack: LoadedPack, fid: str, at: str | None) -> Period:
        base = self.period_of(pack)
        # @-1 / @+2 / @0 count periods from the brief's; @2017 is the year 2017, not 2017 periods on
        if at is None or re.fullmatch(r"[+-]\d+|0", at):
            if base is None:
                raise RefError(_("no period for {id!r}: the brief has no period and the data none").format(id=fid),
                               _("set period: YYYY-MM in the brief or --set period=…"), code="E-NO-PERIOD")
            kinds = {p.kind for p in pack.series.get(fid, {})}
            if kinds and base.kind not in kinds:
                example = {"M": "2026-09", "Q": "2026-Q3", "Y": "2026"}[sorted(kinds)[0]]
                raise RefError(_("{id!r} has {kinds} data, the brief's period is {period}").format(
                                   id=fid, kinds="/".join(sorted(kinds)), period=base),
                               _("name the period: {ref}").format(ref=f"{fid}@{example}"), code="E-PERIOD-KIND")
            return base.shift(int(at)) if at else base
        try:
            p = parse_period(at)
        except ValueError as e:
            raise RefError(_("bad period in {ref}: {error}").format(ref=f"{fid}@{at}", error=e),
                           code="E-BAD-PERIOD") from None
        return p

    def _indicator(self, pack: LoadedPack, fid: str, want: Period) -> Figure:
        ind = pack.indicators[fid]
        data = pack.series[fid]
        point = data.get(want)
        stale = False
        if point is None:
            older = [p for p in data if p.kind == want.kind and p < want]
            if not older:
                raise RefError(_("no data for {id!r} in {period} or before").format(id=fid, period=want),
                               _("the data has {periods}").format(
                                   periods=", ".join(str(p) for p in sorted(data)[-3:]) or _("no values")),
                               code="E-NO-DATA")
            point = data[max(older)]
            stale = True
        per = point.period
        compared: list[DataPoint] = []
        yoy = mom = None
        before = data.get(per.year_ago())
        if before is not None and per.kind != "Y":
            yoy = self._change(ind, point.value, before.value, "同比")
            compared.append(before)
        prev = data.get(per.shift(-1))
        if prev is not None:
            mom = self._change(ind, point.value, prev.value, "环比" if per.kind != "Y" else "比上年")
            compared.append(prev)
        if per.kind == "Y" and mom is not None:
            yoy, mom = mom, None  # a yearly value: the change against the year before is 比上年
        fig = Figure(id=fid, label=ind.label, value=point.value, unit=ind.unit, period=per.chinese,
                     change=yoy, mom=mom, scope=ind.scope, section=ind.section, category=ind.category,
                     kind=ind.kind, tags=list(ind.tags), note=point.note or ind.note,
                     total_of=list(ind.total_of), source_line=None)
        fig._prov = data_provenance(pack, fid, point, compared)
        fig._period = per
        if stale:
            fig._stale_for = want
        return fig

    @staticmethod
    def _change(ind: Indicator, now: Decimal, before: Decimal, basis: str) -> Change | None:
        if is_rate(ind):
            return Change(value=point_change(now, before, ind.decimals), unit="百分点", basis=basis,
                          computed=True)
        pct = percent_change(now, before, ind.decimals)
        return None if pct is None else Change(value=pct, unit="%", basis=basis, computed=True)


# ---------------------------------------------------------------- period text of pack figures

_CN_NUM = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10,
           "十一": 11, "十二": 12}
_SPAN = re.compile(
    r"^(?P<y>\d{4})年?(?:"
    r"(?P<half>上半年|下半年)"
    r"|第?(?P<q>[一二三四1-4])季度"
    r"|前(?P<qs>[一二三])季度"
    r"|(?P<m1>\d{1,2})(?:[-—–~～至到](?P<m2>\d{1,2}))?月(?:份)?(?:末|底)?"
    r"|(?P<end>末|底|全年)?"
    r")$"
)


def period_span(text: str) -> tuple[int, int] | None:
    """A figure's period text as an inclusive month range ``(year*12+m0, year*12+m1)`` (months 0–11):
    2022年上半年, 2021年, 2022年9月, 2022年1-8月, 2026年第三季度, 前三季度, 2026-10, 2026-Q3.
    None when the text is not one of these (no stale check then)."""
    t = text.strip().replace(" ", "")
    if not t:
        return None
    try:
        p = parse_period(t) if re.match(r"^\d{4}(-|$)", t) else None
    except ValueError:
        p = None
    if p is not None:
        return month_range(p)
    m = _SPAN.match(t)
    if not m:
        return None
    y = int(m.group("y")) * 12
    if m.group("half"):
        return (y, y + 5) if m.group("half") == "上半年" else (y + 6, y + 11)
    if m.group("q"):
        q = m.group("q")
        n = int(q) if q.isdigit() else _CN_NUM[q]
        return (y + 3 * (n - 1), y + 3 * n - 1)
    if m.group("qs"):
        return (y, y + 3 * _CN_NUM[m.group("qs")] - 1)
    if m.group("m1"):
        a = int(m.group("m1"))
        b = int(m.group("m2") or a)
        if not (1 <= a <= b <= 12):
            return None
        return (y + a - 1, y + b - 1)
    if m.group("end") in ("末", "底"):
        return (y + 11, y + 11)
    return (y, y + 11)


def month_range(p: Period) -> tuple[int, int]:
    y = p.year * 12
    if p.kind == "M":
        return (y + p.index - 1, y + p.index - 1)
    if p.kind == "Q":
        return (y + 3 * (p.index - 1), y + 3 * p.index - 1)
    return (y, y + 11)


def figure_span(fig: Figure) -> tuple[int, int] | None:
    per = fig.data_period
    return month_range(per) if per is not None else period_span(fig.period)


def is_stale(fig: Figure, brief_period: Period | None) -> bool:
    """Older than the brief's period: its period ends before the brief's period begins."""
    if fig.stale_for is not None:
        return True
    if brief_period is None:
        return False
    span = figure_span(fig)
    return span is not None and span[1] < month_range(brief_period)[0]


@dataclass
class FigureUse:
    """One use of a key figure in the brief: which figure, and where it is asked for."""

    ref: str
    figure: Figure
    file: str
    line: int | None
    col: int | None
    path: str  # spec field path, or "" for templates
    fmt: str = "value"  # the inline form asked for (``period`` prints the figure's period with it)
