"""Unit tests of writers.common: the shared palette, ordered-list labels and the blocks before the title."""

from __future__ import annotations

from briefgen.tree import (
    Cover,
    GongwenHead,
    Masthead,
    PageBreak,
    Paragraph,
    Table,
    TableCell,
    TocPlaceholder,
)
from briefgen.writers.common import BEFORE_TITLE, PALETTE, list_label, series_color, table_key


def test_series_colours_cycle_through_the_palette() -> None:
    assert series_color(0) == PALETTE[0]
    assert series_color(len(PALETTE)) == PALETTE[0]
    assert len(set(PALETTE)) == len(PALETTE)


def test_list_labels_are_circled_then_numbers() -> None:
    assert [list_label(i) for i in (1, 2, 20, 21)] == ["①", "②", "⑳", "21."]


def test_before_title_blocks() -> None:
    assert set(BEFORE_TITLE) == {Cover, Masthead, TocPlaceholder, PageBreak, GongwenHead}
    assert Paragraph not in BEFORE_TITLE


def test_table_key_is_content_based() -> None:
    def t(x: str) -> Table:
        return Table(rows=[[TableCell("指标", "center", True)], [TableCell(x)]])

    assert table_key(t("甲")) == table_key(t("甲"))  # a rebuilt chart table finds the PDF's widths
    assert table_key(t("甲")) != table_key(t("乙"))
    small = t("甲")
    small.reference = True  # set in the smaller reference size: laid out at other widths
    assert table_key(small) != table_key(t("甲"))


def test_a_floated_chart_goes_after_the_blocks_that_filled_its_page_with_its_notes() -> None:
    from briefgen.tree import Chart, Heading, Paragraph, plain
    from briefgen.writers.common import chart_key, float_charts

    chart = Chart("bar", ["a"], [], caption="图")
    note, a, h, b, c = (Paragraph(plain("注：口径。")), Paragraph(plain("甲。")), Heading(2, plain("乙")),
                        Paragraph(plain("丙。")), Paragraph(plain("丁。")))  # fmt: skip
    blocks = [chart, note, a, h, b, c]
    assert float_charts(blocks, {}) == blocks
    assert float_charts(blocks, {chart_key(chart): 3}) == [a, h, b, chart, note, c]
    assert float_charts(blocks, {"other": 3}) == blocks
