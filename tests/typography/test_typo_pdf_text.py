"""Text checklist rows (gongwen-layout.md §2: 4–9, 17) measured on real builds.

Body text: 3号 (16 pt) 仿宋 on a 28.95 pt baseline grid, 22 lines on a full page, 28
characters on a full justified line (pitch 442.2 / 28 = 15.79 pt: the PDF writer tracks body
text by −0.21 pt), first lines indented two characters. Title 2号 小标宋 centred; headings
一、黑体 （一）楷体 1. 仿宋 （1）仿宋.
"""

from __future__ import annotations

import re
import statistics

import pytest
from typo_build import Built
from typo_measure import (
    CENTRE,
    DATE,
    DATE_ANY,
    LEFT,
    NO_START,
    RIGHT,
    TOP,
    TYPE_W,
    PLine,
    baselines,
    flows,
    is_footer,
    is_landscape,
    para_starts,
    pitch_of,
    role_of,
    stretched,
    toc_pages,
)

PITCH = 28.95
CHAR = TYPE_W / 28  # 15.79
H1 = re.compile(r"^[一二三四五六七八九十]+、")
H2 = re.compile(r"^（[一二三四五六七八九十]+）")
H3 = re.compile(r"^\d+\.")
H4 = re.compile(r"^（\d+）")


def _body_line(ln: PLine) -> bool:
    """16 pt text starting at the left margin or two characters in (not boxes, lists, centred)."""
    return abs(ln.size - 16) < 0.05 and (
        abs(ln.x0 - LEFT) < 0.5 or abs(ln.x0 - LEFT - 2 * CHAR) < 0.5
    ) and not is_footer(ln)


def body_flows(b: Built) -> list[list[PLine]]:
    """Flows of body text on body pages (no cover, no TOC, no turned page)."""
    skip = toc_pages(b.pages) | ({0} if b.theme.blocks.cover else set())
    pages = [
        [ln for ln in page if _body_line(ln)]
        if i not in skip and not is_landscape(b.sizes[i]) else []
        for i, page in enumerate(b.pages)
    ]  # fmt: skip
    return flows(pages)


def justified(b: Built) -> list[PLine]:
    """Body lines that are not the last of their paragraph (they must end flush right)."""
    out = []
    for f in body_flows(b):
        if max(ln.x1 for ln in f) < RIGHT - 16:  # no full line (e.g. 附注 before an 附件 page): nothing to judge
            continue
        starts = para_starts(f)
        out += [ln for i, ln in enumerate(f[:-1]) if not starts[i + 1]]
    return out


def test_row4_body_is_16pt_fangsong(everything: list[Built]) -> None:
    for b in everything:
        lines = [ln for f in body_flows(b) for ln in f]
        assert len(lines) > 10, b.name
        assert statistics.mode(round(c["size"], 2) for ln in lines for c in ln.ink) == 16
        plain = [ln for ln in lines if not H1.match(ln.text) and not H2.match(ln.text)]
        faces = statistics.mode(f for ln in plain for f in ln.fonts)
        assert "fangsong" in role_of(faces), (b.name, faces)


def test_row5_baseline_pitch_and_22_lines(everything: list[Built]) -> None:
    """Consecutive body lines are 28.95 pt apart (28.0–29.0); a full page has 22 of them."""
    full_pages = 0
    for b in everything:
        gaps = [
            y1.baseline - y0.baseline
            for f in body_flows(b)
            for y0, y1 in zip(f, f[1:], strict=False)
            if y1.page == y0.page
        ]
        assert gaps, b.name
        assert all(28.0 <= g <= 29.0 for g in gaps), (b.name, sorted(set(gaps))[:5])
        assert statistics.median(gaps) == pytest.approx(PITCH, abs=0.1)
        for i, page in enumerate(b.pages):
            ys = baselines(ln for ln in page if ln.size == 16 and not is_footer(ln))
            if len(ys) == 22:
                steps = {round(y1 - y0, 1) for y0, y1 in zip(ys, ys[1:], strict=False)}
                assert steps <= {28.9, 29.0}, (b.name, i + 1, steps)
                # the first line box starts at the type-area top: 104.9 + (28.95 − 16)/2 + ascent
                assert ys[0] - TOP == pytest.approx((PITCH - 16) / 2 + 16 * 0.88, abs=2.5)
                full_pages += 1
            assert len(ys) <= 22, (b.name, i + 1, len(ys))
    assert full_pages >= 4


# adjacent punctuation (clreq): a closing mark before another mark, or two opening marks
_PAIR = re.compile("[、，。”’）》」』】〕〗〉］｝][、，。”’）》」』】〕〗〉］｝“‘（《「『【〔〖〈［｛]|[“‘（《「『【〔〖〈［｛]{2}")


