"""Turn a pack's ``data:`` section (files, workbooks, a database query) into data points, input hashes and located problems."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import BriefError, Problem, suggest_file
from briefgen.i18n import _
from briefgen.inputs.digest import sha256_file
from briefgen.inputs.yamlsafe import Located
from briefgen.model.data.specs import WorkbookSource
from briefgen.model.datasets import DataPoint, load_data_file
from briefgen.model.periods import parse_period

if TYPE_CHECKING:
    from briefgen.model.sourcepack import DataSection, Indicator

WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls")


@dataclass
class Read:
    """What the data sources of one pack gave."""

    points: list[DataPoint] = field(default_factory=list)
    files: dict[Path, str] = field(default_factory=dict)  # path → sha256
    queries: dict[str, dict[str, object]] = field(default_factory=dict)  # key → manifest record
    problems: list[Problem] = field(default_factory=list)


def resolver(indicators: Mapping[str, Indicator]) -> dict[str, str]:
    """Indicator id, label and other names → id (the first declaration wins)."""
    out: dict[str, str] = {}
    for ind in indicators.values():
        for name in (ind.id, ind.label, *ind.names):
            out.setdefault(name.strip(), ind.id)
    return out


def query_params(period: str, variables: Mapping[str, str], lookback: int) -> dict[str, object]:
    """The values a query may bind: the brief's vars, ``:period``/``:to`` (the brief's period) and
    ``:from`` (``lookback`` periods earlier); None when the brief has no period."""
    out: dict[str, object] = dict(variables)
    if period:
        p = parse_period(period)
        out.update({"period": str(p), "to": str(p), "from": str(p.shift(-lookback))})
    else:
        out.update({"period": None, "to": None, "from": None})
    return out


def _workbook(entry: str | WorkbookSource) -> WorkbookSource | None:
    if isinstance(entry, WorkbookSource):
        return entry
    if entry.lower().endswith(WORKBOOK_SUFFIXES):
        return WorkbookSource.model_validate({"file": entry})
    return None


def read_sources(data: DataSection, pack_path: Path, located: Located, indicators: Mapping[str, Indicator],
                 params: Mapping[str, object]) -> Read:
    """Read every data source of ``data``; problems are collected, not raised."""
    from briefgen.model.data import (  # reason: openpyxl/SQLAlchemy load only for packs using them
        sql,
        xlsx,
    )

    out = Read()
    names = resolver(indicators)
    base = pack_path.parent
    workbooks: list[tuple[int, Path]] = []
    rows_found: set[str] = set()  # indicators a workbook has a row (or cumulative column) for
    for k, entry in enumerate(data.files):
        spec = _workbook(entry)
        ref = spec.file if spec is not None else str(entry)
        fpath = (base / ref).resolve()
        at = ("data", "files", k) if isinstance(entry, str) else ("data", "files", k, "file")
        if not fpath.is_file():
            out.problems.append(located.problem(at, _("data file not found: {path}").format(path=ref),
                                                suggest_file(ref, base) or _("paths are relative to the pack file"),
                                                code="E-FILE-NOT-FOUND"))
            continue
        if isinstance(entry, WorkbookSource) and not ref.lower().endswith(WORKBOOK_SUFFIXES):
            out.problems.append(located.problem(at, _("{path} is not an .xlsx workbook").format(path=ref),
                                                _("sheet/layout/column mappings are for workbooks; "
                                                  "name a CSV or YAML file as a plain path"), code="E-WORKBOOK"))
            continue
        try:
            if spec is not None:
                points, found, digest = xlsx.load_workbook(fpath, spec, names.get)
                workbooks.append((k, fpath))
                rows_found |= found
            else:
                points = load_data_file(fpath)
                digest = sha256_file(fpath)
        except BriefError as e:
            out.problems.extend(e.problems)
            continue
        out.files[fpath] = digest
        out.points.extend(points)
    if data.url:
        line = located.where(("data", "query"))[0]
        try:
            res = sql.load_query(data.url, data.query, params, base, (located.file, line), names.get)
        except BriefError as e:
            out.problems.extend(e.problems)
        else:
            out.points.extend(res.points)
            key = f"query:{res.database}#{sha_text(data.query)}"
            out.queries[key] = {"kind": "query", "sha256": res.digest, "size": res.rows,
                                "database": res.database, "query": data.query}
            if res.file:
                out.queries[key]["file"] = res.file
    if workbooks and not out.problems:  # an indicator missing from every sheet: a label mismatch
        seen = {p.indicator for p in out.points} | rows_found
        k, first = workbooks[0]
        for ind in indicators.values():
            if ind.id not in seen:
                out.problems.append(located.problem(
                    ("data", "files", k), _("indicator {id!r} ({label}) is on no row of {files}").format(
                        id=ind.id, label=ind.label, files=", ".join(f.name for _k, f in workbooks)),
                    _("the indicator column must hold its id, label or one of its names (names: [...])"),
                    code="E-INDICATOR-NOT-FOUND"))
    return out


def sha_text(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:16]
