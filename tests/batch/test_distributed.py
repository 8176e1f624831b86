"""Scale-out on a real local Dask cluster (separate worker processes on 127.0.0.1 only)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from batchkit import EXAMPLES, digests, make_project, run, variants

distributed = pytest.importorskip("distributed")

from briefgen.batch.cluster import payload_for, remote_render  # noqa: E402
from briefgen.batch.jobs import Job, plan_job  # noqa: E402

pytestmark = pytest.mark.slow  # builds briefs in subprocesses: not in the fast tier


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, silence_logs=50) as c:
        yield c


def test_cluster_build_is_byte_identical_to_a_local_build(cluster: Any, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    variants(project, 6, folder="v")
    local = run("build", "briefs", "v", "-o", "local", "-j", "1", cwd=project)
    assert local.returncode == 0, local.stderr
    r = run("build", "briefs", "v", "-o", "remote", "--scheduler", cluster.scheduler_address, "--json",
            cwd=project)
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout)
    n = len(EXAMPLES) + 6
    assert summary["built"] == n
    d_local, d_remote = digests(project / "local"), digests(project / "remote")
    assert len(d_local) == 2 * n and d_local == d_remote
    manifest = json.loads((project / "remote" / "briefgen-manifest.json").read_text(encoding="utf-8"))
    entry = manifest["briefs"][str((project / "v" / "v000.yaml").resolve())]
    assert entry["worker_tool"] == entry["tool"]
    assert any(rec["kind"] == "font" for rec in entry["inputs"].values())
    # the client's manifest makes the next run (local or remote) skip everything
    r = run("build", "briefs", "v", "-o", "remote", "--scheduler", cluster.scheduler_address, "--json",
            cwd=project)
    assert json.loads(r.stdout)["skipped"] == n


def test_a_worker_killed_mid_batch_loses_no_brief(cluster: Any, tmp_path: Path) -> None:
    project = make_project(tmp_path)
    variants(project, 40, folder="v")
    local = run("build", "v", "-o", "local", "-j", "2", cwd=project)
    assert local.returncode == 0, local.stderr
    with distributed.Client(cluster.scheduler_address, set_as_default=False) as client:
        pids = list(client.run(os.getpid).values())
    proc = subprocess.Popen(
        [sys.executable, "-m", "briefgen", "build", "v", "-o", "remote", "--scheduler",
         cluster.scheduler_address, "--json"],
        cwd=project, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    remote = project / "remote"
    end = time.monotonic() + 120
    while time.monotonic() < end and len(digests(remote) if remote.is_dir() else {}) < 4:
        time.sleep(0.05)
    assert proc.poll() is None, "the batch finished before a worker could be killed"
    os.kill(pids[0], signal.SIGKILL)
    out, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err[-3000:]
    summary = json.loads(out)
    assert summary["built"] == 40 and summary["failed"] == 0
    assert digests(remote) == digests(project / "local")


def test_payload_ships_inputs_as_bytes_and_maps_absolute_paths(tmp_path: Path) -> None:
    """The task needs no shared disk, also when the spec names its pack by absolute path."""
    project = make_project(tmp_path / "p")
    spec = project / "briefs" / "abs.yaml"
    text = (project / "briefs" / "wujiang-pillars-jianbao.yaml").read_text(encoding="utf-8")
    spec.write_text(text.replace("../sources/", f"{project}/sources/"), encoding="utf-8")
    plan = plan_job(Job(0, str(spec), str(project / "out"), ["docx"], []))
    assert plan.ok, plan.problems
    payload, shipped = payload_for(plan)
    assert set(payload["files"]) == {"briefs/abs.yaml", "sources/wujiang-2022-09-23.yaml",
                                     "templates/lesson.xml.j2", "templates/pillar.xml.j2"}
    assert all(r["sha256"] for r in shipped.values())
    # move the project away: the worker must rely on the shipped bytes only
    project.rename(tmp_path / "gone")
    res = remote_render(payload)
    assert not res["problems"], res["problems"]
    assert res["data"]["docx"][:2] == b"PK"
    # and errors name the client's paths, not the worker's temp folder
    payload["files"]["briefs/abs.yaml"] = payload["files"]["briefs/abs.yaml"].replace(
        b"section: pillars.*", b"section: pillars.zz")
    res = remote_render(payload)
    assert res["exit_code"] == 3
    assert res["problems"][0].startswith(f"{project}/briefs/abs.yaml:"), res["problems"]
