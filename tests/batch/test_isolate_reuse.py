"""The reused isolated renderer: one process for many briefs, replaced after any failure."""

from __future__ import annotations

import os
import sys
import time

import pytest

from briefgen.batch import isolate
from briefgen.errors import BriefError, LimitError

pytestmark = [pytest.mark.slow, pytest.mark.skipif(sys.platform != "linux", reason="fork-based renderer")]


def _pid(_: object) -> int:
    return os.getpid()


def _sleep(seconds: float) -> float:
    time.sleep(seconds)
    return seconds


def _crash(_: object) -> None:
    os._exit(3)


def _bad(_: object) -> None:
    raise BriefError.at("bad input", file="x.yaml", line=2)


def test_one_process_renders_brief_after_brief() -> None:
    r = isolate._Renderer(_pid, 2048)
    try:
        first, second = r.run(None, 10, "a.yaml"), r.run(None, 10, "b.yaml")
        assert first == second != os.getpid() and r.alive()
    finally:
        r.stop()


def test_errors_pass_through_and_keep_the_renderer() -> None:
    r = isolate._Renderer(_bad, 2048)
    try:
        with pytest.raises(BriefError, match="bad input"):
            r.run(None, 10, "x.yaml")
        assert r.alive()
    finally:
        r.stop()


def test_timeout_and_crash_retire_the_renderer() -> None:
    r = isolate._Renderer(_sleep, 2048)
    with pytest.raises(LimitError, match="longer than 0.3 s"):
        r.run(5.0, 0.3, "slow.yaml")
    assert not r.alive()
    r = isolate._Renderer(_crash, 2048)
    with pytest.raises(BriefError, match="rendering process died"):
        r.run(None, 10, "crash.yaml")
    assert not r.alive()
