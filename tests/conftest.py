"""Shared test fixtures: paths to the repo and the small hand-written fixtures (tests/fixtures)."""

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


@pytest.fixture(autouse=True)
def _briefgen_env_restored() -> Iterator[None]:
    """``briefgen.cli.main`` passes the run's policy to worker processes through ``BRIEFGEN_POLICY``
    (and ``--debug`` through ``BRIEFGEN_DEBUG``): a test calling ``main()`` in-process must not
    leave its limits to the tests after it."""
    before = {k: v for k, v in os.environ.items() if k.startswith("BRIEFGEN_")}
    yield
    for k in [k for k in os.environ if k.startswith("BRIEFGEN_") and k not in before]:
        del os.environ[k]
    os.environ.update(before)


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


# Session fixtures that build whole documents or prepare fonts: a test using one is slow, wherever
# it lives (typography: every example and a stress brief per theme; fonts: the pip-only font path).
SLOW_FIXTURES = {
    "examples": "tests/typography/conftest.py: builds every bundled example",
    "stress": "tests/typography/conftest.py: builds a stress brief per theme",
    "everything": "tests/typography/conftest.py: examples + stress",
    "pip_only": "tests/fonts/conftest.py: converts and registers the pip-only fonts",
}


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if SLOW_FIXTURES.keys() & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.slow)


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


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Tests read English messages whatever the machine's locale (tests of the language choice
    change BRIEFGEN_LANG/LANG themselves); the language chosen in-process is forgotten afterwards."""
    from briefgen import i18n

    monkeypatch.setenv("BRIEFGEN_LANG", "en")
    i18n.set_language(None, export=False)
    yield
    i18n.set_language(None, export=False)
