"""Turn a workbook's content digest and sheet mapping into the cells openpyxl read from it last time.

Reading a workbook costs a cold build ≈0.12 s (importing openpyxl, unzipping, parsing the sheet
XML), more than anything else a monthly report does before rendering. The cells of the mapped
sheets (value and number format) are kept under ``<cache>/xlsx`` keyed by the workbook's SHA-256,
the sheet choice, the first header row, the last row and the row limit, so an unchanged workbook is
never opened twice. Only what openpyxl gives for plain cells is stored (text, numbers, booleans,
dates, times, durations); a sheet holding anything else is simply not cached.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path
from typing import Any

from briefgen.inputs.blobs import read_blob, write_blob
from briefgen.inputs.filecache import cache_dir
from briefgen.model.data.specs import WorkbookSource

FORMAT = 1
Sheets = list[tuple[str, dict[int, tuple[Any, ...]]]]  # (sheet name, row number → ((value, number format), …))


class _Unstorable(Exception):
    pass


def _entry(digest: str, spec: WorkbookSource, cap: int) -> Path:
    ident = json.dumps([FORMAT, digest, spec.sheet, spec.header_rows[0], spec.last_row, cap], ensure_ascii=False)
    return cache_dir() / "xlsx" / f"{hashlib.sha256(ident.encode('utf-8', 'surrogatepass')).hexdigest()[:32]}.cells"


def _enc(v: Any) -> Any:
    if v is None or type(v) in (bool, int, float, str):
        return v
    # datetime before date: a datetime is a date too
    for tag, kind in (("dt", dt.datetime), ("d", dt.date), ("t", dt.time)):
        if type(v) is kind:
            return {tag: v.isoformat()}
    if type(v) is dt.timedelta:
        return {"td": [v.days, v.seconds, v.microseconds]}
    raise _Unstorable


def _dec(v: Any) -> Any:
    if not isinstance(v, dict):
        return v
    (tag, x), = v.items()
    if tag == "dt":
        return dt.datetime.fromisoformat(x)
    if tag == "d":
        return dt.date.fromisoformat(x)
    if tag == "t":
        return dt.time.fromisoformat(x)
    return dt.timedelta(days=x[0], seconds=x[1], microseconds=x[2])


def lookup(digest: str, spec: WorkbookSource, cap: int) -> Sheets | None:
    """The cells read last time from this workbook with this mapping, or ``None``."""
    payload = read_blob(_entry(digest, spec, cap))
    if payload is None:
        return None
    try:
        fmt, sheets = json.loads(payload)
        if fmt != FORMAT:
            return None
        return [(str(name), {int(n): tuple((_dec(v), str(f)) for v, f in cells) for n, cells in rows})
                for name, rows in sheets]
    except (ValueError, TypeError, KeyError, IndexError):
        return None


def store(digest: str, spec: WorkbookSource, cap: int, sheets: Sheets) -> None:
    """Remember the cells of a successful read (best effort)."""
    try:
        body = [[name, [[n, [[_enc(v), f] for v, f in cells]] for n, cells in rows.items()]]
                for name, rows in sheets]
    except _Unstorable:
        return
    payload = json.dumps([FORMAT, body], ensure_ascii=False, allow_nan=True)
    write_blob(_entry(digest, spec, cap), payload.encode("utf-8", "surrogatepass"))
