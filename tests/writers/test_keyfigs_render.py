"""Charts, long tables and landscape tables in both writers, measured in the files they produce."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from lxml import etree
from pypdf import PdfReader

from briefgen import tree
from briefgen.compose.charts import build_chart
from briefgen.writers.docx import writer as docx_writer
from briefgen.writers.pdf import writer as pdf_writer
from keyfigkit import context

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
WP = "{http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing}"
MM = 72 / 25.4


def doc(*blocks: tree.Block) -> tree.Document:
    return tree.Document(tree.Metadata("测试", author="示例单位"), list(blocks), show_title=False)


def bar_chart(kind: str = "bar", width_mm: float = 150.0) -> tree.Chart:
    series = [tree.ChartSeries("规上工业总产值", [Decimal("233.4"), Decimal("222.9"), Decimal("-12.5")])]
    if kind != "bar":
        series.append(tree.ChartSeries("社会消费品零售总额", [Decimal("99.2"), None, Decimal("94.2")]))
    return build_chart(kind, ["2026年8月", "9月", "10月"], series, unit="亿元", caption="图1 主要指标",  # type: ignore[arg-type]
                       source_note="资料来源：测试数据", alt="", show_table=True, value_labels=True,
                       width_mm=width_mm, height_mm=70, table_style="three-line", table_title="时期")


def zip_part(data: bytes, name: str) -> etree._Element:
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        return etree.fromstring(z.read(name))


# ---------------------------------------------------------------- PDF charts


@pytest.mark.parametrize("kind", ["bar", "grouped", "stacked", "line"])
def test_pdf_chart_is_vector_with_embedded_extractable_labels(kind: str) -> None:
    chart = bar_chart(kind)
    data = pdf_writer.render(doc(tree.Paragraph(tree.plain("正文")), chart), context())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        page = pdf.pages[0]
        assert not page.images
        labels = [c for c in page.chars if c["text"] in "单位亿元规上社会"]
        top = min(c["top"] for c in labels)
        area = (page.chars, top, top + chart.height_mm * MM)
        inside = [c for c in area[0] if area[1] - 1 <= c["top"] <= area[2]]
        text = "".join(c["text"] for c in inside)
        for s in ["单位：亿元", "8月", "10月", *(chart.tick(t) for t in chart.ticks())]:
            assert s in text, (s, text)
        if kind != "line":
            for v in ("233.4", "222.9", "-12.5"):
                # a stacked segment too small for its number leaves it to the data table
                assert (v in text) != (kind == "stacked" and v == "-12.5"), (v, text)
            bars = [r for r in page.rects if area[1] <= r["top"] <= area[2] and r["width"] > 5]
            assert len(bars) >= 3
        else:
            assert [c for c in page.curves if area[1] <= c["top"] <= area[2]] or page.lines
        assert all("+" in c["fontname"] for c in inside)  # subset = embedded TrueType
        assert "规上工业总产值" in text or kind == "bar"  # legend of a multi-series chart
    reader = PdfReader(io.BytesIO(data))
    res: Any = reader.pages[0]["/Resources"]
    xobjects = res.get("/XObject", {})
    assert all(x.get_object().get("/Subtype") != "/Image" for x in xobjects.values())
    for font in res["/Font"].values():
        f = font.get_object()
        desc = (f.get("/DescendantFonts", [f])[0]).get_object().get("/FontDescriptor")
        assert desc is not None and ("/FontFile2" in desc.get_object() or "/FontFile" in desc.get_object())


# ---------------------------------------------------------------- DOCX charts


def test_docx_chart_is_native_at_physical_size_with_alt_text_and_cached_values() -> None:
    chart = bar_chart("grouped", width_mm=150.0)
    data = docx_writer.render(doc(chart), context())
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "word/charts/chart1.xml" in names and any(n.startswith("word/embeddings/") for n in names)
    body = zip_part(data, "word/document.xml")
    ext = body.find(f".//{WP}extent")
    assert ext is not None and int(ext.get("cx")) == 150 * 36000 and int(ext.get("cy")) == 70 * 36000
    docpr = body.find(f".//{WP}docPr")
    assert docpr is not None and docpr.get("descr") == chart.alt and "233.4" in chart.alt
    space = zip_part(data, "word/charts/chart1.xml")
    sers = space.findall(f".//{C}ser")
    assert [s.find(f"{C}tx//{C}v").text for s in sers] == ["规上工业总产值", "社会消费品零售总额"]
    cached = [[p.find(f"{C}v").text for p in s.findall(f"{C}val//{C}pt")] for s in sers]
    assert cached == [["233.4", "222.9", "-12.5"], ["99.2", "94.2"]]
    assert [p.get("idx") for p in sers[1].findall(f"{C}val//{C}pt")] == ["0", "2"]  # gap kept
    scaling = space.find(f".//{C}valAx/{C}scaling")
    assert Decimal(scaling.find(f"{C}min").get("val")) == chart.axis_min
    assert Decimal(scaling.find(f"{C}max").get("val")) == chart.axis_max
    assert Decimal(space.find(f".//{C}valAx/{C}majorUnit").get("val")) == chart.axis_step
    ea = {e.get("typeface") for e in space.iter("{http://schemas.openxmlformats.org/drawingml/2006/main}ea")}
    assert ea == {"仿宋"}
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        book = next(n for n in z.namelist() if n.endswith(".xlsx"))
        sheet = zipfile.ZipFile(io.BytesIO(z.read(book))).read("xl/worksheets/sheet1.xml").decode()
    assert "<v>233.4</v>" in sheet and "社会消费品零售总额" in sheet


def test_docx_chart_narrowed_in_a_box_and_reproducible() -> None:
    chart = bar_chart(width_mm=156.0)  # the full type area: too wide inside a box
    a = docx_writer.render(doc(tree.Box("要点", [chart])), context())
    b = docx_writer.render(doc(tree.Box("要点", [chart])), context())
    assert a == b
    cx = int(zip_part(a, "word/document.xml").find(f".//{WP}extent").get("cx"))
    assert cx < 150.5 * 36000


@pytest.mark.slow  # starts LibreOffice
@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice not installed")
def test_libreoffice_draws_the_docx_chart(tmp_path: Path) -> None:
    src = tmp_path / "c.docx"
    src.write_bytes(docx_writer.render(doc(bar_chart("stacked")), context()))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(src)],
                   capture_output=True, timeout=120, check=True)
    with pdfplumber.open(tmp_path / "c.pdf") as pdf:
        text = re.sub(r"\s+", "", pdf.pages[0].extract_text() or "")
        assert "233.4" in text and "单位：亿元" in text and "图1主要指标" in text
        assert len(pdf.pages[0].rects) + len(pdf.pages[0].curves) >= 4


# ---------------------------------------------------------------- long and wide tables


def long_table(rows: int = 300) -> tree.Table:
    T = tree.TableCell
    body = [[T(f"第{i}项指标"), T(f"{i * 3.5:.1f}", "right"), T("亿元")] for i in range(1, rows + 1)]
    return tree.Table([[T("指标", "center", True), T("数值", "center", True), T("单位", "center", True)], *body],
                      caption="长表", source_note="资料来源：测试")


def test_300_row_table_repeats_its_header_on_every_page() -> None:
    data = pdf_writer.render(doc(long_table()), context())
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        assert len(pdf.pages) >= 10
        for page in pdf.pages:
            first = (page.extract_text() or "").splitlines()
            head = next(ln for ln in first if "指标" in ln)
            assert re.sub(r"\s", "", head) == "指标数值单位", first[:3]
        text = "".join(p.extract_text() or "" for p in pdf.pages)
        assert "第300项指标" in text and "1050.0" in text
    body = zip_part(docx_writer.render(doc(long_table()), context()), "word/document.xml")
    rows = body.findall(f".//{W}tbl/{W}tr")
    assert len(rows) == 301
    assert rows[0].find(f"{W}trPr/{W}tblHeader") is not None
    assert all(r.find(f"{W}trPr/{W}tblHeader") is None for r in rows[1:])


def wide_table(rows: int = 40) -> tree.Table:
    T = tree.TableCell
    head = [T("时期", "center", True)] + [T(f"第{k}项指标（亿元）", "center", True) for k in range(1, 10)]
    body = [[T(f"2026年{i % 12 + 1}月")] + [T(f"{1000 + i * k:.1f}", "right") for k in range(1, 10)]
            for i in range(rows)]
    return tree.Table([head, *body], caption="宽表", source_note="资料来源：测试", landscape=True)


def _pn_chars(page: Any) -> list[dict[str, Any]]:
    return [c for c in page.chars if c["text"] == "—"]


def test_pdf_landscape_pages_turn_content_and_keep_the_portrait_page_number() -> None:
    d = doc(tree.Heading(1, tree.plain("宽表"), label="一、"), wide_table(), tree.Paragraph(tree.plain("后文")))
    data = pdf_writer.render(d, context())
    reader = PdfReader(io.BytesIO(data))
    rot = [int(p.get("/Rotate", 0)) for p in reader.pages]
    assert rot[0] == 90 and rot.count(90) >= 2 and rot[-1] == 0  # heading carried onto the turned page
    assert all([float(x) for x in p.mediabox] == [0, 0, 595.2756, 841.8898] for p in reader.pages)
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        portrait = pdf.pages[-1]  # page 3 or later: compare odd with odd
        turned = next(p for i, p in enumerate(pdf.pages) if rot[i] == 90 and (i + 1) % 2 == len(pdf.pages) % 2)
        for i, page in enumerate(pdf.pages):
            if rot[i] == 90:  # the header is repeated on every turned page, upright when shown turned
                head = "".join((page.extract_text() or "").splitlines()[:8])  # a header of up to 4 lines
                assert "时期" in head and "第9项" in head and all(c["upright"] for c in page.chars
                                                                    if c["text"] in "时期"), head
        last = pdf.pages[max(i for i, r in enumerate(rot) if r == 90)]
        tail = last.extract_text() or ""
        assert "资料来源：测试" in tail and "2026年" in tail  # the note keeps company with the last rows
        want = sorted((round(c["x0"]), round(c["top"])) for c in _pn_chars(portrait))
        # a page shown turned by /Rotate 90: portrait x = shown top, portrait top = page width − shown x1
        got = sorted((round(c["top"]), round(turned.width - c["x1"])) for c in _pn_chars(turned))
        assert got and all(abs(a[0] - b[0]) <= 1 and abs(a[1] - b[1]) <= 1 for a, b in zip(got, want, strict=True))


def test_docx_landscape_section_holds_the_wide_table() -> None:
    d = doc(tree.Paragraph(tree.plain("前文")), tree.Heading(1, tree.plain("宽表"), label="一、"), wide_table(12),
            tree.Paragraph(tree.plain("后文")))
    body = zip_part(docx_writer.render(d, context()), "word/document.xml").find(f"{W}body")
    sects = [e for e in body.iter(f"{W}sectPr")]
    sizes = [(s.find(f"{W}pgSz").get(f"{W}orient"), int(s.find(f"{W}pgSz").get(f"{W}w"))) for s in sects]
    assert sizes == [(None, 11906), ("landscape", 16838), (None, 11906)]
    kids = list(body)
    tbl = next(i for i, k in enumerate(kids) if k.tag == f"{W}tbl")
    ends = [i for i, k in enumerate(kids) if k.find(f".//{W}sectPr") is not None or k.tag == f"{W}sectPr"]
    assert ends[0] < tbl < ends[1]  # inside the landscape section
    heading = next(i for i, k in enumerate(kids) if "".join(k.itertext()) == "一、宽表")
    assert ends[0] < heading < tbl  # the heading moved onto the landscape page
    width = int(kids[tbl].find(f"{W}tblPr/{W}tblW").get(f"{W}w"))
    assert width > 11906  # across the turned type area


def test_pdf_chart_source_note_stays_with_the_last_row_of_its_data_table() -> None:
    """Wherever the page ends, the note under a chart's data table is on the page of its last
    row (it used to be a paragraph of its own and could open the next page alone)."""
    chart = bar_chart("grouped")
    for lines in range(0, 21, 2):
        filler = [tree.Paragraph(tree.plain("文" * 28 * lines))] if lines else []
        data = pdf_writer.render(doc(*filler, chart), context())
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            pages = [p.extract_text() or "" for p in pdf.pages]
        (note_page,) = [p for p in pages if "资料来源：测试数据" in p]
        assert "10月" in note_page.split("资料来源：测试数据")[0].splitlines()[-1], (lines, note_page)


def test_an_attachment_title_goes_onto_its_landscape_tables_first_page() -> None:
    """附件N and its title right before a turned table are printed on the table's first turned page,
    not alone on an upright one — in the PDF and in the DOCX's landscape section."""
    mark = tree.AttachmentMark("附件1", "主要指标对照表")
    d = doc(tree.Paragraph(tree.plain("正文")), mark, wide_table(12))
    data = pdf_writer.render(d, context())
    reader = PdfReader(io.BytesIO(data))
    rot = [int(p.get("/Rotate", 0)) for p in reader.pages]
    assert rot[0] == 0 and set(rot[1:]) == {90}
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        turned = pdf.pages[1].extract_text() or ""
        assert "附件1" in turned and "主要指标对照表" in turned and "附件1" not in (pdf.pages[0].extract_text() or "")
    body = zip_part(docx_writer.render(d, context()), "word/document.xml").find(f"{W}body")
    kids = list(body)
    ends = [i for i, k in enumerate(kids) if k.find(f".//{W}sectPr") is not None or k.tag == f"{W}sectPr"]
    at = next(i for i, k in enumerate(kids) if "".join(k.itertext()) == "附件1")
    assert ends[0] < at < ends[1]
    assert kids[at].find(f"{W}pPr/{W}pageBreakBefore") is None  # the section starts the page
