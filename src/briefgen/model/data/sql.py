"""Turn a database URL and a query (SQLAlchemy Core, bound parameters) into located data points and a hash of the rows.

SQLite is the embedded default (``sqlite:///stats.db``, relative to the pack file, opened read-only
and confined like other inputs); PostgreSQL goes through psycopg 3. Credentials never come from
the pack or the brief: a URL holding a password is refused; the password comes from
``BRIEFGEN_DB_PASSWORD``, or libpq's own ``PGPASSWORD`` / ``PGPASSFILE`` / ``~/.pgpass``. Every
query runs in a read-only transaction with a statement timeout (``query_seconds``) and a row limit
(``data_rows``); the brief's values are bound as parameters, never formatted into the SQL.
Messages show the URL without credentials.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import time
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

from briefgen.errors import BriefError, LimitError, Problem
from briefgen.i18n import _
from briefgen.inputs import confine
from briefgen.inputs.limits import limits, raise_hint
from briefgen.model.data import sqlcache
from briefgen.model.data.cells import CellError, cell_number, cell_period
from briefgen.model.datasets import DataPoint

PASSWORD_ENV = "BRIEFGEN_DB_PASSWORD"
BACKENDS = ("sqlite", "postgresql")
COLUMNS = ("indicator", "period", "value")
OPTIONAL = ("unit", "note")
CONNECT_SECONDS = 10


@dataclass
class QueryResult:
    """The points a query gave, where they came from and a digest of the rows (for incremental builds)."""

    points: list[DataPoint]
    database: str  # shown name: the SQLite file, or the URL without password
    digest: str
    rows: int
    file: str = ""  # the SQLite database file


class _Fail(Exception):
    """A problem to report at the pack's ``data.url`` / ``data.query``."""

    def __init__(self, message: str, hint: str = "", limit: bool = False) -> None:
        super().__init__(message)
        self.hint, self.limit = hint, limit


def query_names(query: str) -> list[str]:
    """The ``:name`` parameters a query uses, in order (SQLAlchemy's own parsing)."""
    from sqlalchemy import text  # reason: heavy, and only database sources need it

    return list(text(query).compile().params)


def shown_url(url: Any) -> str:
    """A URL for messages and provenance: no password, no driver suffix."""
    safe = url.set(password=None, drivername=url.get_backend_name())
    return str(safe.render_as_string(hide_password=True))


def _url(raw: str) -> Any:
    from sqlalchemy.engine import make_url  # reason: heavy, and only database sources need it
    from sqlalchemy.exc import ArgumentError  # reason: as above

    try:
        url = make_url(raw)
    except (ArgumentError, ValueError):
        raise _Fail(_("not a database URL"), _("e.g. {example}").format(
            example="sqlite:///stats.db, postgresql://user@host:5432/dbname")) from None
    if url.password is not None:
        raise _Fail(_("the database URL holds a password; credentials must not be written in the pack"),
                    _("remove it and set {env}, PGPASSWORD or a ~/.pgpass entry").format(env=PASSWORD_ENV))
    if url.get_backend_name() not in BACKENDS:
        raise _Fail(_("database {name!r} is not supported").format(name=url.get_backend_name()),
                    _("use {examples}").format(examples="sqlite:///file.db, postgresql://user@host/db"))
    return url


def _sqlite_engine(url: Any, base: Path, deadline: list[float]) -> tuple[Any, str, str]:
    from sqlalchemy import create_engine, event  # reason: heavy, and only database sources need it
    from sqlalchemy.pool import NullPool  # reason: as above

    name = url.database or ""
    if not name or name == ":memory:" or name.startswith("file:"):
        raise _Fail(_("an SQLite URL must name a database file"), _("e.g. {example}").format(
            example="sqlite:///../data/stats.db"))
    path = Path(name) if Path(name).is_absolute() else (base / name)
    path = Path(os.path.normpath(path))
    roots = confine.active()
    if roots is not None:
        why = confine.refusal(path, roots)
        if why:
            raise _Fail(_("database file {why}").format(why=why), confine.roots_hint(roots))
    if not path.is_file():
        raise _Fail(_("database file not found: {path}").format(path=path), _("sqlite paths are relative to the pack file"))

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(f"file:{quote(str(path))}?mode=ro", uri=True, check_same_thread=False)

    engine = create_engine("sqlite://", creator=connect, poolclass=NullPool)

    @event.listens_for(engine, "connect")
    def _setup(dbapi: Any, _record: Any) -> None:
        dbapi.execute("PRAGMA query_only = ON")
        dbapi.set_progress_handler(lambda: 1 if time.monotonic() > deadline[0] else 0, 2000)

    return engine, str(path), path.name


