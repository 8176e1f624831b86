"""Block checklist rows (gongwen-layout.md §2: 14–16) and the look of whole documents.

Red 简报 masthead and rule, closing block (报尾) between 版记 rules at the foot of the last
page, 编者按, cover and table of contents, tables (figures never wrapped, header rows only at
the top of a page, group rows kept with their rows), headings never left at a page foot.
"""

from __future__ import annotations

import re

import pytest
from typo_build import Built
from typo_measure import (
    BOTTOM,
    CENTRE,
    LEFT,
    PAGE_H,
    PN,
    RIGHT,
    TOP,
    TYPE_W,
    PLine,
    is_black,
    is_footer,
    is_landscape,
    is_red,
    role_of,
    toc_pages,
)

from briefgen import tree
from briefgen.pipeline.prepare import prepare
from briefgen.pipeline.render import compose

HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.|（\d+）)")


def _jianbao(everything: list[Built]) -> list[Built]:
    out = [b for b in everything if b.theme.blocks.masthead]
    assert len(out) >= 2  # the bundled 简报 and the stress one
    return out


def test_row14_15_red_masthead_and_rule(everything: list[Built]) -> None:
    for b in _jianbao(everything):
        page = b.pages[0]
        big = [ln for ln in page if ln.size >= 26]
        assert len(big) >= 1, b.name
        name = big[0]
        assert all(is_red(c["non_stroking_color"]) for c in name.ink), b.name
        assert name.centre == pytest.approx(CENTRE, abs=1)
        assert all("xiaobiaosong" in role_of(f) for f in name.fonts)
        red = [r for r in b.rules[0] if is_red(r.get("stroking_color"))]
        assert len(red) == 1, b.name
        rule = red[0]
        assert rule["x0"] == pytest.approx(LEFT, abs=1) and rule["x1"] == pytest.approx(RIGHT, abs=1)
        assert rule["linewidth"] >= 1
        assert rule["top"] < PAGE_H / 3  # the masthead takes the top third of page 1
        above = [ln for ln in page if ln.bottom < rule["top"] and ln.size < 20]
        for issue in [ln for ln in above if re.match(r"^第\d+期", ln.text)]:
            assert issue.centre == pytest.approx(CENTRE, abs=1)
        # 编印单位 flush left and date flush right on the line just above the rule
        last = max(ln.baseline for ln in above)
        unit_date = sorted((ln for ln in above if ln.baseline == last), key=lambda ln: ln.x0)
        assert unit_date[0].x0 == pytest.approx(LEFT, abs=1)
        if len(unit_date) == 2:  # the date is printed when the brief has one
            assert unit_date[1].x1 == pytest.approx(RIGHT, abs=1)
            assert re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", unit_date[1].text)
        assert 0 < rule["top"] - unit_date[0].bottom < 15
        # the mark (内部资料 注意保存) top left, above the name
        assert any(ln.x0 == pytest.approx(LEFT, abs=1) and ln.bottom < name.top for ln in above)
        assert name.top - TOP < 60  # the name starts near the type-area top


def test_row16_closing_block_at_the_foot_of_the_last_page(everything: list[Built]) -> None:
    briefs = [b for b in _jianbao(everything) if any("报：" in ln.text for ln in b.pages[-1])]
    assert len(briefs) >= 2
    for b in briefs:
        last = len(b.pages) - 1
        rules = sorted((r for r in b.rules[last] if r["x1"] - r["x0"] > 440), key=lambda r: r["top"])
        closing = [r for r in rules if r["linewidth"] < 0.995 and r["top"] > BOTTOM - 200]
        assert len(closing) >= 2, (b.name, rules)
        assert all(is_black(r["stroking_color"]) for r in closing)
        assert all(r["x1"] - r["x0"] == pytest.approx(TYPE_W, abs=0.5) for r in closing)
        assert closing[0]["linewidth"] == pytest.approx(0.99, abs=0.05)  # 0.35 mm
        assert closing[-1]["linewidth"] == pytest.approx(0.99, abs=0.05)
        assert any(r["linewidth"] == pytest.approx(0.71, abs=0.05) for r in closing)  # 0.25 mm
        assert closing[-1]["top"] == pytest.approx(BOTTOM, abs=2)  # 742.7: type-area bottom
        inside = [ln for ln in b.pages[last]
                  if closing[0]["top"] < ln.top < closing[-1]["top"]]  # fmt: skip
        texts = [ln.text for ln in inside]
        heads = [t[:2] for t in texts if re.match(r"^(报|送|发)：", t)]
        assert heads == ["报：", "送：", "发："], texts
        assert any(re.fullmatch(r"（共印\d+份）", t) for t in texts)
        for ln in inside:
            assert ln.size == pytest.approx(14, abs=0.05)
            assert "fangsong" in role_of(next(iter(ln.fonts)))
            if ln.text.startswith(("报：", "送：", "发：")):
                assert ln.x0 == pytest.approx(LEFT + 14, abs=1)  # indented one character
            elif "共印" in ln.text:
                assert ln.x1 == pytest.approx(RIGHT - 14, abs=1)
            else:  # a turnover aligns after “报：”
                assert ln.x0 == pytest.approx(LEFT + 14 + 28, abs=1), ln


