"""End to end: footnotes from Markdown ``[^1]``/``^[…]`` and section ``note:`` become Word footnotes
(word/footnotes.xml, references in the text) and PDF footnotes at the foot of the page holding the
reference (or continuing on the next page), numbered in order; endnote themes list them under 注释."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pdfplumber
import pytest
import yaml
from lxml import etree

#: Each test builds whole briefs (and opens some in LibreOffice): the full run, not the fast tier.
pytestmark = pytest.mark.slow

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
PACK = """\
pack: 1
meta:
  id: p
  title: 测试
sections:
  - id: a
    title: 总体情况
    summary: 全县建成网格服务站一百余个。
    note: 服务站数量为年末数。
"""


def _brief(long_note: int = 1, theme: str = "gongwen") -> dict[str, object]:
    paras, defs = [], []
    for i in range(1, 40):
        t = f"这是第{i}段正文，用来填充页面，检验脚注是否落在引用所在的同一页面底部。" * 3
        if i % 4 == 0:
            t += f"此处有注[^n{i}]。"
            extra = "较长的注释需要多行排版。" * (long_note if i == 12 else 1)
            defs.append(f"[^n{i}]: 第{i}段的注释文字，说明材料来源与口径。{extra}")
        paras.append(t)
    paras[1] += "行内也可注明^[行内注释的内容。]。"
    return {"title": "脚注测试", "unit": "示例县委办公室", "date": "2024-05-10", "theme": theme,
            "sources": {"mp": "pack.yaml"},
            "blocks": [{"section": "a", "mode": "full"}, {"text": "\n\n".join(paras) + "\n\n" + "\n".join(defs)}]}


def _build(tmp: Path, brief: dict[str, object], extra: dict[str, str] | None = None) -> Path:
    (tmp / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp / "pack.yaml").write_text(PACK, encoding="utf-8")
    for name, text in (extra or {}).items():
        (tmp / name).write_text(text, encoding="utf-8")
    (tmp / "brief.yaml").write_text(yaml.safe_dump(brief, allow_unicode=True), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "briefgen", "build", "brief.yaml", "-o", "out"], cwd=tmp,
                         capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    return tmp / "out"


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return _build(tmp_path_factory.mktemp("notes"), _brief(long_note=60))


def test_docx_has_real_footnotes_in_reference_order(out: Path) -> None:
    with zipfile.ZipFile(out / "brief.docx") as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
        doc = etree.fromstring(z.read("word/document.xml"))
        rels = z.read("word/_rels/document.xml.rels").decode()
        types = z.read("[Content_Types].xml").decode()
    bodies = {n.get(f"{W}id"): "".join(n.itertext()).strip() for n in notes.iter(f"{W}footnote")
              if n.get(f"{W}type") is None}
    refs = [r.get(f"{W}id") for r in doc.iter(f"{W}footnoteReference")]
    assert refs == [str(k) for k in range(1, 12)]
    assert bodies["1"] == "服务站数量为年末数。"
    assert bodies["2"] == "行内注释的内容。"
    assert bodies["3"].startswith("第4段的注释文字")
    assert "footnotes.xml" in rels and "/word/footnotes.xml" in types
    fmts = {e.get(f"{W}val") for e in doc.iter(f"{W}numFmt")}
    assert fmts == {"decimalEnclosedCircle"}
    assert not any(c in "".join(doc.itertext()) for c in CIRCLED)  # Word numbers them itself


def _pages(pdf_path: Path) -> list[tuple[str, list[str]]]:
    """(body text, note lines) per page: note lines are those below the separator rule."""
    pages = []
    with pdfplumber.open(pdf_path) as pdf:
        for p in pdf.pages:
            rules = [ln for ln in p.lines if ln["x1"] - ln["x0"] < p.width / 3 and ln["top"] > p.height / 3]
            cut = min((ln["top"] for ln in rules), default=p.height)
            body = "".join(c["text"] for c in p.chars if c["top"] < cut)
            foot = (297 - 35) * 72 / 25.4 + 1  # the type area's bottom: page numbers are below it
            notes = [ln["text"] for ln in p.extract_text_lines() if cut < ln["top"] < foot]
            if rules:
                lowest = max(c["bottom"] for c in p.chars if c["top"] < cut)
                assert lowest <= cut + 0.5  # body text stays above the rule
            pages.append((body, notes))
    return pages


def _marks_on_their_pages(pages: list[tuple[str, list[str]]]) -> list[str]:
    """The note marks of the whole document in order, checking that every reference on a page
    has its note on that page, in the same order."""
    seen: list[str] = []
    for body, notes in pages:
        starts = [ln[0] for ln in notes if ln and ln[0] in CIRCLED]
        refs = [c for c in body if c in CIRCLED]
        assert starts == refs
        seen += refs
    return seen


def _docx_notes(docx: Path) -> tuple[list[str], etree._Element]:
    """The DOCX's footnote texts (separators left out) and its parsed document.xml."""
    with zipfile.ZipFile(docx) as z:
        notes = etree.fromstring(z.read("word/footnotes.xml"))
        doc = etree.fromstring(z.read("word/document.xml"))
    bodies = ["".join(n.itertext()).strip() for n in notes.iter(f"{W}footnote") if n.get(f"{W}type") is None]
    return bodies, doc


