"""Turn small document trees into HTML and read the result back with html5lib and lxml: structure, escaping, CSS."""

from __future__ import annotations

import re
from datetime import datetime
from decimal import Decimal

import html5lib
import pytest
from lxml import etree
from lxml import html as lhtml

import imagekit
from briefgen import tree
from briefgen.formats import DEFAULT_FORMATS, FORMATS
from briefgen.model.theme import load_theme
from briefgen.writers import get_writer
from briefgen.writers.context import RenderContext
from briefgen.writers.html import writer as html_writer
from briefgen.writers.html.css import css_string, font_stack, page_number_content, stylesheet

TS = datetime(2022, 9, 23)
HOSTILE = ('<script>alert(1)</script><img src=x onerror=alert(2)>&amp;"\'</style></title>'
           '<!-- --><![CDATA[x]]>{{ 7*7 }}javascript:alert(3)')


def context(theme: str = "gongwen") -> RenderContext:
    return RenderContext(theme=load_theme(theme), fonts=None, timestamp=TS)  # type: ignore[arg-type]


def render(doc: tree.Document, theme: str = "gongwen") -> bytes:
    return html_writer.render(doc, context(theme))


def every_block_document(text: str = "") -> tree.Document:
    """One node of every type in tree.BLOCK_TYPES; ``text`` is appended to every string."""
    T, s = tree.TableCell, (lambda v: v + text)
    blocks: list[tree.Block] = [
        tree.Cover(s("封面标题"), s("副标题"), s("学习材料"), s("示例单位"), s("2022年9月23日"), s("内部资料")),
        tree.TocPlaceholder(s("目录")),
        tree.Masthead(s("党建工作简报"), s("第3期（总第45期）"), s("示例区委组织部"), s("2022年10月8日"), s("内部资料")),
        tree.Heading(1, tree.plain(s("一级标题")), label="一、", anchor="first"),
        tree.Paragraph((tree.Span(s("正文")), tree.Span(s("强调"), strong=True), tree.Span(s("楷体"), emphasis=True),
                        tree.Span("①", note=s("注释文字")), tree.Span(s("后文")))),
        tree.Paragraph(tree.plain(s("来源")), role="source"),
        tree.ListBlock([tree.plain(s("第一项")), tree.plain(s("第二项"))], ordered=True),
        tree.ListBlock([tree.plain(s("要点"))], ordered=False),
        tree.Table([[T(s("指标"), "center", True), T(s("数值"), "center", True)],
                    [T(s("地区生产总值")), T(s("2224.53"), "right")]],
                   widths=[3.0, 2.0], caption=s("表题"), source_note=s("资料来源：测试")),
        tree.Chart("line", [s("1月"), s("2月"), s("3月")],
                   [tree.ChartSeries(s("甲"), [Decimal(1), None, Decimal(3)]),
                    tree.ChartSeries(s("乙"), [Decimal(2), Decimal(2), Decimal(1)])],
                   unit=s("亿元"), caption=s("图题"), source_note=s("资料来源：测试"), alt=s("替代文字"),
                   axis_max=Decimal(4), axis_step=Decimal(1)),
        tree.Chart("stacked", [s("甲类"), s("乙类")], [tree.ChartSeries(s("一"), [Decimal(2), Decimal(3)]),
                                                     tree.ChartSeries(s("二"), [Decimal(1), Decimal(-1)])],
                   caption=s("堆积"), show_table=True, axis_min=Decimal(-2), axis_max=Decimal(6), axis_step=Decimal(2)),
        tree.Box(s("思考题"), [tree.Paragraph(tree.plain(s("怎样理解？")))], kind="question"),
        tree.PageBreak(),
        tree.Heading(2, tree.plain(s("二级标题")), label="（一）"),
        tree.ClosingBlock([("报", s("区委")), ("送", s("各部门"))], s("（共印50份）")),
        imagekit.sample_node(s("图为示例")),
        tree.GongwenHead(s("示例县人民政府办公室"), True, s("示政办发〔2024〕5号"), s("张三")),
        tree.Addressee(s("各乡镇人民政府：")),
        tree.AttachmentNote([s("工作方案"), s("任务分工表")]),
        tree.Signoff(s("示例县人民政府办公室"), s("2024年5月10日"), sealed=False, note=s("此件公开发布")),
        tree.AttachmentMark(s("附件1"), s("工作方案")),
        tree.Imprint(s("县委办公室，县人大常委会办公室"), s("示例县人民政府办公室"), s("2024年5月10日")),
    ]
    assert {type(b) for b in blocks} == set(tree.BLOCK_TYPES)
    return tree.Document(tree.Metadata(s("全部节点"), subtitle=s("副题"), author=s("单位"), keywords=[s("词")]), blocks)


