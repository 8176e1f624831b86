"""Turn YAML's folded line breaks between two Chinese characters, or beside full-width punctuation, back into nothing.

YAML folds a line break inside a ``>`` block scalar or a multi-line plain scalar into a space:
right between Latin words, wrong between Chinese characters ("主线，\\n推动" → "主线， 推动").
:func:`join_cjk_folds` removes exactly the spaces that came from folding a break between two
CJK characters (Han, kana, hangul, CJK and full-width punctuation, Chinese quotation marks),
or beside full-width punctuation (``。 1—11月``),
found by matching the scalar's own source lines in the value; spaces the author typed stay.
Both YAML loaders (libyaml and PyYAML's Python scanner) hand over the same node marks, so the
result does not depend on which one parsed the file.
"""

from __future__ import annotations

import re
from typing import Any

CJK = re.compile(
    "[\u2e80-\u2fdf\u3000-\u303f\u3040-\u30ff\u3100-\u312f\u3190-\u31ff\u3400-\u4dbf\u4e00-\u9fff"
    "\uac00-\ud7af\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef\u2014\u2018-\u201d\u2026"
    "\U00020000-\U0003134f]"
)


#: Full-width punctuation (、。《》（），：；！？…): it carries its own white, so no folded space
#: goes beside it (``47%。 1—11月``). Quotation marks and dashes are shared with Latin text: not here.
WIDE_PUNCT = re.compile("[\u3001-\u303f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


def _joins(before: str, after: str) -> bool:
    """Whether a folded break between these characters was no space in the text: two CJK
    characters, or full-width punctuation and anything."""
    both = CJK.match(before) is not None and CJK.match(after) is not None
    return both or WIDE_PUNCT.match(before) is not None or WIDE_PUNCT.match(after) is not None


def _source_lines(node: Any, lines: list[str]) -> list[str | None]:
    """The scalar's content lines, stripped of indentation (None for a blank line)."""
    sl, sc = node.start_mark.line, node.start_mark.column
    el, ec = node.end_mark.line, node.end_mark.column
    if el >= len(lines):
        el, ec = len(lines) - 1, len(lines[-1]) if lines else 0
    out: list[str | None] = []
    for n in range(sl, el + 1):
        text = lines[n].rstrip("\r")
        if n == el:
            text = text[:ec]
        if n == sl:
            if node.style == ">":
                continue  # the header line: ``key: >-``
            text = text[sc:]
        text = text.strip(" \t")
        out.append(text or None)
    while out and out[-1] is None:
        out.pop()
    return out


def join_cjk_folds(value: str, node: Any, lines: list[str]) -> str:
    """``value`` without the spaces folding put between two CJK characters; unchanged whenever its
    source lines cannot be found in it in order (escapes, more-indented lines, comments)."""
    if not lines:
        return value
    src = _source_lines(node, lines)
    spans: list[tuple[int, int, int]] = []  # (index in src, start, end) in value
    pos = 0
    for i, text in enumerate(src):
        if text is None:
            continue
        at = value.find(text, pos)
        if at < 0:
            return value
        spans.append((i, at, at + len(text)))
        pos = at + len(text)
    drop: list[int] = []
    for (i, _s, end), (j, start, _e) in zip(spans, spans[1:], strict=False):
        if j == i + 1 and start == end + 1 and value[end] == " " and _joins(value[end - 1], value[start]):
            drop.append(end)
    if not drop:
        return value
    parts: list[str] = []
    last = 0
    for d in drop:
        parts.append(value[last:d])
        last = d + 1
    parts.append(value[last:])
    return "".join(parts)
