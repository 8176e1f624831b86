"""The composer's recurring messages: English ids, Chinese from the catalog, placeholders filled."""

from __future__ import annotations

import pytest

from briefgen import i18n
from briefgen.compose.composer_messages import heading_only, no_change, unknown_format


@pytest.fixture
def chinese() -> object:
    i18n.set_language("zh", export=False)
    yield None
    i18n.set_language(None, export=False)


def test_english_messages() -> None:
    assert unknown_format("valeu")[0] == "unknown figure format 'valeu'"
    assert "value" in unknown_format("valeu")[1]
    assert no_change("gdp", "yoy", "2026年9月")[0] == "figure 'gdp' has no 同比 change for 2026年9月"
    assert heading_only("a", "summary", False, True) == (
        "section 'a' has no summary: only its heading would print", "select its children (a.*) or use mode: title")
    assert "and no body" in heading_only("a", "full", False, False)[0]


def test_chinese_messages(chinese: object) -> None:
    assert unknown_format("valeu")[0] == "未知的数据格式 'valeu'"
    assert no_change("gdp", "yoy", "2026年9月")[0] == "关键数据 'gdp' 没有 2026年9月 的同比增减"
    message, hint = heading_only("a", "summary", True, False)
    assert message == "章节 'a' 没有摘要：只会印出标题"
    assert "素材包" in hint
