"""Turn text, spans and formatting requests into WordprocessingML elements (shared DOCX helpers)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from contextvars import ContextVar
from functools import lru_cache
from typing import Protocol, TypeAlias

from docx.oxml.parser import oxml_parser
from lxml import etree

from briefgen.i18n import _
from briefgen.model.theme import FONT_ROLES, MM, FontRole, Theme
from briefgen.tree import Span
from briefgen.typeset.titles import unit_lines

Element: TypeAlias = etree._Element
W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NSMAP = {"w": W_NS}

# Characters XML 1.0 cannot hold (C0 controls except \t \n \r, U+FFFE/FFFF, lone surrogates).
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

# ---------------------------------------------------------------- units


def tw(pt: float) -> int:
    """Points → twips (1/20 pt)."""
    return round(pt * 20)


def tw_mm(mm: float) -> int:
    """Millimetres → twips."""
    return round(mm * MM * 20)


def half_pt(pt: float) -> int:
    """Points → half-points (``w:sz``)."""
    return round(pt * 2)


def hex_color(color: str) -> str:
    """``#ff0000`` → ``FF0000``."""
    return color.lstrip("#").upper()


# ---------------------------------------------------------------- elements


@lru_cache(maxsize=512)
def qn(name: str) -> str:
    """``w:val`` → Clark notation. Only the ``w:`` and ``xml:`` prefixes are used here."""
    prefix, _sep, local = name.partition(":")
    if prefix == "w":
        return f"{{{W_NS}}}{local}"
    if prefix == "xml":
        return f"{{http://www.w3.org/XML/1998/namespace}}{local}"
    raise ValueError(f"unknown prefix in {name!r}")


def el(tag: str, attrs: dict[str, str | int] | None = None, *children: Element | None) -> Element:
    """A ``w:`` element with ``w:``-prefixed attributes and children (``None`` children skipped)."""
    node = oxml_parser.makeelement(qn(tag), nsmap=NSMAP)
    if attrs:
        for k, v in attrs.items():
            node.set(qn(k), str(v))
    for child in children:
        if child is not None:
            node.append(child)
    return node


def val(tag: str, value: str | int) -> Element:
    """A ``<w:tag w:val="value"/>`` element."""
    return el(tag, {"w:val": value})


def ordered(tag: str, children: Iterable[Element | None], order: Sequence[str]) -> Element | None:
    """Build ``tag`` with children sorted into schema ``order``; ``None`` when there are none."""
    rank = {qn(t): i for i, t in enumerate(order)}
    kids = sorted((c for c in children if c is not None), key=lambda c: rank[c.tag])
    return el(tag, None, *kids) if kids else None


# Schema orders (ECMA-376 Part 1, CT_PPrBase / CT_RPr) for the children briefgen writes.
PPR_ORDER = (
    "w:pStyle", "w:keepNext", "w:keepLines", "w:pageBreakBefore", "w:framePr", "w:widowControl",
    "w:numPr", "w:pBdr", "w:shd", "w:tabs", "w:kinsoku", "w:wordWrap", "w:overflowPunct",
    "w:autoSpaceDE", "w:autoSpaceDN", "w:snapToGrid", "w:spacing", "w:ind", "w:contextualSpacing",
    "w:jc", "w:outlineLvl", "w:rPr", "w:sectPr",
)  # fmt: skip
RPR_ORDER = (
    "w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:i", "w:iCs", "w:snapToGrid", "w:color",
    "w:spacing", "w:kern", "w:sz", "w:szCs", "w:u", "w:lang",
)  # fmt: skip


def rfonts(name: str) -> Element:
    """``w:rFonts`` naming ``name`` in all four slots (ascii, hAnsi, eastAsia, cs) and no theme
    fonts, because python-docx's ``font.name`` leaves ``w:eastAsia`` alone (python-docx #154)."""
    return el(
        "w:rFonts",
        {"w:ascii": name, "w:hAnsi": name, "w:eastAsia": name, "w:cs": name, "w:hint": "eastAsia"},
    )


def lang() -> Element:
    """``w:lang`` for Chinese text (Latin runs tagged en-US)."""
    return el("w:lang", {"w:val": "en-US", "w:eastAsia": "zh-CN", "w:bidi": "ar-SA"})


