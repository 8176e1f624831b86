"""Rows citing (document, place) turned into cells and a note that name each document once."""

from __future__ import annotations

from briefgen.compose.citations import UNKNOWN, cite


def test_one_source_is_named_once_under_the_table() -> None:
    cells, note = cite([("《甲》，a.csv", "s1，第5行"), ("《甲》，a.csv", "第6行（增幅据第1、2行计算）")])
    assert cells == ["s1，第5行", "第6行（增幅据第1、2行计算）"]
    assert note == "资料来源：《甲》，a.csv。"


def test_several_sources_are_numbered_and_listed_one_a_line() -> None:
    refs = [("《甲》，a.csv", "第5行"), ("《乙》", "原文第3行"), ("《甲》，a.csv", "第6行"), ("", ""), ("《乙》", "")]
    cells, note = cite(refs)
    assert cells == ["〔1〕第5行", "〔2〕原文第3行", "〔1〕第6行", UNKNOWN, "〔2〕"]
    assert note == "资料来源：〔1〕《甲》，a.csv；\n〔2〕《乙》。"


def test_no_known_source_means_no_note() -> None:
    assert cite([("", "")]) == ([UNKNOWN], "")
    assert cite([("《甲》", "")]) == (["—"], "资料来源：《甲》。")
