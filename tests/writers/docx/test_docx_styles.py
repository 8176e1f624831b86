"""Unit tests of writers.docx.styles: page geometry in twips, themed styles, settings and font table."""

from __future__ import annotations

import io

import docx
from docxkit import NS, W, fonts, geometry, theme, wattr
from lxml import etree

from briefgen.writers.docx.styles import (
    NO_END,
    NO_START,
    install_font_table,
    install_settings,
    install_styles,
    style_elements,
)


def test_geometry_of_gongwen_is_the_gbt9704_type_area() -> None:
    g = geometry(theme())
    assert (g.page_w, g.page_h) == (11906, 16838)  # A4
    assert g.text_w == 8844  # 156 mm
    assert g.left + g.text_w + g.right == g.page_w
    assert g.top + g.text_h + g.bottom == g.page_h
    assert g.body_char == 320  # 16 pt 三号
    assert g.tracking < 0  # 28 characters of 16 pt squeezed into 156 mm
    # one twip under the grid pitch rounded down (8844 / 28 = 315.9): LibreOffice narrows the type
    # area to a whole number of its grid cells (about 8822 twips), where 28 × 315 does not fit
    assert g.tracking == -6 and 28 * (g.body_char + g.tracking) <= 8822 - 28


def test_style_elements_are_unique_and_carry_zh_cn() -> None:
    t = theme()
    styles = style_elements(t, fonts(t), geometry(t))
    ids = [s.get(f"{{{W}}}styleId") for s in styles]
    assert len(ids) == len(set(ids))
    assert {"Normal", "Heading1", "Footer"} <= set(ids)
    normal = styles[ids.index("Normal")]
    assert wattr(normal, "default") == "1"


def _roundtrip(d: docx.document.Document) -> docx.document.Document:
    buf = io.BytesIO()
    d.save(buf)
    return docx.Document(io.BytesIO(buf.getvalue()))


def test_install_styles_replaces_defaults_with_theme_fonts() -> None:
    t = theme()
    f = fonts(t)
    d = docx.Document()
    install_styles(d, t, f, geometry(t))
    back = _roundtrip(d)
    root = back.styles.element
    (defaults,) = root.findall("w:docDefaults", NS)
    rfonts = defaults.find("w:rPrDefault/w:rPr/w:rFonts", NS)
    assert rfonts is not None and wattr(rfonts, "eastAsia") == f.name(t.fonts.body)
    assert defaults.find("w:pPrDefault/w:pPr/w:kinsoku", NS) is not None
    ids = [s.get(f"{{{W}}}styleId") for s in root.findall("w:style", NS)]
    assert ids.count("Normal") == 1 and "Heading1Char" not in ids


def test_install_settings_writes_kinsoku_sets_after_spacing_control() -> None:
    t = theme()
    d = docx.Document()
    install_settings(d, t, even_odd=True)
    install_settings(d, t, even_odd=True)  # idempotent: one set of each
    root = _roundtrip(d).settings.element
    after = root.findall("w:noLineBreaksAfter", NS)
    before = root.findall("w:noLineBreaksBefore", NS)
    assert len(after) == len(before) == 1
    assert wattr(after[0], "val") == NO_END and wattr(before[0], "val") == NO_START
    tags = [etree.QName(c).localname for c in root]
    assert tags.index("characterSpacingControl") < tags.index("noLineBreaksAfter") < tags.index(
        "noLineBreaksBefore")
    assert root.find("w:evenAndOddHeaders", NS) is not None


def test_font_table_declares_chinese_fonts_with_gb2312_charset() -> None:
    t = theme()
    f = fonts(t)
    d = docx.Document()
    install_font_table(d, f)
    part = next(r.target_part for r in d.part.rels.values() if r.reltype.endswith("/fontTable"))
    root = etree.fromstring(part.blob)
    declared = {wattr(e, "name"): e for e in root.findall("w:font", NS)}
    assert set(f.used()) <= set(declared)
    cjk = [n for n in f.used() if any(ord(c) > 0x2E80 for c in n)]
    assert cjk
    for name in cjk:
        assert wattr(declared[name].find("w:charset", NS), "val") == "86"


def test_reference_table_styles_are_the_themes_smaller_size_and_pitch() -> None:
    t = theme()
    styles = style_elements(t, fonts(t), geometry(t))
    by_id = {s.get(f"{{{W}}}styleId"): s for s in styles}
    for sid, size, line in (("TableText", 28, 440), ("ReferenceTableText", 24, 360),
                            ("ReferenceTableHeader", 24, 360)):  # fmt: skip
        st = by_id[sid]
        assert wattr(st.find(f"{{{W}}}rPr/{{{W}}}sz"), "val") == str(size), sid  # half-points
        assert wattr(st.find(f"{{{W}}}pPr/{{{W}}}spacing"), "line") == str(line), sid  # twips
