"""The SQLite answer cache: a repeated query is served without the database layer, and any change to the database (or a clock-dependent query) is read afresh."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from datakit import load, values, write_pack
from test_sql_data import INDS, QUERY, make_db

from briefgen.model.data import sql, sqlcache


@pytest.fixture(autouse=True)
def _own_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setenv("BRIEFGEN_POLICY", "")


def _pack(tmp_path: Path, query: str = QUERY) -> Path:
    make_db(tmp_path / "stats.db")
    return write_pack(tmp_path, {"url": "sqlite:///stats.db", "query": query}, INDS)


def _no_database(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_a: object) -> None:
        raise AssertionError("the database was queried")

    monkeypatch.setattr(sql, "_execute", refuse)


def test_a_repeated_query_is_answered_from_the_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack_file = _pack(tmp_path)
    first = load(pack_file, "2026-03")
    assert list((tmp_path / "cache" / "sql").glob("*.rows"))
    _no_database(monkeypatch)
    again = load(pack_file, "2026-03")
    assert values(again, "output") == values(first, "output") and values(again, "output")
    assert again.data_queries == first.data_queries  # same rows digest, same provenance
    pt, pt0 = (next(iter(p.series["output"].values())) for p in (again, first))
    assert (pt.file, pt.line, pt.query) == (pt0.file, pt0.line, pt0.query)


def test_other_values_are_another_entry(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pack_file = _pack(tmp_path)
    load(pack_file, "2026-03")
    _no_database(monkeypatch)
    with pytest.raises(AssertionError, match="queried"):
        load(pack_file, "2026-02")  # :to differs


def test_a_changed_database_is_queried_again(tmp_path: Path) -> None:
    pack_file = _pack(tmp_path)
    assert values(load(pack_file, "2026-03"), "output")["2026-03"] == "113.5"
    con = sqlite3.connect(tmp_path / "stats.db")
    con.execute("UPDATE monthly SET value = 999 WHERE period = '2026-03' AND indicator = 'output'")
    con.commit()
    con.close()
    assert float(values(load(pack_file, "2026-03"), "output")["2026-03"]) == 999


def test_a_write_still_in_the_wal_file_is_seen(tmp_path: Path) -> None:
    pack_file = _pack(tmp_path)
    con = sqlite3.connect(tmp_path / "stats.db")
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA wal_autocheckpoint=0")  # the change stays in stats.db-wal
    assert values(load(pack_file, "2026-03"), "output")["2026-03"] == "113.5"
    con.execute("UPDATE monthly SET value = 555 WHERE period = '2026-03' AND indicator = 'output'")
    con.commit()
    try:
        assert float(values(load(pack_file, "2026-03"), "output")["2026-03"]) == 555
    finally:
        con.close()


@pytest.mark.parametrize("clause", ["date('now')", "CURRENT_DATE", "random()"])
def test_clock_or_chance_dependent_queries_are_never_cached(tmp_path: Path, clause: str) -> None:
    query = QUERY + f" AND {clause} IS NOT NULL"
    load(_pack(tmp_path, query), "2026-03")
    assert not sqlcache.cacheable("sqlite:///stats.db", query)
    assert not list((tmp_path / "cache").glob("sql/*.rows"))


def test_a_torn_entry_is_ignored(tmp_path: Path) -> None:
    pack_file = _pack(tmp_path)
    load(pack_file, "2026-03")
    entry, = (tmp_path / "cache" / "sql").glob("*.rows")
    entry.write_bytes(entry.read_bytes()[:-5])
    assert values(load(pack_file, "2026-03"), "output")["2026-03"] == "113.5"


def test_postgres_is_never_cached() -> None:
    assert not sqlcache.cacheable("postgresql://u@h/db", QUERY)
