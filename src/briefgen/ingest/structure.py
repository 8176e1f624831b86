"""Turn an article's numbered lines into its title, date, publisher, editor's note and nested sections.

Headings are recognised from markup (Markdown ``#``, Word Heading/Title styles, HTML h1–h6, whole
bold paragraphs) and from the common Chinese forms: ``党建融入发展——`` plus a subtitle line,
``一、``, ``（一）``/``(一)``, ``1.``/``1、``, ``（1）``/``①``, ``第一，``, ``第一部分``, ``【…】``, and a
short stand-alone line without sentence punctuation followed by a long paragraph. ``一是…二是…``
(or ``第一，…第二，…``) inside paragraphs becomes a list of points under the section it is in.

Also: a three-line part header (``标题——`` / ``“A”与“B”`` / a one-line summary), dash-led points
(``——“向新”发力。…``), page furniture and index tables into metadata (``chrome``), a first line
restating the title as the subtitle, and the closing paragraphs after the last part (各位代表，…)
as their own node. Section ids are given in ``ids`` (from the headings, not their positions).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from briefgen.ingest.chrome import (
    BYLINE,
    ISSUE_LINE,
    TRAILER,
    Harvest,
    is_furniture,
    read_meta_line,
    similar,
)
from briefgen.ingest.header import DATE_RE, read_header_line
from briefgen.ingest.header import ORG_END as _ORG_END
from briefgen.ingest.header import SENTENCE_END as _END
from briefgen.ingest.header import date_of as _date
from briefgen.ingest.header import is_sentence as _is_sentence
from briefgen.ingest.normalise import Normalise, clean
from briefgen.ingest.readers import Line, RawArticle

CN_DIGITS = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6,
             "七": 7, "八": 8, "九": 9}


def cn_number(text: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20, 九十九 → 99; digits pass through; anything else → None."""
    if text.isdigit():
        return int(text)
    if not text or any(ch not in CN_DIGITS and ch not in "十百" for ch in text):
        return None
    if "百" in text:
        head, _, tail = text.partition("百")
        h = CN_DIGITS.get(head, 1 if not head else -1)
        t = cn_number(tail.lstrip("零〇")) if tail else 0
        return None if h < 0 or t is None else h * 100 + t
    if "十" in text:
        head, _, tail = text.partition("十")
        tens = CN_DIGITS.get(head, -1) if head else 1
        ones = CN_DIGITS.get(tail, -1) if tail else 0
        return None if tens < 0 or ones < 0 else tens * 10 + ones
    if len(text) == 1:
        return CN_DIGITS[text]
    return None


# ------------------------------------------------------------------------------ line patterns

_CN = "[一二三四五六七八九十]{1,3}"
MARKERS: list[tuple[str, re.Pattern[str], int]] = [
    # (kind, pattern with group "t" for the rest of the line, default rank)
    ("part", re.compile(rf"^第(?:{_CN}|\d{{1,2}})(?:部分|章|篇)[\s、：:，,]*(?P<t>.*)$"), 1),
    ("cn", re.compile(rf"^(?P<n>{_CN})\s*[、．.]\s*(?P<t>.+)$"), 2),
    ("paren_cn", re.compile(rf"^[（(]\s*(?P<n>{_CN})\s*[）)]\s*[、.．]?\s*(?P<t>.+)$"), 3),
    ("arabic", re.compile(r"^(?P<n>\d{1,2})\s*(?:[、．]|\.(?!\d))\s*(?P<t>\D.*)$"), 4),
    ("ordinal", re.compile(rf"^第(?P<n>{_CN})[，,、：:]\s*(?P<t>.+)$"), 4),
    ("paren_arabic", re.compile(r"^(?:[（(]\s*(?P<n>\d{1,2})\s*[）)]|(?P<c>[①-⑳]))\s*(?P<t>\D.*)$"), 5),
]
_BRACKET = re.compile(r"^【(?P<t>[^】]{1,30})】\s*(?P<rest>.*)$")
_DASH_PART = re.compile(r"^(?P<t>[^。！？!?]{2,24}?)\s*(?:——|—|--)\s*$")
_DASH_LEAD = re.compile(r"^\s*(?:——|—)\s*(?P<t>[^——]{2,40}?)(?:[。！？!?]\s*(?P<rest>.*))?$")
_EDITOR = re.compile(r"^[【\[]?\s*编者按\s*[】\]]?\s*[：:]?\s*(?P<t>.*)$")

