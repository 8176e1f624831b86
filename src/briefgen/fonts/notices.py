"""Turn font-preparation events into live notices and progress ticks for whoever shows them.

Preparing fonts for PDF embedding can take a moment on the first run. Its notices must reach the
user as they happen, from the process that owns the terminal or log: the CLI installs a *sink*
(its reporter) and a *ticker* (redraws the progress bar); an isolated renderer installs a sink
that sends each notice to its parent over the pipe. Without a sink, :func:`emit` returns False and
the caller falls back to its own ``on_message``.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Iterator

_SINK: list[Callable[[str], None]] = []
_TICKER: list[Callable[[], None]] = []
_LAST_TICK = [0.0]


def emit(message: str) -> bool:
    """Deliver ``message`` to the live sink now; False when none is installed."""
    if not _SINK:
        return False
    _SINK[-1](message)
    return True


def tick() -> None:
    """Let the progress display advance its timer (at most ten times a second)."""
    if not _TICKER:
        return
    now = time.monotonic()
    if now - _LAST_TICK[0] < 0.1:
        return
    _LAST_TICK[0] = now
    _TICKER[-1]()


@contextlib.contextmanager
def live(sink: Callable[[str], None] | None, ticker: Callable[[], None] | None = None) -> Iterator[None]:
    """Route notices to ``sink`` and ticks to ``ticker`` while the block runs."""
    if sink is not None:
        _SINK.append(sink)
    if ticker is not None:
        _TICKER.append(ticker)
    try:
        yield
    finally:
        if sink is not None:
            _SINK.remove(sink)
        if ticker is not None:
            _TICKER.remove(ticker)


def set_sink(sink: Callable[[str], None] | None) -> None:
    """Replace every sink (a forked renderer drops its parent's and installs its pipe)."""
    _SINK.clear()
    _TICKER.clear()
    if sink is not None:
        _SINK.append(sink)
