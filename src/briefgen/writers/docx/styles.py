"""Turn a theme into DOCX styles, document defaults, settings (kinsoku, language) and a font table."""

from __future__ import annotations

import math
from dataclasses import dataclass

from docx.document import Document as DocxDocument
from lxml import etree

from briefgen.model.theme import FontRole, Theme
from briefgen.writers.docx.xml import (
    Element,
    Fonts,
    el,
    indent,
    ppr,
    qn,
    rpr,
    spacing,
    tabs,
    tw,
    val,
)

# Line-breaking sets from shared/reference/gongwen-layout.md §3 ("GB法 plus strict dashes").
# noLineBreaksBefore = may not start a line; — and … included because Word never applies the rule
# at a paragraph's first character, which is exactly the clreq exception.
NO_START = "、，。．：；！？）］｝〕】〗〉》」』”’·・／/－–～〜％‰℃°!%),.:;?]}—…"
NO_END = "（［｛〔【〖〈《「『“‘／/([{$¥£￥"

# Windows-side Latin names of the usual Chinese fonts, written as w:altName in the font table.
ALT_NAMES = {
    "仿宋": "FangSong",
    "仿宋_GB2312": "FangSong_GB2312",
    "黑体": "SimHei",
    "楷体": "KaiTi",
    "楷体_GB2312": "KaiTi_GB2312",
    "宋体": "SimSun",
    "方正小标宋简体": "FZXiaoBiaoSong-B05S",
    "方正小标宋_GBK": "FZXiaoBiaoSong-B05",
}

# Styles briefgen replaces or removes (linked character styles of the template's headings).
_DROP = ("Heading1Char", "Heading2Char", "Heading3Char", "Heading4Char", "TitleChar",
         "SubtitleChar", "FooterChar")  # fmt: skip


@dataclass
class Geometry:
    """Page geometry in twips as Word sees it (integers, so that Word and the tests agree)."""

    page_w: int
    page_h: int
    top: int
    bottom: int
    left: int
    right: int
    text_w: int
    text_h: int
    line_pitch: int
    char_space: int
    body_char: int  # one body character (一字) in twips
    tracking: int  # run-level w:spacing for body-size text, in 1/20 pt (rounded down)

    @classmethod
    def of(cls, theme: Theme) -> Geometry:
        m = theme.page.margins_mm
        page_w, page_h = tw(theme.page.width_pt), tw(theme.page.height_pt)
        # Round the margins and the type area, then give the rounding slack to the binding-side
        # and bottom margins, so 156 x 225 mm stays exact: 11906-1474-8844 = 1588 tw.
        right, top = tw(m.right * 72 / 25.4), tw(m.top * 72 / 25.4)
        text_w, text_h = tw(theme.type_area_width), tw(theme.type_area_height)
        left, bottom = page_w - right - text_w, page_h - top - text_h
        pitch = tw(theme.grid.line_pitch_pt)
        # ECMA-376 w:docGrid/@w:charSpace: extra pitch per character over the Normal font size,
        # in 1/4096 pt. Grid pitch = type-area width / chars per line; for gongwen
        # (8844 tw / 20 / 28 − 16 pt) × 4096 = −848.
        extra_pt = text_w / 20 / theme.grid.chars - theme.sizes.body
        char_space = round(extra_pt * 4096)
        # The text itself does not snap to that character grid: LibreOffice gives every glyph
        # wider than the grid pitch (16 pt > 15.79 pt) two cells, halving the characters per line.
        # Body runs are tracked instead, one twip tighter than the grid pitch rounded down
        # (−0.3 pt for gongwen: 28 × 15.7 pt): LibreOffice narrows the type area to a whole number
        # of its grid cells, whose pitch it rounds to 1/100 mm (about 8822 of the 8844 twips), and
        # 28 characters at −0.25 pt no longer fit there. Word and WPS justify the same 28.
        tracking = math.floor(extra_pt * 20) - 1
        return cls(page_w, page_h, top, bottom, left, right, text_w, text_h, pitch, char_space,
                   tw(theme.sizes.body), tracking)  # fmt: skip


def _style(
    style_id: str,
    name: str,
    *,
    kind: str = "paragraph",
    based_on: str | None = "Normal",
    next_id: str | None = None,
    priority: int | None = None,
    custom: bool = False,
    p: Element | None = None,
    r: Element | None = None,
) -> Element:
    attrs: dict[str, str | int] = {"w:type": kind, "w:styleId": style_id}
    if custom:
        attrs["w:customStyle"] = 1
    if style_id == "Normal":
        attrs["w:default"] = 1
    return el(
        "w:style",
        attrs,
        val("w:name", name),
        val("w:basedOn", based_on) if based_on else None,
        val("w:next", next_id) if next_id else None,
        val("w:uiPriority", priority) if priority is not None else None,
        el("w:qFormat"),
        p,
        r,
    )


