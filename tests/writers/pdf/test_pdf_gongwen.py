"""writers.pdf.gongwen: the 公文 elements laid out on PDF pages by GB/T 9704 §7, positions read back with pdfplumber."""

from __future__ import annotations

import re

import pytest
from pdfkit import build, pages_text, plumber
from pdfwkit import writer

from briefgen.tree import Addressee, AttachmentMark, AttachmentNote, GongwenHead, Imprint, Signoff
from briefgen.writers.pdf.gongwen import (
    MARK_DROP,
    MM,
    RED_RULE,
    RULE_GAP,
    addressee,
    attachment_mark,
    attachment_note,
    head,
    imprint,
    signoff,
)


def _page(text: str) -> str:
    """A page's text without its page number (—1—)."""
    return re.sub(r"—\d+—$", "", text)


def _top_of_type_area(w: object) -> float:
    th = w.theme  # type: ignore[attr-defined]
    return th.page.margins_mm.top * MM


def test_head_mark_35mm_down_in_red_with_the_red_rule() -> None:
    w = writer()
    data, _ = build(head(w, GongwenHead("示例县人民政府办公室", True, "示政办发〔2024〕5号"), 0), w.text)
    assert pages_text(data)[0].startswith("示例县人民政府办公室文件示政办发〔2024〕5号")
    red = w.theme.colors.red.lstrip("#")
    want = tuple(round(int(red[i:i + 2], 16) / 255, 2) for i in (0, 2, 4))
    with plumber(data) as pdf:
        page = pdf.pages[0]
        mark = [c for c in page.chars if c["text"] == "示"][0]
        assert tuple(round(v, 2) for v in mark["non_stroking_color"]) == want
        assert mark["top"] == pytest.approx(_top_of_type_area(w) + MARK_DROP, abs=3)
        number = [c for c in page.chars if c["text"] == "〔"][0]
        rules = [ln for ln in page.lines if abs(ln["linewidth"] - RED_RULE) < 0.01]
        assert len(rules) == 1
        rule = rules[0]
        assert abs((rule["x1"] - rule["x0"]) - w.theme.type_area_width) < 0.5
        box_bottom = number["bottom"] + (w.pitch - number["size"]) / 2  # the 发文字号 line box (glyph centred)
        assert rule["top"] - box_bottom == pytest.approx(RULE_GAP, abs=1)  # 4 mm below it


def test_signer_right_and_number_left() -> None:
    w = writer()
    data, _ = build(head(w, GongwenHead("示例局", False, "示局呈〔2024〕2号", "张三"), 0), w.text)
    with plumber(data) as pdf:
        chars = pdf.pages[0].chars
        left = w.theme.page.margins_mm.left * MM
        first = sorted((c for c in chars if c["text"] == "示"), key=lambda c: c["top"])[1]  # 示局呈…
        name = [c for c in chars if c["text"] == "三"][0]
        assert first["x0"] == pytest.approx(left + w.char, abs=1.5)  # one character in
        assert name["x1"] == pytest.approx(left + w.theme.type_area_width - w.char, abs=2)


def test_body_elements_text_and_indents() -> None:
    w = writer()
    flow = [*addressee(w, Addressee("各乡镇人民政府："), 0),
            *attachment_note(w, AttachmentNote(["甲表", "乙表"]), 0),
            *signoff(w, Signoff("示例局", "2024年5月10日", False, "联系人：张三"), 0)]
    data, _ = build(flow, w.text)
    text = _page(pages_text(data)[0])
    assert text == "各乡镇人民政府：附件：1.甲表2.乙表示例局2024年5月10日（联系人：张三）"
    left = w.theme.page.margins_mm.left * MM
    right = left + w.theme.type_area_width
    with plumber(data) as pdf:
        chars = pdf.pages[0].chars
        att = [c for c in chars if c["text"] == "附"][0]
        assert att["x0"] == pytest.approx(left + 2 * w.char, abs=1.5)
        yi = [c for c in chars if c["text"] == "甲"][0]
        yi2 = [c for c in chars if c["text"] == "乙"][0]
        assert yi2["x0"] == pytest.approx(yi["x0"], abs=1.5)  # later items under the first name
        day = [c for c in chars if c["text"] == "日"][0]
        assert day["x1"] < right - 1.5 * w.char  # the date stands in from the right edge


def test_attachment_mark_on_a_new_page_and_imprint_at_the_foot() -> None:
    w = writer()
    flow = [*addressee(w, Addressee("正文"), 0), *attachment_mark(w, AttachmentMark("附件1", "示例清单"), 0),
            *imprint(w, Imprint("县委办公室", "示例局办公室", "2024年5月10日"), 0)]
    data, _ = build(flow, w.text)
    pages = [_page(p) for p in pages_text(data)]
    assert pages[0] == "正文" and pages[1].startswith("附件1示例清单")
    assert "抄送：县委办公室。" in pages[1] and "示例局办公室2024年5月10日印发" in pages[1]
    bottom = w.theme.page.height_pt - w.theme.page.margins_mm.bottom * MM
    with plumber(data) as pdf:
        page = pdf.pages[1]
        rules = [r for r in page.lines + page.rects if abs((r["x1"] - r["x0"]) - w.theme.type_area_width) < 1]
        assert rules and max(r["bottom"] for r in rules) == pytest.approx(bottom, abs=2)
