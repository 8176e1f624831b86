"""Build one brief through the whole pipeline and read its PDF back once (pages, lines, rules)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from typo_measure import PLine, all_lines

from briefgen.compose.punctuation import normalise
from briefgen.model.theme import Theme
from briefgen.pipeline.prepare import prepare
from briefgen.pipeline.render import build

REPO = Path(__file__).resolve().parents[2]
BRIEFS = sorted((REPO / "briefs").glob("*.yaml"))
THEMES = ("gongwen", "jianbao", "handout", "report")


@dataclass
class Built:
    """One built brief: its outputs, theme and the PDF read back (pages, lines, rules)."""

    name: str
    pdf: Path
    docx: Path
    theme: Theme
    corpus: str = ""  # the source text (normalised), for telling space breaks from splits
    pages: list[list[PLine]] = field(default_factory=list)
    sizes: list[tuple[float, float]] = field(default_factory=list)
    rules: list[list[dict[str, Any]]] = field(default_factory=list)  # page.lines + thin rects
    chars: list[list[dict[str, Any]]] = field(default_factory=list)

    def read(self) -> Built:
        with pdfplumber.open(self.pdf) as pdf:
            self.pages = all_lines(pdf)
            for p in pdf.pages:
                self.sizes.append((float(p.width), float(p.height)))
                self.rules.append([dict(x) for x in p.lines])
                self.chars.append([dict(c) for c in p.chars])
        return self


def build_one(spec: Path, out: Path, name: str, corpus: str = "") -> Built:
    res = build(spec, out, ["docx", "pdf"])
    theme = prepare(spec).theme
    return Built(name, res.outputs["pdf"], res.outputs["docx"], theme, corpus).read()


def corpus_of(folder: Path) -> str:
    """The stress briefs and packs in ``folder`` as one normalised text."""
    raw = "\n".join(p.read_text(encoding="utf-8") for p in sorted(folder.glob("stress-*.yaml")))
    return normalise(raw)[0]