# Boilerplate dropped wherever it appears (whole lines).
_BOILER = re.compile(
    r"^(?:听新闻|语音播报|分享到?[：:]?.*|扫一扫.*|打印(?:本页)?|关闭(?:窗口)?|返回顶部|"
    r"【?(?:字号|字体)[：:]?\s*[大中小\s]*】?|\d{1,4}|[【\[](?:打印|关闭|收藏|纠错)[】\]].*|"
    r"当前位置[：:].*|首页\s*[>＞›].*|[（(]?(?:责任编辑|责编|编辑|审核|校对|监制)[：:].{0,20}?[）)]?|"
    r"[（(](?:本报)?记者[^）)]{1,30}[）)]|(?:来源|作者|标签|关键词)[：:]\s*)$"
)
# A trailer line: from here on everything is page furniture.
_TRAILER = re.compile(r"^(?:版权(?:和免责)?声明|免责声明|版权所有|Copyright|©)", re.IGNORECASE)
_TRAILER_LINE = re.compile(r"^(?:标签|关键词|责编|责任编辑|编辑|审核|校对|监制|原标题)[：:]")

LEVEL_NAMES = ("parts", "points", "items", "subitems")
CONTAINER_TITLES = {"parts": "正文", "points": "要点", "items": "细目", "subitems": "子目"}


@dataclass
class Para:
    """A paragraph of body text and the line it came from."""

    no: int
    text: str


@dataclass
class Node:
    """A heading and what follows it, before ids are given."""

    title: str
    rank: int = 0
    subtitle: str = ""
    lines: list[int] = field(default_factory=list)
    paras: list[Para] = field(default_factory=list)
    kids: list[Node] = field(default_factory=list)
    heading: Para | None = None  # the heading line itself, when it carries figures


@dataclass
class Article:
    """The structure of one article, ready to become a source pack."""

    raw: RawArticle
    title: str = ""
    subtitle: str = ""  # a line under the title restating it (1-8月份全区经济运行情况)
    title_line: int | None = None
    date: dt.date | None = None
    publisher: str = ""
    author: str = ""
    url: str = ""
    dateline: int | None = None
    editor_note: Node | None = None
    closing: Node | None = None  # closing paragraphs after the last part (各位代表，…)
    lead: Node = field(default_factory=lambda: Node("导语"))
    parts: list[Node] = field(default_factory=list)
    dropped: list[int] = field(default_factory=list)


def split_title(text: str, limit: int = 40) -> tuple[str, str]:
    """Heading text → (title, body): ``经济平稳。全年…`` gives the short first sentence as title."""
    text = text.strip()
    m = re.match(rf"^(?P<t>[^{_END}]{{2,{limit}}})[{_END}]\s*(?P<r>.*)$", text)
    if m:
        return m.group("t").strip(), m.group("r").strip()
    if not any(ch in text for ch in _END) and len(text) <= 2 * limit:
        return text.rstrip("；;，,："), ""
    return short_title(text), text


def short_title(text: str, limit: int = 30) -> str:
    """A title for a long point: its first clause, or its first characters and an ellipsis."""
    m = re.match(rf"^([^，,；;：:。！？!?]{{2,{limit}}})[，,；;：:。！？!?]", text)
    if m:
        return m.group(1)
    clipped = re.split(r"[，,；;：:。！？!?]", text, maxsplit=1)[0]
    return clipped[:20] + "…" if len(clipped) > 20 else clipped