def parse(data: bytes) -> etree._Element:
    """Parse strictly as HTML5 (html5lib raises on any parse error), then as an lxml tree to query."""
    html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(data.decode("utf-8"))
    return lhtml.document_fromstring(data.decode("utf-8"))


def visible_text(root: etree._Element) -> str:
    """Text outside <head>, <title>/<desc> of SVGs and closed <details> (what a browser shows)."""
    body = root.find("body")
    assert body is not None
    parts: list[str] = []

    def walk(el: etree._Element) -> None:
        if el.tag in ("title", "desc", "details", "style"):
            if el.tail:
                parts.append(el.tail)
            return
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if el.tail and el is not body:
            parts.append(el.tail)

    walk(body)
    return "".join(parts)


# ---------------------------------------------------------------- registry and contract


def test_html_is_a_registered_opt_in_format() -> None:
    assert FORMATS["html"].writer == "briefgen.writers.html.writer"
    assert "html" not in DEFAULT_FORMATS
    assert get_writer("html") is html_writer


def test_every_block_type_has_a_handler() -> None:
    assert set(html_writer.HANDLERS) == set(tree.BLOCK_TYPES)


def test_unknown_node_is_internal_error() -> None:
    class Alien:
        pass

    doc = tree.Document(tree.Metadata("t"), [Alien()])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="no handler for Alien"):
        render(doc)


# ---------------------------------------------------------------- structure


@pytest.fixture(scope="module")
def every() -> tuple[tree.Document, bytes, etree._Element]:
    doc = every_block_document()
    data = render(doc, "jianbao")
    return doc, data, parse(data)


