"""Turn small document trees into PDFs and measure them with pdfplumber against the GB/T 9704 checklist (gongwen-layout.md §2)."""

from __future__ import annotations

import io
import re
import shutil
import statistics
import subprocess
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import pdfplumber
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

import nodekit
from briefgen import tree
from briefgen.errors import BriefError
from briefgen.fonts.book import FontBook
from briefgen.inputs import limits
from briefgen.model.theme import MM, Theme, load_theme
from briefgen.typeset.linebreak import check_lines
from briefgen.writers.context import RenderContext
from briefgen.writers.pdf import writer as pdf_writer

TS = datetime(2022, 9, 23)
MM1 = MM  # 1 mm in points: the margin tolerance
LEFT, RIGHT = 28 * MM, 210 * MM - 26 * MM  # 79.37, 521.57
TOP, BOTTOM = 37 * MM, 297 * MM - 35 * MM  # 104.88, 742.68
PN = re.compile(r"^—\s?\d+\s?—$")

PARA = (
    "各地区各部门要认真贯彻落实党中央决策部署，全年实现地区生产总值2231亿元，同比增长12.2%，"
    "居全省第一。“十四五”时期——我们要坚持以人民为中心的发展思想，推进高质量发展……"
    "城乡居民人均可支配收入分别达到65294元和47498元。"
)
LITERAL = '<font color="red">&amp;</font>{{ 7*7 }} <img src=/etc/passwd> & < > \\n'


# ---------------------------------------------------------------- fixtures and helpers

_BOOKS: dict[str, FontBook] = {}


def context(theme_name: str = "gongwen") -> RenderContext:
    theme = load_theme(theme_name)
    if theme_name not in _BOOKS:
        _BOOKS[theme_name] = FontBook(theme)
    return RenderContext(theme=theme, fonts=_BOOKS[theme_name], timestamp=TS)


def render(doc: tree.Document, theme_name: str = "gongwen") -> bytes:
    return pdf_writer.render(doc, context(theme_name))


def face(theme_name: str, role: str) -> str:
    """The PostScript name a role's font has inside the PDF (subset prefix stripped)."""
    book = context(theme_name).fonts
    return pdfmetrics.getFont(book.pdf_font(role)).face.name.decode("latin-1")  # type: ignore[arg-type]


def font_of(char: dict[str, Any]) -> str:
    name = char["fontname"].split("+", 1)[-1]
    return re.sub(r"-\d+$", "", name)


def lines_of(page: Any) -> list[dict[str, Any]]:
    return list(page.extract_text_lines())


def body_lines(page: Any) -> list[dict[str, Any]]:
    return [
        ln for ln in lines_of(page)
        if not PN.match(ln["text"]) and abs(ln["chars"][0]["size"] - 16) < 0.01  # float noise
    ]


def baselines(page: Any, size: float = 16) -> list[float]:
    ys = sorted(
        {round(page.height - c["matrix"][5], 2) for c in page.chars if abs(c["size"] - size) < 0.01}
    )
    out: list[float] = []
    for y in ys:  # merge float noise
        if not out or y - out[-1] > 0.5:
            out.append(y)
    return out


def pdftotext(data: bytes, tmp: Path, *args: str) -> str:
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext not installed")
    p = tmp / "t.pdf"
    p.write_bytes(data)
    return subprocess.run(
        ["pdftotext", *args, str(p), "-"], capture_output=True, text=True, check=True
    ).stdout


def body_doc() -> tree.Document:
    blocks: list[tree.Block] = [
        tree.Heading(1, tree.plain("总体情况"), label="一、", anchor="overview"),
        tree.Heading(2, tree.plain("经济发展"), label="（一）"),
        tree.Heading(3, tree.plain("工业生产"), label="1."),
        tree.Heading(4, tree.plain("重点企业"), label="（1）"),
    ]
    blocks += [tree.Paragraph(tree.plain(PARA * 2)) for _ in range(14)]
    return tree.Document(tree.Metadata("关于2022年经济运行情况的报告", author="示例单位", subject="经济运行",
                                       keywords=["经济", "报告"]), blocks)  # fmt: skip


@pytest.fixture(scope="module")
def body_pdf() -> bytes:
    return render(body_doc())


@pytest.fixture(scope="module")
def body_plumb(body_pdf: bytes) -> Any:
    return pdfplumber.open(io.BytesIO(body_pdf))


# ---------------------------------------------------------------- geometry (checklist rows 1–9)


def test_a4_and_margins(body_plumb: Any) -> None:
    page = body_plumb.pages[1]  # a full body page
    assert page.width == pytest.approx(595.28, abs=0.5)
    assert page.height == pytest.approx(841.89, abs=0.5)
    lines = body_lines(page)
    x0 = min(ln["x0"] for ln in lines)
    x1 = max(ln["x1"] for ln in lines)
    assert x0 == pytest.approx(LEFT, abs=MM1)
    assert x1 == pytest.approx(RIGHT, abs=MM1)
    # the first line box starts at the type-area top, the 22nd ends inside the type area
    gap = (context().theme.grid.line_pitch_pt - 16) / 2
    assert lines[0]["top"] - gap == pytest.approx(TOP, abs=MM1)
    assert lines[-1]["bottom"] + gap == pytest.approx(BOTTOM, abs=MM1)
    for p in body_plumb.pages:
        for c in p.chars:
            if c["top"] < 742.7:  # body, not the page number
                assert (
                    c["x0"] >= 78.4
                    and c["x1"] <= 522.6
                    and c["top"] >= 103.9
                    and c["bottom"] <= 743.7
                )


