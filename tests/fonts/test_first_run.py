"""A first run on an empty font cache, as a user (or cron) sees it: notices while it works, a killed run that blocks nothing, rare characters that do not fail the job."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from docx import Document

REPO = Path(__file__).resolve().parents[2]
RARE = "𠀀𪚥"  # CJK Extension B: common in personal and place names
EMOJI = "👍"

pytestmark = pytest.mark.slow


def _env(cache: Path) -> dict[str, str]:
    return {**os.environ, "BRIEFGEN_CACHE_DIR": str(cache), "BRIEFGEN_NO_SYSTEM_FONTS": "1",
            "PYTHONPATH": os.pathsep.join(sys.path)}


def _start(args: list[str], cache: Path, err: Path) -> subprocess.Popen[bytes]:
    """``briefgen build …`` with standard error going to a file, as under cron."""
    with open(err, "wb") as fh:
        return subprocess.Popen([sys.executable, "-m", "briefgen", "build", *args], stdout=subprocess.DEVNULL,
                                stderr=fh, env=_env(cache), cwd=REPO, start_new_session=True)


def _wait_for_line(proc: subprocess.Popen[bytes], err: Path, needle: str) -> bool:
    """Poll ``err`` until it holds ``needle``; True when that happened while ``proc`` still ran."""
    while True:
        running = proc.poll() is None
        if needle in err.read_text(encoding="utf-8", errors="replace"):
            return running
        if not running:
            return False
        time.sleep(0.01)


def test_font_notice_is_in_the_log_before_the_build_ends(tmp_path: Path) -> None:
    err = tmp_path / "stderr.log"
    proc = _start(["briefs/monthly-report.yaml", "-o", str(tmp_path / "out")], tmp_path / "cache", err)
    seen_while_running = _wait_for_line(proc, err, "preparing font")
    assert proc.wait(timeout=300) == 0, err.read_text(encoding="utf-8")
    assert seen_while_running, "the font notice only appeared after the build ended:\n" + err.read_text(
        encoding="utf-8")
    log = err.read_text(encoding="utf-8")
    assert re.search(r"^\d{4}-\d\d-\d\dT\S+ WARNING preparing font Noto Serif SC", log, re.M), log
    assert len([ln for ln in log.splitlines() if "PDF fonts:" in ln]) == 1, log  # one summary line


def test_quiet_run_prints_no_font_notices(tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build", "briefs/wujiang-pillars-jianbao.yaml",
                           "-o", str(tmp_path / "out"), "-q"], capture_output=True, text=True,
                          env=_env(tmp_path / "cache"), cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert "PDF fonts:" not in proc.stderr and "preparing font" not in proc.stderr, proc.stderr


def test_killed_first_run_does_not_block_the_next(tmp_path: Path) -> None:
    cache, out = tmp_path / "cache", tmp_path / "out"
    err = tmp_path / "first.log"
    proc = _start(["briefs/wujiang-lessons-handout.yaml", "-o", str(out)], cache, err)
    assert _wait_for_line(proc, err, "preparing font"), err.read_text(encoding="utf-8")
    os.killpg(proc.pid, signal.SIGKILL)  # the run and its isolated renderer, mid-preparation
    proc.wait(timeout=30)
    assert proc.returncode == -signal.SIGKILL
    # --lock-timeout 0: a lock still held would fail at once (exit 4) instead of waiting
    again = subprocess.run([sys.executable, "-m", "briefgen", "build", "briefs/wujiang-lessons-handout.yaml",
                            "-o", str(out), "--lock-timeout", "0"], capture_output=True, text=True,
                           env=_env(cache), cwd=REPO, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "waiting" not in again.stderr, again.stderr
    assert (out / "wujiang-lessons-handout.pdf").read_bytes().startswith(b"%PDF")


def _rare_brief(tmp_path: Path) -> Path:
    text = (REPO / "briefs" / "wujiang-pillars-jianbao.yaml").read_text(encoding="utf-8")
    text = text.replace("../sources", str(REPO / "sources")).replace("../templates", str(REPO / "templates"))
    text = text.replace("blocks:\n", f"blocks:\n  - text: 联系人张{RARE}同志，点赞{EMOJI}。\n", 1)
    spec = tmp_path / "rare.yaml"
    spec.write_text(text, encoding="utf-8")
    return spec


def test_rare_characters_warn_and_build(tmp_path: Path) -> None:
    spec = _rare_brief(tmp_path)
    out = tmp_path / "out"
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build", str(spec), "-o", str(out),
                           "--allow-root", str(REPO)], capture_output=True, text=True,
                          env=_env(tmp_path / "cache"), cwd=REPO, timeout=300)
    assert proc.returncode == 0, proc.stderr
    line = next(n for n, ln in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1) if RARE in ln)
    for ch in (*RARE, EMOJI):
        want = f"{spec}:{line}: U+{ord(ch):04X} {ch} not in any PDF font; drawn as 〓"
        assert want in proc.stderr, proc.stderr
    docx = Document(str(out / "rare.docx"))
    body = "\n".join(p.text for p in docx.paragraphs)
    assert f"张{RARE}同志" in body and EMOJI in body  # the DOCX keeps the real characters
    if shutil.which("pdftotext"):
        pdf_text = subprocess.run(["pdftotext", str(out / "rare.pdf"), "-"], capture_output=True,
                                  text=True, check=True).stdout.replace("\n", "")
        assert "联系人张〓〓同志，点赞〓。" in pdf_text, pdf_text


def test_rare_characters_fail_with_strict(tmp_path: Path) -> None:
    spec = _rare_brief(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "briefgen", "build", str(spec), "-o", str(tmp_path / "out"),
                           "--allow-root", str(REPO), "--strict"], capture_output=True, text=True,
                          env=_env(tmp_path / "cache"), cwd=REPO, timeout=300)
    assert proc.returncode == 3, proc.stderr
    assert "U+2A6A5" in proc.stderr and "Traceback" not in proc.stderr
    assert not (tmp_path / "out" / "rare.pdf").exists()
