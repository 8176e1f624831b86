"""Header lines of ``briefgen.ingest.header``: datelines, 来源/作者 lines and issuing bodies under a
title into date, publisher and author; other lines are no header (invented lines)."""

from __future__ import annotations

import datetime as dt

import pytest

from briefgen.ingest.header import (
    DATE_RE,
    ORG_END,
    HeaderFacts,
    date_of,
    is_sentence,
    read_header_line,
)

D = dt.date(2024, 3, 15)


@pytest.mark.parametrize(("line", "facts"), [
    ("示例县统计局 2024年3月15日", HeaderFacts(D, "示例县统计局")),
    ("2024年3月15日 10:30", HeaderFacts(D)),
    ("2024-03-15 示例县统计局", HeaderFacts(D, "示例县统计局")),
    ("2024-03-15 示例县统计局 浏览次数：12", HeaderFacts(D)),
    ("示例县农业农村局", HeaderFacts(publisher="示例县农业农村局")),
    ("来源：示例县政府办 作者：王晓 发布时间：2024-03-15", HeaderFacts(D, "示例县政府办", "王晓")),
    ("作者：王晓 李青", HeaderFacts(author="王晓 李青")),
    ("发布时间：2024-03-15 来源：示例县融媒体中心", HeaderFacts(D, "示例县融媒体中心")),
])
def test_header_lines_say_date_publisher_and_author(line: str, facts: HeaderFacts) -> None:
    assert read_header_line(line) == facts


@pytest.mark.parametrize("line", ["全县新建道路12公里。", "发布时间：2024-02-30", "主要做法", "一、基本情况"])
def test_other_lines_are_no_header(line: str) -> None:
    assert read_header_line(line) is None


def test_an_impossible_date_leaves_the_date_empty() -> None:
    assert read_header_line("示例县统计局 2024年2月30日") == HeaderFacts(None, "示例县统计局")
    m = DATE_RE.search("2023年2月30日")
    assert m and date_of(m) is None


def test_sentences_and_organisations() -> None:
    assert is_sentence("全县经济稳中有进。") and is_sentence("主要做法：")
    assert not is_sentence("全县经济稳中有进")
    assert ORG_END.search("示例县统计局") and not ORG_END.search("统计数据")
