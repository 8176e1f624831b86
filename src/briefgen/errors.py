"""User-facing errors: one located line each (``file:line:col: field.path: problem (hint) [CODE]``) and exit codes.

Every problem carries a stable English machine code (``E-YAML-FULLWIDTH-COLON``, ``W-STALE-FIGURE``)
printed at the end of its line in every language, so scripts can match log lines; a problem made
without one gets ``E-INPUT`` / ``W-INPUT`` by its severity.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Self

from briefgen.i18n import _

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
    # stable English machine code, the same in every language (see the module documentation)
    code: str = field(default="", compare=False)
    # what the problem is about (a figure id), for grouping findings alike in all else; not printed
    subject: str = field(default="", compare=False, repr=False)

    @property
    def machine_code(self) -> str:
        return self.code or ("E-INPUT" if self.severity == "error" else "W-INPUT")

    def location(self) -> str:
        """``file:line:col`` with the file relative to the current folder when it is inside it."""
        loc = display_path(self.file) if self.file else "<input>"
        if self.line is not None:
            loc += f":{self.line}"
            if self.col is not None:
                loc += f":{self.col}"
        return loc

    def __str__(self) -> str:
        text = f"{self.location()}: "
        if self.severity != "error":
            text += _("warning") + ": " if self.severity == "warning" else f"{self.severity}: "
        if self.path:
            text += f"{self.path}: "
        text += self.message
        if self.hint:
            text += _(" ({hint})").format(hint=self.hint)
        text += f" [{self.machine_code}]"
        return " ".join(text.split("\n"))

    def sort_key(self) -> tuple[int, int]:
        return (self.line if self.line is not None else 0, self.col if self.col is not None else 0)


def display_path(file: str) -> str:
    """An absolute path shown relative to the current folder, as the user types paths
    (``../sources/x.yaml`` too, up to two levels up inside one project folder); farther paths and
    labels such as ``--set`` unchanged."""
    if not os.path.isabs(file):
        return file
    try:
        rel = os.path.relpath(file)
    except ValueError:  # another drive (Windows)
        return file
    ups = 0
    while rel.startswith(os.pardir + os.sep, ups * 3):
        ups += 1
    if ups == 0:
        return rel
    # ../sources/x.yaml beside the current folder, not ../../tmp/x.yaml through the root
    shared = len(os.path.commonpath([file, os.getcwd()]).split(os.sep))
    return rel if ups <= 2 and shared > 2 else file


def sort_problems(problems: Iterable[Problem]) -> list[Problem]:
    """Problems grouped by file (files in the order they first appear), by line and column within."""
    items = list(problems)
    order: dict[str, int] = {}
    for p in items:
        order.setdefault(os.path.normpath(p.file) if p.file else "", len(order))
    return sorted(items, key=lambda p: (order[os.path.normpath(p.file) if p.file else ""], *p.sort_key()))


class BriefError(Exception):
    """A user error (bad input, missing file, limit): reported as located lines, no traceback."""

    exit_code = EXIT_INPUT

    def __init__(self, problems: Problem | Iterable[Problem], exit_code: int | None = None):
        self.problems = [problems] if isinstance(problems, Problem) else sort_problems(problems)
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
        code: str = "",
    ) -> Self:
        return cls(Problem(message, file, line, col, path, hint, code=code), exit_code)


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
    return _("did you mean {choices}?").format(choices=_(" or ").join(close))


def available(choices: Iterable[str], limit: int = 12) -> str:
    """``available: a, b, c …`` for hints."""
    pool = sorted(set(choices))
    shown = ", ".join(pool[:limit])
    if len(pool) > limit:
        shown += ", … " + _("({n} in all)").format(n=len(pool))
    return _("available: {choices}").format(choices=shown) if pool else ""


def suggest_file(ref: str, base: str | os.PathLike[str] | None = None, n: int = 1) -> str:
    """A ``did you mean …?`` hint naming the nearest existing entry in the folder of ``ref`` (a path
    as the user wrote it, relative to ``base``), same suffix first, written the way ``ref`` is."""
    folder, name = os.path.split(ref)
    try:
        entries = os.listdir(os.path.join(os.fspath(base), folder) if base is not None else folder or ".")
    except OSError:
        return ""
    suffix = os.path.splitext(name)[1]
    pool = [e for e in entries if not e.startswith(".") and os.path.splitext(e)[1] == suffix] or entries
    close = difflib.get_close_matches(name, pool, n=n, cutoff=0.6)
    if not close:
        return ""
    shown = [os.path.join(folder, c) if folder else c for c in close]
    return _("did you mean {choices}?").format(choices=_(" or ").join(shown))
