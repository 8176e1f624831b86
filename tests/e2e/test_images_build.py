"""End to end: a brief with photos (EXIF-rotated, CMYK, alpha, SVG, low-res) and pack photos builds to
DOCX pictures with alt text and a PDF that embeds each picture once, inside the type area; bad images
stop the build with a located error and nothing written."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn

import imagekit

#: Each test builds whole briefs (and opens some in LibreOffice): the full run, not the fast tier.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]

MM = 72 / 25.4
# gongwen type area: left 28 mm, right 210-26 mm, top 37 mm, bottom 297-35 mm (1 pt slack)
AREA = (28 * MM - 1, 37 * MM - 1, (210 - 26) * MM + 1, (297 - 35) * MM + 1)

BRIEF = """\
title: 图片测试简报
unit: 示例县委办公室
date: 2024-05-10
theme: gongwen
sources:
  mp: pack.yaml
blocks:
  - text: 开篇正文一段。
  - image: photos/rotated.jpg
    width: 60mm
    caption: 图为调研现场
    credit: 摄影：示例
    alt: 调研现场照片
  - image: photos/alpha.png
    width: 50%
    caption: 透明背景图
  - image: photos/drawing.svg
    caption: 矢量示意图
  - image: photos/cmyk.jpg
    width: 0.4
    caption: CMYK照片
  - section: overview
    mode: full
  - image: photos/rotated.jpg
    width: 40
    caption: 同一照片再用一次
  - image: photos/lowres.png
    width: 100mm
"""

PACK = """\
pack: 1
meta:
  id: pics
  title: 测试材料
sections:
  - id: overview
    title: 总体情况
    summary: 全县建成网格服务站。
    images:
      - file: photos/alpha.png
        caption: 服务站外景
        credit: 图片来源：示例
        width: 70
