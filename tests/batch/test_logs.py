"""Unit tests of batch.logs: log lines with and without a terminal, levels, the progress bar, the summary."""

from __future__ import annotations

import io
import logging
import re

from briefgen.batch.logs import Reporter, is_terminal

STAMP = r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d{4}"


def test_non_terminal_lines_carry_time_and_level_problems_stay_canonical() -> None:
    err, out = io.StringIO(), io.StringIO()
    r = Reporter(err, interactive=False, out=out)
    r.warning("字体回退")
    r.info("not shown at the default level")
    r.problem("b.yaml:3:1: title: required field is missing")
    r.summary("1 built", failed=False)
    lines = err.getvalue().splitlines()
    assert re.fullmatch(f"{STAMP} WARNING 字体回退", lines[0])
    assert lines[1] == "b.yaml:3:1: title: required field is missing"
    assert len(lines) == 2
    assert re.fullmatch(f"{STAMP} INFO 1 built \\[I-BUILD-DONE\\]\n", out.getvalue())  # the machine code for logs


def test_levels_and_warning_once() -> None:
    err = io.StringIO()
    r = Reporter(err, interactive=True, level=logging.ERROR, out=io.StringIO())
    r.warning("hidden")
    r.error("shown")
    assert err.getvalue() == "shown\n"
    err2 = io.StringIO()
    v = Reporter(err2, interactive=True, level=logging.INFO, out=io.StringIO())
    v.warning_once("w")
    v.warning_once("w")
    v.info("i")
    assert err2.getvalue() == "w\ni\n"


def test_progress_bar_is_redrawn_around_log_lines_and_cleared() -> None:
    err, out = io.StringIO(), io.StringIO()
    r = Reporter(err, interactive=True, out=out)
    r.progress(1, 4, 1, 0, 0, 0.0, force=True)
    assert "1/4 · 1 built · 0 skipped · 0 failed" in err.getvalue()
    assert "[" in err.getvalue() and "█" in err.getvalue()
    r.warning("中途")
    tail = err.getvalue().split("中途\n", 1)[1]
    assert "1/4" in tail  # the bar comes back under the line
    r.summary("done", failed=True)
    assert err.getvalue().endswith("\r\x1b[K")
    assert out.getvalue() == "done\n"


def test_no_bar_without_a_terminal_or_when_disabled() -> None:
    err = io.StringIO()
    Reporter(err, interactive=False).progress(1, 2, 1, 0, 0, 0.0, force=True)
    Reporter(err, interactive=True, progress=False).progress(1, 2, 1, 0, 0, 0.0, force=True)
    assert err.getvalue() == ""
    assert is_terminal(io.StringIO()) is False
