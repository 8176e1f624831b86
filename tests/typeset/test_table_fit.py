"""Unit tests of typeset.table_fit: unbreakable clusters, lines per cell, width moved to wrapping columns."""

from __future__ import annotations

from briefgen.typeset.table_fit import balance, cell_lines, clusters


def test_clusters_keep_numbers_with_their_unit_and_split_cjk() -> None:
    text = "产值1234.5亿元"
    assert clusters(text, [1.0] * len(text)) == [1.0, 1.0, 8.0]  # "1234.5亿元" never breaks inside
    assert clusters("中文", [2.0, 3.0]) == [2.0, 3.0]


def test_cell_lines_fill_greedily_and_break_wide_clusters() -> None:
    assert cell_lines([1.0] * 10, 10.0) == 1
    assert cell_lines([1.0] * 10, 4.0) == 3
    assert cell_lines([9.0], 4.0) == 3  # a cluster wider than the column is broken as a last resort


def test_balance_moves_width_to_the_wrapping_column() -> None:
    label = [[1.0] * 12, [3.0]]  # a 12-unit label beside a 3-unit number
    widths = balance([8.0, 8.0], [2.0, 4.0], [label], step=1.0, pad=0.0)
    assert sum(widths) == 16.0
    assert widths[0] >= 12.0 and widths[1] >= 4.0


def test_balance_keeps_tables_that_fit() -> None:
    assert balance([8.0, 8.0], [2.0, 2.0], [[[3.0], [3.0]]], step=1.0, pad=0.0) == [8.0, 8.0]
    assert balance([10.0], [1.0], [[[30.0]]], step=1.0, pad=0.0) == [10.0]
