"""Safe concurrency: one run per output folder, waiting or exit 4; killed runs leave whole files only."""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from batchkit import (
    EXAMPLES,
    digests,
    make_project,
    run,
    temp_files,
    valid_docx,
    valid_pdf,
    variants,
)

from briefgen.locking import OutputLock, sweep_stale_temps
from briefgen.manifest import MANIFEST_NAME

pytestmark = pytest.mark.skipif(os.name != "posix", reason="SIGKILL and flock are POSIX")


def test_second_run_times_out_with_exit_4(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    with OutputLock(project / "out", timeout=1):
        r = run("build", "briefs", "-o", "out", "-f", "docx", "--lock-timeout", "1", cwd=project)
    assert r.returncode == 4, r.stderr
    assert f"locked by briefgen pid {os.getpid()}" in r.stderr and "--lock-timeout" in r.stderr
    assert "waiting" in r.stderr
    assert not digests(project / "out")


def test_second_run_waits_for_the_first(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    lock = OutputLock(project / "out", timeout=1)
    lock.acquire()
    timer = threading.Timer(1.5, lock.release)
    timer.start()
    try:
        t0 = time.monotonic()
        r = run("build", "briefs", "-o", "out", "-f", "docx", "-j", "1", "--lock-timeout", "60", cwd=project)
        waited = time.monotonic() - t0
    finally:
        timer.join()
        lock.release()
    assert r.returncode == 0, r.stderr
    assert "waiting for briefgen pid" in r.stderr
    assert waited >= 1.4
    assert len(digests(project / "out")) == len(EXAMPLES)


def test_two_concurrent_runs_never_interleave(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    variants(project, 12, folder="v")
    cmd = [sys.executable, "-m", "briefgen", "build", "v", "-o", "out", "-f", "docx", "-j", "1", "--json"]
    procs = [subprocess.Popen([*cmd, "--set", f"vars.run=r{i}"], cwd=project, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for i in range(2)]
    results = [p.communicate(timeout=300) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], results
    spans = sorted(json.loads(out)["seconds"] for out, _ in results)
    assert spans[0] > 0
    files = digests(project / "out")
    assert len(files) == 12 and all(valid_docx(project / "out" / f) for f in files)
    manifest = json.loads((project / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert len(manifest["briefs"]) == 24  # one entry per (spec, overrides)
    assert not temp_files(project / "out")


def _check_whole(out: Path) -> None:
    for p in out.rglob("*"):
        if p.suffix == ".docx":
            assert valid_docx(p), p
        elif p.suffix == ".pdf":
            assert valid_pdf(p), p
        elif p.name == MANIFEST_NAME:
            json.loads(p.read_text(encoding="utf-8"))


def test_sigkill_at_random_moments_leaves_whole_files(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    variants(project, 6, folder="k", second_pack_every=0)
    out = project / "out"
    rng = random.Random(20261101)
    killed_with_temps = 0
    for i in range(10):
        proc = subprocess.Popen(
            [sys.executable, "-m", "briefgen", "build", "k", "-o", "out", "-j", str(1 + i % 2),
             "--set", f"subtitle=第{i}轮"],
            cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        time.sleep(rng.uniform(0.3, 3.0))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=60)
        killed_with_temps += bool(temp_files(out)) if out.is_dir() else 0
        if out.is_dir():
            _check_whole(out)
    # a temp file a killed run left long ago, and one that only looks similar
    out.mkdir(exist_ok=True)
    stale = out / ".k-v000.docx.abcd1234.tmp"
    stale.write_bytes(b"half a docx")
    os.utime(stale, (time.time() - 3600, time.time() - 3600))
    keep = out / "notes.tmp"
    keep.write_text("mine", encoding="utf-8")
    r = run("build", "k", "-o", "out", "-j", "2", "--set", "subtitle=最后", cwd=project)
    assert r.returncode == 0, r.stderr
    _check_whole(out)
    assert temp_files(out) == [keep]
    assert len(digests(out)) == 12
    print(f"\n{killed_with_temps} of 10 kills left temp files behind")


def test_sweep_only_removes_old_atomic_temps(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    old = tmp_path / "sub" / ".a.pdf.x1y2z3_4.tmp"
    new = tmp_path / ".b.pdf.q1w2e3r4.tmp"
    other = tmp_path / ".c.tmp"
    for p in (old, new, other):
        p.write_bytes(b"x")
    os.utime(old, (100, 100))
    os.utime(other, (100, 100))
    removed = sweep_stale_temps(tmp_path, time.time() - 60)
    assert removed == [old]
    assert new.exists() and other.exists()