def test_body_size_font_pitch_and_lines_per_page(body_plumb: Any) -> None:
    page = body_plumb.pages[1]
    sizes = [round(c["size"], 2) for c in page.chars]
    assert statistics.mode(sizes) == 16
    fonts = {font_of(c) for c in page.chars if c["size"] == 16}
    assert fonts == {face("gongwen", "fangsong")}
    ys = baselines(page)
    assert len(ys) == 22  # 22 lines fill the type area
    diffs = [b - a for a, b in zip(ys, ys[1:], strict=False)]
    assert all(28.0 <= d <= 29.0 for d in diffs), diffs
    assert statistics.mean(diffs) == pytest.approx(28.95, abs=0.05)


def test_28_chars_on_a_full_justified_line(body_plumb: Any) -> None:
    """28 full-width characters fill 156 mm: pitch 15.79 pt (tracking −0.21 pt, theme.tracking)."""
    full = []
    for page in body_plumb.pages:
        for ln in body_lines(page):
            chars = ln["chars"]
            if len(chars) == 28 and all(ord(c["text"]) > 0x2000 for c in chars):
                full.append(chars)
    assert full, "no all-CJK line found"
    for chars in full:
        assert chars[0]["x0"] == pytest.approx(LEFT, abs=0.05)
        pitch = (chars[-1]["x0"] - chars[0]["x0"]) / 27
        assert pitch == pytest.approx(442.2 / 28, abs=0.01)
        assert chars[-1]["x1"] == pytest.approx(RIGHT, abs=0.5)


def test_justified_lines_end_flush_and_paragraphs_indent_two_chars(body_plumb: Any) -> None:
    firsts = 0
    for page in body_plumb.pages:
        lines = body_lines(page)
        for i, ln in enumerate(lines):
            if ln["x0"] > LEFT + 10 and not ln["text"].startswith(("一", "（", "1", "2")):
                # a paragraph's first line: 2 × 15.79 pt = 31.59 → x0 110.96 (≈ 111.0)
                assert 110.9 <= ln["x0"] <= 111.4, ln["text"]
                firsts += 1
            nxt = lines[i + 1] if i + 1 < len(lines) else None
            if (
                nxt is not None and nxt["x0"] < LEFT + 10
            ):  # a turnover follows: this line is justified
                assert ln["x1"] == pytest.approx(RIGHT + 0.21, abs=0.3), ln["text"]
    assert firsts >= 10


def test_title_centred_in_title_font(body_plumb: Any) -> None:
    page = body_plumb.pages[0]
    (title,) = [ln for ln in lines_of(page) if ln["text"].startswith("关于")]
    assert {c["size"] for c in title["chars"]} == {22}
    assert (title["x0"] + title["x1"]) / 2 == pytest.approx(300.5, abs=2)
    assert {font_of(c) for c in title["chars"]} == {face("gongwen", "xiaobiaosong")}


def test_heading_fonts(body_plumb: Any) -> None:
    lines = lines_of(body_plumb.pages[0])
    want = {"一、": "heiti", "（一）": "kaiti", "1.": "fangsong", "（1）": "fangsong"}
    for prefix, role in want.items():
        (ln,) = [x for x in lines if x["text"].startswith(prefix)]
        assert {round(c["size"], 2) for c in ln["chars"]} == {16}
        assert {font_of(c) for c in ln["chars"]} == {face("gongwen", role)}, prefix
        assert 110.9 <= ln["x0"] <= 111.4  # headings indent 2 chars too


def test_headings_and_body_share_the_grid(body_plumb: Any) -> None:
    page = body_plumb.pages[0]
    ys = baselines(page)
    pitch = context().theme.grid.line_pitch_pt
    for y in ys:
        k = (y - ys[0]) / pitch
        assert abs(k - round(k)) < 0.01, (y, ys[0])


# ---------------------------------------------------------------- page numbers (rows 10–13)


def _footer(page: Any) -> dict[str, Any]:
    (ln,) = [x for x in lines_of(page) if x["top"] > 742.7]
    return ln


def test_page_numbers_text_side_and_height(body_plumb: Any) -> None:
    assert len(body_plumb.pages) >= 3
    for i, page in enumerate(body_plumb.pages, 1):
        ln = _footer(page)
        assert PN.match(ln["text"]), ln["text"]
        assert ln["text"].replace(" ", "") == f"—{i}—"
        assert {round(c["size"], 2) for c in ln["chars"]} == {14}
        assert {font_of(c) for c in ln["chars"]} == {face("gongwen", "songti")}
        digits = [c for c in ln["chars"] if c["text"].isdigit()]
        assert all(c["x1"] - c["x0"] <= 8.5 for c in digits)  # half-width digits
        assert ln["top"] == pytest.approx(762.5, abs=2 * MM1)  # 7 mm below the type area
        if i % 2:
            assert ln["x1"] == pytest.approx(507.6, abs=3)  # odd: right, inset 1 char
        else:
            assert ln["x0"] == pytest.approx(93.4, abs=3)  # even: left, inset 1 char