def rpr(
    font: str | None = None,
    size_pt: float | None = None,
    color: str | None = None,
    *,
    plain: bool = False,
    with_lang: bool = False,
    style: str | None = None,
    extra: Iterable[Element] = (),
) -> Element | None:
    """Run properties; ``plain`` writes explicit not-bold/not-italic (for heading styles)."""
    kids: list[Element | None] = [val("w:rStyle", style) if style else None]
    kids.append(rfonts(font) if font else None)
    if plain:
        kids += [val("w:b", 0), val("w:bCs", 0), val("w:i", 0), val("w:iCs", 0)]
    if color:
        kids.append(val("w:color", hex_color(color)))
    if size_pt is not None:
        kids += [val("w:sz", half_pt(size_pt)), val("w:szCs", half_pt(size_pt))]
    if with_lang:
        kids.append(lang())
    kids.extend(extra)
    return ordered("w:rPr", kids, RPR_ORDER)


def spacing(line_tw: int | None = None, before: int = 0, after: int = 0) -> Element:
    """Paragraph spacing; ``line_tw`` gives exact line spacing in twips."""
    attrs: dict[str, str | int] = {"w:before": before, "w:after": after}
    if line_tw is not None:
        attrs.update({"w:line": line_tw, "w:lineRule": "exact"})
    else:
        attrs.update({"w:line": 240, "w:lineRule": "auto"})
    return el("w:spacing", attrs)


def indent(
    first_chars: int | None = None,
    char_tw: int = 320,
    left: int = 0,
    right: int = 0,
    hanging: int = 0,
) -> Element:
    """Indentation. ``first_chars`` = first-line indent in hundredths of a character
    (``w:firstLineChars``), written together with its twips equivalent for readers that ignore
    the character units."""
    attrs: dict[str, str | int] = {"w:left": left, "w:right": right}
    if hanging:
        attrs["w:hanging"] = hanging
    else:
        chars = first_chars or 0
        attrs["w:firstLineChars"] = chars
        attrs["w:firstLine"] = round(chars * char_tw / 100)
    return el("w:ind", attrs)


def border(side: str, size_eighths: int, color: str = "000000", space: int = 1) -> Element:
    """One single-line border (``w:sz`` in eighths of a point)."""
    return el(
        f"w:{side}",
        {"w:val": "single", "w:sz": size_eighths, "w:space": space, "w:color": hex_color(color)},
    )


def no_border(side: str) -> Element:
    return el(f"w:{side}", {"w:val": "nil"})


def tabs(*stops: tuple[str, int, str]) -> Element:
    """Tab stops as (alignment, position in twips, leader)."""
    return el(
        "w:tabs",
        None,
        *(el("w:tab", {"w:val": a, "w:pos": p, "w:leader": ld}) for a, p, ld in stops),
    )


def ppr(
    style: str | None = None,
    *,
    jc: str | None = None,
    extra: Iterable[Element | None] = (),
) -> Element | None:
    """Paragraph properties: a style, an alignment and any further children (sorted)."""
    kids: list[Element | None] = [val("w:pStyle", style) if style else None]
    if jc:
        kids.append(val("w:jc", jc))
    kids.extend(extra)
    return ordered("w:pPr", kids, PPR_ORDER)


# ---------------------------------------------------------------- text


def clean_text(text: str, warn: Callable[[str], None] | None = None) -> str:
    """Make ``text`` XML-safe: CR/CRLF → LF, drop characters XML 1.0 cannot hold."""
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    if _XML_BAD.search(text):
        bad = sorted({f"U+{ord(c):04X}" for c in _XML_BAD.findall(text)})
        if warn:
            warn(_("docx: removed characters XML cannot hold ({chars})").format(chars=", ".join(bad[:5])))
        text = _XML_BAD.sub("", text)
    return text


def text_children(text: str) -> list[Element]:
    """Run content for ``text``: ``w:t`` pieces, ``\\n`` → ``w:br``, ``\\t`` → ``w:tab``."""
    out: list[Element] = []
    for piece in re.split(r"([\n\t])", text):
        if piece == "\n":
            out.append(el("w:br"))
        elif piece == "\t":
            out.append(el("w:tab"))
        elif piece:
            t = el("w:t")
            t.text = piece
            if piece != piece.strip():
                t.set(qn("xml:space"), "preserve")
            out.append(t)
    return out


def run(text: str, props: Element | None = None) -> Element:
    """One ``w:r`` (text must already be clean)."""
    return el("w:r", None, props, *text_children(text))


