"""Turn a tree ``Table`` into ``w:tbl`` XML, built as one string and parsed once (fast for 10k rows)."""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from xml.sax.saxutils import escape

from docx.oxml.parser import parse_xml

from briefgen.i18n import _
from briefgen.tree import Table, TableCell
from briefgen.typeset.linebreak import is_cjk
from briefgen.typeset.table_layout import Cell as LayoutCell
from briefgen.typeset.table_layout import (
    cell_of,
    figure_pads,
    pretty_cuts,
    prune_table,
)
from briefgen.typeset.table_widths import column_layout
from briefgen.writers.context import CellLine, LaidTable
from briefgen.writers.docx.styles import Geometry
from briefgen.writers.docx.xml import NOTES, W_NS, Element, Fonts, char_units, clean_text

# python-docx's Table.add_row copies and re-scans the table each time (quadratic, python-docx
# #174, peer-lessons #18), so rows are emitted here as text and parsed by lxml in one go.

_NUMERIC = re.compile(r"^[+\-−±]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*[%‰]?$")
_JC = {"left": "left", "center": "center", "right": "right"}

CELL_MARGIN = 72  # twips left and right inside every cell: the PDF's 4 pt less 0.4 pt, slack for
# LibreOffice and Word rounding (a column as wide as two characters plus padding must hold two)
CELL_SLACK = 8  # twips: a cell's margin is the PDF's padding less this (its lines must fit)
CELL_MARGIN_Y = 60  # twips above and below (the PDF's 3 pt): rows as tall as the PDF's
SLACK_TWIPS = 40  # per cell: rounding, and faces a little wider than assumed
#: Latin letters and digits in a DOCX-only build (no PDF layout to follow): 0.5 em in 仿宋, up to
#: 0.64 em in the fallback faces (DejaVu Sans) LibreOffice uses where 仿宋 is missing.
LATIN_EM = 0.64
THICK = 12  # three-line table top/bottom rules, eighths of a point (1.5 pt)
THIN = 6  # rule under the header rows (0.75 pt)
GRID_OUTER = 8
GRID_INNER = 4


def column_widths(weights: list[float], columns: int, total: int, mins: list[int] | None = None) -> list[int]:
    """Relative weights → integer twips summing to ``total`` (equal widths if weights don't fit).

    ``mins`` are per-column minimums (numbers must not wrap): columns that would fall below
    theirs get it, the rest share what is left by weight (as the PDF writer does)."""
    if columns <= 0:
        return []
    if len(weights) != columns or any(w <= 0 for w in weights):
        weights = [1.0] * columns
    lo = mins if mins is not None and len(mins) == columns and sum(mins) < total else [0] * columns
    fixed: dict[int, int] = {}
    while True:
        free = [i for i in range(columns) if i not in fixed]
        room = total - sum(fixed.values())
        wsum = sum(weights[i] for i in free) or 1.0
        short = [i for i in free if room * weights[i] / wsum < lo[i]]
        if not short:
            break
        for i in short:
            fixed[i] = lo[i]
    out = [fixed[i] if i in fixed else int(weights[i] * room / wsum) for i in range(columns)]
    out[-1] += total - sum(out)
    return out


