"""Turn styled Chinese/Latin text pieces into positioned, justified lines that obey GB/T 15834 line-breaking rules.

ReportLab's own CJK wrapping lets "，" start a line and cannot justify CJK text, so briefgen
breaks lines itself, by the rules in ``breakrules`` (GB/T 15834 "GB法" plus clreq's strict
dashes; numbers, dates, unit words and URLs whole). "先挤进，后推出": a no-start mark is first
squeezed into the line (half an em per full-width mark at the line end, at most
``MAX_SQUEEZE_EM`` per gap for marks already on it); only then is a character pushed down.

Adjacent punctuation (”， ）、 。” 《「) is compressed to 1.5 em. Lines other than a
paragraph's last are justified by widening only the gaps next to a Chinese character or
full-width mark (never inside Latin words, digit runs or URLs): up to ``stretch_em``, then
the spaces up to ``MAX_WORD_EM`` (``LATIN_WORD_EM`` in a line without Chinese), then those gaps
again. A paragraph whose greedy lines would need more than ``MAX_STRETCH_EM`` (0.15 em) per gap
is re-broken by a total-fit pass (``_total_fit``: squared stretch per line over the allowed
break points, Knuth–Plass style; a long URL may break after ``/ . - _ ?`` and a date or 个|百分点 between
its parts at a high cost). A line that still cannot reach the measure within ``UNDERFULL_EM`` is
set ragged — natural spacing, flush left — never spread at the limit and still short, never
letterspaced.
Each run carries its own PDF ``Tc``.

The "cell" model is used throughout: every character advances by its glyph width plus the
tracking, and a full line's cells add up to the available width. With the 公文 grid (16 pt
body, 28 characters in 442.2 pt) the tracking is −0.21 pt and the pitch 15.79 pt.

Cost is O(n) per paragraph for the greedy pass (widths cached per font, size and character;
prefix sums make each fit test O(1)); the total-fit pass, run only for paragraphs with a loose
line, looks back over the break points of one line's width.
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass

from briefgen.typeset.breakrules import (
    ALLOW,
    CLOSE_MARKS,
    COMPRESSIBLE,
    DASHES,
    DATE_WORDS,
    F_DASH,
    F_NO_END,
    F_NO_START,
    F_NUMBER,
    F_SPACE,
    LATIN_WORD_EM,
    MAGNITUDES,
    MAX_SQUEEZE_EM,
    MAX_STRETCH_EM,
    MAX_WORD_EM,
    NO_END,
    NO_START,
    NUMBER_JOINERS,
    OPEN_MARKS,
    PAIRS,
    SIGNS,
    SOFT_BREAK_COST,
    SPACES,
    UNDERFULL_EM,
    UNIT_MARKS,
    UNIT_WORDS,
    URL_BREAK_AFTER,
    URLS,
    WORD,
    Align,
    Line,
    Measure,
    Piece,
    Run,
    Violation,
    WidthCache,
    boundary_classes,
    check_lines,
    classify,
    is_cjk,
    soft_breaks,
    url_breaks,
    url_tail,
)

# the rules module's names, re-exported: callers import the breaker and its facts from here
_EPS = 1e-6
URL_BREAK_COST = 2e5  # a URL broken after / . - _ ?: worse than any line up to 0.15 em, better than 0.35
RAGGED_COST = 1e6  # a line that cannot reach the measure: worse than several URL or date breaks

__all__ = [  # fmt: skip
    "ALLOW", "WORD", "F_NO_START", "F_NO_END", "F_NUMBER", "F_DASH", "F_SPACE", "NO_START",
    "NO_END", "DASHES", "COMPRESSIBLE", "UNIT_MARKS", "SIGNS", "NUMBER_JOINERS", "MAGNITUDES",
    "UNIT_WORDS", "SPACES", "MAX_WORD_EM", "MAX_SQUEEZE_EM", "MAX_STRETCH_EM", "UNDERFULL_EM",
    "CLOSE_MARKS", "OPEN_MARKS", "URLS", "URL_BREAK_AFTER", "DATE_WORDS", "Align", "Piece",
    "Run", "Line", "Violation", "Measure", "WidthCache", "is_cjk", "classify",
    "boundary_classes", "check_lines", "break_lines", "url_tail",
]


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
    wide = [0] * (n + 1)  # Chinese characters and full-width marks in text[:i]
    for k, ch in enumerate(text):
        acc += advance[k] + comp[k] + tracking
        if ch == " ":
            nsp += 1
        prefix[k + 1] = acc
        nspaces[k + 1] = nsp
        marks[k + 1] = marks[k] + (ch in COMPRESSIBLE)
        elastic[k + 1] = elastic[k] + (k > 0 and _elastic(text[k - 1], ch))
        wide[k + 1] = wide[k] + (ord(ch) >= 0x2E80)
    seg = _Segment(pieces, starts, text, prefix, nspaces, sizes, tracking, stretch_em, comp, elastic, wide)
    klass = boundary_classes(text)
    breaks = _greedy(seg, klass, width, first_indent, rest_indent, squeeze_em)
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


def _greedy(
    seg: _Segment,
    klass: list[int],
    width: float,
    first_indent: float,
    rest_indent: float,
    squeeze_em: float,
) -> list[tuple[int, int, bool]]:
    """First-fit breaks (start, end, squeezed) per line, with 先挤进，后推出 at each line end."""
    text, prefix, sizes, n = seg.text, seg.prefix, seg.sizes, len(seg.text)
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
    return breaks


def _single_line(
    pieces: list[Piece],
    avail: float,
    cache: WidthCache,
    tracking: float,
    indent: float,
    align: Align,
) -> Line | None:
    """Fast path for text that fits on one line (most table cells): no break analysis needed."""
    if PAIRS.search("".join(p.text for p in pieces)):
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
    wide: list[int]  # Chinese characters and full-width marks inside text[:i]


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


def _cells(seg: _Segment, s: int, v: int) -> float:
    """Width of the characters [s, v) as one line: a mark compressed for the pair it formed with
    the next line's first character gets its full width back (the pair is split)."""
    return seg.prefix[v] - seg.prefix[s] - (seg.comp[v - 1] if v > s else 0.0)


