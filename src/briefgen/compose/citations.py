"""Turn rows citing (source document, place in it) into the cells and the note under a table that name each document once."""

from __future__ import annotations

from collections.abc import Sequence

UNKNOWN = "（出处不详）"
NOTE_HEAD = "资料来源："


def mark(n: int) -> str:
    """The reference to the n-th source in a 出处 cell: 〔1〕 (distinct from footnote marks ①/[1])."""
    return f"〔{n}〕"


def cite(refs: Sequence[tuple[str, str]]) -> tuple[list[str], str]:
    """The 出处 cells and the note under the table for rows citing ``(origin, place)``.

    A source document (with its data file) is named once, in the note, not in every row: the
    cells keep only the place in it (``industry，第174行``); with several sources each cell
    starts with its source's number (``〔2〕第5行``) and the note lists them. A row without a
    known origin reads ``（出处不详）``; one without a finer place, its source alone."""
    origins = list(dict.fromkeys(o for o, _ in refs if o))
    several = len(origins) > 1
    cells = []
    for origin, place in refs:
        if not origin:
            cells.append(place or UNKNOWN)
        elif several:
            cells.append(mark(origins.index(origin) + 1) + place)
        else:
            cells.append(place or "—")
    if not origins:
        return cells, ""
    if not several:
        return cells, f"{NOTE_HEAD}{origins[0]}。"
    items = [f"{mark(i)}{o}" for i, o in enumerate(origins, 1)]
    return cells, NOTE_HEAD + "；\n".join(items) + "。"
