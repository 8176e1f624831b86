"""Turn a title's text into the cost of a line break before each character: phrase boundaries cheap, inside a word dear.

Titles (and other centred lines) should break "词意完整" (GB/T 9704 §7.3.1): after punctuation,
after the particles and conjunctions 的/和/与/及/等, before a preposition (关于, 对, 在) or a
number, never inside a number with its unit or a date (the line breaker's own rules), and
inside a word only when nothing else will do. Words come from a segmentation of each run of
Han characters: the most probable split into words of ``words.txt.gz`` (about 78,000 words of
1–4 characters with their frequency, derived from jieba's dictionary by
``tools/make_wordlist.py``), as jieba does without its HMM. The list is read once per process,
and only when a title has to break (about 25 ms).
"""

from __future__ import annotations

import gzip
import math
from functools import cache
from importlib import resources

from briefgen.typeset.breakrules import ALLOW, SPACES, WORD, boundary_classes, is_cjk

INF = math.inf
#: A break after one of these marks (or after ``——``/``……``) costs nothing.
AFTER_MARKS = frozenset("、，。；：！？”’）》」』】〕〗〉］｝,.;:!?)]") | frozenset("—…")
#: Before an opening mark: nearly as good.
BEFORE_MARKS = frozenset("“‘（《「『【〔〖〈［｛([")
#: Words after which a phrase ends (的-phrases, conjunctions, 等).
AFTER_WORDS = frozenset(
    {"的", "和", "与", "及", "或", "并", "暨", "等", "之", "以及", "或者", "并且", "而且"}
)
#: Words that open a phrase (prepositions): a break before them is good, after them poor.
OPENERS = frozenset({"关于", "对于", "对", "在", "按", "按照", "据", "根据", "从", "以", "向", "为",
                     "围绕", "就", "由", "经", "把", "将", "于", "自", "至", "比", "通过", "针对"})  # fmt: skip
#: Words that lean on the word before them: a line must not start with them.
LEANERS = frozenset({"的", "地", "得", "等", "之", "们", "了", "着", "过"})
#: One-character words that stand alone (not paired with a neighbour by ``_paired``).
SINGLES = (frozenset(w for w in AFTER_WORDS | OPENERS | LEANERS if len(w) == 1)
           | frozenset("是有也都就还而但则又很更最不没其该此各每本全及新"))  # fmt: skip
# the costs (a break inside a two-character word is ``INSIDE``; compare ``titles.BALANCE``)
PUNCT, OPENING, PARTICLE, UNIT_END, BOUNDARY, BEFORE_NUMBER = 0.0, 0.5, 1.0, 1.5, 4.0, 3.0
AFTER_OPENER, INSIDE, LEANER, IN_QUOTES, LATIN_SPLIT = 8.0, 12.0, 20.0, 8.0, 1000.0
#: In a compound of four or more words (消费|市场|运行|简报), a break after an odd number of them
#: costs this much more: such compounds pair up ([消费市场][运行简报]).
ODD_WORDS = 1.0
#: Quotations and bracketed asides up to this many characters are kept whole if possible.
QUOTE_CHARS = 10
_PAIRS = {"“": "”", "‘": "’", "《": "》", "（": "）", "「": "」", "『": "』", "(": ")"}


@cache
def _words() -> tuple[dict[str, int], float]:
    """word → log2 of its frequency, and log2 of the total frequency."""
    raw = resources.files("briefgen.typeset").joinpath("words.txt.gz").read_bytes()
    words: dict[str, int] = {}
    mass = 0.0
    for line in gzip.decompress(raw).decode("utf-8").splitlines():
        if line and not line.startswith("#"):
            bucket, _, ws = line.partition("\t")
            group = ws.split(" ")
            words.update(dict.fromkeys(group, int(bucket)))
            mass += len(group) * 2.0 ** (int(bucket) + 0.5)
    return words, math.log2(mass)


def segment(run: str) -> list[str]:
    """``run`` (Han characters) split into its most probable words."""
    words, total = _words()
    n = len(run)
    best: list[tuple[float, int]] = [(0.0, n)] * (n + 1)
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, min(i + 4, n) + 1):
            b = words.get(run[i:j])
            if b is None and j > i + 1:
                continue
            options.append(((b if b is not None else -1) + 0.5 - total + best[j][0], j))
        best[i] = max(options)
    out, i = [], 0
    while i < n:
        j = best[i][1]
        out.append(run[i:j])
        i = j
    return out


