"""Turn ``{fig:ID|FORMAT}`` and ``{period}`` placeholders in a brief's free text into figure text.

Free text is never a template: ``{{ 7*7 }}`` stays literal. Only these two exact forms are
replaced (ASCII braces are not used in Chinese prose):

* ``{fig:ID}``, ``{fig:ID|FORMAT}``, ``{fig:ID@PERIOD|FORMAT}`` — a key figure (formats as in
  templates' ``fig()``; ``@2026-09`` or ``@-1`` picks another period of period data);
* ``{period}`` — the brief's period in words (2026年10月).

A backslash before the brace (``\\{fig:x}``) prints the placeholder literally.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from briefgen.inputs.filecache import FileCache

PLACEHOLDER = re.compile(r"(\\?)\{(?:fig:([^{}|\s]*)(?:\|([^{}\s]*))?|(period))\}")
_MD_SPECIAL = re.compile(r"([\\`*_\[\]{}()#+\-.!<>|~])")


@dataclass
class Use:
    """One placeholder found in a text: what it asks for and where it stands (0-based offset)."""

    ref: str  # figure reference, or "" for {period}
    fmt: str
    start: int
    end: int
    raw: str


def find(text: str) -> list[Use]:
    """The (unescaped) placeholders in ``text`` in order."""
    out = []
    for m in PLACEHOLDER.finditer(text):
        if m.group(1):
            continue
        if m.group(4):
            out.append(Use("", "", m.start(), m.end(), m.group(0)))
        else:
            out.append(Use(m.group(2), m.group(3) or "value", m.start(), m.end(), m.group(0)))
    return out


def substitute(text: str, resolve: Callable[[Use], str], markdown: bool) -> str:
    """Replace every placeholder by ``resolve(use)``. In Markdown the inserted text is escaped (a
    figure can never become markup) and ``\\{`` is left for Markdown to unescape; in plain text
    fields the backslash of an escaped placeholder is dropped."""

    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            return m.group(0) if markdown else m.group(0)[1:]
        use = (Use("", "", m.start(), m.end(), m.group(0)) if m.group(4)
               else Use(m.group(2), m.group(3) or "value", m.start(), m.end(), m.group(0)))
        value = resolve(use)
        return _MD_SPECIAL.sub(r"\\\1", value) if markdown else value

    return PLACEHOLDER.sub(repl, text)


def neutralise(text: str) -> str:
    """``text`` with each placeholder replaced by one neutral mark (for prose number checks)."""
    return PLACEHOLDER.sub("□", text)


_LINES: FileCache[list[str]] = FileCache(limit=64)


def _read_lines(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError):
        return []


def file_lines(path: str) -> list[str]:
    """The lines of a (small, already validated) input file, cached per file version; [] if unreadable."""
    try:
        return _LINES.get(path, _read_lines)
    except OSError:
        return []


def locate(path: str, start_line: int | None, needle: str, nth: int = 0) -> tuple[int | None, int | None]:
    """Line and column (1-based) of the ``nth`` occurrence of ``needle`` in ``path`` at or after
    ``start_line`` — how a problem inside a multi-line YAML text is pinned to its own line."""
    if start_line is None or not needle:
        return start_line, None
    lines = file_lines(path)
    seen = 0
    for i in range(max(start_line - 1, 0), len(lines)):
        col = lines[i].find(needle)
        while col >= 0:
            if seen == nth:
                return i + 1, col + 1
            seen += 1
            col = lines[i].find(needle, col + 1)
    return start_line, None