"""


def _run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=600)


def _project(tmp: Path, brief: str = BRIEF) -> Path:
    (tmp / "pyproject.toml").write_text("", encoding="utf-8")
    imagekit.make_all(tmp / "photos")
    (tmp / "pack.yaml").write_text(PACK, encoding="utf-8")
    (tmp / "brief.yaml").write_text(brief, encoding="utf-8")
    return tmp / "brief.yaml"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    tmp = tmp_path_factory.mktemp("pics")
    _project(tmp)
    res = _run("build", "brief.yaml", "-o", "out", cwd=tmp)
    assert res.returncode == 0, res.stderr
    return tmp / "out", res


def test_docx_has_pictures_with_alt_text_stored_once(built: tuple[Path, object]) -> None:
    out, _ = built
    doc = DocxDocument(str(out / "brief.docx"))
    props = doc.element.body.findall(".//" + qn("wp:docPr"))
    descr = [p.get("descr") for p in props]
    assert descr == ["调研现场照片", "透明背景图", "矢量示意图", "CMYK照片", "服务站外景", "同一照片再用一次",
                     ""]
    assert len({p.get("id") for p in props}) == len(props)  # drawing ids are unique
    with zipfile.ZipFile(out / "brief.docx") as z:
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert len(media) == 5  # rotated.jpg used twice, alpha.png twice: one part each
    widths = [int(e.get("cx")) for e in doc.element.body.findall(".//" + qn("wp:extent"))]
    assert widths[0] == 60 * 36000 and max(widths) <= 156 * 36000
    texts = [p.text for p in doc.paragraphs]
    assert "图为调研现场" in texts and "摄影：示例" in texts and "图片来源：示例" in texts


def test_docx_pictures_survive_libreoffice(built: tuple[Path, object], tmp_path: Path) -> None:
    if not shutil.which("soffice"):
        pytest.skip("LibreOffice not installed")
    out, _ = built
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path),
                    str(out / "brief.docx")], capture_output=True, timeout=300, check=True)
    with pdfplumber.open(tmp_path / "brief.pdf") as pdf:
        n = sum(len(p.images) for p in pdf.pages)
    assert n >= 6  # the SVG comes as its PNG raster in the DOCX


def test_pdf_embeds_each_picture_once(built: tuple[Path, object]) -> None:
    if not shutil.which("pdfimages"):
        pytest.skip("poppler-utils not installed")
    out, _ = built
    listing = subprocess.run(["pdfimages", "-list", str(out / "brief.pdf")], capture_output=True, text=True,
                             check=True).stdout.splitlines()[2:]
    rows = [r.split() for r in listing]
    images = [r for r in rows if r[2] == "image"]
    objects = {(r[3], r[4], r[10]) for r in images}  # width, height, object id
    assert len(images) == 6  # rotated ×2, alpha ×2, cmyk, lowres (the SVG is drawn as vectors)
    assert len(objects) == 4
    assert ("400", "600", next(r[10] for r in images if r[3] == "400" and r[4] == "600")) in objects
    assert sum(1 for r in images if (r[3], r[4]) == ("400", "600")) == 2  # upright: 400 wide, 600 high
    assert any(r[2] == "smask" for r in rows)  # the PNG's alpha


def test_pdf_pictures_inside_type_area_with_their_captions(built: tuple[Path, object]) -> None:
    out, _ = built
    x0, top, x1, bottom = AREA
    seen = 0
    with pdfplumber.open(out / "brief.pdf") as pdf:
        for page in pdf.pages:
            text = page.extract_text() or ""
            for im in page.images:
                seen += 1
                assert im["x0"] >= x0 and im["x1"] <= x1 and im["top"] >= top and im["bottom"] <= bottom
            for cap in ("图为调研现场", "透明背景图", "CMYK照片", "同一照片再用一次", "服务站外景"):
                if cap in re.sub(r"\s", "", text):
                    assert page.images, f"caption {cap} without its picture on page {page.page_number}"
            for r in page.rects + page.curves:  # the SVG's vector shapes
                assert r["x0"] >= x0 and r["x1"] <= x1
    assert seen == 6


def test_low_resolution_warning_is_located(built: tuple[Path, subprocess.CompletedProcess[str]]) -> None:
    _, res = built
    assert re.search(r"brief\.yaml:\d+:\d+: image photos/lowres\.png prints at 30 dpi", res.stderr)


@pytest.mark.parametrize("kind, make, message", [
    ("missing", None, "image file not found"),
    ("truncated", imagekit.truncated_jpeg, "damaged or truncated"),
    ("text", imagekit.not_an_image, "not an image file"),
    ("bomb", imagekit.bomb_png, "decompression bomb|image_pixels"),
])
def test_bad_image_is_located_and_nothing_is_written(tmp_path: Path, kind: str, make: object,
                                                      message: str) -> None:
    spec = _project(tmp_path, BRIEF.replace("photos/cmyk.jpg", f"photos/bad-{kind}.jpg"))
    if callable(make):
        make(tmp_path / "photos" / f"bad-{kind}.jpg")
    res = _run("build", spec.name, "-o", "out", cwd=tmp_path)
    assert res.returncode != 0
    assert "Traceback" not in res.stderr
    assert re.search(rf"brief\.yaml:19:\d+: blocks\[4\]\.image: photos/bad-{kind}\.jpg: .*({message})",
                     res.stderr), res.stderr
    assert not list((tmp_path / "out").glob("brief.*"))


def test_image_outside_the_roots_is_refused(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    proj.mkdir()
    outside = tmp_path / "elsewhere.png"
    imagekit.alpha_png(outside)
    spec = _project(proj, BRIEF.replace("photos/cmyk.jpg", "../elsewhere.png"))
    res = _run("build", spec.name, "-o", "out", cwd=proj)
    assert res.returncode != 0
    assert re.search(r"brief\.yaml:19:\d+: blocks\[4\]\.image: \.\./elsewhere\.png: image .* is outside the "
                     r"allowed folders", res.stderr), res.stderr
    assert not list((proj / "out").glob("brief.*"))


def test_pack_image_errors_point_into_the_pack(tmp_path: Path) -> None:
    spec = _project(tmp_path)
    (tmp_path / "pack.yaml").write_text(PACK.replace("photos/alpha.png", "photos/nope.png"), encoding="utf-8")
    res = _run("build", spec.name, "-o", "out", cwd=tmp_path)
    assert res.returncode != 0
    assert re.search(r"pack\.yaml:10:\d+: sections\[0\]\.images\[0\]\.file: photos/nope\.png: image file not "
                     r"found", res.stderr), res.stderr