def test_report_theme_centres_page_numbers() -> None:
    data = render(body_doc(), "report")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages[:2]:
            ln = _footer(page)
            assert (ln["x0"] + ln["x1"]) / 2 == pytest.approx(300.5, abs=1)


# ---------------------------------------------------------------- text layer


def test_pdftotext_returns_exact_text(body_pdf: bytes, tmp_path: Path) -> None:
    out = pdftotext(body_pdf, tmp_path)
    lines = [ln for ln in out.splitlines() if ln.strip() and not PN.match(ln.strip())]
    doc = body_doc()
    expected = "".join(tree.document_text(doc))
    expected = expected.replace("关于2022年经济运行情况的报告", "", 1)
    got = "".join(lines)
    assert got.startswith("关于2022年经济运行情况的报告")
    assert got.replace("关于2022年经济运行情况的报告", "", 1) == expected
    assert " " not in got  # no spaces read into CJK text


def test_pypdf_text_and_line_rules(body_pdf: bytes, body_plumb: Any) -> None:
    text = "".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body_pdf)).pages)
    assert re.sub(r"\s+", "", PARA) in re.sub(r"\s+", "", text)
    for page in body_plumb.pages:
        lines = [ln["text"] for ln in body_lines(page)]
        assert not check_lines(lines), check_lines(lines)


def test_markup_is_printed_literally(tmp_path: Path) -> None:
    doc = tree.Document(
        tree.Metadata("标题<b>&amp;</b>"),
        [
            tree.Heading(1, tree.plain("<i>标题</i>&"), label="一、"),
            tree.Paragraph((tree.Span(LITERAL), tree.Span("<b>粗</b>", strong=True))),
            tree.Table([[tree.TableCell("<td>&lt;")], [tree.TableCell("<font color='x'>")]]),
        ],
    )
    data = render(doc)
    out = pdftotext(data, tmp_path)
    squashed = re.sub(r"\s+", "", out)
    for s in ('<font color="red">&amp;</font>{{ 7*7 }}', "<img src=/etc/passwd>", "<b>粗</b>",
              "标题<b>&amp;</b>", "<i>标题</i>&", "<td>&lt;", "<font color='x'>"):  # fmt: skip
        assert re.sub(r"\s+", "", s) in squashed, s
    assert '<font color="red">&amp;</font>{{ 7*7 }}' in out


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    st.text(
        alphabet=st.sampled_from(
            list("中文测试报告发展经济，。、；：“”（）《》——……12345.%年亿元abcXYZ<>&\"'")
        ),
        min_size=1,
        max_size=120,
    ).map(str.strip).filter(bool)  # surrounding spaces are not printed: no empty paragraphs
)
def test_property_pdftotext_roundtrip(tmp_path: Path, s: str) -> None:
    data = render(
        tree.Document(tree.Metadata(""), [tree.Paragraph(tree.plain(s))], show_title=False)
    )
    out = pdftotext(data, tmp_path)
    lines = [ln for ln in out.splitlines() if ln.strip() and not PN.match(ln.strip())]
    assert "".join(lines) == s


# ---------------------------------------------------------------- fonts and file validity


def test_missing_glyph_is_drawn_as_geta_and_an_error_with_strict(monkeypatch: pytest.MonkeyPatch) -> None:
    doc = tree.Document(
        tree.Metadata("缺字"), [tree.Paragraph(tree.plain("生僻字\U000f0001和\U000f0002"))]
    )
    text = PdfReader(io.BytesIO(render(doc))).pages[0].extract_text()
    assert "生僻字〓和〓" in text.replace(" ", "").replace("\n", "")
    monkeypatch.setenv(limits.ENV_VAR, limits.Policy(strict=True).to_env())
    with pytest.raises(BriefError) as err:
        render(doc)
    msg = str(err.value)
    assert "U+F0001" in msg and "U+F0002" in msg


@pytest.mark.parametrize("kind", ["body", "everything"])
def test_qpdf_check_and_fonts_embedded(kind: str, body_pdf: bytes, tmp_path: Path) -> None:
    data = body_pdf if kind == "body" else render(every_block_document(), "jianbao")
    p = tmp_path / "b.pdf"
    p.write_bytes(data)
    if shutil.which("qpdf"):
        r = subprocess.run(["qpdf", "--check", str(p)], capture_output=True, text=True)
        assert r.returncode == 0, r.stdout + r.stderr
    if not shutil.which("pdffonts"):
        pytest.skip("pdffonts not installed")
    r = subprocess.run(["pdffonts", str(p)], capture_output=True, text=True, check=True)
    rows = r.stdout.splitlines()[2:]
    assert rows
    for row in rows:
        cols = row.split()
        assert cols[-5] == "yes" and cols[-4] == "yes", row  # embedded and subset
        assert "Type 3" not in row
    assert b"FontFile2" in data


