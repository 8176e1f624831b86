"""Findings alike in all but their subject print as one line; the same figure in several places does not."""

from __future__ import annotations

from briefgen.cli import group_alike
from briefgen.errors import Problem


def stale(ref: str, line: int) -> Problem:
    return Problem(f"stale figure {ref!r}: no data for 2026年11月, the latest value is for 2026年10月",
                   "b.yaml", line, 3, "blocks[1].text", "update the data", "warning",
                   code="W-STALE-FIGURE", subject=ref)


def test_many_subjects_grouped_at_the_first_place() -> None:
    found = [stale(r, n) for n, r in enumerate(["a", "b", "a", "c", "d"], 10)]
    other = Problem("unit mismatch", "b.yaml", 5, 1, severity="warning")
    out = group_alike([*found, other])
    assert len(out) == 2
    line = str(out[0])
    assert line.startswith("b.yaml:10:3: warning: 5 alike (4 different): stale figure '…': no data for 2026年11月")
    assert line.endswith("— a, b, c, d (update the data) [W-STALE-FIGURE]")
    assert out[1] is other


def test_one_figure_in_many_places_keeps_each_place() -> None:
    found = [stale("a", n) for n in (1, 2, 3, 4)]
    assert group_alike(found) == found
