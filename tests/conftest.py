"""Shared test fixtures: paths to the repo and the small hand-written fixtures (tests/fixtures)."""

from __future__ import annotations

import os
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
