"""Turn a built PDF (and its DOCX rendered by LibreOffice) into page-quality findings a typesetter would flag.

Measured on the printed result only (pdfplumber characters grouped into lines by
``typo_measure``), independent of briefgen's own layout code:

* table cells whose last line holds 1–2 characters (a whole list item too: ``苏州、|上海``),
  or another line a lone character (``苏|州、上海``); figure cells (a digit, ≤ 8 characters)
  that wrap, and any cell whose line break falls inside a figure (``2020年|1—8月``);
* loose lines: the largest extra space in one gap next to a Chinese character, in em, over
  the document's plain tracking; letterspaced Latin/digit runs (any extra space inside them);
  chart labels (set below 11 pt, placed one by one) are not text lines;
* adjacent punctuation pairs (”， ）、 。” …) still taking two full ems;
* pages whose content ends more than a third of the type area early while the next page
  continues the same flow; headings, captions and source notes separated from what they
  belong to; widow and orphan lines of body paragraphs;
* for the DOCX: LibreOffice's page count and table-of-contents page numbers, on equal fonts (a
  fontconfig configuration maps the DOCX's font names to the faces the PDF embedded) and with the
  DOCX's settings honoured (its auto-space off, which LibreOffice's DOCX import ignores), and as
  LibreOffice opens it (auto-space on).
* a sources appendix (附：数据来源): its cells' line counts and the space left at its page feet.

``python tests/typography/pagecheck.py OUT_DIR|FILE.pdf [--no-docx]`` prints the findings for every PDF there.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from xml.sax.saxutils import escape

from typo_measure import (
    BOTTOM,
    CENTRE,
    LEFT,
    TOP,
    PLine,
    all_lines,
    flows,
    is_footer,
    para_starts,
    underfull,
)

TYPE_H = BOTTOM - TOP
CLOSE = frozenset("、，。”’）》」』】〕〗〉］｝")
OPEN = frozenset("“‘（《「『【〔〖〈［｛")
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+\.\D)")
NOTE = re.compile(r"^(资料来源|来源|据|注[:：]|说明[:：])")
SAID = re.compile(r"^据")  # an attribution (据…整理) is a note only in note type; body text may open with 据
CAPTION = re.compile(r"^(表|图)\s*\d|一览$|数据$|情况$|构成$|增速$|示意$")
LATIN = re.compile(r"[A-Za-z0-9]")
CHART_TYPE = 11.0  # chart labels are set smaller than any text or table type
# a figure as printed: a number (range, decimals, thousands) with the unit, period or qualifier
# that belongs to it; adjacent ones chain (2020年1—8月, 2.6个百分点)
FIGURE = re.compile(r"(?:超过?|近|约|第)?(?:[+\-−]?\d[\d,.，]*(?:[—–~～-]\d[\d,.]*)?"
                    r"(?:[%‰℃]|个百分点|百分点|年(?:[上下]半年|[一二三四]季度|前三季度|全年)|[年月日]份?|季度|倍|"
                    r"[万亿]?(?:千瓦时|平方米|公里|人次|元|斤|吨|人|户|个|家|项|所|件|台|辆|米|位)|[万亿千百]+)?"
                    r"(?:多|余|以上|左右|以下)?)+")


def wide(ch: str) -> bool:
    return bool(ch) and ord(ch[0]) >= 0x2E80  # a PDF "character" may be a ligature of two


@dataclass
class Findings:
    """Counts per kind, with up to five examples each."""

    name: str
    pages: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    examples: dict[str, list[str]] = field(default_factory=dict)
    worst_gap_em: float = 0.0

    def add(self, kind: str, example: str) -> None:
        self.counts[kind] += 1
        ex = self.examples.setdefault(kind, [])
        if len(ex) < 5:
            ex.append(example)

    def __str__(self) -> str:
        lines = [f"{self.name}: {self.pages} pages, largest extra gap {self.worst_gap_em:.3f} em"]
        for k, v in sorted(self.counts.items()):
            lines.append(f"  {k}: {v}  e.g. {self.examples[k][:3]}")
        return "\n".join(lines)


# ---------------------------------------------------------------- inside lines


def _gaps(ln: PLine) -> list[tuple[dict[str, Any], dict[str, Any], float]]:
    """Adjacent visible characters and the space between them (pairs around a space skipped)."""
    out = []
    for a, b in zip(ln.chars, ln.chars[1:], strict=False):
        if not a["text"].isspace() and not b["text"].isspace():
            out.append((a, b, float(b["x0"]) - float(a["x1"])))
    return out


def plain_tracking(pages: list[list[PLine]]) -> dict[float, float]:
    """Per font size: the most common gap between two Chinese characters (unjustified lines)."""
    seen: dict[float, Counter[float]] = {}
    for page in pages:
        for ln in page:
            for a, b, g in _gaps(ln):
                same = abs(float(a["size"]) - float(b["size"])) < 0.01
                if wide(a["text"]) and wide(b["text"]) and same and g > -0.1 * float(a["size"]):  # not overlapping labels
                    seen.setdefault(round(float(a["size"]), 1), Counter())[round(g, 2)] += 1
    return {s: c.most_common(1)[0][0] for s, c in seen.items()}


def check_lines(pages: list[list[PLine]], f: Findings) -> None:
    track = plain_tracking(pages)
    for page in pages:
        for ln in page:
            if is_footer(ln) or ln.size < CHART_TYPE:
                continue  # chart labels are placed one by one, not justified
            worst = 0.0
            for a, b, g in _gaps(ln):
                size = float(a["size"])
                t = track.get(round(size, 1), 0.0)
                extra = (g - t) / size
                if a["text"] == "\u00a0" or b["text"] == "\u00a0":
                    continue
                if (wide(a["text"]) or wide(b["text"])) and extra > 0:
                    worst = max(worst, extra)
                elif LATIN.match(a["text"]) and LATIN.match(b["text"]) and extra > 0.02:
                    f.add("letterspaced Latin/digits", repr(ln))
                    break
                pair = (a["text"] in CLOSE and (b["text"] in CLOSE or b["text"] in OPEN)
                        or a["text"] in OPEN and b["text"] in OPEN)  # fmt: skip
                if pair and float(a["width"]) >= 0.9 * size and float(b["x0"]) - float(a["x0"]) > 0.75 * size:
                    f.add("uncompressed punctuation pair", f"{a['text']}{b['text']} in {ln!r}")
            f.worst_gap_em = max(f.worst_gap_em, worst)
            if worst > 0.2:
                f.add("loose line (> 0.2 em per gap)", f"{worst:.2f} em {ln!r}")


# ---------------------------------------------------------------- cells and flows


ATTACHMENT_MARK = re.compile(r"附件\d+$")


def is_figure(text: str) -> bool:
    return 0 < len(text) <= 8 and any(c.isdigit() for c in text)


def splits_a_figure(lines: list[str]) -> bool:
    """A line break inside a figure (``2020年|1—8月``, ``11.0亿千瓦|时``, ``下降|0.1个百分点`` is fine)."""
    text = "".join(lines)
    breaks, at = set(), 0
    for ln in lines[:-1]:
        at += len(ln)
        breaks.add(at)
    return any(m.start() < b < m.end() for m in FIGURE.finditer(text) for b in breaks)


def check_flows(pages: list[list[PLine]], f: Findings) -> None:
    right = max((ln.x1 for page in pages for ln in page), default=0.0)  # the type area's right edge
    for fl in flows(pages):
        size = fl[0].size
        cell = not NOTE.match(fl[0].text)  # a source note under a table is a paragraph, not a cell
        if cell and 11 <= size < 15.5 and len(fl) > 1 and len({ln.page for ln in fl}) == 1:  # table cells (chart labels are smaller)
            text = "".join(ln.text for ln in fl)
            if is_figure(text) or splits_a_figure([ln.text for ln in fl]):
                f.add("wrapped figure cell", " | ".join(ln.text for ln in fl))
            elif len(fl[-1].text) <= 2:
                f.add("cell ending with a 1-2 character line", " | ".join(ln.text for ln in fl))
            elif any(len(ln.text.strip()) == 1 for ln in fl[:-1]):
                f.add("cell with a character alone on a line", " | ".join(ln.text for ln in fl))
        if size >= 15.5 and len(fl) > 1:
            starts = para_starts(fl)
            for i in range(len(fl) - 1):
                if fl[i + 1].page == fl[i].page:
                    continue
                full = fl[i].x1 >= right - size or underfull(fl[i])  # a short line ends its paragraph (unless underfull)
                if starts[i] and not starts[i + 1] and full:
                    f.add("orphan (first line alone at a page foot)", repr(fl[i]))
                ends_next = i + 2 >= len(fl) or starts[i + 2]
                mark = ATTACHMENT_MARK.match(fl[i + 1].text)  # 附件N opens its own page (GB/T 9704 §7.3.7)
                if full and not mark and not starts[i + 1] and ends_next and fl[i + 1].x1 < max(ln.x1 for ln in fl) - size:
                    f.add("widow (last line alone at a page head)", repr(fl[i + 1]))


# ---------------------------------------------------------------- pages


def _content(page: list[PLine]) -> list[PLine]:
    return [ln for ln in page if not is_footer(ln)]


def _under_chart(body: list[PLine], caption: PLine) -> bool:
    """A caption right under chart labels (small type, no 资料来源/注) is the chart's own caption,
    with its chart; a chart's data table that follows on the next page carries its caption again."""
    above = [ln for ln in body if ln.bottom <= caption.top + 0.5]
    if not above:
        return False
    prev = max(above, key=lambda ln: ln.bottom)
    return prev.size < 11 and caption.top - prev.bottom < 2 * caption.size and not NOTE.match(prev.text)


