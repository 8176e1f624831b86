"""``python -m briefgen`` runs the CLI: its version and usage errors, in a real subprocess."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import briefgen

SRC = Path(briefgen.__file__).resolve().parents[1]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])}
    return subprocess.run([sys.executable, "-m", "briefgen", *args], capture_output=True, text=True,
                          env=env, timeout=120, check=False)


def test_version() -> None:
    r = _run("--version")
    assert r.returncode == 0, r.stderr
    assert r.stdout.strip() == f"briefgen {briefgen.__version__}"


def test_unknown_command_is_a_usage_error() -> None:
    r = _run("frobnicate")
    assert r.returncode == 2
    assert "frobnicate" in r.stderr