def test_editor_note_in_kaiti_with_heiti_label(everything: list[Built]) -> None:
    for b in _jianbao(everything):
        (first,) = [ln for ln in b.pages[0] if ln.text.startswith("编者按：")]
        label = first.ink[:4]
        assert all("heiti" in role_of(c["fontname"]) for c in label)
        rest = [c for c in first.ink[4:] if "\u4e00" <= c["text"] <= "\u9fff"]
        assert rest and all("kaiti" in role_of(c["fontname"]) for c in rest)


def test_cover_and_table_of_contents(everything: list[Built]) -> None:
    """Cover: title (一号), kind line, unit, date, mark; TOC entries carry the page numbers the
    headings are printed under."""
    for b in everything:
        if not b.theme.blocks.cover:
            continue
        cover = b.pages[0]
        assert any(ln.size == pytest.approx(26, abs=0.05) for ln in cover), b.name
        assert any(re.fullmatch(r"\d{4}年\d{1,2}月\d{1,2}日", ln.text) for ln in cover)
        assert not any(PN.match(ln.text) for ln in cover)
        tocs = toc_pages(b.pages)
        assert tocs, b.name
        printed: dict[str, int] = {}  # heading text → printed page number
        for i, page in enumerate(b.pages):
            if i in tocs or i == 0 or is_landscape(b.sizes[i]):
                continue
            foot = [ln for ln in page if is_footer(ln)]
            n = int(re.sub(r"\D", "", foot[0].text)) if foot else None
            for ln in page:
                if n is not None and HEADING.match(ln.text) and ln.size == 16:
                    printed.setdefault(ln.text[:8], n)
        entries = 0
        for i in tocs:
            nums = [ln for ln in b.pages[i] if ln.text.isdigit() and ln.x1 == pytest.approx(RIGHT, abs=1)]
            for num in nums:
                head = [ln for ln in b.pages[i] if ln.baseline == num.baseline and ln is not num]
                first = _toc_entry_start(b.pages[i], head[0]) if head else None
                if first is not None and first.text[:8] in printed:
                    assert int(num.text) == printed[first.text[:8]], (b.name, first.text)
                    entries += 1
        assert entries >= 2, b.name


def _toc_entry_start(page: list[PLine], ln: PLine) -> PLine:
    """The first line of the TOC entry whose last line is ``ln`` (entries wrap)."""
    lines = sorted((x for x in page if x.size == ln.size and x.baseline <= ln.baseline),
                   key=lambda x: x.baseline)  # fmt: skip
    i = lines.index(ln)
    while i > 0 and not HEADING.match(lines[i].text):
        i -= 1
    return lines[i]


def test_headings_never_end_a_page(everything: list[Built]) -> None:
    for b in everything:
        for i, page in enumerate(b.pages[:-1]):
            ink = [ln for ln in page if not is_footer(ln)]
            if i in toc_pages(b.pages) or not ink or is_landscape(b.sizes[i]):
                continue
            last = max(ink, key=lambda ln: (ln.baseline, ln.x0))
            fonts = {r for f in last.fonts for r in role_of(f)}
            heading = HEADING.match(last.text) and fonts & {"heiti", "kaiti"}
            assert not heading, (b.name, i + 1, last.text)


NUMBER = re.compile(r"[−+\-¥$]?\d[\d,.]*(?:个百分点|百分点|%|‰|℃|°|[\u4e00-\u9fff])?")


def _figure_cells(spec_name: str) -> list[str]:
    from typo_build import BRIEFS

    (spec,) = [p for p in BRIEFS if p.stem == spec_name]
    doc = compose(prepare(spec)).document
    out = []
    for blk in doc.blocks:
        if isinstance(blk, tree.Table):
            for row in blk.rows[blk.header_rows:]:
                out += [c.text for c in row if c.text and any(ch.isdigit() for ch in c.text)]
    return out


def test_table_figures_are_never_split_and_headers_repeat_only_on_top(
    examples: dict[str, Built],
) -> None:
    """Each number with its unit in a table cell prints on one line (the cell may still wrap
    at an allowed place, as 下降|0.1个百分点); a header row appears once per page."""
    seen = 0
    for name, b in examples.items():
        lines = [ln.text for page in b.pages for ln in page]
        for text in _figure_cells(name):
            for m in NUMBER.finditer(text):
                assert any(m.group() in ln for ln in lines), (name, text, m.group())
                seen += 1
        for i, page in enumerate(b.pages):
            if not is_landscape(b.sizes[i]):
                assert len([ln for ln in page if ln.text == "指标"]) <= 1, (name, i + 1)
    assert seen >= 50


def test_group_rows_keep_with_their_first_row(examples: dict[str, Built]) -> None:
    """A category row (first cell strong, the rest empty) is never the last row of a page."""
    for name, b in examples.items():
        groups: set[str] = set()
        (spec,) = [p for p in __import__("typo_build").BRIEFS if p.stem == name]
        for blk in compose(prepare(spec)).document.blocks:
            if isinstance(blk, tree.Table):
                for row in blk.rows[blk.header_rows:]:
                    if row[0].strong and all(not c.text for c in row[1:]):
                        groups.add(row[0].text)
        if not groups:
            continue
        for i, page in enumerate(b.pages[:-1]):
            rows = [ln for ln in page if ln.size == pytest.approx(14, abs=0.05)
                    and not is_footer(ln) and ln.x0 < LEFT + 100]  # fmt: skip
            if not rows:
                continue
            lowest = max(rows, key=lambda ln: ln.baseline)
            assert lowest.text not in groups, (name, i + 1, lowest.text)
