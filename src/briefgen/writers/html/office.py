"""Turn pictures, logos, footnotes and the 公文 element nodes into HTML elements (page-less equivalents of the PDF).

Pictures are ``<figure>``s holding an ``<img>`` whose ``src`` is a ``data:`` URI of the node's own
PNG/JPEG bytes (the page stays self-contained; its CSP allows ``img-src data:``), sized in CSS
pixels from the printed millimetres through ``width``/``height`` attributes (no inline styles, which
the CSP forbids), with ``alt`` and a ``<figcaption>`` holding the caption and credit. Footnote
references are ``<a role="doc-noteref">`` links (superscript when numbered 1 2 3); the notes are listed at the end of the
document in a ``<section role="doc-endnotes">`` with back links. The 公文 elements follow GB/T
9704-2012 §7 as the PDF writer places them, without pages: red 发文机关标志, 发文字号/签发人, red
rule, 主送机关, 附件说明 with its hanging indent, 署名/成文日期 on the right, 附注, 附件N, 版记.
"""

from __future__ import annotations

import base64
from typing import Any

from lxml import etree

from briefgen.model.theme import Theme
from briefgen.tree import (
    Addressee,
    AttachmentMark,
    AttachmentNote,
    GongwenHead,
    Image,
    Imprint,
    Signoff,
)
from briefgen.typeset.titles import phrase_chunks

