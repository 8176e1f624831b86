"""SQL queries as period data: SQLite and a real PostgreSQL server; bound parameters, read-only, timeout, row limit, credentials."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from datakit import load, load_error, values, write_pack

from briefgen.inputs import confine
from briefgen.inputs.limits import Limits, Policy, configure
from briefgen.model.data.sql import PASSWORD_ENV

INJECTION = "'; DROP TABLE monthly; --"
QUERY = "SELECT indicator, period, value, unit FROM monthly WHERE period >= :from AND period <= :to"
INDS = [
    {"id": "output", "label": "规上工业总产值", "unit": "亿元"},
    {"id": "jobless", "label": "城镇调查失业率", "unit": "%", "kind": "rate"},
]


@pytest.fixture(autouse=True)
def _default_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_POLICY", "")


def make_db(path: Path) -> Path:
    path.unlink(missing_ok=True)
    con = sqlite3.connect(path)
    con.execute("CREATE TABLE monthly (period TEXT, indicator TEXT, value REAL, unit TEXT)")
    rows = [(f"2025-{m:02d}", "output", 100.0 + m, "亿元") for m in range(1, 13)]
    rows += [(f"2026-{m:02d}", "output", 110.5 + m, "亿元") for m in range(1, 4)]
    rows += [("2026-03", "jobless", 5.1, "%"), ("2026-02", "jobless", None, "%")]
    con.executemany("INSERT INTO monthly VALUES (?, ?, ?, ?)", rows)
    con.commit()
    con.close()
    return path


def sqlite_pack(tmp_path: Path, query: str = QUERY, **extra: object) -> Path:
    make_db(tmp_path / "stats.db")
    return write_pack(tmp_path, {"url": "sqlite:///stats.db", "query": query, **extra}, INDS)


def test_sqlite_binds_the_brief_period(tmp_path: Path) -> None:
    pack = load(sqlite_pack(tmp_path, lookback=3), "2026-02")
    # :from = 2025-11, :to = 2026-02: only those months, NULL value = missing
    assert values(pack, "output") == {"2025-11": "111.0", "2025-12": "112.0", "2026-01": "111.5",
                                      "2026-02": "112.5"}
    assert values(pack, "jobless") == {}
    pt = pack.series["output"][next(iter(pack.series["output"]))]
    assert pt.file == str(tmp_path / "stats.db") and pt.line == 1 and pt.query == QUERY
    (key, rec), = pack.data_queries.items()
    assert key.startswith("query:stats.db#") and rec["kind"] == "query" and rec["size"] == 5  # with the NULL row
    assert pack.inputs_changed()  # a database pack is never reused from the cache


def test_rows_hash_follows_the_result(tmp_path: Path) -> None:
    pack_file = sqlite_pack(tmp_path)
    first = next(iter(load(pack_file, "2026-03").data_queries.values()))["sha256"]
    assert next(iter(load(pack_file, "2026-03").data_queries.values()))["sha256"] == first
    con = sqlite3.connect(tmp_path / "stats.db")
    con.execute("UPDATE monthly SET value = 999 WHERE period = '2026-03' AND indicator = 'output'")
    con.commit()
    con.close()
    assert next(iter(load(pack_file, "2026-03").data_queries.values()))["sha256"] != first


def test_brief_vars_are_bound_not_executed(tmp_path: Path) -> None:
    pack_file = sqlite_pack(tmp_path, QUERY + " AND indicator <> :region")
    pack = load(pack_file, "2026-03", {"region": INJECTION})
    assert len(pack.series["output"]) == 15
    con = sqlite3.connect(tmp_path / "stats.db")
    assert con.execute("SELECT count(*) FROM monthly").fetchone()[0] == 17
    con.close()


def test_sqlite_is_read_only(tmp_path: Path) -> None:
    text = str(load_error(sqlite_pack(
        tmp_path, "DELETE FROM monthly WHERE period >= :from RETURNING indicator, period, value, unit"),
        "2026-03"))
    assert "data.query: the query tried to change the database" in text
    con = sqlite3.connect(tmp_path / "stats.db")
    assert con.execute("SELECT count(*) FROM monthly").fetchone()[0] == 17
    con.close()


def test_sqlite_statement_timeout(tmp_path: Path) -> None:
    configure(Policy(Limits(query_seconds=0.3)))
    slow = ("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) "
            "SELECT 'output' AS indicator, '2026-01' AS period, (SELECT count(*) FROM c) AS value")
    err = load_error(sqlite_pack(tmp_path, slow), "2026-03")
    assert err.exit_code == 5
    assert "the query ran longer than 0.3 s, over the limit query_seconds=0.3" in str(err)


def test_row_limit(tmp_path: Path) -> None:
    configure(Policy(Limits(data_rows=10)))
    err = load_error(sqlite_pack(tmp_path), "2026-03")
    assert err.exit_code == 5 and "more than 10 rows, over the limit data_rows=10" in str(err)


def test_query_problems_are_located_at_the_pack(tmp_path: Path) -> None:
    pack_file = sqlite_pack(tmp_path)
    text = str(load_error(pack_file))
    assert f"{pack_file}:" in text and "data.query: the query uses :period/:from/:to but the brief has no period" in text
    text = str(load_error(sqlite_pack(tmp_path, QUERY + " AND unit = :unitx"), "2026-03"))
    assert "the query's parameter :unitx has no value" in text
    text = str(load_error(sqlite_pack(tmp_path, "SELECT indicator, value FROM monthly"), "2026-03"))
    assert "lacks column(s) period" in text
    text = str(load_error(sqlite_pack(tmp_path, "SELECT * FROM nowhere"), "2026-03"))
    assert "no such table: nowhere" in text and "Traceback" not in text


def test_sqlite_file_confined_and_must_exist(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    (proj / "briefs").mkdir(parents=True)
    make_db(tmp_path / "outside.db")
    pack_file = write_pack(proj, {"url": "sqlite:///../outside.db", "query": QUERY}, INDS)
    with confine.scope(proj / "briefs" / "b.yaml"):
        assert "outside.db is outside the allowed folders" in str(load_error(pack_file, "2026-03"))
    pack_file = write_pack(proj, {"url": "sqlite:///missing.db", "query": QUERY}, INDS)
    assert "database file not found" in str(load_error(pack_file, "2026-03"))
    assert not (proj / "missing.db").exists()  # read-only: nothing is created


def test_password_in_url_is_refused_and_not_shown(tmp_path: Path) -> None:
    pack_file = write_pack(tmp_path, {"url": "postgresql://u:s3cret-pw@localhost/db", "query": QUERY}, INDS)
    text = str(load_error(pack_file, "2026-03"))
    assert "holds a password" in text and "s3cret-pw" not in text
    pack_file = write_pack(tmp_path, {"url": "mysql://u@localhost/db", "query": QUERY}, INDS)
    assert "database 'mysql' is not supported" in str(load_error(pack_file, "2026-03"))


# ---------------------------------------------------------------- a real PostgreSQL server


def pg_pack(tmp_path: Path, pg: dict[str, str], query: str = QUERY) -> Path:
    return write_pack(tmp_path, {"url": pg["url"], "query": query}, INDS)


@pytest.fixture
def pg(postgres: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.setenv(PASSWORD_ENV, postgres["password"])
    return postgres


def _count(pg: dict[str, str]) -> int:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    engine = create_engine(make_url(pg["url"]).set(password=pg["password"]))
    try:
        with engine.connect() as c:
            return int(c.execute(text("SELECT count(*) FROM monthly")).scalar_one())
    finally:
        engine.dispose()


@pytest.mark.slow  # a PostgreSQL server
def test_postgres_reads_decimals_as_stored(tmp_path: Path, pg: dict[str, str]) -> None:
    q = QUERY + " AND indicator IN ('industrial_output', 'unemployment')"
    pack = load(write_pack(tmp_path, {"url": pg["url"], "query": q},
                           [{"id": "industrial_output", "label": "规上工业总产值", "unit": "亿元"},
                            {"id": "unemployment", "label": "城镇调查失业率", "unit": "%"}]), "2026-10")
    assert values(pack, "industrial_output")["2025-01"] == "196.2"
    assert values(pack, "unemployment")["2026-10"] == "5.1"
    assert len(pack.series["industrial_output"]) == 22
    (key, rec), = pack.data_queries.items()
    assert key.startswith("query:postgresql://briefgen@127.0.0.1:") and rec["size"] == 44


@pytest.mark.slow  # a PostgreSQL server
def test_postgres_injection_is_bound_not_executed(tmp_path: Path, pg: dict[str, str]) -> None:
    before = _count(pg)
    q = "SELECT indicator, period, value, unit FROM monthly WHERE indicator = :region"
    pack = load(pg_pack(tmp_path, pg, q), "2026-10", {"region": INJECTION})
    assert all(not s for s in pack.series.values())  # the text matched no indicator: it was a value
    text = str(load_error(pg_pack(tmp_path, pg, q), "2026-10", {"region": "industrial_output"}))
    assert "[query row 1]: indicator: indicator 'industrial_output' is not declared" in text
    assert _count(pg) == before == 176


@pytest.mark.slow  # a PostgreSQL server
def test_postgres_read_only_transaction(tmp_path: Path, pg: dict[str, str]) -> None:
    q = ("WITH gone AS (DELETE FROM monthly WHERE period >= :from RETURNING *) "
         "SELECT indicator, period, value, unit FROM gone")
    text = str(load_error(pg_pack(tmp_path, pg, q), "2026-10"))
    assert "the query tried to change the database" in text and "read-only transaction" in text
    assert _count(pg) == 176


@pytest.mark.slow  # a PostgreSQL server
def test_postgres_timeout_and_row_limit(tmp_path: Path, pg: dict[str, str]) -> None:
    configure(Policy(Limits(query_seconds=0.5)))
    q = "SELECT indicator, period, value, unit FROM monthly CROSS JOIN pg_sleep(3) WHERE period >= :from"
    err = load_error(pg_pack(tmp_path, pg, q), "2026-10")
    assert err.exit_code == 5 and "over the limit query_seconds=0.5" in str(err)
    configure(Policy(Limits(data_rows=100)))
    err = load_error(pg_pack(tmp_path, pg), "2026-10")
    assert err.exit_code == 5 and "more than 100 rows, over the limit data_rows=100" in str(err)


@pytest.mark.slow  # a PostgreSQL server
def test_postgres_wrong_password_is_clear_and_not_echoed(tmp_path: Path, pg: dict[str, str],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(PASSWORD_ENV, "wrong-pw-123")
    text = str(load_error(pg_pack(tmp_path, pg), "2026-10"))
    assert "password authentication failed" in text
    assert "wrong-pw-123" not in text and pg["password"] not in text


@pytest.mark.slow  # a PostgreSQL server
def test_postgres_password_from_a_pgpass_file(tmp_path: Path, postgres: dict[str, str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    from sqlalchemy.engine import make_url

    url = make_url(postgres["url"])
    pgpass = tmp_path / "pgpass"
    pgpass.write_text(f"{url.host}:{url.port}:{url.database}:{url.username}:{postgres['password']}\n")
    pgpass.chmod(0o600)
    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.delenv("PGPASSWORD", raising=False)
    monkeypatch.setenv("PGPASSFILE", str(pgpass))
    q = QUERY + " AND indicator = 'unemployment'"
    pack = load(write_pack(tmp_path, {"url": postgres["url"], "query": q},
                           [{"id": "unemployment", "label": "城镇调查失业率", "unit": "%"}]), "2026-10")
    assert values(pack, "unemployment")["2026-10"] == "5.1"


def test_missing_driver_is_a_clear_error(tmp_path: Path) -> None:
    pack_file = write_pack(tmp_path, {"url": "postgresql+nosuchdriver://u@localhost/db", "query": QUERY}, INDS)
    text = str(load_error(pack_file, "2026-03"))
    assert "data.query: no PostgreSQL driver for 'postgresql+nosuchdriver'" in text
    assert "Traceback" not in text
