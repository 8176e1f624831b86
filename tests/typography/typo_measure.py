"""Measure generated PDFs the way a reviewer with a ruler would: characters → lines → checklist values.

Everything here is independent of briefgen's own code (the character sets are copied from
shared/reference/gongwen-layout.md §3, not imported), so the tests check the writer against
the reference rather than against itself.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

MM = 72 / 25.4
PAGE_W, PAGE_H = 210 * MM, 297 * MM  # 595.28 × 841.89
LEFT, RIGHT = 28 * MM, 210 * MM - 26 * MM  # 79.37, 521.57
TOP, BOTTOM = 37 * MM, 297 * MM - 35 * MM  # 104.88, 742.68
TYPE_W = RIGHT - LEFT  # 442.2
CENTRE = (LEFT + RIGHT) / 2  # 300.47
PN = re.compile(r"^—\s?\d+\s?—$")
DATE = re.compile(r"^\d{4}年(1[0-2]|[1-9])月(3[01]|[12]\d|[1-9])日$")
DATE_ANY = re.compile(r"\d{4}年\d{1,2}月\d{1,2}日")

# gongwen-layout.md §3, "Generator sets (GB法 plus strict dashes)"
NO_START = frozenset("、，。．：；！？）］｝〕】〗〉》」』”’·・／/－–～〜％‰℃°!%),.:;?]}")
NO_END = frozenset("（［｛〔【〖〈《「『“‘／/([{$¥£￥")
DASH_CHARS = frozenset("—…⸺")
UNIT_MARKS = frozenset("%‰℃°％")
SIGNS = frozenset("+-±−＋－$¥£￥€")
CN_NUM = "一二三四五六七八九十"
MAGNITUDES = "十百千万亿"

# role → the PostScript-name fragments its substitutes may have in a PDF (gongwen-layout.md §4)
# On a pip-only machine (README): Noto Serif SC stands in for 仿宋 and 宋体; 楷体 and 小标宋 are
# synthetic faces of it whose PostScript names end in -SynOblique / -SynBold (those match only
# their own role).
ROLE_FACES: dict[str, tuple[str, ...]] = {
    "fangsong": ("FangSong", "Fangsong", "FZFS", "Zhuque", "UMing", "SimFang", "STFangsong",
                 "NotoSerifSC-Regular"),
    "kaiti": ("KaiTi", "Kaiti", "UKai", "WenKai", "SimKai", "STKaiti", "FZKT"),
    "heiti": ("SimHei", "Hei", "WenQuanYi", "WQY", "NotoSansCJK", "NotoSansSC", "SourceHanSans"),
    "songti": ("SimSun", "Song", "UMing", "NotoSerifCJK", "NotoSerifSC", "SourceHanSerif"),
    "xiaobiaosong": ("XiaoBiaoSong", "FZXBS", "NotoSerifCJK", "NotoSerifSC", "SourceHanSerif",
                     "UMing"),  # fmt: skip
}


def is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x4E00 <= o <= 0x9FFF or 0x3400 <= o <= 0x4DBF or 0x20000 <= o <= 0x3134F


def font_name(char: dict[str, Any]) -> str:
    """``fontname`` without the ``ABCDEF+`` subset prefix."""
    return str(char["fontname"]).split("+", 1)[-1]


def is_red(color: Any) -> bool:
    """RGB (1, 0, 0)-ish or CMYK with M, Y ≥ 0.8 and C, K ≈ 0 (checklist row 14)."""
    c = tuple(float(v) for v in (color or ()))
    if len(c) == 3:
        return c[0] > 0.9 and c[1] < 0.3 and c[2] < 0.3
    if len(c) == 4:
        return c[1] >= 0.8 and c[2] >= 0.8 and c[0] < 0.1 and c[3] < 0.1
    return False


def is_black(color: Any) -> bool:
    c = tuple(float(v) for v in (color or (0,)))
    if len(c) == 1:
        return c[0] < 0.05
    if len(c) == 3:
        return max(c) < 0.05
    return len(c) == 4 and c[3] > 0.95


@dataclass
class PLine:
    """Characters that share a baseline and sit next to each other (one line of one column)."""

    page: int  # 0-based
    chars: list[dict[str, Any]]
    baseline: float  # from the page top
    text: str = ""
    size: float = 0.0
    x0: float = 0.0
    x1: float = 0.0
    top: float = 0.0
    bottom: float = 0.0
    fonts: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        ink = [c for c in self.chars if not c["text"].isspace()] or self.chars
        self.text = "".join(c["text"] for c in self.chars).strip()
        self.size = statistics.mode(round(float(c["size"]), 2) for c in ink)
        self.x0 = min(float(c["x0"]) for c in ink)
        self.x1 = max(float(c["x1"]) for c in ink)
        self.top = min(float(c["top"]) for c in ink)
        self.bottom = max(float(c["bottom"]) for c in ink)
        self.fonts = {font_name(c) for c in ink}

    @property
    def ink(self) -> list[dict[str, Any]]:
        return [c for c in self.chars if not c["text"].isspace()]

    @property
    def centre(self) -> float:
        return (self.x0 + self.x1) / 2

    def __repr__(self) -> str:
        return f"<p{self.page + 1} y={self.baseline:.1f} x={self.x0:.1f}–{self.x1:.1f} {self.text!r}>"


def page_lines(page: Any, index: int, gap_em: float = 0.45) -> list[PLine]:
    """The page's characters grouped by baseline, split where the horizontal gap is > ``gap_em``.

    Table cells on one row come out as separate lines; a justified CJK line (gaps < 0.1 em)
    and a Latin line with word spacing (space characters are glyphs too) stay whole.
    """
    rows: dict[float, list[dict[str, Any]]] = {}
    keys: list[float] = []
    for c in page.chars:
        y = round(float(page.height) - float(c["matrix"][5]), 1)
        key = next((k for k in keys if abs(k - y) < 0.6), None)
        if key is None:
            keys.append(y)
            key = y
        rows.setdefault(key, []).append(c)
    out: list[PLine] = []
    for y in sorted(rows):
        chars = sorted(rows[y], key=lambda c: float(c["x0"]))
        cur: list[dict[str, Any]] = []
        last_x1 = None
        for c in chars:
            if cur and last_x1 is not None and float(c["x0"]) - last_x1 > gap_em * float(c["size"]):
                if any(not d["text"].isspace() for d in cur):
                    out.append(PLine(index, cur, y))
                cur = []
            cur.append(c)
            last_x1 = float(c["x1"]) if not c["text"].isspace() or last_x1 is None else max(
                last_x1, float(c["x1"])
            )
        if any(not d["text"].isspace() for d in cur):
            out.append(PLine(index, cur, y))
    return out


def all_lines(pdf: Any) -> list[list[PLine]]:
    return [page_lines(p, i) for i, p in enumerate(pdf.pages)]


def is_footer(ln: PLine) -> bool:
    return ln.top > BOTTOM - 1 and bool(PN.match(ln.text))


def body_lines(lines: Iterable[PLine], size: float = 16) -> list[PLine]:
    return [ln for ln in lines if abs(ln.size - size) < 0.05 and not is_footer(ln)]


def baselines(lines: Iterable[PLine]) -> list[float]:
    ys: list[float] = []
    for y in sorted({ln.baseline for ln in lines}):
        if not ys or y - ys[-1] > 0.5:
            ys.append(y)
    return ys


def pitch_of(chars: Sequence[dict[str, Any]]) -> float:
    """Average advance between the first and last character (Δx0 / (n − 1))."""
    return (float(chars[-1]["x0"]) - float(chars[0]["x0"])) / (len(chars) - 1)


SYNTHETIC_FACES = {"-SynOblique": "kaiti", "-SynBold": "xiaobiaosong"}


def role_of(face: str) -> set[str]:
    for suffix, role in SYNTHETIC_FACES.items():
        if face.endswith(suffix):
            return {role}
    return {r for r, keys in ROLE_FACES.items() if any(k.lower() in face.lower() for k in keys)}


# ---------------------------------------------------------------- line-breaking rules (row 22)


@dataclass
class Breach:
    kind: str
    line: PLine
    other: PLine | None = None

    def __str__(self) -> str:
        nxt = f" | {self.other!r}" if self.other is not None else ""
        return f"{self.kind}: {self.line!r}{nxt}"

    __repr__ = __str__


def _same_flow(prev: PLine, ln: PLine) -> bool:
    """Is ``ln`` the next line of the paragraph (or table cell) that ``prev`` belongs to?

    Body-size text sits on the 28.95 pt grid; smaller text (table cells, notes) wraps at
    no more than 1.65 em, while table rows and closing-block paragraphs are further apart.
    """
    if abs(ln.size - prev.size) > 0.1:
        return False
    gap = ln.baseline - prev.baseline
    limit = 29.6 if ln.size >= 15.5 else 1.65 * ln.size
    return 0 < gap <= limit and ln.x0 < prev.x1 and prev.x0 < ln.x1


def flows(lines: Sequence[Sequence[PLine]]) -> list[list[PLine]]:
    """Lines in reading order, one list per run of text (paragraphs of one column, one cell).

    Page numbers are dropped; the first body-size flow on a page continues the last one of
    the previous page (table rows never do: their header repeats).
    """
    out: list[list[PLine]] = []
    carry: list[PLine] | None = None
    for page in lines:
        open_: list[list[PLine]] = []
        for ln in page:
            if is_footer(ln):
                continue
            target = next((f for f in reversed(open_) if _same_flow(f[-1], ln)), None)
            if (
                target is None
                and not open_
                and carry is not None
                and ln.size >= 15.5
                and abs(carry[-1].size - ln.size) < 0.1
                and ln.x0 < carry[-1].x1
            ):
                target = carry
            if target is None:
                target = []
                out.append(target)
            target.append(ln)
            if target not in open_:
                open_.append(target)
        body = [f for f in open_ if f[-1].size >= 15.5]
        carry = max(body, key=lambda f: f[-1].baseline) if body else None
    return out


def _median_gap(ln: PLine) -> float:
    gaps = sorted(float(b["x0"]) - float(a["x1"]) for a, b in zip(ln.chars, ln.chars[1:], strict=False)
                  if ord(a["text"][0]) >= 0x2E80 and ord(b["text"][0]) >= 0x2E80)  # fmt: skip
    return gaps[len(gaps) // 2] if gaps else 0.0


def stretched(ln: PLine) -> bool:
    """Is the line justified (its gaps between Chinese characters widened)? A paragraph's last
    line is not; a line cut short by a wide word space (pdfplumber splits there) may be."""
    return _median_gap(ln) > 0.1 * ln.size


def underfull(ln: PLine) -> bool:
    """Gaps widened past 0.15 em (to linebreak's UNDERFULL_EM, 0.18 em): a line set short on
    purpose because a long URL or number could not move up; it does not end its paragraph."""
    return _median_gap(ln) > 0.15 * ln.size


def para_starts(flow: Sequence[PLine]) -> list[bool]:
    """Which lines of a flow begin a paragraph: the first, one indented from the flow's left
    edge (turnovers start at it), or one after a short line that is not justified (an
    underfull line, short because a long URL or number could not move up, is) — unless the
    short line is ragged: set with natural spacing because what opens the next line (a URL, a
    number with its unit, a word) would not have fitted on it (linebreak.UNDERFULL_EM)."""
    right = max(ln.x1 for ln in flow)
    left = min(ln.x0 for ln in flow)
    out = []
    for i, ln in enumerate(flow):
        prev = flow[i - 1] if i else None
        out.append(
            prev is None
            or ln.x0 > left + 0.5 * ln.size
            or (prev.x1 < right - 1.0 * prev.size and not underfull(prev) and not _ragged(prev, ln, right))
        )
    return out


_HEAD = re.compile(r"[^!-~]?[!-~]+|\d[\d.,%]*\D?|.")


def _ragged(prev: PLine, ln: PLine, right: float) -> bool:
    """Is ``prev`` a ragged line of the paragraph ``ln`` continues: would what opens ``ln`` (a URL
    or Latin run with the character before it, a number with its unit, one character) not fit
    after it?"""
    m = _HEAD.match(ln.text)
    ink = ln.ink
    if m is None or not ink or ln.page != prev.page:
        return False
    head = ink[: min(len(m.group()), len(ink))]
    width = float(head[-1]["x1"]) - float(head[0]["x0"])
    return width > right - prev.x1 + 0.5


def is_page_column(flow: Sequence[PLine]) -> bool:
    """The page-number column of a table of contents (digits only, flush right, body size)."""
    return (
        len(flow) > 1
        and all(ln.text.isdigit() and ln.size >= 15.5 for ln in flow)
        and max(ln.x1 for ln in flow) - min(ln.x1 for ln in flow) < 0.5
    )


_URL_SLASH = re.compile(r"(?:https?://|www\.)[!-~]*/\Z")


def url_slash(text: str) -> bool:
    """A line ending in a URL after one of its ``/`` (not the scheme's ``//``): where a long URL
    may break (issue 12: after ``/ . - _ ?``), although ``/`` is a no-end mark elsewhere."""
    return text.endswith("/") and not text.endswith("://") and _URL_SLASH.search(text) is not None


def line_breaches(flow: Sequence[PLine], corpus: str = "") -> list[Breach]:
    """§3 rules between consecutive lines of one flow.

    * no line starts with a NO_START mark, nor with ``—``/``…`` unless it starts a paragraph;
    * no line ends with a NO_END mark unless it ends a paragraph (or a URL breaks after a ``/``);
    * ``——``/``……`` not split; a digit run not split; a sign or currency not separated from
      its digits; digits not separated from a following unit mark, Han character or letter.

    A break at a space is always allowed, but the space is not printed; with the source text
    as ``corpus``, a junction whose two sides stand in it around a space is such a break.
    """
    out: list[Breach] = []
    if is_page_column(flow):
        return out
    starts = para_starts(flow)
    for i, ln in enumerate(flow):
        t = ln.text
        if not t:
            continue
        if not starts[i] and (t[0] in NO_START or t[0] in DASH_CHARS):
            out.append(Breach(f"starts with {t[0]!r}", flow[i - 1], ln))
        if i + 1 >= len(flow) or starts[i + 1]:
            continue
        nxt = flow[i + 1].text
        if t[-1] in NO_END and not url_slash(t):
            out.append(Breach(f"ends with {t[-1]!r}", ln, flow[i + 1]))
        if not nxt or (corpus and f"{t[-6:]} {nxt[:6]}" in corpus):
            continue
        a, b = t[-1], nxt[0]
        if a in DASH_CHARS and b == a:
            out.append(Breach("dash/ellipsis split", ln, flow[i + 1]))
        elif a.isdigit() and (b.isdigit() or b in UNIT_MARKS or is_han(b) or b.isalpha()):
            out.append(Breach("number split", ln, flow[i + 1]))
        elif a in SIGNS and b.isdigit():
            out.append(Breach("sign split from number", ln, flow[i + 1]))
        elif a in ".,．" and len(t) > 1 and t[-2].isdigit() and b.isdigit():
            out.append(Breach("number split at separator", ln, flow[i + 1]))
        elif a in MAGNITUDES and len(t) > 1 and t[-2].isdigit() and is_han(b):
            out.append(Breach("unit split from its number", ln, flow[i + 1]))
    return out


def histogram(values: Iterable[float], nd: int = 2) -> Counter[float]:
    return Counter(round(v, nd) for v in values)


# ---------------------------------------------------------------- page kinds


def is_landscape(size: tuple[float, float]) -> bool:
    return size[0] > size[1]


def toc_pages(pages: Sequence[Sequence[PLine]]) -> set[int]:
    """Pages titled 目录 (the bundled and stress TOCs fit on one page)."""
    out: set[int] = set()
    for i, page in enumerate(pages):
        if any(ln.text == "目录" and ln.size > 18 for ln in page):
            out.add(i)
    return out
