"""Open the examples' HTML (``briefgen build briefs/ -f html``) in headless chromium: text, accessibility tree, no errors, no requests."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from briefgen import tree
from briefgen.pipeline.prepare import prepare
from briefgen.pipeline.render import compose, slug_of
from browserkit import REPO, artefact, browser, squash, text_problems

pytestmark = pytest.mark.slow
EXAMPLES = sorted((REPO / "briefs").glob("*.yaml"))


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("html-examples")
    res = subprocess.run([sys.executable, "-m", "briefgen", "build", str(REPO / "briefs"), "-o", str(out),
                          "-f", "html,pdf", "-j", "1", "-q"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert res.returncode == 0, res.stderr
    assert len(list(out.glob("*.html"))) == len(EXAMPLES)
    return out


def example(spec: Path) -> tuple[tree.Document, str]:
    prep = prepare(spec, [])
    return compose(prep).document, slug_of(prep) + ("-" + prep.brief.period if prep.brief.period else "")


@pytest.fixture(scope="module")
def chromium() -> Any:
    with browser() as b:
        yield b


def load(chromium: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    """The page, its console errors (and uncaught exceptions) and every request but its own URL."""
    page = chromium.new_page(viewport={"width": 1000, "height": 1400})
    errors: list[str] = []
    requests: list[str] = []
    page.on("console", lambda m: errors.append(f"{m.type}: {m.text}") if m.type in ("error", "warning") else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on("request", lambda r: requests.append(r.url))
    page.goto(path.as_uri(), wait_until="load")
    page.wait_for_timeout(200)
    return page, errors, [u for u in requests if u != path.as_uri()]


@pytest.mark.parametrize("spec", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_example_in_chromium(spec: Path, built: Path, chromium: Any) -> None:
    doc, stem = example(spec)
    path = built / f"{stem}.html"
    page, errors, requests = load(chromium, path)
    try:
        page.screenshot(path=str(artefact(f"html-{stem}.png")), full_page=True)
        assert errors == [] and requests == []
        visible = page.evaluate("document.body.innerText")
        assert text_problems(visible, doc) == []
        aria = page.locator("body").aria_snapshot()
        assert f'heading "{doc.meta.title}" [level=1]' in aria
        numbered = [h for h in doc.headings() if h.level == 1 and h.label]
        assert numbered and f'heading "{numbered[0].label}{numbered[0].text}" [level=2]' in aria
        tables = [b for b in tree.walk(doc.blocks) if isinstance(b, tree.Table) and b.caption]
        for t in tables:
            assert f'table "{t.caption}"' in aria
        if any(isinstance(b, tree.Table | tree.Chart) for b in tree.walk(doc.blocks)):
            assert page.locator("th[scope=col]").count() > 0
        charts = [b for b in tree.walk(doc.blocks) if isinstance(b, tree.Chart)]
        assert page.locator("figure svg[role=img] > title").count() == len(charts)
        for c in charts:
            assert f'img "{c.caption}"' in aria
        pictures = [b for b in tree.walk(doc.blocks) if isinstance(b, tree.Image)]
        assert page.locator("figure.picture img[src^='data:image/']").count() == len(pictures)
        for p in pictures:  # decoded and laid out (the CSP lets data: images through)
            assert page.evaluate(f"document.querySelectorAll('figure.picture img')[{pictures.index(p)}].naturalWidth") \
                == p.px_width
    finally:
        page.close()


@pytest.mark.parametrize("spec", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_same_text_as_pdftotext(spec: Path, built: Path, chromium: Any) -> None:
    """Every character the page shows is in the PDF's text layer; the PDF has more only for page
    numbers, TOC page numbers and table header rows repeated on continuation pages."""
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) not installed")
    doc, stem = example(spec)
    page, _, _ = load(chromium, built / f"{stem}.html")
    visible = Counter(squash(page.evaluate("document.body.innerText")))
    page.close()
    pdf = subprocess.run(["pdftotext", "-raw", "-enc", "UTF-8", str(built / f"{stem}.pdf"), "-"],
                         capture_output=True, text=True, check=True).stdout
    printed = Counter(squash(pdf))
    assert visible - printed == Counter()
    headers = set()
    for b in tree.walk(doc.blocks):
        t = tree.chart_table(b) if isinstance(b, tree.Chart) else b
        if isinstance(t, tree.Table):
            headers |= {ch for row in t.rows[: t.header_rows] for c in row for ch in c.text}
        if isinstance(b, tree.Chart) and b.show_table:  # "<caption>（数据）" heads a data table on a new page
            headers |= set(b.caption) | set("（数据）")
        if isinstance(b, tree.Imprint) and b.cc and not b.cc.endswith("。"):
            headers.add("。")  # the PDF ends the 抄送 list with a full stop (GB/T 9704 §7.4.2)
    extra = {ch for ch in printed - visible if not ch.isdigit() and ch != "—"}
    assert extra <= headers, extra - headers


def test_print_to_pdf_uses_a4(built: Path, chromium: Any) -> None:
    """Printing from the browser gives A4 pages (the @page rule), with the text on them."""
    page, _, _ = load(chromium, built / "wujiang-pillars-jianbao.html")
    data = page.pdf(prefer_css_page_size=True)
    page.close()
    pdf = artefact("html-print-wujiang-pillars-jianbao.pdf")
    pdf.write_bytes(data)
    from pypdf import PdfReader

    reader = PdfReader(str(pdf))
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)
    assert "党建工作简报" in squash(reader.pages[0].extract_text())
    assert "—1—" in squash(reader.pages[0].extract_text())


def test_printed_cover_is_not_numbered_or_counted(built: Path, chromium: Any) -> None:
    page, _, _ = load(chromium, built / "wujiang-lessons-handout.html")
    data = page.pdf(prefer_css_page_size=True)
    page.close()
    import io

    from pypdf import PdfReader

    texts = [squash(p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages]
    assert not re.search(r"—\d+—", texts[0])  # the cover
    assert "目录" in texts[1] and re.findall(r"—\d+—", texts[1]) == ["—1—"]


def test_build_is_byte_reproducible(built: Path, tmp_path: Path) -> None:
    res = subprocess.run([sys.executable, "-m", "briefgen", "build", str(REPO / "briefs"), "-o", str(tmp_path),
                          "-f", "html", "-j", "1", "-q"], capture_output=True, text=True, cwd=REPO, timeout=600)
    assert res.returncode == 0, res.stderr
    pages = sorted(built.glob("*.html"))
    assert pages and [p.read_bytes() for p in pages] == [(tmp_path / p.name).read_bytes() for p in pages]
