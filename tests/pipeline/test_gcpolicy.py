"""Unit tests of pipeline.gcpolicy: a raised generation-0 threshold inside, the caller's restored after."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from briefgen.pipeline.gcpolicy import GEN0_THRESHOLD, relaxed_gc


@pytest.fixture(autouse=True)
def _keep_threshold() -> Iterator[None]:
    old = gc.get_threshold()
    gc.set_threshold(700, *old[1:])
    yield
    gc.set_threshold(*old)


def test_threshold_is_raised_inside_and_restored_after_errors() -> None:
    before = gc.get_threshold()
    with pytest.raises(RuntimeError), relaxed_gc():
        assert gc.get_threshold()[0] == GEN0_THRESHOLD
        assert gc.get_threshold()[1:] == before[1:]
        raise RuntimeError
    assert gc.get_threshold() == before


def test_nested_and_decorator_use_leave_a_higher_setting_alone() -> None:
    @relaxed_gc()
    def inner() -> int:
        return gc.get_threshold()[0]

    with relaxed_gc():
        assert inner() == GEN0_THRESHOLD
        assert gc.get_threshold()[0] == GEN0_THRESHOLD  # the inner exit did not restore 700
    assert gc.get_threshold()[0] == 700
    gc.set_threshold(GEN0_THRESHOLD * 2)
    assert inner() == GEN0_THRESHOLD * 2
