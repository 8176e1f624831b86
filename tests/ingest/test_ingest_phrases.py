"""The label helpers of ``briefgen.ingest.phrases`` (the interface ``keyfigs`` uses): quoted and
bracketed text, clause bounds, label tests, and the labels cut from the words around a number
(invented sentences)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from briefgen.ingest.phrases import (
    _base_unit,
    _before_digit,
    _blank,
    _clause_end,
    _clause_start,
    _decimal,
    _label_ok,
    _masked,
    _parens,
    _post_label,
    _pre_label,
    _strip_period,
    _unquoted,
)


def test_quoted_text_is_masked_and_blanked() -> None:
    s = "开展“文明家庭”评选，共评出120户。"
    mask = _masked(s)
    assert [s[k] for k, m in enumerate(mask) if m] == list("“文明家庭”")
    assert _blank(s, mask) == "开展      评选，共评出120户。"
    assert _parens("甲（乙）丙") == [False, True, True, False, False]
    assert _unquoted("评出“最美家庭”和《条例》文本") == "评出和文本"


def test_clause_bounds_step_over_a_short_bracketed_note() -> None:
    s = "细颗粒物（PM2.5）平均浓度为28微克，同比下降5%。"
    pos = s.index("28")
    mask = _masked(s)
    assert s[_clause_start(s, pos, mask):pos] == "细颗粒物（PM2.5）平均浓度为"
    assert s[pos:_clause_end(s, pos, mask)] == "28微克"


def test_numbers_units_and_digits() -> None:
    assert _decimal("1,234.5") == Decimal("1234.5")
    assert _decimal("约五") is None
    assert (_base_unit("亿元"), _base_unit("万人"), _base_unit("%")) == ("元", "人", "%")
    assert _before_digit("“2024”行动共5项") == "“2024”行动共"  # digits in quotes do not count
    assert _strip_period("2024年上半年，全县新建道路") == "全县新建道路"


@pytest.mark.parametrize(("label", "ok"), [
    ("地区生产总值", True), ("在校学生", True), ("“最美家庭”", True),
    ("项目", False), ("的企业", False), ("工业增加值同比", False), ("村级2号站", False), ("（试点", False),
])
def test_label_tests(label: str, ok: bool) -> None:
    assert _label_ok(label) is ok


def test_the_text_before_a_number_gives_label_scope_and_qualifier() -> None:
    assert _pre_label("全县实现地区生产总值") == ("地区生产总值", "全县", "")
    assert _pre_label("全县实现第一产业增加值") == ("第一产业增加值", "全县", "")
    assert _pre_label("其中，全市共接待游客近") == ("接待游客", "全市", "近")
    assert _pre_label("2024年上半年，全县新建道路") == ("道路", "全县", "")


def test_the_text_after_a_classifier_gives_the_counted_noun() -> None:
    assert _post_label("区级机关科长挂任村党组织书记") == "区级机关科长"
    assert _post_label("家庭农场被认定为示范") == "家庭农场"
    assert _post_label("名返乡创业的青年人才") == "青年人才"
    assert _post_label("社区志愿服务驿站（点）") == "社区志愿服务驿站（点）"  # a short note kept
    assert _post_label("万元用于道路维修") == ""  # no counted noun
