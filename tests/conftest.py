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


@pytest.fixture(autouse=True)
def english_messages(monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    """Tests read English messages whatever the machine's locale (tests of the language choice
    change BRIEFGEN_LANG/LANG themselves); the language chosen in-process is forgotten afterwards."""
    from briefgen import i18n

    monkeypatch.setenv("BRIEFGEN_LANG", "en")
    i18n.set_language(None, export=False)
    yield
    i18n.set_language(None, export=False)
