"""Turn period words in Chinese report text (2025年前三季度, 今年上半年, 1-8月, 年末, 截至9月14日) into
canonical periods, telling the period a figure belongs to from a comparison base (比上年, 较1-7月,
与2020年相比) that must never become one.

Canonical forms: ``2025年``, ``2025年前三季度``, ``2023年1-8月``, ``2022年末``, ``2023年8月``,
``2022年9月14日``; without a known year the year is left out (``1-8月``, ``8月末``). Relative words
(今年, 去年, 全年, 年末) are resolved against a reference date: the article's date or, failing that,
the year its title names (a 2022年…统计公报 speaks of 2022).
"""

from __future__ import annotations

import datetime as dt
import re

SUB = (r"(?:上半年|下半年|前三季度|前两季度|第?[一二三四]季度|全年|年末|年底|年初|年中|"
       r"\d{1,2}\s*(?:-|—|－|~|～|至)\s*\d{1,2}月(?:份)?|\d{1,2}月(?:份|底|末)?|末|底)")
PERIOD_RE = re.compile(
    rf"(?:截至|截止到?)?(?P<y>(?:19|20)\d{{2}})年(?:度)?(?P<sub>{SUB})?(?P<tail>以来)?"
    rf"|(?P<rel>今年|本年|去年|上年|前年)(?:度)?(?P<rsub>{SUB})?(?P<rtail>以来)?"
    rf"|(?P<md>(?:截至|截止到?)(?:\d{{4}}年)?\d{{1,2}})月(?P<day>\d{{1,2}}日|底|末)"
    rf"|(?P<md2>(?<![\d\-—~至])\d{{1,2}})月(?P<day2>底|末|当月)"
    rf"|(?P<plan>[“\"]?十[一二三四五六七八九]?五[”\"]?(?:时期|期间|规划期|以来)?)"
    rf"|(?P<past>过去五年|五年来|近五年)"
    rf"|(?<![\d年])(?P<bsub>上半年|前三季度|第?[一二三四]季度|"
    rf"\d{{1,2}}\s*(?:-|—|－|~|～|至)\s*\d{{1,2}}月(?:份)?|全年|年末|年底)"
)
_SUB_END = {"上半年": 6, "前三季度": 9, "前两季度": 6, "一季度": 3, "第一季度": 3, "二季度": 6,
            "第二季度": 6, "三季度": 9, "第三季度": 9, "四季度": 12, "第四季度": 12}
# Words that make the period after them a comparison base: 比上年, 较1-7月, 与2020年相比, 高于去年同期.
_BASE_BEFORE = re.compile(r"(?:比|较|与|同|于|和|跟|对比|相较)(?:[、和及与]|[^，,；;。]{0,40}?[、和及与])?$")
_BASE_AFTER = re.compile(r"^(?:同期)?(?:相比|相较|比较|持平|同期水平)")
_YEAR_RE = re.compile(r"((?:19|20)\d{2})年")


def _norm_sub(sub: str) -> str:
    sub = re.sub(r"\s", "", sub)
    sub = re.sub(r"[—－~～至]", "-", sub).replace("份", "")
    sub = {"全年": "", "年底": "年末", "底": "末", "年度": ""}.get(sub, sub)
    return sub.replace("月底", "月末")


def is_base(text: str, m: re.Match[str]) -> bool:
    """True when the period at ``m`` is what a figure is compared with, not its own period."""
    before = text[max(0, m.start() - 44):m.start()]
    before = re.split(r"[，,；;。：:]", before)[-1]
    if m.group(0).startswith(("截至", "截止")):
        return False
    return bool(_BASE_BEFORE.search(before)) or bool(_BASE_AFTER.match(text[m.end():]))


def carries(m: re.Match[str]) -> bool:
    """Whether a period holds beyond its sentence: 8月当月 is an aside about one month."""
    return m.group(0)[-2:] != "当月"


def find_periods(text: str) -> list[re.Match[str]]:
    """Period expressions of ``text`` that are not comparison bases, in order."""
    return [m for m in PERIOD_RE.finditer(text) if not is_base(text, m)]


def resolve_match(m: re.Match[str], ref: dt.date | None, year: str = "") -> str:
    """One period match → canonical text (see the module docstring). ``year`` is the year the
    surrounding heading speaks of: a bare 全年 or 年末 under 2024年工作回顾 means 2024."""
    if m.group("y"):
        return f"{m.group('y')}年{_norm_sub(m.group('sub') or '').removeprefix('年')}{m.group('tail') or ''}"
    if m.group("rel"):
        sub = _norm_sub(m.group("rsub") or "")
        tail = m.group("rtail") or ""
        if ref is None:
            return f"{m.group('rel')}{sub}{tail}"
        y = ref.year - {"今年": 0, "本年": 0, "去年": 1, "上年": 1, "前年": 2}[m.group("rel")]
        return f"{y}年{sub.removeprefix('年')}{tail}"
    if m.group("plan"):
        core = re.sub(r"[“”\"]", "", m.group("plan"))
        return "“" + core[:3] + "”" + ("时期" if len(core) > 3 and core[3:] != "以来" else core[3:])
    if m.group("past"):
        return f"{ref.year - 5}-{ref.year - 1}年" if ref else m.group("past")
    if m.group("md") or m.group("md2"):
        md = m.group("md") or m.group("md2")
        month = re.sub(r"\D", "", re.sub(r"\d{4}年", "", md))
        day = m.group("day") or m.group("day2")
        tail = "" if day == "当月" else ("末" if day in ("底", "末") else day)
        text = f"{month}月{tail}"
        return f"{ref.year}年{text}" if ref else text
    sub = _norm_sub(m.group("bsub") or "")
    if sub == "" or sub == "年末":
        yy = year or (str(ref.year) if ref else "")
        return f"{yy}年{sub}" if yy else ("全年" if sub == "" else sub)
    if ref is None:
        return sub
    end_month = _SUB_END.get(sub)
    if end_month is None:
        mm = re.search(r"(\d{1,2})月$", sub)
        end_month = int(mm.group(1)) if mm else 13
    if end_month <= 12 and (ref.month > end_month or (ref.month == end_month and ref.day >= 28)):
        return f"{ref.year}年{sub}"
    return sub


def resolve_period(text: str, today: dt.date | None) -> str:
    """The first own period of ``text``: ``今年上半年`` → ``2022年上半年`` on 2022-09-23; '' if none."""
    found = find_periods(text)
    return resolve_match(found[0], today) if found else ""


def reference_date(date: dt.date | None, title: str) -> dt.date | None:
    """The date relative period words are read against: the article date, else its title's year."""
    if date is not None:
        return date
    m = _YEAR_RE.search(title or "")
    return dt.date(int(m.group(1)), 12, 31) if m else None


def context_period(text: str, ref: dt.date | None) -> str:
    """The period a title or heading sets for what follows it (``2024年工作回顾`` → 2024年)."""
    return resolve_period(text, ref)
