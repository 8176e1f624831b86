"""Unit tests of pipeline.render: output names, timestamps, format checks, glyph checks, one build."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

import docx
import pytest
from pipekit import mini_spec

from briefgen.errors import BriefError
from briefgen.inputs import limits
from briefgen.pipeline.prepare import prepare
from briefgen.pipeline.render import (
    build,
    build_timestamp,
    compose,
    output_paths,
    render,
    slug_of,
    validate_formats,
)


def test_output_paths_expand_the_pattern_per_format(tmp_path: Path) -> None:
    prep = prepare(mini_spec(tmp_path, "output: '{date}/{slug}.{ext}'\n"))
    out = output_paths(prep, ["docx", "pdf"], tmp_path / "out")
    assert out == {"docx": (tmp_path / "out").resolve() / "2024-05-10" / "brief.docx",
                   "pdf": (tmp_path / "out").resolve() / "2024-05-10" / "brief.pdf"}
    assert slug_of(prep) == "brief"


@pytest.mark.parametrize(("pattern", "message"), [
    ("../{slug}.{ext}", "must not contain . or .. parts"),
    ("/abs/{slug}.{ext}", "must be a relative path"),
    ("CON.{ext}", "reserved file name on Windows"),
    ("a?b.{ext}", "characters not allowed"),
    ("{slug}.txt", "must end with .docx"),
    ("{slug}.{nope}", "bad output pattern"),
])
def test_bad_output_names_are_located_at_output(tmp_path: Path, pattern: str, message: str) -> None:
    prep = prepare(mini_spec(tmp_path, f"output: '{pattern}'\n"))
    with pytest.raises(BriefError) as ei:
        output_paths(prep, ["docx"], tmp_path / "out")
    (p,) = ei.value.problems
    assert message in p.message and p.path == "output" and p.line == 19


def test_build_timestamp_is_the_brief_date_or_source_date_epoch(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    prep = prepare(mini_spec(tmp_path))
    assert build_timestamp(prep.brief) == datetime(2024, 5, 10, tzinfo=UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "86400")
    undated = prep.brief.model_copy(update={"date": None})
    assert build_timestamp(undated) == datetime(1970, 1, 2, tzinfo=UTC)


def test_validate_formats() -> None:
    assert validate_formats(["docx", "pdf"]) == ["docx", "pdf"]
    with pytest.raises(BriefError) as ei:
        validate_formats(["dcox"])
    assert ei.value.exit_code == 2 and "did you mean docx" in str(ei.value.problems[0])


def test_compose_returns_the_tree_with_guard_warnings_first(tmp_path: Path) -> None:
    composed = compose(prepare(mini_spec(tmp_path)))
    assert composed.document.meta.title == "示例县基层治理简报"


def test_render_in_memory_then_build_writes_only_the_requested_format(tmp_path: Path) -> None:
    spec = mini_spec(tmp_path)
    r = render(spec, tmp_path / "out", ["docx"])
    assert list(r.data) == ["docx"]
    assert not r.targets["docx"].exists()  # render writes nothing
    text = "".join(p.text for p in docx.Document(io.BytesIO(r.data["docx"])).paragraphs)
    assert "示例县基层治理简报" in text and "坚持党建引领" in text
    res = build(spec, tmp_path / "out", ["docx"])
    assert res.outputs["docx"].read_bytes() == r.data["docx"]  # reproducible
    assert not (tmp_path / "out" / "brief.pdf").exists()


def test_missing_glyph_is_a_located_warning_and_a_strict_error(tmp_path: Path,
                                                               monkeypatch: pytest.MonkeyPatch) -> None:
    spec = mini_spec(tmp_path, replace=("title: 示例县", "title: \U0001fae8示例县"))
    r = render(spec, tmp_path / "out", ["pdf"])
    assert any("U+1FAE8" in w and "〓" in w for w in r.warnings)
    monkeypatch.setenv(limits.ENV_VAR, limits.Policy(strict=True).to_env())
    with pytest.raises(BriefError) as ei:
        render(spec, tmp_path / "out", ["pdf"])
    assert any("U+1FAE8" in p.message for p in ei.value.problems)
