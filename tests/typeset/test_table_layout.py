"""Turn small tables into column widths and cell lines, and check them against the table rules of issue 12."""

from __future__ import annotations

from briefgen.tree import Table, TableCell
from briefgen.typeset.linebreak import Piece, is_cjk
from briefgen.typeset.table_layout import (
    auto_widths,
    break_cell,
    figure_pads,
    figure_split,
    fill,
    measure_cell,
    prune_table,
)
from briefgen.typeset.table_widths import column_layout

SIZE = 14.0


def adv(ch: str) -> float:
    return SIZE if is_cjk(ch) or ord(ch) >= 0x2000 else SIZE / 2


def measure(ch: str, font: str, size: float) -> float:
    return size if is_cjk(ch) or ord(ch) >= 0x2000 else size / 2


def test_auto_widths_follow_css_2_1() -> None:
    # max widths fit: used, and the rest shared in proportion to them
    assert auto_widths([10, 10], [20, 60], 160) == [40, 120]
    # they do not: each gets its min plus a share of the room in proportion to (max - min)
    assert auto_widths([10, 20], [110, 40], 70) == [10 + 40 * 100 / 120, 20 + 40 * 20 / 120]


def test_figures_never_wrap_and_the_label_column_absorbs_the_wrapping() -> None:
    rows = [
        ["全社会固定资产投资完成额", "357", "亿元", "增长5.9%", "2022年上半年"],
        ["民营企业注册资本总额", "超5300", "亿元", "", "报道时"],
        ["居民人均可支配收入", "65294", "元", "比上年增长8.8%", "2021年"],
    ]
    cells = [[measure_cell(t, adv) for t in r] for r in rows]
    widths = column_layout(cells, 5, 24 * SIZE, 8.0, SIZE / 2)
    assert abs(sum(widths) - 24 * SIZE) < 1e-6
    for r in cells:
        for j, c in enumerate(r):
            if c.figure:
                assert fill(c, widths[j] - 8.0)[0] == 1, (r, j, widths)
    assert widths[0] == max(widths)  # the label column is the widest


def test_cell_last_line_never_holds_one_or_two_characters_when_it_can_be_avoided() -> None:
    text = "2022“全国百强区”榜单全国排名"
    plain = [ln.text for ln in break_cell([Piece(text, "f", SIZE)], 7 * SIZE, measure)]
    assert all(len(t) > 2 for t in plain), plain
    assert "".join(plain) == text
    # lines the row takes anyway may be used, never more
    text = [Piece("吴江区委组织部党员教育中心党校", "f", SIZE)]
    alone = break_cell(text, 7.2 * SIZE, measure)
    roomy = break_cell(text, 7.2 * SIZE, measure, max_lines=4)
    assert len(roomy) <= 4 and len(roomy[-1].text) >= len(alone[-1].text) > 2
    # characters come down past a number with its unit; a short book title stays whole
    lines = break_cell([Piece("恒力集团《财富》世界500强排名", "f", SIZE)], 5.2 * SIZE, measure)
    assert [ln.text for ln in lines] == ["恒力集团", "《财富》", "世界", "500强排名"], [ln.text for ln in lines]


def test_empty_columns_are_dropped_with_their_header() -> None:
    t = Table(rows=[[TableCell("指标"), TableCell("增幅"), TableCell("数值")],
                    [TableCell("工业投资"), TableCell(""), TableCell("114")],
                    [TableCell("常住人口"), TableCell(" "), TableCell("155.9")]],
              widths=[3, 1, 1])  # fmt: skip
    p = prune_table(t)
    assert [c.text for c in p.rows[0]] == ["指标", "数值"] and p.widths == [3, 1]
    assert prune_table(p) is p  # nothing more to drop


def test_figures_align_on_their_last_integer_digit() -> None:
    assert figure_split("超5300") == ("超", "5300", "")
    assert figure_split("1100多") == ("", "1100", "多")
    texts = ["2224.53", "155.9", "65294", "1100多", "报道时"]
    pads = figure_pads(texts, adv)
    tails = {".53": 3 * SIZE / 2, ".9": SIZE, "": 0.0, "多": SIZE}
    widest = max(tails.values())
    assert pads == [widest - tails[".53"], widest - tails[".9"], widest, widest - SIZE, 0.0]