def check_pages(pages: list[list[PLine]], sizes: list[tuple[float, float]], f: Findings) -> None:
    n = len(pages)
    for i, page in enumerate(pages):
        body = _content(page)
        if not body or sizes[i][0] > sizes[i][1]:
            continue
        last = max(body, key=lambda ln: ln.bottom)
        nxt = _content(pages[i + 1]) if i + 1 < n else []
        if i + 1 < n and nxt and sizes[i + 1][0] < sizes[i + 1][1]:
            first = min(nxt, key=lambda ln: ln.top)
            # a section's last page may end early: the next starts a part, a chapter (一、) or 附件
            # … or the 版记 (抄送/印发), which GB/T 9704 puts at the foot of an even page
            new_part = (first.size >= 18 or first.text in ("目录",) or first.text.startswith(("附件", "抄送", "印发"))
                        or re.match(r"^[一二三四五六七八九十]+、", first.text) is not None)  # fmt: skip
            toc = any(ln.text == "目录" for ln in body)
            if not new_part and not toc and i > 0 and BOTTOM - last.bottom > TYPE_H / 3:
                f.add("page ends > 1/3 early", f"p{i + 1}: {BOTTOM - last.bottom:.0f} pt empty before {first!r}")
            if NOTE.match(first.text) and not (SAID.match(first.text) and first.size >= 15.5):
                f.add("source note separated from its table", repr(first))
        if i + 1 < n and nxt and not any(ln.text == "目录" for ln in body):
            if HEADING.match(last.text) and last.size >= 15.5 and len(last.text) < 30:
                f.add("heading at a page foot", repr(last))
            elif (abs(last.centre - CENTRE) < 3 and CAPTION.search(last.text) and len(last.text) < 30
                  and not _under_chart(body, last)):  # fmt: skip
                f.add("caption separated from its table/chart", repr(last))


