"""Turn a composed table into its type size: the theme's table size, or its smaller reference size where the table is crowded at the first and not at the second.

A typesetter sets a dense look-up table (six columns of figures, periods and scopes, 58 rows)
a size smaller rather than let the label column wrap to four lines and lists break as
``苏州、|上海``. The choice is measured, not guessed: the table's columns are laid out by the
shared engine (``typeset.table_widths``) at both sizes in character units (a Chinese character
one em, other characters ``LATIN_EM``), as the DOCX writer measures them, and the smaller size
is taken when it removes faults (a wrapped figure, a cell ending in a short line) or when the
rows at the table size run long (``CROWDED`` lines each on average) and the smaller size saves
``SAVING`` of the table's height. Tables whose rows stay on about one line keep the table size.
"""

from __future__ import annotations

import unicodedata

from briefgen.model.theme import Theme
from briefgen.tree import Table
from briefgen.typeset.table_content import prune_table
from briefgen.typeset.table_layout import Cell, cell_of
from briefgen.typeset.table_widths import fit_columns, layout_score

#: Latin letters and digits, in ems (仿宋 and the usual fallbacks set them about half an em).
LATIN_EM = 0.55
#: A cell's left plus right padding, in points (the PDF writer's).
PADS = (8.0,)
#: Rows averaging more lines than this at the table size make a table crowded.
CROWDED = 1.6
#: The smaller size is taken for a crowded table when it cuts the table's height by this share.
SAVING = 0.25
#: Rows measured: the header and an even spread of the body (enough to tell crowded from not).
SAMPLE = 40


def compact(table: Table, theme: Theme) -> bool:
    """Whether ``table`` is set in the theme's reference size (``Table.reference``) rather than
    its table size: the smaller size leaves fewer faults, or the table is crowded and the smaller
    size saves ``SAVING`` of its height."""
    big, big_pitch = theme.table_type(False)
    small, small_pitch = theme.table_type(True)
    if small >= big:
        return False
    pruned = prune_table(table)
    # a turned table runs along the type area's height (GB/T 9704 §8)
    width = theme.type_area_height if table.landscape else theme.type_area_width
    if _one_line(pruned, big, width):
        return False  # every cell fits on one line at the table size: nothing to gain
    lines, faults, rows = _measure(pruned, big, width)
    crowded = lines > CROWDED * rows
    if rows == 0 or not (faults or crowded):
        return False
    lines_s, faults_s, _ = _measure(pruned, small, width)
    if faults_s < faults:
        return True
    return crowded and lines_s * small_pitch <= (1 - SAVING) * lines * big_pitch


def upright(table: Table, theme: Theme) -> bool:
    """Whether ``table``, too wide for the portrait type area at the table size, fits it in the
    reference size without faults — set upright and smaller rather than turned."""
    small = theme.table_type(True)[0]
    if small >= theme.table_type(False)[0]:
        return False
    pruned = prune_table(table)
    lines, faults, rows = _measure(pruned, small, theme.type_area_width)
    return rows > 0 and faults == 0


def _measure(table: Table, size: float, width: float) -> tuple[int, int, int]:
    """(lines of the sampled rows, faults, rows sampled) of ``table`` set at ``size`` points."""
    n = table.columns
    hr = min(max(table.header_rows, 0), len(table.rows))
    body = table.rows[hr:]
    step = max(1, -(-len(body) // SAMPLE))
    rows = table.rows[:hr] + body[::step]
    cells = [[_cell(row[c].text if c < len(row) else "", size) for c in range(n)] for row in rows]
    if n < 2 or not cells:
        return len(cells), 0, len(cells)
    widths, pad = fit_columns(cells, n, width, PADS[:1], size, weights=table.widths[:n],  # whole ems: a decision
                              floor=2 * size + PADS[0], header_rows=hr)  # fmt: skip
    height, faults = layout_score(cells, n, pad, widths)
    return height, faults, len(cells)


def _one_line(table: Table, size: float, width: float) -> bool:
    """Whether the widest cell of every column, unwrapped, fits ``width`` together."""
    n = table.columns
    widest = [max((_cell(r[c].text, size).total for r in table.rows if c < len(r)), default=0.0) for c in range(n)]
    return sum(w + PADS[0] for w in widest) <= width


def _cell(text: str, size: float) -> Cell:
    return cell_of(text, [size * (1.0 if unicodedata.east_asian_width(c) in "WF" else LATIN_EM) for c in text])
