"""Turn a tree ``Table`` into ``w:tbl`` XML, built as one string and parsed once (fast for 10k rows)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from functools import lru_cache
from xml.sax.saxutils import escape

from docx.oxml.parser import parse_xml

from briefgen.i18n import _
from briefgen.tree import Table, TableCell
from briefgen.typeset.breakrules import ALLOW, boundary_classes
from briefgen.typeset.linebreak import is_cjk
from briefgen.typeset.table_layout import (
    SHORT_LAST,
    cell_of,
    column_layout,
    figure_pads,
    fill,
    is_figure,
    pretty_cuts,
    prune_table,
)
from briefgen.typeset.table_layout import Cell as LayoutCell
from briefgen.writers.docx.xml import NOTES, W_NS, Element, Fonts, char_units, clean_text

# python-docx's Table.add_row copies and re-scans the table each time (quadratic, python-docx
# #174, peer-lessons #18), so rows are emitted here as text and parsed by lxml in one go.

_NUMERIC = re.compile(r"^[+\-−±]?(\d{1,3}(,\d{3})+|\d+)(\.\d+)?\s*[%‰]?$")
_JC = {"left": "left", "center": "center", "right": "right"}

CELL_MARGIN = 72  # twips left and right inside every cell: the PDF's 4 pt less 0.4 pt, slack for
# LibreOffice and Word rounding (a column as wide as two characters plus padding must hold two)
CELL_MARGIN_Y = 60  # twips above and below (the PDF's 3 pt): rows as tall as the PDF's
SLACK_TWIPS = 40  # per cell: rounding, and faces a little wider than assumed
#: Latin letters and digits: 0.5 em in 仿宋, up to 0.64 em in the fallback faces (DejaVu Sans)
#: LibreOffice uses where 仿宋 is missing.
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
    """Column widths in twips from the shared table layout engine (``typeset.table_layout``),
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


# LibreOffice on Linux has no 仿宋/宋体: it draws Latin and digits in a substitute (DejaVu Sans,
# 0.64 em digits, where 仿宋 and the PDF's fonts have 0.5 em) and, ignoring w:autoSpaceDE/DN on
# DOCX import, adds 0.2 em where Chinese meets Latin or digits. Cells measured this way wrap
# where LibreOffice wraps them.
WIDE_LATIN_EM = LATIN_EM
AUTOSPACE_EM = 0.2


@lru_cache(maxsize=8192)
def _measure_wide(text: str, unit: float) -> LayoutCell:
    """A cell as LibreOffice sets it with substitute fonts (see ``WIDE_LATIN_EM``), in the
    clusters it keeps together: a Latin run breaks only at spaces and after hyphens (not after
    ``. / _`` as the PDF may), and full-width punctuation stays with the Latin that follows."""
    if not text:
        return LayoutCell()
    n = len(text)
    wide = [char_units(c) == 1.0 for c in text]
    klass = boundary_classes(text)
    widths: list[float] = []
    chars: list[int] = []
    cur, count = 0.0, 0
    for k, ch in enumerate(text):
        a = text[k - 1] if k else ""
        if k and klass[k] == ALLOW and not (
            (not wide[k] and not ch.isspace() and (not wide[k - 1] and not a.isspace() and a != "-"))
            or (not wide[k] and ch.isalnum() and wide[k - 1] and not a.isalnum())
        ):
            widths.append(cur)
            chars.append(count)
            cur, count = 0.0, 0
        em = 1.0 if wide[k] else WIDE_LATIN_EM
        for m in (k - 1, k + 1):  # auto-space on the Latin side where Chinese meets Latin/digits
            if not wide[k] and ch.isalnum() and 0 <= m < n and wide[m] and not text[m].isspace():
                em += AUTOSPACE_EM
        cur += unit * em
        count += 1
    widths.append(cur)
    chars.append(count)
    return LayoutCell(tuple(widths), tuple(chars), is_figure(text))


