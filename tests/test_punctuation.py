"""Tests for half-width → full-width punctuation normalisation in Chinese text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefgen.punctuation import normalise


def test_chinese_context_changes() -> None:
    assert normalise("我们,他们;好!") == ("我们，他们；好！", 3)
    assert normalise('他说:"好"') == ("他说：“好”", 3)
    assert normalise("增长(同比)4.1%")[0] == "增长（同比）4.1%"


def test_numbers_urls_latin_untouched() -> None:
    for text in ["价格12,345元", "见 https://a.b/c,d;e 页", "Hello, world; ok?", "3.14", "(1)"]:
        assert normalise(text) == (text, 0)


@given(st.text(alphabet="abcXYZ 0123456789.,;:!?()'\"-/", max_size=60))
def test_pure_ascii_never_changes(text: str) -> None:
    assert normalise(text) == (text, 0)


@given(st.text(alphabet="中文数据，。abc 12.5,;:!?()\"", max_size=60))
def test_idempotent(text: str) -> None:
    once, _ = normalise(text)
    assert normalise(once)[0] == once
