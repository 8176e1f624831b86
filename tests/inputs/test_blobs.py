"""Checksummed cache files: what is written reads back; torn, foreign or missing files read as None."""

from __future__ import annotations

from pathlib import Path

from briefgen.inputs.blobs import MAGIC, read_blob, write_blob


def test_round_trip_and_damage(tmp_path: Path) -> None:
    entry = tmp_path / "deep" / "x.bin"
    write_blob(entry, b"payload")
    assert read_blob(entry) == b"payload"
    entry.write_bytes(entry.read_bytes()[:-1])  # torn
    assert read_blob(entry) is None
    entry.write_bytes(b"XXXX" + entry.read_bytes()[4:])  # not ours
    assert read_blob(entry) is None
    assert read_blob(tmp_path / "missing") is None
    assert MAGIC == b"BGFC"  # existing font cache entries stay valid


def test_an_unwritable_folder_means_no_entry(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    write_blob(blocker / "sub" / "x.bin", b"payload")  # no exception
    assert read_blob(blocker / "sub" / "x.bin") is None
