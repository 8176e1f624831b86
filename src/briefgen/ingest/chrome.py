"""Turn the furniture of government web pages and documents (index tables, 发布时间/来源 lines, issue
numbers, feedback forms, footers, bylines) into metadata, or drop it, before the body is structured.

* index-table lines (``索引号``, ``发文字号``, ``发布机构``, ``发布日期``/``成文日期`` …, also as
  ``[ 索引号 ] | … |`` table rows) give the date and publisher and are dropped;
* issue-number lines (``督察通报第十七期``, ``20期``) near the top are dropped;
* page furniture anywhere (位置 crumbs, 无障碍/长辈版, 打印/关闭, ICP and 公网安备 footers) is dropped;
* a feedback form or a 相关报道/相关链接 list ends the article;
* a trailing ``（某某）`` byline becomes the author.
"""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

_FIELDS = ("索引号", "发文字号", "发布文号", "文号", "主题分类", "体裁分类", "组配分类", "发布机构", "公开目录",
           "公开日期", "成文日期", "生成日期", "发布日期", "有效性", "公开形式", "公开责任部门", "内容概述",
           "文件名称", "名称", "信息来源", "所属机构", "发文机关", "公开方式", "时效")
_FIELD_RE = "|".join(sorted(_FIELDS, key=len, reverse=True))
META_LINE = re.compile(rf"^\s*[\[【]?\s*(?:{_FIELD_RE})\s*[\]】]?\s*[:：|｜]")
_PAIR = re.compile(rf"[\[【]?\s*(?P<k>{_FIELD_RE})\s*[\]】]?\s*[:：|｜]\s*(?P<v>[^|｜]*?)\s*"
                   rf"(?=[\[【]?\s*(?:{_FIELD_RE})\s*[\]】]?\s*[:：|｜]|[|｜]|$)")
ISSUE_LINE = re.compile(r"^(?:.{0,16}第[一二三四五六七八九十百零\d]+期|\d{1,4}期)$")
FURNITURE = re.compile(
    r"^(?:.{0,6}(?:您|你)?(?:现在|当前)?(?:所在的?)?位置[：:].*|[•·\s]*(?:无障碍|长辈版|适老化|繁体|简体)"
    r"(?:[•·\s]*(?:无障碍|长辈版|适老化|繁体|简体))*|.*(?:ICP备|公网安备|网站标识码|网站识别码).*|"
    r"(?:【|\[)?(?:打印|关闭|收藏|分享)(?:】|\])?(?:\s*(?:【|\[)?(?:打印|关闭|收藏|分享)(?:】|\])?)*|"
    r"(?:[*＊]?\s*(?:姓\s*名|联系方式|内\s*容|验\s*证\s*码|电子邮箱)\s*[:：]\s*)|"
    r"(?:扫一扫|用手机扫描).*|(?:附件)?下载|(?:相关)?下载[：:]?|打印本页|关闭窗口|返回顶部|分享到[：:]?.*|"
    r"【?字号[：:]?\s*[大中小\s]*】?|[【\[]\s*大\s*中\s*小\s*[】\]]|(?:上一篇|下一篇)[：:].*|(?:此件公开发布|此件主动公开)[）)]?|[（(]此件(?:公开发布|主动公开)[）)])$"
)
TRAILER = re.compile(r"^(?:为进一步了解掌握社会公众|相关报道|相关链接|相关阅读|相关新闻|延伸阅读|责任编辑[：:]|"
                     r"【相关|\[相关)")
BYLINE = re.compile(r"^[（(](?:供稿[：:]?)?(?P<a>[\u4e00-\u9fff]{2,4}(?:[、 ][\u4e00-\u9fff]{2,4})*)[）)]$")
_DATE = re.compile(r"(?P<y>(?:19|20)\d{2})\s*[-年/.]\s*(?P<m>\d{1,2})\s*[-月/.]\s*(?P<d>\d{1,2})")


@dataclass
class Harvest:
    """What the furniture said about the document."""

    date: dt.date | None = None
    publisher: str = ""
    author: str = ""
    number: str = ""  # 发文字号 / issue line
    fields: dict[str, str] = field(default_factory=dict)


def _date(text: str) -> dt.date | None:
    m = _DATE.search(text)
    if not m:
        return None
    try:
        return dt.date(int(m.group("y")), int(m.group("m")), int(m.group("d")))
    except ValueError:
        return None


def read_meta_line(text: str, into: Harvest) -> bool:
    """Take the fields of an index-table line into ``into``; False when the line is not one."""
    if not META_LINE.match(text):
        return False
    for m in _PAIR.finditer(text):
        k, v = m.group("k"), m.group("v").strip()
        if v:
            into.fields.setdefault(k, v)
    f = into.fields
    for k in ("发布日期", "公开日期", "成文日期", "生成日期"):
        if into.date is None and f.get(k):
            into.date = _date(f[k])
    for k in ("发布机构", "信息来源", "发文机关", "所属机构", "公开责任部门"):
        if not into.publisher and f.get(k):
            into.publisher = f[k]
    into.number = into.number or f.get("发文字号", "") or f.get("发布文号", "") or f.get("文号", "")
    return True


def is_furniture(text: str) -> bool:
    """A line of page furniture, dropped wherever it stands."""
    return bool(FURNITURE.match(text.strip()))


def similar(a: str, b: str) -> float:
    """How much of the shorter text's characters the other holds (0..1), ignoring spaces and marks."""
    a = re.sub(r"[\s，,。：:、（）()“”]", "", a)
    b = re.sub(r"[\s，,。：:、（）()“”]", "", b)
    if not a or not b:
        return 0.0
    return difflib.SequenceMatcher(None, a, b).ratio()
