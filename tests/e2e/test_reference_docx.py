"""The unit's own Word template (reference_docx): the DOCX keeps its header, page setup and style names
(python-docx reads them back), mapped styles take the template's look, the PDF uses its margins, check
reports unmapped styles, and a broken template or unknown style name is a located error."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as DocxDocument
from docx.shared import Pt

#: Each test builds whole briefs (and opens some in LibreOffice): the full run, not the fast tier.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
MM = 72 / 25.4
BRIEF = """\
title: 模板测试简报
unit: 示例县委办公室
date: 2024-05-10
theme: gongwen
reference_docx: templates/unit.docx
reference_styles:
  Normal: 本单位正文
sources:
  mp: pack.yaml
blocks:
  - heading: 总体情况
  - text: 示例县今年以来推进基层治理，成效明显，全县建成网格服务站一百余个，群众满意度持续提升。
"""
PACK = "pack: 1\nmeta:\n  id: p\n  title: 测试\nsections:\n  - id: a\n    title: 甲\n"


def _template(path: Path) -> Path:
    spec = importlib.util.spec_from_file_location("make_ref", REPO / "briefs" / "templates" / "make_reference_template.py")
    assert spec and spec.loader
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return Path(mod.make(path))


def _run(tmp: Path, brief: str, cmd: str = "build") -> subprocess.CompletedProcess[str]:
    (tmp / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp / "pack.yaml").write_text(PACK, encoding="utf-8")
    (tmp / "templates").mkdir(exist_ok=True)
    if not (tmp / "templates" / "unit.docx").exists():
        _template(tmp / "templates" / "unit.docx")
    (tmp / "brief.yaml").write_text(brief, encoding="utf-8")
    args = ["build", "brief.yaml", "-o", "out"] if cmd == "build" else ["check", "brief.yaml"]
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=tmp, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tmp = tmp_path_factory.mktemp("ref")
    res = _run(tmp, BRIEF)
    assert res.returncode == 0, res.stderr
    return tmp / "out"


def test_docx_keeps_header_page_setup_and_styles(built: Path) -> None:
    d = DocxDocument(str(built / "brief.docx"))
    for s in d.sections:
        assert [p.text for p in s.header.paragraphs] == ["示例县委办公室"]
        assert (round(s.top_margin.mm, 1), round(s.bottom_margin.mm, 1), round(s.left_margin.mm, 1),
                round(s.right_margin.mm, 1)) == (30.0, 28.0, 26.0, 24.0)
        assert round(s.page_width.mm) == 210 and round(s.page_height.mm) == 297
    names = {st.name for st in d.styles}
    assert {"本单位正文", "Heading 1", "Title", "Caption"} <= names
    assert str(d.styles["Heading 1"].font.color.rgb) == "800000"  # the template's heading
    assert d.styles["Normal"].font.size == Pt(15)  # mapped: 本单位正文
    normal = d.styles["Normal"].element
    fonts = normal.find(".//{http://schemas.openxmlformats.org/wordprocessingml/2006/main}rFonts")
    assert fonts is not None  # the template's east-Asian font, kept
    assert "仿宋" in (fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia") or "")


def test_pdf_uses_the_template_margins(built: Path) -> None:
    with pdfplumber.open(built / "brief.pdf") as pdf:
        p = pdf.pages[0]
        body = [c for c in p.chars if c["size"] == pytest.approx(16, abs=0.1) and c["top"] < p.height - 60]
        assert min(c["x0"] for c in body) == pytest.approx(26 * MM, abs=1.0)
        assert max(c["x1"] for c in body) <= (210 - 24) * MM + 1
        running = {"示例县委办公室", "内部资料\u3000注意保存"}
        text = [ln for ln in p.extract_text_lines() if ln["text"].replace(" ", "\u3000") not in running]
        assert min(ln["top"] for ln in text) >= 30 * MM - 1


def test_pdf_draws_the_template_letterhead_and_footer(built: Path) -> None:
    """The template's header (red 18 pt unit name over a red rule, 12 mm from the top) and footer line
    are drawn on every PDF page, outside the type area."""
    with pdfplumber.open(built / "brief.pdf") as pdf:
        for p in pdf.pages:
            lines = p.extract_text_lines()
            head = next(ln for ln in lines if ln["text"] == "示例县委办公室")
            assert head["top"] == pytest.approx(12 * MM, abs=2) and head["bottom"] < 30 * MM
            assert (head["x0"] + head["x1"]) / 2 == pytest.approx((26 * MM + (210 - 24) * MM) / 2, abs=1)
            red = [c for c in p.chars if c["text"] == "示" and c["top"] < 30 * MM][0]["non_stroking_color"]
            assert tuple(round(v, 2) for v in red) == (0.75, 0.0, 0.0)
            rule = next(r for r in p.lines if r["top"] < 30 * MM)
            assert rule["x1"] - rule["x0"] == pytest.approx((210 - 24 - 26) * MM, abs=1)
            assert rule["top"] > head["bottom"]
            foot = next(ln for ln in lines if ln["text"].replace(" ", "") in ("内部资料注意保存", "内部资料\u3000注意保存"))
            assert foot["bottom"] == pytest.approx(p.height - 12 * MM, abs=4)  # the line box ends 12 mm up


def test_docx_opens_in_libreoffice_with_the_letterhead(built: Path, tmp_path: Path) -> None:
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed")
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(built / "brief.docx")], capture_output=True, timeout=300, check=True)
    with pdfplumber.open(tmp_path / "brief.pdf") as pdf:
        text = re.sub(r"\s", "", pdf.pages[0].extract_text() or "")
    assert "示例县委办公室" in text and "内部资料" in text and "网格服务站" in text


def test_check_reports_unmapped_styles(tmp_path: Path) -> None:
    res = _run(tmp_path, BRIEF, "check")
    assert res.returncode == 0, res.stderr
    assert re.search(r"warning: docx: the reference template has no style for .*SourceNote", res.stderr)
    assert "margins 30/28/26/24 mm" in res.stderr


def test_broken_template_is_a_located_error(tmp_path: Path) -> None:
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "unit.docx").write_text("不是Word文件", encoding="utf-8")
    res = _run(tmp_path, BRIEF)
    assert res.returncode != 0 and "Traceback" not in res.stderr
    assert re.search(r"brief\.yaml:5:\d+: reference_docx: templates/unit\.docx: not a \.docx file", res.stderr)
    assert not (tmp_path / "out" / "brief.docx").exists()


def test_unknown_style_name_is_located_with_a_suggestion(tmp_path: Path) -> None:
    res = _run(tmp_path, BRIEF.replace("Normal: 本单位正文", "Normal: 本单位正"))
    assert res.returncode != 0
    assert re.search(r"brief\.yaml:7:\d+: reference_styles\.Normal: the template has no style named '本单位正'"
                     r" \(did you mean 本单位正文\?\)", res.stderr), res.stderr
