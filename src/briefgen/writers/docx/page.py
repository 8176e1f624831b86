"""Turn the theme's page setup into DOCX section properties and `— PAGE —` footers."""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass, field, replace
from typing import Literal

from docx.document import Document as DocxDocument

from briefgen.model.theme import Theme
from briefgen.writers.docx.styles import Geometry
from briefgen.writers.docx.xml import Element, clean_text, el, indent, ppr, run, tw, tw_mm, val

R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
Side = Literal["left", "right", "center"]


@dataclass
class Footers:
    """Footer relationship ids by ``w:footerReference/@w:type`` (default = odd pages)."""

    refs: dict[str, str] = field(default_factory=dict)


def field_runs(instr: str, cached: str, props: Element | None = None) -> list[Element]:
    """A complex field (begin / instrText / separate / cached result / end) as runs."""

    def fld(kind: str) -> Element:
        return el("w:r", None, _copy(props), el("w:fldChar", {"w:fldCharType": kind}))

    instr_el = el("w:instrText")
    instr_el.text = f" {instr} "
    instr_el.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return [
        fld("begin"),
        el("w:r", None, _copy(props), instr_el),
        fld("separate"),
        run(cached, _copy(props)),
        fld("end"),
    ]


def _copy(node: Element | None) -> Element | None:
    return None if node is None else deepcopy(node)


def page_number_paragraph(theme: Theme, side: Side) -> Element:
    """``— PAGE —`` in the Footer style, pushed one character in from the outer edge."""
    pn = theme.page_numbers
    inset = tw(pn.inset_chars * theme.sizes.page_number)
    before, _, after = clean_text(pn.format).partition("{n}")
    ind = indent(0, left=inset if side == "left" else 0, right=inset if side == "right" else 0)
    props = ppr("Footer", jc=side, extra=[ind])
    kids: list[Element] = []
    if before:
        kids.append(run(before))
    kids += field_runs("PAGE", "1")
    if after:
        kids.append(run(after))
    return el("w:p", None, props, *kids)


def footer_distance(theme: Theme, geo: Geometry) -> int:
    """``w:footer`` so that the page number's dash sits ``below_type_area_mm`` under the type
    area (GB/T 9704 §7.5: 一字线 7 mm below the 版心; checklist: ≈269 mm from the top on A4).
    ``w:footer`` is the distance from the page foot to the footer line's bottom; with the Footer
    style's exact spacing (1.25 em) the glyphs' top is the line's top, 1.25 em above that bottom
    (measured on LibreOffice 7.4 output with pdfplumber: 762.5 pt, as in the PDF)."""
    target = geo.bottom - tw_mm(theme.page_numbers.below_type_area_mm)
    return max(0, target - tw(theme.sizes.page_number * 1.25))


def add_footer(docx: DocxDocument, paragraphs: list[Element]) -> str:
    """A new footer part holding ``paragraphs`` (an empty paragraph when none); its rId."""
    part, rid = docx.part.add_footer_part()
    root = part.element
    for child in list(root):
        root.remove(child)
    for p in paragraphs or [el("w:p", None, ppr("Footer"))]:
        root.append(p)
    return str(rid)


def numbered_footers(docx: DocxDocument, theme: Theme) -> Footers:
    """Odd/even page-number footers for the theme's ``page_numbers.position``."""
    position = theme.page_numbers.position
    if position == "none":
        return Footers()
    odd: Side
    even: Side
    if position == "outside":
        odd, even = "right", "left"
    elif position == "center":
        odd = even = "center"
    else:
        odd = even = "right"
    return Footers(
        {
            "default": add_footer(docx, [page_number_paragraph(theme, odd)]),
            "even": add_footer(docx, [page_number_paragraph(theme, even)]),
        }
    )


def blank_footers(docx: DocxDocument) -> Footers:
    """Empty footers so a cover section shows no page number (and inherits none)."""
    return Footers({kind: add_footer(docx, []) for kind in ("default", "even", "first")})


def sect_pr(
    theme: Theme,
    geo: Geometry,
    footers: Footers,
    *,
    restart_numbering: bool = False,
    title_page: bool = False,
    landscape: bool = False,
) -> Element:
    """A complete ``w:sectPr`` (every section carries its own page setup, cf. pandoc #10577).

    ``landscape`` turns the page and its margins a quarter turn (top = the portrait binding
    margin), so a printer that turns landscape pages counter-clockwise puts the type area
    exactly where the portrait pages have it."""
    refs = []
    for kind in ("default", "even", "first"):
        if kind in footers.refs:
            ref = el("w:footerReference", {"w:type": kind})
            ref.set(f"{{{R_NS}}}id", footers.refs[kind])
            refs.append(ref)
    if landscape:
        size = el("w:pgSz", {"w:w": geo.page_h, "w:h": geo.page_w, "w:orient": "landscape"})
        top, right, bottom, left = geo.left, geo.top, geo.right, geo.bottom
        grid = el("w:docGrid", {"w:type": "lines", "w:linePitch": geo.line_pitch})
        footer = footer_distance(theme, replace(geo, bottom=bottom))
    else:
        size = el("w:pgSz", {"w:w": geo.page_w, "w:h": geo.page_h})
        top, right, bottom, left = geo.top, geo.right, geo.bottom, geo.left
        grid = el(
            "w:docGrid",
            {"w:type": "linesAndChars", "w:linePitch": geo.line_pitch, "w:charSpace": geo.char_space},
        )
        footer = footer_distance(theme, geo)
    return el(
        "w:sectPr",
        None,
        *refs,
        val("w:type", "nextPage"),
        size,
        el(
            "w:pgMar",
            {
                "w:top": top,
                "w:right": right,
                "w:bottom": bottom,
                "w:left": left,
                "w:header": tw_mm(15),
                "w:footer": footer,
                "w:gutter": 0,
            },
        ),
        el("w:pgNumType", {"w:fmt": "decimal", "w:start": 1}) if restart_numbering else None,
        el("w:cols", {"w:space": 425}),
        el("w:titlePg") if title_page else None,
        grid,
    )
