"""Positional lists of ``briefgen.ingest.respectively``: ``分别`` lists, shares of a whole and
rankings on a named list become one figure per subject (invented sentences)."""

from __future__ import annotations

from briefgen.ingest.phrases import _masked
from briefgen.ingest.respectively import Item, positional, rankings, shares


def run(fn: object, s: str) -> list[tuple[str, str, str, str]]:
    assert callable(fn)
    items: list[Item] = fn(s, _masked(s))
    for it in items:  # each figure points at where its value stands
        span = s[it.start:it.end]
        if it.kind == "ranking":
            assert span.startswith("第") and span.endswith("位"), span
        else:
            assert span.startswith(it.value.lstrip("-")), span
    return [(it.label, it.value, it.unit, it.kind) for it in items]


def test_a_shared_measure_goes_with_every_subject() -> None:
    s = "甲镇、乙镇、丙镇户籍人口分别为3.2万人、2.8万人和1.9万人。"
    assert run(positional, s) == [("甲镇户籍人口", "3.2", "万人", "level"), ("乙镇户籍人口", "2.8", "万人", "level"),
                                  ("丙镇户籍人口", "1.9", "万人", "level")]


def test_ordinal_subjects_expand_and_the_unit_written_once_holds_for_all() -> None:
    s = "全县第一、二、三产业增加值分别为12.5、30.2和25.1亿元。"
    assert [x[:3] for x in run(positional, s)] == [("第一产业增加值", "12.5", "亿元"), ("第二产业增加值", "30.2", "亿元"),
                                                  ("第三产业增加值", "25.1", "亿元")]
    s = "二、三产业投资同比分别增长7.6%、0.3%。"
    assert [x[0] for x in run(positional, s)] == ["第二产业投资增速", "第三产业投资增速"]


def test_a_measure_named_after_分别_goes_with_every_subject() -> None:
    s = "甲镇、乙镇、丙镇分别实现增加值12.5、30.2和25.1亿元。"
    assert [x[:3] for x in run(positional, s)] == [("甲镇增加值", "12.5", "亿元"), ("乙镇增加值", "30.2", "亿元"),
                                                  ("丙镇增加值", "25.1", "亿元")]


def test_growth_lists_become_rates_with_their_sign() -> None:
    assert run(positional, "甲镇、乙镇增加值分别增长6.2%、4.8%。") == [
        ("甲镇增加值增速", "6.2", "%", "rate"), ("乙镇增加值增速", "4.8", "%", "rate")]
    assert [x[1] for x in run(positional, "甲镇、乙镇分别下降1.5%、2.0%。")] == ["-1.5", "-2.0"]


def test_lists_that_do_not_line_up_or_are_quoted_give_nothing() -> None:
    assert run(positional, "甲镇、乙镇、丙镇分别完成12、15项。") == []  # three subjects, two values
    assert run(positional, "“甲镇、乙镇分别为3个、4个”不计入。") == []


def test_shares_of_a_whole() -> None:
    assert run(shares, "民营企业贡献了全县60%的税收、70%的就业。") == [
        ("民营企业贡献税收占比", "60", "%", "share"), ("民营企业贡献就业占比", "70", "%", "share")]
    assert run(shares, "民营企业贡献了全县60%的税收。") == []  # one share is no list


def test_rankings_on_a_named_list() -> None:
    s = "甲集团连续5年、乙集团连续3年入选《示例》百强榜，2024年分别列第十五位和第42位。"
    assert run(rankings, s) == [("甲集团《示例》百强榜排名", "15", "位", "ranking"),
                                ("乙集团《示例》百强榜排名", "42", "位", "ranking")]
    assert run(rankings, "甲集团、乙集团发展良好，2024年分别列第15位和第42位。") == []  # no list named
