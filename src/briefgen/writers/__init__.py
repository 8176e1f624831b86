"""Map output format names to writer modules, imported lazily so unused backends cost nothing.

A writer module exposes ``render(doc: Document, ctx: RenderContext) -> bytes``; it must handle
every node type in ``briefgen.tree.BLOCK_TYPES``. Adding HTML output means adding one module here.
"""

from __future__ import annotations

import importlib
from types import ModuleType

WRITERS: dict[str, str] = {
    "docx": "briefgen.writers.docx.writer",
    "pdf": "briefgen.writers.pdf.writer",
}


def get_writer(fmt: str) -> ModuleType:
    """The writer module for ``fmt`` (``docx`` or ``pdf``)."""
    return importlib.import_module(WRITERS[fmt])
