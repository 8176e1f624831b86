"""Writers: a document tree into bytes, one package per output format (see :mod:`briefgen.formats`).

A writer module exposes ``render(doc: Document, ctx: RenderContext) -> bytes`` returning the
finished file, and must handle every node type in ``briefgen.tree.BLOCK_TYPES``. Modules are
imported lazily, so a build never loads the backends of formats it does not write.
"""

from __future__ import annotations

import importlib
from types import ModuleType

from briefgen.formats import FORMATS


def get_writer(fmt: str) -> ModuleType:
    """The writer module for ``fmt`` (a key of :data:`briefgen.formats.FORMATS`)."""
    return importlib.import_module(FORMATS[fmt].writer)
