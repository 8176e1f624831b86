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


def _leave(body: str) -> subprocess.CompletedProcess[str]:
    """Run ``body`` then ``cli.leave(3)`` in a fresh interpreter with block-buffered output."""
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    env["PYTHONPATH"] = os.pathsep.join([str(SRC), os.environ.get("PYTHONPATH", "")])
    code = f"import atexit, sys, threading, time\nfrom briefgen.cli import leave\n{body}\nleave(3)\n"
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120,
                          check=False)


def test_leaving_runs_exit_handlers_and_flushes_the_streams() -> None:
    r = _leave("atexit.register(lambda: print('handler ran'))\nprint('buffered', end='')\n"
               "print('to stderr', end='', file=sys.stderr)")
    assert r.returncode == 3
    assert r.stdout == "bufferedhandler ran\n" and r.stderr == "to stderr"


def test_leaving_with_another_thread_alive_waits_for_it() -> None:
    r = _leave("threading.Thread(target=lambda: (time.sleep(0.3), print('thread done'))).start()")
    assert r.returncode == 3 and r.stdout == "thread done\n"


def test_debug_is_accepted_before_and_after_the_command() -> None:
    """Internal errors say "run with --debug": people add it at the end of the line they ran."""
    from briefgen.cli import parser

    assert parser().parse_args(["build", "b.yaml", "--debug"]).debug is True
    assert parser().parse_args(["--debug", "build", "b.yaml"]).debug is True
    assert parser().parse_args(["build", "b.yaml"]).debug is False
