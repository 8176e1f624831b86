"""Turn data/illustrative-monthly.csv into the same numbers as an Excel workbook (wide layout) and an SQLite database.

示意数据 ILLUSTRATIVE DATA — NOT OFFICIAL STATISTICS. The monthly example reads its numbers from
the CSV (sources/illustrative-monthly.yaml), from the workbook built here
(sources/illustrative-monthly-xlsx.yaml) or from the database built here
(sources/illustrative-monthly-sqlite.yaml); all three give the same report.

Run from anywhere: ``python data/make_example_data.py`` (needs openpyxl). Both outputs are
committed, so the examples work without running this script.

The workbook is laid out the way statistics offices send monthly tables: a title row, a note row,
two header rows (a merged year cell over month cells, plus a cumulative 1-10月 column), one row
per indicator with its unit, values with one decimal and the unemployment rate as a percentage
(0.053 shown as 5.3%).
"""

from __future__ import annotations

import csv
import datetime as dt
import sqlite3
import sys
from decimal import Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent
CSV = HERE / "illustrative-monthly.csv"
XLSX = HERE / "illustrative-monthly.xlsx"
DB = HERE / "illustrative-monthly.db"
SHEET = "月度数据"
TITLE = "示例区主要经济指标月度数据（示意数据，非官方统计）"
NOTE = "资料来源：briefgen示意数据集。全部数字由briefgen项目虚构，不是统计数据，不得引用。"
LABELS = {  # indicator id → the label printed in the workbook (as sources/illustrative-monthly.yaml)
    "industrial_output": "规上工业总产值",
    "electricity": "全社会用电量",
    "fixed_investment": "固定资产投资",
    "retail_sales": "社会消费品零售总额",
    "exports": "出口总额",
    "exports_general": "其中：一般贸易出口",
    "exports_processing": "加工贸易出口",
    "unemployment": "城镇调查失业率",
}
PERCENT = {"unemployment"}  # stored as a fraction with a 0.0% format
FIXED_TIME = dt.datetime(2026, 11, 1, 8, 0, 0)


def read_rows(path: Path = CSV) -> list[dict[str, str]]:
    """The CSV's data rows (comment lines dropped)."""
    lines = [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln and not ln.startswith("#")]
    return list(csv.DictReader(lines))


def build_workbook(rows: list[dict[str, str]], dest: Path) -> None:
    """The wide-layout workbook: indicators down, months across under merged year headers."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    months = sorted({r["period"] for r in rows})
    values = {(r["indicator"], r["period"]): Decimal(r["value"]) for r in rows}
    units = {r["indicator"]: r["unit"] for r in rows}
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    last_year = months[-1][:4]
    ytd = [m for m in months if m.startswith(last_year)]
    width = 2 + len(months) + 1
    ws.cell(1, 1, TITLE).font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    ws.cell(2, 1, NOTE)
    ws.merge_cells(start_row=2, start_column=1, end_row=2, end_column=width)
    for col, text in ((1, "指标"), (2, "单位")):
        ws.cell(3, col, text)
        ws.merge_cells(start_row=3, start_column=col, end_row=4, end_column=col)
    col = 3
    for year in sorted({m[:4] for m in months}):
        in_year = [m for m in months if m.startswith(year)]
        span = len(in_year) + (1 if year == last_year else 0)  # the cumulative column sits under its year
        ws.cell(3, col, f"{year}年")
        ws.merge_cells(start_row=3, start_column=col, end_row=3, end_column=col + span - 1)
        for m in in_year:
            ws.cell(4, col, f"{int(m[5:])}月")
            col += 1
        if year == last_year:
            ws.cell(4, col, f"1-{int(ytd[-1][5:])}月")
            col += 1
    for i, ind in enumerate(LABELS):
        r = 5 + i
        ws.cell(r, 1, LABELS[ind])
        ws.cell(r, 2, units[ind])
        for k, m in enumerate(months):
            c = ws.cell(r, 3 + k)
            v = values.get((ind, m))
            if v is None:
                c.value = "—"
            elif ind in PERCENT:
                c.value, c.number_format = float(v / 100), "0.0%"
            else:
                c.value, c.number_format = float(v), "0.0"
        c = ws.cell(r, 3 + len(months))  # 1-N月 cumulative: a sum for amounts, "—" for a rate
        if ind in PERCENT:
            c.value = "—"
        else:
            c.value, c.number_format = float(sum(values[(ind, m)] for m in ytd)), "0.0"
    for c in range(1, width + 1):
        ws.column_dimensions[get_column_letter(c)].width = 20 if c == 1 else 9
    for row in ws.iter_rows(min_row=3, max_row=4):
        for cell in row:
            cell.alignment = Alignment(horizontal="center", vertical="center")
    ws.freeze_panes = "C5"
    wb.properties.creator = "briefgen example"
    wb.properties.title = TITLE
    wb.properties.created = wb.properties.modified = FIXED_TIME
    wb.save(dest)


def build_sqlite(rows: list[dict[str, str]], dest: Path) -> None:
    """Table ``monthly (period, indicator, value REAL, unit)``, one row per CSV row."""
    dest.unlink(missing_ok=True)
    con = sqlite3.connect(dest)
    try:
        con.execute("CREATE TABLE monthly (period TEXT NOT NULL, indicator TEXT NOT NULL, value REAL, "
                    "unit TEXT, PRIMARY KEY (indicator, period))")
        con.execute("CREATE TABLE about (note TEXT)")
        con.execute("INSERT INTO about VALUES (?)", (NOTE,))
        con.executemany("INSERT INTO monthly VALUES (?, ?, ?, ?)",
                        [(r["period"], r["indicator"], float(r["value"]), r["unit"]) for r in rows])
        con.commit()
    finally:
        con.close()


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else HERE
    rows = read_rows()
    build_workbook(rows, out / XLSX.name)
    build_sqlite(rows, out / DB.name)
    print(f"wrote {out / XLSX.name} and {out / DB.name} ({len(rows)} values)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