def break_costs(text: str) -> list[float]:
    """``costs[k]``: how bad a line break before ``text[k]`` is (k = 1 … n−1; ``INF`` where the
    line-breaking rules forbid it; ``costs[0]`` and ``costs[n]`` are 0)."""
    n = len(text)
    klass = boundary_classes(text)
    costs = [0.0] * (n + 1)
    word_of = _words_at(text)
    quoted = _quoted(text)
    odd = _odd_boundaries(word_of)
    for k in range(1, n):
        a, b = text[k - 1], text[k]
        if klass[k] != ALLOW:
            costs[k] = LATIN_SPLIT if klass[k] == WORD else INF
            continue
        if a in SPACES or a in AFTER_MARKS:
            cost = PUNCT
        elif b in BEFORE_MARKS:
            cost = OPENING
        elif is_cjk(a) and is_cjk(b):
            cost = _between_words(text, k, word_of)
        elif is_cjk(a):  # before a number or a Latin word
            cost = AFTER_OPENER if word_of[k - 1][0] in OPENERS else BEFORE_NUMBER
        else:
            cost = BOUNDARY
        costs[k] = cost + (IN_QUOTES if k in quoted else 0.0) + (ODD_WORDS if k in odd else 0.0)
    return costs


def _between_words(text: str, k: int, word_of: list[tuple[str, int]]) -> float:
    left, start = word_of[k - 1]
    right, rstart = word_of[k]
    if rstart != k:
        return INSIDE
    if right in LEANERS:
        return LEANER
    if left in AFTER_WORDS:
        return PARTICLE
    if right in OPENERS:
        return PARTICLE
    if left in OPENERS:
        return AFTER_OPENER
    if start > 0 and text[start - 1].isdigit():
        return UNIT_END  # after a number's unit: 8月份|社会
    return BOUNDARY


def _words_at(text: str) -> list[tuple[str, int]]:
    """For each character of a Han run: its word and where the word starts ("" elsewhere)."""
    out: list[tuple[str, int]] = [("", i) for i in range(len(text))]
    i = 0
    while i < len(text):
        if not is_cjk(text[i]):
            i += 1
            continue
        j = i
        while j < len(text) and is_cjk(text[j]):
            j += 1
        pos = i
        for w in _paired(segment(text[i:j])):
            for m in range(pos, pos + len(w)):
                out[m] = (w, pos)
            pos += len(w)
        i = j
    return out


def _odd_boundaries(word_of: list[tuple[str, int]]) -> set[int]:
    """Word boundaries after an odd number of words in a compound of at least four words of two
    or more characters (a run of content words with no particle or preposition between)."""
    starts = sorted({s for w, s in word_of if w})
    out: set[int] = set()
    run: list[int] = []

    def flush() -> None:
        if len(run) >= 4:
            out.update(run[i] for i in range(1, len(run), 2))
        run.clear()

    for s in starts:
        w = word_of[s][0]
        if len(w) < 2 or w in OPENERS or w in AFTER_WORDS or (run and word_of[s - 1][0] == ""):
            flush()
        if len(w) >= 2 and w not in OPENERS and w not in AFTER_WORDS:
            run.append(s)
    flush()
    return out


def _paired(words: list[str]) -> list[str]:
    """Characters the word list does not know as part of a word (读懂, 月度: rare words, names)
    paired from the left, as Chinese words mostly have two characters; function words and
    particles stay alone."""
    out: list[str] = []
    lone = ""
    for w in words:
        if len(w) == 1 and w not in SINGLES:
            if lone:
                out.append(lone + w)
                lone = ""
            else:
                lone = w
            continue
        if lone:
            out.append(lone)
            lone = ""
        out.append(w)
    if lone:
        out.append(lone)
    return out


def _quoted(text: str) -> set[int]:
    """Break positions inside a short quotation or bracketed aside (“转正”, 《报告》)."""
    inside: set[int] = set()
    for i, ch in enumerate(text):
        close = _PAIRS.get(ch)
        if close is None:
            continue
        j = text.find(close, i + 1)
        if 0 < j - i - 1 <= QUOTE_CHARS:
            inside.update(range(i + 1, j + 1))
    return inside