def test_pdf_footnotes_sit_on_the_page_of_their_reference(out: Path) -> None:
    seen = _marks_on_their_pages(_pages(out / "brief.pdf"))
    assert seen == list(CIRCLED[:11])  # numbered per document, in order


def test_a_long_footnote_continues_on_the_next_page(out: Path) -> None:
    pages = _pages(out / "brief.pdf")
    k = next(i for i, (body, _) in enumerate(pages) if "⑤" in body)  # the long note (paragraph 12)
    lines = [(i, ln) for i, (_, notes) in enumerate(pages) for ln in notes]
    start = next(j for j, (_, ln) in enumerate(lines) if ln.startswith("⑤"))
    end = next(j for j, (_, ln) in enumerate(lines) if j > start and ln[0] in CIRCLED)
    assert lines[start][0] == k  # it starts on its reference's page
    assert lines[end - 1][0] > k  # and continues on a later page
    text = re.sub(r"\s", "", "".join(ln for _, ln in lines[start:end]))
    assert text.count("较长的注释需要多行排版") == 60  # nothing lost at the page turn


def test_endnote_theme_lists_notes_under_a_heading(tmp_path: Path) -> None:
    theme = "name: endnotes\nextends: gongwen\nnotes:\n  mode: endnote\n  numbering: decimal\n"
    out = _build(tmp_path, _brief(theme="endnotes.yaml"), {"endnotes.yaml": theme})
    with zipfile.ZipFile(out / "brief.docx") as z:
        assert "word/footnotes.xml" not in z.namelist()
        text = "".join(etree.fromstring(z.read("word/document.xml")).itertext())
    assert "注释" in text and "[1]" in text and "[1]　服务站数量为年末数。" in text
    with pdfplumber.open(out / "brief.pdf") as pdf:
        last = pdf.pages[-1].extract_text() or ""
    assert "[11]" in last.replace(" ", "")


FIG_PACK = PACK + """\
figures:
  - {id: rank, label: 全国百强区排名, value: 9, unit: 位, kind: ranking, note: 比去年晋级一位}
  - {id: firms, label: 民营企业, value: 9, unit: 万家, qualifier: 超}
  - {id: pop, label: 户籍人口, value: 89.5, unit: 万人, note: 原文写作“89.5万”}
"""


def test_figure_notes_are_footnotes_in_text_and_tables(tmp_path: Path) -> None:
    filler = "\n\n".join(f"第{i}段正文，用来把表格推到后面的页面上。" * 4 for i in range(12))
    brief = {"title": "数据注释", "unit": "示例县委办公室", "date": "2024-05-10", "theme": "gongwen",
             "sources": {"mp": "pack.yaml"},
             "blocks": [{"text": "全区排名{fig:rank}，民营企业{fig:firms}。\n\n" + filler},
                        {"table": "figures", "ids": ["rank", "firms", "pop"], "caption": "主要数据"}]}
    (tmp_path / "pack2.yaml").write_text(FIG_PACK, encoding="utf-8")
    brief["sources"] = {"mp": "pack2.yaml"}
    out = _build(tmp_path, brief)
    bodies, doc = _docx_notes(out / "brief.docx")
    assert bodies == ["比去年晋级一位", "原文写作“89.5万”"]
    cell_refs = [r for tc in doc.iter(f"{W}tc") for r in tc.iter(f"{W}footnoteReference")]
    assert len(cell_refs) == 1  # the rank's note was given in the text; the population's in its cell
    text = "".join(doc.itertext())
    assert "超9万家" in text and "比去年晋级一位" not in text
    pages = _pages(out / "brief.pdf")
    seen = _marks_on_their_pages(pages)
    assert seen == ["①", "②"]
    k = next(i for i, (body, _) in enumerate(pages) if "②" in body)
    assert "89.5②" in pages[k][0] and k > 0
    assert any("原文写作" in ln for ln in pages[k][1])


def test_picture_notes_are_footnotes_after_the_caption(tmp_path: Path) -> None:
    photos = Path(__file__).resolve().parents[2] / "sources" / "photos"
    (tmp_path / "meeting.jpg").write_bytes((photos / "meeting.jpg").read_bytes())
    pack = PACK + """\
    images:
      - {file: meeting.jpg, width: 40, credit: 摄影：示例, note: 照片经当事人同意使用。}
      - {file: meeting.jpg, width: 30, note: 无图题时说明印在图下。}
"""
    brief = {"title": "图片注释", "unit": "示例县委办公室", "date": "2024-05-10", "theme": "gongwen",
             "sources": {"mp": "pack.yaml"},
             "blocks": [{"image": "meeting.jpg", "width": 60, "caption": "图为调研现场", "note": "拍摄于2024年5月。"},
                        {"section": "a", "mode": "full"}]}
    out = _build(tmp_path, brief, {"pack.yaml": pack})
    bodies, doc = _docx_notes(out / "brief.docx")
    assert bodies == ["拍摄于2024年5月。", "服务站数量为年末数。", "照片经当事人同意使用。"]
    text = "".join(doc.itertext())
    assert "图为调研现场" in text and "无图题时说明印在图下。" in text
    pages = _pages(out / "brief.pdf")
    seen = _marks_on_their_pages(pages)
    assert seen == ["①", "②", "③"]
    assert any("图为调研现场①" in body for body, _ in pages)
