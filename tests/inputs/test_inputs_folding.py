"""inputs.folding: folded YAML breaks between CJK characters are removed, Latin and typed spaces stay."""

from __future__ import annotations

import yaml

from briefgen.inputs.folding import CJK, join_cjk_folds


def _scalar(text: str) -> tuple[str, yaml.Node, list[str]]:
    """The value, node and source lines of the only mapping value in ``text`` (PyYAML's composer)."""
    node = yaml.compose(text)
    assert isinstance(node, yaml.MappingNode)
    value_node = node.value[0][1]
    return value_node.value, value_node, text.splitlines()


def test_folded_block_joins_chinese_lines() -> None:
    value, node, lines = _scalar("s: >-\n  坚持主线，\n  推动工作。\n")
    assert value == "坚持主线， 推动工作。"
    assert join_cjk_folds(value, node, lines) == "坚持主线，推动工作。"


def test_latin_fold_keeps_its_space() -> None:
    value, node, lines = _scalar("s: >-\n  GDP grew\n  by 5%\n")
    assert join_cjk_folds(value, node, lines) == "GDP grew by 5%"


def test_mixed_fold_only_cjk_pairs_joined() -> None:
    value, node, lines = _scalar("s: 完成产值\n  达120亿元 and\n  more\n  达标\n  12项\n")
    assert join_cjk_folds(value, node, lines) == "完成产值达120亿元 and more 达标 12项"


def test_typed_space_on_one_line_stays() -> None:
    value, node, lines = _scalar("s: >-\n  甲 乙\n  丙\n")
    assert join_cjk_folds(value, node, lines) == "甲 乙丙"


def test_no_lines_or_unmatched_source_returns_value() -> None:
    value, node, lines = _scalar("s: >-\n  甲\n  乙\n")
    assert join_cjk_folds(value, node, []) == value
    assert join_cjk_folds("完全不同", node, lines) == "完全不同"


def test_cjk_class_covers_han_punctuation_and_quotes() -> None:
    assert all(CJK.match(ch) for ch in "中，。“”…—")
    assert not any(CJK.match(ch) for ch in "a1 ,.")
