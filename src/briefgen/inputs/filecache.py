"""Turn a file's identity (path, size, mtime, inode, ctime) into a cache key, and values computed from
files into per-process caches under that key; also the per-user cache folder on disk.

Every cache that remembers what a file said goes through :class:`FileCache`: an edited,
replaced or touched file gets a new key (any write changes ctime), so a stale value cannot match.
"""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Generic, TypeVar

V = TypeVar("V")
StatKey = tuple[str, int, int, int, int]


def cache_dir() -> Path:
    """Per-user cache directory: ``$BRIEFGEN_CACHE_DIR``, else the platform's user cache dir + ``briefgen``."""
    env = os.environ.get("BRIEFGEN_CACHE_DIR", "").strip()
    if env:
        return Path(env).expanduser()
    if sys.platform == "win32":
        base = os.environ.get("LOCALAPPDATA", "").strip()
        if base:
            return Path(base) / "briefgen" / "cache"
        return Path.home() / "AppData" / "Local" / "briefgen" / "cache"
    if sys.platform == "darwin":
        xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
        return Path(xdg) / "briefgen" if xdg else Path.home() / "Library" / "Caches" / "briefgen"
    xdg = os.environ.get("XDG_CACHE_HOME", "").strip()
    return (Path(xdg) if xdg else Path.home() / ".cache") / "briefgen"


def stat_key(path: Path | str) -> StatKey:
    """``(path, size, mtime_ns, inode, ctime_ns)``; raises ``OSError`` when the file is gone."""
    st = os.stat(path)
    return (str(path), st.st_size, st.st_mtime_ns, st.st_ino, st.st_ctime_ns)


class FileCache(Generic[V]):
    """A thread-safe, bounded per-process map from (file identity, extra key) to a computed value."""

    def __init__(self, limit: int = 1024) -> None:
        self._values: dict[tuple[StatKey, Hashable], V] = {}
        self._lock = threading.Lock()
        self._limit = limit

    def get(self, path: Path | str, compute: Callable[[Path], V], extra: Hashable = ()) -> V:
        """The value for this version of ``path`` (and ``extra``), computing it on a miss.

        ``OSError`` from ``stat`` propagates: a missing file has no cached value.
        """
        key = (stat_key(path), extra)
        with self._lock:
            if key in self._values:
                return self._values[key]
        value = compute(Path(path))
        with self._lock:
            if len(self._values) >= self._limit:
                self._values.clear()
            self._values[key] = value
        return value

    def put(self, path: Path | str, value: V, extra: Hashable = ()) -> None:
        """Remember ``value`` for this version of ``path``."""
        key = (stat_key(path), extra)
        with self._lock:
            if len(self._values) >= self._limit:
                self._values.clear()
            self._values[key] = value

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
