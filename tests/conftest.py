"""Shared test fixtures: paths to the repo, the bundled examples and the optional shared seed."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"
SEED = REPO.parent / "shared" / "seed" / "wujiang-2022-09-23.txt"


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


@pytest.fixture
def seed_text() -> str:
    if not SEED.is_file():
        pytest.skip("shared seed article not present")
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def postgres() -> Iterator[dict[str, str]]:
    """A PostgreSQL server with table ``monthly`` (the example's numbers): ``{"url", "password"}``.

    ``.ci/run`` starts one and exports ``BRIEFGEN_TEST_PG_URL``/``BRIEFGEN_TEST_PG_PASSWORD``;
    otherwise a throwaway server is started here with ``.ci/postgres`` (Debian postgresql binaries).
    Tests using it skip, with the reason, when no server can start.
    """
    url = os.environ.get("BRIEFGEN_TEST_PG_URL")
    if url:
        yield {"url": url, "password": os.environ.get("BRIEFGEN_TEST_PG_PASSWORD", "")}
        return
    # directly under /tmp: the server runs as the postgres user, who cannot enter pytest's 0700 folders
    folder = Path(tempfile.mkdtemp(prefix="briefgen-pg-"))
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {**os.environ, "BRIEFGEN_PG_PORT": str(port)}
    try:
        r = subprocess.run([str(REPO / ".ci" / "postgres"), "start", str(folder)], capture_output=True,
                           text=True, timeout=120, env=env)
    except (OSError, subprocess.TimeoutExpired) as e:
        pytest.skip(f"no PostgreSQL server could start: {e}")
    if r.returncode != 0:
        pytest.skip(f"no PostgreSQL server could start: {(r.stderr or r.stdout).strip()[-300:]}")
    values = dict(re.findall(r"^export (\w+)=(.*)$", (folder / "env").read_text(), re.M))
    try:
        yield {"url": values["BRIEFGEN_TEST_PG_URL"], "password": values["BRIEFGEN_TEST_PG_PASSWORD"]}
    finally:
        subprocess.run([str(REPO / ".ci" / "postgres"), "stop", str(folder)], capture_output=True, timeout=60)
        shutil.rmtree(folder, ignore_errors=True)
