"""Shared test fixtures: paths to the repo, the bundled examples and the optional shared seed."""

from __future__ import annotations

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
