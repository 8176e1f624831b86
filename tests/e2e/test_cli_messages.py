"""Malformed briefs, packs and themes give located messages in Chinese or English, with one machine code."""

from __future__ import annotations

import os
import re
import subprocess
import sys
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
figures:
  - id: output
    label: 产值
    value: 12.5
    unit: 亿元
    period: 2026年9月
    section: intro
    kind: amount
  - id: power
    label: 用电量
    value: 3
    unit: 亿千瓦时
    section: intro
"""

BRIEF = """\
title: 示例简报
unit: 示例单位
issue: 3
date: 2026-10-01
sources:
  p: pack-2025.yaml
blocks:
  - section: intro
    mode: full
"""

THEME = """\
extends: gongwen
name: mine
table_style: grid
"""


def project(tmp_path: Path, brief: str = BRIEF, pack: str = PACK, theme: str | None = None) -> Path:
    (tmp_path / "pack-2025.yaml").write_text(pack, encoding="utf-8")
    if theme is not None:
        (tmp_path / "mine.yaml").write_text(theme, encoding="utf-8")
    spec = tmp_path / "brief.yaml"
    spec.write_text(brief, encoding="utf-8")
    return spec


def check(spec: Path, lang: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
          *extra: str) -> tuple[int, str]:
    """``briefgen check`` in this process, language chosen by LANG as a user's shell would."""
    monkeypatch.chdir(spec.parent)
    monkeypatch.delenv("BRIEFGEN_LANG", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "zh_CN.UTF-8" if lang == "zh" else "C.UTF-8")
    try:
        code = cli.main(["check", "--no-isolate", spec.name, *extra])
    finally:
        i18n.set_language(None, export=False)
    return code, capsys.readouterr().err


LINE = re.compile(r"^(?P<file>[^:\s]+):(?P<line>\d+):(?P<col>\d+): .* \[(?P<code>[EW]-[A-Z0-9-]+)\]$", re.M)


def located(err: str) -> list[tuple[str, int, int, str]]:
    return [(m["file"], int(m["line"]), int(m["col"]), m["code"]) for m in LINE.finditer(err)]


CJK = re.compile(r"[\u4e00-\u9fff]")

