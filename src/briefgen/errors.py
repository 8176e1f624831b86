"""User-facing errors: one located line each (``file:line:col: field.path: problem (hint)``) and exit codes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Self

EXIT_OK = 0
EXIT_INTERNAL = 70
EXIT_USAGE = 2
EXIT_INPUT = 3
EXIT_IO = 4
EXIT_LIMIT = 5

PathPart = str | int


def format_path(path: Sequence[PathPart]) -> str:
    """``("blocks", 2, "ids")`` → ``blocks[2].ids``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + part
    return out


@dataclass
class Problem:
    """One located problem in one input file."""

    message: str
    file: str = ""
    line: int | None = None
    col: int | None = None
    path: str = ""
    hint: str = ""
    severity: str = "error"
    # the exit code of the error this problem was raised with: kept when problems are collected
    # into one BriefError, so a limit (5) or I/O problem (4) among input errors still decides it
    exit_code: int | None = field(default=None, compare=False, repr=False)

    def __str__(self) -> str:
        loc = self.file or "<input>"
        if self.line is not None:
            loc += f":{self.line}"
            if self.col is not None:
                loc += f":{self.col}"
        text = f"{loc}: "
        if self.severity != "error":
            text += f"{self.severity}: "
        if self.path:
            text += f"{self.path}: "
        text += self.message
        if self.hint:
            text += f" ({self.hint})"
        return " ".join(text.split("\n"))


class BriefError(Exception):
    """A user error (bad input, missing file, limit): reported as located lines, no traceback."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: Problem | Iterable[Problem], exit_code: int | None = None):
        self.problems = [problems] if isinstance(problems, Problem) else list(problems)
        if exit_code is not None:
            self.exit_code = exit_code
        else:
            worst = max((p.exit_code for p in self.problems if p.exit_code), default=0)
            if worst > self.exit_code:
                self.exit_code = worst
        for p in self.problems:
            if p.exit_code is None:
                p.exit_code = self.exit_code
        super().__init__(self.problems[0].message if self.problems else "")

    def __str__(self) -> str:
        return "\n".join(str(p) for p in self.problems)

    @classmethod
    def at(
        cls,
        message: str,
        file: str = "",
        line: int | None = None,
        col: int | None = None,
        path: str = "",
        hint: str = "",
        exit_code: int | None = None,
    ) -> Self:
        return cls(Problem(message, file, line, col, path, hint), exit_code)


class InputIOError(BriefError):
    """A file could not be read or written."""

    exit_code = EXIT_IO


class LimitError(BriefError):
    """A configured resource limit was exceeded."""

    exit_code = EXIT_LIMIT


def suggest(word: str, choices: Iterable[str], n: int = 3) -> str:
    """A ``did you mean …?`` hint, or an empty string."""
    pool = sorted(set(choices))
    close = difflib.get_close_matches(word, pool, n=n, cutoff=0.6)
    if not close:
        low = word.lower()
        close = [c for c in pool if low and (low in c.lower() or c.lower() in low)][:n]
    if not close:
        return ""
    return "did you mean " + " or ".join(close) + "?"


def available(choices: Iterable[str], limit: int = 12) -> str:
    """``available: a, b, c …`` for hints."""
    pool = sorted(set(choices))
    shown = ", ".join(pool[:limit])
    if len(pool) > limit:
        shown += f", … ({len(pool)} in all)"
    return f"available: {shown}" if pool else ""
