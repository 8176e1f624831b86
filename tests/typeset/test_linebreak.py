"""Turn random mixes of CJK, punctuation, numbers and Latin words into checks of the Chinese line breaker."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.typeset.linebreak import (
    LATIN_WORD_EM,
    MAX_WORD_EM,
    NO_END,
    NO_START,
    UNDERFULL_EM,
    Line,
    Piece,
    WidthCache,
    break_lines,
    check_lines,
    is_cjk,
    url_tail,
)

W = 442.2
PITCH = W / 28
TRACK = PITCH - 16


def measure(ch: str, font: str, size: float) -> float:
    """Grid-like metrics: Han and full-width marks 1 em, Latin and digits ½ em, space ¼ em."""
    if ch == " ":
        return size * 0.25
    if is_cjk(ch) or ord(ch) >= 0x2000:
        return size
    return size * 0.5


def brk(text: str, **kw: object) -> list[Line]:
    kw.setdefault("tracking", TRACK)
    kw.setdefault("first_indent", 2 * PITCH)
    return break_lines([Piece(text, "f", 16)], kw.pop("width", W), measure, **kw)  # type: ignore[arg-type]


def rebuilt(lines: list[Line]) -> str:
    return "".join(ln.text + ln.hang for ln in lines)


# ---------------------------------------------------------------- examples


def test_full_line_is_28_chars_and_justified() -> None:
    lines = brk("国" * 60, first_indent=0)
    assert [len(ln.text) for ln in lines] == [28, 28, 4]
    assert lines[0].char_space == pytest.approx(TRACK)
    # cells fill the line exactly; the last glyph's right edge overshoots by -tracking only
    assert lines[0].width == pytest.approx(W - TRACK)
    assert lines[-1].char_space == pytest.approx(TRACK)  # last line not justified


def test_first_line_indent_two_chars() -> None:
    lines = brk("国" * 40)
    assert lines[0].x == pytest.approx(2 * PITCH)
    assert len(lines[0].text) == 26
    assert lines[1].x == 0


def test_comma_never_starts_line_squeeze_first() -> None:
    # 28 chars exactly fill the line, the comma is the 29th: it cannot be squeezed into zero
    # slack with half an em, so the previous character is pushed down with it.
    text = "国" * 26 + "家，" + "国" * 10
    lines = brk(text, first_indent=0)
    assert not check_lines(lines)
    assert lines[1].text.startswith("家，") or lines[0].text.endswith("，")
    assert rebuilt(lines) == text


def test_squeeze_half_em() -> None:
    # 27.5 em used, a full-width comma overflows by half an em: squeezed in, tracking reduced
    text = "国" * 27 + "a" + "，" + "国" * 5
    lines = brk(text, first_indent=0)
    assert lines[0].text.endswith("，")
    assert lines[0].squeezed
    assert lines[0].char_space < TRACK
    assert lines[0].width == pytest.approx(W - TRACK, abs=0.01)
    assert not check_lines(lines)


def test_numbers_not_split() -> None:
    for tail in ("2231亿元", "12.2%", "2022年", "-3.5℃", "¥1,234.56", "5G网络"):
        for pad in range(20, 30):
            text = "国" * pad + tail + "国" * 10
            lines = brk(text, first_indent=0)
            assert not check_lines(lines), (tail, pad, [ln.text for ln in lines])
            assert rebuilt(lines) == text
            joined = [ln.text for ln in lines]
            core = tail.rstrip("元网络")
            assert any(core in t for t in joined), (tail, pad, joined)


def test_dashes_and_ellipsis_never_split_or_start() -> None:
    for mark in ("——", "……"):
        for pad in range(24, 30):
            text = "国" * pad + mark + "国" * 10
            lines = brk(text, first_indent=0)
            assert not check_lines(lines), [ln.text for ln in lines]
            assert any(mark in ln.text for ln in lines)
    # allowed at paragraph start
    lines = brk("——开头" + "国" * 40)
    assert lines[0].text.startswith("——")
    assert not check_lines(lines)


def test_opening_bracket_never_ends_line() -> None:
    for pad in range(24, 30):
        text = "国" * pad + "《中华人民共和国》" + "国" * 10
        lines = brk(text, first_indent=0)
        assert not check_lines(lines)
        assert not any(ln.text.endswith("《") for ln in lines)


def test_latin_words_break_at_spaces_and_spaces_hang() -> None:
    text = "国" * 20 + "hello world again and again " + "国" * 10
    lines = brk(text, first_indent=0)
    assert not check_lines(lines)
    for ln in lines:
        assert not ln.text.endswith(" ")
    assert rebuilt(lines) == text


def test_space_before_comma_squeezed() -> None:
    lines = brk("AAAAAAAAAAA ，", width=8 * PITCH, first_indent=2 * PITCH)
    assert not check_lines(lines)


def test_overlong_word_breaks_as_last_resort() -> None:
    text = "x" * 200
    lines = brk(text, first_indent=0)
    assert len(lines) > 1
    assert rebuilt(lines) == text


def test_hard_break_not_justified() -> None:
    lines = brk("国" * 10 + "\n" + "国" * 40, first_indent=0)
    assert lines[0].text == "国" * 10
    assert lines[0].char_space == pytest.approx(TRACK)


def test_alignment() -> None:
    (ln,) = brk("标题", first_indent=0, align="center", tracking=0)
    assert ln.x == pytest.approx((W - 32) / 2)
    (ln,) = brk("标题", first_indent=0, align="right", tracking=0)
    assert ln.x == pytest.approx(W - 32)


def test_mixed_pieces_positions() -> None:
    pieces = [Piece("前文", "a", 16), Piece("强调", "b", 16, color="red"), Piece("后文", "a", 16)]
    (ln,) = break_lines(pieces, W, measure)
    assert [r.text for r in ln.runs] == ["前文", "强调", "后文"]
    assert [r.x for r in ln.runs] == pytest.approx([0, 32, 64])
    assert ln.runs[1].color == "red"


def test_check_lines_catches_violations() -> None:
    bad = [Line([], 0, 0, 0, para_start=True)]
    assert not check_lines(bad)
    v = check_lines(["国国国", "，国国"])
    assert v and "no-start" in v[0].kind
    assert check_lines(["国国《", "国国"])
    assert check_lines(["增长12", "%"])
    assert check_lines(["增长12", "3亿元"])
    assert check_lines(["2022", "年"])
    assert check_lines(["国—", "—国"])


def test_long_text_breaks_cleanly() -> None:
    """A long paragraph (how its time grows with length: bench/run.py scaling)."""
    unit = "各地区各部门要认真贯彻落实，全年实现2231亿元，增长12.2%。“十四五”时期——Hello world，"
    cache = WidthCache(measure)
    lines = break_lines([Piece(unit * 1000, "f", 16)], W, cache, tracking=TRACK)
    assert not check_lines(lines)
    assert "".join("".join(ln.text for ln in lines).split()) == "".join((unit * 1000).split())


# ---------------------------------------------------------------- properties

HAN = st.sampled_from(
    list(
        "的一是在不了有和人这中大为上个国我以要他时来用们生到作地于出就分对成会可主发年动同工也能下过子说产种面而方后多定行学法所民得经十三之进着等部度家电力里如水化高自二理起小物现实加量都两体制机当使点从业本去把性好应开它合还因由其些然前外天政四日那社义事平形相全表间样与关各重新线内数正心反你明看原又么利比或但质气第向道命此变条只没结解问意建月公无系军很情者最立代想已通并提直题党程展五果料象员革位入常文总次品式活设及管特件长求老头基资边流路级少图山统接知较将组见计别她手角期根论运农指几九区强放决西被干做必战先回则任取据处理"
    )
)
PUNCT = st.sampled_from(list("，。、；：！？“”‘’（）《》【】") + ["——", "……", "·", "%"])
NUMBER = st.builds(
    lambda a, b, unit: "为" + a + b + unit,  # "为" keeps two numbers from merging into one
    st.sampled_from(["", "-", "+", "¥", "$", "约"]),
    st.from_regex(r"[1-9][0-9]{0,6}(\.[0-9]{1,3})?", fullmatch=True),
    st.sampled_from(["", "%", "‰", "℃", "亿元", "年", "万人", "个百分点", "°"]),
)
WORD = st.from_regex(r"[A-Za-z]{1,12}", fullmatch=True).map(lambda w: " " + w + " ")
TOKEN = st.one_of(HAN, HAN, HAN, PUNCT, NUMBER, WORD)


@settings(max_examples=300, deadline=None)
@given(
    tokens=st.lists(TOKEN, min_size=1, max_size=150),
    width_chars=st.integers(min_value=14, max_value=30),  # > the longest unbreakable cluster
    indent=st.sampled_from([0, 2]),
    align=st.sampled_from(["justify", "left", "center"]),
)
def test_property_rules_hold(tokens: list[str], width_chars: int, indent: int, align: str) -> None:
    text = "".join(tokens).strip() or "国"
    # no space before a closing mark (not how Chinese text is written; see test above)
    closing = re.escape("".join(sorted(NO_START | NO_END | {"—", "…"})))
    text = re.sub(f" +(?=[{closing}])", "", text)
    opening = re.escape("".join(sorted(NO_END)))
    text = re.sub(f"(?<=[{opening}]) +", "", text)
    width = width_chars * PITCH
    lines = brk(text, width=width, first_indent=indent * PITCH, align=align)
    # all text preserved in order (breaking spaces at line ends hang, they are not lost)
    assert rebuilt(lines) == text
    violations = check_lines(lines)
    assert not violations, [str(v) for v in violations]
    for i, ln in enumerate(lines):
        t = ln.text
        if i > 0 and t:
            assert t[0] not in NO_START
            assert t[0] not in "—…"
        if i < len(lines) - 1 and t:
            assert t[-1] not in NO_END or url_tail(t)  # a long URL may break after a /
        # never wider than the column by more than the squeeze allowance
        assert ln.x + ln.width <= width + 16 + 1e-6
        if ln.text and not ln.para_end and align == "justify" and len(ln.text) > 1:
            short = width - TRACK - (ln.x + ln.width)
            extra = ln.char_space - TRACK if not ln.squeezed else 0.0
            assert extra <= UNDERFULL_EM * 16 + 1e-6, (t, extra)  # never looser than that
            if abs(short) > 1e-6:  # short only where justifying would need more than 0.18 em
                elastic = sum(1 for a, b in zip(t, t[1:], strict=False)
                              if " " not in (a, b) and (ord(a) >= 0x2E80 or ord(b) >= 0x2E80))  # fmt: skip
                spaces = t.count(" ")
                # then ragged: natural spacing, flush left — never spread and still short
                assert short > 0, (t, short)
                assert extra < 1e-9 and ln.word_space == 0 and ln.x == pytest.approx(indent * PITCH if i == 0 else 0), (t, extra)
                chinese = any(ord(c) >= 0x2E80 for c in t)
                room = UNDERFULL_EM * 16 * elastic + (MAX_WORD_EM if chinese else LATIN_WORD_EM) * 16 * spaces
                assert short > room - 1e-6, (t, short, room)
            # gaps widen next to Chinese characters only, and by at most 0.15 em where possible
            for r in ln.runs:
                if r.char_space is not None and not any(ord(c) >= 0x2E80 for c in r.text):
                    assert r.char_space <= TRACK + 1e-9, r


def test_wide_gaps_go_into_spaces() -> None:
    # a long Latin word pushed to the next line would leave wide CJK gaps; the gaps are capped
    # (pdftotext would read spaces into wider gaps) and the rest goes into the spaces …
    text = "国" * 21 + " ab cd ef " + "internationalization" + "国" * 10
    first = brk(text, first_indent=0)[0]
    assert first.text.endswith("ef")
    assert first.char_space - TRACK <= 0.15 * 16 + 1e-9  # CJK gaps: at most 0.15 em
    assert 0 < first.word_space <= MAX_WORD_EM * 16 + 1e-9
    assert all(r.char_space == pytest.approx(TRACK) for r in first.runs if r.text.strip() in ("ab", "cd", "ef"))
    assert first.x + first.width == pytest.approx(W - TRACK)


def test_no_holes_at_spaces() -> None:
    # … but never more than ¼ em per space (a space next to Chinese text already reads as a gap)
    # and 0.18 em per gap; a line that cannot reach the measure even so is set ragged: natural
    # spacing, flush left — not spread at the limit and still short (issue 12, stress-s5)
    text = "国" * 18 + " pushed " + "internationalization" + "国" * 10
    first = brk(text, first_indent=0)[0]
    assert first.text.endswith("pushed")
    assert first.word_space == 0 and first.char_space == pytest.approx(TRACK)
    assert first.x == 0 and first.x + first.width < W - TRACK - 16


def test_spaces_around_a_url_widen_little() -> None:
    # "原文见 http://…": the space before the URL took ½ em before; now at most ¼ em, the rest
    # goes into the gaps between Chinese characters
    lines = brk("国" * 10 + "原文见 http://m.example.cn/data/142/2022-01-17/688870.html" + "国" * 30)
    lines += brk("国" * 14 + "原文见 http://m.example.cn/data/142/2022-01-17/6888700725887832871.html 和 "
                 "http://www.example.com/data/142/2019-07-15/6556390369893094003.html（转载页面）")  # fmt: skip
    for ln in lines[:-1]:  # "html 和 http": a line with one Chinese character, its spaces ¼ em at most
        assert ln.word_space <= MAX_WORD_EM * 16 + 1e-9
        assert ln.char_space - TRACK <= UNDERFULL_EM * 16 + 1e-9


def test_hyphenated_compound_breaks_after_hyphen_and_units_stay_whole() -> None:
    lines = brk("国" * 24 + "data-driven policy" + "国" * 10, first_indent=0)
    assert lines[0].text.endswith("data-") and lines[1].text.startswith("driven")
    for n, whole in ((25, "2231亿元"), (25, "3万亿元"), (26, "COVID-19"), (26, "12万人"),
                     (25, "1—2个"), (25, "3～5年"), (22, "0.3个百分点"), (25, "10万人次"), (26, "8月份")):  # fmt: skip
        lines = brk("国" * n + whole, first_indent=0)
        assert any(whole in ln.text for ln in lines), [ln.text for ln in lines]
    # where keeping 个百分点 whole would leave the line before 2.5 em short, it breaks after the
    # 个 (soft_breaks: the number keeps its 个) rather than leave a hole
    lines = brk("国" * 24 + "0.3个百分点", first_indent=0)
    assert [ln.text for ln in lines] == ["国" * 24 + "0.3个", "百分点"]


def test_opening_mark_before_a_space_never_ends_line() -> None:
    for gap in (" ", "  "):
        text = "国" * 26 + "《" + gap + "报告》国国国" + "国" * 30
        lines = brk(text, first_indent=0)
        assert not check_lines(lines), [ln.text for ln in lines]
        assert all(not ln.text.endswith("《") for ln in lines)
        assert rebuilt(lines) == text


def test_marks_on_the_line_make_room_for_a_closing_mark() -> None:
    # 28 characters fill the line and "。" would start the next: the commas already on the line
    # give up room (spread over every gap, at most 0.05 em each), so nothing is pushed down
    text = ("国" * 6 + "，") * 4 + "。" + "国" * 5
    lines = brk(text, first_indent=0)
    assert lines[0].text.endswith("，。") and lines[0].squeezed
    assert lines[0].width == pytest.approx(W - TRACK, abs=0.01)
    assert TRACK - 0.05 * 16 - 1e-9 <= lines[0].char_space < TRACK
    # without marks on the line there is no room: the last character goes down with the mark
    lines = brk("国" * 28 + "。" + "国" * 5, first_indent=0)
    assert lines[1].text.startswith("国。") and not lines[0].squeezed


def test_centred_title_lines_are_balanced() -> None:
    from briefgen.typeset.titles import balanced_lines

    title = [Piece("关于进一步加强基层党组织建设工作情况的报告", "f", 22)]  # 21 characters
    plain = break_lines(title, W, measure, align="center")
    even = balanced_lines(title, W, measure, align="center")
    assert len(plain) == len(even) == 2 and plain[1].text == "告"  # a lone 告 before
    widths = [ln.width for ln in even]  # even, at a word boundary (titles.py, test_titles.py)
    assert max(widths) - min(widths) <= 3 * 22 + 1e-6
    assert [ln.text for ln in even] == ["关于进一步加强基层党组织", "建设工作情况的报告"]
    for ln in even:  # centred in the full width
        assert ln.x + ln.width / 2 == pytest.approx(W / 2, abs=1e-6)
    assert not check_lines(even)
    assert "".join(ln.text for ln in even) == title[0].text


def test_url_breaks_after_a_slash_or_dot_rather_than_leave_a_loose_line() -> None:
    # greedy would leave 20 characters stretched by 0.42 em before the URL; the total fit breaks
    # the URL after "." (URL_BREAK_AFTER) instead, and never inside "://"
    url = "http://example.org/abc/def/ghi"
    lines = brk("国" * 20 + url + "国" * 30, first_indent=0)
    assert rebuilt(lines) == "国" * 20 + url + "国" * 30
    assert lines[0].text.endswith("http://example.")
    assert all(ln.char_space - TRACK <= 0.15 * 16 + 1e-9 for ln in lines[:-1])


def test_ragged_rather_than_spread_when_nothing_can_move() -> None:
    # a number with its unit cannot break and nothing else can: the line before it is set
    # ragged (natural spacing), not spread at UNDERFULL_EM and still short
    lines = brk("国" * 20 + "1234567890123456.5万元" + "国" * 3, first_indent=0)
    first = lines[0]
    assert first.text == "国" * 20
    assert first.char_space == pytest.approx(TRACK) and first.word_space == 0
    assert first.x == 0 and first.x + first.width < W - TRACK


def test_a_date_or_percentage_points_break_rather_than_leave_a_hole() -> None:
    # greedy: "…增长" then "20.8%，" cannot follow and the line stays 4 em short; a date or
    # 个|百分点 may break between its parts at a high cost (never the number itself), so the
    # re-break fills every line
    text = "要点：1—8月份全国实物商品网上零售额同比增长20.8%，与1—7月份基本持平，比社会消费品零售总额增速高12.6个百分点；占社会消费品零售总额的比重为19.4%，比上年同期提高2.1个百分点。"
    for t in (text, "编者按：本期据新华社、央广网2020年9月15日报道整理8月份主要经济数据（“转正”“回升”“收窄”等表述照录报道），供参阅。"):
        lines = brk(t)
        assert rebuilt(lines) == t and not check_lines(lines)
        for ln in lines[:-1]:
            assert ln.x + ln.width == pytest.approx(W - TRACK, abs=0.01), ln.text
            assert ln.char_space - TRACK <= UNDERFULL_EM * 16 + 1e-9, ln.text
