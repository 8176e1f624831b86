"""Unit tests of pipeline.guard: confinement before reading, pack and table limits, output names."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from pipekit import mini_spec

from briefgen.errors import BriefError, LimitError
from briefgen.inputs.limits import ENV_VAR, Limits, Policy
from briefgen.inputs.validate import validate
from briefgen.inputs.yamlsafe import load_yaml_file
from briefgen.model.spec import Brief
from briefgen.pipeline import guard
from briefgen.pipeline.prepare import prepare
from briefgen.tree import Document, Metadata, Table, TableCell

Use = Callable[[Policy], None]


@pytest.fixture
def policy(monkeypatch: pytest.MonkeyPatch) -> Use:
    """Start from the default policy; the returned function sets another one for this test only."""
    monkeypatch.delenv(ENV_VAR, raising=False)

    def use(p: Policy) -> None:
        monkeypatch.setenv(ENV_VAR, p.to_env())  # what configure() does, undone after the test

    return use


def test_inputs_outside_the_roots_are_refused_before_reading(tmp_path: Path, policy: Use) -> None:
    inner = tmp_path / "proj"
    inner.mkdir()
    outside = tmp_path / "secret.yaml"
    outside.write_text("x: 1\n", encoding="utf-8")
    spec = mini_spec(inner, "templates: [../]\n", replace=("  mp: mini-pack.yaml", "  mp: ../secret.yaml"))
    loc = load_yaml_file(spec)
    brief = validate(Brief, loc)
    problems = guard.check_inputs(brief, loc, inner)
    paths = {p.path for p in problems}
    assert {"sources.mp", "templates[0]"} <= paths
    assert all(p.file == str(spec) and p.line for p in problems)


def test_pack_limits_raise_a_limit_error(tmp_path: Path, policy: Use) -> None:
    prep = prepare(mini_spec(tmp_path))
    policy(Policy(Limits(figures=1)))
    with pytest.raises(LimitError) as ei:
        guard.after_prepare(prep)
    (p,) = ei.value.problems
    assert "figures, over the limit figures=1" in p.message and p.path == "figures"


def test_table_limits(policy: Use) -> None:
    policy(Policy(Limits(table_rows=2, cell_chars=5)))
    doc = Document(Metadata("t"), [Table([[TableCell("一")]] * 3, caption="大表"),
                                   Table([[TableCell("超过五个字符")]])])
    with pytest.raises(LimitError) as ei:
        guard.check_document(doc, "b.yaml")
    msgs = [p.message for p in ei.value.problems]
    assert msgs[0] == "table (大表) has 3 rows, over the limit table_rows=2"
    assert "has 6 characters, over the limit cell_chars=5" in msgs[1]


def test_strict_refuses_replaced_characters(tmp_path: Path, policy: Use) -> None:
    spec = mini_spec(tmp_path, replace=("title: 示例县", 'title: "示例\\u0007县'))
    spec.write_text(spec.read_text(encoding="utf-8").replace("基层治理简报\n", '基层治理简报"\n', 1),
                    encoding="utf-8")
    prep = prepare(spec)  # not strict: the character is replaced and reported
    assert any("U+0007" in str(p) for p in guard.input_warnings(prep))
    policy(Policy(strict=True))
    with pytest.raises(BriefError) as ei:
        prepare(spec)
    assert any("U+0007" in str(p) and p.severity == "error" for p in ei.value.problems)


def test_expand_output_allows_plain_placeholders_only() -> None:
    assert guard.expand_output("{slug}-{date}.{ext}", {"slug": "a", "date": "2024", "ext": "pdf"}) == "a-2024.pdf"
    for bad, message in [("{slug.x}.{ext}", "unknown placeholder"), ("{slug!r}", "not allowed"),
                         ("{slug:>99}", "not allowed"), ("{nope}", "unknown placeholder"), ("{", "Single")]:
        with pytest.raises(ValueError, match=message):
            guard.expand_output(bad, {"slug": "a", "ext": "pdf"})