class _Builder:
    def __init__(self, raw: RawArticle, opts: Normalise, today: dt.date | None) -> None:
        self.raw = raw
        self.opts = opts
        self.art = Article(raw)
        self.stack: list[Node] = []
        self.rank_of: dict[str, int] = {}
        self.markup_levels: list[int] = []
        self.today = today
        self._norm: dict[str, str] = {}

    # -- helpers
    def show(self, line: Line) -> str:
        return clean(line.text, self.opts)

    def norm(self, text: str) -> str:
        if text not in self._norm:
            self._norm[text] = clean(text, Normalise())
        return self._norm[text]

    def add_para(self, no: int, text: str) -> None:
        node = self.stack[-1] if self.stack else self.art.lead
        node.paras.append(Para(no, text))
        node.lines.append(no)

    def open(self, node: Node) -> None:
        while self.stack and self.stack[-1].rank >= node.rank:
            self.stack.pop()
        (self.stack[-1].kids if self.stack else self.art.parts).append(node)
        self.stack.append(node)

    def text_rank(self, kind: str, default: int) -> int:
        return self.rank_of.get(kind, len(self.markup_levels) + default)

    # -- passes
    def build(self) -> Article:
        lines = [ln for ln in self.raw.lines if self.norm(ln.text)]
        lines = self._furniture(lines)
        lines = self._title_and_header(lines)
        lines = self._subtitle(lines)
        lines = self._drop_boilerplate(lines)
        self._plan_ranks(lines)
        i = 0
        while i < len(lines):
            i = self._line(lines, i)
        return self.art

    def _furniture(self, lines: list[Line]) -> list[Line]:
        """Index tables, issue numbers, crumbs, footers and forms: metadata or nothing."""
        art = self.art
        harvest = Harvest()
        out: list[Line] = []
        for k, ln in enumerate(lines):
            t = self.norm(ln.text)
            if TRAILER.match(t):
                art.dropped.extend(x.no for x in lines[k:])
                break
            if read_meta_line(t, harvest) or is_furniture(t) or (k < 12 and ISSUE_LINE.match(t)):
                art.dropped.append(ln.no)
                continue
            out.append(ln)
        while out:
            m = BYLINE.match(self.norm(out[-1].text))
            if not m:
                break
            art.author = art.author or m.group("a")
            art.dropped.append(out.pop().no)
        art.date = art.date or harvest.date
        art.publisher = art.publisher or harvest.publisher
        return out

    def _subtitle(self, lines: list[Line]) -> list[Line]:
        """A first line that restates the title (1-8月份全区经济运行情况 under 1-8月份宣州区…)."""
        if lines and self.art.title:
            t = self.norm(lines[0].text)
            if len(t) <= 40 and not _is_sentence(t) and similar(t, self.norm(self.art.title)) >= 0.6:
                self.art.subtitle = self.show(lines[0])
                self.art.dropped.append(lines[0].no)
                return lines[1:]
        return lines

    def _title_and_header(self, lines: list[Line]) -> list[Line]:
        art = self.art
        meta = self.raw.meta
        idx = next((k for k, ln in enumerate(lines) if ln.title), None)
        if idx is None and lines and lines[0].heading is not None:
            idx = 0
        if idx is None:
            idx = next((k for k, ln in enumerate(lines) if not _BOILER.match(self.norm(ln.text))), None)
            if idx is not None and not _title_like(self.norm(lines[idx].text)):
                idx = None  # the text starts with a paragraph: no title line
        if idx is not None and idx < 5:
            art.title = self.show(lines[idx])
            art.title_line = lines[idx].no
            art.dropped.extend(ln.no for ln in lines[:idx])
            lines = lines[idx + 1:]
        elif meta.get("title"):
            art.title = clean(meta["title"], self.opts)
        else:
            art.title = self.raw.path.stem
        # date / source / author lines right under the title
        rest: list[Line] = []
        header = True
        for k, ln in enumerate(lines):
            t = self.norm(ln.text)
            if header and k < 6 and len(t) <= 80 and self._header_line(t):
                art.dateline = art.dateline or ln.no
                art.dropped.append(ln.no)
                continue
            if header and k < 6 and _BOILER.match(t):
                art.dropped.append(ln.no)
                continue
            header = header and not (len(t) > 40 or _EDITOR.match(t))
            rest.append(ln)
        if art.date is None and meta.get("date"):
            m = DATE_RE.search(meta["date"])
            if m:
                art.date = _date(m)
        if not art.publisher and meta.get("publisher"):
            art.publisher = meta["publisher"]
        if not art.author and meta.get("author"):
            art.author = meta["author"]
        art.url = meta.get("url", "")
        return rest

    def _header_line(self, t: str) -> bool:
        facts = read_header_line(t)
        if facts is None:
            return False
        art = self.art
        art.date = art.date or facts.date
        art.publisher = art.publisher or facts.publisher
        art.author = art.author or facts.author
        return True

    def _drop_boilerplate(self, lines: list[Line]) -> list[Line]:
        out: list[Line] = []
        for k, ln in enumerate(lines):
            t = self.norm(ln.text)
            if _TRAILER.match(t):
                self.art.dropped.extend(x.no for x in lines[k:])
                break
            if _BOILER.match(t) or _TRAILER_LINE.match(t):
                self.art.dropped.append(ln.no)
                continue
            out.append(ln)
        # the signature block (落款) at the end: issuing body and date
        while out:
            t = self.norm(out[-1].text)
            m = DATE_RE.fullmatch(t)
            if m or (len(t) <= 20 and _ORG_END.search(t) and not _is_sentence(t) and len(out) > 1
                     and DATE_RE.fullmatch(self.norm(lines[-1].text) if lines else "")):
                if m and self.art.date is None:
                    self.art.date = _date(m)
                if not m and not self.art.publisher:
                    self.art.publisher = t  # the issuing body of the signature
                self.art.dropped.append(out.pop().no)
                continue
            break
        return out

    def _plan_ranks(self, lines: list[Line]) -> None:
        levels = sorted({ln.heading for ln in lines if ln.heading is not None})
        self.markup_levels = levels
        for ln in lines:
            if ln.heading is None:
                continue
            rank = levels.index(ln.heading) + 1
            t = self.norm(ln.text)
            for kind, pat, _ in MARKERS:
                if pat.match(t):
                    self.rank_of.setdefault(kind, rank)
                    break

    def _line(self, lines: list[Line], i: int) -> int:
        ln = lines[i]
        show = self.show(ln)
        t = self.norm(ln.text)
        nxt = self.norm(lines[i + 1].text) if i + 1 < len(lines) else ""

        m = _EDITOR.match(t)
        if m and self.art.editor_note is None and not self.art.parts:
            body = _EDITOR.sub(lambda mm: mm.group("t"), show, count=1).strip()
            node = Node("编者按", lines=[ln.no])
            step = 1
            if not body and nxt:
                body, step = self.show(lines[i + 1]), 2
                node.lines.append(lines[i + 1].no)
            if body:
                node.paras.append(Para(node.lines[-1], body))
            self.art.editor_note = node
            return i + step

        if ln.heading is not None:
            rank = self.markup_levels.index(ln.heading) + 1
            title, body = self._strip_marker(show)
            self._heading(ln, rank, title, body)
            return i + 1

        for kind, pat, default in MARKERS:
            mm = pat.match(t)
            if mm and not (kind == "arabic" and _looks_like_figure(t)):
                title, body = self._strip_marker(show)
                if kind == "part" and not title:
                    title = show
                self._heading(ln, self.text_rank(kind, default), title, body)
                return i + 1

        if ln.list_level is not None:
            title, body = split_title(show)
            self._heading(ln, self.text_rank("arabic", 4) + ln.list_level, title, body)
            return i + 1

        mb = _BRACKET.match(t)
        if mb and not re.match(r"^【(?:编者按|打印|关闭|字号)", t):
            inner = re.match(r"^【(?P<t>[^】]*)】\s*(?P<rest>.*)$", show)
            title = inner.group("t") if inner else mb.group("t")
            rest = inner.group("rest") if inner else mb.group("rest")
            self._heading(ln, self.text_rank("bracket", 1), title.strip(), rest.strip())
            return i + 1

        md = _DASH_PART.match(t)
        if md and not DATE_RE.search(t):
            title = re.sub(r"\s*(?:——|—|--)\s*$", "", show).strip()
            node_sub = ""
            step = 1
            if nxt and len(nxt) <= 40 and not _is_sentence(nxt) and not _marker_kind(nxt):
                node_sub = self.show(lines[i + 1])
                step = 2
            third = self.norm(lines[i + 2].text) if step == 2 and i + 2 < len(lines) else ""
            after = self.norm(lines[i + 3].text) if i + 3 < len(lines) else ""
            summary_line = bool(third) and len(third) <= 40 and not _marker_kind(third) \
                and not _DASH_PART.match(third) and len(after) > 40
            self._heading(ln, self.text_rank("dash", 1), title, "", subtitle=node_sub,
                          extra=[lines[i + 1].no] if step == 2 else [])
            if summary_line:
                # a three-line part header: 标题—— / “A”与“B” / its one-line summary
                self.add_para(lines[i + 2].no, self.show(lines[i + 2]))
                step = 3
            return i + step

        ml = _DASH_LEAD.match(t)
        if ml and not DATE_RE.search(t) and not re.search(r"会议上|讲话|报告$", t):
            # ——“向新”发力，…。正文… / ——过去五年，是…的五年。: a dash-led block is a point
            inner = re.match(r"^\s*(?:——|—)\s*(?P<r>.*)$", show)
            title, body = split_title(inner.group("r") if inner else show, limit=40)
            self._heading(ln, self.text_rank("dash_lead", 3), title, body)
            return i + 1

        if self._plain_heading(t, nxt, ln.bold):
            self._heading(ln, self.text_rank("plain", 1), show.rstrip("：:"), "")
            return i + 1

        m = _BYLINE.match(show)
        if m:
            # 本报讯（记者 张三 通讯员 李四）…: the attribution goes, the author is kept
            names = re.search(r"记者\s*([\u4e00-\u9fff]{2,4}?)(?=\s|通讯员|实习|摄影|见习|[）)、，,]|$)",
                              m.group(0))
            if names and not self.art.author:
                self.art.author = names.group(1)
            show = show[m.end():].strip()
        show = _TRAILING_NOTE.sub("", show).strip()
        if show:
            self.add_para(ln.no, show)
        else:
            self.art.dropped.append(ln.no)
        return i + 1

    def _plain_heading(self, t: str, nxt: str, bold: bool) -> bool:
        if not (4 <= len(t) <= 40) or _is_sentence(t[:-1] if t.endswith(("：", ":")) else t):
            return False
        if t.endswith(("：", ":")) and not bold:
            return False
        if DATE_RE.search(t) or re.fullmatch(r"[\d\s.%,，、-]+", t):
            return False
        if bold:
            return True
        return len(nxt) > 40 and not _marker_kind(nxt) and len(t) >= 6

    def _strip_marker(self, show: str) -> tuple[str, str]:
        t = show.strip()
        for _, pat, _ in MARKERS:
            m = pat.match(t)
            if m:
                t = m.group("t")
                break
        return split_title(t)

    def _heading(self, ln: Line, rank: int, title: str, body: str, subtitle: str = "",
                 extra: list[int] | None = None) -> None:
        node = Node(title or "（无题）", rank, subtitle, [ln.no, *(extra or [])])
        if body and body != title:
            node.paras.append(Para(ln.no, body))
        elif re.search(r"\d", title):
            node.heading = Para(ln.no, title)
        self.open(node)


