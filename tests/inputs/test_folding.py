"""Folded and multi-line plain YAML text joins Chinese lines without a space and keeps Latin spaces."""

from __future__ import annotations

import pytest

from briefgen.inputs import yamlsafe


@pytest.fixture(params=["fast", "python"])
def load(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    if request.param == "python":
        monkeypatch.setattr(yamlsafe, "_loader_for", yamlsafe._Loader)
    return lambda text: yamlsafe.load_yaml_text(text, "f.yaml").data


def test_folded_chinese_paragraph_has_no_stray_space(load) -> None:  # type: ignore[no-untyped-def]
    data = load("summary: >-\n  坚持以人民为中心，围绕主线，\n  推动垃圾分类工作。\n")
    assert data["summary"] == "坚持以人民为中心，围绕主线，推动垃圾分类工作。"


def test_plain_multiline_chinese_and_latin(load) -> None:  # type: ignore[no-untyped-def]
    data = load("a: 第一行文字\n  第二行 GDP\n  grew by 5%\n  “引号”\n  继续\n")
    assert data["a"] == "第一行文字第二行 GDP grew by 5% “引号”继续"


def test_typed_spaces_and_paragraphs_stay(load) -> None:  # type: ignore[no-untyped-def]
    data = load("b: >\n  中文 中文\n  下一行\n\n  新段落\n    缩进行\n  末行\nc: |\n  字面\n  保留\n")
    assert data["b"] == "中文 中文下一行\n新段落\n  缩进行\n末行\n"
    assert data["c"] == "字面\n保留\n"


def test_quoted_text_is_left_alone(load) -> None:  # type: ignore[no-untyped-def]
    assert load('d: "一\n  二"\n')["d"] == "一 二"  # quoted scalars fold as YAML says: quote to choose


def test_mixed_boundaries(load) -> None:  # type: ignore[no-untyped-def]
    data = load("e: >-\n  English words\n  continue here，\n  中文\n  English again\n")
    assert data["e"] == "English words continue here，中文 English again"


def test_a_break_beside_full_width_punctuation_is_no_space(load) -> None:  # type: ignore[no-untyped-def]
    """Helper set E: "占比接近47%。" folded before "1—11月" printed "47%。 1—11月"."""
    data = load("f: >-\n  占比接近47%。\n  1—11月产量\n  增长3.5%，\n  2024年\n  GDP（\n  a）\n  and then\n")
    assert data["f"] == "占比接近47%。1—11月产量增长3.5%，2024年 GDP（a）and then"
