"""Incremental builds over workbooks and databases: a changed workbook (content hash) or a changed query result (hash of the rows) rebuilds; nothing changed skips."""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path

import pytest
from batchkit import make_project, run_json
from openpyxl import load_workbook

from briefgen.batch.manifest import MANIFEST_NAME


def _build(project: Path, spec: str) -> dict:
    r, summary = run_json("build", f"briefs/{spec}.yaml", "-o", "out", "-f", "docx", cwd=project)
    assert r.returncode == 0, r.stderr[-2000:]
    (brief,) = summary["briefs"]
    return brief


@pytest.mark.slow
def test_changed_workbook_rebuilds(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert _build(project, "monthly-report-xlsx")["status"] == "built"
    book = project / "data" / "illustrative-monthly.xlsx"
    os.utime(book)  # a touch alone changes nothing
    assert _build(project, "monthly-report-xlsx")["status"] == "skipped"
    wb = load_workbook(book)
    wb["月度数据"]["X5"] = 250.0
    wb.save(book)
    again = _build(project, "monthly-report-xlsx")
    assert again["status"] == "built" and again["reason"] == f"input changed: {book.resolve()}"
    manifest = json.loads((project / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    (entry,) = manifest["briefs"].values()
    assert entry["inputs"][str(book.resolve())]["kind"] == "data"


@pytest.mark.slow
def test_changed_query_result_rebuilds(tmp_path: Path) -> None:
    project = make_project(tmp_path)
    assert _build(project, "monthly-report-sqlite")["status"] == "built"
    assert _build(project, "monthly-report-sqlite")["status"] == "skipped"
    con = sqlite3.connect(project / "data" / "illustrative-monthly.db")
    con.execute("UPDATE monthly SET value = 250.0 WHERE period = '2026-10' AND indicator = 'industrial_output'")
    con.commit()
    con.close()
    again = _build(project, "monthly-report-sqlite")
    assert again["status"] == "built"
    assert again["reason"].startswith("input changed: query:illustrative-monthly.db#")
    manifest = json.loads((project / "out" / MANIFEST_NAME).read_text(encoding="utf-8"))
    (entry,) = manifest["briefs"].values()
    (query,) = [r for r in entry["inputs"].values() if r["kind"] == "query"]
    assert query["size"] == 176 and query["database"] == "illustrative-monthly.db"
    assert "SELECT indicator, period, value, unit FROM monthly" in query["query"]
    db = str((project / "data" / "illustrative-monthly.db").resolve())
    assert entry["inputs"][db]["kind"] == "database"  # shipped to cluster workers, not a stale test
    # a row outside the query's :from–:to window changes nothing the brief reads
    con = sqlite3.connect(project / "data" / "illustrative-monthly.db")
    con.execute("INSERT INTO monthly VALUES ('2021-01', 'industrial_output', 1.0, '亿元')")
    con.commit()
    con.close()
    assert _build(project, "monthly-report-sqlite")["status"] == "skipped"
