"""Turn build events into log lines (with time and level when not on a terminal) and a progress bar.

On a terminal: plain problem lines, a one-line progress bar redrawn in place on stderr.
Elsewhere (cron, CI, pipes): ``2026-11-01T08:00:00+0800 WARNING message`` lines, no bar.
Levels: ``-q`` errors and the warnings about the user's files only (no notices about this
machine, such as font substitutions; no progress, no summary); default warnings and errors;
``-v`` one INFO line per brief too. Problem lines end in their machine code (``[E-UNKNOWN-KEY]``).
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import time
from typing import IO

from briefgen.i18n import _

LOGGER_NAME = "briefgen"


def is_terminal(stream: IO[str]) -> bool:
    try:
        return stream.isatty() and os.environ.get("TERM", "") != "dumb"
    except (AttributeError, ValueError):
        return False


class _Handler(logging.Handler):
    """Writes records to a stream, clearing and redrawing the progress bar around them."""

    def __init__(self, reporter: Reporter) -> None:
        super().__init__()
        self.reporter = reporter

    def emit(self, record: logging.LogRecord) -> None:
        try:
            self.reporter.write_line(self.format(record))
        except Exception:  # noqa: BLE001 - logging must never break a build
            self.handleError(record)


class Reporter:
    """Log lines, progress bar and the closing summary of one briefgen command."""

    def __init__(
        self,
        stream: IO[str] | None = None,
        *,
        interactive: bool | None = None,
        level: int = logging.WARNING,
        progress: bool = True,
        out: IO[str] | None = None,
        quiet: bool = False,
    ) -> None:
        self.stream = stream or sys.stderr
        self.out = out or sys.stdout
        self.interactive = is_terminal(self.stream) if interactive is None else interactive
        self.show_progress = progress and self.interactive
        self.quiet = quiet
        self._bar = ""
        self._last_draw = 0.0
        self._state: tuple[int, int, int, int, int, float, str] | None = None
        self.logger = logging.getLogger(f"{LOGGER_NAME}.{id(self)}")
        self.logger.propagate = False
        self.logger.setLevel(level)
        for h in list(self.logger.handlers):
            self.logger.removeHandler(h)
        handler = _Handler(self)
        if self.interactive:
            handler.setFormatter(_PlainFormatter())
        else:
            handler.setFormatter(
                logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%dT%H:%M:%S%z")
            )
        self.logger.addHandler(handler)
        self._seen: set[str] = set()

    # ------------------------------------------------------------------ log lines

    def error(self, msg: str) -> None:
        self.logger.error(msg)

    def problem(self, line: str) -> None:
        """An input problem, always in its canonical one-line form ``file:line:col: path: problem``
        (no time or level prefix), so editors, grep and tests can parse it in cron logs too."""
        if self.logger.isEnabledFor(logging.ERROR):
            self.write_line(line)

    def warning(self, msg: str) -> None:
        self.logger.warning(msg)

    def warning_once(self, msg: str) -> None:
        if msg not in self._seen:
            self._seen.add(msg)
            self.logger.warning(msg)

    def notice(self, msg: str) -> None:
        """A warning about this machine rather than the user's files (a font substitution):
        once per run, and not at all with ``-q``."""
        if not self.quiet:
            self.warning_once(msg)

    def info(self, msg: str) -> None:
        self.logger.info(msg)

    def write_line(self, line: str) -> None:
        if self._bar:
            self.stream.write("\r\x1b[K")
        self.stream.write(line + "\n")
        if self._bar:
            self.stream.write(self._bar)
        self.stream.flush()

    # ------------------------------------------------------------------ progress bar

    def progress(self, done: int, total: int, built: int, skipped: int, failed: int,
                 started: float, label: str = "", force: bool = False) -> None:
        if not self.show_progress or total <= 0:
            return
        self._state = (done, total, built, skipped, failed, started, label)
        now = time.monotonic()
        if not force and now - self._last_draw < 0.1 and done < total:
            return
        self._last_draw = now
        width = shutil.get_terminal_size((80, 20)).columns
        counts = " " + _("{done}/{total} · {built} built · {skipped} skipped · {failed} failed · {seconds} s").format(
            done=done, total=total, built=built, skipped=skipped, failed=failed, seconds=f"{now - started:.1f}")
        if label:
            counts = f" {label}{counts}"
        bar_w = max(10, min(40, width - len(counts) - 4))
        fill = int(bar_w * done / total)
        bar = "[" + "█" * fill + "·" * (bar_w - fill) + "]" + counts
        self._bar = bar[: max(1, width - 1)]
        self.stream.write("\r\x1b[K" + self._bar)
        self.stream.flush()

    def refresh(self) -> None:
        """Redraw the progress bar with the time advanced (called while a brief renders)."""
        if self._state is not None and self._bar:
            self.progress(*self._state)

    def end_progress(self) -> None:
        self._state = None
        if self._bar:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
            self._bar = ""

    # ------------------------------------------------------------------ summary

    def summary(self, line: str, failed: bool) -> None:
        """The run's closing line on stdout (timestamped and levelled when not on a terminal)."""
        self.end_progress()
        if not self.interactive:  # for machines: time, level, and a code to match in any language
            level = "ERROR" if failed else "INFO"
            code = "E-BUILD-FAILED" if failed else "I-BUILD-DONE"
            line = f"{time.strftime('%Y-%m-%dT%H:%M:%S%z')} {level} {line} [{code}]"
        self.out.write(line + "\n")
        self.out.flush()


class _PlainFormatter(logging.Formatter):
    """Terminal lines: problems as they are (``file:line:col: …``), warnings marked."""

    def format(self, record: logging.LogRecord) -> str:
        return record.getMessage()