def substitute_proof(table: Table, widths: list[int], font_pt: float, pads: list[list[float]]) -> list[int]:
    """``widths`` (the PDF's, in twips) with width moved between columns so that cells wrap no
    more under LibreOffice's substitute fonts than needed, while no sampled row gets taller in
    character units (what Word with 仿宋 and the PDF show) than at the PDF's widths (see ``ok``)."""
    ncols = len(widths)
    if ncols < 2:
        return widths
    unit = font_pt * 20
    hr = min(max(table.header_rows, 0), len(table.rows))
    body = table.rows[hr:]
    step = max(1, len(body) // 120)
    rows = table.rows[:hr] + body[::step]
    pad = 2 * CELL_MARGIN

    def cells(measure: Callable[[str, float], LayoutCell]) -> list[list[LayoutCell]]:
        out = []
        for ri, row in enumerate(rows):
            parts = []
            for c in range(ncols):
                cell = measure(row[c].text if c < len(row) else "", unit)
                extra = pads[c][(ri - hr) * step] if ri >= hr and pads[c] else 0.0
                if extra and cell.figure:
                    cell = LayoutCell((*cell.widths[:-1], cell.widths[-1] + extra), cell.chars, True)
                parts.append(cell)
            out.append(parts)
        return out

    narrow, wide = cells(_measure_units), cells(_measure_wide)
    memo: dict[tuple[bool, int, int], tuple[list[int], list[int]]] = {}

    def filled(is_wide: bool, j: int, w: int) -> tuple[list[int], list[int]]:
        """Per sampled row: the cell's line count and the characters on its last line."""
        got = memo.get((is_wide, j, w))
        if got is None:
            grid = wide if is_wide else narrow
            pairs = [fill(row[j], w - pad) for row in grid]
            got = memo[(is_wide, j, w)] = ([p[0] for p in pairs], [p[1] for p in pairs])
        return got

    def lines(is_wide: bool, j: int, w: int) -> list[int]:
        return filled(is_wide, j, w)[0]

    limit = [lines(False, j, widths[j]) for j in range(ncols)]
    row_limit = [max(col[i] for col in limit) for i in range(len(rows))]

    def ok(j: int, w: int) -> bool:
        """Narrowing column ``j`` to ``w`` adds no row height in character units (a cell may take
        lines its row has anyway), wraps no figure and leaves no 1–2 character last line."""
        if w - pad <= 0:
            return False
        got, lasts = filled(False, j, w)
        for i, (a, b) in enumerate(zip(got, limit[j], strict=True)):
            if a > b and (a > row_limit[i] or narrow[i][j].figure or lasts[i] <= SHORT_LAST):
                return False
        return True

    def cost(ws: list[int]) -> int:
        return sum(map(max, zip(*(lines(True, j, ws[j]) for j in range(ncols)), strict=True)))

    def others(ws: list[int]) -> Callable[[int, int], list[int]]:
        """Per row, the tallest LibreOffice cell outside columns ``r`` and ``d`` (from each row's
        three tallest cells), so a trial that moves width between two columns costs O(rows)."""
        cols = [lines(True, j, ws[j]) for j in range(ncols)]
        top3 = [sorted(((cols[j][i], j) for j in range(ncols)), reverse=True)[:3] for i in range(len(rows))]

        def rest(r: int, d: int) -> list[int]:
            return [next((h for h, j in t if j != r and j != d), 0) for t in top3]

        return rest

    out = list(widths)
    best = cost(out)
    move = round(unit / 4)
    for _round in range(60):
        found: tuple[int, list[int]] | None = None
        rest_of = others(out)
        for r in range(ncols):
            for d in range(ncols):
                if d == r:
                    continue
                rest = rest_of(r, d)
                for k in (1, 2, 4, 8):
                    trial = list(out)
                    trial[r] += k * move
                    trial[d] -= k * move
                    if not ok(d, trial[d]):
                        break
                    lr, ld = lines(True, r, trial[r]), lines(True, d, trial[d])
                    c = sum(max(a, b, e) for a, b, e in zip(rest, lr, ld, strict=True))
                    if c < best and (found is None or c < found[0]):
                        found = (c, trial)
        if found is None:
            break
        best, out = found
    return out


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
    return (
        f'<w:rPr><w:rFonts w:ascii="{n}" w:hAnsi="{n}" w:eastAsia="{n}" w:cs="{n}" '
        f'w:hint="eastAsia"/></w:rPr>'
    )


Laid = tuple[float, list[float], float]  # the PDF's (available width, column widths, cell padding above/below)


def pdf_widths(laid: Sequence[Laid], ncols: int, total: int) -> tuple[list[int], int] | None:
    """The column widths (twips, summing to ``total``) the PDF laid this table out with at the
    same available width and the least cell padding above/below it used (twips), or ``None``
    when the PDF did not lay it out at that width."""
    found: tuple[list[int], int] | None = None
    for aw, ws, pad_y in laid:
        if len(ws) == ncols and abs(aw * 20 - total) <= 40 and sum(ws) > 0:
            out = [round(w * total / sum(ws)) for w in ws]
            out[-1] += total - sum(out)
            pad = min(CELL_MARGIN_Y, round(pad_y * 20))
            if found is None or pad < found[1]:
                found = (out, pad)
    return found


def table_xml(
    table: Table,
    fonts: Fonts,
    width: int,
    warn: Callable[[str], None] | None = None,
    laid: Sequence[Laid] = (),
) -> Element | None:
    """The ``w:tbl`` element for ``table`` scaled to ``width`` twips; ``None`` for an empty table.
    ``laid``: how the PDF laid it out in this build, if it did (see ``pdf_widths``)."""
    table = prune_table(table)
    ncols = table.columns
    if not table.rows or ncols == 0:
        if warn:
            warn(_("docx: skipped a table without rows"))
        return None
    size = fonts.theme.table_type(table.reference)[0]
    unit = size * 20
    pads = figure_pad_twips(table, unit)
    from_pdf = pdf_widths(laid, ncols, width)
    pad_y = CELL_MARGIN_Y
    if from_pdf is None:
        widths = fitted_widths(table, width, size, pads)
    else:
        widths, pad_y = from_pdf
        widths = substitute_proof(table, widths, size, pads)
    header_rows = max(0, min(table.header_rows, len(table.rows)))
    three_line = table.style == "three-line"
    strong_rpr = _rfonts_xml(fonts.name(fonts.theme.fonts.strong))

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
        f'<w:tblCellMar><w:top w:w="{pad_y}" w:type="dxa"/><w:left w:w="{CELL_MARGIN}" w:type="dxa"/>'
        f'<w:bottom w:w="{pad_y}" w:type="dxa"/><w:right w:w="{CELL_MARGIN}" w:type="dxa"/>'
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
            text = _pretty(clean_text(cell.text, warn), widths[c] - SLACK_TWIPS, unit)
            jc = _JC.get(cell.align, "left")
            if is_header and cell.align == "left":
                jc = "center"
            elif not is_header and cell.align == "left" and _NUMERIC.match(text.strip()):
                jc = "right"
            ref = _note_ref(cell, warn)
            if ref:
                text = text.removesuffix(cell.mark)
            body = f"<w:r>{strong_rpr if cell.strong else ''}{_text_xml(text)}</w:r>" if text else ""
            body += ref
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
