"""Collect cyclic garbage less often while a brief loads and renders.

Loading a big source pack and laying out hundreds of pages allocate millions of long-lived
objects (YAML marks, figures, flowables, PDF objects); with Python's default generation-0
threshold of 700 the collector walks them again and again: about a quarter of the time of a
10,000-row table. Raising the threshold for the duration of a build leaves memory use the same
(those objects are alive anyway) and restores the caller's setting afterwards.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

GEN0_THRESHOLD = 50_000


@contextmanager
def relaxed_gc() -> Iterator[None]:
    """Context manager and decorator: generation-0 threshold ``GEN0_THRESHOLD`` inside."""
    old = gc.get_threshold()
    if old[0] >= GEN0_THRESHOLD:  # nested, or the caller already chose a higher one
        yield
        return
    gc.set_threshold(GEN0_THRESHOLD, *old[1:])
    try:
        yield
    finally:
        gc.set_threshold(*old)
