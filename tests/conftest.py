"""Shared test fixtures: paths to the repo and the small hand-written fixtures (tests/fixtures)."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "tests" / "fixtures"


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
