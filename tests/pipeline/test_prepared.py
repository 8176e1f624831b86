"""Unit tests of pipeline.prepared: --set overrides into the spec data and input paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import BriefError
from briefgen.inputs.yamlsafe import load_yaml_text
from briefgen.pipeline.prepared import apply_overrides, resolve_input


def test_overrides_set_nested_keys_creating_mappings() -> None:
    loc = load_yaml_text("title: a\nclosing: 5\n")
    apply_overrides(loc, ["title=新标题", "closing.bao=区委=办公室", "vars.x.y=1"])
    assert loc.data == {"title": "新标题", "closing": {"bao": "区委=办公室"}, "vars": {"x": {"y": "1"}}}
    empty = load_yaml_text("")
    apply_overrides(empty, ["title=t"])
    assert empty.data == {"title": "t"}


@pytest.mark.parametrize(("item", "message"), [("title", "expected key=value"), ("..=x", "empty key")])
def test_bad_overrides_are_usage_errors(item: str, message: str) -> None:
    with pytest.raises(BriefError) as ei:
        apply_overrides(load_yaml_text("title: a\n"), [item])
    assert ei.value.exit_code == 2
    assert message in str(ei.value.problems[0])
    assert ei.value.problems[0].file == "--set"


def test_resolve_input_relative_absolute_and_rebased(tmp_path: Path) -> None:
    assert resolve_input(tmp_path, "a/../b.yaml") == (tmp_path / "b.yaml").resolve()
    assert resolve_input(tmp_path, "/etc/x.yaml") == Path("/etc/x.yaml")
    old, new = str(tmp_path.resolve()), "/srv/work"
    assert resolve_input(tmp_path, "p/x.yaml", (old, new)) == Path("/srv/work/p/x.yaml")
    assert resolve_input(tmp_path, "/elsewhere/x.yaml", (old, new)) == Path("/elsewhere/x.yaml")
