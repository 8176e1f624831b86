"""libyaml's parser (the fast path) loads exactly what the pure-Python loader loads, with the same
marks, warnings and errors."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from briefgen.errors import BriefError
from briefgen.inputs import yamlsafe

pytestmark = pytest.mark.skipif(yamlsafe._CParser is None, reason="PyYAML built without libyaml")


def _outcome(text: str, fast: bool) -> tuple[Any, ...]:
    orig = yamlsafe._loader_for
    if not fast:
        yamlsafe._loader_for = yamlsafe._Loader  # type: ignore[assignment]
    try:
        loc = yamlsafe.load_yaml_text(text, "f.yaml")
        return ("ok", loc.data, loc.marks, loc.key_marks, [str(w) for w in getattr(loc, "warnings", [])])
    except BriefError as e:
        return ("error", type(e).__name__, [str(p) for p in e.problems])
    finally:
        yamlsafe._loader_for = orig


CASES = [
    "title: ~\nunit: 测试\n",
    "a: ''\nb: \nc: null\nd: 'null'\ne: \"~\"\n",
    "标题: 吴江区“融入式党建”\n说明: |\n  第一行\n  第二行\nx: >-\n  折叠\n  文字\n",
    "list: [一, 二, {三: 四}]\nmap: {a: 1, b: [2, 3]}\n",
    "a: &x 1\nb: *x\n",
    "base: &b {k: v}\nother:\n  <<: *b\n",
    "a: 1\na: 2\n",
    "a: !!python/object:os.system x\n",
    "a: !custom x\n",
    "? [a, b]\n: c\n",
    'a: "\\ud800"\nb: "\\U0001F600"\n',
    "a:\n\t- b\n",
    "a: [1, 2\n",
    "a: b: c\n",
    "- - - - x\n",
    "[" * 40 + "]" * 40,
    pytest.param("[" * 3000 + "]" * 3000, marks=pytest.mark.slow, id="depth-3000"),  # seconds in pure Python
    "---\na: 1\n---\nb: 2\n",
    "",
    "# only a comment\n",
    "a: \u200f右到左\u202e\n",
    "a: \x01\n",
    "key with spaces: value: with colon\n",
    "a: 'it''s'\nb: \"tab\\tx\"\n",
    # CJK line folds joined without a space, Latin ones kept; slips of Chinese typing
    "s: >-\n  主线，\n  推动垃圾 and\n  keep words\n\n  新段落\nt: 多行\n  纯文本\n  plain text\n",
    "u: >\n  一\n    更深缩进\n  二\n",
    "unit：示例\ndate: 1\n",
    "a:\n  － 一\n  － 二\n",
    "a: 1\n\ufeffb: 2\n",
    "issue: 010\nfa: no\nx: 1e3\n",
    "k: [改革，发展, 稳定]\n",
]


@pytest.mark.parametrize("text", CASES)
def test_fast_path_matches_python_loader(text: str) -> None:
    assert _outcome(text, True) == _outcome(text, False)


def test_fast_path_is_taken_for_plain_packs() -> None:
    assert isinstance(yamlsafe._loader_for("a: 1\nb: [x, y]\n"), yamlsafe._Composed)
    assert isinstance(yamlsafe._loader_for("a:\tb\n"), yamlsafe._Loader)  # tabs: Python only


_scalars = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=12),
    st.integers(), st.floats(allow_nan=False), st.booleans(), st.none(),
)
_docs = st.recursive(
    _scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4),
                            st.dictionaries(st.text(max_size=6), inner, max_size=4)),
    max_leaves=20,
)


@settings(max_examples=150, deadline=None)
@given(_docs, st.booleans())
def test_fast_path_matches_on_dumped_documents(doc: Any, flow: bool) -> None:
    text = yaml.safe_dump(doc, allow_unicode=True, default_flow_style=flow)
    assert _outcome(text, True) == _outcome(text, False)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="ab: -[]{}'\"#&*!|>\n\r\t\\,?~中%@`=.0", max_size=40))
def test_fast_path_matches_on_yaml_like_noise(text: str) -> None:
    assert _outcome(text, True) == _outcome(text, False)
