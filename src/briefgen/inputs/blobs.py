"""Turn cache payloads into checksummed files on disk (magic, CRC-32, atomic replace) and back.

Every cross-process cache that stores bytes (parsed fonts, converted glyphs, database query
results) writes through here: a torn, truncated or foreign file reads back as ``None`` and is
simply rebuilt, and a cache folder that cannot be written only means no cache.
"""

from __future__ import annotations

import contextlib
import zlib
from pathlib import Path

from briefgen.atomic import replace_file

MAGIC = b"BGFC"


def write_blob(dest: Path, payload: bytes) -> None:
    """Write ``magic + crc32 + payload`` atomically; any OS error just means no cache entry."""
    blob = MAGIC + zlib.crc32(payload).to_bytes(4, "big") + payload
    # no fsync: a cache entry lost in a crash is only rebuilt; the CRC rejects torn ones
    with contextlib.suppress(OSError):
        replace_file(dest, lambda fh: fh.write(blob), fsync=False)


def read_blob(src: Path) -> bytes | None:
    """A cache entry's payload, or ``None`` when it is missing, torn or not ours."""
    try:
        blob = src.read_bytes()
    except OSError:
        return None
    if len(blob) < 8 or blob[:4] != MAGIC:
        return None
    payload = blob[8:]
    if zlib.crc32(payload).to_bytes(4, "big") != blob[4:8]:
        return None
    return payload