@dataclass
class Appendix:
    """A sources appendix (附：数据来源) as printed: its table cells' lines (the note under the table
    not counted: it is wider than any cell) and the space left at the foot of each of its pages but the last (pt)."""

    cells: list[list[PLine]]
    feet: list[float]

    @property
    def most_lines(self) -> int:
        return max((len(c) for c in self.cells), default=0)


def appendix_of(pages: list[list[PLine]], heading: str = "数据来源") -> Appendix | None:
    """The appendix under the last body-size line holding ``heading`` (not a TOC entry)."""
    at = [(i, ln) for i, page in enumerate(pages) for ln in page
          if heading in ln.text and ln.size >= 15.5 and not re.search(r"[.…·]\s*\d+$|\d+$", ln.text)]  # fmt: skip
    if not at:
        return None
    start, head = at[-1]
    rest = [[ln for ln in page if not is_footer(ln) and (k or ln.top > head.bottom)]
            for k, page in enumerate(pages[start:])]  # fmt: skip
    # a cell is narrower than half the type area; the note (资料来源：…, its continuation) is not
    cells = [f for f in flows(rest) if 11 <= f[0].size < 15.5 and max(ln.x1 - ln.x0 for ln in f) < CENTRE - LEFT]
    feet = [BOTTOM - max(ln.bottom for ln in page) for page in rest[:-1] if page]
    return Appendix(cells, feet)


# ---------------------------------------------------------------- DOCX through LibreOffice


def toc_numbers(pages: list[list[PLine]]) -> list[str]:
    """The page numbers printed in the table of contents (digits at the end of its lines)."""
    for page in pages[:4]:
        if any(ln.text == "目录" for ln in page):
            text = " ".join(ln.text for ln in page if not is_footer(ln))
            return re.findall(r"[.…·\s](\d{1,3})(?=\s|$)", text)
    return []


