"""``-q`` keeps problems about the user's files and drops notices about this machine (font substitutions)."""

from __future__ import annotations

import io
import logging

from briefgen.batch.logs import Reporter


def test_quiet_reporter_drops_notices_keeps_problems_and_warnings() -> None:
    for quiet in (False, True):
        err = io.StringIO()
        r = Reporter(err, interactive=True, level=logging.WARNING, progress=False, quiet=quiet)
        r.notice("PDF font for 仿宋 (fangsong): no 仿宋 font installed")
        r.notice("PDF font for 仿宋 (fangsong): no 仿宋 font installed")
        r.problem("brief.yaml:2:5: full-width colon [E-YAML-FULLWIDTH-COLON]")
        r.warning("brief.yaml: warning: brief.yaml:3:8: issue: '010' [W-YAML11-NUMBER]")
        lines = err.getvalue().splitlines()
        assert lines[-2:] == ["brief.yaml:2:5: full-width colon [E-YAML-FULLWIDTH-COLON]",
                              "brief.yaml: warning: brief.yaml:3:8: issue: '010' [W-YAML11-NUMBER]"]
        assert sum("PDF font" in ln for ln in lines) == (0 if quiet else 1)
