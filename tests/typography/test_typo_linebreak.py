"""Checklist row 22 and §3: no PDF line starts with a no-start mark or ends with a no-end mark,
``——``/``……`` and numbers with their units are never split, Latin words are not split.

Lines are rebuilt from character boxes (grouped by baseline, split at column gaps) for every
page of every bundled brief and of a stress brief per theme, then read in order per text flow
(paragraphs, table cells, boxes, closing-block lines). The character sets are gongwen-layout.md
§3's, typed into typo_measure rather than imported from the line breaker.
"""

from __future__ import annotations

import re

from stress_text import LATIN, NUMBERS, URLS
from typo_build import Built
from typo_measure import (
    NO_END,
    NO_START,
    PLine,
    flows,
    is_footer,
    line_breaches,
    para_starts,
    url_slash,
)

WORD_RUN = re.compile(r"[A-Za-z]+$")
WORD_HEAD = re.compile(r"^[A-Za-z]+")
VOCAB = {w for phrase in LATIN + URLS for w in re.findall(r"[A-Za-z]+", phrase)}


def _all_flows(b: Built) -> list[list[PLine]]:
    return flows(b.pages)


def test_row22_no_forbidden_line_starts_or_ends_anywhere(everything: list[Built]) -> None:
    checked = 0
    for b in everything:
        breaches = []
        for f in _all_flows(b):
            breaches += line_breaches(f, b.corpus)
            checked += len(f)
        assert not breaches, (b.name, [str(x) for x in breaches[:10]])
    assert checked > 1500


def test_every_line_start_and_end_in_the_stress_text(stress: dict[str, Built]) -> None:
    """The stress text puts every no-start / no-end mark in play; count that they were met
    at line ends (squeezed in or pushed) and that none was left at a forbidden place."""
    met_start = met_end = 0
    for b in stress.values():
        for f in _all_flows(b):
            starts = para_starts(f)
            for i, ln in enumerate(f):
                nxt = f[i + 1] if i + 1 < len(f) and not starts[i + 1] else None
                if nxt is None:
                    continue
                if nxt.text[:1] in NO_START or (ln.text[-1:] in NO_END and not url_slash(ln.text)):
                    raise AssertionError((b.name, ln, nxt))
                # a no-start mark was the next character: it went to this line's end instead
                if ln.text[-1:] in NO_START:
                    met_start += 1
                if nxt.text[:1] in "“‘（《〈「『【〔〖［｛":
                    met_end += 1
    assert met_start >= 30 and met_end >= 10, (met_start, met_end)


def test_numbers_with_units_and_urls_stay_whole(stress: dict[str, Built]) -> None:
    """Every number-with-unit and URL of a stress brief's source appears whole on some line;
    together with the junction checks this shows none was split."""
    for th, b in stress.items():
        source = "".join(p.read_text(encoding="utf-8") for p in b.pdf.parent.glob(f"stress-{th}*.yaml"))
        text = "\n".join(ln.text for page in b.pages for ln in page if not is_footer(ln))
        found = 0
        for token in NUMBERS + URLS:
            if token in source:
                assert token in text, (b.name, token)
                found += 1
        assert found >= 15, (b.name, found)


def test_latin_words_are_not_split(stress: dict[str, Built]) -> None:
    """Where a line ends in letters and the next begins with letters, both halves are words."""
    junctions = 0
    for b in stress.values():
        for f in _all_flows(b):
            for ln, nxt in zip(f, f[1:], strict=False):
                tail, head = WORD_RUN.search(ln.text), WORD_HEAD.match(nxt.text)
                if tail and head:
                    junctions += 1
                    assert tail.group() in VOCAB and head.group() in VOCAB, (b.name, ln, nxt)
    assert junctions >= 1


def test_dashes_and_ellipses_whole(stress: dict[str, Built]) -> None:
    """No line ends with one 一字线 or 省略号 of a pair while the next starts with the other,
    and no line starts with either (except a paragraph's first line)."""
    pairs = 0
    for b in stress.values():
        for page in b.pages:
            for ln in page:
                pairs += ln.text.count("——") + ln.text.count("……")
        for f in _all_flows(b):
            starts = para_starts(f)
            for i, ln in enumerate(f):
                if not starts[i]:
                    assert ln.text[0] not in "—…", (b.name, ln)
    assert pairs >= 20
