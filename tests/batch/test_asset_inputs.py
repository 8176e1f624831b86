"""Pictures and Word templates are inputs of a brief: changing one makes the next build rebuild it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

import imagekit

BRIEF = """\
title: 资产测试
unit: 示例单位
date: 2024-05-10
sources:
  mp: pack.yaml
blocks:
  - image: photos/alpha.png
    caption: 图
"""
PACK = "pack: 1\nmeta:\n  id: p\n  title: 测试\nsections:\n  - id: a\n    title: 甲\n"


def _build(tmp: Path) -> str:
    r = subprocess.run([sys.executable, "-m", "briefgen", "build", "brief.yaml", "-o", "out", "-f", "docx"],
                       cwd=tmp, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stderr
    return r.stdout + r.stderr


@pytest.mark.slow  # builds a brief three times
def test_changing_a_picture_rebuilds(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp_path / "pack.yaml").write_text(PACK, encoding="utf-8")
    (tmp_path / "brief.yaml").write_text(BRIEF, encoding="utf-8")
    imagekit.make_all(tmp_path / "photos")
    assert "1 built" in _build(tmp_path)
    assert "1 skipped" in _build(tmp_path)
    Image.new("RGBA", (300, 200), (0, 0, 255, 255)).save(tmp_path / "photos" / "alpha.png")
    assert "1 built" in _build(tmp_path)
