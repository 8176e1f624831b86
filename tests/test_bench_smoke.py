"""Keep the benchmark from rotting: ``bench/run.py --smoke`` runs end to end (it times nothing here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow  # runs bench/run.py --smoke (many builds): not in the fast tier

ROOT = Path(__file__).resolve().parent.parent


def test_bench_smoke_runs_and_writes_json(tmp_path: Path) -> None:
    out = tmp_path / "latest.json"
    proc = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--smoke", "--out", str(out)],
        capture_output=True, text=True, timeout=600, cwd=ROOT,
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["mode"] == "smoke"
    assert res["machine"]["nproc"] >= 1 and res["machine"]["python"]
    for part in ("cold", "imports", "warm", "batch", "scaling", "tables", "targets"):
        assert part in res, part
    (name, cold), = res["cold"].items()
    assert cold["docx,pdf"]["median_s"] > 0 and cold["docx,pdf"]["peak_rss_mb"] > 0
    assert set(res["warm"][name]) == {"docx", "pdf", "docx+pdf"}
    assert res["batch"]["j1"]["briefs_per_s"] > 0 and res["batch"]["j2"]["briefs_per_s"] > 0
    assert res["imports"]["pdf"]["docx"] is False  # a PDF-only build never imports python-docx
    assert res["imports"]["docx"]["reportlab"] is False  # nor a DOCX-only build ReportLab
    assert res["scaling"]["1x"]["pages"] >= 2
    assert res["tables"]["50"]["pages"] >= 1
    assert "peers" not in res and "fresh" not in res  # the smoke run skips both
    assert "2 workers ≥ 1.8" in proc.stdout and "results:" in proc.stdout