def test_metadata_outline_and_destinations(body_pdf: bytes) -> None:
    r = PdfReader(io.BytesIO(body_pdf))
    m = r.metadata
    assert m is not None
    assert m.title == "关于2022年经济运行情况的报告"
    assert m.author == "示例单位"
    assert m.subject == "经济运行"
    assert m.get("/Keywords") == "经济, 报告"
    assert m.get("/Creator") == "briefgen"
    assert str(m.get("/CreationDate")).startswith("D:20220923000000")

    def titles(items: list[Any]) -> list[str]:
        out: list[str] = []
        for it in items:
            out.extend(titles(it) if isinstance(it, list) else [it.title])
        return out

    assert titles(r.outline) == [
        "关于2022年经济运行情况的报告",
        "一、总体情况",
        "（一）经济发展",
        "1.工业生产",
        "（1）重点企业",
    ]
    names = {k.lstrip("/") for k in r.named_destinations}
    assert {"title", "overview", "h2", "h3", "h4"} <= names  # Heading.anchor, else h<n>


def test_same_input_same_bytes(body_pdf: bytes) -> None:
    assert render(body_doc()) == body_pdf
    other = pdf_writer.render(
        body_doc(), RenderContext(load_theme("gongwen"), context().fonts, datetime(2023, 1, 2))
    )
    assert other != body_pdf
    assert b"D:20230102000000" in other


# ---------------------------------------------------------------- dispatch


def test_every_block_type_has_a_handler() -> None:
    assert set(pdf_writer.HANDLERS) == set(tree.BLOCK_TYPES)


def every_block_document() -> tree.Document:
    T = tree.TableCell
    blocks: list[tree.Block] = [
        tree.Cover(
            "封面标题", "副标题", "学习材料", "示例单位", "2022年9月23日", "内部资料 注意保存"
        ),
        tree.TocPlaceholder(),
        tree.Masthead(
            "党建工作简报", "第3期（总第45期）", "示例区委组织部", "2022年10月8日", "内部资料"
        ),
        tree.Heading(1, tree.plain("一级标题"), label="一、"),
        tree.Paragraph(
            (tree.Span("正文"), tree.Span("强调", strong=True), tree.Span("楷体", emphasis=True))
        ),
        tree.ListBlock([tree.plain("第一项"), tree.plain("第二项")], ordered=True),
        tree.ListBlock([tree.plain("要点")], ordered=False),
        tree.Table(
            [
                [T("指标", "center", True), T("数值", "center", True)],
                [T("地区生产总值"), T("2224.53", "right")],
            ],
            caption="表题",
            source_note="资料来源：测试",
        ),  # fmt: skip
        tree.Chart("line", ["1月", "2月", "3月"], [tree.ChartSeries("甲", [Decimal(1), None, Decimal(3)]),
                                                     tree.ChartSeries("乙", [Decimal(2), Decimal(2), Decimal(1)])],
                   caption="图题", source_note="资料来源：测试", axis_max=Decimal(4), axis_step=Decimal(1)),
        tree.Box("思考题", [tree.Paragraph(tree.plain("怎样理解？"))], kind="question"),
        tree.PageBreak(),
        tree.Heading(2, tree.plain("二级标题"), label="（一）"),
        *nodekit.office_nodes(),
        tree.ClosingBlock([("报", "区委"), ("送", "各部门")], "（共印50份）"),
    ]
    assert {type(b) for b in blocks} == set(tree.BLOCK_TYPES)
    return tree.Document(tree.Metadata("全部节点"), blocks)


def test_every_block_type_renders() -> None:
    doc = every_block_document()
    data = render(doc, "jianbao")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        text = "".join(p.extract_text() for p in pdf.pages)
    for s in tree.document_text(doc):
        assert re.sub(r"\s", "", s) in re.sub(r"\s", "", text), s


def test_unknown_node_is_internal_error() -> None:
    class Alien:
        pass

    with pytest.raises(TypeError, match="no handler for Alien"):
        render(tree.Document(tree.Metadata("x"), [Alien()]))  # type: ignore[list-item]


# ---------------------------------------------------------------- masthead, closing block, cover, TOC


def _is_red(color: Any) -> bool:
    return tuple(round(float(v), 2) for v in (color or ())) == (1.0, 0.0, 0.0)


def test_jianbao_masthead_red_name_and_rule() -> None:
    m = tree.Masthead(
        "党建工作简报",
        "第3期（总第45期）",
        "中共示例区委组织部",
        "2022年10月8日",
        "内部资料 注意保存",
    )
    doc = tree.Document(tree.Metadata("标题"), [m, tree.Paragraph(tree.plain(PARA))])
    with pdfplumber.open(io.BytesIO(render(doc, "jianbao"))) as pdf:
        page = pdf.pages[0]
        lines = lines_of(page)
        (name,) = [ln for ln in lines if ln["text"] == "党建工作简报"]
        assert all(_is_red(c["non_stroking_color"]) for c in name["chars"])
        assert min(c["size"] for c in name["chars"]) >= 26
        assert (name["x0"] + name["x1"]) / 2 == pytest.approx(300.5, abs=1)
        assert {font_of(c) for c in name["chars"]} == {face("jianbao", "xiaobiaosong")}
        (issue,) = [ln for ln in lines if ln["text"].startswith("第3期")]
        assert (issue["x0"] + issue["x1"]) / 2 == pytest.approx(300.5, abs=1)
        red = [ln for ln in page.lines if _is_red(ln["stroking_color"])]
        assert len(red) == 1
        rule = red[0]
        assert rule["x0"] == pytest.approx(79.4, abs=1) and rule["x1"] == pytest.approx(
            521.6, abs=1
        )
        assert rule["linewidth"] >= 1
        unit_date = [ln for ln in lines if "中共示例区委组织部" in ln["text"]]
        (ud,) = unit_date
        assert ud["x0"] == pytest.approx(LEFT, abs=1) and ud["x1"] == pytest.approx(RIGHT, abs=1)
        assert ud["text"].endswith("2022年10月8日")
        assert 0 < rule["top"] - ud["bottom"] < 15  # the line just above the rule
        mark = [ln for ln in lines if ln["text"] == "内部资料 注意保存"]
        assert mark and mark[0]["x0"] == pytest.approx(LEFT, abs=1) and mark[0]["top"] < name["top"]
        # colour discipline: nothing else is red
        others = [c for c in page.chars if c["text"] not in "党建工作简报"]
        assert not any(_is_red(c["non_stroking_color"]) for c in others)


