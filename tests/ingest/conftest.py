"""Ingest tests call the CLI (``check --strict``), which sets the process's limits policy in the
environment; each test gets the policy it started with back, so later tests are not run strict."""

from __future__ import annotations

import pytest

from briefgen.inputs.limits import ENV_VAR


@pytest.fixture(autouse=True)
def _restore_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
