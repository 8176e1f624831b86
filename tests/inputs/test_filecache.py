"""Unit tests of inputs.filecache: stat keys that change with every write, the bounded cache, cache_dir."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from briefgen.inputs import filecache
from briefgen.inputs.filecache import FileCache, cache_dir, stat_key


def test_stat_key_changes_when_the_file_is_rewritten(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("one", encoding="utf-8")
    k1 = stat_key(f)
    assert k1[0] == str(f) and k1[1] == 3
    st = f.stat()
    f.write_text("two", encoding="utf-8")  # same size
    os.utime(f, ns=(st.st_atime_ns, st.st_mtime_ns))  # and the same mtime: ctime still moves
    assert stat_key(f) != k1
    with pytest.raises(OSError):
        stat_key(tmp_path / "missing")


def test_get_computes_once_per_file_version_and_extra(tmp_path: Path) -> None:
    f = tmp_path / "a.txt"
    f.write_text("x", encoding="utf-8")
    calls: list[Path] = []
    cache: FileCache[str] = FileCache()

    def compute(p: Path) -> str:
        calls.append(p)
        return p.read_text(encoding="utf-8")

    assert cache.get(f, compute) == "x"
    assert cache.get(str(f), compute) == "x"
    assert len(calls) == 1
    assert cache.get(f, compute, extra="other") == "x"
    assert len(calls) == 2
    f.write_text("yy", encoding="utf-8")
    assert cache.get(f, compute) == "yy"
    assert len(calls) == 3
    cache.clear()
    cache.get(f, compute)
    assert len(calls) == 4


def test_put_and_limit(tmp_path: Path) -> None:
    files = []
    for i in range(3):
        f = tmp_path / f"{i}.txt"
        f.write_text(str(i), encoding="utf-8")
        files.append(f)
    cache: FileCache[int] = FileCache(limit=2)
    cache.put(files[0], 10)
    assert cache.get(files[0], lambda p: -1) == 10
    cache.put(files[1], 11)
    cache.put(files[2], 12)  # over the limit: the cache starts afresh
    assert cache.get(files[0], lambda p: -1) == -1
    assert cache.get(files[2], lambda p: -1) == 12


def test_cache_dir_from_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "c"))
    assert cache_dir() == tmp_path / "c"
    monkeypatch.delenv("BRIEFGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    monkeypatch.setattr(filecache.sys, "platform", "linux")
    assert cache_dir() == tmp_path / "xdg" / "briefgen"
    monkeypatch.setattr(filecache.sys, "platform", "win32")
    monkeypatch.setenv("LOCALAPPDATA", str(tmp_path / "local"))
    assert cache_dir() == tmp_path / "local" / "briefgen" / "cache"
