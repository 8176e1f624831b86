"""Packs from `briefgen ingest` are ready to use: an ingested seed pack selected with
``section: lessons.*`` prints the lessons' text with no hand edit and passes ``check --strict``;
a section that would print only its heading is a finding; every evaluation text's pack passes."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
import yaml

from briefgen.cli import main
from briefgen.ingest import ingest_files, render
from briefgen.ingest.evaluate import load_manifest

REPO = Path(__file__).resolve().parents[2]
SEED = REPO.parent / "shared" / "seed" / "wujiang-2022-09-23.txt"
EVAL = REPO / "eval" / "ingest"

BRIEF = """title: 吴江区“融入式党建”经验启示
name: 学习材料
unit: 示例单位
date: 2022-10-10
theme: handout
sources:
  wj: {pack}
blocks:
  - section: lead
  - heading: 五条经验启示
  - section: lessons.*
    level: 2
  - table: figures
    heading: 主要数据
    columns: [label, value, unit, change, period, scope]
"""


def _docx_text(folder: Path) -> str:
    path = next(folder.rglob("*.docx"))
    return "\n".join(p.text for p in docx.Document(str(path)).paragraphs)


@pytest.mark.slow
def test_ingested_seed_prints_the_lessons(tmp_path: Path) -> None:
    if not SEED.is_file():
        pytest.skip("shared seed article not present")
    pack_path = tmp_path / "seed.yaml"
    pack_path.write_text(render(ingest_files([SEED])), encoding="utf-8")
    pack = yaml.safe_load(pack_path.read_text(encoding="utf-8"))
    lessons = next(s for s in pack["sections"] if s["id"] == "lessons")["children"]
    assert len(lessons) == 5 and all(s["summary"] for s in lessons)
    brief = tmp_path / "brief.yaml"
    brief.write_text(BRIEF.format(pack="seed.yaml"), encoding="utf-8")
    assert main(["check", "--strict", str(brief)]) == 0
    out = tmp_path / "out"
    assert main(["build", str(brief), "-o", str(out), "-f", "docx", "--no-isolate"]) == 0
    text = _docx_text(out)
    for s in lessons:
        assert s["title"] in text
        assert s["summary"].removesuffix("……")[:20] in text  # the lesson's own text, not only its heading


def test_a_section_without_summary_is_a_finding(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = EVAL / "dev" / "d1-jiyuan-1-8.txt"
    pack = ingest_files([src]).pack
    for sec in pack["sections"]:
        sec.pop("summary", None)
    from briefgen.ingest.writer import dump_pack

    (tmp_path / "p.yaml").write_text(dump_pack(pack), encoding="utf-8")
    first = pack["sections"][1]["id"]
    (tmp_path / "b.yaml").write_text(
        f"title: 测试\nsources:\n  p: p.yaml\nblocks:\n  - section: {first}\n", encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path / "b.yaml")]) != 0
    err = capsys.readouterr().err
    assert f"section '{first}' has no summary: only its heading would print" in err
    assert "b.yaml:5:" in err  # located at the block that selects it


@pytest.mark.slow
@pytest.mark.parametrize("entry", [e for e in load_manifest(EVAL) if not e.get("optional")],
                         ids=lambda e: str(e["id"]))
def test_every_evaluation_pack_passes_check_strict(entry: dict[str, str], tmp_path: Path) -> None:
    res = ingest_files([EVAL / entry["file"]])
    (tmp_path / "p.yaml").write_text(render(res), encoding="utf-8")
    blocks = "".join(f"  - section: {s['id']}\n" for s in res.pack["sections"])
    if res.pack["figures"]:
        blocks += "  - table: figures\n    columns: [label, value, unit, change, period, scope]\n"
    (tmp_path / "b.yaml").write_text(f"title: 测试\nsources:\n  p: p.yaml\nblocks:\n{blocks}", encoding="utf-8")
    assert main(["check", "--strict", str(tmp_path / "b.yaml")]) == 0
