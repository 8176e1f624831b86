"""typeset.breakrules: break classes between characters and the checker of broken lines (GB/T 15834, clreq)."""

from __future__ import annotations

import pytest

from briefgen.typeset.breakrules import (
    ALLOW,
    F_DASH,
    F_NO_END,
    F_NO_START,
    F_NUMBER,
    F_SPACE,
    WORD,
    Line,
    Run,
    WidthCache,
    boundary_classes,
    check_lines,
    classify,
    is_cjk,
)


@pytest.mark.parametrize(("prev2", "a", "b", "expected"), [
    ("", "国", "家", ALLOW),
    ("", "国", "，", F_NO_START),
    ("", "（", "国", F_NO_END),
    ("", "国", "—", F_DASH),
    ("", "1", "2", F_NUMBER),
    ("", "5", "年", F_NUMBER),
    ("", "5", "%", F_NO_START),  # the no-start rule is reported first
    ("3", ".", "5", F_NUMBER),
    ("1", "亿", "元", F_NUMBER),
    ("据", "第", "7", F_NUMBER),  # 第|78行: an ordinal stays with its number
    ("", "第", "一", ALLOW),
    ("", "d", "a", WORD),
    ("", "a", " ", F_SPACE),
    ("", " ", "a", ALLOW),
    ("a", "-", "d", ALLOW),  # data-|driven
    ("D", "-", "1", F_NUMBER),  # COVID-|19: a sign with its digits
])
def test_classify(prev2: str, a: str, b: str, expected: int) -> None:
    assert classify(prev2, a, b) == expected


def test_is_cjk() -> None:
    assert all(is_cjk(c) for c in "中国〇々𠀀")
    assert not any(is_cjk(c) for c in "a1，。")


def test_unit_words_dates_and_urls_stay_whole() -> None:
    text = "下降0.3个百分点"
    k = boundary_classes(text)
    assert all(k[i] != ALLOW for i in range(3, len(text)))  # 0.3个百分点 is one unit
    assert k[4:len(text)] == [F_NUMBER] * 5
    assert k[2] == ALLOW  # 降|0 may break
    d = "于2022年上半年完成"
    kd = boundary_classes(d)
    assert kd[2:9] == [F_NUMBER] * 7 and kd[9] == ALLOW
    u = "见https://a.cn/b/c说明"
    ku = boundary_classes(u)
    start = u.index("h")
    inside = ku[start + 1 : u.index("说")]
    assert F_NUMBER in inside and all(c in (F_NUMBER, WORD) for c in inside)
    assert ku[u.index("/b") + 1] == WORD  # after / a too-long URL may break


def test_check_lines_on_strings() -> None:
    assert check_lines(["坚持以人民为中心", "推动工作。"]) == []
    bad = check_lines(["增长", "，下降5", "0亿元（", "注"])
    kinds = [v.kind for v in bad]
    assert kinds == ["line starts with a no-start mark", "number split across lines", "line ends with a no-end mark"]
    assert str(bad[0]).startswith("line 2: ")


def test_check_lines_on_line_objects_judges_word_splits() -> None:
    def line(text: str, start: bool = False, end: bool = False, hang: str = "") -> Line:
        return Line([Run(text, "f", 10, 0)], 0, 0, 10, para_start=start, para_end=end, hang=hang)
    split = [line("the data", start=True), line("set", end=True)]
    assert [v.kind for v in check_lines(split)] == ["Latin word split"]
    hung = [line("the data", start=True, hang=" "), line("set", end=True)]
    assert check_lines(hung) == []
    assert check_lines([line("，起首", start=True, end=True)]) == []  # the author's own mark


def test_width_cache_measures_each_glyph_once() -> None:
    calls: list[tuple[str, str, float]] = []

    def measure(ch: str, font: str, size: float) -> float:
        calls.append((ch, font, size))
        return size

    wc = WidthCache(measure)
    assert wc("国", "f", 12) == 12 and wc("国", "f", 12) == 12 and wc("国", "f", 10) == 10
    assert calls == [("国", "f", 12), ("国", "f", 10)]
