"""Turn styled Chinese/Latin text pieces into positioned, justified lines that obey GB/T 15834 line-breaking rules.

ReportLab's own CJK wrapping lets "，" start a line and cannot justify CJK text, so briefgen
breaks lines itself. The rules (shared/reference/gongwen-layout.md §3, "GB法" plus the strict
dash rule of W3C clreq):

* ``NO_START`` characters never begin a line, ``NO_END`` characters never end one;
  ``—`` and ``…`` never begin a line except at the start of a paragraph, and ``——``/``……``
  are never split.
* A number is never split: digit runs with their decimal point / thousands separators, a
  sign or currency symbol with its digits, the digits with a following ``%‰℃°`` and with
  the following character (``2022年``, ``5G``), a magnitude with the character after it
  (``2231亿元``, ``3万亿元``, ``12万人``), a range (``1—2个``) and a longer unit word
  (``0.3个百分点``, ``10万人次``).
* Latin words break at spaces, or after the hyphen of a compound (``data-|driven``; not
  ``COVID-|19``); an over-long word breaks anywhere as a last resort.
* "先挤进，后推出": when a forbidden character would start the next line, first try to
  squeeze it into the current line (half an em of compression per full-width mark at the
  line end or already on the line, taken from the line's tracking, at most
  ``MAX_SQUEEZE_EM`` per gap for the latter); only then push the previous character down.

Lines other than the last of a paragraph are justified by spreading the remaining width
evenly over *every* inter-character gap, which in PDF is one ``Tc`` (character spacing)
value per line, so each line is one text object with uniform spacing. Gaps widen by at most
``stretch_em``; what is left goes into the line's spaces (``Tw``), up to ``MAX_WORD_EM``
each, and only beyond that into every gap again, so a pushed-down Latin word never leaves
two or three holes in a line.

The "cell" model is used throughout: every character advances by its glyph width plus the
tracking, and a full line's cells add up to the available width. With the 公文 grid (16 pt
body, 28 characters in 442.2 pt) the tracking is −0.21 pt and the pitch 15.79 pt.

Cost is O(n) per paragraph: widths come from a per-(font, size, char) cache, prefix sums
make each fit test O(1), and the scan never moves back further than one pushed cluster.
"""

from __future__ import annotations

