"""Turn characters into line-breaking facts: the GB/T 15834 / clreq character sets, break classes
between characters, the line data types and the rule checker shared by the breaker and tables.

The rules (shared/reference/gongwen-layout.md §3, "GB法" plus the strict dash rule of W3C clreq):

* ``NO_START`` characters never begin a line, ``NO_END`` characters never end one;
  ``—`` and ``…`` never begin a line except at the start of a paragraph, and ``——``/``……``
  are never split.
* A number is never split: digit runs with their decimal point / thousands separators, a
  sign or currency symbol with its digits, ``第`` with the digits of an ordinal (``第75``), the digits with a following ``%‰℃°`` and with
  the following character (``2022年``, ``5G``), a magnitude with the character after it
  (``2231亿元``, ``3万亿元``, ``12万人``), a range (``1—2个``), a longer unit word
  (``0.3个百分点``, ``10万人次``, ``8月份``) and a date or period (``2022年上半年``, ``9月23日``).
* Latin words break at spaces, or after the hyphen of a compound (``data-|driven``; not
  ``COVID-|19``); an over-long word breaks anywhere as a last resort. URLs and e-mail
  addresses move whole; one longer than a line breaks only after ``/ . - _ ?``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Literal

# ---------------------------------------------------------------- character sets (§3)

#: May not begin a line (GB/T 15834 §5.1 "GB法" set from gongwen-layout.md §3).
NO_START: frozenset[str] = frozenset(
    "、，。．：；！？）］｝〕】〗〉》」』”’·・／/－–～〜％‰℃°!%),.:;?]}"
)
#: May not end a line.
NO_END: frozenset[str] = frozenset("（［｛〔【〖〈《「『“‘／/([{$¥£￥")
#: Strict level: dashes and ellipses never begin a line except at the start of a paragraph.
DASHES: frozenset[str] = frozenset("—…⸺⸻")
#: Full-width marks that may shrink to half an em at the end of a line (GB/T 15834 §5.1.10).
COMPRESSIBLE: frozenset[str] = frozenset("。，、；：！？”’）》」』】〕〗〉］｝．")
#: Marks glued to the number before them.
UNIT_MARKS: frozenset[str] = frozenset("%‰℃°℉′″％")
#: Signs and currency symbols glued to the number after them.
SIGNS: frozenset[str] = frozenset("+-±−＋－$¥£￥€₩")
#: Separators inside a number (1,234.5; 12:30) or a range (1—2, 3～5).
NUMBER_JOINERS: frozenset[str] = frozenset(".,:．—–~～")
#: Magnitude characters that, after a number, belong to its unit (2231亿元, 12万人, 3万亿元).
MAGNITUDES: frozenset[str] = frozenset("十百千万亿兆")
#: Units of more than one character that stay whole after a number (0.3个百分点, 10万人次).
UNIT_WORDS = re.compile(r"(?<=[0-9万亿千百十])(个百分点|百分点|个点|个月|月份|年度|季度|周年|平方公里|平方千米|平方米|公里|千米|千瓦时|人次|户次|架次|小时|美元|港元|欧元|日元)")
#: Qualifiers of a figure that stay whole, and with the number or unit before them (1300万人以上,
#: 3%左右; a unit cell 万亿斤以上 as a whole).
QUALIFIER_WORDS = re.compile(r"(?<=[\d%‰％万亿千百十元斤吨人户家个])(以上|以下|以内|左右)")
_SOFT_UNIT = re.compile(r"(?<=[0-9万亿千百十])个百分点")
#: Breaking spaces (they hang at the end of a line and are not drawn there).
SPACES: frozenset[str] = frozenset(" \t")
#: Most a justified line widens one space by (in ems) before its other gaps widen again: a
#: space next to Chinese text or a URL already reads as a gap, so it takes little more.
MAX_WORD_EM = 0.25
#: … and in a line without Chinese text or full-width marks (Latin words): as in Latin typesetting.
LATIN_WORD_EM = 0.5
#: Most a squeezed line closes each gap by (in ems) for marks already on it.
MAX_SQUEEZE_EM = 0.05
#: Most a justified line widens a gap next to a Chinese character by (in ems): a line that
#: would need more is avoided by re-breaking the paragraph (total fit, ``_total_fit``).
#: Gaps between Latin letters, digits and URL characters never widen.
MAX_STRETCH_EM = 0.15
#: The most a line the re-break could not bring under ``MAX_STRETCH_EM`` may still widen its gaps
#: to reach the measure. A line that cannot reach it even so (a long URL or number that cannot
#: move follows) is set ragged: natural spacing, flush left, the rest of the measure empty —
#: never spread at the limit and still short.
UNDERFULL_EM = 0.18
#: Cost (in ``_total_fit``'s units) of breaking a date between its parts (2020年|9月15日) or a
#: long unit word (12.6个|百分点, ``soft_breaks``): worse than any line within ``MAX_STRETCH_EM``,
#: better than a loose or ragged one.
SOFT_BREAK_COST = 5e4
#: Adjacent punctuation: the first mark of these pairs gives up its blank half (clreq, JLReq
#: §3.1 table 5), so "”，" or "）、" take 1.5 em instead of 2. ``：；！？`` are left alone
#: (their glyphs sit centred in some fonts).
CLOSE_MARKS: frozenset[str] = frozenset("、，。”’）》」』】〕〗〉］｝")
OPEN_MARKS: frozenset[str] = frozenset("“‘（《「『【〔〖〈［｛")
#: URLs and e-mail addresses stay whole; one longer than a line breaks only after one of
#: ``URL_BREAK_AFTER``.
URLS = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]+"
                  r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.ASCII)
URL_BREAK_AFTER = frozenset("/.-_?")
PAIRS = re.compile("[" + "".join(sorted(CLOSE_MARKS)) + "][" + "".join(sorted(CLOSE_MARKS | OPEN_MARKS))
                    + "]|[" + "".join(sorted(OPEN_MARKS)) + "]{2}")
#: Dates and periods that stay on one line (titles, body text, cells): 2022年上半年, 2024年5月8日.
DATE_WORDS = re.compile(r"\d+年(?:\d+月(?:\d+日)?|[上下]半年|[一二三四]季度|前[三两二]季度|底|初|末)"
                        r"|\d+月\d+日")

Align = Literal["justify", "left", "center", "right"]

# boundary classes: 0 = a break is allowed; 1 = inside a Latin word (last resort); others forbid
ALLOW = 0
WORD = 1
F_NO_START = 2
F_NO_END = 3
F_NUMBER = 4
F_DASH = 5
F_SPACE = 6

_REASONS = {
    F_NO_START: "line starts with a no-start mark",
    F_NO_END: "line ends with a no-end mark",
    F_NUMBER: "number split across lines",
    F_DASH: "dash or ellipsis split",
    WORD: "Latin word split",
}



def is_cjk(ch: str) -> bool:
    """True for Han ideographs (incl. 〇 and 々), the characters a number's unit may be."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x20000 <= o <= 0x3134F
        or 0xF900 <= o <= 0xFAFF
        or o in (0x3005, 0x3007)
    )