def test_valid_html5_with_language_and_charset(every: tuple[tree.Document, bytes, etree._Element]) -> None:
    _, data, root = every
    assert data.startswith(b"<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    assert root.get("lang") == "zh-CN"
    assert root.find("head/meta").get("charset") == "utf-8"
    assert root.findtext("head/title") == "全部节点 — 副题"


def test_text_equals_the_tree(every: tuple[tree.Document, bytes, etree._Element]) -> None:
    doc, _, root = every
    got = re.sub(r"\s+", "", visible_text(root))
    toc = "".join(h.label + h.text for h in doc.headings())
    want = "".join(tree.document_text(doc)).replace("目录", "目录" + toc, 1)
    want += "".join(s.text for p in tree.walk(doc.blocks) if isinstance(p, tree.Paragraph) for s in p.inlines
                    if s.note)  # a note's label is printed at the reference and before the note (as in the PDF)
    assert sorted(got) == sorted(re.sub(r"\s+", "", want))
    for line in tree.document_text(doc):
        assert re.sub(r"\s+", "", line) in got, line


def test_headings_are_semantic_with_their_numbers(every: tuple[tree.Document, bytes, etree._Element]) -> None:
    _, _, root = every
    h1 = root.findall(".//h1")
    assert [h.text_content() for h in h1] == ["全部节点"]
    h2 = root.find(".//h2")
    assert h2.text_content() == "一、一级标题" and h2.get("id") == "first"
    assert root.find(".//h3").text_content() == "（一）二级标题"
    links = [a.get("href") for a in root.findall(".//nav//a")]
    assert links == ["#first", "#" + root.find(".//h3").get("id")]


def test_tables_have_caption_head_and_scope(every: tuple[tree.Document, bytes, etree._Element]) -> None:
    _, _, root = every
    table = root.find(".//table")
    assert table.findtext("caption") == "表题"
    assert [th.get("scope") for th in table.findall("thead/tr/th")] == ["col", "col"]
    assert table.find("tbody/tr/th").get("scope") == "row"
    assert table.find("tbody/tr/td").text == "2224.53"
    assert table.getparent().findtext("p[@class='source']") == "资料来源：测试"
    assert len(table.findall("colgroup/col")) == 2


def test_charts_are_inline_svg_with_title_desc_and_data(every: tuple[tree.Document, bytes, etree._Element]) -> None:
    _, _, root = every
    figs = root.findall(".//figure[@class='chart']")
    assert len(figs) == 2
    svg = figs[0].find("svg")
    assert svg.get("role") == "img"
    assert svg.findtext("title") == "图题" and svg.findtext("desc") == "替代文字"
    assert svg.get("aria-labelledby") == svg.find("title").get("id")
    assert svg.get("aria-describedby") == svg.find("desc").get("id")
    assert len(svg.findall("polyline")) == 1  # 甲 has a gap (two one-point runs: markers only); 乙 one line
    texts = [t.text_content() for t in svg.findall("text")]
    assert texts[:4] == ["单位：亿元", "1月", "2月", "3月"] and "甲" in texts and "3" in texts
    hidden = figs[0].find("details/div/table")  # numbers in a closed <details> when not printed
    assert hidden is not None and hidden.findtext("thead/tr/th") == "项目"
    shown = figs[1].find("div/table")  # printed (show_table): a plain table after the chart
    assert shown is not None and figs[1].find("details") is None
    assert len(figs[1].find("svg").findall("rect")) >= 4


def test_front_and_back_matter_have_page_less_equivalents(
        every: tuple[tree.Document, bytes, etree._Element]) -> None:
    _, _, root = every
    assert root.find(".//section[@class='cover']").findtext("p[@class='cover-title']") == "封面标题"
    head = root.find(".//header[@class='masthead']")
    assert head.findtext("p[@class='masthead-name']") == "党建工作简报"
    closing = root.find(".//footer[@class='closing']")
    assert [p.text for p in closing.findall("p")] == ["报：区委", "送：各部门", "（共印50份）"]
    assert root.find(".//aside").get("aria-labelledby")
    assert root.find(".//div[@class='page-break']") is not None


def test_spans_and_lists(every: tuple[tree.Document, bytes, etree._Element]) -> None:
    _, _, root = every
    p = root.find(".//p[@class='body']")
    assert p.text == "正文" and p.findtext("strong") == "强调" and p.findtext("em") == "楷体"
    lists = [el for el in root.iter("ol", "ul") if not list(el.iterancestors("nav", "section"))]
    assert [(el.tag, [li.text for li in el]) for el in lists] == [("ol", ["第一项", "第二项"]), ("ul", ["要点"])]


def test_footnotes_link_both_ways_and_are_listed_at_the_end(
        every: tuple[tree.Document, bytes, etree._Element]) -> None:
    _, _, root = every
    ref = root.find(".//p[@class='body']/a[@role='doc-noteref']")
    assert ref.text == "①" and ref.find("sup") is None and ref.tail == "后文"  # circled: on the line
    notes = root.find(".//section[@role='doc-endnotes']")
    assert notes.get("aria-label") == "注释"
    (li,) = notes.findall("ol/li")
    assert ref.get("href") == "#" + li.get("id")
    back = li.find("a[@role='doc-backlink']")
    assert back.text == "①" and back.get("href") == "#" + ref.get("id") and back.tail == "注释文字"
    main = root.find(".//main")
    assert main.index(notes) == len(main) - 2 and main[-1].get("class") == "imprint"  # before the 版记


def test_decimal_note_labels_are_superscript_and_one_note_referenced_twice_is_listed_once() -> None:
    ctx = context()
    ctx.theme = ctx.theme.model_copy(deep=True)
    ctx.theme.notes.numbering = "decimal"
    para = tree.Paragraph((tree.Span("甲"), tree.Span("1", note="同一注释"), tree.Span("乙"), tree.Span("1", note="同一注释")))
    root = parse(html_writer.render(tree.Document(tree.Metadata("t"), [para]), ctx))
    refs = root.findall(".//p/a[@role='doc-noteref']")
    assert [a.findtext("sup") for a in refs] == ["1", "1"] and refs[0].get("href") == refs[1].get("href")
    assert len({a.get("id") for a in refs}) == 2
    assert [li.text_content() for li in root.findall(".//section[@role='doc-endnotes']/ol/li")] == ["1同一注释"]


def test_pictures_are_data_uri_figures_with_alt_caption_and_credit(
        every: tuple[tree.Document, bytes, etree._Element]) -> None:
    import base64

    doc, _, root = every
    node = next(b for b in doc.blocks if isinstance(b, tree.Image))
    fig = root.find(".//figure[@id='figure1']")
    img = fig.find("img")
    assert img.get("alt") == "示例图片"
    assert base64.b64decode(img.get("src").split(",", 1)[1]) == node.data
    assert (img.get("width"), img.get("height")) == ("151", "101")  # 40 mm × 26.7 mm at 96 px per inch
    assert [s.text for s in fig.findall("figcaption/span")] == ["图为示例", "摄影：示例"]
    csp = root.find("head/meta[@http-equiv='Content-Security-Policy']").get("content")
    assert "img-src data:;" in csp


def test_picture_that_is_not_png_or_jpeg_is_an_internal_error() -> None:
    img = imagekit.sample_node()
    img.data, img.mime = b"<svg onload=alert(1)>", "image/png"
    with pytest.raises(TypeError, match="neither PNG nor JPEG"):
        render(tree.Document(tree.Metadata("t"), [img]))


def test_logos_on_masthead_and_cover() -> None:
    logo = imagekit.sample_node("", 20.0)
    logo.alt, logo.page_x_mm, logo.page_y_mm = "单位徽标", 20.0, 20.0
    blocks: list[tree.Block] = [tree.Cover("封面", "", "学习材料", "单位", "2024年5月", logo=logo),
                                tree.Masthead("简报", "第1期", "单位", "2024年5月", logo=logo)]
    root = parse(render(tree.Document(tree.Metadata("t"), blocks)))
    for sel in ("section[@class='cover']", "header[@class='masthead']"):
        first = root.find(f".//{sel}")[0]
        assert first.tag == "img" and first.get("class") == "logo" and first.get("alt") == "单位徽标"


def test_gongwen_elements(every: tuple[tree.Document, bytes, etree._Element]) -> None:
    _, _, root = every
    head = root.find(".//header[@class='gongwen-head']")
    assert head.findtext("p[@class='organ-mark']") == "示例县人民政府办公室文件"
    row = head.find("div[@class='doc-number signed']")
    assert row.findtext("p[@class='number']") == "示政办发〔2024〕5号"
    assert row.find("p[@class='signer']").text_content() == "签发人：张三"
    assert head.find("hr[@class='red-rule']") is not None
    assert root.findtext(".//p[@class='addressee']") == "各乡镇人民政府："
    items = root.findall(".//div[@class='attachment-note many']/p")
    assert [[s.text or "" for s in p] for p in items] == [["附件：", "1.", "工作方案"], ["", "2.", "任务分工表"]]
    sign = root.find(".//div[@class='signoff']")
    assert [p.text for p in sign.iter("p")] == ["示例县人民政府办公室", "2024年5月10日"]
    assert sign.getnext().text == "（此件公开发布）" and sign.getnext().get("class") == "annotation"
    label = root.find(".//p[@class='attachment-label']")
    assert label.text == "附件1" and label.getprevious().get("class") == "page-break"
    assert label.getnext().tag == "h2" and label.getnext().text == "工作方案"
    imp = root.find(".//footer[@class='imprint']")
    assert imp.find("p[@class='cc']").text_content() == "抄送：县委办公室，县人大常委会办公室"
    assert [p.text for p in imp.findall("div/p")] == ["示例县人民政府办公室", "2024年5月10日印发"]
    style = root.findtext("head/style")
    assert ".organ-mark {" in style and "color: var(--red)" in style and "hr.red-rule" in style


# ---------------------------------------------------------------- text is data


def test_hostile_text_is_shown_never_interpreted() -> None:
    doc = every_block_document(HOSTILE)
    data = render(doc, "jianbao")
    root = parse(data)
    assert root.findall(".//script") == [] and root.findall(".//iframe") == []
    assert [img.get("src")[:22] for img in root.findall(".//img")] == ["data:image/png;base64,"]
    for el in root.iter():
        assert not any(k.lower().startswith("on") for k in el.attrib), (el.tag, dict(el.attrib))
        for k, v in el.attrib.items():
            # meta content and a title's aria-label (its name as plain text) are never followed
            assert "javascript:" not in v.lower() or k in ("content", "aria-label"), (el.tag, k, v)
    text = visible_text(root)
    assert text.count(HOSTILE) >= 30
    assert root.findtext("head/title").startswith("全部节点" + HOSTILE)
    assert len(root.findall("head/style")) == 1


def test_theme_font_names_cannot_break_out_of_the_style_sheet() -> None:
    ctx = context()
    ctx.theme = ctx.theme.model_copy(deep=True)
    ctx.theme.docx_fonts.fangsong = '仿宋"; } </style><script>alert(1)</script>'
    data = html_writer.render(tree.Document(tree.Metadata("标题"), [tree.Paragraph(tree.plain("正文"))]), ctx)
    root = parse(data)
    assert root.findall(".//script") == []
    style = root.findtext("head/style")
    assert "</" not in style and "仿宋\\22 " in style


def test_css_string_escapes_everything_but_plain_text() -> None:
    assert css_string("仿宋 GB2312") == '"仿宋 GB2312"'
    assert css_string('a"b\\c</') == '"a\\22 b\\5c c\\3c \\2f "'
    assert page_number_content("— {n} —") == '"— " counter(page) " —"'
    assert page_number_content("第{n}页{{x}}") == '"第" counter(page) "页\\7b " "x\\7d "'  # adjacent strings join


# ---------------------------------------------------------------- CSS: fonts, print, no requests


def test_fonts_by_role_name_the_office_fonts() -> None:
    th = load_theme("gongwen")
    assert font_stack(th, "fangsong").startswith('"Times New Roman", "仿宋", "仿宋_GB2312", "FangSong"')
    for role, names in {"fangsong": ["STFangsong"], "heiti": ["黑体", "SimHei"], "kaiti": ["楷体", "KaiTi"],
                        "xiaobiaosong": ["方正小标宋简体"]}.items():
        stack = font_stack(th, role)  # type: ignore[arg-type]
        assert all(f'"{n}"' in stack for n in names) and stack.endswith(("serif", "sans-serif"))


def test_print_css_uses_the_theme_page_and_margins() -> None:
    data = render(tree.Document(tree.Metadata("标题"), [tree.Paragraph(tree.plain("正文"))]), "report")
    style = parse(data).findtext("head/style")
    assert "@page { size: A4; margin: 37mm 26mm 35mm 28mm; }" in style
    assert '@bottom-center { content: "— " counter(page) " —";' in style  # report: centred numbers
    assert "font-size: 16pt" in style and "line-height: var(--pitch)" in style and "--pitch: 28.95pt" in style
    gongwen = parse(render(tree.Document(tree.Metadata("t"), []))).findtext("head/style")
    assert "@page :right { @bottom-right" in gongwen and "@page :left { @bottom-left" in gongwen


def test_self_contained_no_scripts_no_external_references(every: tuple[tree.Document, bytes, etree._Element]) -> None:
    _, data, root = every
    assert b"url(" not in data and b"@import" not in data and b"<link" not in data and b"<script" not in data
    for el in root.iter():
        for k in ("src", "href", "action", "data", "poster"):
            v = el.get(k)
            assert v is None or v.startswith("#") or re.fullmatch(r"data:image/(png|jpeg);base64,[A-Za-z0-9+/=]+", v), \
                (el.tag, k, v)
    csp = root.find("head/meta[@http-equiv='Content-Security-Policy']").get("content")
    assert csp.startswith("default-src 'none'; style-src 'sha256-") and "script-src" not in csp


def test_style_hash_matches_the_style_sheet(every: tuple[tree.Document, bytes, etree._Element]) -> None:
    import base64
    import hashlib

    _, _, root = every
    css = root.findtext("head/style")
    digest = base64.b64encode(hashlib.sha256(css.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in root.find("head/meta[@http-equiv='Content-Security-Policy']").get("content")


def test_byte_reproducible() -> None:
    a = render(every_block_document(), "handout")
    b = render(every_block_document(), "handout")
    assert a == b


def test_toc_nests_levels_up_to_max_level() -> None:
    H = tree.Heading
    blocks: list[tree.Block] = [tree.TocPlaceholder("目录", max_level=2),
                                H(1, tree.plain("甲"), label="一、"), H(2, tree.plain("甲一"), label="（一）"),
                                H(3, tree.plain("深"), label="1."), H(2, tree.plain("甲二"), label="（二）"),
                                H(1, tree.plain("乙"), label="二、"), tree.TocPlaceholder("目录")]
    root = parse(render(tree.Document(tree.Metadata("标题"), blocks)))
    first, second = root.findall(".//nav")
    top = first.find("ol")
    assert [li.find("a").text for li in top.findall("li")] == ["一、甲", "二、乙"]
    assert [a.text for a in top.find("li/ol").findall("li/a")] == ["（一）甲一", "（二）甲二"]
    assert top.findall("li")[1].find("ol") is None  # no empty sub-list
    assert first.get("aria-labelledby") != second.get("aria-labelledby")
    assert root.get_element_by_id(second.get("aria-labelledby")).text == "目录"


def test_a_reference_table_is_marked_and_styled_smaller() -> None:
    rows = [[tree.TableCell("序号", "center", True), tree.TableCell("出处", "center", True)],
            [tree.TableCell("1", "center"), tree.TableCell("industry，第174行")]]  # fmt: skip
    doc = tree.Document(tree.Metadata("附录"), [tree.Table(rows, reference=True)], show_title=False)
    page = lhtml.fromstring(render(doc))
    assert page.xpath("//table/@class") == ["three-line reference"]
    assert "table.reference { font-size: 12pt; line-height: 18pt; }" in stylesheet(load_theme("gongwen"))
