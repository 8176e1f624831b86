"""Font notices travel from an isolated renderer to the parent as they happen, and the parent's progress timer ticks while it waits."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

from briefgen.batch import isolate
from briefgen.fonts import notices

pytestmark = pytest.mark.skipif(sys.platform != "linux", reason="fork-based renderers")


def _child(folder: str) -> str:
    """Say something, then wait until the parent has shown it and ticked (files the parent makes)."""
    notices.emit("preparing font X")
    shown, ticked = Path(folder, "shown"), Path(folder, "ticked")
    deadline = time.monotonic() + 60
    while not (shown.exists() and ticked.exists()):
        if time.monotonic() > deadline:
            return "the parent saw nothing while the child ran"
        time.sleep(0.01)
    return "done"


def _sinks(folder: Path, got: list[str]) -> tuple[object, object]:
    def sink(message: str) -> None:
        got.append(message)
        (folder / "shown").touch()

    def ticker() -> None:
        (folder / "ticked").touch()

    return sink, ticker


def test_run_limited_relays_notices_while_the_child_runs(tmp_path: Path) -> None:
    got: list[str] = []
    sink, ticker = _sinks(tmp_path, got)
    with notices.live(sink, ticker):  # type: ignore[arg-type]
        result = isolate.run_limited(_child, str(tmp_path), label="t", timeout=120, memory_mb=2048)
    assert result == "done"
    assert got == ["preparing font X"]


def test_reused_renderer_relays_notices_while_it_renders(tmp_path: Path) -> None:
    got: list[str] = []
    sink, ticker = _sinks(tmp_path, got)
    renderer = isolate._Renderer(_child, 2048)
    try:
        with notices.live(sink, ticker):  # type: ignore[arg-type]
            assert renderer.run(str(tmp_path), 120, "t") == "done"
    finally:
        renderer.stop()
    assert got == ["preparing font X"]


def test_without_a_sink_emit_reports_false() -> None:
    assert notices.emit("nobody listens") is False
    got: list[str] = []
    with notices.live(got.append):
        assert notices.emit("heard") is True
    assert got == ["heard"] and notices.emit("gone") is False
