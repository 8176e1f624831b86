"""Slips of Chinese typing are named at their own character; Chinese text that merely holds ： is left alone."""

from __future__ import annotations

import pytest

from briefgen.errors import BriefError
from briefgen.inputs import typos
from briefgen.inputs.yamlsafe import load_yaml_text


def codes(text: str) -> list[tuple[int | None, int | None, str]]:
    with pytest.raises(BriefError) as ei:
        load_yaml_text(text, "f.yaml")
    return [(p.line, p.col, p.machine_code) for p in ei.value.problems]


def test_fullwidth_colon_at_its_character_not_the_next_line() -> None:
    assert codes("title: 标题\nunit：示例\ndate: 2026-10-01\n") == [(2, 5, "E-YAML-FULLWIDTH-COLON")]
    assert codes("a:\n  b: 1\n  c ：2\n  d: 3\n") == [(3, 5, "E-YAML-FULLWIDTH-COLON")]


def test_text_holding_fullwidth_colons_parses() -> None:
    text = "summary: 要点：一是加强；二是落实\nbody: |\n  GDP：增长5%\n  要求：\n    一、坚持\nk:\n  - 注：说明\n"
    data = load_yaml_text(text, "f.yaml").data
    assert data["summary"] == "要点：一是加强；二是落实"
    assert data["body"].startswith("GDP：增长5%")


def test_block_scalar_lines_are_not_scanned() -> None:
    # a syntax error elsewhere: the ： and － inside the | block are text, not slips
    text = "a: |\n  GDP：增长\n  － 列表样文字\nb: [1, 2\n"
    got = codes(text)
    assert [c for *_, c in got] == ["E-YAML-SYNTAX"]


def test_ideographic_space_dash_and_curly_quotes() -> None:
    assert codes("a:\n\u3000 b: 1\nc: [\n") [0] == (2, 1, "E-YAML-FULLWIDTH-SPACE")
    assert (1, 8, "E-YAML-CURLY-QUOTES") in codes("title: “关于: 示例”\n")
    assert codes("a: 1\n\ufeffb: 2\n") == [(2, 1, "E-YAML-BOM")]


def test_key_holding_a_fullwidth_colon() -> None:
    assert codes("unit：示例: x\n") == [(1, 5, "E-YAML-FULLWIDTH-COLON")]


def test_value_helpers() -> None:
    assert typos.fullwidth_number("１２．５") == "12.5"
    assert typos.fullwidth_number("十二") is None
    assert typos.fullwidth_date("２０２６－１０－０１") == "2026-10-01"
    assert typos.fullwidth_date("2026年10月1日") is None
    assert typos.dash_list("－ 一 － 二") == "－"
    assert typos.dash_list("——摘自") is None
    assert typos.colon_in_text("bao：市委") == (3, "bao")
    assert typos.colon_in_text("要点：一") is None
    assert typos.fullwidth_key("ｔｉｔｌｅ", {"title"}) == "title"


def test_fullwidth_comma_in_a_flow_list_is_a_warning() -> None:
    loc = load_yaml_text("keywords: [改革，发展, 稳定]\nq: ['甲，乙']\n", "f.yaml")
    assert loc.data == {"keywords": ["改革，发展", "稳定"], "q": ["甲，乙"]}
    assert [(w.line, w.col, w.machine_code, w.severity) for w in loc.warnings] == [
        (1, 14, "W-YAML-FULLWIDTH-COMMA", "warning")]
