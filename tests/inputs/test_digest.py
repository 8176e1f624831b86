"""Unit tests of inputs.digest: SHA-256 of bytes and files, remembered per file version."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest

from briefgen.inputs import digest


def test_sha256_bytes() -> None:
    assert digest.sha256_bytes(b"abc") == hashlib.sha256(b"abc").hexdigest()


def test_sha256_file_follows_edits(tmp_path: Path) -> None:
    f = tmp_path / "x.bin"
    f.write_bytes(b"one")
    assert digest.sha256_file(f) == hashlib.sha256(b"one").hexdigest()
    f.write_bytes(b"two")
    assert digest.sha256_file(f) == hashlib.sha256(b"two").hexdigest()


def test_big_files_are_remembered_across_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(digest, "_PERSISTED", None)
    monkeypatch.setattr(digest, "PERSIST_MIN_BYTES", 4)
    f = tmp_path / "big.bin"
    f.write_bytes(b"0123456789")
    want = hashlib.sha256(b"0123456789").hexdigest()
    assert digest.sha256_file(f) == want
    saved = json.loads((tmp_path / "cache" / "hashes.json").read_text(encoding="utf-8"))
    assert saved["v"] == 1
    assert want in saved["files"].values()
    small = tmp_path / "small.bin"
    small.write_bytes(b"ab")
    digest.sha256_file(small)
    saved = json.loads((tmp_path / "cache" / "hashes.json").read_text(encoding="utf-8"))
    assert hashlib.sha256(b"ab").hexdigest() not in saved["files"].values()
