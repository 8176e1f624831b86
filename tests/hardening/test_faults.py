"""Runtime faults while writing: a full disk, a read-only or missing folder, a directory in the way, a killed run.

None may leave a partial or corrupt file: the earlier output survives byte for byte (or the new
one is complete), no temporary file is left, and the build fails with one clear line and exit 4.
"""

from __future__ import annotations

import contextlib
import errno
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hardkit import OLD, clean_lines, make_project, seed_old_outputs

import briefgen.atomic as atomic
from briefgen.cli import main
from briefgen.inputs.limits import ENV_VAR

pytestmark = pytest.mark.slow  # builds briefs in subprocesses: not in the fast tier


def _enospc(*_: Any, **__: Any) -> None:
    raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


class _FullDisk:
    """A file object that accepts ``room`` bytes, then fails with ENOSPC (as a full disk does)."""

    def __init__(self, fh: Any, room: int) -> None:
        self.fh, self.room = fh, room

    def write(self, data: bytes) -> int:
        if len(data) > self.room:
            self.fh.write(data[: self.room])
            self.room = 0
            _enospc()
        self.room -= len(data)
        return int(self.fh.write(data))

    def __getattr__(self, name: str) -> Any:
        return getattr(self.fh, name)

    def __enter__(self) -> _FullDisk:
        return self

    def __exit__(self, *exc: object) -> None:
        self.fh.close()


def _full_disk_write(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.fdopen
    monkeypatch.setattr(atomic.os, "fdopen", lambda fd, *a, **k: _FullDisk(real(fd, *a, **k), 1000))


def _full_disk_fsync(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(atomic.os, "fsync", _enospc)


def _read_only_folder(monkeypatch: pytest.MonkeyPatch) -> None:
    def mkstemp(*_: Any, **__: Any) -> Any:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS))

    monkeypatch.setattr(atomic.tempfile, "mkstemp", mkstemp)


def _replace_fails_second(monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.replace
    calls = {"n": 0}

    def replace(src: Any, dst: Any) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(errno.EIO, os.strerror(errno.EIO))
        real(src, dst)

    monkeypatch.setattr(atomic.os, "replace", replace)


FAULTS: dict[str, tuple[Callable[[pytest.MonkeyPatch], None], str]] = {
    "enospc-on-write": (_full_disk_write, "No space left on device"),
    "enospc-on-fsync": (_full_disk_fsync, "No space left on device"),
    "read-only-folder": (_read_only_folder, "Read-only file system"),
    "replace-fails-midway": (_replace_fails_second, "cannot replace"),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_write_fault_keeps_old_outputs(fault: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                       capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    brief = make_project(tmp_path)
    out = tmp_path / "output"
    olds = seed_old_outputs(out)
    patch, message = FAULTS[fault]
    patch(monkeypatch)
    code = main(["build", str(brief), "-o", str(out), "-j", "1", "--no-isolate"])
    err = capsys.readouterr().err
    lines = clean_lines(err)
    assert "Traceback" not in err and "internal error" not in err, err
    assert code == 4, "\n".join(lines)
    assert any(message in ln for ln in lines), "\n".join(lines)
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
    for p, data in olds.items():
        now = p.read_bytes()
        if fault == "replace-fails-midway" and now != data:
            assert now[:4] == b"PK\x03\x04"  # the one renamed in is complete (a whole DOCX)
        else:
            assert now == data, f"{p.name} changed"


def test_output_folder_under_a_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    brief = make_project(tmp_path)
    (tmp_path / "afile").write_text("x")
    code = main(["build", str(brief), "-o", str(tmp_path / "afile" / "out"), "-j", "1"])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    assert code == 4, err


@contextlib.contextmanager
def _tiny_tmpfs(where: Path, size: str) -> Iterator[Path]:
    where.mkdir()
    if not sys.platform.startswith("linux") or os.geteuid() != 0 or not shutil.which("mount"):
        pytest.skip("mounting a tmpfs needs root on Linux")
    res = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                         capture_output=True, check=False)
    if res.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs: {res.stderr.decode(errors='replace').strip()}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True, check=False)


def test_real_full_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                        capsys: pytest.CaptureFixture[str]) -> None:
    """A real ENOSPC from a 24 KiB tmpfs: old outputs and the manifest survive, no temp left."""
    monkeypatch.delenv(ENV_VAR, raising=False)
    brief = make_project(tmp_path / "proj")
    with _tiny_tmpfs(tmp_path / "small", "24k") as out:
        olds = seed_old_outputs(out)
        code = main(["build", str(brief), "-o", str(out), "-j", "1", "--no-isolate"])
        err = capsys.readouterr().err
        assert "Traceback" not in err and "internal error" not in err, err
        assert code == 4, err
        assert "No space left on device" in err
        for p, data in olds.items():
            assert p.read_bytes() == data
        assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]


def test_killed_run_keeps_old_outputs_and_frees_the_lock(tmp_path: Path) -> None:
    """SIGKILL during an isolated render: outputs unchanged; the render child dies with the run,
    so the next run gets the output folder's lock at once and builds."""
    brief = make_project(tmp_path)
    (tmp_path / "templates" / "user.xml.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}<p>x</p>\n",
        encoding="utf-8")
    out = tmp_path / "output"
    olds = seed_old_outputs(out)
    env = {**os.environ, "BRIEFGEN_POLICY": ""}
    cmd = [sys.executable, "-m", "briefgen", "build", str(brief), "-o", str(out), "-j", "1",
           "--isolate", "--timeout", "120", "--limit", "template_loops=100000000000"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
                            start_new_session=False)
    time.sleep(3.0)  # planning done; the forked renderer is looping
    proc.send_signal(signal.SIGKILL)
    proc.wait(10)
    for p, data in olds.items():
        assert p.read_bytes() == data
    (tmp_path / "templates" / "user.xml.j2").write_text("<p>{{ heading }}</p>\n", encoding="utf-8")
    # --lock-timeout 0: had the killed run left the lock held, this would fail at once (exit 4)
    res = subprocess.run([*cmd[:9], "--lock-timeout", "0"], capture_output=True, text=True,
                         env=env, timeout=120)
    assert res.returncode == 0, res.stderr
    assert "waiting" not in res.stderr
    assert (out / "brief.pdf").read_bytes() != OLD
    assert not [p.name for p in out.iterdir() if p.name.endswith(".tmp")]