_BYLINE = re.compile(
    r"^(?:本报讯|本报[\u4e00-\u9fff]{0,6}电|[\u4e00-\u9fff]{2,8}社[\u4e00-\u9fff]{2,6}\d{1,2}月\d{1,2}日电|"
    r"[\u4e00-\u9fff]{2,10}讯)?\s*[（(](?:本报|特约)?(?:记者|通讯员)[^）)]{1,40}[）)]\s*"
)
_TRAILING_NOTE = re.compile(r"[（(](?:完|责任编辑[：:][^）)]{0,20}|编辑[：:][^）)]{0,20})[）)]\s*$")


def _title_like(text: str) -> bool:
    return 2 <= len(text) <= 80 and not text.endswith(("。", "！", "？", "；", "：", ":", ";"))


def _marker_kind(text: str) -> str:
    for kind, pat, _ in MARKERS:
        if pat.match(text):
            return kind
    return ""


def _looks_like_figure(text: str) -> bool:
    """``1.5亿元`` or ``3、5、7月`` start with digits but are not numbered headings."""
    return bool(re.match(r"^\d{1,2}[、.．]\d", text))


# ------------------------------------------------------------------------- enumerations

_ENUM = re.compile(
    rf"(?:(?<=^)|(?<=[，。；：、,;:.!?！？]))\s*(?P<m>(?P<n>{_CN})是|第(?P<o>{_CN})[，,、]|其(?P<q>{_CN})[，,、])"
)


