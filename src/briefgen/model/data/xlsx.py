"""Turn an Excel .xlsx worksheet (long or wide layout) into located data points (workbook!sheet!cell).

Read with openpyxl in read-only, values-only mode: a formula cell gives the result Excel/WPS stored
with it; a formula without a stored result is an error naming the cell. Blank, "—", "…" and "-"
cells are missing values, never zeros. Numbers are read as the sheet shows them (``0.0%`` of
0.053 is 5.3; the text "12.3%" is 12.3; "1,234.5" is 1234.5). Every problem names
``workbook!sheet!cell``; an .xls file, a damaged file or a zip bomb is a clear error, never a traceback.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from briefgen.errors import BriefError, LimitError, Problem
from briefgen.i18n import _
from briefgen.inputs import confine
from briefgen.inputs.digest import sha256_bytes
from briefgen.inputs.limits import limits, raise_hint
from briefgen.model.data import xlsxcache
from briefgen.model.data.cells import (
    CellError,
    cell_number,
    cell_period,
    header_period,
    is_missing,
    shown_value,
)
from briefgen.model.data.specs import ALL_SHEETS, SHEET_PERIOD, WorkbookSource, is_column_letter
from briefgen.model.datasets import DataPoint
from briefgen.model.periods import Period

UNZIP_RATIO = 40  # unpacked XML may be this many times the workbook's limit (zip bombs)
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls (and encrypted .xlsx) files
DEFAULT_NAMES = {
    "indicator": ("indicator", "指标", "指标名称", "项目"),
    "period": ("period", "时期", "期间", "月份", "日期"),
    "value": ("value", "数值", "本月", "值"),
    "unit": ("unit", "单位", "计量单位"),
}
_PREFIX = re.compile(r"^(?:其中[:：]|#|\s|\u3000)+")
_UNIT_SUFFIX = re.compile(r"\s*[（(][^（）()]*[)）]\s*$")

Resolve = Callable[[str], str | None]  # a cell's indicator text → declared indicator id


@dataclass
class _Sheet:
    label: str  # workbook!sheet, for messages
    name: str
    rows: dict[int, tuple[Any, ...]]  # row number → (value, number_format) per cell; blank rows left out

    def row(self, n: int) -> tuple[Any, ...]:
        return self.rows.get(n, ())

    def data_rows(self, after: int) -> list[int]:
        return sorted(n for n in self.rows if n > after)


def column_index(letters: str) -> int:
    """``A`` → 1, ``AB`` → 28."""
    n = 0
    for ch in letters.strip().upper():
        n = n * 26 + ord(ch) - 64
    return n


def column_letter(index: int) -> str:
    out = ""
    while index:
        index, r = divmod(index - 1, 26)
        out = chr(65 + r) + out
    return out


def _fail(where: str, message: str, hint: str = "") -> BriefError:
    return BriefError.at(message, file=where, hint=hint, code="E-WORKBOOK")


def read_workbook_bytes(path: Path) -> bytes:
    """The workbook's bytes (confined to the brief's roots, within ``workbook_bytes``), checked for type."""
    shown = str(path)
    if path.suffix.lower() == ".xls":
        raise _fail(shown, _("this is an Excel 97-2003 .xls workbook, which briefgen does not read"),
                    _("open it in Excel or WPS and save it as .xlsx (Excel 工作簿)"))
    cap = limits().workbook_bytes
    try:
        data = confine.read_bytes(path, cap)
    except LimitError:
        raise LimitError.at(_("workbook is over the limit workbook_bytes={limit}").format(limit=cap), file=shown,
                            hint=raise_hint("workbook_bytes"), code="E-LIMIT") from None
    if data.startswith(OLE_MAGIC):
        raise _fail(shown, _("this file is an Excel 97-2003 (.xls) or password-protected workbook, not .xlsx"),
                    _("open it in Excel or WPS, remove any password and save it as .xlsx"))
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            unpacked = sum(i.file_size for i in z.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise _fail(shown, _("not a readable .xlsx workbook (the file is damaged or not an Excel file)"),
                    _("open it in Excel or WPS and save it again as .xlsx")) from None
    if unpacked > cap * UNZIP_RATIO:
        raise LimitError.at(_("workbook unpacks to {size} bytes, over {ratio}× the limit workbook_bytes={limit}").format(
                                size=unpacked, ratio=UNZIP_RATIO, limit=cap), file=shown,
                            hint=raise_hint("workbook_bytes"), code="E-LIMIT")
    return data


def _open(data: bytes, shown: str, values: bool) -> Any:
    import openpyxl  # reason: heavy, and only workbooks need it

    try:
        return openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=values)
    except Exception as e:  # noqa: BLE001 - openpyxl raises many types for damaged files
        raise _fail(shown, _("not a readable .xlsx workbook ({error})").format(error=f"{type(e).__name__}: {e}"),
                    _("open it in Excel or WPS and save it again as .xlsx")) from None


def _worksheet(wb: Any, spec: WorkbookSource, shown: str) -> Any:
    names = list(wb.sheetnames)
    if isinstance(spec.sheet, int):
        if not 1 <= spec.sheet <= len(names):
            raise _fail(shown, _("the workbook has {n} sheet(s), no sheet {sheet}").format(n=len(names), sheet=spec.sheet),
                        _("sheets: {names}").format(names=", ".join(names)))
        return wb[names[spec.sheet - 1]]
    if spec.sheet not in names:
        raise _fail(shown, _("no sheet named {sheet!r}").format(sheet=spec.sheet),
                    _("sheets: {names}").format(names=", ".join(names)))
    ws = wb[spec.sheet]
    if not hasattr(ws, "iter_rows"):
        raise _fail(shown, _("sheet {sheet!r} is a chart sheet, not a worksheet").format(sheet=spec.sheet))
    return ws


def _rows(ws: Any, first: int, last: int | None, label: str) -> dict[int, tuple[Any, ...]]:
    """``(value, number_format)`` cells of the non-blank rows ``first``..``last``, within the row limit."""
    cap = limits().data_rows
    out: dict[int, tuple[Any, ...]] = {}
    for n, row in enumerate(ws.iter_rows(min_row=first, max_row=last), first):
        cells = tuple((c.value, getattr(c, "number_format", "General") or "General") for c in row)
        if all(v is None for v, _fmt in cells):
            continue
        if len(out) >= cap:
            raise LimitError.at(_("more than {n} rows, over the limit data_rows={n}").format(n=cap),
                                file=f"{label}!A{n}", hint=raise_hint("data_rows"), code="E-LIMIT")
        out[n] = cells
    return out


def _find_column(sheet: _Sheet, ref: str, role: str, header_rows: list[int], required: bool) -> int | None:
    """1-based column of ``ref`` (a letter, or header text in any header row); the role's default
    names when ``ref`` is empty."""
    headers = [sheet.row(h) for h in header_rows]
    texts = [[str(v).strip().lower() if v is not None else "" for v, _fmt in row] for row in headers]
    if ref and is_column_letter(ref) and not any(ref.lower() in t for t in texts):
        return column_index(ref)
    wanted = (ref,) if ref else DEFAULT_NAMES[role]
    for name in wanted:
        for t in texts:
            if name.lower() in t:
                return t.index(name.lower()) + 1
    where = f"{sheet.label}!A{header_rows[0]}"
    shown = ", ".join(dict.fromkeys(x for t in texts for x in t if x)) or "(empty)"
    rows = ", ".join(map(str, header_rows))
    if not required:
        if ref:
            raise _fail(where, _("no {role} column {ref!r} in header row(s) {rows}").format(role=role, ref=ref, rows=rows),
                        _("header: {cells}").format(cells=shown))
        return None
    wanted_text = repr(ref) if ref else "(" + " / ".join(DEFAULT_NAMES[role]) + ")"
    raise _fail(where, _("no {role} column {wanted} in header row(s) {rows}").format(role=role, wanted=wanted_text, rows=rows),
                _("header: {cells}; name the column in the workbook mapping, e.g. {role}: C").format(cells=shown, role=role))


def _cell(row: tuple[Any, ...], col: int) -> tuple[Any, str]:
    return row[col - 1] if 0 < col <= len(row) else (None, "General")


def _label(text: object) -> str:
    t = str(text).strip() if text is not None else ""
    return _PREFIX.sub("", t).strip()


def match_indicator(text: object, resolve: Resolve) -> str | None:
    """The declared indicator a cell names: its id or label, ignoring 其中：, indents and a (unit) suffix."""
    t = _label(text)
    if not t:
        return None
    return resolve(t) or resolve(_UNIT_SUFFIX.sub("", t))


class _Reader:
    """Collects points and located problems for one worksheet."""

    def __init__(self, path: Path, sheet: _Sheet, resolve: Resolve) -> None:
        self.path, self.sheet, self.resolve = path, sheet, resolve
        self.points: list[DataPoint] = []
        self.problems: list[Problem] = []
        self.blank_data: dict[str, tuple[int, int]] = {}  # cells read as blank: maybe formulas
        self.found: set[str] = set()

    def where(self, row: int, col: int) -> str:
        return f"{self.sheet.label}!{column_letter(col)}{row}"

    def point(self, ind: str, period: Any, row: int, col: int, unit: str, unit_is_text: bool) -> None:
        value, fmt = _cell(self.sheet.row(row), col)
        try:
            number, percent = cell_number(value, fmt)
        except CellError as e:
            self.problems.append(Problem(str(e), self.where(row, col)))
            return
        if number is None:
            if value is None:
                self.blank_data[f"{column_letter(col)}{row}"] = (row, col)
            return
        if percent and unit not in ("%", ""):
            self.problems.append(Problem(_("a percentage ({value}) for an indicator measured in {unit!r}").format(
                                             value=shown_value(value) if isinstance(value, str) else fmt, unit=unit),
                                         self.where(row, col), code="W-UNIT-MISMATCH"))
            return
        if percent and not unit:
            unit = "%"
        self.points.append(DataPoint(ind, period, number, unit if unit_is_text or percent else "",
                                     str(self.path), row, "", f"{self.sheet.name}!{column_letter(col)}{row}"))


def _long(r: _Reader, spec: WorkbookSource) -> None:
    sheet = r.sheet
    h = spec.header_rows
    by_sheet = spec.period == SHEET_PERIOD
    sheet_per = sheet_period(sheet.name) if by_sheet else None
    if by_sheet and sheet_per is None:
        raise _fail(f"{sheet.label}!A1", _("period: sheet, but the sheet name {name!r} names no period").format(name=sheet.name),
                    _("name the sheet like 2026年9月 or 2026-09"))
    c_ind = _find_column(sheet, spec.indicator, "indicator", h, True) or 1
    c_per = 0 if by_sheet else _find_column(sheet, spec.period, "period", h, True) or 2
    c_val = _find_column(sheet, spec.value, "value", h, True) or 3
    c_unit = _find_column(sheet, spec.unit, "unit", h, False)
    unknown: set[str] = set()
    for n in sheet.data_rows(spec.header_rows[-1]):
        row = sheet.row(n)
        text, _fmt = _cell(row, c_ind)
        if text is None or not str(text).strip():
            continue
        ind = match_indicator(text, r.resolve)
        if ind is None:
            if _label(text) not in unknown:  # each unknown name once, at its first row
                unknown.add(_label(text))
                r.problems.append(Problem(_("indicator {name} is not declared in data.indicators").format(
                                              name=shown_value(text)),
                                          r.where(n, c_ind), hint=_("declare it (id, label or names) or remove its rows"),
                                          code="E-UNKNOWN-INDICATOR"))
            continue
        r.found.add(ind)
        try:
            period = sheet_per or cell_period(_cell(row, c_per)[0])
        except CellError as e:
            r.problems.append(Problem(str(e), r.where(n, c_per)))
            continue
        unit = str(_cell(row, c_unit)[0] or "").strip() if c_unit else ""
        r.point(ind, period, n, c_val, unit, bool(c_unit))


def _wide_headers(sheet: _Sheet, spec: WorkbookSource) -> dict[int, Any]:
    """Column → Header for every column whose header cells name a period."""
    rows = [sheet.row(h) for h in spec.header_rows]
    width = max((len(r) for r in rows), default=0)
    filled: list[list[Any]] = []
    for k, row in enumerate(rows):
        vals = [_cell(row, c)[0] for c in range(1, width + 1)]
        if k < len(rows) - 1:  # merged (blank) cells take the value to their left
            last = None
            for i, v in enumerate(vals):
                if _blank(v):
                    vals[i] = last
                else:
                    last = v
        filled.append(vals)
    out: dict[int, Any] = {}
    for c in range(1, width + 1):
        if all(_blank(_cell(row, c)[0]) for row in rows):
            continue  # no header cell of its own (a spacer right of a merged year): not a period
        h = header_period([f[c - 1] for f in filled])
        if h is not None:
            out[c] = h
    return out


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _wide(r: _Reader, spec: WorkbookSource) -> None:
    sheet = r.sheet
    h = spec.header_rows
    c_ind = _find_column(sheet, spec.indicator or "A", "indicator", h, True) or 1
    c_unit = _find_column(sheet, spec.unit, "unit", h, False) if spec.unit else None
    columns = {c: h for c, h in _wide_headers(sheet, spec).items() if c not in (c_ind, c_unit)}
    if not columns:
        raise _fail(f"{sheet.label}!{column_letter(1)}{spec.header_rows[0]}",
                    _("no column of header row(s) {rows} names a period").format(rows=", ".join(map(str, spec.header_rows))),
                    _("headers such as 2025年 over 3月, 2025年3月, 2025-03 or 1-9月; set header_rows"))
    for n in sheet.data_rows(spec.header_rows[-1]):
        row = sheet.row(n)
        text, _fmt = _cell(row, c_ind)
        ind = match_indicator(text, r.resolve)
        if ind is None:
            continue  # titles, notes and indicators the pack does not use
        r.found.add(ind)
        unit = str(_cell(row, c_unit)[0] or "").strip() if c_unit else ""
        for c, h in columns.items():
            target = ind
            if h.cumulative:
                if not spec.cumulative:
                    continue
                target = spec.cumulative.replace("{id}", ind)
                if r.resolve(target) is None:
                    if is_missing(_cell(row, c)[0]):
                        continue
                    r.problems.append(Problem(_("cumulative column: indicator {id!r} is not declared").format(id=target),
                                              r.where(n, c), hint=_("declare it in data.indicators, or leave out "
                                                                    "cumulative: to skip 1-N月 columns"),
                                              code="E-UNKNOWN-INDICATOR"))
                    continue
            r.found.add(target)
            r.point(target, h.period, n, c, unit, bool(c_unit))


def _formula_cells(data: bytes, shown: str, sheet: str, blanks: dict[str, tuple[int, int]]) -> list[str]:
    """The blank-read cells that hold a formula (no result stored): ``["C7: =B7*2", ...]``."""
    if not blanks:
        return []
    wanted = set(blanks.values())
    wb = _open(data, shown, values=False)
    try:
        ws = wb[sheet]
        lo = min(r for r, _c in blanks.values())
        hi = max(r for r, _c in blanks.values())
        out: list[str] = []
        for n, row in enumerate(ws.iter_rows(min_row=lo, max_row=hi), lo):
            for c, cell in enumerate(row, 1):
                v = cell.value
                text = getattr(v, "text", v)  # ArrayFormula keeps its text in .text
                if (n, c) in wanted and isinstance(text, str) and text.startswith("="):
                    out.append(f"{column_letter(c)}{n}: {text[:60]}")
        return out
    finally:
        wb.close()


def _read_sheet(ws: Any, spec: WorkbookSource, shown: str) -> _Sheet:
    label = f"{shown}!{ws.title}"
    try:
        return _Sheet(label, ws.title, _rows(ws, spec.header_rows[0], spec.last_row, label))
    except BriefError:
        raise
    except Exception as e:  # noqa: BLE001 - damaged sheet XML surfaces while streaming
        raise _fail(shown, _("not a readable .xlsx workbook ({error})").format(error=f"{type(e).__name__}: {e}"),
                    _("open it in Excel or WPS and save it again as .xlsx")) from None


def _sheets(data: bytes, digest: str, spec: WorkbookSource, shown: str) -> list[_Sheet]:
    """The mapped worksheet, or with ``sheet: "*"`` every sheet named for a period (2026年9月);
    from the cache when this workbook was read with this mapping before."""
    cap = limits().data_rows
    cached = xlsxcache.lookup(digest, spec, cap)
    if cached is not None:
        return [_Sheet(f"{shown}!{name}", name, rows) for name, rows in cached]
    sheets = _read_sheets(data, spec, shown)
    xlsxcache.store(digest, spec, cap, [(s.name, s.rows) for s in sheets])
    return sheets


def _read_sheets(data: bytes, spec: WorkbookSource, shown: str) -> list[_Sheet]:
    wb = _open(data, shown, values=True)
    try:
        if spec.sheet != ALL_SHEETS:
            return [_read_sheet(_worksheet(wb, spec, shown), spec, shown)]
        chosen = [ws for ws in wb.worksheets if sheet_period(ws.title) is not None]
        if not chosen:
            raise _fail(shown, _("no sheet is named for a period"),
                        _("sheets: {names}; name them like 2026年9月 or 2026-09").format(names=", ".join(wb.sheetnames)))
        return [_read_sheet(ws, spec, shown) for ws in chosen]
    finally:
        wb.close()


def sheet_period(title: str) -> Period | None:
    h = header_period([title])
    return h.period if h is not None and not h.cumulative else None


def load_workbook(path: Path, spec: WorkbookSource, resolve: Resolve) -> tuple[list[DataPoint], set[str], str]:
    """Data points of the mapped worksheet(s), the indicators found and the workbook's SHA-256;
    raises BriefError with every problem found."""
    shown = str(path)
    data = read_workbook_bytes(path)
    digest = sha256_bytes(data)
    points: list[DataPoint] = []
    problems: list[Problem] = []
    found: set[str] = set()
    for sheet in _sheets(data, digest, spec, shown):
        if not sheet.rows:
            problems.append(Problem(_("the sheet has no rows from the header row on"),
                                    f"{sheet.label}!A{spec.header_rows[0]}", hint=_("check sheet and header_rows"),
                                    code="E-WORKBOOK"))
            continue
        reader = _Reader(path, sheet, resolve)
        try:
            (_wide if spec.layout == "wide" else _long)(reader, spec)
        except BriefError as e:
            problems.extend(e.problems)
            continue
        for f in _formula_cells(data, shown, sheet.name, reader.blank_data):
            cell, _sep, text = f.partition(": ")
            reader.problems.append(Problem(_("formula {formula} has no stored result").format(formula=text),
                                           f"{sheet.label}!{cell}",
                                           hint=_("open the workbook in Excel, WPS or LibreOffice and save "
                                                  "it so the results are stored, or paste the values"),
                                           code="E-FORMULA-NO-RESULT"))
        problems.extend(reader.problems)
        points.extend(reader.points)
        found |= reader.found
    if problems:
        raise BriefError(problems)
    return points, found, digest
