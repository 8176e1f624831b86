"""Turn figure cells with qualifiers (以上, 左右, 多) into aligned digits and unit cells that break only before the qualifier."""

from __future__ import annotations

from briefgen.typeset.linebreak import ALLOW, boundary_classes
from briefgen.typeset.table_content import figure_pads


def test_figures_with_a_qualifier_after_the_digits_line_up_on_their_last_digit() -> None:
    # 1300以上 over 1322 (unit in the header): 1322 is padded by the width of 以上, so the ones
    # digits align and the qualifier stands outside the digits (issue 12 item 1)
    adv = {"以": 12.0, "上": 12.0, "左": 12.0, "右": 12.0, "多": 12.0}
    pads = figure_pads(["1300以上", "1322", "3左右", "1270多"], lambda ch: adv.get(ch, 6.0))
    assert pads == [0.0, 24.0, 0.0, 12.0]


def test_unit_cells_keep_their_unit_and_qualifier_whole() -> None:
    # a unit cell 万亿斤以上 is as unbreakable as a number with its unit (not 万|亿斤以上,
    # 万亿美|元以上 or 万亿美元|以上): the table layout gives its column the room
    for text, ok in (("万亿斤以上", set()), ("万亿美元以上", set()), ("万人左右", set()), ("增长5%左右，", {1, 2})):
        klass = boundary_classes(text)
        assert {k for k in range(1, len(text)) if klass[k] == ALLOW} == ok, text
