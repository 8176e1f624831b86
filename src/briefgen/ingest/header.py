"""Turn the lines right under an article's title (datelines, 来源/作者 lines, an issuing body and its
date) into the article's date, publisher and author.

``structure`` asks :func:`read_header_line` about each of the first few lines after the title; a line
that is one is dropped from the body and what it says fills the fields still empty.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

SENTENCE_END = "。！？!?"
DATE_RE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})\s*日?")
_PUBLISHER = re.compile(
    r"来源\s*[：:]\s*(?P<p>[^\s　|｜，,;；]+?)(?=作者|记者|编辑|责任编辑|发布|时间|日期|字号|浏览|阅读|文字|背景|字体|点击|[\s　|｜，,;；]|$)"
)
ORG_END = re.compile(r"(?:局|委|办|室|厅|部|院|署|政府|办事处|委员会|居委会|村委会|中心|日报|晚报|报社|杂志社|公司|集团|协会|学会|网|社|站|所|处|科)$")
_LABELS = "编辑|责编|来源|发布|时间|日期|通讯员|摄影|实习"  # words that end a name list
_AUTHOR = re.compile(
    rf"(?:作者|记者)\s*[：:]?\s*(?P<a>[\u4e00-\u9fff]{{2,4}}?(?:[、 ](?!{_LABELS})[\u4e00-\u9fff]{{2,4}}?)*)"
    rf"(?={_LABELS}|[\s|｜，,；;）)]|$)"
)


@dataclass
class HeaderFacts:
    """What one header line says (empty fields: it does not say)."""

    date: dt.date | None = None
    publisher: str = ""
    author: str = ""


def is_sentence(text: str) -> bool:
    """Whether ``text`` reads as (part of) a sentence rather than a title or label."""
    return any(ch in text for ch in SENTENCE_END) or text.rstrip().endswith(("；", ";", "：", ":", "，", ","))


def date_of(m: re.Match[str]) -> dt.date | None:
    """The date a :data:`DATE_RE` match names, or None when it is no calendar date (2023年2月30日)."""
    try:
        return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None


def read_header_line(t: str) -> HeaderFacts | None:
    """What a (normalised) line under the title says of date, publisher and author; None when it
    is not a header line (``2023-05-06 县统计局``, ``来源：县政府办 作者：王明 发布时间：…``)."""
    if not is_sentence(t) and len(t) <= 40:
        m = DATE_RE.search(t)
        org = (t[: m.start()] if m else t).strip(" 　·|｜")
        if m and (not org or ORG_END.search(org)) and not t[m.end():].strip(" 　:：0123456789"):
            return HeaderFacts(date=date_of(m), publisher=org)
        tail = t[m.end():].strip(" 　·|｜") if m else ""
        if m and not org and ORG_END.search(tail) and not re.search(r"[\s：:\d]", tail):
            return HeaderFacts(date=date_of(m), publisher=tail)  # 2024-03-15 示例县统计局
        if not m and ORG_END.search(t) and len(t) <= 20 and " " not in t and not re.search(r"[：:]", t):
            return HeaderFacts(publisher=t)
    facts = HeaderFacts()
    hit = False
    m = DATE_RE.search(t)
    if m and (m.start() == 0 or re.search(r"(?:发布|时间|日期|来源)", t)) and date_of(m):
        facts.date = date_of(m)
        hit = True
    p = _PUBLISHER.search(t)
    if p:
        facts.publisher = p.group("p").strip()
        hit = True
    a = _AUTHOR.search(t)
    if a and (hit or t.startswith(("作者", "记者"))):
        facts.author = a.group("a")
        hit = True
    return facts if hit else None
