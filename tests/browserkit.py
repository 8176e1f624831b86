"""Helpers for tests in a real browser: Debian's chromium driven by Playwright, and the text a page should show."""

from __future__ import annotations

import os
import re
import shutil
import unicodedata
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from briefgen import tree

REPO = Path(__file__).resolve().parents[1]
ARTEFACTS = REPO / "test-artefacts"  # screenshots (ignored by git)
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]


def chromium_path() -> str | None:
    """The system chromium (BRIEFGEN_CHROMIUM, else one on PATH: a machine whose PATH has none counts
    as having no browser, which is how CI's pip-only pass hides it)."""
    for cand in (os.environ.get("BRIEFGEN_CHROMIUM"), shutil.which("chromium"), shutil.which("chromium-browser")):
        if cand and Path(cand).is_file() and os.access(cand, os.X_OK):
            return cand
    return None


@contextmanager
def browser() -> Iterator[Any]:
    """A headless chromium (Playwright with ``executable_path``), or skip with the reason."""
    exe = chromium_path()
    if exe is None:
        pytest.skip("no chromium installed (apt-get install chromium chromium-driver)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright (no browser download)")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=exe, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def artefact(name: str) -> Path:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS / name


def squash(text: str) -> str:
    # NFKC: a PDF printed with Noto Sans CJK may map 目 to the Kangxi radical ⽬ (U+2F6C) in its text layer
    text = re.sub(r"[\u2e80-\u2fdf]", lambda m: unicodedata.normalize("NFKC", m.group()), text)
    return re.sub(r"\s+", "", text)


def page_lines(doc: tree.Document) -> list[str]:
    """What a reader sees: ``tree.document_text`` plus the TOC entries and the footnote labels printed
    again before their notes, less the numbers of charts drawn without value labels, the name of a chart's
    only series (no legend) and the headers of
    table columns that are empty in every body row (neither the PDF nor the HTML prints those)."""
    from briefgen.typeset.table_layout import prune_table

    out = list(tree.document_text(doc))
    for b in tree.walk(doc.blocks):
        inlines = [b.inlines] if isinstance(b, tree.Paragraph | tree.Heading) else (
            b.items if isinstance(b, tree.ListBlock) else [])
        out += [s.text for i in inlines for s in i if s.note]
        if isinstance(b, tree.Table):  # a key figure's note mark (①) is printed again before its note
            out += [c.mark for r in b.rows for c in r if c.note and c.mark]
        if isinstance(b, tree.Table) and prune_table(b).columns < b.columns:
            kept = {id(c) for r in prune_table(b).rows for c in r}
            for c in (c for r in b.rows[: b.header_rows] for c in r if id(c) not in kept and c.text):
                out.remove(c.text)
        if isinstance(b, tree.Chart) and len(b.series) == 1 and b.series[0].name:
            out.remove(b.series[0].name)  # one series has no legend (its name is in the chart's table)
        if isinstance(b, tree.Chart) and not b.value_labels:
            for v in (v for s in b.series for v in s.values if v is not None):
                out.remove(b.number(v))
        if isinstance(b, tree.TocPlaceholder):
            out += [h.label + h.text for h in doc.headings() if h.level <= max(1, min(b.max_level, 4))]
    return out


def text_problems(visible: str, doc: tree.Document) -> list[str]:
    """Differences between a page's visible text and the tree: the same characters (whitespace aside,
    as a multiset) and every text line of the tree appearing whole."""
    got = squash(visible)
    want = "".join(squash(s) for s in page_lines(doc))
    problems: list[str] = []
    extra, missing = Counter(got) - Counter(want), Counter(want) - Counter(got)
    if extra or missing:
        problems.append(f"characters differ: extra {dict(extra)}, missing {dict(missing)}")
    problems += [f"not shown whole: {s!r}" for s in page_lines(doc) if squash(s) not in got]
    return problems