def style_elements(theme: Theme, fonts: Fonts, geo: Geometry) -> list[Element]:
    """Every paragraph style briefgen uses, with full font slots and zh-CN language."""
    f, s, c = theme.fonts, theme.sizes, theme.colors.text
    pitch, ch = geo.line_pitch, geo.body_char
    table_pitch = tw(theme.table_line_pitch_pt)
    ref_pitch = tw(theme.reference_table_line_pitch_pt)  # Table.reference: the sources appendix

    def font(role: FontRole) -> str:
        return fonts.name(role)

    def para(
        jc: str | None,
        first_chars: int = 0,
        line: int | None = pitch,
        keep_next: bool = False,
        before: int = 0,
        after: int = 0,
        left: int = 0,
        right: int = 0,
        outline: int | None = None,
        extra: tuple[Element, ...] = (),
    ) -> Element | None:
        kids: list[Element | None] = [
            el("w:keepNext") if keep_next else None,
            spacing(line, before, after),
            indent(first_chars, ch, left=left, right=right),
            val("w:outlineLvl", outline) if outline is not None else None,
            *extra,
        ]
        return ppr(jc=jc, extra=kids)

    def run_props(role: FontRole, size: float, color: str = c) -> Element | None:
        track = geo.tracking if size == s.body else 0
        return rpr(font(role), size, color, plain=True, with_lang=True,
                   extra=[val("w:spacing", track)])

    normal_p = ppr(
        jc="both",
        extra=[
            val("w:widowControl", 1),  # ≥ 2 lines each side of a page break, as the PDF breaks
            val("w:kinsoku", 1),
            # no automatic space between Chinese and Latin/digits: the 公文 grid spacing is exact
            val("w:autoSpaceDE", 0),
            val("w:autoSpaceDN", 0),
            val("w:overflowPunct", 0),  # no punctuation hanging past the type area
            val("w:snapToGrid", 0),
            spacing(pitch),
            indent(200, ch),
        ],
    )
    out = [
        _style("Normal", "Normal", based_on=None, priority=0, p=normal_p,
               r=run_props(f.body, s.body)),
        _style("Title", "Title", next_id="Normal", priority=10,
               p=para("center", line=tw(max(s.title * 1.3, theme.grid.line_pitch_pt)),
                      keep_next=True),
               r=run_props(f.title, s.title)),
        _style("Subtitle", "Subtitle", next_id="Normal", priority=11,
               p=para("center", keep_next=True, after=pitch),
               r=run_props(f.subtitle, s.subtitle)),
    ]
    for level in range(1, 5):
        out.append(_style(
            f"Heading{level}", f"heading {level}", next_id="Normal", priority=9,
            p=para("both", 200, keep_next=True, outline=level - 1,
                   extra=(val("w:widowControl", 0),)),
            r=run_props(f.heading(level), s.heading),
        ))  # fmt: skip
    out += [
        _style("Lead", "Lead", custom=True, next_id="Normal", p=para("both", 200),
               r=run_props(f.body, s.body)),
        _style("Note", "Note", custom=True, next_id="Normal", p=para("both", 200),
               r=run_props(f.note, s.note)),
        _style("Caption", "caption", next_id="Normal", priority=35,
               p=para("center", keep_next=True),
               r=run_props(f.caption, s.caption)),
        _style("SourceNote", "Source Note", custom=True, next_id="Normal",
               p=para("both", line=tw(max(s.source_note * 1.5, 1))),
               r=run_props(f.source_note, s.source_note)),
        _style("Signature", "Signature", next_id="Date", p=para("right", right=2 * ch),
               r=run_props(f.body, s.body)),
        # Date right-indented 4 characters (GB/T 9704 §7.3.5.1).
        _style("Date", "Date", next_id="Normal", p=para("right", right=4 * ch),
               r=run_props(f.body, s.body)),
        _style("TableText", "Table Text", custom=True,
               p=para("left", line=table_pitch),
               r=run_props(f.table, s.table)),
        _style("TableHeader", "Table Header", custom=True, based_on="TableText",
               p=para("center", line=table_pitch),
               r=run_props(f.table_header, s.table)),
        _style("ReferenceTableText", "Reference Table Text", custom=True, based_on="TableText",
               p=para("left", line=ref_pitch), r=run_props(f.table, s.reference_table)),
        _style("ReferenceTableHeader", "Reference Table Header", custom=True, based_on="ReferenceTableText",
               p=para("center", line=ref_pitch), r=run_props(f.table_header, s.reference_table)),
        _style("ListBullet", "List Bullet", priority=99, p=para("both", 200),
               r=run_props(f.body, s.body)),
        _style("ListNumber", "List Number", priority=99, p=para("both", 200),
               r=run_props(f.body, s.body)),
        # no keepNext: LibreOffice would keep the whole box table with what follows (writer.box)
        _style("BoxTitle", "Box Title", custom=True, next_id="Normal",
               p=para("center"), r=run_props(f.heading1, s.heading)),
        _style("TOCHeading", "TOC Heading", next_id="TOC1", priority=39,
               p=para("center", line=tw(max(s.title * 1.3, theme.grid.line_pitch_pt)),
                      after=pitch),
               r=run_props(f.title, s.title)),
        _style("Footer", "footer", priority=99,
               p=para(None, line=tw(s.page_number * 1.25)),
               r=run_props(f.page_number, s.page_number)),
        _style("Closing", "Closing", custom=True,
               p=para("left", line=tw(s.closing * 1.6)),
               r=run_props(f.body, s.closing)),
    ]  # fmt: skip
    for level in range(1, 5):
        out.append(_style(
            f"TOC{level}", f"toc {level}", next_id="Normal", priority=39,
            p=para("both", 0, left=(level - 1) * 2 * ch,
                   extra=(tabs(("right", geo.text_w, "dot")),)),
            r=run_props(f.body, s.body),
        ))  # fmt: skip
    return out


