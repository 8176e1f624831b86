"""Section ids of ``briefgen.ingest.ids``: English words for shared headings, pinyin otherwise,
clashes numbered, and draft summaries (invented headings and text)."""

from __future__ import annotations

import pytest

from briefgen.ingest.ids import draft_summary, heading_id, sibling_ids


@pytest.mark.parametrize(("title", "sid"), [
    ("一、经验启示", "lessons"),
    ("（二）存在的问题和不足", "problems"),
    ("三、下一步工作打算", "plans"),
    ("2024年工作回顾", "review"),
    ("四、主要做法：抓党建促发展", "measures"),
])
def test_shared_headings_get_english_words(title: str, sid: str) -> None:
    assert heading_id(title) == sid


def test_other_headings_get_the_pinyin_of_their_first_characters() -> None:
    assert heading_id("党建融入发展——") == "dangjian_rongru_fazhan"
    assert heading_id("1. 党建融入发展") == heading_id("党建融入发展")  # the marker does not count


def test_a_heading_without_words_gives_no_id() -> None:
    assert heading_id("——") == ""


def test_sibling_ids_are_unique_and_avoid_reserved_ones() -> None:
    ids = sibling_ids(["一、主要做法", "二、主要做法", "三、党建融入发展"], frozenset({"measures"}))
    assert ids == ["measures_2", "measures_3", "dangjian_rongru_fazhan"]
    assert sibling_ids(["", "一、经验启示"]) == ["s1", "lessons"]
    assert sibling_ids(["一、主要做法", "二、主要做法"]) == sibling_ids(["一、主要做法", "二、主要做法"])


def test_draft_summary_takes_whole_first_sentences() -> None:
    text = "今年以来，全县粮食生产保持稳定。夏粮实现增产，秋粮长势良好。冬小麦播种已经全面完成。"
    assert draft_summary([text]) == "今年以来，全县粮食生产保持稳定。夏粮实现增产，秋粮长势良好。"
    assert draft_summary([]) == ""


def test_draft_summary_cuts_an_overlong_sentence_at_a_comma() -> None:
    out = draft_summary(["全县" + "围绕乡村振兴目标，" * 30 + "取得了成效。"], limit=40)
    assert out.endswith("……") and len(out) <= 42
    assert out.startswith("全县围绕乡村振兴目标，")
