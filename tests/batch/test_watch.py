"""Watch mode: a short-lived ``briefgen watch`` sees edits, rebuilds, survives errors, exits 0 on Ctrl-C."""

from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from batchkit import make_project

pytestmark = [pytest.mark.slow, pytest.mark.skipif(os.name != "posix", reason="sends SIGINT")]


class Lines:
    """Collects a pipe's lines in a thread."""

    def __init__(self, stream: object) -> None:
        self.lines: list[str] = []
        self._t = threading.Thread(target=self._read, args=(stream,), daemon=True)
        self._t.start()

    def _read(self, stream: object) -> None:
        for line in stream:  # type: ignore[attr-defined]
            self.lines.append(line)

    def text(self) -> str:
        return "".join(self.lines)


def _wait(cond: Callable[[], bool], timeout: float = 60) -> bool:
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if cond():
            return True
        time.sleep(0.1)
    return False


def _sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file() else ""


def test_watch_rebuilds_on_edits_and_exits_zero_on_ctrl_c(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    spec = project / "briefs" / "wujiang-pillars-jianbao.yaml"
    pack = project / "sources" / "wujiang-2022-09-23.yaml"
    template = project / "templates" / "pillar.xml.j2"
    docx = project / "out" / "wujiang-pillars-jianbao.docx"
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "watch", str(spec.relative_to(project)), "-o", "out",
         "-f", "docx", "--interval", "0.2"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # Ctrl-C as in a terminal, even when the test run was started in the background by a
        # shell (which makes children ignore SIGINT)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    out, err = Lines(proc.stdout), Lines(proc.stderr)
    try:
        assert _wait(lambda: "watching" in out.text()), out.text() + err.text()
        first = _sha(docx)
        assert first

        # an edit to the source pack rebuilds
        pack.write_text(pack.read_text(encoding="utf-8").replace("九年磨一剑", "九年磨一剑（修订）", 1),
                        encoding="utf-8")
        assert _wait(lambda: out.text().count("change: built") >= 1), out.text() + err.text()
        second = _sha(docx)

        # a broken spec is reported, and watching goes on
        good = spec.read_text(encoding="utf-8")
        spec.write_text(good.replace("section: pillars.*", "section: pillars.nosuch"), encoding="utf-8")
        assert _wait(lambda: "pillars.nosuch" in err.text()), out.text() + err.text()
        assert proc.poll() is None
        assert _sha(docx) == second  # the previous good output is untouched

        # fixing it (and changing the template) rebuilds again
        template.write_text(template.read_text(encoding="utf-8") + "\n", encoding="utf-8")
        spec.write_text(good.replace("title: ", "title: 新", 1), encoding="utf-8")
        assert _wait(lambda: out.text().count("change: built") >= 2), out.text() + err.text()
        assert _sha(docx) not in ("", second)
        assert "Traceback" not in err.text()
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            code = proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert code == 0, err.text()