def _is_word(ch: str) -> bool:
    """A character of a Latin-script word or number (never Han)."""
    return (ch.isalnum() and not is_cjk(ch)) or ch in "_'"


def classify(prev2: str, a: str, b: str) -> int:
    """Whether a line may break between ``a`` and ``b`` (``prev2`` precedes ``a``; "" if none)."""
    if b in NO_START:
        return F_NO_START
    if b in DASHES:
        return F_DASH
    if a in NO_END:
        return F_NO_END
    if b in SPACES or b == "\u00a0" or a == "\u00a0":
        return F_SPACE
    if a in SPACES:
        return ALLOW
    if a.isdigit():
        if b.isdigit() or b in UNIT_MARKS or is_cjk(b) or _is_word(b):
            return F_NUMBER
    elif b.isdigit() and (a in SIGNS or a == "第" or (a in NUMBER_JOINERS and prev2.isdigit())):
        return F_NUMBER  # −|3, 第|75 (an ordinal), 1,|234
    elif a in MAGNITUDES and is_cjk(b) and (prev2.isdigit() or prev2 in MAGNITUDES or not prev2):
        return F_NUMBER  # 2231亿|元: the unit stays whole (and a unit cell's: 万亿斤|以上)
    if a in DASHES and b == a:
        return F_DASH
    if _is_word(a):
        if _is_word(b) or b == "-":
            return WORD
    elif a == "-" and _is_word(b) and _is_word(prev2):
        # data-|driven: a hyphenated compound may break after its hyphen (not 5-|G)
        return WORD if b.isdigit() or prev2.isdigit() else ALLOW
    return ALLOW


