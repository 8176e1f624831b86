"""Turn a composed table (and its form with rows and columns swapped) into how it is set: upright or turned, in the table size or the smaller reference size.

A typesetter sets a dense look-up table (six columns of figures, periods and scopes, 58 rows)
a size smaller rather than let the label column wrap to four lines and lists break as
``苏州、|上海``; turns a table only when upright it cannot be set well; and sets 17 regions over
2 years as 17 rows, not 17 columns. The choice is measured, not guessed: every candidate's
columns are laid out by the shared engine (``typeset.table_widths``) in character units (a
Chinese character one em, other characters ``LATIN_EM``), as the DOCX writer measures them, and
``table_setup`` takes the one with the fewest faults (a wrapped figure, a short last line, a lone
character), then the least height weighted against the smaller size, turned pages and a swapped
form. Tables whose rows stay on about one line upright in the table size are left as they are.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

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


#: How much more a set-up costs than upright in the table size, as a factor on its height:
#: the reference size (read less easily), turned pages, the author's rows and columns swapped.
SMALL_BIAS, TURNED_BIAS, SWAPPED_BIAS = 1 / (1 - SAVING), 1.5, 1.1
#: A turned table is a look-up table already: the reference size costs it little.
TURNED_SMALL_BIAS = 1.1


@dataclass(frozen=True)
class Choice:
    """How a table is set: which of its forms (0: as composed; 1: rows and columns swapped),
    turned onto landscape pages, in the reference size."""

    form: int = 0
    landscape: bool = False
    reference: bool = False


def table_setup(forms: Sequence[Table], theme: Theme, landscape: bool | None = None, reference: bool | None = None,
            form: int | None = None) -> Choice:
    """The set-up for a table given in ``forms`` (as composed, and optionally swapped): upright
    or turned, table or reference size — each measured by the shared width engine, the one with
    the fewest faults (short last lines, split figures, lone characters) and then the least
    height (weighted by ``*_BIAS``) taken; ``None`` arguments are chosen, others are the
    author's. Upright set-ups are measured first, and one without faults is never turned; the
    measuring stops at the first set-up without faults and with rows of about a line (``CROWDED``)."""
    pruned = [prune_table(t) for t in forms]
    widest = [_widest_ems(t) for t in pruned]
    small_ok = theme.table_type(True)[0] < theme.table_type(False)[0]
    best: tuple[tuple[int, float], Choice] | None = None
    for turned in [landscape] if landscape is not None else [False, True]:
        if best is not None and best[0][0] == 0:
            return best[1]  # upright without faults: never turned
        for f in [form] if form is not None else range(len(forms)):
            for ref in [reference] if reference is not None else ([False, True] if small_ok else [False]):
                size, pitch = theme.table_type(ref)
                width = theme.type_area_height if turned else theme.type_area_width
                choice = Choice(f, turned, ref)
                if sum(size * w + PADS[0] for w in widest[f]) <= width:  # every cell on one line
                    lines, faults, rows = len(pruned[f].rows), 0, len(pruned[f].rows)
                else:
                    lines, faults, rows = _measure(pruned[f], size, width)
                small = (TURNED_SMALL_BIAS if turned else SMALL_BIAS) if ref else 1.0
                bias = small * (TURNED_BIAS if turned else 1.0) * (SWAPPED_BIAS if f else 1.0)
                # turned pages of their own cost the page they break as well
                key = (faults, lines * pitch * bias + (theme.type_area_height if turned else 0.0))
                if best is None or key < best[0]:
                    best = (key, choice)
                if faults == 0 and lines <= CROWDED * max(rows, 1):
                    return best[1]
    return best[1] if best is not None else Choice()


def _measure(table: Table, size: float, width: float) -> tuple[int, int, int]:
    """(lines of the sampled rows, faults, rows sampled) of ``table`` set at ``size`` points."""
    texts = tuple(tuple(c.text for c in r) for r in table.rows)
    return _measured(texts, table.header_rows, tuple(table.widths), size, width)


@lru_cache(maxsize=512)  # by content: a preview or batch sets the same tables again
def _measured(
    texts: tuple[tuple[str, ...], ...], header_rows: int, weights: tuple[float, ...], size: float, width: float
) -> tuple[int, int, int]:
    n = max((len(r) for r in texts), default=0)
    hr = min(max(header_rows, 0), len(texts))
    body = texts[hr:]
    step = max(1, -(-len(body) // SAMPLE))
    rows = texts[:hr] + body[::step]
    cells = [[_cell(row[c] if c < len(row) else "", size) for c in range(n)] for row in rows]
    if n < 2 or not cells:
        return len(cells), 0, len(cells)
    widths, pad = fit_columns(cells, n, width, PADS[:1], size, weights=weights[:n],  # whole ems: a decision
                              floor=2 * size + PADS[0], header_rows=hr)  # fmt: skip
    height, faults = layout_score(cells, n, pad, widths)
    return height, faults, len(cells)


def _widest_ems(table: Table) -> list[float]:
    """Per column, its widest cell unwrapped, in ems."""
    return [max((_ems(r[c].text) for r in table.rows if c < len(r)), default=0.0) for c in range(table.columns)]


def _em(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "WF" else LATIN_EM


def _ems(text: str) -> float:
    return sum(_em(c) for c in text)


def _cell(text: str, size: float) -> Cell:
    return cell_of(text, [size * _em(c) for c in text])