def _closing_doc(paras: int) -> tree.Document:
    blocks: list[tree.Block] = [tree.Paragraph(tree.plain(PARA)) for _ in range(paras)]
    blocks.append(tree.ClosingBlock([("报", "区委、区政府"), ("送", "区人大常委会办公室，区政协办公室"), ("发", "各镇（区）、街道")],
                                    "（共印50份）"))  # fmt: skip
    return tree.Document(tree.Metadata("简报标题"), blocks)


@pytest.mark.parametrize("paras", [2, 9])  # fits on page 1 / needs a new page
def test_closing_block_at_foot_of_last_page(paras: int) -> None:
    with pdfplumber.open(io.BytesIO(render(_closing_doc(paras), "jianbao"))) as pdf:
        page = pdf.pages[-1]
        rules = sorted(
            (ln for ln in page.lines if ln["x1"] - ln["x0"] > 400), key=lambda ln: ln["top"]
        )
        assert len(rules) >= 2
        for r in rules:
            assert r["x1"] - r["x0"] == pytest.approx(442.2, abs=0.5)
            assert not _is_red(r["stroking_color"])
        assert rules[0]["linewidth"] == pytest.approx(0.99, abs=0.05)
        assert rules[-1]["linewidth"] == pytest.approx(0.99, abs=0.05)
        assert any(r["linewidth"] == pytest.approx(0.71, abs=0.05) for r in rules[1:-1])
        assert rules[-1]["top"] == pytest.approx(742.7, abs=2)
        lines = [ln for ln in lines_of(page) if rules[0]["top"] < ln["top"] < rules[-1]["top"]]
        texts = [ln["text"] for ln in lines]
        assert [t[:2] for t in texts if re.match(r"^(报|送|发)：", t)] == ["报：", "送：", "发："]
        assert any(re.search(r"共印\d+份", t) for t in texts)
        for ln in lines:
            assert {round(c["size"], 2) for c in ln["chars"]} == {14}
            if ln["text"].startswith("报："):
                assert ln["x0"] == pytest.approx(LEFT + 14, abs=1)  # indented 1 char
            if "共印" in ln["text"]:
                assert ln["x1"] == pytest.approx(RIGHT - 14, abs=1)


def test_cover_unnumbered_and_toc_pages() -> None:
    blocks: list[tree.Block] = [
        tree.Cover(
            "学习贯彻二十大精神", "专题辅导", "学习材料", "示例单位", "2022年10月", "内部资料"
        ),
        tree.TocPlaceholder(),
        tree.Heading(1, tree.plain("第一部分"), label="一、"),
        *[tree.Paragraph(tree.plain(PARA * 2)) for _ in range(10)],
        tree.Heading(1, tree.plain("第二部分"), label="二、"),
        tree.Heading(2, tree.plain("具体要求"), label="（一）"),
        tree.Paragraph(tree.plain(PARA)),
    ]
    data = render(tree.Document(tree.Metadata("学习材料"), blocks), "handout")
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        pages = pdf.pages
        assert not [x for x in lines_of(pages[0]) if x["top"] > 742.7]  # cover: no number
        assert "学习贯彻二十大精神" in pages[0].extract_text()
        assert _footer(pages[1])["text"].replace(" ", "") == "—1—"  # TOC page is page 1
        toc = pages[1].extract_text()
        where = {}
        for i, p in enumerate(pages[2:], 2):
            for t in ("一、第一部分", "二、第二部分", "（一）具体要求"):
                if t in p.extract_text().replace(" ", "") and t not in where:
                    where[t] = i  # physical index = displayed number (cover uncounted)
        for t, n in where.items():
            assert re.search(re.escape(t) + r"\s*" + str(n), toc.replace(" ", "")), (t, n, toc)
    r = PdfReader(io.BytesIO(data))
    assert len(r.outline) >= 1
    assert r.trailer["/Root"]["/PageMode"] == "/UseOutlines"


# ---------------------------------------------------------------- tables


def _table(n: int, style: str = "three-line") -> tree.Table:
    T = tree.TableCell
    rows = [
        [
            T("序号", "center", True),
            T("地区", "center", True),
            T("指标", "center", True),
            T("数值", "center", True),
        ]
    ]
    for i in range(n):
        rows.append([T(str(i + 1), "center"), T(f"第{i % 9}街道"), T("地区生产总值" if i % 4 else "规模以上工业增加值较上年同期增长情况"),
                     T(f"{1234.5 + i:.2f}", "right")])  # fmt: skip
    return tree.Table(rows, caption="表1 主要指标", source_note="资料来源：区统计局。", style=style)  # type: ignore[arg-type]


