"""Turn an SQLite query (URL, query text, bound values) into the rows it returned last time, while the database is unchanged.

A build that reads an SQLite file otherwise imports SQLAlchemy and opens the database on every
run (≈0.35 s of a 1.2 s cold build). The rows are kept under ``<cache>/sql`` keyed by the URL,
the pack's folder, the query, its values and the row limit, and are valid only while the database
file and its ``-wal``/``-journal`` companions have the identity they had (path, size, mtime,
inode, ctime: any write changes it). Queries whose answer depends on the clock or on chance
(``now``, ``current_date``, ``random()`` …) are never cached, nor is PostgreSQL.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefgen.inputs import confine
from briefgen.inputs.blobs import read_blob, write_blob
from briefgen.inputs.filecache import cache_dir, stat_key

FORMAT = 1
COMPANIONS = ("", "-wal", "-journal")
# the answer may change while the file does not
_VOLATILE = re.compile(r"\b(now|current_date|current_time|current_timestamp|localtime|random|randomblob|"
                       r"changes|total_changes|last_insert_rowid|julianday|unixepoch)\b", re.IGNORECASE)

Hit = tuple[str, str, list[str], list[Any]]  # database file, shown name, column names, rows


def cacheable(raw_url: str, query: str) -> bool:
    return raw_url.lower().startswith("sqlite:") and not _VOLATILE.search(query)


def _entry(raw_url: str, query: str, params: Mapping[str, object], base: Path, rows: int) -> Path:
    values = sorted((str(k), repr(v)) for k, v in params.items())
    ident = json.dumps([FORMAT, raw_url, str(base), query, values, rows], ensure_ascii=False)
    return cache_dir() / "sql" / f"{hashlib.sha256(ident.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}.rows"


def _identity(db_file: str) -> list[Any]:
    out: list[Any] = []
    for suffix in COMPANIONS:
        try:
            out.append(list(stat_key(db_file + suffix)))
        except OSError:
            out.append(None)
    return out


def lookup(raw_url: str, query: str, params: Mapping[str, object], base: Path, rows: int) -> Hit | None:
    """The cached answer, or ``None`` (not cached, database changed, or now outside the brief's roots)."""
    if not cacheable(raw_url, query):
        return None
    payload = read_blob(_entry(raw_url, query, params, base, rows))
    if payload is None:
        return None
    try:
        fmt, db_file, shown, keys, got, ident = json.loads(payload)
    except (ValueError, TypeError):
        return None
    if fmt != FORMAT or ident != _identity(db_file):
        return None
    roots = confine.active()
    if roots is not None and confine.refusal(Path(db_file), roots):
        return None  # let the query path give the located refusal
    return db_file, shown, list(keys), [tuple(r) for r in got]


def store(raw_url: str, query: str, params: Mapping[str, object], base: Path, rows_cap: int, hit: Hit) -> None:
    """Remember a successful query's answer (best effort)."""
    db_file, shown, keys, got = hit
    if not cacheable(raw_url, query) or not db_file:
        return
    rows = [list(r) for r in got]
    if not all(v is None or isinstance(v, int | float | str) for r in rows for v in r):
        return  # BLOBs and other driver types: not worth a format of their own
    payload = json.dumps([FORMAT, db_file, shown, keys, rows, _identity(db_file)], ensure_ascii=False)
    write_blob(_entry(raw_url, query, params, base, rows_cap), payload.encode("utf-8", "surrogatepass"))