# ---------------------------------------------------------------- inputs and outputs


@dataclass(frozen=True)
class Piece:
    """A run of text in one font and size (``color`` and ``link`` are carried through untouched)."""

    text: str
    font: str
    size: float
    color: str | None = None
    link: str | None = None


@dataclass
class Run:
    """A piece of one line, ``x`` points from the line's left edge (``Line.x``)."""

    text: str
    font: str
    size: float
    x: float
    color: str | None = None
    link: str | None = None
    char_space: float | None = None  # PDF Tc for this run; None: the line's ``char_space``


@dataclass
class Line:
    """One output line: runs drawn in one text object with character spacing ``char_space``."""

    runs: list[Run]
    x: float  # left offset inside the column (indent + alignment shift)
    char_space: float  # PDF Tc: tracking + justification share (negative when squeezed)
    width: float  # from x to the right edge of the last visible glyph
    word_space: float = 0.0  # PDF Tw: extra after each space (U+0020) when gaps would be too wide
    para_start: bool = False
    para_end: bool = False
    squeezed: bool = False
    hang: str = ""  # breaking spaces dropped at the end of the line

    @property
    def text(self) -> str:
        return "".join(r.text for r in self.runs)

    @property
    def size(self) -> float:
        return max((r.size for r in self.runs), default=0.0)


@dataclass
class Violation:
    """A broken line-breaking rule found by ``check_lines``."""

    line: int
    kind: str
    text: str

    def __str__(self) -> str:
        return f"line {self.line + 1}: {self.kind}: {self.text!r}"


Measure = Callable[[str, str, float], float]


@dataclass
class WidthCache:
    """Per-(font, size, char) glyph widths; share one per document so each glyph is measured once."""

    measure: Measure
    cache: dict[tuple[str, float, str], float] = field(default_factory=dict)

    def __call__(self, ch: str, font: str, size: float) -> float:
        key = (font, size, ch)
        w = self.cache.get(key)
        if w is None:
            w = self.cache[key] = self.measure(ch, font, size)
        return w


def boundary_classes(text: str) -> list[int]:
    """``klass[k]``: may a line break before ``text[k]`` (k = 1..n-1; ``ALLOW`` or a reason
    it may not: see ``classify``), with numbers' unit words, dates and URLs applied."""
    n = len(text)
    klass = [ALLOW] * (n + 1)
    prev2 = ""
    ink = ""  # the last character before the current run of spaces
    for k in range(1, n):
        a = text[k - 1]
        klass[k] = classify(prev2, a, text[k])
        if a in SPACES:
            if klass[k] == ALLOW and ink in NO_END:
                klass[k] = F_NO_END  # "（ 国": the opening mark would end the line
        else:
            ink = a
        prev2 = a
    if any(ch.isdigit() or ch in MAGNITUDES for ch in text):
        for rx in (UNIT_WORDS, DATE_WORDS, QUALIFIER_WORDS):
            glued = rx is QUALIFIER_WORDS  # 以上 stays with the unit or number before it, too
            for m in rx.finditer(text):
                for k in range(m.start() + (0 if glued and m.start() > 0 else 1), m.end()):
                    klass[k] = max(klass[k], F_NUMBER)
    if "://" in text or "www." in text or "@" in text:
        for m in URLS.finditer(text):
            for k in range(m.start() + 1, m.end()):
                # a URL moves whole to the next line; only one longer than a line breaks,
                # and then only after / . - _ ? (never inside the scheme's ://)
                ok = text[k - 1] in URL_BREAK_AFTER and text[k] not in URL_BREAK_AFTER
                klass[k] = WORD if ok and text[k - 2 : k] != ":/" else F_NUMBER
    return klass



