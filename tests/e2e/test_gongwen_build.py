"""公文 elements (GB/T 9704-2012 §7) measured in the PDF of briefs/gongwen-tongzhi.yaml and variants
(签发人, sealed). Positions in pt from the page's top left; c = one body character (15.79 pt), one line
= 28.95 pt. The numbers are listed in the README (公文 elements table)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pdfplumber
import pytest
import yaml
from docx import Document as DocxDocument

#: Each test builds whole briefs (and opens some in LibreOffice): the full run, not the fast tier.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
MM = 72 / 25.4
LEFT, RIGHT = 28 * MM, (210 - 26) * MM  # 79.37, 521.57
TOP, BOTTOM = 37 * MM, (297 - 35) * MM  # 104.88, 742.68
C = (RIGHT - LEFT) / 28  # 15.79
LINE = 28.95
CENTRE = (LEFT + RIGHT) / 2


def _build(tmp: Path, changes: dict[str, object] | None = None, blocks: list[object] | None = None) -> Path:
    spec = yaml.safe_load((REPO / "briefs" / "gongwen-tongzhi.yaml").read_text(encoding="utf-8"))
    spec["sources"] = {"wj": str(REPO / "sources" / "wujiang-2022-09-23.yaml")}
    spec["gongwen"].update(changes or {})
    if blocks is not None:
        spec["blocks"] = spec["blocks"][:1] + blocks
    (tmp / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp / "b.yaml").write_text(yaml.safe_dump(spec, allow_unicode=True), encoding="utf-8")
    res = subprocess.run([sys.executable, "-m", "briefgen", "build", "b.yaml", "-o", "out",
                          "--allow-root", str(REPO)], cwd=tmp, capture_output=True, text=True, timeout=600)
    assert res.returncode == 0, res.stderr
    return tmp / "out"


def _lines(page: pdfplumber.page.Page) -> list[dict[str, object]]:
    return [ln for ln in page.extract_text_lines() if ln["top"] < BOTTOM]


def _find(lines: list[dict[str, object]], pattern: str) -> dict[str, object]:
    return next(ln for ln in lines if re.search(pattern, str(ln["text"])))


@pytest.fixture(scope="module")
def pdf(tmp_path_factory: pytest.TempPathFactory) -> pdfplumber.PDF:
    out = _build(tmp_path_factory.mktemp("gw"))
    doc = pdfplumber.open(out / "b.pdf")
    yield doc
    doc.close()


def test_head_mark_number_rule_and_title(pdf: pdfplumber.PDF) -> None:
    p = pdf.pages[0]
    lines = _lines(p)
    mark = _find(lines, "文件$")
    assert mark["top"] == pytest.approx(TOP + 35 * MM, abs=1.0)  # §7.2.4: 35 mm below the type-area top
    assert (mark["x0"] + mark["x1"]) / 2 == pytest.approx(CENTRE, abs=2)
    red = [ch for ch in p.chars if ch["top"] < mark["bottom"] + 1 and ch["top"] > mark["top"] - 1]
    assert red and all(tuple(ch["non_stroking_color"]) == (1, 0, 0) for ch in red)
    num = _find(lines, "〔\\d{4}〕[1-9]\\d*号$")
    assert (num["x0"] + num["x1"]) / 2 == pytest.approx(CENTRE, abs=2)
    size = red[0]["size"]
    assert num["top"] - (mark["top"] + size) == pytest.approx(2 * LINE + (LINE - 16) / 2, abs=3)  # 空二行
    rules = [r for r in p.lines + p.rects if tuple(r.get("stroking_color") or ()) == (1, 0, 0)]
    assert len(rules) == 1
    rule = rules[0]
    assert rule["x0"] == pytest.approx(LEFT, abs=1) and rule["x1"] == pytest.approx(RIGHT, abs=1)
    assert rule["linewidth"] >= 1.0
    box_bottom = num["top"] - (LINE - 16) / 2 + LINE
    assert rule["top"] == pytest.approx(box_bottom + 4 * MM, abs=1.5)  # §7.2.7: 4 mm below the 发文字号
    title = _find(lines, "关于")
    assert title["top"] - rule["top"] == pytest.approx(2 * LINE + (LINE - 22) / 2, abs=6)  # 空二行
    assert {round(c["size"]) for c in p.chars if title["top"] <= c["top"] <= title["bottom"]} == {22}


def test_addressee_note_signoff_and_fuzhu(pdf: pdfplumber.PDF) -> None:
    first = _lines(pdf.pages[0])
    addr = _find(first, "：$")
    assert addr["x0"] == pytest.approx(LEFT, abs=0.5)  # §7.3.2 flush left
    page = next(p for p in pdf.pages if "附件：1." in (p.extract_text() or ""))
    lines = _lines(page)
    note1, note2 = _find(lines, "^附件：1\\."), _find(lines, "^2\\.")
    assert note1["x0"] == pytest.approx(LEFT + 2 * C, abs=0.8)  # 2 characters in
    one = next(ch for ch in page.chars if ch["text"] == "1" and abs(ch["top"] - note1["top"]) < 2)
    assert note2["x0"] == pytest.approx(one["x0"], abs=0.8)  # later items under the first number
    name, date = _find(lines, "^示例区委组织部$"), _find(lines, "^\\d{4}年\\d{1,2}月\\d{1,2}日$")
    # §7.3.5.2: name 2 characters in, the date's first character 2 characters right of the name's; a date
    # that would then come closer than 2 characters to the edge is set 2 in and the name moves left
    assert date["x0"] == pytest.approx(name["x0"] + 2 * C, abs=1.5)
    assert date["x1"] <= RIGHT - 2 * C + 1.5
    assert min(abs(name["x1"] - (RIGHT - 2 * C)), abs(date["x1"] - (RIGHT - 2 * C))) < 1.5
    assert date["top"] - name["top"] == pytest.approx(LINE, abs=0.5)
    assert name["top"] - note2["top"] == pytest.approx(2 * LINE, abs=0.5)  # one blank line
    fuzhu = _find(lines, "^（.*）$")
    assert fuzhu["x0"] == pytest.approx(LEFT + 2 * C, abs=0.8) and fuzhu["top"] - date["top"] == pytest.approx(
        LINE, abs=0.5)


def test_attachment_pages(pdf: pdfplumber.PDF) -> None:
    starts = [p for p in pdf.pages if re.match(r"附件\d", (p.extract_text() or ""))]
    assert len(starts) == 2
    for p in starts:
        lines = _lines(p)
        mark, title = lines[0], lines[1]
        assert re.fullmatch(r"附件\d", mark["text"])
        assert mark["x0"] == pytest.approx(LEFT, abs=0.5)
        assert mark["top"] < TOP + LINE
        assert any(k in p.chars[0]["fontname"] for k in ("Hei", "Sans"))  # 黑体 (pip-only: Noto Sans SC)
        assert (title["x0"] + title["x1"]) / 2 == pytest.approx(CENTRE, abs=2)
        assert title["top"] - mark["top"] == pytest.approx(2 * LINE + (LINE - 22) / 2 - (LINE - 16) / 2, abs=4)


def test_banji_on_the_last_page(pdf: pdfplumber.PDF) -> None:
    p = pdf.pages[-1]
    rules = sorted((r for r in p.lines if r["x1"] - r["x0"] > 440), key=lambda r: r["top"])
    assert len(rules) == 3
    assert [round(r["linewidth"], 2) for r in rules] == [0.99, 0.71, 0.99]
    assert rules[-1]["top"] == pytest.approx(BOTTOM, abs=2)
    text = [ln for ln in p.extract_text_lines() if rules[0]["top"] < ln["top"] < BOTTOM]
    issue = text[-1]
    cc = "".join(str(ln["text"]) for ln in text[:-1])
    assert re.fullmatch(r"抄送：.*。", cc) and text[0]["x0"] == pytest.approx(LEFT + 14, abs=0.8)
    head = next(ch for ch in p.chars if ch["text"] == "：" and abs(ch["top"] - text[0]["top"]) < 2)
    for turn in text[1:-1]:  # wrapped 抄送 lines align after the colon (§7.4.2)
        assert turn["x0"] == pytest.approx(head["x1"], abs=1)
    assert issue["text"].endswith("印发") and issue["x1"] == pytest.approx(RIGHT - 14, abs=1)
    assert {round(c["size"]) for c in p.chars if c["top"] > rules[0]["top"] and c["top"] < BOTTOM} == {14}


def test_sealed_and_signer_variants(tmp_path: Path) -> None:
    out = _build(tmp_path, {"sealed": True, "signer": "张三"})
    with pdfplumber.open(out / "b.pdf") as pdf:
        lines = _lines(pdf.pages[0])
        num = _find(lines, "〔\\d{4}〕")
        assert num["x0"] == pytest.approx(LEFT + C, abs=0.8)  # §7.2.6: 1 character in
        signer = [ch for ch in pdf.pages[0].chars if abs(ch["top"] - num["top"]) < 3 and ch["x0"] > CENTRE]
        assert signer[-1]["x1"] == pytest.approx(RIGHT - C, abs=1.0)
        assert any(k in signer[-1]["fontname"] for k in ("Kai", "Oblique"))  # 楷体 (pip-only: synthetic oblique)
        page = next(p for p in pdf.pages if "附件：1." in (p.extract_text() or ""))
        lines = _lines(page)
        name, date = _find(lines, "^示例区委组织部$"), _find(lines, "^\\d{4}年\\d{1,2}月\\d{1,2}日$")
        assert date["x1"] == pytest.approx(RIGHT - 4 * C, abs=1.5)  # §7.3.5.1: 4 characters in
        assert (name["x0"] + name["x1"]) / 2 == pytest.approx((date["x0"] + date["x1"]) / 2, abs=1.5)


def test_docx_carries_every_element(tmp_path: Path) -> None:
    out = _build(tmp_path)
    doc = DocxDocument(str(out / "b.docx"))
    texts = [p.text for p in doc.paragraphs]
    for want in ("示例区委组织部文件", "示组发〔2022〕12号", "附件1", "附件2", "（此件发至基层党组织）", "2022年10月12日"):
        assert want in texts
    assert any(t.startswith("附件：1.") for t in texts)
    cells = [c.text for t in doc.tables for r in t.rows for c in r.cells]
    assert any(re.fullmatch(r"抄送：.*。", c) for c in cells) and any(c.endswith("印发") for c in cells)


def _banji_page(pdf: pdfplumber.PDF) -> int:
    return next(i for i, p in enumerate(pdf.pages, 1) if "抄送：" in (p.extract_text() or ""))


def _number(page: pdfplumber.page.Page) -> str:
    return "".join(c["text"] for c in page.chars if c["top"] > BOTTOM).strip()


@pytest.mark.parametrize(
    ("extra", "pages", "blank"),
    [
        ([], 2, None),  # the 版记 fits under the text on page 2
        ([{"attachment": "附件一"}, {"text": "附件正文。"}], 4, None),  # text ends on page 3: 版记 alone on 4
        ([{"attachment": "附件一"}, {"text": "附件正文。"}, {"attachment": "附件二"},
          {"text": "\n\n".join(["这是附件二的正文段落，用来把这一页排满，检验版记的位置是否正确。"] * 8)}], 6, 5),
    ],
)
def test_banji_goes_on_an_even_page(tmp_path: Path, extra: list[object], pages: int, blank: int | None) -> None:
    """GB/T 9704 §7.4.1: the 版记 on the last page, an even one (theme blocks.imprint_even_page, on in
    gongwen); a blank page added for it and the 版记 page after it carry no page number (§7.5)."""
    out = _build(tmp_path, blocks=extra)
    with pdfplumber.open(out / "b.pdf") as pdf:
        assert len(pdf.pages) == pages and _banji_page(pdf) == pages
        rules = [r for r in pdf.pages[-1].lines if r["x1"] - r["x0"] > 440]
        assert max(r["top"] for r in rules) == pytest.approx(BOTTOM, abs=2)
        if blank is None:
            assert _number(pdf.pages[-1]) == f"— {pages} —"
        else:
            assert not (pdf.pages[blank - 1].extract_text() or "").strip()  # blank: no text, no number
            assert _number(pdf.pages[-1]) == ""
            assert _number(pdf.pages[blank - 2]) == f"— {blank - 1} —"
