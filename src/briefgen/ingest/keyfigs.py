"""Turn paragraphs of Chinese report text into key figures, and doubtful numbers into review items.

A figure is emitted only when its value, unit and label are all certain:

* the number is Arabic digits outside quotation marks and book titles, not part of a date, a
  range (``1—2个``) or a code (``5G``, ``“55352”``);
* the unit is one of :data:`UNITS` (a bare ``万``/``亿`` only when a ``其中`` clause borrows the unit of
  the figure it splits: ``常住人口155.9万人，其中户籍人口89.5万``);
* the label is the noun phrase that names the indicator: before the number (``全区实现规上工业总产值
  2231亿元`` → 规上工业总产值, after dropping scope, period, verbs and ``达/为/超``), or, for counts,
  the noun the classifier counts (``建成364个“海棠新享汇”服务中心（站）``); it must pass
  :func:`_label_ok`.

``增长/下降/提高/回落 x%``, ``x个百分点`` and ``增长x倍`` right after a figure become its change
(``同比``/``比上年`` … kept as the basis); a growth rate with no level of its own becomes a rate
figure ``<指标>增速``. ``第九``, ``第241位`` after 位列/居/排名/获评 … become rankings; ``目标/计划/
力争/预计/到20xx年`` make a figure a target. Periods (``今年上半年`` → ``2022年上半年``) are resolved
against the article date; scopes are ``全区``, ``全省`` … as written. Everything in doubt (shares
``60%的GDP``, ``分别``, ranges, bare magnitudes, unclear labels) becomes a review item instead.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal

from briefgen.ingest.labels import compose_part, compose_sentence
from briefgen.ingest.phrases import (
    _AFTER_QUAL,
    _BOUND,
    _POST_STOP,
    _QUAL_BEFORE,
    _SCOPE_RE,
    GENERIC,
    _base_unit,
    _before_digit,
    _blank,
    _clause_end,
    _clause_start,
    _decimal,
    _label_ok,
    _masked,
    _paren_open,
    _parens,
    _post_label,
    _pre_label,
)
from briefgen.ingest.respectively import positional, rankings, shares
from briefgen.ingest.structure import cn_number
from briefgen.ingest.when import carries, find_periods, resolve_match, resolve_period

__all__ = ["Found", "FoundFigure", "ReviewNote", "extract", "resolve_period"]

MONEY = ("元", "美元", "欧元", "港元")
COUNT = ("人次", "户次", "人", "户", "家", "个", "项", "名", "位", "种", "条", "份", "件", "所", "座",
         "处", "场", "次", "批", "套", "辆", "台", "艘", "架", "篇", "部", "只", "头", "株", "间",
         "本", "册", "张", "支", "块", "枚", "宗", "起", "例", "期", "轮", "组", "队", "栋", "幢",
         "村", "镇", "床", "粒", "棵", "尾", "匹", "吨次", "班次", "架次", "车次", "课时", "学时",
         "场次", "件次", "批次", "家次", "个次", "期次")
PHYSICAL = ("吨", "公斤", "千克", "千瓦时", "千瓦", "兆瓦", "立方米", "平方米", "平方公里", "平方千米",
            "公顷", "千公顷", "亩", "公里", "千米", "米", "标准箱", "标箱", "斤", "千伏安", "伏安",
            "微克/立方米", "毫克/立方米", "吨标准煤", "千瓦", "兆瓦时", "立方米/秒")
RATE = ("%", "‰", "个百分点", "百分点", "个千分点", "千分点", "倍")
# Units that make a number a date or a duration: never a figure here.
TIME = ("个月", "个工作日", "年度", "周年", "年", "月", "日", "天", "周", "小时", "分钟", "秒", "岁", "季度")
UNITS = tuple(sorted(MONEY + COUNT + PHYSICAL + RATE + TIME, key=len, reverse=True))
MAGNITUDES = ("万亿", "亿", "万")

_UNIT_ALT = "|".join(re.escape(u) for u in UNITS)
NUM_RE = re.compile(
    r"(?<![\d.,A-Za-z])(?P<num>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    r"(?P<q1>多|余)?(?P<mag>万亿|亿|万)?(?P<q2>多|余)?"
    rf"(?P<unit>{_UNIT_ALT})?(?P<q3>多|余)?"
)
RANK_RE = re.compile(r"第(?P<n>[一二三四五六七八九十百]{1,4}|\d{1,4})(?P<u>位|名)?")
_NOT_RANK_AFTER = re.compile(
    r"^(?:等次|等|批|期|届|次|个|季度|产业|书记|责任人|时间|要务|梯队|方阵|站|课|章|节|条|款|部分|轮|年|"
    r"生产力|动力|次|线|步|阶段|档|类|号|版|页|项|天|周|月|日|轮|场|次)"
)
_LIST_WORDS = re.compile(r"榜|排行|考核|考评|评选|评比|评价|名单|指数|测评|百强|强县|强区|强市|竞赛|大赛|"
                         r"排名|排位|综合实力|发展水平")
_PLACE_END = r"(?:省|市|县|区|州|盟|旗|镇|乡|村|街道|社区|集团|公司|企业|学校|医院|中心|^)$"
_RANK_VERB = re.compile(r"(位列|位居|排名|排在|名列|排位|居于|居|列|获评|荣获|评为|获得|夺得)")

_SENTENCE = re.compile(r"[^。！？!?]+[。！？!?]*")

_CHANGE_UP = ("增长", "增加", "上升", "提高", "提升", "上涨", "扩大", "增")
_CHANGE_DOWN = ("下降", "减少", "回落", "降低", "下滑", "下跌", "收窄", "减", "降")
_CHANGE_RE = re.compile(
    r"(?P<basis>同比|环比|同口径|年均|年平均|两年平均|(?:比|较)(?:上年同期|去年同期|上年末|上年底|年初|上年|去年|上月|上季度|"
    r"(?:19|20)\d{2}年(?:同期|底|末)?))?"
    r"(?:实际|名义)?(?:分别)?(?P<verb>" + "|".join(_CHANGE_UP + _CHANGE_DOWN) + r"|增速为?|增幅为?|降幅为?)了?(?:为|达)?$"
)

_RATE_LABEL = re.compile(r"(?:率|比重|占比|比例|份额|增速|增幅|降幅|满意度|知晓度|指数)$")
# Words that make a figure a target or plan when they stand in its clause (or before the colon that
# opens a list of targets: 今年发展主要预期目标是：国内生产总值增长5%左右；…). 预期 alone is not one:
# 稳预期, 超预期, 预期偏弱 are slogans or descriptions, not targets.
_TARGET = re.compile(
    r"(目标|(?<![动年作])计划(?!单列|生育)|力争|争取|预计|确保|预期(?:目标|增长|达到)|(?<![模比])拟|"
    r"到(?:19|20)\d{2}年|将(?:新建|建成|达到|实现|完成|超过|突破|培育|引进|新增|建设|打造|提高|增长|办好|抓好))"
)
_CLAUSE_MARKS = "，,；;。！？!?"


def _target_cue(blank: str, pos: int) -> bool:
    """A target or plan word in the clause before ``pos``, or before a colon that opens the list."""
    k = pos
    while k > 0 and blank[k - 1] not in _CLAUSE_MARKS:
        k -= 1
    if _TARGET.search(blank[k:pos]):
        return True
    colon = max(blank.rfind("：", 0, pos), blank.rfind(":", 0, pos))
    return colon > 0 and bool(_TARGET.search(blank[:colon]))



@dataclass
class FoundFigure:
    """A certain figure: becomes one ``figures:`` entry."""

    label: str
    value: Decimal
    unit: str
    kind: str
    source_line: int
    section: str = ""
    period: str = ""
    scope: str = ""
    note: str = ""
    change: dict[str, object] | None = None
    paren: bool = False
    start: int = 0  # where the figure starts in its sentence
    end: int = 0  # where the figure (and its change) ends in its sentence
    source_text: str = ""  # the sentence the figure was read from
    reviewed: bool = False  # under a heading about what was done (工作回顾, 完成情况)
    offset: int = 0  # where the figure starts in its paragraph (characters)


@dataclass
class ReviewNote:
    """A number that might be a key figure but is not certain: becomes one ``review:`` entry."""

    text: str
    reason: str
    source_line: int
    value: Decimal | None = None
    unit: str = ""


@dataclass
class Found:
    figures: list[FoundFigure] = field(default_factory=list)
    review: list[ReviewNote] = field(default_factory=list)


# ------------------------------------------------------------------------------- extraction

def extract(text: str, line: int, section: str, today: dt.date | None,
            period: str = "", target_section: bool = False, context: str = "") -> tuple[Found, str]:
    """Figures and review items in one paragraph (normalised text). Returns them and the period
    in force at the end of the paragraph (periods carry from sentence to sentence). ``context`` is
    the period of the heading or document the paragraph sits under: a figure whose sentence and
    paragraph name no period takes it."""
    found = Found()
    ym = re.match(r"(?:19|20)\d{2}", context)
    year = ym.group(0) if ym else ""
    for sm in _SENTENCE.finditer(text):
        sentence = sm.group(0)
        if not re.search(r"\d|第[一二三四五六七八九十]", sentence):
            # a narrative sentence sets the period only when it names one (今年以来，…), not when
            # it tells a course of time (去年一季度…，进入二季度以后…)
            own = find_periods(sentence)
            if len(own) == 1:
                period = resolve_match(own[0], today, year) or period
            continue
        first = len(found.figures)
        period = _sentence(sentence, line, section, today, period, found, target_section, year)
        for f in found.figures[first:]:
            f.period = f.period or context
            f.source_text = sentence.strip()
            f.offset = sm.start() + f.start
    return found, period


def _sentence(s: str, line: int, section: str, today: dt.date | None, period: str,
              found: Found, target_section: bool = False, year: str = "") -> str:
    """Figures of one sentence into ``found``; returns the period that carries to the next one."""
    return _SentenceReader(s, line, section, today, period, found, target_section, year).read()


class _SentenceReader:
    """One sentence: positional lists, rankings, then every number; figures and review notes."""

    def __init__(self, s: str, line: int, section: str, today: dt.date | None, period: str,
                 found: Found, target_section: bool, year: str) -> None:
        self.s, self.line, self.section, self.today, self.year = s, line, section, today, year
        self.found, self.target_section = found, target_section
        self.period = self.carry_in = period
        self.mask = _masked(s)
        self.parens = _parens(s)
        self.blank = _blank(s, self.mask)
        self.figs: list[FoundFigure] = []
        self.taken: set[int] = set()
        self.pending: list[tuple[int, int, Decimal, str, str, str]] = []
        sm = _SCOPE_RE.match(s)
        self.scope_carry = sm.group(1) if sm else ""
        self.periods = find_periods(s)  # the period in force is the last one before a number

    def period_before(self, pos: int) -> str:
        before = [p for p in self.periods if p.end() <= pos]
        return (resolve_match(before[-1], self.today, self.year) if before else "") or self.carry_in

    def clause(self, pos: int) -> str:
        a = _clause_start(self.s, pos, self.mask)
        b = _clause_end(self.s, pos, self.mask)
        return self.s[a:b][:80]

    def review(self, pos: int, reason: str, value: Decimal | None, unit: str) -> None:
        self.found.review.append(ReviewNote(self.clause(pos), reason, self.line, value, unit))

    def read(self) -> str:
        self.lists()
        self.rankings()
        self.numbers()
        self.finish()
        own = [m for m in self.periods if carries(m)]
        return (resolve_match(own[-1], self.today, self.year) or self.carry_in) if own else self.carry_in

    def lists(self) -> None:
        """分别 lists, shares and list rankings, read positionally (``respectively``)."""
        s, mask, figs, taken = self.s, self.mask, self.figs, self.taken
        line, section = self.line, self.section
        blank, target_section, scope_carry, period_before = (self.blank, self.target_section,
                                                             self.scope_carry, self.period_before)
        for it in positional(s, mask) + shares(s, mask) + rankings(s, mask):
            if it.start < 0 or any(k in taken for k in range(it.start, it.end)):
                continue
            value = _decimal(it.value)
            if value is None:
                continue
            taken.update(range(it.start, it.end))
            kind = {"rate": "rate", "share": "rate", "ranking": "ranking"}.get(
                it.kind, "count" if it.unit.lstrip("万亿") in COUNT else "amount")
            if kind != "ranking" and (target_section or _target_cue(blank, it.start)):
                kind = "target"
            figs.append(FoundFigure(it.label, value, it.unit, kind, line, section, period_before(it.start),
                                    "" if kind == "ranking" else scope_carry, start=it.start, end=it.end))

    def rankings(self) -> None:
        """第N位 after 位列/居/排名 …, first, so their digits are not read as counts."""
        s, mask, figs, taken, pending = self.s, self.mask, self.figs, self.taken, self.pending
        line, section, review = self.line, self.section, self.review
        period_before = self.period_before
        for rm in RANK_RE.finditer(s):
            if mask[rm.start()]:
                continue
            after = s[rm.end():]
            if not rm.group("u") and _NOT_RANK_AFTER.match(after):
                continue
            if rm.group("u") and re.match(r"^[次]", after):
                continue
            n = cn_number(rm.group("n"))
            if n is None:
                continue
            a = _clause_start(s, rm.start(), mask)
            head = s[a:rm.start()]
            verbs = list(_RANK_VERB.finditer(head))
            if not verbs and not rm.group("u"):
                continue
            if not rm.group("u") and after[:1] not in ("", "、", "，", "。", "；", ",", ";", "（", "(") \
                    and not after.startswith(("位", "名")):
                continue
            taken.update(range(rm.start(), rm.end()))
            unit = "名" if rm.group("u") == "名" else "位"
            value = Decimal(n)
            if "分别" in s[_clause_start(s, a - 1, mask) if a else 0:rm.start()]:
                review(rm.start(), "分别: which ranking belongs to which label is not certain", value, unit)
                continue
            scope = ""
            rank_period = ""
            if verbs:
                v = verbs[-1]
                between = head[v.end():]
                scopes = _SCOPE_RE.findall(between)
                scope = scopes[-1] if scopes else ""
                if v.group(1) in ("获评", "荣获", "评为", "获得", "夺得"):
                    source = between
                else:
                    source = head[: v.start()]
                    ym0 = re.match(r"^\s*((?:19|20)\d{2})(年度|年)\s*$", source)
                    if ym0:  # 2010年排名第4位: the year is the ranking's period
                        rank_period, source = f"{ym0.group(1)}年", ""
                    if not _LIST_WORDS.search(source) and a > 1:
                        # 在2022年度全省县域经济综合考核中，清河县位列全省第十二
                        a0 = _clause_start(s, a - 1, mask)
                        prev_clause = s[a0:a - 1]
                        if re.match(r"^(?:在|于)", prev_clause) and _LIST_WORDS.search(prev_clause):
                            lm = re.match(r"^(?:在|于)(.*?(?:排名|排行|考核|考评|评选|评比|榜单|测评))中", prev_clause)
                            source = lm.group(1) if lm else prev_clause
                    if source.strip() and not _LIST_WORDS.search(source) and (
                            re.search(_PLACE_END, source.strip())
                            or re.match(r"^(?:在|于).*(?:中|里|内|间)$", source.strip())):
                        # 清河县位列全省第十二: a place or an organisation, not the indicator ranked
                        review(rm.start(), "ranking: the list or indicator ranked is not named", value, unit)
                        continue
                    if not source.strip() and a > 0:
                        # 位列全省第一、全国第九: the second ranking shares the first one's label
                        a2 = _clause_start(s, a - 1, mask)
                        prev = [f for f in figs if f.kind == "ranking" and f.end >= a2]
                        if prev:
                            source = "\x00" + prev[-1].label
                            rank_period = prev[-1].period
                        else:
                            # 增长11.5%，居全省第6位: the ranking of the figure before it (named below)
                            pending.append((rm.start(), rm.end(), value, unit, scope, rank_period))
                            continue
            else:
                sc = _SCOPE_RE.search(head)
                scope = sc.group(1) if sc else ""
                source = head[: sc.start()] if sc else head
            if scope and source.endswith(scope):
                source = source[: -len(scope)]
            if source.startswith("\x00"):
                label = source[1:]
            else:
                source = re.sub(r"^(?:在|于)", "", source.strip())
                source = re.sub(r"(?:中|上|里|内)$", "", source)
                ym = re.match(r"^((?:19|20)\d{2})(年度|年)?(?=[“《\u4e00-\u9fff])", source)
                if ym:
                    rank_period = f"{ym.group(1)}{ym.group(2) or '年'}"
                    source = source[ym.end():]
                base, sc2, _ = _pre_label(source)
                scope = scope or sc2
                if scope and base.endswith(scope):
                    base = base[: -len(scope)]
                label = f"{base}排名" if base and not base.endswith(("排名", "排行")) else base
            if not _label_ok(label):
                review(rm.start(), "ranking without a clear label", value, unit)
                continue
            figs.append(FoundFigure(label, value, unit, "ranking", line, section,
                                    rank_period or period_before(rm.start()),
                                    scope, start=rm.start(), end=rm.end()))

    def numbers(self) -> None:
        """Every other number: a rate, a change of the figure before it, or a level or count."""
        s, mask, figs, taken = self.s, self.mask, self.figs, self.taken
        review = self.review
        periods, today, year, period = self.periods, self.today, self.year, self.period
        parens, blank, target_section = self.parens, self.blank, self.target_section
        next_period = 0
        for nm in NUM_RE.finditer(s):
            start, end = nm.start(), nm.end()
            if mask[start] or start in taken:
                continue
            while next_period < len(periods) and periods[next_period].end() <= start:
                period = resolve_match(periods[next_period], today, year) or period
                next_period += 1
            unit = nm.group("unit") or ""
            mag = nm.group("mag") or ""
            parsed = _decimal(nm.group("num"))
            if parsed is None:
                continue
            value = parsed
            if unit in TIME and not mag:
                continue
            if s[:start].endswith("第"):
                continue  # 第13件, 第九届: an ordinal, not a quantity
            after = s[end:]
            before = s[:start]
            if re.match(r"^[A-Za-z]", after) or re.match(r"^[-:/]\d", after):
                continue  # 5G, 2022-09-23, 09:47
            if re.search(r"\d\s*(?:-|—|－|~|～|至|到)\s*$", before):
                review(start, "range: which end is meant is not certain", value, mag + unit)
                continue
            if re.match(r"^\s*(?:-|—|－|~|～|至|到)\s*\d", after):
                continue  # the first end of a range: reported with the second
            qual = nm.group("q1") or nm.group("q2") or nm.group("q3") or ""
            if not unit:
                if not mag:
                    continue
                # 其中户籍人口89.5万: the unit of the figure this clause splits
                a = _clause_start(s, start, mask)
                prev = [f for f in figs if f.unit.startswith(mag) and len(f.unit) > len(mag)]
                if s[a:start].startswith("其中") and prev:
                    unit = prev[-1].unit[len(mag):]
                else:
                    review(start, f"unit is only a magnitude ({mag})", value, mag)
                    continue
            full_unit = mag + unit
            note = {"多": "多", "余": "余"}.get(qual, "")
            am = _AFTER_QUAL.match(after)
            if am:
                note = note or am.group(1)
            qb = _QUAL_BEFORE.search(s[max(0, start - 2):start])
            if note in _BOUND or (qb and qb.group(1) in _BOUND):
                review(start, "a bound (不足/以下), not a measured value", value, full_unit)
                continue
            a = _clause_start(s, start, mask)
            # the clause text before the number, after any earlier figure in it
            prev_end = max([f.end for f in figs if f.end <= start and f.end > a] + [a])
            pre = s[prev_end:start]
            in_paren = parens[start]
            target = target_section or _target_cue(blank, start)

            self.period = period
            if unit in RATE:
                self._rate(start, end, value, unit, pre, a, prev_end, after, note, in_paren, target)
            else:
                self._level(start, end, value, unit, full_unit, pre, a, prev_end, am, note, in_paren,
                            target)

    def _rate(self, start: int, end: int, value: Decimal, unit: str, pre: str, a: int, prev_end: int,
              after: str, note: str, in_paren: bool, target: bool) -> None:
        """A percentage: a change (增长5%), a growth rate of its own, or a rate (城镇化率63.8%)."""
        s, mask, figs = self.s, self.mask, self.figs
        line, section, review = self.line, self.section, self.review
        period, scope_carry = self.period, self.scope_carry
        cm = _CHANGE_RE.search(pre)
        if cm and cm.group("verb"):
            verb = cm.group("verb")
            sign = -1 if verb.startswith(_CHANGE_DOWN) or verb.startswith("降幅") else 1
            basis = cm.group("basis") or ""
            ch_unit = unit.removeprefix("个")  # 个百分点 → 百分点, 个千分点 → 千分点
            host = _change_host(figs, s, start, cm.start() + prev_end, mask)
            if host is not None:
                host.change = {"value": value * sign, "unit": ch_unit, "basis": basis}
                host.end = end
                return
            label_text = pre[: cm.start()]
            label, scope, _ = _pre_label(label_text)
            if not _label_ok(label) and basis in ("年均", "年平均", "两年平均") and figs:
                label = figs[-1].label + basis  # …，两年平均增长2.5%: the average of the figure before
            if "分别" in s[a:start]:
                review(start, "分别: which change belongs to which label is not certain",
                       value * sign, ch_unit)
                return
            if ch_unit not in ("%", "倍") or not _label_ok(label):
                review(start, "a change with no figure to attach it to", value * sign, ch_unit)
                return
            name = label if label.endswith(("增速", "增幅", "降幅")) else f"{label}增速"
            figs.append(FoundFigure(name, value * sign, ch_unit, "target" if target else "rate",
                                    line, section, period, scope or _carry(figs, scope_carry), note,
                                    None, in_paren, start, end))
            return
        if unit != "%" and unit != "‰":
            review(start, f"{unit} without a change verb", value, unit)
            return
        if after.startswith("的"):
            review(start, "a share (x%的…) without a stated base", value, unit)
            return
        label, scope, qnote = _pre_label(pre)
        if "分别" in s[a:start]:
            review(start, "分别: which value belongs to which label is not certain", value, unit)
            return
        if not _RATE_LABEL.search(label) or not _label_ok(label):
            review(start, "a percentage without a rate label", value, unit)
            return
        figs.append(FoundFigure(label, value, unit, "target" if target else "rate", line,
                                section, period, scope or _carry(figs, scope_carry), qnote or note,
                                None, in_paren, start, end))
        return

    def _level(self, start: int, end: int, value: Decimal, unit: str, full_unit: str, pre: str, a: int,
               prev_end: int, am: re.Match[str] | None, note: str, in_paren: bool, target: bool) -> None:
        """An amount or a count, or a change in its unit (比上年末增加0.8万人)."""
        s, mask, figs = self.s, self.mask, self.figs
        line, section, review = self.line, self.section, self.review
        period, scope_carry = self.period, self.scope_carry
        cm = _CHANGE_RE.search(pre)
        if cm and cm.group("verb") and not cm.group("verb").startswith(("增速", "增幅", "降幅")):
            # 比上年末增加0.8万人: a change in the unit of the figure before it
            verb = cm.group("verb")
            sign = -1 if verb.startswith(_CHANGE_DOWN) else 1
            host = _change_host(figs, s, start, cm.start() + prev_end, mask)
            if host is not None and _base_unit(host.unit) == _base_unit(full_unit):
                host.change = {"value": value * sign, "unit": full_unit, "basis": cm.group("basis") or ""}
                host.end = end
            else:
                review(start, "a change with no figure to attach it to", value * sign, full_unit)
            return
        kind = "count" if unit in COUNT else "amount"
        if target:
            kind = "target"
        label, scope, qnote = _pre_label(pre)
        if in_paren:
            inner = s[_paren_open(s, start):start]
            sc = _SCOPE_RE.fullmatch(inner.strip("（(")) if inner else None
            host = next((f for f in reversed(figs) if not f.paren and f.unit == full_unit), None)
            if sc and host is not None:
                figs.append(FoundFigure(host.label, value, full_unit, host.kind, line, section,
                                        host.period, sc.group(1), note, None, True, start, end))
                return
        if "分别" in s[a:start]:
            review(start, "分别: which value belongs to which label is not certain", value, full_unit)
            return
        if unit not in COUNT:
            post = _before_digit(s[end + (len(am.group(1)) if am else 0):_clause_end(s, end, mask)])
            if re.match(r"^[\u4e00-\u9fff“《]", post):
                plabel = _post_label(post)
                if plabel and plabel not in GENERIC and _label_ok(plabel):
                    label = plabel  # 设立2000万元人才发展专项资金
        else:
            post_end = _clause_end(s, end, mask)
            pm2 = re.match(r"^[（(][^）)，。；]{1,4}[）)]", s[post_end:])
            if pm2:
                post_end += pm2.end()
            post = s[end + (len(am.group(1)) if am else 0):post_end]
            post = _before_digit(post)
            if post and re.match(r"^[\u4e00-\u9fff“《]", post) and not re.match(r"^[的了]", post):
                plabel = _post_label(post)
                if plabel and plabel in GENERIC and _label_ok(label) and not pre.rstrip().endswith("等"):
                    plabel = label + plabel
                if plabel and _label_ok(plabel):
                    label = plabel
                elif _POST_STOP.match(post) or not re.match(r"^[\u4e00-\u9fff“《]", post):
                    pass  # the noun came before the number
                else:
                    review(start, "the counted noun is not certain", value, full_unit)
                    return
        if pre.rstrip().endswith("等") and label and label == _pre_label(pre)[0]:
            review(start, "a count after 等 (the list names the members, not the indicator)",
                   value, full_unit)
            return
        if not _label_ok(label):
            review(start, "no clear label", value, full_unit)
            return
        figs.append(FoundFigure(label, value, full_unit, kind, line, section, period,
                                scope or _carry(figs, scope_carry), qnote or note, None, in_paren,
                                start, end))

    def finish(self) -> None:
        """Pending rankings, label composition, and the figures into ``found``."""
        s, figs, pending = self.s, self.figs, self.pending
        line, section, review = self.line, self.section, self.review
        found = self.found
        for r_start, r_end, value, unit, scope, r_period in pending:
            ranked = [f for f in figs if f.kind != "ranking" and not f.paren and f.end <= r_start]
            if not ranked:
                review(r_start, "ranking: the list or indicator ranked is not named", value, unit)
                continue
            of = max(ranked, key=lambda f: f.end)
            figs.append(FoundFigure(f"{of.label}排名", value, unit, "ranking", line, section,
                                    r_period or of.period, scope, start=r_start, end=r_end))
        figs.sort(key=lambda f: f.start)
        compose_sentence(figs)
        prev_end = 0
        for f in figs:
            compose_part(f, s[prev_end:f.start], found.figures + figs)
            prev_end = max(prev_end, f.end)
        found.figures.extend(figs)






def _carry(figs: list[FoundFigure], default: str) -> str:
    """A scope stated for an earlier figure of the sentence holds for the later ones."""
    for f in reversed(figs):
        if not f.paren and f.kind != "ranking" and f.scope:
            return f.scope
    return default




def _change_host(figs: list[FoundFigure], s: str, pos: int, verb_pos: int,
                 mask: list[bool]) -> FoundFigure | None:
    """The figure a change right after it belongs to: same sentence, only basis words between."""
    for f in reversed(figs):
        if f.paren or f.kind == "ranking":
            continue
        if f.change is not None:
            return None
        gap = s[f.end:verb_pos]
        gap = re.sub(r"[（(][^）)]*[）)]", "", gap)
        gap = _ASIDE.sub("", gap).strip("，,、 ")
        if not gap or _BASIS_GAP.fullmatch(gap):
            return f
        return None
    return None


# Asides between a figure and its change: 按不变价格计算（下同）, 按可比价格计算, 扣除价格因素.
_ASIDE = re.compile(r"(?:按(?:不变|可比|现行)?价格计算|扣除价格因素|按可比口径计算|左右安排|左右)")


_BASIS_GAP = re.compile(
    r"(?:同比|环比|(?:比|较)(?:上年同期|去年同期|上年末|上年底|年初|上年|去年|上月|上季度|"
    r"(?:19|20)\d{2}年(?:同期|底|末)?)|同口径|年均|年平均|两年平均)"
)
