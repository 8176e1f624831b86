"""Export a composed briefgen document tree for the peer tools the benchmark compares against.

Bench-only code (not part of the package): the SAME content briefgen renders goes to

* Markdown for ``pandoc`` (→ DOCX),
* Typst markup for the ``typst`` Python package (→ PDF), using the fonts briefgen's FontBook chose,
* a docxtpl template (made with python-docx) plus a JSON context (→ DOCX, then LibreOffice → PDF).

Each exporter walks ``briefgen.tree`` nodes: headings with their labels, paragraphs with
strong/emphasis spans, lists, tables, boxes, page breaks, TOC, masthead, cover and 报尾.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from briefgen.tree import (
    Box,
    ClosingBlock,
    Cover,
    Document,
    Heading,
    Inlines,
    ListBlock,
    Masthead,
    PageBreak,
    Paragraph,
    Table,
    TocPlaceholder,
    inline_text,
)

# ---------------------------------------------------------------------------- Markdown (pandoc)

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~^$@:&\"'])")
_PAGE_BREAK_OPENXML = '```{=openxml}\n<w:p><w:r><w:br w:type="page"/></w:r></w:p>\n```'


def _md_text(text: str) -> str:
    return _MD_SPECIAL.sub(r"\\\1", text).replace("\n", " ")


def _md_inlines(inlines: Inlines) -> str:
    out = []
    for s in inlines:
        t = _md_text(s.text)
        if not t.strip():
            out.append(t)
        elif s.strong:
            out.append(f"**{t}**")
        elif s.emphasis:
            out.append(f"*{t}*")
        else:
            out.append(t)
    return "".join(out)


def _md_table(t: Table) -> list[str]:
    n = t.columns
    rows = [[_md_text(c.text) for c in r] + [""] * (n - len(r)) for r in t.rows]
    if not rows:
        return []
    lines = []
    if t.caption:
        lines += [f"Table: {_md_text(t.caption)}", ""]
    head = rows[0]
    lines.append("| " + " | ".join(head) + " |")
    lines.append("|" + "|".join("---" for _ in head) + "|")
    lines += ["| " + " | ".join(r) + " |" for r in rows[1:]]
    if t.source_note:
        lines += ["", _md_text(t.source_note)]
    return lines


def _md_blocks(blocks: list[Any], quote: bool = False) -> list[str]:
    out: list[str] = []
    for b in blocks:
        chunk: list[str]
        if isinstance(b, Heading):
            chunk = ["#" * min(b.level, 6) + " " + _md_text(b.label) + _md_inlines(b.inlines)]
        elif isinstance(b, Paragraph):
            chunk = [_md_inlines(b.inlines)]
        elif isinstance(b, ListBlock):
            chunk = [("1. " if b.ordered else "- ") + _md_inlines(i) for i in b.items]
        elif isinstance(b, Table):
            chunk = _md_table(b)
        elif isinstance(b, Box):
            inner = [f"**{_md_text(b.title)}**", ""] if b.title else []
            inner += _md_blocks(b.blocks)
            chunk = [("> " + ln) if ln else ">" for ln in inner]
        elif isinstance(b, PageBreak):
            chunk = [_PAGE_BREAK_OPENXML]
        elif isinstance(b, TocPlaceholder):
            chunk = []  # pandoc --toc
        elif isinstance(b, Masthead):
            chunk = [_md_text(x) for x in (b.mark, b.name, b.issue_line) if x]
            chunk = [x + "\\" for x in chunk[:-1]] + chunk[-1:]
            chunk += ["", _md_text(f"{b.unit}　　{b.date_text}"), "", "* * *"]
        elif isinstance(b, Cover):
            chunk = [_md_text(x) for x in (b.mark, b.kind_line, b.title, b.subtitle, b.unit, b.date_text) if x]
            chunk = [x + "\\" for x in chunk[:-1]] + chunk[-1:] + ["", _PAGE_BREAK_OPENXML]
        elif isinstance(b, ClosingBlock):
            chunk = ["* * *"] + [_md_text(f"{k}：{v}") + "\\" for k, v in b.lines]
            chunk += [_md_text(b.copies_text)] if b.copies_text else [chunk.pop()[:-1]]
        else:
            chunk = []
        if chunk:
            out += chunk + [""]
    return out


def to_markdown(doc: Document) -> tuple[str, list[str]]:
    """Markdown text and the pandoc options it needs (``--toc`` when the brief has a TOC)."""
    lines: list[str] = []
    if doc.show_title:
        lines += [f"% {_md_text(doc.meta.title)}", ""]
    lines += _md_blocks(doc.blocks)
    opts = ["--toc"] if any(isinstance(b, TocPlaceholder) for b in doc.blocks) else []
    return "\n".join(lines) + "\n", opts


# ---------------------------------------------------------------------------- Typst

def _ty_str(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _ty_inlines(inlines: Inlines) -> str:
    out = []
    for s in inlines:
        if s.strong:
            out.append(f"#text(font: heiti, {_ty_str(s.text)})")
        elif s.emphasis:
            out.append(f"#text(font: kaiti, {_ty_str(s.text)})")
        else:
            out.append(f"#{_ty_str(s.text)}")
    return "".join(out) or "#\"\""


def _ty_table(t: Table) -> list[str]:
    n = t.columns
    if not n:
        return []
    cells = []
    for k, r in enumerate(t.rows):
        row = [c.text for c in r] + [""] * (n - len(r))
        cells.append(", ".join(_ty_str(c) for c in row) + ",")
        if k + 1 == t.header_rows:
            cells.append("table.hline(stroke: 0.5pt),")
    lines = []
    if t.caption:
        lines.append(f"#align(center, text(font: heiti, {_ty_str(t.caption)}))")
    lines.append(f"#text(size: 12pt, table(columns: {n}, stroke: none, inset: 4pt, align: left,")
    lines.append("table.hline(stroke: 1pt),")
    lines += cells
    lines.append("table.hline(stroke: 1pt)))")
    if t.source_note:
        lines.append(f"#text(size: 12pt, {_ty_str(t.source_note)})")
    return lines


def _ty_blocks(blocks: list[Any]) -> list[str]:
    out: list[str] = []
    for b in blocks:
        chunk: list[str]
        if isinstance(b, Heading):
            chunk = [f"#heading(level: {min(b.level, 4)}, numbering: none, outlined: true)["
                     f"#{_ty_str(b.label)}{_ty_inlines(b.inlines)}]"]
        elif isinstance(b, Paragraph):
            align = b.align if b.align in ("center", "right") else None
            body = _ty_inlines(b.inlines)
            chunk = [f"#align({align})[{body}]" if align else body]
        elif isinstance(b, ListBlock):
            mark = "+" if b.ordered else "-"
            chunk = [f"{mark} {_ty_inlines(i)}" for i in b.items]
        elif isinstance(b, Table):
            chunk = _ty_table(b)
        elif isinstance(b, Box):
            inner = [f"#text(font: heiti, {_ty_str(b.title)})", ""] if b.title else []
            inner += _ty_blocks(b.blocks)
            chunk = ["#block(stroke: 0.5pt, inset: 8pt, width: 100%)["] + inner + ["]"]
        elif isinstance(b, PageBreak):
            chunk = ["#pagebreak(weak: true)"]
        elif isinstance(b, TocPlaceholder):
            chunk = [f"#outline(title: {_ty_str(b.title)}, depth: {b.max_level})", "#pagebreak(weak: true)"]
        elif isinstance(b, Masthead):
            chunk = [f"#text(font: heiti, size: 12pt, {_ty_str(b.mark)})",
                     f"#align(center, text(font: xbs, size: 36pt, fill: red, {_ty_str(b.name)}))",
                     f"#align(center, {_ty_str(b.issue_line)})",
                     f"#grid(columns: (1fr, 1fr), {_ty_str(b.unit)}, align(right, {_ty_str(b.date_text)}))",
                     "#line(length: 100%, stroke: 1pt + red)"]
        elif isinstance(b, Cover):
            chunk = [f"#text(font: heiti, size: 12pt, {_ty_str(b.mark)})", "#v(6em)",
                     f"#align(center, text(font: xbs, size: 26pt, {_ty_str(b.title)}))",
                     f"#align(center, text(font: kaiti, {_ty_str(b.subtitle)}))", "#v(1fr)",
                     f"#align(center, text(font: heiti, {_ty_str(b.kind_line)}))",
                     f"#align(center, {_ty_str(b.unit)})", f"#align(center, {_ty_str(b.date_text)})",
                     "#pagebreak()"]
        elif isinstance(b, ClosingBlock):
            chunk = ["#v(1fr)", "#line(length: 100%, stroke: 0.75pt)"]
            chunk += [f"#par(first-line-indent: 0pt, {_ty_str(f'{k}：{v}')})" for k, v in b.lines]
            chunk += ["#line(length: 100%, stroke: 0.75pt)", f"#align(right, {_ty_str(b.copies_text)})"]
        else:
            chunk = []
        if chunk:
            out += chunk + [""]
    return out


def to_typst(doc: Document, fonts: dict[str, list[str]]) -> str:
    """Typst source on an A4 公文 page grid with the given font families per role."""

    def fam(role: str) -> str:
        return "(" + ", ".join(_ty_str(f) for f in fonts.get(role, [])) + ",)"

    head = [
        f"#let body = {fam('fangsong')}",
        f"#let heiti = {fam('heiti')}",
        f"#let kaiti = {fam('kaiti')}",
        f"#let xbs = {fam('xiaobiaosong')}",
        '#set document(title: ' + _ty_str(doc.meta.title) + ')',
        '#set page(paper: "a4", margin: (top: 37mm, bottom: 35mm, left: 28mm, right: 26mm),'
        ' footer: context align(center, [— #counter(page).display() —]))',
        '#set text(font: body, size: 16pt, lang: "zh", region: "cn")',
        "#set par(first-line-indent: (amount: 2em, all: true), justify: true, leading: 0.9em, spacing: 0.9em)",
        "#show heading: set text(size: 16pt, weight: \"regular\")",
        "#show heading.where(level: 1): set text(font: heiti)",
        "#show heading.where(level: 2): set text(font: kaiti)",
        "",
    ]
    if doc.show_title and not any(isinstance(b, Cover) for b in doc.blocks):
        head += [f"#align(center, text(font: xbs, size: 22pt, {_ty_str(doc.meta.title)}))", ""]
    return "\n".join(head + _ty_blocks(doc.blocks)) + "\n"


# ---------------------------------------------------------------------------- docxtpl

def docxtpl_context(doc: Document) -> dict[str, Any]:
    """JSON-able context for :func:`make_docxtpl_template`: a flat list of typed blocks."""
    items: list[dict[str, Any]] = []

    def para(text: str, kind: str = "p") -> None:
        if text:
            items.append({"k": kind, "t": text})

    def walk(blocks: list[Any]) -> None:
        for b in blocks:
            if isinstance(b, Heading):
                para(b.label + b.text, f"h{min(b.level, 3)}")
            elif isinstance(b, Paragraph):
                para(b.text)
            elif isinstance(b, ListBlock):
                for i in b.items:
                    para(inline_text(i), "li")
            elif isinstance(b, Table):
                n = b.columns
                rows = [[c.text for c in r] + [""] * (n - len(r)) for r in b.rows]
                para(b.caption, "cap")
                if rows:
                    items.append({"k": "t", "head": rows[0], "rows": rows[1:]})
                para(b.source_note)
            elif isinstance(b, Box):
                para(b.title, "h3")
                walk(b.blocks)
            elif isinstance(b, PageBreak):
                items.append({"k": "br"})
            elif isinstance(b, TocPlaceholder):
                para(b.title, "h1")
                for h in doc.headings():
                    if h.level <= b.max_level:
                        para(("　" * (h.level - 1)) + h.label + h.text)
                items.append({"k": "br"})
            elif isinstance(b, Masthead):
                for x in (b.mark, b.name, b.issue_line, f"{b.unit}　　{b.date_text}"):
                    para(x, "c")
            elif isinstance(b, Cover):
                for x in (b.mark, b.title, b.subtitle, b.kind_line, b.unit, b.date_text):
                    para(x, "c")
                items.append({"k": "br"})
            elif isinstance(b, ClosingBlock):
                for k, v in b.lines:
                    para(f"{k}：{v}")
                para(b.copies_text)

    walk(doc.blocks)
    return {"title": doc.meta.title if doc.show_title else "", "blocks": items}


def make_docxtpl_template(path: Path) -> None:
    """A docxtpl template (python-docx made) that renders :func:`docxtpl_context` blocks."""
    from docx import Document as new_docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.shared import Pt

    d = new_docx()
    normal = d.styles["Normal"]
    normal.font.size = Pt(16)
    normal.font.name = "FangSong"
    d.add_paragraph("{{ title }}", style="Title")
    d.add_paragraph("{%p for b in blocks %}")
    d.add_paragraph("{%p if b.k == 'h1' %}")
    d.add_paragraph("{{ b.t }}", style="Heading 1")
    d.add_paragraph("{%p elif b.k == 'h2' %}")
    d.add_paragraph("{{ b.t }}", style="Heading 2")
    d.add_paragraph("{%p elif b.k == 'h3' %}")
    d.add_paragraph("{{ b.t }}", style="Heading 3")
    d.add_paragraph("{%p elif b.k == 'li' %}")
    d.add_paragraph("{{ b.t }}", style="List Bullet")
    d.add_paragraph("{%p elif b.k == 'c' or b.k == 'cap' %}")
    d.add_paragraph("{{ b.t }}").alignment = WD_ALIGN_PARAGRAPH.CENTER
    d.add_paragraph("{%p elif b.k == 'br' %}")
    d.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    d.add_paragraph("{%p elif b.k == 't' %}")
    # one header row and one body row inside a row loop; each row loops over its cells
    table = d.add_table(rows=4, cols=3)
    table.style = "Table Grid"
    texts = [["{%tc for h in b.head %}", "{{ h }}", "{%tc endfor %}"],
             ["{%tr for r in b.rows %}", "", ""],
             ["{%tc for c in r %}", "{{ c }}", "{%tc endfor %}"],
             ["{%tr endfor %}", "", ""]]
    for i, row in enumerate(texts):
        for j, text in enumerate(row):
            table.cell(i, j).text = text
    d.add_paragraph("{%p else %}")
    p = d.add_paragraph("{{ b.t }}")
    p.paragraph_format.first_line_indent = Pt(32)
    d.add_paragraph("{%p endif %}")
    d.add_paragraph("{%p endfor %}")
    d.save(str(path))


def write_docxtpl_inputs(doc: Document, folder: Path, stem: str) -> tuple[Path, Path]:
    tpl = folder / "docxtpl-template.docx"
    if not tpl.exists():
        make_docxtpl_template(tpl)
    ctx = folder / f"{stem}.docxtpl.json"
    ctx.write_text(json.dumps(docxtpl_context(doc), ensure_ascii=False), encoding="utf-8")
    return tpl, ctx
