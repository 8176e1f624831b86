"""Turn wrapped titles into lines broken at phrase boundaries (typeset.titles, typeset.phrases)."""

from __future__ import annotations

import subprocess
import sys

import pytest

from briefgen.typeset.linebreak import Piece, break_lines, check_lines, is_cjk
from briefgen.typeset.phrases import INF, INSIDE, LEANER, PUNCT, break_costs, segment
from briefgen.typeset.titles import balanced_lines, phrase_chunks, title_cuts, unit_lines

W = 442.2  # the 公文 type area


def measure(ch: str, font: str, size: float) -> float:
    return size if is_cjk(ch) or ord(ch) >= 0x2000 else size * 0.5


def lines_of(text: str, size: float = 22.0, width: float = W) -> list[str]:
    got = balanced_lines([Piece(text, "f", size)], width, measure)
    assert "".join(ln.text for ln in got) == text.replace(" ", "") or " " in text
    assert not check_lines(got)
    return [ln.text for ln in got]


# the titles of the unseen stress briefs (issue 12, stress-s5): before, each broke inside a word
# ("消费支出主|要数据", "——社会|消费品", "8月|份", "消费市|场", "主要指|标")
@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("全国居民收入和消费支出主要数据（2018—2024年）", ["全国居民收入和消费支出", "主要数据（2018—2024年）"]),
        ("8月份国民经济持续稳定恢复——社会消费品零售总额增速年内首次“转正”",
         ["8月份国民经济持续稳定恢复——", "社会消费品零售总额增速年内首次“转正”"]),
        ("读懂月度消费数据：以2019年8月份社会消费品零售总额为例", ["读懂月度消费数据：以2019年8月份", "社会消费品零售总额为例"]),
        ("示例市2024年11月消费市场运行简报（示意数据）", ["示例市2024年11月消费市场", "运行简报（示意数据）"]),
        ("《政府工作报告》主要指标“对账单”填报口径", ["《政府工作报告》主要指标", "“对账单”填报口径"]),
        ("关于做好《政府工作报告》主要指标“对账单”编制和报送工作的通知",
         ["关于做好《政府工作报告》主要指标", "“对账单”编制和报送工作的通知"]),
    ],
)  # fmt: skip
def test_stress_titles_break_at_phrase_boundaries(title: str, expected: list[str]) -> None:
    assert lines_of(title) == expected


def test_greedy_breaks_those_titles_inside_words() -> None:
    # what the balanced breaker replaced: the greedy lines end inside a word (why the test matters)
    got = break_lines([Piece("读懂月度消费数据：以2019年8月份社会消费品零售总额为例", "f", 22)], W, measure)
    assert got[0].text.endswith("社会消费")


def test_lines_are_balanced_and_never_leave_one_or_two_characters() -> None:
    for title in ("关于进一步加强基层党组织建设工作情况的报告", "示例区委组织部关于开展“融入式党建”经验学习交流的通知",
                  "近6个月限额以上单位餐饮收入和通讯器材类商品零售额"):  # fmt: skip
        got = lines_of(title)
        assert len(got) == 2 and min(len(t) for t in got) >= 6, got


def test_three_lines_where_the_text_needs_them() -> None:
    title = "消费品市场运行总体平稳——国家统计局贸易外经司统计师张敏解读8月份社会消费品零售总额数据"
    assert lines_of(title) == ["消费品市场运行总体平稳——", "国家统计局贸易外经司统计师张敏", "解读8月份社会消费品零售总额数据"]


def test_numbers_with_units_and_dates_stay_whole() -> None:
    costs = break_costs("以2019年8月份社会消费品零售总额")
    text = "以2019年8月份社会消费品零售总额"
    for k in range(1, text.index("份") + 1):
        if k > 1:
            assert costs[k] == INF, text[:k]  # 2019年8月份 whole (月|份 too: breakrules.UNIT_WORDS)
    assert costs[text.index("社")] < costs[text.index("会")]


def test_break_costs() -> None:
    text = "关于做好工作的通知，社会消费品"
    c = break_costs(text)
    assert c[text.index("，") + 1] == PUNCT  # after punctuation
    assert c[text.index("工") + 1] == INSIDE  # 工|作
    assert c[text.index("的")] == LEANER  # a line must not start with 的
    assert c[text.index("的") + 1] < c[text.index("作") + 1]  # after 的: a phrase boundary
    assert c[text.index("消")] < INSIDE and c[text.index("费")] == INSIDE


def test_segmentation_uses_the_word_list() -> None:
    assert segment("社会消费品零售总额") == ["社会", "消费品", "零售", "总额"]
    assert segment("国民经济持续稳定恢复") == ["国民经济", "持续", "稳定", "恢复"]


def test_title_cuts_none_for_one_line() -> None:
    assert title_cuts("国", [22.0], W, 22.0, 1) is None


def test_phrase_chunks_never_split_words_numbers_or_dates() -> None:
    chunks = phrase_chunks("读懂月度消费数据：以2019年8月份社会消费品零售总额为例")
    assert "".join(chunks) == "读懂月度消费数据：以2019年8月份社会消费品零售总额为例"
    assert chunks[:5] == ["读懂", "月度", "消费", "数据：", "以2019年8月份"]  # 以 keeps its object
    assert "消费品" in chunks and "零售" in chunks
    assert phrase_chunks("主要指标", also=[3]) == ["主要", "指", "标"]


def test_unit_lines_for_writers_without_metrics() -> None:
    assert unit_lines("全国居民收入和消费支出主要数据（2018—2024年）", 22, W) == [
        "全国居民收入和消费支出", "主要数据（2018—2024年）"]  # fmt: skip
    assert unit_lines("短标题", 22, W) == ["短标题"]


def test_the_word_list_is_read_only_when_a_title_wraps() -> None:
    code = ("import sys; import briefgen.typeset.titles as t; import briefgen.writers.pdf.flowables;"
            "assert 'briefgen.typeset.phrases' not in sys.modules;"
            "from briefgen.typeset.linebreak import Piece;"
            "t.balanced_lines([Piece('短标题', 'f', 22)], 442.2, lambda c, f, s: s);"
            "assert 'briefgen.typeset.phrases' not in sys.modules")  # fmt: skip
    subprocess.run([sys.executable, "-c", code], check=True)
