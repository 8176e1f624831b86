"""Turn every bundled example and the layout stress briefs into page-quality numbers (pagecheck) and hold them to issue 12's targets."""

from __future__ import annotations

import os
import shutil
import zipfile
from pathlib import Path

import pytest
from pagecheck import Findings, appendix_of, check_docx, check_pdf
from stress_appendix import TITLES, write_appendix_stress
from stress_layout import write_layout_stress
from typo_build import THEMES, Built

from briefgen.pipeline.render import build

# Targets met on every example and stress brief (issue 12, "How it will be checked").
ZERO = (
    "letterspaced Latin/digits",
    "wrapped figure cell",
    "cell ending with a 1-2 character line",
    "heading at a page foot",
    "caption separated from its table/chart",
    "source note separated from its table",
    "orphan (first line alone at a page foot)",
    "widow (last line alone at a page head)",
    "page ends > 1/3 early",
    "loose line (> 0.2 em per gap)",
)


@pytest.fixture(scope="module")
def layout_stress(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """One long-label / quote-dense / many-headings brief per theme, built to PDF and DOCX."""
    folder = tmp_path_factory.mktemp("layout")
    out: dict[str, Path] = {}
    for th in THEMES:
        spec = write_layout_stress(folder, th)
        out[th] = build(spec, folder / "out", ["docx", "pdf"]).outputs["pdf"]
    return out


@pytest.fixture(scope="module")
def appendix_stress(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Per theme, a brief citing 42 figures from three sources with long titles and file names."""
    folder = tmp_path_factory.mktemp("appendix")
    return {th: build(write_appendix_stress(folder, th), folder / "out", ["docx", "pdf"]).outputs["pdf"]
            for th in THEMES}  # fmt: skip


def _check(path: Path) -> Findings:
    f, _ = check_pdf(path)
    print(f)  # the full picture in -s / failure output
    return f


def test_examples_meet_the_page_quality_targets(examples: dict[str, Built]) -> None:
    for b in examples.values():
        f = _check(b.pdf)
        for kind in (*ZERO, "uncompressed punctuation pair"):
            assert f.counts[kind] == 0, (b.name, kind, f.examples.get(kind))
        assert f.worst_gap_em <= 0.15 + 0.01, (b.name, f.worst_gap_em)


def test_layout_stress_pages(layout_stress: dict[str, Path]) -> None:
    for th, pdf in layout_stress.items():
        f = _check(pdf)
        for kind in ZERO:
            assert f.counts[kind] == 0, (th, kind, f.examples.get(kind))
        assert f.counts["uncompressed punctuation pair"] <= 1, (th, f.examples)
        # a line the re-break cannot bring under 0.15 em (a URL or number that cannot move) is
        # set underfull at 0.18 em per gap, never looser (breakrules.UNDERFULL_EM)
        assert f.worst_gap_em <= 0.18 + 0.01, (th, f.worst_gap_em)


def test_text_stress_pages(stress: dict[str, Built]) -> None:
    """The long random stress briefs (URLs, e-mail addresses, figures, Latin words): the same zeros."""
    for th, b in stress.items():
        f = _check(b.pdf)
        for kind in ZERO:
            assert f.counts[kind] == 0, (th, kind, f.examples.get(kind))
        assert f.worst_gap_em <= 0.18 + 0.01, (th, f.worst_gap_em)


def test_table_cells_meet_the_targets_with_any_fonts(
    examples: dict[str, Built], layout_stress: dict[str, Path]
) -> None:
    """Table cells (and source notes) never end in a line of one or two characters and figures
    never wrap — with the Debian fonts and with only the bundled Noto faces alike."""
    pdfs = [(b.name, b.pdf) for b in examples.values()] + list(layout_stress.items())
    for name, pdf in pdfs:
        f, _ = check_pdf(pdf)
        for kind in ("cell ending with a 1-2 character line", "wrapped figure cell"):
            assert f.counts[kind] == 0, (name, kind, f.examples.get(kind))


def test_docx_asks_word_to_update_fields(examples: dict[str, Built]) -> None:
    for b in examples.values():
        with zipfile.ZipFile(b.docx) as z:
            settings = z.read("word/settings.xml").decode()
            styles = z.read("word/styles.xml").decode()
        assert '<w:updateFields w:val="true"/>' in settings, b.name
        assert '<w:autoSpaceDE w:val="0"/>' in styles and '<w:autoSpaceDN w:val="0"/>' in styles


@pytest.mark.slow
def test_libreoffice_pages_and_toc_numbers_equal_the_pdf(examples: dict[str, Built], tmp_path: Path) -> None:
    """Every example's DOCX, as LibreOffice lays it out, has the PDF's page count, and its table
    of contents shows the PDF's page numbers (issue 12: "the same page count in LibreOffice as
    in the PDF for every example"). Measured with the Debian fonts CI installs: with only the
    bundled Noto fonts the PDF is set in other faces than the ones LibreOffice substitutes."""
    if shutil.which("soffice") is None:
        pytest.skip("LibreOffice not installed")
    pip_only = bool(os.environ.get("BRIEFGEN_NO_SYSTEM_FONTS"))
    counts: dict[str, str] = {}
    for b in examples.values():
        f, pages = check_pdf(b.pdf)
        check_docx(b.docx, pages, f, tmp_path)
        print(f)
        assert f.counts["LibreOffice unavailable"] == 0, b.name
        assert f.counts["TOC page numbers differ (LibreOffice vs PDF)"] == 0, (b.name, f.examples)
        if f.counts["LibreOffice page count differs"]:
            counts[b.name] = f.examples["LibreOffice page count differs"][0]
    if not pip_only:
        # Not yet equal everywhere (issue 12 stays open): after the table-width and page-breaking
        # changes landed together, four examples differed by one page in LibreOffice 7.4; since
        # the sources appendix is a reference table the three monthly reports agree, and the
        # key-figures report and the handout still differ. Held at one page so a regression fails.
        off = {n: abs(int(v.split()[0]) - int(v.split()[-1])) for n, v in counts.items()}
        assert all(d <= 1 for d in off.values()), counts  # name -> "LibreOffice pages vs PDF pages"


# the monthly examples' sources appendix (issue 12): before, every 出处 cell repeated the source's
# title and file name in 14 pt — cells of 6 to 8 lines, pages ending up to 131 pt early because
# the next tall row could not follow
MONTHLY = ("monthly-report", "monthly-report-xlsx", "monthly-report-sqlite")
REFERENCE_ROW = 2 * 18 + 2 * 3 + 6  # a two-line row of the 小四 reference table, and rounding


def test_the_sources_appendix_has_short_rows_and_full_pages(examples: dict[str, Built]) -> None:
    for name in MONTHLY:
        b = examples[name]
        f, pages = check_pdf(b.pdf)
        app = appendix_of(pages)
        assert app is not None and len(app.cells) >= 5 * 16, name
        assert app.most_lines <= 2, (name, max(app.cells, key=len))
        assert all(gap <= REFERENCE_ROW for gap in app.feet), (name, app.feet)
        text = "".join(ln.text for page in pages for ln in page)
        assert text.count("《示例区主要经济指标月度数据") == 1, name  # named once, under the table


def test_appendix_stress_pages(appendix_stress: dict[str, Path]) -> None:
    """Many figures from several sources: each source listed once (the note splits across pages
    rather than leaving a page a note's height short), and the page-quality zeros hold."""
    for th, pdf in appendix_stress.items():
        f, pages = check_pdf(pdf)
        print(f)
        for kind in ZERO:
            assert f.counts[kind] == 0, (th, kind, f.examples.get(kind))
        app = appendix_of(pages)
        assert app is not None and len(app.cells) >= 5 * 42, th
        text = "".join(ln.text for page in pages for ln in page)
        for title in TITLES:
            assert text.count(title[:12]) == 1, (th, title)
