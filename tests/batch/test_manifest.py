"""The manifest: what counts as an input, when a brief is stale, and a damaged manifest."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from batchkit import EXAMPLES, make_project, run, run_json

from briefgen.batch.manifest import MANIFEST_NAME, Manifest, static_inputs, theme_files
from briefgen.pipeline.prepare import prepare

pytestmark = pytest.mark.slow  # builds briefs in subprocesses: not in the fast tier


def _user_theme(project: Path) -> Path:
    base = project / "themes" / "base.yaml"
    base.parent.mkdir()
    base.write_text("extends: jianbao\ndescription: 单位底版\n", encoding="utf-8")
    child = project / "themes" / "child.yaml"
    child.write_text("extends: base.yaml\ndescription: 本期\n", encoding="utf-8")
    return child


def test_inputs_cover_spec_packs_theme_chain_and_templates(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    child = _user_theme(project)
    spec = project / "briefs" / "wujiang-pillars-jianbao.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("theme: jianbao", "theme: ../themes/child.yaml"),
                    encoding="utf-8")
    chain = theme_files("../themes/child.yaml", spec.parent)
    assert [p.name for p in chain] == ["child.yaml", "base.yaml", "jianbao.yaml", "gongwen.yaml"]
    inputs = static_inputs(prepare(spec))
    by_kind: dict[str, set[str]] = {}
    for path, rec in inputs.items():
        by_kind.setdefault(rec["kind"], set()).add(Path(path).name)
    assert by_kind["spec"] == {spec.name}
    assert by_kind["source"] == {"wujiang-2022-09-23.yaml"}
    assert by_kind["theme"] == {"child.yaml", "base.yaml", "jianbao.yaml", "gongwen.yaml"}
    assert {"lesson.xml.j2", "pillar.xml.j2", "section.xml.j2"} <= by_kind["template"]
    assert str(child.resolve()) in inputs


def test_theme_parent_and_new_template_make_a_brief_stale(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    _user_theme(project)
    spec = project / "briefs" / "wujiang-pillars-jianbao.yaml"
    spec.write_text(spec.read_text(encoding="utf-8").replace("theme: jianbao", "theme: ../themes/child.yaml"),
                    encoding="utf-8")
    args = ("build", "briefs/wujiang-pillars-jianbao.yaml", "-o", "out", "-f", "docx")
    assert run_json(*args, cwd=project)[1]["built"] == 1
    assert run_json(*args, cwd=project)[1]["skipped"] == 1
    base = project / "themes" / "base.yaml"
    base.write_text(base.read_text(encoding="utf-8") + "# 改\n", encoding="utf-8")
    r, s = run_json(*args, cwd=project)
    assert s["built"] == 1 and s["briefs"][0]["reason"].endswith("base.yaml")
    (project / "templates" / "extra.xml.j2").write_text("<p>x</p>\n", encoding="utf-8")
    r, s = run_json(*args, cwd=project)
    assert s["built"] == 1 and s["briefs"][0]["reason"].endswith("extra.xml.j2")
    # an override is part of the key: a new key is "not built before", the old entry stays
    r, s = run_json(*args, "--set", "issue=4", cwd=project)
    assert s["built"] == 1 and s["briefs"][0]["reason"] == "not built before"
    manifest = json.loads((project / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert len(manifest["briefs"]) == 2
    assert any(k.endswith(" --set issue=4") for k in manifest["briefs"])


def test_damaged_manifest_means_rebuild_not_crash(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    args = ("build", "briefs", "-o", "out", "-f", "docx", "-j", "1")
    assert run(*args, cwd=project).returncode == 0
    (project / "out" / MANIFEST_NAME).write_text("{not json", encoding="utf-8")
    r, s = run_json(*args, cwd=project)
    assert r.returncode == 0 and s["built"] == len(EXAMPLES)
    assert "damaged" in r.stderr and "WARNING" in r.stderr
    json.loads((project / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))


def test_manifest_save_is_atomic_and_sorted(tmp_path: Path) -> None:
    m = Manifest(tmp_path)
    m.put("b", {"x": 1})
    m.put("a", {"x": 2})
    m.save()
    data = json.loads((tmp_path / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert list(data["briefs"]) == ["a", "b"]
    assert [p.name for p in tmp_path.iterdir()] == [MANIFEST_NAME]
    again = Manifest.load(tmp_path)
    assert again.get("a") == {"x": 2} and not again.problem


def test_data_files_a_pack_reads_are_inputs(tmp_path: Path) -> None:
    from types import SimpleNamespace

    spec = tmp_path / "b.yaml"
    pack = tmp_path / "p.yaml"
    data = tmp_path / "monthly.csv"
    for f in (spec, pack, data):
        f.write_text(f.name, encoding="utf-8")
    prep = SimpleNamespace(
        spec_path=spec, base=tmp_path, brief=SimpleNamespace(theme="gongwen"),
        packs={"p": SimpleNamespace(path=pack, data_files={data: "ab" * 32})},
        templates=SimpleNamespace(folders=[]),
    )
    inputs = static_inputs(prep)  # type: ignore[arg-type]
    rec = inputs[str(data.resolve())]
    assert rec["kind"] == "data" and rec["sha256"] == "ab" * 32  # the hash taken when it was read


def test_taking_over_another_specs_output_is_a_warning(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    first = project / "briefs" / "wujiang-pillars-jianbao.yaml"
    second = project / "briefs" / "copy.yaml"
    second.write_text(first.read_text(encoding="utf-8") + "\nslug: wujiang-pillars-jianbao\n",
                      encoding="utf-8")
    assert run("build", str(first.relative_to(project)), "-o", "out", "-f", "docx", cwd=project).returncode == 0
    r = run("build", "briefs/copy.yaml", "-o", "out", "-f", "docx", cwd=project)
    assert r.returncode == 0
    assert "was last written by" in r.stderr and "WARNING" in r.stderr
