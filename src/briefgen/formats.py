"""Output formats: the one registry of what briefgen writes (name → writer module, and what it needs).

Everything that lists formats reads this table: the spec's ``formats`` field and its JSON schema,
the CLI's ``-f`` check, the manifest, and :func:`briefgen.writers.get_writer`. Adding a format is
one writer package under ``briefgen/writers/`` plus one line here.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class OutputFormat:
    """One output format: its name (also the file extension) and the module that writes it."""

    name: str
    writer: str  # module exposing ``render(doc, ctx) -> bytes``; imported only when used
    embeds_fonts: bool  # draws every glyph itself from PDF fonts (the reader's fonts do not help)
    default: bool  # written when a spec names no ``formats``
    description: str


FORMATS: dict[str, OutputFormat] = {
    f.name: f
    for f in (
        OutputFormat("docx", "briefgen.writers.docx.writer", False, True, "Word document (editable)"),
        OutputFormat("pdf", "briefgen.writers.pdf.writer", True, True, "PDF for printing (fonts embedded)"),
        OutputFormat("html", "briefgen.writers.html.writer", False, False, "HTML page (self-contained, accessible)"),
    )
}
FORMAT_NAMES: tuple[str, ...] = tuple(FORMATS)
DEFAULT_FORMATS: tuple[str, ...] = tuple(f.name for f in FORMATS.values() if f.default)