def test_three_line_table_rules_caption_and_alignment() -> None:
    doc = tree.Document(tree.Metadata("表格"), [_table(5)], show_title=False)
    with pdfplumber.open(io.BytesIO(render(doc))) as pdf:
        page = pdf.pages[0]
        h = [ln for ln in page.lines if abs(ln["top"] - ln["bottom"]) < 0.01]
        v = [ln for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.01]
        assert not v  # no vertical rules
        widths = sorted(round(ln["linewidth"], 2) for ln in h)
        assert widths.count(1.0) >= 2 and 0.5 in widths
        lines = lines_of(page)
        (cap,) = [ln for ln in lines if ln["text"] == "表1 主要指标" or ln["text"] == "表1主要指标"]
        assert (cap["x0"] + cap["x1"]) / 2 == pytest.approx(300.5, abs=1)
        top_rule = min(ln["top"] for ln in h)
        assert cap["bottom"] < top_rule
        (src,) = [ln for ln in lines if ln["text"].startswith("资料来源")]
        assert src["top"] > max(ln["top"] for ln in h)
        nums = [w for w in page.extract_words() if re.fullmatch(r"\d+\.\d\d", w["text"])]
        assert len({round(w["x1"], 1) for w in nums}) == 1  # right-aligned numbers
        tops = {round(w["top"]) for w in nums}
        assert len(tops) == 5


def test_a_reference_table_is_set_in_the_themes_smaller_reference_size() -> None:
    """The sources appendix (``Table.reference``): 小四 at an 18 pt pitch in 公文 themes, the
    other tables 四号 at 22 pt; the note keeps its own size."""
    small = _table(6)
    small.reference = True
    for t, size, pitch in ((_table(6), 14.0, 22.0), (small, 12.0, 18.0)):
        doc = tree.Document(tree.Metadata("表格"), [t], show_title=False)
        with pdfplumber.open(io.BytesIO(render(doc))) as pdf:
            cells = [c for c in pdf.pages[0].chars if c["text"] == "街"]
        assert {round(c["size"], 1) for c in cells} == {size}
        tops = sorted({round(c["top"], 1) for c in cells})
        assert len(tops) == 6
        assert min(b - a for a, b in zip(tops, tops[1:], strict=False)) >= pitch  # a row: pitch + padding


def test_grid_table_has_verticals() -> None:
    doc = tree.Document(tree.Metadata("表格"), [_table(3, "grid")], show_title=False)
    with pdfplumber.open(io.BytesIO(render(doc))) as pdf:
        v = [ln for ln in pdf.pages[0].lines if abs(ln["x0"] - ln["x1"]) < 0.01]
        assert len({round(ln["x0"]) for ln in v}) == 5  # 4 columns → 5 vertical rules


def test_long_table_splits_and_repeats_header() -> None:
    doc = tree.Document(
        tree.Metadata("长表"), [_table(150), tree.Paragraph(tree.plain("表后正文。"))]
    )
    with pdfplumber.open(io.BytesIO(render(doc))) as pdf:
        assert len(pdf.pages) >= 4
        seen: list[int] = []
        for page in pdf.pages:
            text = page.extract_text()
            if "街道" in text:
                assert "序号" in text and "数值" in text  # header on every page
                seen += [int(m) for m in re.findall(r"^(\d+) 第", text, re.M)]
        assert seen == list(range(1, 151))  # every row once, in order
        body = [c for p in pdf.pages for c in p.chars if c["top"] < 742.7]
        assert all(c["bottom"] <= 743.7 for c in body)


@pytest.mark.slow  # 10,000 rows over 100+ pages
def test_ten_thousand_rows_paginate() -> None:
    doc = tree.Document(tree.Metadata("大表"), [_table(10_000)])
    data = pdf_writer.render(doc, context())  # how fast: bench/run.py (tables)
    assert len(PdfReader(io.BytesIO(data)).pages) > 100


def test_box_list_and_roles() -> None:
    blocks: list[tree.Block] = [
        tree.Box(
            "学习要点",
            [tree.Paragraph(tree.plain(PARA)), tree.ListBlock([tree.plain("第一条要点" * 8)])],
        ),
        tree.Paragraph(tree.plain("编者按：这是按语。"), role="note"),
        tree.Paragraph(tree.plain("示例单位"), role="signature"),
        tree.Paragraph(tree.plain("2022年9月23日"), role="date"),
        tree.Paragraph(tree.plain("居中"), align="center"),
    ]
    with pdfplumber.open(
        io.BytesIO(render(tree.Document(tree.Metadata("x"), blocks, show_title=False)))
    ) as pdf:
        page = pdf.pages[0]
        lines = lines_of(page)
        rects = [ln for ln in page.lines if abs(ln["x0"] - ln["x1"]) < 0.01]
        assert len(rects) >= 2  # box sides
        (note,) = [ln for ln in lines if ln["text"].startswith("编者按")]
        assert {font_of(c) for c in note["chars"]} == {face("gongwen", "kaiti")}
        (date,) = [ln for ln in lines if ln["text"] == "2022年9月23日"]
        assert date["x1"] == pytest.approx(457.6, abs=4)  # right-indented 4 chars (row 18)
        (mid,) = [ln for ln in lines if ln["text"] == "居中"]
        assert (mid["x0"] + mid["x1"]) / 2 == pytest.approx(300.5, abs=1)
        bullet = [ln for ln in lines if ln["text"].startswith("•")]
        assert bullet
        turn = lines[lines.index(bullet[0]) + 1]
        assert turn["x0"] > bullet[0]["x0"]  # hanging indent after the bullet