def _enum_marks(text: str) -> list[tuple[int, int, int]]:
    """(start, end, number) of every ``一是``/``第一，``/``其一，`` marker that could start a point."""
    out = []
    for m in _ENUM.finditer(text):
        n = cn_number(m.group("n") or m.group("o") or m.group("q") or "")
        if n:
            out.append((m.start("m"), m.end("m"), n))
    return out


def split_enumerations(node: Node) -> None:
    """Move ``一是…二是…`` runs in a node's paragraphs into point children (recursively)."""
    for kid in node.kids:
        split_enumerations(kid)
    marks = [_enum_marks(p.text) for p in node.paras]
    # accept runs 1, 2, 3 … that continue across consecutive paragraphs
    accepted: list[list[tuple[int, int, int]]] = [[] for _ in node.paras]
    expect = 1
    run: list[tuple[int, tuple[int, int, int]]] = []

    def close() -> None:
        if len(run) >= 2:
            for pi, mk in run:
                accepted[pi].append(mk)
        run.clear()

    for pi, ms in enumerate(marks):
        if not ms:
            close()
            expect = 1
            continue
        for mk in ms:
            if mk[2] == expect:
                run.append((pi, mk))
                expect += 1
            elif mk[2] == 1:
                close()
                run.append((pi, mk))
                expect = 2
    close()
    if not any(accepted):
        return
    new_paras: list[Para] = []
    points: list[Node] = []
    current: Node | None = None
    for pi, p in enumerate(node.paras):
        cuts = accepted[pi]
        if not cuts:
            new_paras.append(p)
            current = None
            continue
        head = p.text[: cuts[0][0]].strip()
        if head:
            if current is not None and cuts[0][2] > 1:
                current.paras.append(Para(p.no, head))
            else:
                new_paras.append(Para(p.no, head))
        for k, (_, end, _) in enumerate(cuts):
            stop = cuts[k + 1][0] if k + 1 < len(cuts) else len(p.text)
            item = p.text[end:stop].strip()
            title, rest = split_title(item, limit=30)
            if not rest and (len(item) > 30 or re.search(r"[，,；;：:]", item.rstrip("；;，,。"))):
                title, rest = short_title(item), item  # several clauses: the first one names it
            current = Node(title or "（无题）", node.rank + 1, lines=[p.no])
            if rest:
                current.paras.append(Para(p.no, rest))
            elif re.search(r"\d", title):
                current.heading = Para(p.no, title)
            points.append(current)
    node.paras = new_paras
    node.kids = points + node.kids


def build_article(raw: RawArticle, opts: Normalise | None = None, today: dt.date | None = None) -> Article:
    """Recognise title, header, editor's note, parts and points in one article."""
    art = _Builder(raw, opts or Normalise(), today).build()
    split_enumerations(art.lead)
    for part in art.parts:
        split_enumerations(part)
    if not art.parts:
        art.lead.title = "正文"
    else:
        art.closing = closing_of(art.parts[-1])
    return art


_CLOSING = re.compile(r"^(?:各位代表|同志们|让我们|总之|最后，|展望未来|征程万里|新征程上)")


def closing_of(part: Node) -> Node | None:
    """The closing paragraphs of the last part (各位代表，…; 让我们…): a section of their own."""
    node = part
    while node.kids:
        node = node.kids[-1]
    k = len(node.paras)
    while k > 0 and _CLOSING.match(node.paras[k - 1].text):
        k -= 1
    if k == len(node.paras) or k == 0:
        return None
    closing = Node("结束语", rank=1, paras=node.paras[k:], lines=[p.no for p in node.paras[k:]])
    node.paras = node.paras[:k]
    node.lines = [n for n in node.lines if n not in closing.lines]
    return closing
