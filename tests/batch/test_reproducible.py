"""Byte-identical outputs: same inputs → same DOCX and PDF bytes across runs, folders and processes."""

from __future__ import annotations

import hashlib
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest
from batchkit import EXAMPLES, digests, make_project, run

from briefgen.pipeline.render import render
from briefgen.writers.pdf.pdfid import content_id, with_content_id

pytestmark = pytest.mark.slow  # builds briefs in subprocesses: not in the fast tier


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The examples built by separate processes in two different project folders."""
    a = make_project(tmp_path_factory.mktemp("a") / "project-one")
    b = make_project(tmp_path_factory.mktemp("b") / "elsewhere" / "project-two")
    assert run("build", "briefs", "-o", "out", "-j", "1", cwd=a).returncode == 0
    assert run("build", "briefs", "-o", "out", "-j", "2", "--force", cwd=b).returncode == 0
    return a, b


def test_two_folders_two_processes_same_bytes(two_builds: tuple[Path, Path]) -> None:
    a, b = two_builds
    da, db = digests(a / "out"), digests(b / "out")
    assert len(da) == 2 * len(EXAMPLES)
    assert da == db


def test_rebuild_in_place_gives_the_same_bytes(two_builds: tuple[Path, Path]) -> None:
    a, _ = two_builds
    before = digests(a / "out")
    r = run("build", "briefs", "-o", "out", "--force", cwd=a)
    assert r.returncode == 0, r.stderr
    assert digests(a / "out") == before


def test_in_process_render_matches_the_subprocess_files(two_builds: tuple[Path, Path]) -> None:
    a, _ = two_builds
    for spec in sorted((a / "briefs").glob("*.yaml")):
        r = render(spec, a / "out", None, on_message=lambda m: None)
        for fmt, data in r.data.items():
            assert data == r.targets[fmt].read_bytes(), (spec.name, fmt)


def test_pdf_id_is_derived_from_content(two_builds: tuple[Path, Path]) -> None:
    a, _ = two_builds
    ids = {}
    for pdf in sorted((a / "out").glob("*.pdf")):
        data = pdf.read_bytes()
        m = re.findall(rb"/ID\s*\[<([0-9a-f]{32})><([0-9a-f]{32})>\]", data)
        assert len(m) == 1 and m[0][0] == m[0][1]
        assert m[0][0].decode() == content_id(data)
        ids[pdf.name] = m[0][0]
        if shutil.which("qpdf"):
            r = subprocess.run(["qpdf", "--check", str(pdf)], capture_output=True, text=True)
            assert r.returncode == 0, r.stdout + r.stderr
    assert len(set(ids.values())) == len(ids)


def test_same_metadata_different_text_gives_different_ids(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    spec = project / "briefs" / "wujiang-pillars-jianbao.yaml"
    one = render(spec, project / "o", ["pdf"], on_message=lambda m: None).data["pdf"]
    spec.write_text(spec.read_text(encoding="utf-8").replace("现将其主要做法摘编如下", "现将其做法摘编如下"),
                    encoding="utf-8")
    two = render(spec, project / "o", ["pdf"], on_message=lambda m: None).data["pdf"]
    assert one != two and content_id(one) != content_id(two)


def test_with_content_id_keeps_offsets_and_is_idempotent() -> None:
    from io import BytesIO

    from pypdf import PdfReader
    from reportlab.pdfgen.canvas import Canvas

    buf = BytesIO()
    c = Canvas(buf, invariant=1)
    c.drawString(72, 72, "hello")
    c.save()
    raw = buf.getvalue()
    out = with_content_id(raw)
    assert len(out) == len(raw) and out != raw
    assert with_content_id(out) == out
    assert len(PdfReader(BytesIO(out), strict=True).pages) == 1
    assert with_content_id(b"%PDF-1.4 no trailer") == b"%PDF-1.4 no trailer"


def _core(docx: Path) -> str:
    with zipfile.ZipFile(docx) as z:
        return z.read("docProps/core.xml").decode("utf-8")


def test_source_date_epoch_only_where_the_brief_has_no_date(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    dated = project / "briefs" / "wujiang-pillars-jianbao.yaml"
    undated = project / "briefs" / "undated.yaml"
    undated.write_text(re.sub(r"^date: .*\n", "", dated.read_text(encoding="utf-8"), flags=re.M),
                       encoding="utf-8")
    env = {"SOURCE_DATE_EPOCH": "1700000000"}  # 2023-11-14T22:13:20Z
    pair = ("briefs/undated.yaml", "briefs/wujiang-pillars-jianbao.yaml")
    for out in ("o1", "o2"):
        r = run("build", *pair, "-o", out, "-f", "docx,pdf", "-j", "1", cwd=project, env=env)
        assert r.returncode == 0, r.stderr
    assert digests(project / "o1") == digests(project / "o2")
    core = _core(project / "o1" / "undated.docx")
    assert "2023-11-14T22:13:20Z" in core
    # the brief's own date (成文日期) wins for metadata and is what the document prints
    assert "2022-10-08T00:00:00Z" in _core(project / "o1" / "wujiang-pillars-jianbao.docx")
    from docx import Document

    text = "\n".join(p.text for p in Document(str(project / "o1" / "undated.docx")).paragraphs)
    assert "2023年11月" not in text  # the build timestamp is never printed as the brief's date
    # a different epoch changes only the undated brief (same formats: a DOCX built beside its PDF
    # takes the PDF's table widths and page numbers, a DOCX-only build its own estimates)
    r = run("build", *pair, "-o", "o3", "-f", "docx,pdf", "-j", "1", cwd=project,
            env={"SOURCE_DATE_EPOCH": "1800000000"})
    assert r.returncode == 0
    d1, d3 = digests(project / "o1"), digests(project / "o3")
    assert d1["undated.docx"] != d3["undated.docx"]
    assert d1["wujiang-pillars-jianbao.docx"] == d3["wujiang-pillars-jianbao.docx"]
    # and the manifest notices the changed timestamp
    r = run("build", *pair, "-o", "o1", "-f", "docx,pdf", "-j", "1", "--json", cwd=project,
            env={"SOURCE_DATE_EPOCH": "1800000000"})
    import json

    built = [b["spec"] for b in json.loads(r.stdout)["briefs"] if b["status"] == "built"]
    assert built == ["briefs/undated.yaml"]
    assert hashlib.sha256((project / "o1" / "undated.docx").read_bytes()).hexdigest() != d1["undated.docx"]