def pdf_faces(theme: Any) -> dict[str, tuple[Path, int]]:
    """Each font name the DOCX uses for a role, with the face (file, subfont) the PDF set it in."""
    from briefgen.fonts.roles import ROLES
    from briefgen.pipeline.render import font_book

    book = font_book(theme)
    out: dict[str, tuple[Path, int]] = {}
    for role in ROLES:
        src = book.source(role)
        out.setdefault(book.docx_name(role), (Path(src.path), src.index))
    return out


def fontconfig_file(faces: dict[str, tuple[Path, int]], folder: Path) -> Path | None:
    """A fontconfig configuration (the system's, plus one rule per font name) under which
    LibreOffice sets each font name the DOCX uses (仿宋, 黑体, 方正小标宋简体, Times New Roman …) in
    the face the PDF embedded for it: the two are then compared on equal fonts, as a Windows
    user who has the fonts the DOCX names sees it. ``None`` without ``fc-scan``."""
    scan = shutil.which("fc-scan")
    if scan is None:
        return None
    rules, dirs = [], set()
    for name, (path, index) in sorted(faces.items()):
        got = subprocess.run([scan, "--format", "%{index}|%{family[0]}\n", str(path)],
                             capture_output=True, text=True, check=False).stdout  # fmt: skip
        family = next((ln.split("|", 1)[1] for ln in got.splitlines() if ln.split("|", 1)[0] == str(index)), "")
        if not family:
            continue
        dirs.add(str(path.parent))  # the bundled Noto fonts are not in fontconfig's folders
        rules.append(f'<match target="pattern"><test name="family"><string>{escape(name)}</string></test>'
                     f'<edit name="family" mode="assign" binding="strong"><string>{escape(family)}</string>'
                     "</edit></match>")  # fmt: skip
    system = os.environ.get("FONTCONFIG_FILE") or "/etc/fonts/fonts.conf"
    conf = folder / "fonts.conf"
    conf.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                    f'<include ignore_missing="yes">{escape(system)}</include>\n'
                    + "".join(f"<dir>{escape(d)}</dir>\n" for d in sorted(dirs))
                    + "\n".join(rules) + "\n</fontconfig>\n", encoding="utf-8")  # fmt: skip
    return conf


def _soffice(args: list[str], out: Path, fonts_conf: Path | None) -> None:
    soffice = shutil.which("soffice")
    assert soffice is not None
    env = dict(os.environ)
    if fonts_conf is not None:
        env["FONTCONFIG_FILE"] = str(fonts_conf)
    with tempfile.TemporaryDirectory() as prof:
        subprocess.run([soffice, f"-env:UserInstallation=file://{prof}", "--headless", *args, "--outdir", str(out)],
                       check=True, capture_output=True, timeout=240, env=env)  # fmt: skip


def autospace_off(docx: Path) -> bool:
    """Whether the DOCX turns Word's space between Chinese and Latin/digits off for the whole
    document (w:autoSpaceDE/DN 0 in its defaults, never 1): what LibreOffice's importer ignores."""
    with zipfile.ZipFile(docx) as z:
        styles = z.read("word/styles.xml").decode("utf-8")
        body = z.read("word/document.xml").decode("utf-8")
    defaults = styles.split("</w:docDefaults>")[0]
    on = re.compile(r'<w:autoSpaceD[EN]( w:val="(1|true|on)")?/>')
    return ('<w:autoSpaceDE w:val="0"/>' in defaults and '<w:autoSpaceDN w:val="0"/>' in defaults
            and not on.search(styles) and not on.search(body))  # fmt: skip


def libreoffice_pdf(docx: Path, out: Path, fonts_conf: Path | None = None, as_specified: bool = False) -> Path | None:
    """The DOCX as LibreOffice lays it out. ``as_specified``: with the DOCX's own "no space between
    Chinese and Latin/digits" honoured — LibreOffice's DOCX import drops w:autoSpaceDE/DN
    (writerfilter's DomainMapper has no handler for them; test_libreoffice_ignores_autospace_off
    shows it), so the document goes through ODF, where the same setting
    (style:text-autospace="none") is read."""
    if shutil.which("soffice") is None:
        return None
    out.mkdir(parents=True, exist_ok=True)
    if not as_specified or not autospace_off(docx):
        _soffice(["--convert-to", "pdf", str(docx)], out, fonts_conf)
    else:
        with tempfile.TemporaryDirectory() as tmp:
            _soffice(["--convert-to", "odt", str(docx)], Path(tmp), fonts_conf)
            odt = Path(tmp) / (docx.stem + ".odt")
            if not odt.exists():
                return None
            fixed = Path(tmp) / "fixed" / odt.name
            fixed.parent.mkdir()
            with zipfile.ZipFile(odt) as zi, zipfile.ZipFile(fixed, "w") as zo:
                for item in zi.infolist():
                    data = zi.read(item.filename)
                    if item.filename in ("styles.xml", "content.xml"):
                        data = re.sub(rb'style:text-autospace="[^"]*"', b'style:text-autospace="none"', data)
                    zo.writestr(item, data, zipfile.ZIP_STORED if item.filename == "mimetype" else zipfile.ZIP_DEFLATED)
            _soffice(["--convert-to", "pdf", str(fixed)], out, fonts_conf)
    got = out / (docx.stem + ".pdf")
    return got if got.exists() else None