Element = Any  # lxml's etree._Element (kept loose: the writer module owns the alias)
PX_PER_MM = 96 / 25.4  # CSS pixels per millimetre
_MAGIC = ((b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def _sub(parent: Element, tag: str, text: str = "", cls: str = "", **attrs: str) -> Element:
    el = etree.SubElement(parent, tag)
    if cls:
        el.set("class", cls)
    for k, v in attrs.items():
        el.set(k.rstrip("_").replace("_", "-"), v)
    if text:
        el.text = text
    el.tail = "\n"
    return el


#: Titles of up to this many characters fit a line even on a phone: no ``<wbr>`` needed.
SHORT_TITLE = 8


def phrased(parent: Element, tag: str, text: str, cls: str, lines: list[str], **attrs: str) -> Element:
    """``_sub`` for a centred title: a ``<wbr>`` at each phrase or word boundary and CSS
    ``word-break: keep-all`` (class ``phrased``), so the browser breaks it there and nowhere
    inside a word, a number with its unit or a date (``typeset.titles.phrase_chunks``). Each of
    the PDF's ``lines`` is an inline block (``<span class="fit">``): at the page's full width
    the title breaks where the PDF's does; narrower, inside the blocks at the ``<wbr>``."""
    if len(text) <= SHORT_TITLE and len(lines) < 2:
        return _sub(parent, tag, text, cls, **attrs)
    el = _sub(parent, tag, "", f"{cls} phrased", **attrs)
    el.tail = "\n"
    bounds, pos = [0], 0
    for ln in lines[:-1]:
        pos = text.find(ln, pos) + len(ln)
        bounds.append(pos)
    bounds.append(len(text))
    if len(bounds) > 2:  # the blocks would read as words apart (a space between): name it whole
        el.set("aria-label", text)
    for a, b in zip(bounds, bounds[1:], strict=False):
        box = etree.SubElement(el, "span", {"class": "fit"}) if len(bounds) > 2 else el
        chunks = phrase_chunks(text[a:b])
        box.text = chunks[0] if chunks else ""
        for chunk in chunks[1:]:
            etree.SubElement(box, "wbr").tail = chunk
    return el


def data_uri(img: Image) -> str:
    """The picture's bytes as a ``data:`` URI; the type is read from the bytes (PNG or JPEG only),
    so a node's ``mime`` field can never put anything else into the attribute."""
    for magic, mime in _MAGIC:
        if img.data.startswith(magic):
            return f"data:{mime};base64," + base64.b64encode(img.data).decode("ascii")
    raise TypeError(f"internal error: html writer got picture {img.name!r} that is neither PNG nor JPEG")


def picture(parent: Element, img: Image, cls: str, max_width_pt: float | None = None) -> Element:
    """An ``<img>`` of ``img`` at its printed size (narrowed to ``max_width_pt``, aspect kept)."""
    w_mm, h_mm = img.width_mm, img.height_mm
    if max_width_pt is not None and w_mm > 0:
        scale = min(1.0, max_width_pt / (w_mm * 72 / 25.4))
        w_mm, h_mm = w_mm * scale, h_mm * scale
    el = _sub(parent, "img", cls=cls, src=data_uri(img), alt=img.alt,
              width=str(max(1, round(w_mm * PX_PER_MM))), height=str(max(1, round(h_mm * PX_PER_MM))))
    el.tail = None
    return el


def image(w: Any, parent: Element, img: Image, depth: int) -> None:
    """``<figure>``: the picture, then ``<figcaption>`` with the caption and the credit."""
    w.figures += 1
    fig = _sub(parent, "figure", cls=f"picture align-{img.align}", id=w._unique("", f"figure{w.figures}"))
    fig.text = "\n"
    width = w.theme.type_area_width - depth * 2 * w.theme.sizes.body
    picture(fig, img, "", width).tail = "\n"
    if img.caption or img.credit:
        cap = _sub(fig, "figcaption")
        cap.text = "\n"
        noted = bool(img.note and img.mark)
        for text, cls in ((img.caption, "caption"), (img.credit, "credit")):
            if not text:
                continue
            ref = noted and text.endswith(img.mark)
            span = _sub(cap, "span", text.removesuffix(img.mark) if ref else text, cls)
            if ref:
                w.notes.reference(span, img.mark, img.note)
                noted = False  # one reference


def logo(parent: Element, node: Any) -> None:
    """The masthead's or cover's logo as the first child of its element (decorative without alt text)."""
    lg: Image | None = getattr(node, "logo", None)
    if lg is not None:
        el = picture(parent, lg, "logo")
        el.tail = "\n"
        parent.insert(0, el)


# ---------------------------------------------------------------- footnotes


class Notes:
    """Footnote references met while writing (label, note text) and the list written at the end."""

    def __init__(self, superscript: bool) -> None:
        self.superscript = superscript  # 1 2 3 are raised; ①②③ stay on the line (as in the PDF and DOCX)
        self.items: list[tuple[str, str, str]] = []  # (id of the note, label, text)
        self.by_key: dict[tuple[str, str], str] = {}
        self.refs: dict[str, str] = {}  # note id → id of its first reference
        self.count = 0

    def reference(self, parent: Element, label: str, note: str) -> Element:
        """A link to the note (its label, raised when numbered 1 2 3), appended to ``parent``."""
        self.count += 1
        key = (label, note)
        nid = self.by_key.get(key)
        if nid is None:
            nid = f"fn{len(self.items) + 1}"
            self.by_key[key] = nid
            self.items.append((nid, label, note))
        rid = f"fnref{self.count}"
        self.refs.setdefault(nid, rid)
        a = etree.SubElement(parent, "a", {"class": "noteref", "href": f"#{nid}", "id": rid,
                                           "role": "doc-noteref"})
        if self.superscript:
            etree.SubElement(a, "sup").text = label
        else:
            a.text = label
        return a

    def section(self, main: Element, heading: str) -> None:
        """The ``<section role="doc-endnotes">`` before the document's trailing 报尾/版记."""
        if not self.items:
            return
        sec = etree.Element("section", {"class": "endnotes", "role": "doc-endnotes", "aria-label": heading or "注释"})
        sec.text, sec.tail = "\n", "\n"
        ol = _sub(sec, "ol")
        ol.text = "\n"
        for nid, label, note in self.items:
            li = _sub(ol, "li", id=nid)
            back = etree.SubElement(li, "a", {"class": "backlink", "href": f"#{self.refs[nid]}",
                                              "role": "doc-backlink", "aria-label": f"{label}（返回正文）"})
            back.text = label
            back.tail = note
        at = len(main)
        while at > 0 and main[at - 1].tag == "footer":
            at -= 1
        main.insert(at, sec)


# ---------------------------------------------------------------- 公文 elements


def gongwen_head(w: Any, parent: Element, h: GongwenHead, depth: int) -> None:
    head = _sub(parent, "header", cls="gongwen-head")
    head.text = "\n"
    _sub(head, "p", h.mark, "organ-mark")
    if h.signer:
        row = _sub(head, "div", cls="doc-number signed")
        _sub(row, "p", h.doc_number, "number")
        who = _sub(row, "p", "签发人：", "signer")
        _sub(who, "span", h.signer, "signer-name").tail = None
    elif h.doc_number:
        row = _sub(head, "div", cls="doc-number")
        _sub(row, "p", h.doc_number, "number")
    _sub(head, "hr", cls="red-rule", role="presentation")


def addressee(w: Any, parent: Element, a: Addressee, depth: int) -> None:
    _sub(parent, "p", a.text, "addressee")


def attachment_note(w: Any, parent: Element, n: AttachmentNote, depth: int) -> None:
    """附件说明 as a grid: 附件：| N. | name, later items (and wrapped lines) under the first name."""
    box = _sub(parent, "div", cls="attachment-note" + (" many" if len(n.items) > 1 else ""), aria_label="附件说明")
    box.text = "\n"
    for k, item in enumerate(n.items, 1):
        row = _sub(box, "p", cls="item")
        _sub(row, "span", "附件：" if k == 1 else "", "head").tail = None
        _sub(row, "span", f"{k}." if len(n.items) > 1 else "", "num").tail = None
        _sub(row, "span", item, "name").tail = None


def signoff(w: Any, parent: Element, s: Signoff, depth: int) -> None:
    """署名 centred over 成文日期, the pair on the right (2 characters in; 4 when sealed); then 附注."""
    box = _sub(parent, "div", cls="signoff sealed" if s.sealed else "signoff")
    box.text = "\n"
    inner = _sub(box, "div", cls="sign")
    inner.text = "\n"
    if s.organ:
        _sub(inner, "p", s.organ, "organ")
    if s.date_text:
        _sub(inner, "p", s.date_text, "doc-date")
    if s.note:
        _sub(parent, "p", f"（{s.note}）", "annotation")


def attachment_mark(w: Any, parent: Element, a: AttachmentMark, depth: int) -> None:
    """A page break, 附件N in 黑体 flush left, the attachment's title as a heading."""
    _sub(parent, "div", cls="page-break", role="presentation")
    _sub(parent, "p", a.label, "attachment-label")
    tag = "h2" if w.title_shown else "h1"
    phrased(parent, tag, a.title, "attachment-title", w.title_lines(a.title, w.theme.sizes.title),
            id=w._unique("", "attachment"))


def imprint(w: Any, parent: Element, im: Imprint, depth: int) -> None:
    """版记 between rules: 抄送 (hanging under the first organ), then 印发机关 left and 印发日期 right."""
    if not (im.cc or im.printer or im.print_date):
        return
    foot = _sub(parent, "footer", cls="imprint", aria_label="版记")
    foot.text = "\n"
    if im.cc:
        cc = _sub(foot, "p", "抄送：", "cc")
        _sub(cc, "span", im.cc, "organs").tail = None
    if im.printer or im.print_date:
        row = _sub(foot, "div", cls="issue")
        _sub(row, "p", im.printer, "printer")
        _sub(row, "p", f"{im.print_date}印发" if im.print_date else "", "print-date")


def office_css(theme: Theme) -> str:
    """Style rules for pictures, footnotes and the 公文 elements (no url(), no strings from input)."""
    f, s = theme.fonts, theme.sizes
    notes = f"{theme.notes.size:g}pt"
    return f"""figure.picture img {{ max-width: 100%; height: auto; }}
figure.align-left {{ text-align: left; }} figure.align-right {{ text-align: right; }}
figure.picture figcaption {{ line-height: 1.5; margin-top: 3pt; }}
figure.picture figcaption span {{ display: block; text-align: center; }}
figure.picture .credit {{ font-family: var(--font-{f.source_note}); font-size: {s.source_note:g}pt; }}
.masthead img.logo, .cover img.logo {{ display: block; max-width: 30%; height: auto; margin: 0 0 .5em; }}
a.noteref {{ color: inherit; text-decoration: none; }}
a.noteref sup {{ font-size: .6em; line-height: 0; vertical-align: super; }}
section.endnotes {{ margin-top: var(--pitch); font-size: {notes}; line-height: 1.5; }}
section.endnotes::before {{ content: ""; display: block; width: 25%; border-top: .5pt solid var(--text);
  margin-bottom: 6pt; }}
section.endnotes ol {{ list-style: none; padding: 0; }}
section.endnotes li {{ padding-left: 1.5em; text-indent: -1.5em; }}
a.backlink {{ color: inherit; text-decoration: none; margin-right: .5em; }}
.gongwen-head {{ margin-bottom: calc(var(--pitch) * 2); }}
.organ-mark {{ font-family: var(--font-{f.masthead}); font-size: {max(s.masthead, 26.0):g}pt; color: var(--red);
  text-align: center; line-height: 1.3; margin: var(--pitch) 0 calc(var(--pitch) * 2); }}
.doc-number {{ display: flex; justify-content: center; }}
.doc-number.signed {{ justify-content: space-between; padding: 0 1em; }}
.signer-name {{ font-family: var(--font-kaiti); }}
hr.red-rule {{ border: 0; border-top: 1.5pt solid var(--red); margin: 4mm 0 0; }}
.addressee {{ text-align: left; text-indent: 0; }}
.attachment-note {{ display: grid; grid-template-columns: max-content max-content 1fr; margin-top: var(--pitch);
  padding-left: 2em; }}
.attachment-note .item {{ display: contents; }}
.attachment-note .name {{ text-align: left; }}
.signoff {{ display: flex; justify-content: flex-end; margin-top: var(--pitch); padding-right: 2em; }}
.signoff.sealed {{ margin-top: calc(var(--pitch) * 2); padding-right: 4em; }}
.signoff .sign p {{ text-align: center; }}
.annotation {{ text-indent: 2em; }}
.attachment-label {{ font-family: var(--font-heiti); text-align: left; margin-bottom: var(--pitch); }}
.attachment-title {{ font-family: var(--font-{f.title}); font-size: {s.title:g}pt; line-height: 1.3; text-align: center;
  margin-bottom: var(--pitch); }}
.imprint {{ margin-top: calc(var(--pitch) * 2); font-size: {s.closing:g}pt; line-height: var(--pitch);
  border-top: .35mm solid var(--text); border-bottom: .35mm solid var(--text); }}
.imprint .cc {{ padding: 0 1em 0 4em; text-indent: -3em; text-align: left; }}
.imprint .cc + .issue {{ border-top: .25mm solid var(--text); }}
.imprint .issue {{ display: flex; justify-content: space-between; padding: 0 1em; }}
@media print {{ .gongwen-head, .signoff, .imprint, figure.picture {{ break-inside: avoid; }} }}
"""


HANDLERS: dict[type, Any] = {
    Image: image,
    GongwenHead: gongwen_head,
    Addressee: addressee,
    AttachmentNote: attachment_note,
    Signoff: signoff,
    AttachmentMark: attachment_mark,
    Imprint: imprint,
}