import bisect
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
UNIT_WORDS = re.compile(r"(?<=[0-9万亿千百十])(个百分点|百分点|个点|平方公里|平方千米|平方米|公里|千米|千瓦时|人次|户次|架次|小时)")
#: Breaking spaces (they hang at the end of a line and are not drawn there).
SPACES: frozenset[str] = frozenset(" \t")
#: Most a justified line widens one space by (in ems) before its other gaps widen again.
MAX_WORD_EM = 0.5
#: Most a squeezed line closes each gap by (in ems) for marks already on it.
MAX_SQUEEZE_EM = 0.05
#: Most a justified line widens a gap next to a Chinese character by (in ems): a line that
#: would need more is avoided by re-breaking the paragraph (total fit, ``_total_fit``).
#: Gaps between Latin letters, digits and URL characters never widen.
MAX_STRETCH_EM = 0.15
#: A line that could only be justified with more than this per gap is left ragged instead.
RAGGED_EM = 0.6
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
_PAIRS = re.compile("[" + "".join(sorted(CLOSE_MARKS)) + "][" + "".join(sorted(CLOSE_MARKS | OPEN_MARKS))
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

_EPS = 1e-6


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
    elif b.isdigit() and (a in SIGNS or (a in NUMBER_JOINERS and prev2.isdigit())):
        return F_NUMBER
    elif a in MAGNITUDES and is_cjk(b) and (prev2.isdigit() or prev2 in MAGNITUDES):
        return F_NUMBER  # 2231亿|元: the unit stays whole
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


# ---------------------------------------------------------------- the breaker


def break_lines(
    pieces: Sequence[Piece],
    width: float,
    widths: WidthCache | Measure,
    *,
    tracking: float = 0.0,
    first_indent: float = 0.0,
    rest_indent: float = 0.0,
    align: Align = "justify",
    squeeze_em: float = 0.5,
    stretch_em: float = 0.07,
) -> list[Line]:
    """Break ``pieces`` (one paragraph) into lines of at most ``width`` points.

    ``tracking`` is added after every character (negative tightens); ``first_indent`` and
    ``rest_indent`` shift the first and following lines (a hanging indent has
    ``rest_indent > first_indent``). A newline in the text forces a break (the line before
    it is not justified). ``squeeze_em`` is how much of an em each full-width mark may
    give up to pull a no-start mark back onto the line.

    Justification goes into every inter-character gap (``Line.char_space``) up to
    ``stretch_em`` of the font size; beyond that, what is left goes into the line's spaces
    (``Line.word_space``) if it has any. Text extractors such as pdftotext insert a space
    between glyphs more than 0.1 em apart, so wider CJK gaps would corrupt the text layer.
    """
    cache = widths if isinstance(widths, WidthCache) else WidthCache(widths)
    pieces = [p for p in pieces if p.text]
    if not pieces:
        return []
    # split at hard line breaks
    segments: list[list[Piece]] = [[]]
    for p in pieces:
        parts = p.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for i, part in enumerate(parts):
            if i:
                segments.append([])
            if part:
                segments[-1].append(Piece(part, p.font, p.size, p.color, p.link))
    lines: list[Line] = []
    for i, seg in enumerate(segments):
        out = _break_segment(
            seg,
            width,
            cache,
            tracking,
            first_indent if i == 0 else rest_indent,
            rest_indent,
            align,
            squeeze_em,
            stretch_em,
        )
        if not out:  # an empty segment (blank line) still takes a line
            out = [Line([], first_indent if i == 0 else rest_indent, tracking, 0.0)]
        lines.extend(out)
    if lines:
        lines[0].para_start = True
        lines[-1].para_end = True
    return lines


def balanced_lines(
    pieces: Sequence[Piece],
    width: float,
    widths: WidthCache | Measure,
    *,
    tracking: float = 0.0,
    first_indent: float = 0.0,
    rest_indent: float = 0.0,
    align: Align = "center",
) -> list[Line]:
    """``break_lines`` for centred text (titles), with the lines as even as possible.

    A title that wraps is broken at the narrowest width that still gives the same number of
    lines, so no line is left with a character or two (GB/T 9704 §7.3.1 asks for a trapezoid
    or diamond shape); the lines are then centred in the full ``width`` (``align`` is accepted
    for the callers' convenience: the result is always centred).
    """

    def brk(w: float) -> list[Line]:
        return break_lines(pieces, w, widths, tracking=tracking, first_indent=first_indent,
                           rest_indent=rest_indent, align="center")  # fmt: skip

    lines = brk(width)
    n = len(lines)
    if n < 2 or any("\n" in p.text or "\r" in p.text for p in pieces):
        return lines  # one line, or the author's own line breaks
    lo, hi = width / n, width
    best = lines
    for _ in range(14):
        mid = (lo + hi) / 2
        trial = brk(mid)
        if len(trial) <= n and all(ln.x >= -_EPS for ln in trial):
            best, hi = trial, mid
        else:
            lo = mid
    if best is not lines:
        shift = (width - hi) / 2
        for ln in best:
            ln.x += shift
    return best


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
    if any(ch.isdigit() for ch in text):
        for rx in (UNIT_WORDS, DATE_WORDS):
            for m in rx.finditer(text):
                for k in range(m.start() + 1, m.end()):
                    klass[k] = max(klass[k], F_NUMBER)
    if "://" in text or "www." in text or "@" in text:
        for m in URLS.finditer(text):
            for k in range(m.start() + 1, m.end()):
                # a URL moves whole to the next line; only one longer than a line breaks,
                # and then only after / . - _ ? (never inside the scheme's ://)
                ok = text[k - 1] in URL_BREAK_AFTER and text[k] not in URL_BREAK_AFTER
                klass[k] = WORD if ok and text[k - 2 : k] != ":/" else F_NUMBER
    return klass


def _break_segment(
    pieces: list[Piece],
    width: float,
    cache: WidthCache,
    tracking: float,
    first_indent: float,
    rest_indent: float,
    align: Align,
    squeeze_em: float,
    stretch_em: float,
) -> list[Line]:
    if not pieces:
        return []
    fast = _single_line(pieces, width - first_indent, cache, tracking, first_indent, align)
    if fast is not None:
        return [fast]
    text = "".join(p.text for p in pieces)
    n = len(text)
    # piece of each char, advance (cell) of each char, prefix sums
    starts: list[int] = []
    sizes: list[float] = []
    prefix = [0.0] * (n + 1)
    nspaces = [0] * (n + 1)  # breaking spaces before each index (for word spacing)
    advance: list[float] = []
    i = 0
    for p in pieces:
        starts.append(i)
        font, size = p.font, p.size
        for ch in p.text:
            advance.append(cache(ch, font, size))
            sizes.append(size)
            i += 1
    comp = _pair_compression(text, advance, sizes)
    acc = 0.0
    nsp = 0
    marks = [0] * (n + 1)  # compressible marks before each index (line-end squeezing)
    elastic = [0] * (n + 1)  # elastic gaps inside text[:i] (see _elastic)
    for k, ch in enumerate(text):
        acc += advance[k] + comp[k] + tracking
        if ch == " ":
            nsp += 1
        prefix[k + 1] = acc
        nspaces[k + 1] = nsp
        marks[k + 1] = marks[k] + (ch in COMPRESSIBLE)
        elastic[k + 1] = elastic[k] + (k > 0 and _elastic(text[k - 1], ch))
    seg = _Segment(pieces, starts, text, prefix, nspaces, sizes, tracking, stretch_em, comp, elastic)
    klass = boundary_classes(text)
    # prev_allowed[k]: largest allowed boundary <= k (0 if none); likewise for word breaks
    prev_allowed = [0] * (n + 1)
    prev_word = [0] * (n + 1)
    last_a = last_w = 0
    for k in range(1, n + 1):
        c = klass[k] if k < n else ALLOW
        if c == ALLOW:
            last_a = k
        if c <= WORD:
            last_w = k
        prev_allowed[k] = last_a
        prev_word[k] = last_w
    next_allowed = [n] * (n + 1)
    nxt = n
    for k in range(n - 1, 0, -1):
        if klass[k] == ALLOW:
            nxt = k
        next_allowed[k] = nxt

    breaks: list[tuple[int, int, bool]] = []  # (start, end, squeezed) per line
    s = 0
    first = True
    while s < n:
        indent = first_indent if first else rest_indent
        avail = width - indent
        limit = prefix[s] + avail + _EPS
        e = s
        while e < n and prefix[e + 1] <= limit:
            e += 1
        squeezed = False
        if e >= n:
            b = n
        elif text[e] in SPACES and e > s:
            b = e
            while b < n and text[b] in SPACES:
                b += 1
            if (b < n and klass[b] != ALLOW) or text[e - 1] in NO_END:
                b = _push(e, s, prev_allowed, prev_word)
        elif klass[e] == ALLOW and e > s:
            b = e
        else:
            b = 0
            nb = next_allowed[e] if e > 0 else n
            tail = text[e:nb]
            if e > s and tail and all(c in NO_START for c in tail):
                budget = sum(
                    squeeze_em * sizes[e + j] for j, c in enumerate(tail) if c in COMPRESSIBLE
                )
                # and so may the marks already on the line; the compression is spread over
                # every gap (glyphs whose ink is centred, as in some fonts, must not collide),
                # and for those marks no gap closes by more than MAX_SQUEEZE_EM
                line_marks = sum(sizes[j] for j in range(s, e) if text[j] in COMPRESSIBLE)
                budget = min(
                    budget + squeeze_em * line_marks,
                    max(budget, MAX_SQUEEZE_EM * sizes[s] * (nb - s - 1)),
                )
                k = e  # breaking spaces right before the mark may shrink away entirely
                while k > s and text[k - 1] in SPACES:
                    budget += prefix[k] - prefix[k - 1]
                    k -= 1
                # the squeezed marks are taken from the whole line's spacing
                if prefix[nb] - limit <= budget:
                    b = nb
                    squeezed = True
            if not b:
                b = _push(e, s, prev_allowed, prev_word)
        breaks.append((s, b, squeezed))
        s = b
        first = False
    if align == "justify" and len(breaks) > 1 and any(
        _loose(seg, a, b, width - (first_indent if a == 0 else rest_indent))
        for a, b, sq in breaks[:-1]
        if not sq
    ):
        better = _total_fit(seg, klass, marks, width, first_indent, rest_indent, squeeze_em)
        if better is not None:
            breaks = better
    return [
        _make_line(seg, a, b, first_indent if a == 0 else rest_indent,
                   width - (first_indent if a == 0 else rest_indent), align,
                   last=(b >= n), squeezed=sq)  # fmt: skip
        for a, b, sq in breaks
    ]


def _single_line(
    pieces: list[Piece],
    avail: float,
    cache: WidthCache,
    tracking: float,
    indent: float,
    align: Align,
) -> Line | None:
    """Fast path for text that fits on one line (most table cells): no break analysis needed."""
    if _PAIRS.search("".join(p.text for p in pieces)):
        return None  # adjacent marks to compress: the full path positions them
    total = 0.0
    xs: list[float] = []
    for p in pieces:
        xs.append(total)
        font, size = p.font, p.size
        for ch in p.text:
            total += cache(ch, font, size) + tracking
        if total > avail + _EPS:
            return None
    if pieces[-1].text[-1] in SPACES:  # trailing spaces hang: leave that to the full breaker
        return None
    visual = total - tracking
    x = indent
    if align in ("center", "right"):
        room = max(avail - visual, 0.0)
        x += room / 2 if align == "center" else room
    runs = [Run(p.text, p.font, p.size, xs[i], p.color, p.link) for i, p in enumerate(pieces)]
    return Line(runs, x, tracking, visual, para_start=True, para_end=True)


def _push(e: int, s: int, prev_allowed: list[int], prev_word: list[int]) -> int:
    """Where to break when the character at ``e`` does not fit: 后推出, then word, then force."""
    b = prev_allowed[e]
    if b > s:
        return b
    b = prev_word[e]
    if b > s:
        return b
    return e if e > s else s + 1


@dataclass
class _Segment:
    """Per-paragraph-segment arrays shared by the scan and line construction."""

    pieces: list[Piece]
    starts: list[int]
    text: str
    prefix: list[float]
    nspaces: list[int]
    sizes: list[float]
    tracking: float
    stretch_em: float
    comp: list[float]  # pair compression of each character's advance (0 or negative)
    elastic: list[int]  # elastic gaps inside text[:i]


def _elastic(a: str, b: str) -> bool:
    """May justification widen the gap between ``a`` and ``b``? Only next to a Chinese
    character or full-width mark: never inside Latin words, digit runs or URLs, nor at spaces
    (they widen by word spacing)."""
    if a in SPACES or b in SPACES or a == "\u00a0" or b == "\u00a0":
        return False
    return ord(a) >= 0x2E80 or ord(b) >= 0x2E80


def _pair_compression(text: str, advance: list[float], sizes: list[float]) -> list[float]:
    """Half an em off the first of two adjacent full-width marks (”， ）、 。” 《「 …)."""
    comp = [0.0] * len(text)
    for k in range(len(text) - 1):
        a, b = text[k], text[k + 1]
        if ((a in CLOSE_MARKS and (b in CLOSE_MARKS or b in OPEN_MARKS))
                or (a in OPEN_MARKS and b in OPEN_MARKS)) and advance[k] >= 0.9 * sizes[k]:  # fmt: skip
            comp[k] = -0.5 * sizes[k]
    return comp


def _elastic_gaps(seg: _Segment, s: int, v: int) -> int:
    return seg.elastic[v] - seg.elastic[s + 1] if v > s + 1 else 0


def _stretch(seg: _Segment, s: int, b: int, avail: float) -> float:
    """Extra per elastic gap (points) a justified line [s, b) needs after its spaces have
    taken their share; 0 for a line that is full or over-full, inf for one that cannot stretch."""
    v = b
    while v > s and seg.text[v - 1] in SPACES:
        v -= 1
    need = avail - (seg.prefix[v] - seg.prefix[s])
    if need <= _EPS:
        return 0.0
    size = seg.sizes[s]
    gaps = _elastic_gaps(seg, s, v)
    spaces = seg.nspaces[v] - seg.nspaces[s]
    cap = max(seg.stretch_em * size - seg.tracking, 0.0)
    first = min(cap, need / gaps) if gaps else 0.0
    need -= first * gaps + min(need - first * gaps, MAX_WORD_EM * size * spaces)
    if need <= _EPS:
        return first
    return first + need / gaps if gaps else float("inf")


def _loose(seg: _Segment, s: int, b: int, avail: float) -> bool:
    return _stretch(seg, s, b, avail) > MAX_STRETCH_EM * seg.sizes[s] + _EPS


def _total_fit(
    seg: _Segment,
    klass: list[int],
    marks: list[int],
    width: float,
    first_indent: float,
    rest_indent: float,
    squeeze_em: float,
) -> list[tuple[int, int, bool]] | None:
    """Breaks for the whole segment minimising the sum of squared stretch (Knuth–Plass style,
    over the allowed break points only); lines past ``MAX_STRETCH_EM`` cost far more than any
    number of tight ones. ``None`` if no break sequence fits (the greedy result stands)."""
    text, prefix, n = seg.text, seg.prefix, len(seg.text)
    cands = [0] + [k for k in range(1, n) if klass[k] == ALLOW] + [n]
    best: dict[int, tuple[float, int, bool]] = {0: (0.0, -1, False)}
    for bi in range(1, len(cands)):
        b = cands[bi]
        v = b
        while v > 0 and text[v - 1] in SPACES:
            v -= 1
        found: tuple[float, int, bool] | None = None
        for si in range(bi - 1, -1, -1):
            a = cands[si]
            if a not in best:
                continue
            avail = width - (first_indent if a == 0 else rest_indent)
            size = seg.sizes[a]
            cells = prefix[v] - prefix[a]
            gaps = max(v - a - 1, 1)
            shrink = 0.0
            if v > a and text[v - 1] in COMPRESSIBLE:
                shrink = squeeze_em * size + min(squeeze_em * size * (marks[v - 1] - marks[a]),
                                                 MAX_SQUEEZE_EM * size * gaps)  # fmt: skip
            if cells > avail + shrink + _EPS:
                break  # longer lines only get longer
            squeezed = cells > avail + _EPS
            if b >= n:
                cost = 0.0
            else:
                st = _stretch(seg, a, b, avail) / size
                if st == float("inf"):  # nothing may widen: judge by the whole shortfall
                    st = 10.0 + (avail - cells) / size
                cost = (st / MAX_STRETCH_EM) ** 2 * 100 + (1e6 * st if st > MAX_STRETCH_EM + 1e-9 else 0.0)
                cost += 40.0 if st > 0.005 else 0.0  # few stretched lines rather than many
                cost += 150.0 if squeezed else 0.0  # squeezing a mark in: as bad as a 0.18 em stretch
            total = best[a][0] + cost + 1.0  # + 1 per line: fewer lines when otherwise equal
            if found is None or total < found[0]:
                found = (total, a, squeezed)
        if found is not None:
            best[b] = found
    if n not in best:
        return None
    out: list[tuple[int, int, bool]] = []
    b = n
    while b > 0:
        _, a, sq = best[b]
        out.append((a, b, sq))
        b = a
    return out[::-1]


def _make_line(
    seg: _Segment,
    s: int,
    b: int,
    indent: float,
    avail: float,
    align: Align,
    *,
    last: bool,
    squeezed: bool,
) -> Line:
    text, prefix, nspaces, tracking = seg.text, seg.prefix, seg.nspaces, seg.tracking
    v = b
    while v > s and text[v - 1] in SPACES:
        v -= 1
    nvis = v - s
    cells = prefix[v] - prefix[s]
    squeeze = 0.0  # every gap closes (a squeezed line)
    extra = 0.0  # elastic gaps widen
    word = 0.0
    if nvis > 1 and cells > avail + _EPS:
        squeeze = (avail - cells) / (nvis - 1)
    elif nvis > 1 and align == "justify" and not last:
        extra = _stretch(seg, s, b, avail)
        if extra > RAGGED_EM * seg.sizes[s]:
            extra = 0.0  # too few gaps may widen (a Latin or figure line): ragged, not letterspaced
        gaps = _elastic_gaps(seg, s, v)
        spaces = nspaces[v] - nspaces[s]
        if spaces:
            word = min(max(avail - cells - extra * gaps, 0.0) / spaces,
                       MAX_WORD_EM * seg.sizes[s] if extra == 0.0 else float("inf"))  # fmt: skip
    comp = seg.comp
    el = seg.elastic

    def x_of(k: int) -> float:
        return (prefix[k] - prefix[s] + extra * (el[k + 1] - el[s + 1] if k > s else 0)
                + word * (nspaces[k] - nspaces[s]) + squeeze * (k - s))  # fmt: skip

    visual = x_of(v - 1) + (prefix[v] - prefix[v - 1]) - tracking - comp[v - 1] if nvis else 0.0
    x = indent
    if extra == 0.0 and word == 0.0 and align in ("center", "right"):
        room = max(avail - visual, 0.0)
        x += room / 2 if align == "center" else room
    base = tracking + squeeze
    adjusted = bool(extra) or any(comp[j] for j in range(s, v))  # runs positioned one by one
    runs: list[Run] = []
    pi = bisect.bisect_right(seg.starts, s) - 1
    pos = s
    while pos < v:
        p = seg.pieces[pi]
        pend = min(seg.starts[pi] + len(p.text), v)
        # split the piece where the spacing after a character changes (elastic gap, compressed mark)
        k = pos
        while k < pend:
            sp = _after(seg, k, v, extra, base)
            e = k + 1
            while e < pend and _after(seg, e - 1, v, extra, base) == sp:
                e += 1
            cs = sp if adjusted else None
            runs.append(Run(text[k:e], p.font, p.size, x_of(k), p.color, p.link, cs))
            k = e
        pos = pend
        pi += 1
    return Line(runs, x, base + extra, visual, word, squeezed=squeezed, hang=text[v:b])


def _after(seg: _Segment, k: int, v: int, extra: float, base: float) -> float:
    """Spacing after character ``k`` of a line ending at ``v`` (PDF Tc for its run)."""
    sp = base + seg.comp[k]
    if extra and k + 1 < v and _elastic(seg.text[k], seg.text[k + 1]):
        sp += extra
    return sp


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
            if t[-1] in NO_END:
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
