"""Unit tests of inputs.validate: pydantic errors turned into located one-line problems with hints."""

from __future__ import annotations

import pytest

from briefgen.errors import BriefError
from briefgen.inputs.validate import validate
from briefgen.inputs.yamlsafe import load_yaml_text
from briefgen.model.spec import Brief

GOOD = """\
title: 示例
sources:
  a: a.yaml
blocks:
  - section: overview
"""


def _problems(text: str) -> list[str]:
    with pytest.raises(BriefError) as ei:
        validate(Brief, load_yaml_text(text, file="b.yaml"))
    return [str(p) for p in ei.value.problems]


def test_valid_data_gives_the_model() -> None:
    brief = validate(Brief, load_yaml_text(GOOD, file="b.yaml"))
    assert brief.title == "示例"
    assert brief.sources == {"a": "a.yaml"}


def test_unknown_key_is_located_with_a_suggestion() -> None:
    probs = _problems(GOOD.replace("title:", "titel:"))
    assert not any("required field is missing" in p for p in probs)  # the typo is the one problem
    p = next(p for p in probs if "titel" in p)
    assert p.startswith("b.yaml:1:1: titel: ")
    assert "unknown key 'titel'" in p and "did you mean title" in p


def test_bad_literal_and_type_name_the_field_and_line() -> None:
    probs = _problems(GOOD + "    mode: ful\ndate: tomorrow\n")
    mode = next(p for p in probs if "blocks[0].mode" in p)
    assert mode.startswith("b.yaml:6:") and "expected one of" in mode and "did you mean full" in mode
    date = next(p for p in probs if p.startswith("b.yaml:7:"))
    assert "date" in date and "expected a date" in date


def test_missing_field_and_block_without_kind() -> None:
    probs = _problems("title: x\nblocks:\n  - sectoin: a\n")
    assert any("sources" in p and "required field is missing" in p for p in probs)
    kind = next(p for p in probs if "blocks[0]" in p)
    assert "each block needs one of the keys" in kind and "did you mean section" in kind


def test_every_problem_is_reported_at_once() -> None:
    probs = _problems("titel: x\nsubtitel: y\nsources: {}\nblocks: []\n")
    assert len(probs) >= 4
