"""Turn positional lists in a sentence into one figure per item.

* ``A、B、C分别实现增加值a、b、c亿元`` / ``A、B增加值分别增长x%、y%`` / ``A、B、C户籍人口分别为a人、b人和c人``:
  the n-th value belongs to the n-th subject (``第一、二、三产业`` expands to 第一产业, 第二产业, 第三产业);
  a shared measure after the last subject (增加值, 户籍人口) goes with every subject; growth values
  become ``<subject><measure>增速``. Counts that differ are left to review.
* ``X贡献了全区60%的GDP、70%的税收…``: shares, labelled ``X贡献GDP占比`` ….
* ``A连续5年、B连续3年入围《财富》世界500强，2022年分别列第75位和第241位``: rankings on the list
  named, one per subject of the clause before.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.ingest.structure import cn_number

_NUM = r"-?\d+(?:\.\d+)?"
_UNIT = r"(?:万亿|亿|万)?(?:元|美元|人|户|家|个|项|吨|公顷|亩|辆|件|名|%|‰|个百分点|百分点)?"
_VALUES = re.compile(rf"(?P<vals>{_NUM}{_UNIT}(?:\s*(?:、|和|及|与)\s*{_NUM}{_UNIT})+)")
_VERB = re.compile(r"分别(?P<verb>增长|下降|提高|降低|上涨|回落|为|达到|达|实现|完成|是|占)?(?:了)?")
_MEASURES = ("人均可支配收入", "户籍人口", "增加值", "总产值", "产值", "产量", "营业收入", "收入", "投资",
             "零售额", "销售额", "人口", "面积", "利润")


@dataclass
class Item:
    """One figure read from a positional list."""

    label: str
    value: str
    unit: str
    kind: str  # "level", "rate" (a growth rate), "share" or "ranking"
    start: int
    end: int


def _expand(subjects: list[str]) -> list[str]:
    """第一、二、三产业 → 第一产业, 第二产业, 第三产业 (二、三产业 too)."""
    last = subjects[-1]
    m = re.match(r"^(第)?([一二三四五六七八九十])(.+)$", last)
    if m and all(re.fullmatch(r"第?[一二三四五六七八九十]", s) for s in subjects[:-1]):
        return ["第" + s.removeprefix("第") + m.group(3) for s in subjects[:-1]] + ["第" + last.removeprefix("第")]
    return subjects


def _split_values(vals: str) -> list[tuple[str, str]]:
    out = [(m.group(1), m.group(2)) for m in re.finditer(rf"({_NUM})({_UNIT})", vals)]
    units = [u for _, u in out if u]
    if units and len(set(units)) == 1:
        out = [(v, u or units[0]) for v, u in out]  # 分别为a、b、c亿元: the unit is written once
    return out


def positional(s: str, mask: list[bool]) -> list[Item]:
    """Figures of ``…分别…`` lists in sentence ``s`` (quoted text is never read)."""
    items: list[Item] = []
    for vm in _VERB.finditer(s):
        if mask[vm.start()]:
            continue
        after = s[vm.end():]
        named = next((m for m in _MEASURES if after.startswith(m)), "")  # 分别实现增加值a、b、c亿元
        lm = _VALUES.match(after, len(named))
        if not lm:
            continue
        clause_start = max(s.rfind(c, 0, vm.start()) for c in "，,；;。：:") + 1
        head = s[clause_start:vm.start()]
        head = re.sub(r"^(?:其中|同时|而|此外)[，,]?", "", head)
        head = re.sub(r"^(?:全县|全区|全市|全省|全镇|全国)", "", head)
        head = re.sub(r"(?:同比|比上年|较上年)$", "", head)
        parts = [p for p in re.split(r"、|和|及|与", head) if p]
        values = _split_values(lm.group("vals"))
        if len(parts) < 2 or len(parts) != len(values):
            continue
        measure = "" if named else next((m for m in _MEASURES if parts[-1].endswith(m) and parts[-1] != m), "")
        subjects = parts[:-1] + [parts[-1][: len(parts[-1]) - len(measure)]] if measure else parts
        measure = measure or named
        subjects = [re.sub(r"(?:[两三四五六七八九十]个行业|等)$", "", x).strip() for x in subjects]
        subjects = _expand(subjects)
        if any(not x or len(x) > 20 or re.search(r"\d", x) for x in subjects):
            continue
        verb = vm.group("verb") or ""
        growth = verb in ("增长", "下降", "提高", "降低", "上涨", "回落")
        sign = -1 if verb in ("下降", "降低", "回落") else 1
        pos = vm.end() + len(named)
        for subj, (v, u) in zip(subjects, values, strict=True):
            vpos = s.find(v, pos)
            label = subj + measure
            if growth and u == "%":
                items.append(Item(label + "增速", str(sign * float(v)) if sign < 0 else v, "%", "rate",
                                  vpos, vpos + len(v) + len(u)))
            elif not growth and u:
                items.append(Item(label, v, u, "level", vpos, vpos + len(v) + len(u)))
            pos = vpos + len(v)
    return items


_SHARE = re.compile(r"(?P<subj>[\u4e00-\u9fff]{2,12}?)贡献了?(?:全区|全市|全县|全省|全镇|全国)?"
                    rf"(?P<list>{_NUM}%的[^、，,。；;和]+(?:(?:、|和){_NUM}%的[^、，,。；;和]+)+)")


def shares(s: str, mask: list[bool]) -> list[Item]:
    """``民营企业贡献了全区60%的GDP、70%的税收…`` → 民营企业贡献GDP占比 60% …"""
    items: list[Item] = []
    for m in _SHARE.finditer(s):
        if mask[m.start()]:
            continue
        subj = re.sub(r"^(?:其中|同时)", "", m.group("subj"))
        base = m.start("list")
        for pm in re.finditer(rf"({_NUM})%的([^、，,。；;和]+)", m.group("list")):
            items.append(Item(f"{subj}贡献{pm.group(2)}占比", pm.group(1), "%", "share",
                              base + pm.start(), base + pm.start(2) - 1))
    return items


_RANKS = re.compile(r"分别(?:列|位列|位居|排名|排|居)第(?P<a>[\d一二三四五六七八九十百]+)位"
                    r"(?P<rest>(?:(?:、|和|及)第[\d一二三四五六七八九十百]+位)+)")
_LIST = re.compile(r"(?:入围|进入|入选|跻身|位列)(?P<list>《[^》]+》[^，,。；;、]{0,12}|“[^”]+”)")


def rankings(s: str, mask: list[bool]) -> list[Item]:
    """``A连续5年、B连续3年入围《财富》世界500强，2022年分别列第75位和第241位`` → two rankings."""
    items: list[Item] = []
    for m in _RANKS.finditer(s):
        if mask[m.start()]:
            continue
        nums = [m.group("a")] + re.findall(r"第([\d一二三四五六七八九十百]+)位", m.group("rest"))
        prev_end = max(s.rfind(c, 0, m.start()) for c in "，,；;")
        prev_start = max(s.rfind(c, 0, prev_end) for c in "，,；;。") + 1 if prev_end > 0 else 0
        prev = s[prev_start:prev_end] if prev_end > 0 else ""
        lm = _LIST.search(prev)
        if not lm:
            continue
        subjects = [re.split(r"连续|先后|均|都|入围|进入|入选", p)[0] for p in re.split(r"、", prev[: lm.start()])]
        subjects = [re.sub(r"^(?:其中|同时)", "", x).strip() for x in subjects]
        if len(subjects) != len(nums) or any(not x or len(x) > 12 for x in subjects):
            continue
        pos = m.start()
        for subj, n in zip(subjects, nums, strict=True):
            value = n if n.isdigit() else str(cn_number(n) or "")
            if not value:
                break
            k = s.find(f"第{n}位", pos)
            items.append(Item(f"{subj}{lm.group('list')}排名", value, "位", "ranking", k, k + len(n) + 2))
            pos = k + 1
    return items
