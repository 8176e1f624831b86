"""Unit tests of pipeline.prepare: a spec path into a Prepared brief, every missing input reported at once."""

from __future__ import annotations

from pathlib import Path

import pytest
from pipekit import mini_spec

from briefgen.errors import BriefError
from briefgen.inputs.filecache import FileCache
from briefgen.pipeline import prepare as prepare_mod
from briefgen.pipeline.prepare import load_pack_cached, prepare


def test_prepare_loads_spec_packs_theme_and_templates(tmp_path: Path) -> None:
    prep = prepare(mini_spec(tmp_path), ["title=覆盖标题"])
    assert prep.brief.title == "覆盖标题"
    assert set(prep.packs) == {"mp"}
    assert prep.packs["mp"].pack.meta.id == "mini-pack"
    assert prep.theme.name == "gongwen"
    assert prep.base == tmp_path


def test_all_missing_inputs_are_reported_together(tmp_path: Path) -> None:
    spec = mini_spec(tmp_path, "templates: [no-such-folder]\n",
                     replace=("  mp: mini-pack.yaml", "  mp: gone.yaml"))
    with pytest.raises(BriefError) as ei:
        prepare(spec)
    msgs = [str(p) for p in ei.value.problems]
    assert any("source pack not found: gone.yaml" in m and "sources.mp" in m for m in msgs)
    assert any("template folder not found: no-such-folder" in m for m in msgs)


def test_spec_must_be_a_mapping(tmp_path: Path) -> None:
    spec = tmp_path / "b.yaml"
    spec.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(BriefError, match="must be a mapping"):
        prepare(spec)


def test_unknown_theme_is_located_at_the_theme_key(tmp_path: Path) -> None:
    spec = mini_spec(tmp_path, replace=("theme: gongwen", "theme: gongwne"))
    with pytest.raises(BriefError) as ei:
        prepare(spec)
    (p,) = ei.value.problems
    assert p.path == "theme" and p.file == str(spec) and p.line == 4


def test_pack_cache_follows_content(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(prepare_mod, "_PACKS", FileCache())
    mini_spec(tmp_path)
    pack = tmp_path / "mini-pack.yaml"
    a = load_pack_cached(pack)
    assert load_pack_cached(pack) is a
    pack.write_text(pack.read_text(encoding="utf-8").replace("示例县基层治理工作报道", "改过的标题"),
                    encoding="utf-8")
    b = load_pack_cached(pack)
    assert b is not a and b.pack.meta.title == "改过的标题"
