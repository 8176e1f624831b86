"""Turn section headings into short, stable ids: a few English words for the headings reports share
(经验启示 → lessons, 存在问题 → problems, 下一步打算 → plans …), otherwise the pinyin of the heading's
first characters (党建融入发展 → dangjian_rongru). Siblings that would clash get _2, _3 … in order.

The same heading always gives the same id, so re-ingesting a file keeps the ids a brief selects.
"""

from __future__ import annotations

import re

# (pattern on the heading, id): first match wins; only for headings that say what the part is.
ENGLISH: tuple[tuple[str, str], ...] = (
    (r"经验启示|启示|经验做法|主要经验|经验", "lessons"),
    (r"存在(?:的)?问题|问题和不足|困难和问题|不足", "problems"),
    (r"下一步|打算|工作计划|工作安排|工作思路|重点工作|工作任务|主要任务", "plans"),
    (r"预期目标|主要目标|目标任务", "targets"),
    (r"工作回顾|回顾", "review"),
    (r"基本情况|总体情况|总体运行|运行情况|主要情况", "overview"),
    (r"主要做法|做法|举措|措施", "measures"),
    (r"主要成效|成效|成绩|成果", "results"),
    (r"意见建议|建议", "suggestions"),
    (r"背景", "background"),
    (r"总体要求|指导思想", "requirements"),
)
_MARKER = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|[（(][一二三四五六七八九十\d]+[）)]|\d+[.．、]|——)\s*")


def _pinyin(text: str, chars: int = 6) -> str:
    from pypinyin import (  # lazy
        lazy_pinyin,  # loads its dictionaries (~0.5 s): only when an id needs pinyin
    )

    han = re.sub(r"[^\u4e00-\u9fff]", "", text)[:chars]
    if not han:
        return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")[:24]
    syl = [re.sub(r"[^a-z]", "", s.lower()) for s in lazy_pinyin(han)]
    pairs = ["".join(syl[i:i + 2]) for i in range(0, len(syl), 2)]
    return "_".join(p for p in pairs if p)


def heading_id(title: str) -> str:
    """The id a heading gives on its own (before clashes with siblings are resolved)."""
    t = _MARKER.sub("", title.strip())
    short = re.split(r"[，,。：:；;——]", t, maxsplit=1)[0]
    for pattern, word in ENGLISH:
        if re.search(pattern, short if len(short) >= 2 else t):
            return word
    sid = _pinyin(short or t)
    if not sid or not re.match(r"^[a-z]", sid):
        sid = "s_" + sid if sid else ""
    return sid


def sibling_ids(titles: list[str], reserved: frozenset[str] = frozenset()) -> list[str]:
    """Ids for sibling headings in order; unique among themselves and against ``reserved``."""
    out: list[str] = []
    seen: set[str] = set(reserved)
    for i, title in enumerate(titles, start=1):
        base = heading_id(title) or f"s{i}"
        sid, n = base, 2
        while sid in seen:
            sid, n = f"{base}_{n}", n + 1
        seen.add(sid)
        out.append(sid)
    return out


def draft_summary(paras: list[str], limit: int = 90) -> str:
    """The first sentence(s) of a body, up to about ``limit`` characters: a draft a person rewrites."""
    text = (paras[0] if paras else "").strip()
    out = ""
    for m in re.finditer(r"[^。！？!?]+[。！？!?]*", text):
        if out and len(out) + len(m.group(0)) > limit:
            break
        out += m.group(0)
        if len(out) >= 30:
            break
    if len(out) > limit * 2:
        cut = max(out.rfind(c, 0, limit) for c in "，,；;")
        out = (out[:cut] if cut > 10 else out[:limit]) + "……"
    return out.strip()
