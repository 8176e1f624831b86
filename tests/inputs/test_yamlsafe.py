"""Tests for the located, trap-free YAML loader."""

from __future__ import annotations

import pytest

from briefgen.errors import BriefError, LimitError
from briefgen.inputs.yamlsafe import load_yaml_text


def test_scalars_stay_text_no_yaml11_coercion() -> None:
    loc = load_yaml_text("a: no\nb: 010\nc: 1.10\nd: 2022-09-23\ne: off\nf: 10:30\n")
    assert loc.data == {"a": "no", "b": "010", "c": "1.10", "d": "2022-09-23", "e": "off", "f": "10:30"}


def test_nulls_and_quoted_tilde() -> None:
    assert load_yaml_text('a: ~\nb: "~"\nc:\n').data == {"a": None, "b": "~", "c": None}


def test_marks_are_one_based_line_col() -> None:
    loc = load_yaml_text("top:\n  child: [x, y]\n")
    assert loc.marks[("top", "child", 1)] == (2, 14)
    assert loc.key_marks[("top", "child")] == (2, 3)


@pytest.mark.parametrize(
    ("text", "fragment", "line"),
    [
        ("a: 1\na: 2\n", "duplicate key 'a'", 2),
        ("a: &x [1]\nb: *x\n", "aliases", 2),
        ("a: !!python/object/apply:os.system [ls]\n", "tag", 1),
        ("a: !!binary aGk=\n", "tag", 1),
        ("a: !!set {x}\n", "tag", 1),
        ("<<: {a: 1}\n", "merge keys", 1),
        ("a:\n\tb: 1\n", "tabs", 2),
        ("a: [1,\n", "YAML syntax error", 2),
        ("? [a, b]\n: 1\n", "plain text", 1),
    ],
)
def test_traps_are_located_errors(text: str, fragment: str, line: int) -> None:
    with pytest.raises(BriefError) as ei:
        load_yaml_text(text, "brief.yaml")
    msg = str(ei.value)
    assert msg.startswith(f"brief.yaml:{line}:"), msg
    assert fragment in msg
    assert "\n" not in msg.strip() or all(x.startswith("brief.yaml:") for x in msg.splitlines())


def test_billion_laughs_refused_quickly() -> None:
    bomb = 'a: &a ["x","x","x","x","x","x","x","x","x"]\n' + "".join(
        f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)},*{chr(97 + i)},*{chr(97 + i)}]\n" for i in range(8)
    )
    with pytest.raises(BriefError):
        load_yaml_text(bomb)


def test_depth_limit() -> None:
    deep = "a: " + "[" * 60 + "]" * 60 + "\n"
    with pytest.raises(LimitError):
        load_yaml_text(deep, max_depth=32)


def test_all_duplicates_reported_in_one_run() -> None:
    with pytest.raises(BriefError) as ei:
        load_yaml_text("a: 1\na: 2\nb: 1\nb: 2\n")
    assert len(ei.value.problems) == 2