class FontNames(Protocol):
    """The one method of ``FontBook`` the DOCX writer uses."""

    def docx_name(self, role: FontRole) -> str: ...


class ThemeFontNames:
    """DOCX font names straight from ``theme.docx_fonts`` (when no FontBook is available)."""

    def __init__(self, theme: Theme) -> None:
        self.theme = theme

    def docx_name(self, role: FontRole) -> str:
        return str(getattr(self.theme.docx_fonts, role))


class Fonts:
    """Resolve font roles to DOCX names once per render."""

    def __init__(self, theme: Theme, book: FontNames | None) -> None:
        self.theme = theme
        source: FontNames = book if book is not None and hasattr(book, "docx_name") else (
            ThemeFontNames(theme)
        )
        self._names = {r: clean_text(source.docx_name(r)) for r in _ROLES}

    def name(self, role: FontRole) -> str:
        return self._names[role]

    def used(self) -> list[str]:
        return sorted(set(self._names.values()))


_ROLES = FONT_ROLES


# Footnote texts of the DOCX being written, in reference order (set by writers.docx.footnotes).
NOTES: ContextVar[list[str] | None] = ContextVar("briefgen_docx_notes", default=None)


def span_runs(
    spans: Iterable[Span],
    fonts: Fonts,
    warn: Callable[[str], None] | None = None,
    base: Callable[[], Element | None] | None = None,
) -> list[Element]:
    """Runs for inline spans: strong → the strong role font (黑体), emphasis → the emphasis role
    (楷体), set through run-level ``w:rFonts`` rather than bold/italic faces."""
    out: list[Element] = []
    theme_fonts = fonts.theme.fonts
    for span in spans:
        collected = NOTES.get()
        if span.note and collected is not None:  # a real Word footnote (writers.docx.footnotes)
            collected.append(clean_text(span.note, warn))
            ref = el("w:r", None, el("w:rPr", None, val("w:rStyle", "FootnoteReference")),
                     el("w:footnoteReference", {"w:id": len(collected)}))
            out.append(ref)
            continue
        text = clean_text(span.text, warn)
        if not text:
            continue
        role: FontRole | None = None
        if span.strong:
            role = theme_fonts.strong
        elif span.emphasis:
            role = theme_fonts.emphasis
        props = rpr(fonts.name(role)) if role else (base() if base else None)
        out.append(run(text, props))
    return out


def insert_ordered(parent: Element, child: Element, order: Sequence[str]) -> None:
    """Insert ``child`` into ``parent`` before the first sibling that follows it in ``order``
    (replacing an existing child with the same tag)."""
    rank = {qn(t): i for i, t in enumerate(order)}
    mine = rank[child.tag]
    for sib in list(parent):
        if sib.tag == child.tag:
            parent.remove(sib)
    for sib in parent:
        if rank.get(sib.tag, len(order)) > mine:
            sib.addprevious(child)
            return
    parent.append(child)


def p_props(p: Element) -> Element:
    """The ``w:pPr`` of paragraph ``p``, created when missing."""
    props = p.find(qn("w:pPr"))
    if props is None:
        props = el("w:pPr")
        p.insert(0, props)
    return props


def char_units(text: str) -> float:
    """Width of ``text`` in body characters: CJK / full-width / ambiguous = 1, others = ½."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text if c != "\n")


def title_text(text: str, size_pt: float, width_pt: float, pdf_lines: dict[str, list[str]]) -> str:
    """``text`` (a centred title) with a line break (``\\n``, a ``w:br``) where the PDF broke it
    (``pdf_lines``, by text), or, in a DOCX-only build, where ``typeset.titles`` breaks it in
    character units, so Word does not break it inside a word; unchanged if it fits one line
    or a line would not fit Word's line."""
    lines = pdf_lines.get(text)
    if lines is None:
        if char_units(text) * size_pt <= width_pt:
            return text
        lines = unit_lines(text, size_pt, width_pt)
    out, pos = [], 0
    for ln in lines:
        k = text.find(ln, pos)
        if not ln or k < 0 or text[pos:k].strip():
            return text
        out.append(ln)
        pos = k + len(ln)
    if text[pos:].strip() or any(char_units(ln) * size_pt > width_pt + 0.5 for ln in out):
        return text
    return "\n".join(out)
