"""Batch builds: hundreds of briefs in parallel, incremental skips, one failure alone, collisions, logs."""

from __future__ import annotations

import hashlib
import json
import os
import re
import time
from datetime import date
from pathlib import Path

import pytest
from batchkit import (
    EXAMPLES,
    crash_on_three,
    digests,
    make_project,
    run,
    run_json,
    uses_pack_b,
    valid_docx,
    variants,
)

from briefgen.batch.manifest import MANIFEST_NAME
from briefgen.batch.runner import PoolRunner, find_collisions
from briefgen.model.periods import parse_period

pytestmark = pytest.mark.slow  # builds briefs in subprocesses: not in the fast tier

N = int(os.environ.get("BRIEFGEN_BATCH_N", "300"))


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path], Path, dict]:
    """~300 variant briefs built once as DOCX with -j 2 (the run the other tests look at)."""
    project = make_project(tmp_path_factory.mktemp("proj"))
    specs = variants(project, N)
    out = project / "out"
    t0 = time.monotonic()
    r, summary = run_json("build", "many", "-o", "out", "-f", "docx", "-j", "2", cwd=project)
    summary["wall"] = time.monotonic() - t0
    assert r.returncode == 0, r.stderr[-3000:]
    return project, specs, out, summary


def test_batch_builds_every_brief_with_a_correct_manifest(big: tuple[Path, list[Path], Path, dict]) -> None:
    project, specs, out, summary = big
    assert summary["built"] == N and summary["failed"] == 0 and summary["skipped"] == 0
    assert summary["jobs"] == 2
    files = digests(out)
    assert len(files) == N
    manifest = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert manifest["manifest"] == 1 and manifest["tool"]["briefgen"]
    assert len(manifest["briefs"]) == N
    for spec in specs:
        entry = manifest["briefs"][str(spec.resolve())]
        assert entry["formats"] == ["docx"]
        kinds = {r["kind"] for r in entry["inputs"].values()}
        assert {"spec", "source", "template", "theme", "font"} <= kinds
        assert entry["inputs"][str(spec.resolve())]["sha256"] == hashlib.sha256(spec.read_bytes()).hexdigest()
        pack = project / "sources" / ("pack-b.yaml" if uses_pack_b(spec) else "wujiang-2022-09-23.yaml")
        assert entry["inputs"][str(pack.resolve())]["kind"] == "source"
        if "../templates" in spec.read_text(encoding="utf-8"):
            assert str((project / "templates" / "pillar.xml.j2").resolve()) in entry["inputs"]
        rec = entry["outputs"]["docx"]
        assert files[rec["path"]] == rec["sha256"]
        assert rec["size"] == (out / rec["path"]).stat().st_size
        assert entry["tool"]["briefgen"] and entry["seconds"] > 0 and isinstance(entry["warnings"], list)
        assert entry["context"]["timestamp"].startswith("2022-")  # the examples' own dates
    assert all(valid_docx(out / p) for p in list(files)[:: max(1, N // 10)])


def test_second_run_skips_all_and_a_changed_pack_rebuilds_exactly_its_briefs(
    big: tuple[Path, list[Path], Path, dict],
) -> None:
    project, specs, out, _ = big
    before = digests(out)
    r, summary = run_json("build", "many", "-o", "out", "-f", "docx", "-j", "2", cwd=project)
    assert r.returncode == 0, r.stderr[-2000:]
    assert summary["skipped"] == N and summary["built"] == 0, summary
    assert digests(out) == before

    # a content change (not just a touch: inputs are compared by SHA-256) to pack-b
    pack_b = project / "sources" / "pack-b.yaml"
    pack_b.write_text(pack_b.read_text(encoding="utf-8") + "\n# reviewed\n", encoding="utf-8")
    r, summary = run_json("build", "many", "-o", "out", "-f", "docx", "-j", "2", cwd=project)
    assert r.returncode == 0, r.stderr[-2000:]
    built = {Path(b["spec"]).name for b in summary["briefs"] if b["status"] == "built"}
    expected = {s.name for s in specs if uses_pack_b(s)}
    assert built == expected
    assert all(b["reason"].startswith("input changed") for b in summary["briefs"] if b["status"] == "built")
    assert summary["skipped"] == N - len(expected)
    # the comment changes no output byte
    assert digests(out) == before

    # --force rebuilds even when nothing changed; a damaged output is rebuilt without --force
    victim = out / summary["briefs"][0]["outputs"]["docx"]["path"]
    victim.write_bytes(b"not a docx")
    r, summary = run_json("build", "many/v000.yaml", "-o", "out", "-f", "docx", cwd=project)
    assert summary["built"] == 1 and "output missing or modified" in summary["briefs"][0]["reason"]
    assert digests(out) == before
    r, summary = run_json("build", "many/v001.yaml", "-o", "out", "-f", "docx", "--force", cwd=project)
    assert summary["built"] == 1 and summary["briefs"][0]["reason"] == "forced (--force)"
    # asking for other formats than recorded is not "up to date"
    r, summary = run_json("build", "many/v002.yaml", "-o", "out", "-f", "docx,pdf", cwd=project)
    assert summary["built"] == 1 and "formats" in summary["briefs"][0]["reason"]


def test_a_broken_brief_fails_alone(big: tuple[Path, list[Path], Path, dict]) -> None:
    project, specs, out, _ = big
    folder = project / "mixed"
    folder.mkdir()
    good = variants(project, 6, folder="mixed", second_pack_every=0)
    broken = folder / "v003.yaml"
    broken.write_text(broken.read_text(encoding="utf-8").replace("section: ", "section: nosuch.", 1),
                      encoding="utf-8")
    unreadable = folder / "v004.yaml"
    unreadable.write_text("title: [unclosed\n", encoding="utf-8")
    r, summary = run_json("build", "mixed", "-o", "out-mixed", "-f", "docx", "-j", "2", cwd=project)
    assert r.returncode == 3
    status = {Path(b["spec"]).name: b for b in summary["briefs"]}
    assert status["v003.yaml"]["status"] == "failed" and status["v003.yaml"]["exit_code"] == 3
    assert "nosuch" in status["v003.yaml"]["errors"][0]
    assert status["v004.yaml"]["status"] == "failed"
    ok = [s.name for s in good if s.name not in ("v003.yaml", "v004.yaml")]
    assert all(status[n]["status"] == "built" for n in ok)
    assert len(digests(project / "out-mixed")) == len(ok)
    # input problems keep their canonical one-line form even in cron logs: file:line:col: …
    lines = [ln for ln in r.stderr.splitlines() if "v003.yaml" in ln or "v004.yaml" in ln]
    assert lines and all(re.match(r"^\S+\.yaml:\d+(:\d+)?: ", ln) for ln in lines), lines
    assert "Traceback" not in r.stderr


def test_worst_exit_code_and_plain_summary_line(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    (project / "briefs" / "zz-missing-pack.yaml").write_text(
        "title: t\nsources: {a: ../sources/none.yaml}\nblocks: [{text: x}]\n", encoding="utf-8")
    r = run("build", "briefs", "-o", "out", "-f", "docx", "-j", "1", cwd=project)
    assert r.returncode == 3, r.stderr
    (summary,) = r.stdout.strip().splitlines()
    n = len(EXAMPLES)
    assert re.match(rf"^\S+ ERROR briefgen build: {n} built, 0 skipped, 1 failed in [\d.]+ s → out \[E-BUILD-FAILED\]$", summary)
    # quiet: no summary, warnings and errors still on stderr
    r = run("build", "briefs", "-o", "out", "-f", "docx", "-q", cwd=project)
    assert r.returncode == 3 and r.stdout == "" and "none.yaml" in r.stderr


def test_output_collisions_stop_the_run_before_rendering(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    a, b = variants(project, 2, folder="c", second_pack_every=0)
    a.write_text(re.sub(r"slug: .*", "slug: Report", a.read_text(encoding="utf-8")), encoding="utf-8")
    b.write_text(re.sub(r"slug: .*", "slug: report", b.read_text(encoding="utf-8")), encoding="utf-8")
    r = run("build", "c", "-o", "out", "-f", "docx", cwd=project)
    assert r.returncode == 3
    assert "c/v000.yaml" in r.stderr and "c/v001.yaml" in r.stderr and "differ only in case" in r.stderr
    assert not digests(project / "out")
    # same name exactly, via the output pattern
    r = run("build", "c", "-o", "out", "-f", "docx", "--set", "output=report.{ext}", cwd=project)
    assert r.returncode == 3 and "report.docx" in r.stderr
    r = run("check", "c", "--set", "output=report.{ext}", cwd=project)
    assert r.returncode == 3 and "also written by" in r.stderr


def test_find_collisions_is_case_and_normalisation_blind() -> None:
    claims = [("a.yaml", {"pdf": "/o/Report.pdf"}), ("b.yaml", {"pdf": "/o/report.pdf"}),
              ("c.yaml", {"pdf": "/o/other.pdf"}), ("d.yaml", {"pdf": "/o/caf\u00e9.pdf"}),
              ("e.yaml", {"pdf": "/o/cafe\u0301.pdf"})]
    found = find_collisions(claims)
    assert len(found) == 2
    assert "b.yaml" in found[0] and "a.yaml" in found[0]
    assert "e.yaml" in found[1] and "d.yaml" in found[1]


def test_jobs_one_and_two_give_identical_bytes(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    variants(project, 8, folder="v8")
    assert run("build", "v8", "-o", "o1", "-j", "1", cwd=project).returncode == 0
    assert run("build", "v8", "-o", "o2", "-j", "2", cwd=project).returncode == 0
    d1, d2 = digests(project / "o1"), digests(project / "o2")
    assert len(d1) == 16 and d1 == d2


def test_a_crashing_worker_costs_only_its_own_item() -> None:
    runner = PoolRunner(2)
    try:
        results = dict(runner.map(crash_on_three, range(8), lambda item, msg: -1))
    finally:
        runner.close()
    assert results == {0: 0, 1: 10, 2: 20, 3: -1, 4: 40, 5: 50, 6: 60, 7: 70}


def test_period_option_and_period_in_output_pattern(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    r, summary = run_json("build", "briefs/wujiang-pillars-jianbao.yaml", "-o", "out", "-f", "docx",
                          "--set", "output={period}/{slug}.{ext}", "--period", "2025-03", cwd=project)
    assert r.returncode == 0, r.stderr
    assert (project / "out" / "2025-03" / "wujiang-pillars-jianbao.docx").is_file()
    r, summary = run_json("build", "briefs/wujiang-pillars-jianbao.yaml", "-o", "out", "-f", "docx",
                          "--set", "output={period}/{slug}.{ext}", "--period", "last-month", cwd=project)
    assert r.returncode == 0, r.stderr
    last = str(parse_period("last-month", date.today()))
    assert summary["briefs"][0]["outputs"]["docx"]["path"] == f"{last}/wujiang-pillars-jianbao.docx"
    manifest = json.loads((project / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    periods = sorted(e["context"]["period"] for e in manifest["briefs"].values())
    assert periods == sorted(["2025-03", last])  # one entry per period: both outputs are known
    r = run("build", "briefs", "-o", "out", "--period", "next-week", cwd=project)
    assert r.returncode == 2 and "next-week" in r.stderr


def test_progress_bar_on_a_terminal(tmp_path: Path) -> None:
    pty = pytest.importorskip("pty")
    import subprocess
    import sys

    project = make_project(tmp_path)
    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "briefgen", "build", "briefs", "-o", "out", "-f", "docx",
                             "-j", "1"], cwd=project, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=slave, env={**os.environ, "TERM": "xterm"})
    os.close(slave)
    chunks = []
    while True:
        try:
            data = os.read(master, 4096)
        except OSError:
            break
        if not data:
            break
        chunks.append(data)
    stdout, _ = proc.communicate(timeout=120)
    os.close(master)
    tty = b"".join(chunks).decode("utf-8", "replace")
    assert proc.returncode == 0
    n = len(EXAMPLES)
    assert "█" in tty and f"{n}/{n}" in tty and "\r" in tty
    # on a terminal the summary line is plain (no timestamp)
    assert stdout.decode().startswith(f"briefgen build: {n} built")
