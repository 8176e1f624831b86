"""Helpers for preview tests: a copy of the example project and a ``briefgen preview`` server process."""

from __future__ import annotations

import os
import queue
import shutil
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def copy_project(dst: Path) -> Path:
    """The example briefs with their packs, templates and data under ``dst`` (edited by tests)."""
    for name in ("briefs", "sources", "templates", "data"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, dst / name)
    return dst


class Server:
    """A running ``briefgen preview`` child process and the URL it printed."""

    def __init__(self, proc: subprocess.Popen[str], url: str, lines: queue.Queue[str]) -> None:
        self.proc, self.url, self.lines = proc, url, lines

    def interrupt(self, timeout: float = 20.0) -> int:
        """Ctrl-C: SIGINT to the server; its exit code."""
        self.proc.send_signal(signal.SIGINT)
        return self.proc.wait(timeout)

    def output(self) -> str:
        """Everything the server printed so far."""
        out = []
        while not self.lines.empty():
            out.append(self.lines.get_nowait())
        return "".join(out)


@contextmanager
def preview(spec: Path, *args: str, startup: float = 60.0, env: dict[str, str] | None = None) -> Iterator[Server]:
    """Start ``python -m briefgen preview spec`` and wait for its URL line; stopped (killed if need be) after."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "preview", str(spec), "-o", str(spec.parent.parent / "output"),
                             *args], cwd=spec.parent.parent, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, env=env,
                            # Ctrl-C as in a terminal, even when the test run was started in the background by a
                            # shell (which makes children ignore SIGINT)
                            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    lines: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        assert proc.stdout is not None
        for line in proc.stdout:
            lines.put(line)

    threading.Thread(target=pump, daemon=True).start()
    url = ""
    try:
        while not url:
            line = lines.get(timeout=startup)
            if "http://" in line:
                url = line[line.index("http://"):].split()[0]
        yield Server(proc, url, lines)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
