"""Turn CSV and YAML period-data files into located data points (period, indicator, value, unit).

Workbooks and database queries give the same points (:mod:`briefgen.model.data`); a point knows
where it was read: a file line, a workbook cell (``cell``) or a query result row (``query``).
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from pathlib import Path

from briefgen.errors import BriefError, LimitError, Problem
from briefgen.i18n import _
from briefgen.inputs.limits import limits, raise_hint
from briefgen.inputs.yamlsafe import load_yaml_file, read_text
from briefgen.model.periods import Period, parse_period

REQUIRED_COLUMNS = ("period", "indicator", "value")
OPTIONAL_COLUMNS = ("unit", "note")


@dataclass(frozen=True)
class DataPoint:
    """One value of one indicator in one period, with where it was read.

    ``file`` and ``line`` are the data file and its line; for a workbook, the .xlsx file, the sheet
    row and ``cell`` (``Sheet1!C7``); for a query, the database (password-free URL), the result row
    and ``query`` (the query text).
    """

    indicator: str
    period: Period
    value: Decimal
    unit: str
    file: str
    line: int
    note: str = ""
    cell: str = ""  # workbook: sheet!cell
    query: str = ""  # database: the query that gave the row

    @property
    def location(self) -> tuple[str, int | None]:
        """``(file, line)`` for a located message: ``x.csv``, 37 / ``x.xlsx!Sheet1!C7``, None /
        ``stats.db [query row 5]``, None."""
        if self.cell:
            return f"{self.file}!{self.cell}", None
        if self.query:
            return f"{self.file} [query row {self.line}]", None
        return self.file, self.line


def _period(text: str) -> Period:
    """An absolute period (2026-10, 2026-Q3, 2026); relative words make no sense in data."""
    p = parse_period(text)
    if text.strip().lower() != str(p).lower():
        raise ValueError(_("period {text!r} must be absolute: YYYY-MM, YYYY-Qn or YYYY").format(text=text))
    return p


def _point(row: dict[str, str], file: str, line: int, problems: list[Problem]) -> DataPoint | None:
    """A data point from one row's text fields; a blank value means no data for that period."""
    ind = (row.get("indicator") or "").strip()
    raw = (row.get("value") or "").strip().replace(",", "")
    if not ind:
        problems.append(Problem(_("row has no indicator"), file, line, code="E-DATA-ROW"))
        return None
    try:
        period = _period(row.get("period") or "")
    except ValueError as e:
        problems.append(Problem(str(e), file, line, path="period", code="E-DATA-PERIOD"))
        return None
    if not raw:
        return None
    try:
        value = Decimal(raw)
        if not value.is_finite():
            raise InvalidOperation
    except InvalidOperation:
        problems.append(Problem(_("value {raw!r} is not a number").format(raw=raw), file, line, path="value",
                                code="E-DATA-VALUE"))
        return None
    return DataPoint(ind, period, value, (row.get("unit") or "").strip(), file, line,
                     (row.get("note") or "").strip())


def load_csv(path: Path) -> list[DataPoint]:
    """Rows of a CSV file: lines starting with ``#`` are comments (e.g. an "illustrative data"
    notice), the first other line is the header. One record per line (no line breaks in quotes)."""
    text = read_text(path)
    file = str(path)
    problems: list[Problem] = []
    out: list[DataPoint] = []
    header: list[str] | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        fields = next(csv.reader([raw]))
        if header is None:
            header = [h.strip().lower() for h in fields]
            missing = [c for c in REQUIRED_COLUMNS if c not in header]
            if missing:
                raise BriefError.at(_("CSV header lacks column(s) {columns}").format(columns=", ".join(missing)),
                                    file=file, line=n, hint=_("columns: period, indicator, value, unit[, note]"),
                                    code="E-DATA-HEADER")
            continue
        cap = limits().data_rows
        if len(out) >= cap:
            raise LimitError.at(_("more than {n} data rows, over the limit data_rows={n}").format(n=cap), file=file,
                                line=n, hint=raise_hint("data_rows"), code="E-LIMIT")
        if len(fields) > len(header):
            problems.append(Problem(_("{n} fields, the header has {columns}").format(n=len(fields), columns=len(header)),
                                    file, n, code="E-DATA-ROW"))
            continue
        row = dict(zip(header, fields, strict=False))
        p = _point(row, file, n, problems)
        if p is not None:
            out.append(p)
    if header is None:
        raise BriefError.at(_("CSV file has no header line"), file=file,
                            hint=_("first line: period,indicator,value,unit"), code="E-DATA-HEADER")
    if problems:
        raise BriefError(problems)
    return out


def load_yaml_rows(path: Path) -> list[DataPoint]:
    """Rows of a YAML file: ``rows:`` (or a top-level list) of mappings with the CSV's columns."""
    located = load_yaml_file(path)
    data = located.data
    base: tuple[str | int, ...] = ()
    if isinstance(data, dict) and "rows" in data:
        data, base = data["rows"], ("rows",)
    if not isinstance(data, list):
        raise BriefError.at(_("expected a list of rows (or rows: [...])"), file=str(path), line=1,
                            hint=_("each row: {example}").format(
                                example="{period: 2026-10, indicator: x, value: 1.5, unit: 亿元}"),
                            code="E-DATA-ROW")
    problems: list[Problem] = []
    out: list[DataPoint] = []
    for i, row in enumerate(data):
        line = located.where((*base, i))[0] or 1
        if not isinstance(row, dict):
            problems.append(Problem(_("each row must be a mapping"), str(path), line, code="E-DATA-ROW"))
            continue
        unknown = [k for k in row if k not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
        if unknown:
            problems.append(Problem(_("unknown column {name!r}").format(name=unknown[0]), str(path), line,
                                    hint=_("columns: period, indicator, value, unit, note"), code="E-DATA-COLUMN"))
            continue
        p = _point({k: "" if v is None else str(v) for k, v in row.items()}, str(path), line, problems)
        if p is not None:
            out.append(p)
    if problems:
        raise BriefError(problems)
    return out


def load_data_file(path: Path) -> list[DataPoint]:
    """Data points of a ``.csv`` or ``.yaml`` file (workbooks: :mod:`briefgen.model.data.xlsx`)."""
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return load_csv(path)
    if suffix in (".yaml", ".yml"):
        return load_yaml_rows(path)
    raise BriefError.at(_("unsupported data file type {suffix!r}").format(suffix=suffix or "(none)"), file=str(path),
                        hint=_("use .csv, .yaml or .xlsx (an .xls workbook: save it as .xlsx)"), code="E-DATA-TYPE")
