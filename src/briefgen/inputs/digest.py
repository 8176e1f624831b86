"""Turn files and bytes into SHA-256 digests, remembered per file version (and across processes for big files)."""

from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path

from briefgen.atomic import write_text_atomic
from briefgen.inputs.filecache import FileCache, cache_dir, stat_key

PERSIST_MIN_BYTES = 1 << 20  # fonts: 5-30 MB, ~0.1 s to hash per cold build
_HASHES: FileCache[str] = FileCache(limit=8192)
_LOCK = threading.Lock()
_PERSISTED: dict[str, str] | None = None


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """SHA-256 of a file's bytes, cached per process by the file's identity (:func:`stat_key`).

    Files of ``PERSIST_MIN_BYTES`` or more are also remembered across processes in the user cache
    (``hashes.json``) under the same key: any write to the file changes its ctime, so a stale entry
    cannot match.
    """
    return _HASHES.get(path, _digest)


def _digest(path: Path) -> str:
    key = "|".join(map(str, stat_key(path)))
    big = path.stat().st_size >= PERSIST_MIN_BYTES
    if big:
        known = _persisted().get(key)
        if known is not None:
            return known
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            h.update(chunk)
    digest = h.hexdigest()
    if big:
        _persist(key, digest)
    return digest


def _persist_file() -> Path:
    return cache_dir() / "hashes.json"


def _persisted() -> dict[str, str]:
    global _PERSISTED
    with _LOCK:
        if _PERSISTED is None:
            try:
                data = json.loads(_persist_file().read_text(encoding="utf-8"))
                files = data.get("files") if isinstance(data, dict) and data.get("v") == 1 else None
                _PERSISTED = {k: v for k, v in (files or {}).items() if isinstance(v, str)}
            except (OSError, ValueError):
                _PERSISTED = {}
        return _PERSISTED


def _persist(key: str, digest: str) -> None:
    """Add one hash to ``hashes.json`` (best effort; concurrent writers may drop an entry)."""
    known = _persisted()
    with _LOCK:
        known[key] = digest
        try:
            dest = _persist_file()
            try:
                on_disk = json.loads(dest.read_text(encoding="utf-8")).get("files") or {}
            except (OSError, ValueError, AttributeError):
                on_disk = {}
            merged = {**{k: v for k, v in on_disk.items() if isinstance(v, str)}, **known}
            merged = dict(list(merged.items())[-4096:])
            write_text_atomic(dest, json.dumps({"v": 1, "files": merged}, indent=0))
        except OSError:
            pass