def _pg_engine(url: Any, seconds: float) -> tuple[Any, str, str]:
    from sqlalchemy import create_engine  # reason: heavy, and only database sources need it
    from sqlalchemy.pool import NullPool  # reason: as above

    shown = shown_url(url)
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    password = os.environ.get(PASSWORD_ENV)
    if password:
        url = url.set(password=password)
    ms = max(1, int(seconds * 1000))
    options = f"-c statement_timeout={ms} -c default_transaction_read_only=on"
    engine = create_engine(url, poolclass=NullPool,
                           connect_args={"connect_timeout": CONNECT_SECONDS, "options": options})
    return engine, shown, shown


def _scrub(message: str) -> str:
    """A driver message without the password (should one ever be echoed) and on one line."""
    for name in (PASSWORD_ENV, "PGPASSWORD"):
        password = os.environ.get(name) or ""
        if len(password) >= 4:
            message = message.replace(password, "***")
    return " ".join(message.split())[:300]


def _run(engine: Any, query: str, params: Mapping[str, object], backend: str) -> tuple[list[str], list[Any]]:
    from sqlalchemy import text  # reason: heavy, and only database sources need it

    cap = limits().data_rows
    with engine.connect() as conn:
        if backend == "postgresql":
            conn.execute(text("SET TRANSACTION READ ONLY"))
            conn.execute(text("SELECT set_config('statement_timeout', :ms, true)"),
                         {"ms": str(max(1, int(limits().query_seconds * 1000)))})
        result = conn.execute(text(query), dict(params))
        if not result.returns_rows:
            raise _Fail(_("the query returns no rows (only SELECT queries are run)"))
        keys = [str(k).lower() for k in result.keys()]  # noqa: SIM118 - a Result, not a dict
        rows = result.fetchmany(cap + 1)
        conn.rollback()
    if len(rows) > cap:
        raise _Fail(_("the query returns more than {n} rows, over the limit data_rows={n}").format(n=cap),
                    raise_hint("data_rows") + _(", or narrow the query with WHERE period >= :from"),
                    limit=True)
    return keys, rows


def _execute(url: Any, query: str, params: Mapping[str, object], base: Path) -> tuple[str, str, list[str], list[Any]]:
    from sqlalchemy.exc import DBAPIError, SQLAlchemyError  # reason: heavy, only database sources

    seconds = limits().query_seconds
    deadline = [float("inf")]
    backend = url.get_backend_name()
    if backend == "sqlite":
        engine, file, shown = _sqlite_engine(url, base, deadline)
    else:
        try:
            engine, file, shown = _pg_engine(url, seconds)
        except (ImportError, SQLAlchemyError) as e:
            raise _Fail(f"no PostgreSQL driver for {url.drivername!r} ({_scrub(str(e))})",
                        'use postgresql:// and pip install "briefgen[postgresql]" (psycopg 3)') from None
    try:
        deadline[0] = time.monotonic() + seconds
        keys, rows = _run(engine, query, params, backend)
    except DBAPIError as e:
        msg = _scrub(str(e.orig) if e.orig is not None else str(e))
        if "statement timeout" in msg or "interrupted" in msg:
            raise _Fail(_("the query ran longer than {seconds} s, over the limit query_seconds={seconds}").format(
                            seconds=f"{seconds:g}"),
                        raise_hint("query_seconds"), limit=True) from None
        if "read-only" in msg or "readonly" in msg or "query_only" in msg.lower():
            raise _Fail(_("the query tried to change the database ({error}); briefgen only reads").format(error=msg),
                        _("use a SELECT query")) from None
        raise _Fail(f"{shown}: {msg}", _("check the URL, the credentials in the environment and the query")
                    ) from None
    except SQLAlchemyError as e:
        raise _Fail(f"{shown}: {_scrub(str(e))}") from None
    finally:
        engine.dispose()
    return file, shown, keys, rows