def fitted_widths(table: Table, total: int, font_pt: float, pads: list[list[float]] | None = None) -> list[int]:
    """Column widths in twips from the shared table layout engine (``typeset.table_widths``),
    measured in character units (``_measure_units``), so that Word and
    LibreOffice wrap where the PDF does: figures whole, labels absorbing the wrapping."""
    ncols = table.columns
    unit = font_pt * 20  # one full-width character, in twips
    hr = min(max(table.header_rows, 0), len(table.rows))
    body = table.rows[hr:]
    step = max(1, len(body) // 120)
    if pads is None:
        pads = figure_pad_twips(table, unit)
    cells: list[list[LayoutCell]] = []
    for ri, row in enumerate(table.rows[:hr] + body[::step]):
        parts: list[LayoutCell] = []
        for c in range(ncols):
            cell = _measure_units(row[c].text if c < len(row) else "", unit)
            pad = pads[c][(ri - hr) * step] if ri >= hr and pads[c] else 0.0
            if pad and cell.figure:
                cell = replace(cell, widths=(*cell.widths[:-1], cell.widths[-1] + pad))
            parts.append(cell)
        cells.append(parts)
    fitted = column_layout(cells, ncols, float(total), 2 * CELL_MARGIN + SLACK_TWIPS, unit / 2,
                           weights=table.widths[:ncols], floor=2 * unit, header_rows=hr)  # fmt: skip
    out = [int(w) for w in fitted]
    out[-1] += total - sum(out)
    return out


AUTOSPACE_EM = 0.2  # LibreOffice's space where Chinese meets Latin or digits (it ignores w:autoSpaceDE/DN)


@lru_cache(maxsize=8192)
def _measure_units(text: str, unit: float) -> LayoutCell:
    """A cell measured in character units (cached: key-figure tables repeat their cells): a
    full-width character 1 em, Latin letters and digits ``LATIN_EM``, plus ``AUTOSPACE_EM``
    where Chinese meets Latin or digits."""
    ems = [_em(ch) for ch in text]
    for k in range(len(text) - 1):
        a, b = text[k], text[k + 1]
        if (is_cjk(a) and b.isascii() and b.isalnum()) or (a.isascii() and a.isalnum() and is_cjk(b)):
            ems[k] += AUTOSPACE_EM
    return cell_of(text, [unit * e for e in ems])


def _em(ch: str) -> float:
    return 1.0 if char_units(ch) == 1.0 else LATIN_EM


def figure_pad_twips(table: Table, unit: float) -> list[list[float]]:
    """Per column (empty if none): right indent per body row that lines right-aligned figures
    up on their last integer digit (as the PDF writer pads them)."""
    hr = min(max(table.header_rows, 0), len(table.rows))
    out: list[list[float]] = []
    for c in range(table.columns):
        col = [r[c] if c < len(r) else TableCell("") for r in table.rows[hr:]]
        texts = [x.text if _is_right(x) else "" for x in col]
        pads = figure_pads(texts, lambda ch: unit * _em(ch)) if any(texts) else []
        out.append(pads if any(pads) else [])
    return out


def _note_ref(cell: TableCell, warn: Callable[[str], None] | None) -> str:
    """A Word footnote reference for a cell's note (a key figure's), its text collected in NOTES."""
    collected = NOTES.get()
    if not cell.note or not cell.mark or collected is None:
        return ""
    collected.append(clean_text(cell.note, warn))
    return (f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
            f'<w:footnoteReference w:id="{len(collected)}"/></w:r>')


def _is_right(cell: TableCell) -> bool:
    return cell.align == "right" or (cell.align == "left" and bool(_NUMERIC.match(cell.text.strip())))


def _keep_rows(table: Table, header_rows: int) -> list[str]:
    """``w:keepNext`` per row where Word must not break after it, as the PDF writer keeps rows:
    the header with the first two data rows (group heading rows not counted; a short table
    whole) and the last two rows with a source note. A row's keepNext keeps it with the next
    row, so the second data row itself carries none (with it, three rows had to fit)."""
    n = len(table.rows)
    out = [""] * n
    end, data = header_rows, 0
    while end < n and data < 2:
        cells = table.rows[end]
        data += not (cells and cells[0].strong and all(not c.text for c in cells[1:]))
        end += 1
    last = n - 1 if n - end <= 2 else end - 1  # rows before ``last`` keep with their next row
    for r in range(max(last, 0)):
        out[r] = "<w:keepNext/>"
    if table.source_note:
        for r in range(max(header_rows, n - 2), n):
            out[r] = "<w:keepNext/>"
    return out


def _pretty(text: str, width: float, unit: float) -> str:
    """``text`` with a line break (``w:br``) where Word, wrapping greedily in a cell ``width``
    twips wide, would leave one or two characters alone on the last line or split a bracketed
    unit (（亿元）): the PDF's "pretty" breaks (``pretty_cuts``). Cells that fill well are left
    to Word, so editing them reflows as usual."""
    if not text or "\n" in text or len(text) < 3:
        return text
    cuts = pretty_cuts(_measure_units(text, unit), width - 2 * CELL_MARGIN)
    for k in reversed(cuts):
        text = text[:k] + "\n" + text[k:]
    return text


def _bdr(side: str, size: int | None) -> str:
    if size is None:
        return f'<w:{side} w:val="nil"/>'
    return f'<w:{side} w:val="single" w:sz="{size}" w:space="0" w:color="000000"/>'


def _text_xml(text: str) -> str:
    parts: list[str] = []
    for piece in re.split(r"([\n\t])", text):
        if piece == "\n":
            parts.append("<w:br/>")
        elif piece == "\t":
            parts.append("<w:tab/>")
        elif piece:
            parts.append(f'<w:t xml:space="preserve">{escape(piece)}</w:t>')
    return "".join(parts)


def _rfonts_xml(name: str) -> str:
    n = escape(name, {'"': "&quot;"})
    return f'<w:rFonts w:ascii="{n}" w:hAnsi="{n}" w:eastAsia="{n}" w:cs="{n}" w:hint="eastAsia"/>'


def _run_xml(text: str, fonts_xml: str = "", spacing: int = 0) -> str:
    """One run: the cell's font (strong cells), character spacing in twips, the text."""
    if not text:
        return ""
    props = fonts_xml + (f'<w:spacing w:val="{spacing}"/>' if spacing else "")
    return f"<w:r>{f'<w:rPr>{props}</w:rPr>' if props else ''}{_text_xml(text)}</w:r>"


def _script_runs(text: str) -> int:
    """How many runs of one script (Chinese and full-width marks / Latin and digits) ``text``
    has, spaces going with the text before them: LibreOffice applies character spacing between
    the characters of such a run only, never after its last one."""
    runs, prev = 0, None
    for ch in text:
        wide = char_units(ch) == 1.0
        if ch.isspace() and prev is not None:
            continue
        if wide != prev:
            runs += 1
            prev = wide
    return runs


def line_spacing(text: str, cut: float, size: float, base: int = 0) -> int:
    """Character spacing (twips) that takes ``cut`` points out of a line of ``text``: spread over
    the gaps LibreOffice applies it to (Word applies it after every character: a little more),
    at most a sixth of an em per gap (LibreOffice's limit); ``base`` when nothing is cut."""
    gaps = len(text) - _script_runs(text)
    if cut <= 0.005 or gaps <= 0:
        return base
    return max(base - math.ceil(cut * 20 / gaps), -math.floor(size * 20 / 6))


def pdf_cell_xml(
    lines: Sequence[CellLine], text: str, size: float, fonts_xml: str = "", mark: str = "", base: int = 0
) -> str | None:
    """``text`` as the PDF set it: its lines joined by line breaks (``w:br``), a line the PDF set
    narrower (punctuation compressed in pairs, a squeezed line) condensed by as much
    (``line_spacing``), so that Word and LibreOffice, given the PDF's fonts and column widths,
    show the same lines. ``mark`` (a key figure's note mark, a footnote reference in Word) is
    left off the end. ``None`` when the lines do not spell ``text``: the cell wraps by itself."""
    got = list(lines)
    if mark and got and got[-1][0].endswith(mark):
        t, cut, width = got[-1]
        got[-1] = (t.removesuffix(mark), cut, width)
    if "".join("".join(ln[0] for ln in got).split()) != "".join(text.split()):
        return None
    parts: list[str] = []
    for i, (t, cut, _width) in enumerate(got):
        if i:
            parts.append("<w:r><w:br/></w:r>")
        line = t.rstrip() if i < len(got) - 1 else t
        parts.append(_run_xml(line, fonts_xml, line_spacing(line, cut, size, base)))
    return "".join(parts)


Laid = LaidTable


def _autospaces(text: str) -> int:
    """Where LibreOffice puts its auto-space in ``text``: a Chinese character next to a Latin
    letter or digit (it ignores w:autoSpaceDE/DN; Word honours them)."""
    return sum(1 for a, b in itertools.pairwise(text)
               if (is_cjk(a) and b.isascii() and b.isalnum()) or (a.isascii() and a.isalnum() and is_cjk(b)))  # fmt: skip


#: ``autospace_room`` may narrow the cells' left and right margins by up to this share.
MARGIN_GIVE = 0.35


def autospace_room(
    lt: LaidTable, widths: list[int], margin: int, pads: Sequence[Sequence[float]], size: float, header_rows: int
) -> tuple[list[int], int]:
    """``widths`` and the cells' left/right ``margin``, with twips moved to the columns where
    one of the PDF's lines, widened by LibreOffice's auto-space, would no longer fit: from
    columns with room to spare and, when that is not enough (a crowded table), from every
    cell's margins (up to ``MARGIN_GIVE`` of them). Word, which sets no auto-space, shows the
    same lines either way; unchanged when even that is not enough."""
    for give in range(0, int(margin * MARGIN_GIVE) + 1, 5):
        got = _room(lt, widths, margin - give, pads, size, header_rows)
        if got is not None:
            return got, margin - give
    return widths, margin


def _room(
    lt: LaidTable, widths: list[int], margin: int, pads: Sequence[Sequence[float]], size: float, header_rows: int
) -> list[int] | None:
    """``autospace_room``'s widths at a given ``margin``; ``None`` when the columns with room
    to spare cannot cover what the others lack."""
    n = len(widths)
    need = [0.0] * n
    for r, row in enumerate(lt.lines):
        for c, cell in enumerate(row[:n]):
            k = r - header_rows
            pad = pads[c][k] if 0 <= k < len(pads[c]) else 0.0
            for text, _cut, width in cell:
                need[c] = max(need[c], width * 20 + AUTOSPACE_EM * size * 20 * _autospaces(text) + pad)
    inner = [w - 2 * margin for w in widths]
    short = [max(0, math.ceil(need[c] - inner[c])) for c in range(n)]
    spare = [max(0, math.floor(inner[c] - need[c])) for c in range(n)]
    take = sum(short)
    if take > sum(spare):
        return None
    if not take:
        return widths
    out = [w + d for w, d in zip(widths, short, strict=True)]
    for c in sorted(range(n), key=lambda c: -spare[c]):
        d = min(spare[c], take)
        out[c] -= d
        take -= d
    return out


def pdf_layout(laid: Sequence[Laid], ncols: int, total: int) -> tuple[list[int], LaidTable] | None:
    """The column widths (twips, summing to ``total``) the PDF laid this table out with at the
    same available width, with that layout (the one with the least cell padding above/below:
    a table the PDF tightened to stay on one page), or ``None`` when the PDF did not lay it
    out at that width."""
    found: tuple[list[int], LaidTable] | None = None
    for lt in laid:
        ws = lt.col_widths
        if len(ws) == ncols and abs(lt.width * 20 - total) <= 40 and sum(ws) > 0:
            out = [round(w * total / sum(ws)) for w in ws]
            out[-1] += total - sum(out)
            if found is None or lt.pad_y < found[1].pad_y:
                found = (out, lt)
    return found


def table_xml(
    table: Table,
    fonts: Fonts,
    width: int,
    warn: Callable[[str], None] | None = None,
    laid: Sequence[Laid] = (),
) -> Element | None:
    """The ``w:tbl`` element for ``table`` scaled to ``width`` twips; ``None`` for an empty table.
    ``laid``: how the PDF laid it out in this build, if it did (see ``pdf_layout``)."""
    table = prune_table(table)
    ncols = table.columns
    if not table.rows or ncols == 0:
        if warn:
            warn(_("docx: skipped a table without rows"))
        return None
    size = fonts.theme.table_type(table.reference)[0]
    unit = size * 20
    # the cell styles' own character spacing (the body's tracking when cells are body-size)
    base = Geometry.of(fonts.theme).tracking if size == fonts.theme.sizes.body else 0
    header_rows = max(0, min(table.header_rows, len(table.rows)))
    from_pdf = pdf_layout(laid, ncols, width)
    lt: LaidTable | None = None
    pad_y, margin = CELL_MARGIN_Y, CELL_MARGIN
    if from_pdf is None:
        pads = figure_pad_twips(table, unit)
        widths = fitted_widths(table, width, size, pads)
    else:  # the PDF's widths, padding and lines (its padding less a little slack: the lines must fit)
        widths, lt = from_pdf
        pad_y = min(CELL_MARGIN_Y, round(lt.pad_y * 20))
        margin = max(0, math.floor(lt.pad_x * 20) - CELL_SLACK)
        pads = [[float(math.ceil(p * 20)) for p in col] for col in lt.figure_pads]
        if len(pads) != ncols or len(lt.lines) != len(table.rows):
            pads, lt = figure_pad_twips(table, unit), None
        else:
            widths, margin = autospace_room(lt, widths, margin, pads, size, header_rows)
    three_line = table.style == "three-line"
    strong_fonts = _rfonts_xml(fonts.name(fonts.theme.fonts.strong))

    if three_line:
        tbl_borders = (_bdr("top", THICK) + _bdr("left", None) + _bdr("bottom", THICK)
                       + _bdr("right", None) + _bdr("insideH", None) + _bdr("insideV", None))  # fmt: skip
    else:
        tbl_borders = (_bdr("top", GRID_OUTER) + _bdr("left", GRID_OUTER)
                       + _bdr("bottom", GRID_OUTER) + _bdr("right", GRID_OUTER)
                       + _bdr("insideH", GRID_INNER) + _bdr("insideV", GRID_INNER))  # fmt: skip
    out: list[str] = [
        f'<w:tbl xmlns:w="{W_NS}"><w:tblPr>',
        f'<w:tblW w:w="{width}" w:type="dxa"/><w:jc w:val="center"/>',
        f"<w:tblBorders>{tbl_borders}</w:tblBorders>",
        '<w:tblLayout w:type="fixed"/>',
        f'<w:tblCellMar><w:top w:w="{pad_y}" w:type="dxa"/><w:left w:w="{margin}" w:type="dxa"/>'
        f'<w:bottom w:w="{pad_y}" w:type="dxa"/><w:right w:w="{margin}" w:type="dxa"/>'
        "</w:tblCellMar>",
        '<w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" '
        'w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>',
        "</w:tblPr><w:tblGrid>",
        *(f'<w:gridCol w:w="{w}"/>' for w in widths),
        "</w:tblGrid>",
    ]
    tcw = [f'<w:tcW w:w="{w}" w:type="dxa"/>' for w in widths]
    # Three-line tables: thin rule under the last header row; the thick top rule is repeated on
    # the first header row's cells so it is drawn again where the header repeats on a new page.
    hdr_first = f"<w:tcBorders>{_bdr('top', THICK)}</w:tcBorders>" if three_line else ""
    hdr_last = f"<w:tcBorders>{_bdr('bottom', THIN)}</w:tcBorders>" if three_line else ""
    hdr_both = (
        f"<w:tcBorders>{_bdr('top', THICK)}{_bdr('bottom', THIN)}</w:tcBorders>" if three_line else ""
    )
    empty = TableCell("")
    keep = _keep_rows(table, header_rows)
    for r, row in enumerate(table.rows):
        is_header = r < header_rows
        out.append("<w:tr><w:trPr><w:cantSplit/>")
        if is_header:
            out.append("<w:tblHeader/>")
        out.append("</w:trPr>")
        if is_header:
            first, last = r == 0, r == header_rows - 1
            cell_bdr = hdr_both if first and last else hdr_first if first else hdr_last if last else ""
        else:
            cell_bdr = ""
        style = ("TableHeader" if is_header else "TableText") if not table.reference else (
            "ReferenceTableHeader" if is_header else "ReferenceTableText")
        for c in range(ncols):
            cell = row[c] if c < len(row) else empty
            text = clean_text(cell.text, warn)
            jc = _JC.get(cell.align, "left")
            if is_header and cell.align == "left":
                jc = "center"
            elif not is_header and cell.align == "left" and _NUMERIC.match(text.strip()):
                jc = "right"
            ref = _note_ref(cell, warn)
            fonts_xml = strong_fonts if cell.strong else ""
            got = None
            if lt is not None and c < len(lt.lines[r]):
                got = pdf_cell_xml(lt.lines[r][c], text, size, fonts_xml, cell.mark if ref else "", base)
            if got is None:  # wrapped by Word itself (with hand breaks where greedy wrapping is poor)
                text = _pretty(text.removesuffix(cell.mark) if ref else text, widths[c] - SLACK_TWIPS, unit)
                got = _run_xml(text, fonts_xml)
            body = got + ref
            pad = round(pads[c][r - header_rows]) if not is_header and pads[c] and jc == "right" else 0
            ind = f'<w:ind w:right="{pad}"/>' if pad else ""
            out.append(
                f'<w:tc><w:tcPr>{tcw[c]}{cell_bdr}<w:vAlign w:val="center"/></w:tcPr>'
                f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{keep[r]}{ind}<w:jc w:val="{jc}"/></w:pPr>{body}</w:p>'
                "</w:tc>"
            )
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return parse_xml("".join(out).encode("utf-8"))
