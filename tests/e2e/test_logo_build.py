"""End to end: a logo from the brief or the theme sits at its position (mm from the page's top left) on the
masthead page and the cover, in the PDF (measured with pdfplumber) and the DOCX (a page-anchored picture)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn

import imagekit

#: Each test builds whole briefs (and opens some in LibreOffice): the full run, not the fast tier.
pytestmark = pytest.mark.slow

MM = 72 / 25.4
BRIEF = """\
title: 徽标测试
name: 党建工作简报
issue: 3
unit: 示例县委办公室
date: 2024-05-10
theme: {theme}
{logo}
sources:
  mp: pack.yaml
blocks:
  - text: 正文一段。
"""
LOGO = """\
logo:
  file: photos/alpha.png
  width_mm: 24
  x_mm: 30
  y_mm: 12
  alt: 单位徽标
"""
PACK = "pack: 1\nmeta:\n  id: p\n  title: 测试\nsections:\n  - id: a\n    title: 甲\n"


def _build(tmp: Path, theme: str, logo: str) -> Path:
    (tmp / "pyproject.toml").write_text("", encoding="utf-8")
    imagekit.make_all(tmp / "photos")
    (tmp / "pack.yaml").write_text(PACK, encoding="utf-8")
    (tmp / "brief.yaml").write_text(BRIEF.format(theme=theme, logo=logo), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "briefgen", "build", "brief.yaml", "-o", "out"], cwd=tmp,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    return tmp / "out"


def _check(out: Path, page_index: int, x: float, y: float, w: float) -> None:
    with pdfplumber.open(out / "brief.pdf") as pdf:
        ims = pdf.pages[page_index].images
        assert len(ims) == 1
        im = ims[0]
        assert im["x0"] == pytest.approx(x * MM, abs=0.3)
        assert im["top"] == pytest.approx(y * MM, abs=0.3)
        assert im["x1"] - im["x0"] == pytest.approx(w * MM, abs=0.3)
    doc = DocxDocument(str(out / "brief.docx"))
    anchors = doc.element.body.findall(".//" + qn("wp:anchor"))
    assert len(anchors) == 1
    a = anchors[0]
    h, v = a.find(qn("wp:positionH")), a.find(qn("wp:positionV"))
    assert h.get("relativeFrom") == "page" and v.get("relativeFrom") == "page"
    assert int(h.find(qn("wp:posOffset")).text) == round(x * 36000)
    assert int(v.find(qn("wp:posOffset")).text) == round(y * 36000)
    assert int(a.find(qn("wp:extent")).get("cx")) == round(w * 36000)


def test_brief_logo_on_the_masthead(tmp_path: Path) -> None:
    out = _build(tmp_path, "jianbao", LOGO)
    _check(out, 0, 30, 12, 24)
    doc = DocxDocument(str(out / "brief.docx"))
    assert doc.element.body.find(".//" + qn("wp:docPr")).get("descr") == "单位徽标"


def test_theme_logo_on_the_cover_relative_to_the_theme_file(tmp_path: Path) -> None:
    (tmp_path / "themes").mkdir()
    imagekit.alpha_png(tmp_path / "themes" / "emblem.png")
    (tmp_path / "themes" / "unit.yaml").write_text(
        "name: unit\nextends: handout\nlogo:\n  file: emblem.png\n  width_mm: 30\n  x_mm: 90\n  y_mm: 40\n"
        "  on: [cover]\n", encoding="utf-8")
    out = _build(tmp_path, "themes/unit.yaml", "")
    _check(out, 0, 90, 40, 30)