def _underfull(ln: PLine) -> bool:
    """Gaps between Chinese characters widened to UNDERFULL_EM (0.18 em): set short on purpose."""
    gaps = sorted(float(b["x0"]) - float(a["x1"]) for a, b in zip(ln.ink, ln.ink[1:], strict=False)
                  if ord(a["text"]) >= 0x2E80 and ord(b["text"]) >= 0x2E80)  # fmt: skip
    return bool(gaps) and gaps[len(gaps) // 2] >= 0.18 * 16 - 0.21 - 0.05


def test_row6_28_characters_fill_a_justified_line(everything: list[Built]) -> None:
    """A full justified line of full-width characters holds 28 of them at a 15.79 pt pitch;
    every justified line ends flush with the right margin (its last glyph at 521.57 + 0.21).

    The exceptions are the line-breaking rules at work: 29 when a closing mark was squeezed
    in (先挤进, tighter pitch), fewer when it could not be and a character went down with it
    (后推出, wider pitch); and lines with adjacent punctuation compressed to 1.5 em (clreq),
    which hold 28 ± 1 characters and count as full.
    """
    counts: list[int] = []
    for b in everything:
        for ln in justified(b):
            if stretched(ln) and (ln.x1 < RIGHT - 16 or _underfull(ln)):
                continue  # underfull by design (linebreak.UNDERFULL_EM), or cut at a wide word space
            if ln.x1 < RIGHT - 16 and not stretched(ln):
                continue  # ragged by design: what follows could not fit (typo_measure._ragged)
            assert ln.x1 == pytest.approx(RIGHT + 0.21, abs=0.3), (b.name, ln)
            # lines of full-width characters only (a space takes room: fewer characters by design)
            if abs(ln.x0 - LEFT) < 0.5 and all(ord(c["text"]) >= 0x2E80 for c in ln.ink) and " " not in ln.text:
                n, pitch = len(ln.ink), pitch_of(ln.ink)
                counts.append(n)
                if _PAIR.search(ln.text):  # adjacent marks compressed to 1.5 em: room for more
                    assert 27 <= n <= 30, (b.name, ln)
                    counts[-1] = 28
                elif n == 28:
                    assert pitch == pytest.approx(CHAR, abs=0.01), (b.name, ln)
                elif n == 29:
                    assert ln.text[-1] in NO_START and pitch < CHAR, (b.name, ln)
                else:
                    assert n < 28 and pitch > CHAR, (b.name, ln)
    assert counts.count(28) >= 20 and counts.count(28) >= 0.6 * len(counts), counts


def test_row7_first_line_indent_two_characters(everything: list[Built]) -> None:
    for b in everything:
        firsts = 0
        for f in body_flows(b):
            starts = para_starts(f)
            for i, ln in enumerate(f):
                if starts[i] and ln.x0 > LEFT + 1:
                    assert ln.x0 == pytest.approx(LEFT + 2 * CHAR, abs=0.3), (b.name, ln)  # 110.96
                    firsts += 1
                elif not starts[i]:
                    assert ln.x0 == pytest.approx(LEFT, abs=0.3), (b.name, ln)  # turnover
        assert firsts >= 3, b.name


def test_row8_title_22pt_xiaobiaosong_centred(everything: list[Built]) -> None:
    for b in everything:
        start = 1 if b.theme.blocks.cover else 0
        pages = [i for i in range(start, len(b.pages)) if i not in toc_pages(b.pages)]
        title = [ln for ln in b.pages[pages[0]] if ln.size == pytest.approx(22, abs=0.05)]
        assert title, b.name
        for ln in title:
            assert ln.centre == pytest.approx(CENTRE, abs=2), (b.name, ln)
            assert all("xiaobiaosong" in role_of(f) for f in ln.fonts), (b.name, ln.fonts)


def test_row9_heading_fonts_by_level(everything: list[Built]) -> None:
    seen: set[str] = set()
    for b in everything:
        for f in body_flows(b):
            starts = para_starts(f)
            for i, ln in enumerate(f):
                if not starts[i]:
                    continue
                for name, pattern, role in (("一、", H1, "heiti"), ("（一）", H2, "kaiti"),
                                            ("1.", H3, "fangsong"), ("（1）", H4, "fangsong")):  # fmt: skip
                    if pattern.match(ln.text) and ln.x0 == pytest.approx(LEFT + 2 * CHAR, abs=0.3):
                        label = pattern.match(ln.text).group()  # type: ignore[union-attr]
                        head = [c for c in ln.ink[: len(label)]]
                        assert {round(c["size"], 2) for c in head} == {16}
                        faces = {c["fontname"].split("+")[-1] for c in head}
                        assert all(role in role_of(x) for x in faces), (b.name, ln, faces)
                        seen.add(name)
    assert seen == {"一、", "（一）", "1.", "（1）"}


def test_row17_dates_have_no_leading_zeros(everything: list[Built]) -> None:
    found = 0
    for b in everything:
        for page in b.pages:
            for ln in page:
                for m in DATE_ANY.finditer(ln.text):
                    assert DATE.match(m.group()), (b.name, ln.text)
                    found += 1
    assert found >= 10


def test_wrapped_titles_are_balanced(everything: list[Built]) -> None:
    """A title that wraps keeps an even shape (GB/T 9704 §7.3.1), never a lone last word."""
    wrapped = 0
    for b in everything:
        for i, page in enumerate(b.pages):
            big = [ln for ln in page if ln.size >= 22 and not is_landscape(b.sizes[i])]
            for first, second in zip(big, big[1:], strict=False):
                if 0 < second.baseline - first.baseline < 2 * first.size:  # one title, two lines
                    wrapped += 1
                    assert len(second.ink) >= len(first.ink) / 2, (b.name, first, second)
                    assert second.centre == pytest.approx(CENTRE, abs=2)
    assert wrapped >= 1
