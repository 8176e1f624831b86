"""`briefgen check` findings and compose errors in Chinese (LANG=zh_CN) and English (LANG=C), one machine code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from briefgen import cli, i18n

PACK = """\
pack: 1
meta:
  id: demo
  title: 示例素材
  publisher: 示例单位
sections:
  - id: intro
    title: 概况
    summary: 示例摘要。
  - id: empty
    title: 空章节
figures:
  - id: output
    label: 产值
    value: 12.5
    unit: 亿元
    period: 2026年9月
    section: intro
    source_line: 3
"""

BRIEF = """\
title: 示例简报
unit: 示例单位
date: 2026-10-01
sources:
  p: pack.yaml
blocks:
"""

# name → (blocks, extra brief lines, code, Chinese words, English words)
CASES = {
    "prose contradicts figure": ("  - text: 全区产值15亿元。\n", "", "W-PROSE-CONTRADICTS-FIGURE",
                                 "但产值的关键数据为 12.5亿元", "but the figure for 产值 is 12.5亿元"),
    "unit mismatch": ("  - text: 全区产值15万吨。\n", "", "W-UNIT-MISMATCH", "单位不符", "unit mismatch"),
    "stale figure": ("  - text: 产值{fig:output}。\n", "period: 2026-11\n", "W-STALE-FIGURE",
                     "数据过期", "stale figure"),
    "heading only": ("  - section: empty\n    mode: summary\n", "", "W-HEADING-ONLY",
                     "只会印出标题", "only its heading would print"),
    "unknown section": ("  - section: intr\n", "", "E-UNKNOWN-SECTION", "没有与 'intr' 匹配的章节",
                        "no section matches 'intr'"),
    "unknown figure format": ("  - text: 产值{fig:output|valeu}。\n", "", "E-FIGURE-FORMAT",
                              "未知的数据格式", "unknown figure format"),
}

LINE = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): .* \[(?P<code>[EW]-[A-Z0-9-]+)\]$", re.M)
CJK = re.compile(r"[\u4e00-\u9fff]")


def run_check(spec: Path, lang: str, monkeypatch: pytest.MonkeyPatch,
              capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    monkeypatch.chdir(spec.parent)
    for name in ("BRIEFGEN_LANG", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8" if lang == "zh" else "C.UTF-8")
    try:
        code = cli.main(["check", "--no-isolate", "--strict", spec.name])
    finally:
        i18n.set_language(None, export=False)
    return code, capsys.readouterr().err


@pytest.mark.parametrize("name", sorted(CASES))
def test_finding_in_both_languages_with_one_code(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    blocks, extra, want, zh_words, en_words = CASES[name]
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    spec = tmp_path / "brief.yaml"
    spec.write_text(BRIEF.replace("blocks:\n", extra + "blocks:\n") + blocks, encoding="utf-8")
    codes = {}
    for lang in ("zh", "en"):
        code, err = run_check(spec, lang, monkeypatch, capsys)
        assert code == 3, err
        assert "Traceback" not in err
        lines = [m for m in LINE.finditer(err) if m["code"] == want]
        assert lines, err
        assert lines[0]["file"] == "brief.yaml", err
        assert (zh_words if lang == "zh" else en_words) in err, err
        words = lines[0].group(0).split(": ", 1)[1].rsplit(" [", 1)[0]
        for quoted in ("产值", "全区", "万吨", "亿元", "示例", "空章节", "年", "月"):
            words = words.replace(quoted, "")
        assert bool(CJK.search(words)) == (lang == "zh"), lines[0].group(0)
        codes[lang] = [m["code"] for m in LINE.finditer(err)]
    assert codes["zh"] == codes["en"]