def _digest(keys: list[str], rows: list[Any]) -> str:
    h = hashlib.sha256(json.dumps(keys).encode())
    for r in rows:
        h.update(json.dumps([None if v is None else str(v) for v in r], ensure_ascii=False).encode())
        h.update(b"\n")
    return h.hexdigest()


def _points(keys: list[str], rows: list[Any], file: str, query: str, resolve: Any) -> tuple[list[DataPoint], list[Problem]]:
    idx = {k: keys.index(k) for k in (*COLUMNS, *OPTIONAL) if k in keys}
    out: list[DataPoint] = []
    problems: list[Problem] = []
    for n, row in enumerate(rows, 1):
        where = f"{file} [query row {n}]"
        ind_raw = row[idx["indicator"]]
        ind = "" if ind_raw is None else str(ind_raw).strip()
        if not ind:
            problems.append(Problem(_("row has no indicator"), where, path="indicator", code="E-DATA-ROW"))
            continue
        try:
            period = cell_period(row[idx["period"]])
            value, _kind = cell_number(row[idx["value"]])
        except CellError as e:
            problems.append(Problem(str(e), where))
            continue
        if value is None:
            continue
        unit = str(row[idx["unit"]] or "").strip() if "unit" in idx else ""
        note = str(row[idx["note"]] or "").strip() if "note" in idx else ""
        out.append(DataPoint(resolve(ind) or ind, period, value, unit, file, n, note, "", query))
    return out, problems


def load_query(raw_url: str, query: str, params: Mapping[str, object], base: Path,
               at: tuple[str, int | None], resolve: Any) -> QueryResult:
    """Run ``query`` against ``raw_url`` with ``params`` bound; problems are located at ``at`` (the pack)."""
    file, line = at
    cap = limits().data_rows
    hit = sqlcache.lookup(raw_url, query, params, base, cap)
    if hit is not None:  # the same SQLite file, query and values as a build before: no SQLAlchemy
        db_file, shown, keys, rows = hit
        return _result(keys, rows, db_file, shown, db_file, query, resolve)
    try:
        url = _url(raw_url)
        names = query_names(query)
        missing = [n for n in names if n not in params]
        if missing:
            raise _Fail(_("the query's parameter :{name} has no value").format(name=missing[0]),
                        _("the brief gives :period, :from and :to (from its period) and its vars"))
        used = {n: params[n] for n in names}
        if any(v is None for v in used.values()):
            raise _Fail(_("the query uses :period/:from/:to but the brief has no period"),
                        _("set period: YYYY-MM in the brief, or --period / --set period=… (briefgen list: --period)"))
        db_file, shown, keys, rows = _execute(url, query, used, base)
        absent = [c for c in COLUMNS if c not in keys]
        if absent:
            raise _Fail(_("the query's result lacks column(s) {columns}").format(columns=", ".join(absent)),
                        _("it has {columns}; select indicator, period, value[, unit, note] (use AS to rename)").format(
                            columns=", ".join(keys) or _("none")))
    except _Fail as e:
        cls = LimitError if e.limit else BriefError
        raise cls.at(str(e), file=file, line=line, path="data.query", hint=e.hint) from None
    sqlite_file = db_file if url.get_backend_name() == "sqlite" else ""
    result = _result(keys, rows, sqlite_file or shown, shown, sqlite_file, query, resolve)
    if sqlite_file:
        sqlcache.store(raw_url, query, params, base, cap, (db_file, shown, keys, rows))
    return result


def _result(keys: list[str], rows: list[Any], where: str, shown: str, sqlite_file: str, query: str,
            resolve: Any) -> QueryResult:
    points, problems = _points(keys, rows, where, query, resolve)
    if problems:
        raise BriefError(problems)
    return QueryResult(points, shown, _digest(keys, rows), len(rows), sqlite_file)

