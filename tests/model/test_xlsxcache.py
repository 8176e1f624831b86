"""The workbook cell cache: an unchanged workbook is read without openpyxl, a changed one afresh, and every cell type comes back as openpyxl gave it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from datakit import load, values, write_pack
from test_xlsx_data import WIDE, wide_book

from briefgen.inputs.blobs import MAGIC
from briefgen.model.data import xlsx, xlsxcache
from briefgen.model.data.specs import WorkbookSource


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BRIEFGEN_POLICY", "")


def _no_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object, **_k: object) -> None:
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(xlsx, "_open", refuse)


def _entries(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "xlsx").glob("*.cells"))


def test_an_unchanged_workbook_is_read_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wide_book(tmp_path / "月报.xlsx")
    pack_file = write_pack(tmp_path, {"files": [{"file": "月报.xlsx", **WIDE}]})
    first = load(pack_file)
    assert len(_entries(tmp_path)) == 1
    _no_openpyxl(monkeypatch)
    again = load(pack_file)
    for ind in ("output", "power", "jobless"):
        assert values(again, ind) == values(first, ind) and values(again, ind)
    pt, pt0 = (next(iter(p.series["output"].values())) for p in (again, first))
    assert (pt.cell, pt.location) == (pt0.cell, pt0.location)  # cells still located
    assert again.data_files == first.data_files  # same workbook digest in the manifest


def test_a_changed_workbook_is_read_again(tmp_path: Path) -> None:
    book = wide_book(tmp_path / "m.xlsx")
    pack_file = write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE}]})
    assert values(load(pack_file), "output")["2026-03"] == "130"
    wide_book(book, {"H4": 999})
    assert values(load(pack_file), "output")["2026-03"] == "999"
    assert len(_entries(tmp_path)) == 2


def test_another_mapping_or_row_limit_is_another_entry() -> None:
    digest = "d" * 64
    spec = WorkbookSource.model_validate({"file": "m.xlsx", **WIDE})
    xlsxcache.store(digest, spec, 100, [("Sheet1", {4: (("x", "General"),)})])
    assert xlsxcache.lookup(digest, spec, 100) is not None
    assert xlsxcache.lookup(digest, spec, 99) is None
    other = WorkbookSource.model_validate({"file": "m.xlsx", **WIDE, "header_rows": [3]})
    assert xlsxcache.lookup(digest, other, 100) is None


def test_every_cell_type_comes_back_as_it_went_in(tmp_path: Path) -> None:
    spec = WorkbookSource.model_validate({"file": "m.xlsx"})
    cells = ((None, "General"), (True, "General"), (3, "0"), (2.5, "0.0%"), ("—", "@"),
             (dt.datetime(2026, 3, 31, 8, 30), "yyyy-mm-dd h:mm"), (dt.date(2026, 3, 1), "yyyy-mm"),
             (dt.time(12, 15, 1), "h:mm:ss"), (dt.timedelta(days=2, seconds=5), "[h]:mm"))
    xlsxcache.store("a" * 64, spec, 10, [("2026年3月", {7: cells})])
    got = xlsxcache.lookup("a" * 64, spec, 10)
    assert got == [("2026年3月", {7: cells})]
    assert [type(v) for v, _f in got[0][1][7]] == [type(v) for v, _f in cells]


def test_a_value_of_another_type_is_not_cached(tmp_path: Path) -> None:
    spec = WorkbookSource.model_validate({"file": "m.xlsx"})
    xlsxcache.store("b" * 64, spec, 10, [("S", {1: ((object(), "General"),)})])
    assert xlsxcache.lookup("b" * 64, spec, 10) is None and not _entries(tmp_path)


def test_a_torn_or_foreign_entry_is_ignored(tmp_path: Path) -> None:
    spec = WorkbookSource.model_validate({"file": "m.xlsx"})
    xlsxcache.store("c" * 64, spec, 10, [("S", {1: (("指标", "General"),)})])
    (entry,) = _entries(tmp_path)
    entry.write_bytes(entry.read_bytes()[:-3])
    assert xlsxcache.lookup("c" * 64, spec, 10) is None
    entry.write_bytes(MAGIC + b"\0\0\0\0" + b"[]")
    assert xlsxcache.lookup("c" * 64, spec, 10) is None
