"""Unit tests of writers.docx.page: section properties from the theme, page-number footers and fields."""

from __future__ import annotations

import docx
from docxkit import NS, geometry, reparse, text_of, theme, wattr

from briefgen.writers.docx.page import (
    Footers,
    blank_footers,
    field_runs,
    footer_distance,
    numbered_footers,
    page_number_paragraph,
    sect_pr,
)


def test_field_runs_are_a_complete_complex_field() -> None:
    runs = [reparse(r) for r in field_runs("PAGE", "3")]
    kinds = [wattr(r.find("w:fldChar", NS), "fldCharType") if r.find("w:fldChar", NS) is not None
             else None for r in runs]
    assert kinds == ["begin", None, "separate", None, "end"]
    assert runs[1].findtext("w:instrText", namespaces=NS) == " PAGE "
    assert text_of(runs[3]) == "3"


def test_page_number_paragraph_has_dashes_around_the_field() -> None:
    t = theme()
    p = reparse(page_number_paragraph(t, "right"))
    assert wattr(p.find("w:pPr/w:jc", NS), "val") == "right"
    assert p.find(".//w:instrText", NS) is not None
    before, _, after = t.page_numbers.format.partition("{n}")
    assert text_of(p) == f"{before}1{after}"


def test_portrait_and_landscape_section_properties() -> None:
    t = theme()
    geo = geometry(t)
    portrait = reparse(sect_pr(t, geo, Footers({"default": "rId9"}), restart_numbering=True))
    size = portrait.find("w:pgSz", NS)
    assert (wattr(size, "w"), wattr(size, "h")) == (str(geo.page_w), str(geo.page_h))
    assert wattr(portrait.find("w:pgMar", NS), "footer") == str(footer_distance(t, geo))
    assert wattr(portrait.find("w:pgNumType", NS), "start") == "1"
    ref = portrait.find("w:footerReference", NS)
    assert wattr(ref, "type") == "default"
    assert wattr(portrait.find("w:docGrid", NS), "type") == "linesAndChars"
    land = reparse(sect_pr(t, geo, Footers(), landscape=True, title_page=True))
    size = land.find("w:pgSz", NS)
    assert (wattr(size, "w"), wattr(size, "h"), wattr(size, "orient")) == (
        str(geo.page_h), str(geo.page_w), "landscape")
    assert wattr(land.find("w:pgMar", NS), "top") == str(geo.left)  # binding margin on top
    assert land.find("w:titlePg", NS) is not None
    assert land.find("w:footerReference", NS) is None


def test_footer_sits_below_the_type_area() -> None:
    t = theme()
    geo = geometry(t)
    assert 0 < footer_distance(t, geo) < geo.bottom


def test_numbered_and_blank_footers_add_footer_parts() -> None:
    t = theme()
    d = docx.Document()
    f = numbered_footers(d, t)
    assert set(f.refs) == {"default", "even"}
    for rid in f.refs.values():
        assert "PAGE" in d.part.related_parts[rid].blob.decode("utf-8")
    b = blank_footers(d)
    assert set(b.refs) == {"default", "even", "first"}
    for rid in b.refs.values():
        assert "PAGE" not in d.part.related_parts[rid].blob.decode("utf-8")
