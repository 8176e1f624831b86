"""Tests for half-width → full-width punctuation normalisation in Chinese text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from briefgen.compose.punctuation import normalise, normalise_changes


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


def test_marks_after_numbers_and_units_in_chinese_text() -> None:
    assert normalise("增长12.2%;下降3.5℃,湿度")[0] == "增长12.2%；下降3.5℃，湿度"
    assert normalise("比例为3:2,符合要求")[0] == "比例为3:2，符合要求"  # 3:2 stays a ratio
    assert normalise("共1,234.5万元,同比")[0] == "共1,234.5万元，同比"


def test_brackets_convert_as_pairs() -> None:
    assert normalise("中文(English phrase)后") == ("中文（English phrase）后", 2)
    assert normalise("(一)总体要求") == ("（一）总体要求", 2)
    assert normalise("中文 (note) 中文")[0] == "中文（note）中文"
    for text in ["f(x)中文", "中文see (note)中文", "Latin (phrase) here"]:
        assert normalise(text) == (text, 0)


def test_latin_phrases_urls_and_mail_keep_their_marks() -> None:
    for text in ["使用Python, Java等语言", "Hello, world!中文", "第1,2,3条", "A,B两类"]:
        assert normalise(text) == (text, 0)
    # sentence punctuation after a URL or address belongs to the sentence
    assert normalise("见https://www.gov.cn/a,b?x=1,然后") == ("见https://www.gov.cn/a,b?x=1，然后", 1)
    assert normalise("请发至me@x.com,谢谢") == ("请发至me@x.com，谢谢", 1)


def test_changes_are_listed_with_context() -> None:
    text, changes = normalise_changes('他说:"好的",然后走了!')
    assert text == "他说：“好的”，然后走了！"
    assert [(c.old, c.new) for c in changes] == [
        (":", "："), ('"', "“"), ('"', "”"), (",", "，"), ("!", "！")
    ]
    assert all(c.old in c.context for c in changes)
    assert str(changes[0]).startswith(":→：")


@given(
    st.lists(
        st.sampled_from(["中文", "数据", "12.5", "1,234", "3:2", "GDP", "https://a.b/c?d=1",
                         ",", ";", ":", "!", "?", "(", ")", " ", '"', "%", "℃"]),
        max_size=30,
    )
)
def test_digits_letters_and_urls_survive(tokens: list[str]) -> None:
    text = "".join(tokens)
    out, changes = normalise_changes(text)
    assert [c for c in out if c.isascii() and c.isalnum()] == [
        c for c in text if c.isascii() and c.isalnum()
    ]
    assert len(changes) == sum(1 for a in text if a in ',;:!?()"\'') - sum(
        1 for a in out if a in ',;:!?()"\''
    )
    for kept in ("12.5", "1,234", "3:2", "https://a.b/c?d=1"):
        assert out.count(kept) == text.count(kept)
    assert normalise(out)[0] == out