def _elastic_gaps(seg: _Segment, s: int, v: int) -> int:
    return seg.elastic[v] - seg.elastic[s + 1] if v > s + 1 else 0


def _stretch(seg: _Segment, s: int, b: int, avail: float) -> float:
    """Extra per elastic gap (points) a justified line [s, b) needs after its spaces have
    taken their share; 0 for a line that is full or over-full, inf for one that cannot stretch."""
    v = b
    while v > s and seg.text[v - 1] in SPACES:
        v -= 1
    need = avail - _cells(seg, s, v)
    if need <= _EPS:
        return 0.0
    size = seg.sizes[s]
    gaps = _elastic_gaps(seg, s, v)
    spaces = seg.nspaces[v] - seg.nspaces[s]
    cap = max(seg.stretch_em * size - seg.tracking, 0.0)
    first = min(cap, need / gaps) if gaps else 0.0
    word_em = MAX_WORD_EM if seg.wide[v] > seg.wide[s] else LATIN_WORD_EM
    need -= first * gaps + min(need - first * gaps, word_em * size * spaces)
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
    text, n = seg.text, len(seg.text)
    urls = url_breaks(text, klass)
    soft = soft_breaks(text)
    cands = [0] + [k for k in range(1, n) if klass[k] == ALLOW or k in urls or k in soft] + [n]
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
            cells = _cells(seg, a, v)
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
                if st > UNDERFULL_EM + 1e-9:  # set ragged: judged by the hole it leaves
                    cost = RAGGED_COST + 1e5 * max(avail - cells, 0.0) / size
                else:
                    cost = (st / MAX_STRETCH_EM) ** 2 * 100 + (1e6 * st if st > MAX_STRETCH_EM + 1e-9 else 0.0)
                    cost += 40.0 if st > 0.005 else 0.0  # few stretched lines rather than many
                cost += 150.0 if squeezed else 0.0  # squeezing a mark in: as bad as a 0.18 em stretch
                cost += URL_BREAK_COST if b in urls else SOFT_BREAK_COST if b in soft else 0.0
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
    cells = _cells(seg, s, v)
    squeeze = 0.0  # every gap closes (a squeezed line)
    extra = 0.0  # elastic gaps widen
    word = 0.0
    if nvis > 1 and cells > avail + _EPS:
        squeeze = (avail - cells) / (nvis - 1)
    elif nvis > 1 and align == "justify" and not last and _stretch(seg, s, b, avail) <= UNDERFULL_EM * seg.sizes[s] + _EPS:
        # a line that cannot reach the measure within UNDERFULL_EM stays ragged (natural spacing)
        extra = _stretch(seg, s, b, avail)
        gaps = _elastic_gaps(seg, s, v)
        spaces = nspaces[v] - nspaces[s]
        if spaces:
            word = max(avail - cells - extra * gaps, 0.0) / spaces
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
        if not adjusted:  # uniform spacing: one run per piece
            runs.append(Run(text[pos:pend], p.font, p.size, x_of(pos), p.color, p.link))
            pos = pend
            pi += 1
            continue
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