def test_seven_page_document() -> None:
    def make() -> tree.Document:
        blocks: list[tree.Block] = []
        for i in range(1, 8):
            blocks.append(
                tree.Heading(1, tree.plain(f"第{i}部分"), label=f"{'一二三四五六七'[i - 1]}、")
            )
            blocks += [tree.Paragraph(tree.plain(PARA * 2)) for _ in range(2)]
            blocks.append(_table(3))
        return tree.Document(tree.Metadata("七页文档"), blocks)

    assert 6 <= len(PdfReader(io.BytesIO(render(make()))).pages) <= 8


def test_theme_geometry_documented() -> None:
    th: Theme = load_theme("gongwen")
    assert th.char_pitch == pytest.approx(15.79, abs=0.01)
    assert th.tracking == pytest.approx(-0.21, abs=0.01)


@pytest.mark.parametrize("filler", [16, 18, 19, 20, 21])
def test_heading_stays_with_table_and_box(filler: int) -> None:
    blocks: list[tree.Block] = [tree.Paragraph(tree.plain("短段落。")) for _ in range(filler)]
    blocks += [tree.Heading(1, tree.plain("主要数据"), label="三、"), _table(6)]
    blocks += [tree.Paragraph(tree.plain("短段落。")) for _ in range(filler - 4)]
    blocks += [tree.Heading(2, tree.plain("思考"), label="（一）"),
               tree.Box("思考题", [tree.Paragraph(tree.plain("怎样理解？" * 6))], kind="question")]  # fmt: skip
    doc = tree.Document(tree.Metadata("x"), blocks, show_title=False)
    with pdfplumber.open(io.BytesIO(render(doc))) as pdf:
        pages = [p.extract_text() for p in pdf.pages]

    def page_of(s: str) -> int:
        return next(i for i, t in enumerate(pages) if s in t.replace(" ", ""))

    assert page_of("三、主要数据") == page_of("表1主要指标") == page_of("序号")
    assert page_of("（一）思考") == page_of("思考题") == page_of("怎样理解？怎样理解")


@pytest.mark.parametrize("filler", range(14, 23))
def test_a_heading_stays_with_a_short_lesson_and_its_box(filler: int) -> None:
    """A heading, a two-line lesson and its 思考题 (a minzheng stress handout left 二、…（一）… at a
    page foot): wherever the heading falls, the lesson and box are on its page."""
    blocks: list[tree.Block] = [tree.Paragraph(tree.plain("短段落。")) for _ in range(filler)]
    blocks += [tree.Heading(2, tree.plain("老年人口"), label="（一）"),
               tree.Paragraph(tree.plain("截至年末，老年人口占总人口的比重已超过五分之一，抚养比继续上升。" * 2)),
               tree.Box("思考题", [tree.Paragraph(tree.plain("两个口径各用于什么场合？" * 3))], kind="question")]  # fmt: skip
    doc = tree.Document(tree.Metadata("x"), blocks, show_title=False)
    with pdfplumber.open(io.BytesIO(render(doc))) as pdf:
        pages = [p.extract_text() for p in pdf.pages]

    def page_of(s: str) -> int:
        return next(i for i, t in enumerate(pages) if s in t.replace(" ", "").replace("\n", ""))

    assert page_of("（一）老年人口") == page_of("截至年末") == page_of("两个口径")


@pytest.mark.parametrize("filler", range(14, 23))
def test_a_heading_keeps_lines_of_a_lesson_whose_box_is_too_tall_to_go_along(filler: int) -> None:
    """Helper set E: 二、 and （一） stayed at a page foot when the lesson's 学习要点 box was too
    tall to keep with it — the heading then asked for no lines of the lesson at all."""
    points = [tree.Paragraph(tree.plain(f"{k}．" + "海洋生产总值占国内生产总值的比重保持稳定。" * 2)) for k in range(1, 5)]
    blocks: list[tree.Block] = [tree.Paragraph(tree.plain("短段落。")) for _ in range(filler)]
    blocks += [tree.Heading(2, tree.plain("总量与三次产业"), label="（一）"),
               tree.Paragraph(tree.plain("海洋生产总值首次跨过十万亿元，占国内生产总值的比重基本稳定。" * 2)),
               tree.Box("学习要点", points, kind="keypoints")]  # fmt: skip
    doc = tree.Document(tree.Metadata("x"), blocks, show_title=False)
    with pdfplumber.open(io.BytesIO(render(doc))) as pdf:
        pages = [(p.extract_text() or "").replace(" ", "").replace("\n", "") for p in pdf.pages]
    heading = next(i for i, t in enumerate(pages) if "（一）总量与三次产业" in t)
    assert "海洋生产总值首次跨过" in pages[heading]


