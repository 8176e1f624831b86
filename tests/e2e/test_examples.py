"""End to end: every bundled brief builds to DOCX and PDF that real readers accept."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from docx import Document as DocxDocument
from docx.oxml.ns import qn

pytestmark = pytest.mark.slow  # builds briefs in subprocesses: not in the fast tier

REPO = Path(__file__).resolve().parents[2]
BRIEFS = sorted((REPO / "briefs").glob("*.yaml"))


def _run(*args: str, cwd: Path = REPO) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=600)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("out")
    res = _run("build", "briefs", "-o", str(out))
    assert res.returncode == 0, res.stderr
    assert "Traceback" not in res.stderr
    return out


def _pdf_text(pdf: Path) -> str:
    if shutil.which("pdftotext"):
        return subprocess.run(["pdftotext", "-raw", str(pdf), "-"], capture_output=True, text=True,
                              check=True).stdout
    from pypdf import PdfReader

    return "\n".join(p.extract_text() or "" for p in PdfReader(str(pdf)).pages)


def _output(built: Path, brief: Path, ext: str) -> Path:
    """The brief's output file (a name pattern may add e.g. the period: monthly-report-2026-10.pdf)."""
    found = sorted(built.glob(f"{brief.stem}*.{ext}"))
    return found[0] if found else built / f"{brief.stem}.{ext}"


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.parametrize("brief", BRIEFS, ids=[b.stem for b in BRIEFS])
def test_pdf_is_valid_embedded_and_extractable(built: Path, brief: Path) -> None:
    pdf = _output(built, brief, "pdf")
    assert pdf.is_file()
    if shutil.which("qpdf"):
        r = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
    if shutil.which("pdffonts"):
        r = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True)
        rows = r.stdout.splitlines()[2:]
        assert rows, "no fonts listed"
        for row in rows:
            cols = row.split()
            # columns: name type [encoding…] emb sub uni object ID
            assert cols[-5] == "yes", f"font not embedded: {row}"
            assert "Type 3" not in row
    from briefgen.pipeline.prepare import prepare
    from briefgen.pipeline.render import compose
    from briefgen.tree import Table
    from briefgen.typeset.table_layout import prune_table

    doc = compose(prepare(brief)).document
    text = _squash(_pdf_text(pdf))
    for h in doc.headings():
        assert _squash(h.label + h.text) in text, h.text
    for t in (b for b in doc.blocks if isinstance(b, Table)):
        for row in prune_table(t).rows:  # columns empty in every row are not printed
            for cell in row:
                assert _squash(cell.text) in text, cell.text


@pytest.mark.parametrize("brief", BRIEFS, ids=[b.stem for b in BRIEFS])
def test_docx_reopens_with_styles_and_east_asian_fonts(built: Path, brief: Path) -> None:
    path = _output(built, brief, "docx")
    d = DocxDocument(str(path))
    styles = {p.style.name for p in d.paragraphs}
    assert "Heading 1" in styles or "Heading 2" in styles
    body = " ".join(p.text for p in d.paragraphs)
    assert "一、" in body
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/styles.xml").decode("utf-8")
    assert 'w:eastAsia="zh-CN"' in xml
    heading = d.styles["Heading 1"].element
    rfonts = heading.find(qn("w:rPr")).find(qn("w:rFonts"))
    assert rfonts.get(qn("w:eastAsia")) == "黑体"
    assert rfonts.get(qn("w:ascii")) == "黑体"


def test_same_numbers_in_docx_and_pdf(built: Path) -> None:
    brief = REPO / "briefs" / "wujiang-key-figures-report.yaml"
    d = DocxDocument(str(_output(built, brief, "docx")))
    docx_cells = [c.text for t in d.tables for r in t.rows for c in r.cells]
    pdf_text = _squash(_pdf_text(_output(built, brief, "pdf")))
    for value in ("2231", "2224.53", "65294", "47498", "155.9", "12.2", "超9"):
        assert any(value in c for c in docx_cells), value
        assert value in pdf_text, value


@pytest.mark.skipif(not (shutil.which("soffice") or shutil.which("libreoffice")), reason="LibreOffice absent")
def test_docx_converts_in_libreoffice(built: Path, tmp_path: Path) -> None:
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    assert exe
    docx = built / "wujiang-pillars-jianbao.docx"
    r = subprocess.run([exe, f"-env:UserInstallation=file://{tmp_path}/lo", "--headless", "--convert-to",
                        "pdf", "--outdir", str(tmp_path), str(docx)], capture_output=True, text=True,
                       timeout=240)
    pdf = tmp_path / "wujiang-pillars-jianbao.pdf"
    assert pdf.is_file(), r.stdout + r.stderr
    assert "党建融入发展" in _squash(_pdf_text(pdf))


def test_failed_build_leaves_previous_outputs(built: Path, tmp_path: Path) -> None:
    out = tmp_path / "o"
    spec = tmp_path / "b.yaml"
    text = (REPO / "briefs" / "wujiang-pillars-jianbao.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("../sources", str(REPO / "sources")).replace("../templates",
                                                                             str(REPO / "templates")),
                    encoding="utf-8")
    allow = ("--allow-root", str(REPO))  # the spec names the repository's packs by absolute path
    assert _run("build", str(spec), "-o", str(out), *allow).returncode == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    spec.write_text(spec.read_text(encoding="utf-8").replace("section: pillars.*", "section: pillars.x*"),
                    encoding="utf-8")
    res = _run("build", str(spec), "-o", str(out), *allow)
    assert res.returncode == 3
    assert "Traceback" not in res.stderr
    problems = [ln for ln in res.stderr.splitlines()
                if "PDF fonts:" not in ln and "preparing font" not in ln]
    assert len(problems) == 1, res.stderr
    assert "pillars.x*" in res.stderr and ("available" in res.stderr or "did you mean" in res.stderr)
    after = {p.name: p.read_bytes() for p in out.iterdir()}
    assert after == before


def test_usage_errors_exit_2() -> None:
    assert _run("build").returncode == 2
    assert _run("frobnicate").returncode == 2
    res = _run("build", "briefs", "-f", "odt", "-o", "/tmp/briefgen-never")
    assert res.returncode == 2 and "odt" in res.stderr


def test_schema_and_list_commands() -> None:
    import json

    res = _run("schema")
    assert res.returncode == 0
    schema = json.loads(res.stdout)
    assert "blocks" in schema["properties"]
    res = _run("list", "sources/wujiang-2022-09-23.yaml")
    assert res.returncode == 0 and "lessons.5" in res.stdout and "2224.53亿元" in res.stdout