def url_breaks(text: str, klass: list[int]) -> set[int]:
    """Where a URL or e-mail address may break (after ``/ . - _ ?``, not right after the scheme's
    ``://``): ``linebreak``'s total fit takes one at ``URL_BREAK_COST`` rather than leave a line
    loose or ragged. A ``/`` ends such a line although it is a no-end mark elsewhere
    (``url_tail``)."""
    if "://" not in text and "www." not in text and "@" not in text:
        return set()
    return {k for m in URLS.finditer(text) for k in range(m.start() + 1, m.end())
            if klass[k] == WORD and text[k - 3 : k] != "://"}  # fmt: skip


#: A line that ends inside a URL, after one of its ``/`` (``url_breaks``).
URL_TAIL = re.compile(r"(?:https?://|www\.)[^\s\u3000-\u303f\uff00-\uffef\u4e00-\u9fff]*/\Z", re.ASCII)


def url_tail(line: str) -> bool:
    """Does ``line`` end with a ``/`` inside a URL (where a URL may break)?"""
    return line.endswith("/") and URL_TAIL.search(line) is not None


def soft_breaks(text: str) -> set[int]:
    """Where a date or a long unit word may break when nothing better is left: between a date's
    parts (``2020年|9月15日``, ``9月|15日``) and after the 个 of 个百分点 (``12.6个|百分点``);
    ``linebreak``'s total fit takes one at ``SOFT_BREAK_COST`` rather than leave a line loose or
    ragged. The number itself never breaks."""
    if not any(ch.isdigit() for ch in text):
        return set()
    out = {m.start() + i + 1 for m in DATE_WORDS.finditer(text) for i, ch in enumerate(m.group())
           if ch in "年月" and m.start() + i + 1 < m.end() and text[m.start() + i + 1].isdigit()}  # fmt: skip
    out.update(m.start() + 1 for m in _SOFT_UNIT.finditer(text))
    return out


# ---------------------------------------------------------------- checking


def check_lines(lines: Sequence[Line | str]) -> list[Violation]:
    """Every line-breaking rule broken by ``lines`` (one paragraph, or the lines of a page).

    ``Line`` objects know where paragraphs start and end; plain strings (e.g. extracted PDF
    lines) are treated as one paragraph. No-start marks at a paragraph start and no-end marks
    at a paragraph end are the author's, not the breaker's, and are not reported.
    """
    out: list[Violation] = []
    texts = [ln if isinstance(ln, str) else ln.text for ln in lines]
    starts = [i == 0 if isinstance(ln, str) else ln.para_start for i, ln in enumerate(lines)]
    ends = [
        i == len(lines) - 1 if isinstance(ln, str) else ln.para_end for i, ln in enumerate(lines)
    ]
    for i, t in enumerate(texts):
        if not t:
            continue
        if not starts[i] and (t[0] in NO_START or t[0] in DASHES):
            out.append(Violation(i, _REASONS[F_NO_START], t))
        if not ends[i]:
            if t[-1] in NO_END and not url_tail(t):
                out.append(Violation(i, _REASONS[F_NO_END], t))
            nxt = texts[i + 1] if i + 1 < len(texts) else ""
            ln = lines[i]
            # a break at a (hung) space is always allowed; extracted strings have lost their
            # spaces, so Latin word splits are only judged on Line objects
            if nxt and not starts[i + 1] and not (isinstance(ln, Line) and ln.hang):
                c = classify(t[-2] if len(t) > 1 else "", t[-1], nxt[0])
                if c in (F_NUMBER, F_DASH) or (c == WORD and isinstance(ln, Line)):
                    out.append(Violation(i, _REASONS[c], t + " | " + nxt))
    return out