def check_pdf(path: Path, name: str = "") -> tuple[Findings, list[list[PLine]]]:
    import pdfplumber

    f = Findings(name or path.stem)
    with pdfplumber.open(path) as pdf:
        pages = all_lines(pdf)
        sizes = [(float(p.width), float(p.height)) for p in pdf.pages]
    f.pages = len(pages)
    check_lines(pages, f)
    check_flows(pages, f)
    check_pages(pages, sizes, f)
    return f, pages


def check_docx(
    docx: Path, pdf_pages: list[list[PLine]], f: Findings, scratch: Path, fonts_conf: Path | None = None
) -> None:
    """LibreOffice's page count and TOC numbers against the PDF's: for the DOCX as specified
    (``libreoffice_pdf(as_specified=True)``), and as LibreOffice shows it with its auto-space."""
    import pdfplumber

    for kind, spec in (("", True), (" (LibreOffice's auto-space on)", False)):
        lo = libreoffice_pdf(docx, scratch / ("spec" if spec else "raw"), fonts_conf, as_specified=spec)
        if lo is None:
            f.add("LibreOffice unavailable", str(docx))
            return
        with pdfplumber.open(lo) as pdf:
            lo_pages = all_lines(pdf)
        if len(lo_pages) != len(pdf_pages):
            f.add("LibreOffice page count differs" + kind, f"{len(lo_pages)} vs PDF {len(pdf_pages)}")
        a, b = toc_numbers(pdf_pages), toc_numbers(lo_pages)
        if a != b:
            f.add("TOC page numbers differ (LibreOffice vs PDF)" + kind, f"{b} vs {a}")


def _faces_from_manifest(out: Path, pdf: Path) -> dict[str, tuple[Path, int]]:
    """The DOCX font names and the faces the build embedded (``briefgen-manifest.json``)."""
    import json

    from briefgen.pipeline.prepare import prepare

    try:
        briefs = json.loads((out / "briefgen-manifest.json").read_text(encoding="utf-8"))["briefs"]
    except (OSError, ValueError, KeyError):
        return {}
    for entry in briefs.values():
        if entry.get("outputs", {}).get("pdf", {}).get("path") == pdf.name:
            docx_fonts = prepare(Path(entry["spec"])).theme.docx_fonts
            return {str(getattr(docx_fonts, role)): (Path(f.rpartition("#")[0]), int(f.rpartition("#")[2]))
                    for role, f in entry.get("fonts", {}).items()}  # fmt: skip
    return {}


def main(argv: list[str]) -> int:
    import argparse

    ap = argparse.ArgumentParser(prog="pagecheck", description=__doc__.split("\n\n")[0])
    ap.add_argument("out", type=Path, help="a folder of built PDFs (with their DOCX beside them), or one PDF")
    ap.add_argument("--no-docx", action="store_true", help="skip the LibreOffice rendering of the DOCX")
    args = ap.parse_args(argv)
    out: Path = args.out
    if not out.exists():
        ap.error(f"{out}: no such file or folder")
    total: Counter[str] = Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for pdf in [out] if out.is_file() else sorted(out.glob("*.pdf")):
            f, pages = check_pdf(pdf)
            docx = pdf.with_suffix(".docx")
            if docx.exists() and not args.no_docx:
                scratch = Path(tmp) / pdf.stem
                scratch.mkdir()
                conf = fontconfig_file(_faces_from_manifest(pdf.parent, pdf), scratch)
                check_docx(docx, pages, f, scratch, conf)
            print(f)
            app = appendix_of(pages)
            if app is not None:
                print(f"  sources appendix: {len(app.cells)} cells, at most {app.most_lines} lines; "
                      f"space at its page feet {[round(x) for x in app.feet]} pt")  # fmt: skip
            total.update(f.counts)
    print("TOTAL", dict(total))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
