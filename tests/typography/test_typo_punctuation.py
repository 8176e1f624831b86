"""Punctuation normalisation end to end: half-width marks in Chinese text come out full-width
in both outputs, numbers/URLs/Latin phrases keep theirs, and ``briefgen check`` reports how
many marks changed and where (title, or the heading they follow)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pdfplumber
import yaml
from docx import Document

from briefgen.pipeline.render import build

PACK = {
    "pack": 1,
    "meta": {"id": "punct", "title": "标点测试", "publisher": "示例日报", "date": "2022-09-23"},
    "sections": [
        {"id": "a", "title": "总体情况(上半年)", "summary": "全县建成网格服务站120个,增长12.2%;"
         "详见https://www.gov.cn/a,b?x=1,其中\"重点\"项目3:2推进。",
         "body": ["使用Python, Java等语言编写,效率提升1,234.5万元(同比)。"]},
        {"id": "b", "title": "经验做法", "summary": "坚持党建引领!群众满意度持续提升?"},
    ],
}  # fmt: skip
BRIEF = {
    "title": "关于标点规范化的报告:测试",
    "unit": "示例县委办公室",
    "date": "2022-09-23",
    "theme": "gongwen",
    "sources": {"p": "punct-pack.yaml"},
    "blocks": [{"section": "*", "mode": "full"}],
}


def _write(folder: Path, theme: str = "gongwen") -> Path:
    (folder / "punct-pack.yaml").write_text(yaml.safe_dump(PACK, allow_unicode=True), "utf-8")
    spec = folder / f"punct-{theme}.yaml"
    spec.write_text(yaml.safe_dump({**BRIEF, "theme": theme}, allow_unicode=True), "utf-8")
    return spec


def test_outputs_are_normalised_and_numbers_urls_latin_kept(tmp_path: Path) -> None:
    res = build(_write(tmp_path), tmp_path)
    assert res.punctuation_changes == 13
    with pdfplumber.open(res.outputs["pdf"]) as pdf:
        pdf_text = "".join((p.extract_text() or "").replace("\n", "") for p in pdf.pages)
    docx_text = "".join(p.text for p in Document(str(res.outputs["docx"])).paragraphs)
    for text in (pdf_text.replace(" ", ""), docx_text.replace(" ", "")):
        for good in ("报告：测试", "总体情况（上半年）", "120个，增长12.2%；", "https://www.gov.cn/a,b?x=1，其中",
                     "“重点”项目3:2推进", "Python,Java等语言编写，效率", "1,234.5万元（同比）",
                     "坚持党建引领！", "持续提升？"):  # fmt: skip
            assert good in text, (good, text[:300])


def test_check_reports_counts_and_places(tmp_path: Path) -> None:
    spec = _write(tmp_path)
    out = subprocess.run([sys.executable, "-m", "briefgen", "check", str(spec)],
                         capture_output=True, text=True, timeout=300)  # fmt: skip
    assert out.returncode == 0, out.stderr
    assert "13 punctuation marks normalised" in out.stdout
    (line,) = [x for x in out.stderr.splitlines() if "punctuation:" in x]
    assert "13 half-width" in line
    assert "title ×1 (:→： in “规范化的报告:测试”)" in line  # the first change, in context
    assert "heading “总体情况(上半年)” ×2" in line
    assert "under “总体情况（上半年）” ×8 (,→，" in line
    assert "under “经验做法” ×2 (!→！" in line


def test_theme_option_turns_normalisation_off(tmp_path: Path) -> None:
    spec = _write(tmp_path)
    (tmp_path / "plain.yaml").write_text("extends: gongwen\nname: plain\npunctuation:\n"
                                         "  normalise: false\n", "utf-8")  # fmt: skip
    res = build(spec, tmp_path, write=False, overrides=["theme=plain.yaml"])
    assert res.punctuation_changes == 0
    assert not any(w.startswith("punctuation:") for w in res.warnings)