@pytest.mark.parametrize("filler", range(8, 18))
def test_a_note_paragraph_after_a_chart_stays_on_its_page(filler: int) -> None:
    """注：… written after a chart belongs to it: never alone at the top of the next page."""
    from decimal import Decimal

    chart = tree.Chart("bar", ["2022年", "2023年", "2024年"], [tree.ChartSeries("面积", [Decimal(383), Decimal("399.8"),
                       Decimal("444.6")])], unit="万公顷", caption="完成造林面积", axis_max=Decimal(500),
                       axis_step=Decimal(100), width_mm=150, height_mm=70)  # fmt: skip
    blocks: list[tree.Block] = [tree.Paragraph(tree.plain("短段落。")) for _ in range(filler)]
    blocks += [chart, tree.Paragraph(tree.plain("注：2024年公报口径为营造林，本图与完成造林并列比较。" * 2))]
    doc = tree.Document(tree.Metadata("x"), blocks, show_title=False)
    with pdfplumber.open(io.BytesIO(render(doc))) as pdf:
        pages = [(p.extract_text() or "").replace(" ", "").replace("\n", "") for p in pdf.pages]
    assert next(i for i, t in enumerate(pages) if "完成造林面积" in t) == next(i for i, t in enumerate(pages) if "注：" in t)


def _edge_cases() -> dict[str, tree.Document]:
    T = tree.TableCell
    M = tree.Metadata
    return {
        "empty": tree.Document(M(""), [], show_title=False),
        "tab-nbsp-newline": tree.Document(M("x"), [tree.Paragraph(tree.plain("甲\t乙\u00a0丙 丁\n戊"))]),
        "table-without-rows": tree.Document(M("x"), [tree.Table([], caption="空表")]),
        "table-header-only": tree.Document(M("x"), [tree.Table([[T("a"), T("b")]])]),
        "table-ragged": tree.Document(M("x"), [tree.Table([[T("a"), T("b"), T("c")], [T("1")], [T(""), T("2", "right")]], widths=[1, 2])]),
        "row-taller-than-page": tree.Document(M("x"), [tree.Table([[T("h"), T("i")], [T("很长" * 2000), T("短")]])]),
        "long-masthead": tree.Document(M("x"), [tree.Masthead("中共某某省某某市某某区委员会组织部党建工作情况简报增刊", "第1期", "单位", "2022年1月1日")]),
        "front-matter-in-box": tree.Document(M("x"), [tree.Box("框", [tree.Cover("封面", "", "学习材料", "单位", "日期"),
                                                                   tree.ClosingBlock([("报", "甲")], "（共印1份）"), tree.TocPlaceholder(), tree.PageBreak()])]),
        "closing-empty": tree.Document(M("x"), [tree.ClosingBlock([], "")]),
        "heading-levels": tree.Document(M(""), [tree.Heading(3, tree.plain("三级")), tree.Heading(1, tree.plain("一级")),
                                                tree.Heading(7, tree.plain("七级"))], show_title=False),
        "long-url": tree.Document(M("x"), [tree.Paragraph(tree.plain("见https://example.com/" + "a" * 300 + "。"))]),
        "long-box": tree.Document(M("x"), [tree.Box("要点", [tree.Paragraph(tree.plain(PARA * 3)) for _ in range(10)])]),
        "two-covers": tree.Document(M("x"), [tree.Cover("封面", "", "", "", ""), tree.Paragraph(tree.plain("正文")),
                                             tree.Cover("封面二", "", "", "", ""), tree.Paragraph(tree.plain("正文二"))]),
    }  # fmt: skip


@pytest.mark.parametrize("name", sorted(_edge_cases()))
def test_edge_cases_render(name: str, tmp_path: Path) -> None:
    doc = _edge_cases()[name]
    data = render(doc)
    assert len(PdfReader(io.BytesIO(data)).pages) >= 1
    if name == "row-taller-than-page":
        out = re.sub(r"\s+", "", pdftotext(data, tmp_path))
        assert out.count("很长") == 2000
    if name == "two-covers":
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            numbered = [
                _footer(p)["text"].replace(" ", "")
                for p in pdf.pages
                if [x for x in lines_of(p) if x["top"] > 742.7]
            ]
        assert numbered == ["—1—", "—2—"]


def test_a_note_paragraph_never_opens_a_page_without_the_end_of_the_paragraph_it_annotates() -> None:
    """注：… after a paragraph (stress brief s5-series): wherever the page ends, the note's page
    also holds the last line of the paragraph before it."""
    for filler in range(14, 23):
        doc = tree.Document(tree.Metadata("测试"), [
            tree.Paragraph(tree.plain("前" * 28 * filler)),
            tree.Paragraph(tree.plain("甲" * 28 * 3 + "乙" * 10 + "。")),
            tree.Paragraph(tree.plain("注：文中增幅为计算值。")),
        ], show_title=False)  # fmt: skip
        with pdfplumber.open(io.BytesIO(render(doc))) as pdf:
            pages = [p.extract_text() or "" for p in pdf.pages]
        (page,) = [p for p in pages if "注：" in p]
        assert "乙" in page.split("注：")[0], (filler, page[:80])