# name → (brief, pack, theme, expected (file, line, col, code), Chinese words, English words)
CASES = {
    "fullwidth colon in spec": (
        BRIEF.replace("unit: 示例单位", "unit：示例单位"), PACK, None,
        ("brief.yaml", 2, 5, "E-YAML-FULLWIDTH-COLON"), "把第2行第5列的全角冒号“：”改成半角“:”",
        "replace the full-width colon “：” at line 2, column 5"),
    "fullwidth colon in pack": (
        BRIEF, PACK.replace("    unit: 亿元", "    unit：亿元"), None,
        ("pack-2025.yaml", 14, 9, "E-YAML-FULLWIDTH-COLON"), "全角冒号", "full-width colon"),
    "fullwidth colon under closing": (
        BRIEF + "closing:\n  bao：市委办公室\n", PACK, None,
        ("brief.yaml", 11, 6, "E-YAML-FULLWIDTH-COLON"), "把第11行第6列", "line 11, column 6"),
    "ideographic space in indentation": (
        BRIEF.replace("    mode: full", "\u3000  mode: full"), PACK, None,
        ("brief.yaml", 9, 1, "E-YAML-FULLWIDTH-SPACE"), "全角空格", "full-width space"),
    "fullwidth dash list in keywords": (
        BRIEF + "keywords:\n  － 改革\n  － 发展\n", PACK, None,
        ("brief.yaml", 11, 3, "E-YAML-FULLWIDTH-DASH"), "改成半角“-”", "half-width “-”"),
    "em dash list in blocks": (
        BRIEF.replace("  - section: intro\n    mode: full", "  — section: intro"), PACK, None,
        ("brief.yaml", 8, 3, "E-YAML-FULLWIDTH-DASH"), "列表项", "list marker"),
    "curly quotes around text with colon": (
        BRIEF.replace("title: 示例简报", "title: “关于: 示例”"), PACK, None,
        ("brief.yaml", 1, 8, "E-YAML-CURLY-QUOTES"), "中文引号", "Chinese quotation mark"),
    "bom in the middle": (
        BRIEF.replace("date:", "\ufeffdate:"), PACK, None,
        ("brief.yaml", 4, 1, "E-YAML-BOM"), "字节顺序标记", "byte order mark"),
    "fullwidth digits": (
        BRIEF + "closing:\n  copies: ５０\n", PACK, None,
        ("brief.yaml", 11, 11, "E-FULLWIDTH-DIGIT"), "全角数字", "full-width digits"),
    "pack path typo": (
        BRIEF.replace("pack-2025.yaml", "pack-2024.yaml"), PACK, None,
        ("brief.yaml", 6, 6, "E-FILE-NOT-FOUND"), "是否应为 pack-2025.yaml", "did you mean pack-2025.yaml"),
    "theme path typo": (
        BRIEF + "theme: mime.yaml\n", PACK, THEME,
        ("brief.yaml", 10, 8, "E-FILE-NOT-FOUND"), "是否应为 mine.yaml", "did you mean mine.yaml"),
    "unknown key": (
        BRIEF.replace("title:", "titel:"), PACK, None,
        ("brief.yaml", 1, 1, "E-UNKNOWN-KEY"), "未知的键", "unknown key"),
    "kind typo in pack": (
        BRIEF, PACK.replace("kind: amount", "kind: rtae"), None,
        ("pack-2025.yaml", 17, 11, "E-BAD-CHOICE"), "是否应为 rate", "did you mean rate"),
    "mode typo": (
        BRIEF.replace("mode: full", "mode: ful"), PACK, None,
        ("brief.yaml", 9, 11, "E-BAD-CHOICE"), "应为以下之一", "expected one of"),
    "table style typo in theme": (
        BRIEF + "theme: mine.yaml\n", PACK, THEME.replace("grid", "gird"),
        ("mine.yaml", 3, 14, "E-BAD-CHOICE"), "是否应为 grid", "did you mean grid"),
    "data file typo": (
        BRIEF, PACK + "data:\n  files: [month1y.csv]\n  indicators:\n    - {id: gdp, label: 生产总值}\n", None,
        ("pack-2025.yaml", 24, 11, "E-FILE-NOT-FOUND"), "是否应为 monthly.csv", "did you mean monthly.csv"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_mistake_is_named_in_both_languages_with_one_code(
        name: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    brief, pack, theme, want, zh_words, en_words = CASES[name]
    spec = project(tmp_path, brief, pack, theme)
    (tmp_path / "monthly.csv").write_text("period,indicator,value,unit\n", encoding="utf-8")
    found = {}
    for lang in ("zh", "en"):
        code, err = check(spec, lang, monkeypatch, capsys)
        assert code == 3, err
        assert "Traceback" not in err
        assert want in located(err), err
        assert (zh_words if lang == "zh" else en_words) in err, err
        line = next(ln for ln in err.splitlines() if ln.endswith(f"[{want[3]}]") and f":{want[1]}:{want[2]}:" in ln)
        words = line.split(": ", 1)[1].rsplit(" [", 1)[0]
        for quoted in ("示例", "市委办公室", "改革", "产值", "关于"):
            words = words.replace(quoted, "")
        assert bool(CJK.search(words)) == (lang == "zh"), line
        found[lang] = [c for *_, c in located(err)]
    assert found["zh"] == found["en"]


def test_five_mistakes_in_spec_pack_and_theme_in_one_run_sorted(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    brief = BRIEF.replace("title:", "titel:").replace("date: 2026-10-01", "date: 2026-13-01") + "theme: mine.yaml\n"
    pack = PACK.replace("kind: amount", "kind: rtae").replace("id: power", "id: output")
    spec = project(tmp_path, brief, pack, THEME.replace("grid", "gird"))
    code, err = check(spec, "en", monkeypatch, capsys)
    assert code == 3
    got = located(err)
    assert [(f, line, c) for f, line, _col, c in got] == [
        ("brief.yaml", 1, "E-UNKNOWN-KEY"),
        ("brief.yaml", 4, "E-TYPE"),
        ("pack-2025.yaml", 17, "E-BAD-CHOICE"),
        ("pack-2025.yaml", 18, "E-DUPLICATE-ID"),
        ("mine.yaml", 3, "E-BAD-CHOICE"),
    ], err
    assert str(tmp_path) not in err  # paths relative to the current folder
    assert "required field" not in err  # title: only the typo titel stands for it


def test_coercible_values_in_text_fields_are_warnings(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    brief = BRIEF.replace("issue: 3", "issue: 010") + "closing:\n  fa: no\n  copies: 010\n"
    spec = project(tmp_path, brief)
    code, err = check(spec, "zh", monkeypatch, capsys)
    assert code == 0, err
    assert re.search(r"brief\.yaml:3:8: issue: .*YAML 1\.1.*\[W-YAML11-NUMBER\]", err), err
    assert re.search(r"brief\.yaml:11:7: closing\.fa: .*真/假.*\[W-YAML11-BOOL\]", err), err
    assert "closing.copies" not in err  # a number field: 010 is the number 10, as meant
    flags = BRIEF.replace("blocks:\n", "blocks:\n  - toc: true\n  - page_break: yes\n")
    code, err = check(project(tmp_path, flags), "en", monkeypatch, capsys)
    assert code == 0 and "W-YAML11" not in err, err  # flags are booleans: nothing to warn about
    code, err = check(spec, "en", monkeypatch, capsys, "--strict")
    assert code == 0, err  # hints, not refused characters: --strict leaves them warnings


def test_help_follows_the_language(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    for env, lang_arg, word in (("zh_CN.UTF-8", [], "用法："), ("C.UTF-8", [], "usage: "),
                                ("C.UTF-8", ["--lang", "zh"], "用法："), ("zh_CN.UTF-8", ["--lang", "en"], "usage:")):
        monkeypatch.setenv("LANG", env)
        monkeypatch.delenv("LC_ALL", raising=False)
        monkeypatch.delenv("BRIEFGEN_LANG", raising=False)
        for argv in ([*lang_arg, "--help"], [*lang_arg, "build", "--help"], ["build", "--help", *lang_arg]):
            try:
                assert cli.main(argv) == 0
            finally:
                i18n.set_language(None, export=False)
            out = capsys.readouterr().out
            assert out.startswith(word), (argv, out[:80])
            if word == "用法：" and "build" in argv:
                assert "输出文件夹" in out and "安全与限制" in out


@pytest.mark.slow  # a CLI process per command
@pytest.mark.parametrize("command", [["schema"], ["fonts"], ["list", "pack-2025.yaml"], ["themes"]])
def test_closed_pipe_ends_quietly(command: list[str], tmp_path: Path) -> None:
    project(tmp_path)
    big = tmp_path / "pack-2025.yaml"
    big.write_text(PACK + "".join(f"  - {{id: f{i}, label: 数据{i}, value: {i}, section: intro}}\n"
                                  for i in range(3000)), encoding="utf-8")
    script = f"{sys.executable} -m briefgen {' '.join(command)} | head -1"
    r = subprocess.run(["bash", "-c", f"set -o pipefail; {script}"], cwd=tmp_path, capture_output=True,
                       text=True, env={**os.environ, "PYTHONPATH": str(Path(cli.__file__).parents[1])},
                       timeout=120)
    assert r.returncode in (0, 141), r
    assert r.stderr == "", r.stderr
    assert len(r.stdout.splitlines()) == 1


def test_quiet_check_prints_only_problems_with_the_users_files(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    spec = project(tmp_path)
    code, err = check(spec, "en", monkeypatch, capsys, "-q")
    assert code == 0 and err == ""
    spec.write_text(BRIEF.replace("mode: full", "mode: ful"), encoding="utf-8")
    code, err = check(spec, "en", monkeypatch, capsys, "-q")
    assert code == 3
    assert err.splitlines() == [
        "brief.yaml:9:11: blocks[0].mode: expected one of 'summary', 'full' or 'title', got 'ful' "
        "(did you mean full?) [E-BAD-CHOICE]"]


def test_folded_chinese_builds_without_stray_spaces(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    from docx import Document  # reason: the built file is read back as Word would

    pack = PACK.replace("    summary: 示例摘要。\n", "    summary: >-\n      坚持以人民为中心，围绕主线，\n"
                        "      推动垃圾分类 and keep the\n      Latin words。\n")
    brief = BRIEF.replace("    mode: full\n", "    mode: full\n  - text: 本月工作\n      稳步推进，\n      成效明显。\n")
    spec = project(tmp_path, brief, pack)
    monkeypatch.chdir(tmp_path)
    code = cli.main(["build", "--no-isolate", "-j", "1", "-f", "docx", "-q", "-o", "out", spec.name])
    assert code == 0, capsys.readouterr().err
    text = "\n".join(p.text for p in Document(str(tmp_path / "out" / "brief.docx")).paragraphs)
    assert "围绕主线，推动垃圾分类 and keep the Latin words。" in text
    assert "本月工作稳步推进，成效明显。" in text