def install_styles(docx: DocxDocument, theme: Theme, fonts: Fonts, geo: Geometry) -> None:
    """Replace the template's docDefaults and the styles briefgen uses with themed definitions."""
    root = docx.styles.element
    new = style_elements(theme, fonts, geo)
    ids = {e.get(qn("w:styleId")) for e in new} | set(_DROP)
    for old in list(root.findall(qn("w:style"))):
        if old.get(qn("w:styleId")) in ids:
            root.remove(old)
    for style in new:
        root.append(style)

    defaults = root.find(qn("w:docDefaults"))
    fresh = el(
        "w:docDefaults",
        None,
        el("w:rPrDefault", None,
           rpr(fonts.name(theme.fonts.body), theme.sizes.body, with_lang=True)),
        el("w:pPrDefault", None, ppr(extra=[val("w:kinsoku", 1), val("w:overflowPunct", 0),
                                            val("w:autoSpaceDE", 0), val("w:autoSpaceDN", 0),
                                            val("w:snapToGrid", 0), spacing(None)])),
    )  # fmt: skip
    if defaults is not None:
        defaults.addprevious(fresh)
        root.remove(defaults)
    else:
        root.insert(0, fresh)


# CT_Settings order for the elements written here (subset).
_SETTINGS_AFTER_CSC = ("w:printTwoOnOne", "w:strictFirstAndLastChars")
# CT_Settings elements that follow w:updateFields (ECMA-376 §17.15.1.78 sequence).
_SETTINGS_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade", "w:captions",
    "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary", "w:shapeDefaults",
    "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator",
)  # fmt: skip


def install_settings(docx: DocxDocument, theme: Theme, even_odd: bool) -> None:
    """Kinsoku sets, zh-CN theme font language, even/odd footers, fields updated on open."""
    settings = docx.settings
    settings.odd_and_even_pages_header_footer = even_odd
    root = settings.element
    csc = root.find(qn("w:characterSpacingControl"))
    if csc is None:
        csc = val("w:characterSpacingControl", "doNotCompress")
        dts = root.find(qn("w:defaultTabStop"))
        if dts is not None:
            dts.addnext(csc)
        else:
            root.insert(0, csc)
    anchor = csc
    for tag in _SETTINGS_AFTER_CSC:
        found = root.find(qn(tag))
        if found is not None:
            anchor = found
    for tag in ("w:noLineBreaksBefore", "w:noLineBreaksAfter"):
        old = root.find(qn(tag))
        if old is not None:
            root.remove(old)
    after = el("w:noLineBreaksAfter", {"w:lang": "zh-CN", "w:val": NO_END})
    before = el("w:noLineBreaksBefore", {"w:lang": "zh-CN", "w:val": NO_START})
    anchor.addnext(after)
    after.addnext(before)
    # Word refreshes the TOC and PAGEREF fields on open (the cached numbers are the PDF's)
    old_uf = root.find(qn("w:updateFields"))
    if old_uf is not None:
        root.remove(old_uf)
    uf = val("w:updateFields", "true")
    later = next((root.find(qn(t)) for t in _SETTINGS_AFTER_UPDATE_FIELDS if root.find(qn(t)) is not None), None)
    if later is not None:
        later.addprevious(uf)
    else:
        root.append(uf)
    tfl = root.find(qn("w:themeFontLang"))
    if tfl is not None:
        tfl.set(qn("w:val"), "en-US")
        tfl.set(qn("w:eastAsia"), "zh-CN")


def install_font_table(docx: DocxDocument, fonts: Fonts) -> None:
    """Declare the Chinese fonts (GB2312 charset, Windows alias) so Word/WPS substitute sensibly."""
    part = None
    for rel in docx.part.rels.values():
        if rel.reltype.endswith("/fontTable"):
            part = rel.target_part
    if part is None:
        return
    root = etree.fromstring(part.blob)
    have = {f.get(qn("w:name")) for f in root.findall(qn("w:font"))}
    for name in fonts.used():
        if name in have:
            continue
        font = el("w:font", {"w:name": name})
        if name in ALT_NAMES:
            font.append(val("w:altName", ALT_NAMES[name]))
        if any(ord(ch) > 0x2E80 for ch in name):
            font.append(val("w:charset", "86"))
            font.append(val("w:family", "modern"))
            font.append(val("w:pitch", "fixed"))
        root.append(font)
    # fontTable is a generic Part: its bytes are what gets saved
    part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)

