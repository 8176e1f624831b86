"""Turn a wrapped title into the same phrase-boundary lines in the DOCX (w:br) and HTML (inline blocks, <wbr>) as in the PDF."""

from __future__ import annotations

from lxml import etree

from briefgen.writers.docx.xml import title_text
from briefgen.writers.html.office import phrased

TITLE = "读懂月度消费数据：以2019年8月份社会消费品零售总额为例"
W = 442.2


def test_docx_title_breaks_where_the_pdf_did() -> None:
    pdf = {TITLE: ["读懂月度消费数据：以2019年8月份", "社会消费品零售总额为例"]}
    assert title_text(TITLE, 22, W, pdf) == "读懂月度消费数据：以2019年8月份\n社会消费品零售总额为例"


def test_docx_only_build_breaks_at_a_phrase_boundary_in_character_units() -> None:
    # before: Word broke it itself, "…8月份社会消费|品零售总额为例" (inside 消费品)
    assert title_text(TITLE, 22, W, {}) == "读懂月度消费数据：以2019年8月份\n社会消费品零售总额为例"
    assert title_text("短标题", 22, W, {}) == "短标题"
    # a PDF line that would not fit Word's line (other metrics): Word breaks it itself
    assert title_text(TITLE, 22, 200, {TITLE: [TITLE[:20], TITLE[20:]]}) == TITLE


def test_html_title_is_phrased() -> None:
    root = etree.Element("div")
    h1 = phrased(root, "h1", TITLE, "title", ["读懂月度消费数据：以2019年8月份", "社会消费品零售总额为例"])
    html = etree.tostring(h1, method="html", encoding="unicode").replace("<wbr></wbr>", "<wbr>")
    assert h1.get("class") == "title phrased" and h1.get("aria-label") == TITLE
    assert [s.xpath("string()") for s in h1.findall("span")] == ["读懂月度消费数据：以2019年8月份", "社会消费品零售总额为例"]
    assert "社会<wbr>消费品<wbr>零售<wbr>总额" in html and "消<wbr>费" not in html
    assert phrased(root, "p", "工作方案", "subtitle", ["工作方案"]).text == "工作方案"  # short: plain text
