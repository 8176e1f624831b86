"""Unit tests of writers.pdf.front: masthead, cover, closing block and TOC lines set on PDF pages."""

from __future__ import annotations

from pdfkit import body_style, build, pages_text, plumber, text_for

from briefgen.model.theme import MM
from briefgen.tree import ClosingBlock, Cover, Masthead
from briefgen.writers.pdf.flowables import Bookmark, TextBlock
from briefgen.writers.pdf.front import ClosingFlowable, CoverFlowable, MastheadFlowable, TocEntry


def test_masthead_prints_name_issue_unit_and_date_on_whole_pitches() -> None:
    text = text_for()
    th = text.theme
    m = MastheadFlowable(Masthead("工作简报", "第3期", "示例办公室", "2024年5月10日", mark="内部资料"), text, th)
    _, h = m.wrap(th.type_area_width, 1e6)
    pitch = th.grid.line_pitch_pt
    assert abs(h / pitch - round(h / pitch)) < 1e-6
    page = pages_text(build([m], text)[0])[0]
    for part in ("内部资料", "工作简报", "第3期", "示例办公室", "2024年5月10日"):
        assert part in page
    with plumber(build([m], text)[0]) as pdf:
        name = [c for c in pdf.pages[0].chars if c["text"] == "工"]
        assert name and name[0]["size"] >= 26
        red = th.colors.red.lstrip("#")
        want = tuple(round(int(red[i:i + 2], 16) / 255, 3) for i in (0, 2, 4))
        assert tuple(round(v, 3) for v in name[0]["non_stroking_color"]) == want  # the theme's red


def test_cover_takes_its_own_page() -> None:
    text = text_for()
    cover = CoverFlowable(Cover("封面标题", "副题", "学习材料", "示例办", "2024年5月10日"), text, text.theme)
    data, _ = build([cover], text)
    (page,) = pages_text(data)
    for part in ("封面标题", "学习材料", "示例办", "2024年5月10日"):
        assert part in page


def test_closing_block_sits_at_the_foot_of_the_type_area() -> None:
    text = text_for()
    th = text.theme
    closing = ClosingFlowable(ClosingBlock([("报", "区委办公室")], "（共印50份）"), text, th)
    data, _ = build([closing], text)
    page = pages_text(data)[0]
    assert "报：区委办公室" in page and "（共印50份）" in page
    with plumber(data) as pdf:
        p = pdf.pages[0]
        rules = [ln for ln in p.lines + p.rects if abs((ln["x1"] - ln["x0"]) - th.type_area_width) < 1]
        assert rules
        bottom = p.height - th.page.margins_mm.bottom * MM
        assert abs(max(r["bottom"] for r in rules) - bottom) < 2


def test_toc_entry_prints_text_and_page_number_and_links() -> None:
    text = text_for()
    st = body_style(text)
    entry = TocEntry(text.pieces("一、总体情况", st.role, st.size), "h1", st, text, {"h1": 7})
    target = TextBlock(text.pieces("正文标题", st.role, st.size), st, text, bookmark=Bookmark("h1", "正文标题", 0))
    data, _ = build([entry, target], text)
    page = pages_text(data)[0]
    assert page.startswith("一、总体情况7")
    with plumber(data) as pdf:
        (link,) = pdf.pages[0].annots  # the line links to the heading
        assert link["data"]["Subtype"].name == "Link"
