"""Excel workbooks as period data: wide and long layouts, merged and cumulative headers, percentages, missing values, formulas, damaged files."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from datakit import INDICATORS, load, load_error, store_results, values, write_pack
from openpyxl import Workbook

from briefgen.inputs import confine
from briefgen.inputs.limits import Limits, Policy, configure

WIDE = {"layout": "wide", "header_rows": [2, 3], "indicator": "指标", "unit": "单位"}


def wide_book(path: Path, extra: dict[str, object] | None = None) -> Path:
    """A 统计局-style sheet: a title, merged year headers over months, a 1-3月 cumulative column,
    percentages stored as text, "—" for a missing month and an indented 其中 row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    ws["A1"] = "主要经济指标（测试）"
    ws.merge_cells("A1:J1")
    ws["A2"], ws["B2"] = "指标", "单位"
    ws.merge_cells("A2:A3")
    ws.merge_cells("B2:B3")
    ws["C2"] = "2025年"
    ws.merge_cells("C2:E2")
    ws["F2"] = "2026年"
    ws.merge_cells("F2:I2")
    ws["J2"] = "备注"
    for col, text in zip("CDEFGHI", ["1月", "2月", "3月", "1月", "2月", "3月", "1-3月"], strict=True):
        ws[f"{col}3"] = text
    rows = [
        ("规上工业总产值", "亿元", [100.5, 90, "—", 110.25, "1,234.5", 130.0, 1474.75]),
        ("  其中：全社会用电量", "亿千瓦时", [5.5, 5.0, 6.25, 6, 5.5, "…", "-"]),
        ("城镇调查失业率", "%", ["5.3%", "5.4%", 0.052, 0.051, "5.0%", 0.049, "—"]),
        ("未声明的指标", "个", [1, 2, 3, 4, 5, 6, 7]),
    ]
    for r, (label, unit, vals) in enumerate(rows, 4):
        ws.cell(r, 1, label)
        ws.cell(r, 2, unit)
        for k, v in enumerate(vals):
            c = ws.cell(r, 3 + k, v)
            if label.startswith("城镇") and isinstance(v, float):
                c.number_format = "0.0%"
    for ref, v in (extra or {}).items():
        ws[ref] = v
    wb.save(path)
    return path


def test_wide_layout_merged_years_text_numbers_percent_and_missing(tmp_path: Path) -> None:
    wide_book(tmp_path / "月报.xlsx")
    pack = load(write_pack(tmp_path, {"files": [{"file": "月报.xlsx", **WIDE}]}))
    assert values(pack, "output") == {"2025-01": "100.5", "2025-02": "90", "2026-01": "110.25",
                                      "2026-02": "1234.5", "2026-03": "130"}  # "—" in 2025-03: missing
    assert values(pack, "power") == {"2025-01": "5.5", "2025-02": "5", "2025-03": "6.25",
                                     "2026-01": "6", "2026-02": "5.5"}  # "…" missing, not zero
    # "5.3%" text and 0.052 shown as 0.0% both give the percentage
    assert values(pack, "jobless") == {"2025-01": "5.3", "2025-02": "5.4", "2025-03": "5.2",
                                       "2026-01": "5.1", "2026-02": "5.0", "2026-03": "4.9"}
    assert "output_ytd" not in pack.series  # cumulative columns are skipped unless mapped
    pt = pack.series["output"][next(iter(pack.series["output"]))]
    assert pt.cell == "Sheet1!C4" and pt.location == (f"{tmp_path / '月报.xlsx'}!Sheet1!C4", None)


def test_cumulative_columns_feed_a_declared_indicator(tmp_path: Path) -> None:
    wide_book(tmp_path / "m.xlsx")
    pack = load(write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE, "cumulative": "{id}_ytd"}]},
                           [*INDICATORS, {"id": "output_ytd", "label": "产值累计", "unit": "亿元"},
                            {"id": "power_ytd", "label": "用电累计", "unit": "亿千瓦时"}]))
    assert values(pack, "output_ytd") == {"2026-03": "1474.75"}  # 1-3月 of 2026 → March
    assert values(pack, "power_ytd") == {}  # "-": missing


def test_cumulative_indicator_must_be_declared(tmp_path: Path) -> None:
    wide_book(tmp_path / "m.xlsx")
    err = load_error(write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE, "cumulative": "{id}_sum"}]}))
    assert "m.xlsx!Sheet1!I4: cumulative column: indicator 'output_sum' is not declared" in str(err)


def test_text_in_a_value_cell_is_a_located_error(tmp_path: Path) -> None:
    wide_book(tmp_path / "月报.xlsx", {"F5": "约6", "G4": "n/a"})
    err = load_error(write_pack(tmp_path, {"files": [{"file": "月报.xlsx", **WIDE}]}))
    text = str(err)
    assert f'{tmp_path / "月报.xlsx"}!Sheet1!F5: expected a number, got "约6"' in text
    assert '月报.xlsx!Sheet1!G4: expected a number, got "n/a"' in text
    assert "Traceback" not in text


def test_unit_and_percent_mismatches_are_located(tmp_path: Path) -> None:
    wide_book(tmp_path / "m.xlsx", {"B4": "万元"})
    text = str(load_error(write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE}]})))
    assert "m.xlsx!Sheet1!C4: unit: unit '万元' differs from indicator 'output'" in text
    wide_book(tmp_path / "m.xlsx", {"D5": "12.5%"})
    text = str(load_error(write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE}]})))
    assert "m.xlsx!Sheet1!D5: a percentage (\"12.5%\") for an indicator measured in '亿千瓦时'" in text


def test_formula_without_stored_result_is_an_error_with_it_the_value_is_used(tmp_path: Path) -> None:
    book = wide_book(tmp_path / "m.xlsx", {"E4": "=C4*2"})
    pack_file = write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE}]})
    text = str(load_error(pack_file))
    assert "m.xlsx!Sheet1!E4: formula =C4*2 has no stored result" in text
    assert "save it so the results are stored" in text
    store_results(book, {"E4": "201"})  # what Excel/WPS/LibreOffice write when they save
    assert values(load(pack_file), "output")["2025-03"] == "201"


@pytest.mark.slow
def test_formula_results_stored_by_libreoffice(tmp_path: Path) -> None:
    import shutil

    if not shutil.which("soffice"):
        pytest.skip("LibreOffice (soffice) not installed")
    src = tmp_path / "src"
    src.mkdir()
    wide_book(src / "m.xlsx", {"E4": "=C4*2"})
    r = subprocess.run(["soffice", "--headless", "--calc", "--convert-to", "xlsx", "--outdir", str(tmp_path),
                        str(src / "m.xlsx")], capture_output=True, text=True, timeout=180,
                       env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"})
    if not (tmp_path / "m.xlsx").is_file():
        pytest.skip(f"LibreOffice could not convert: {r.stderr[-200:]}")
    pack = load(write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE}]}))
    assert values(pack, "output")["2025-03"] == "201"


def test_long_layout_with_header_names_dates_and_sheet_by_index(tmp_path: Path) -> None:
    import datetime as dt

    wb = Workbook()
    wb.active.title = "说明"
    ws = wb.create_sheet("数据")
    ws.append(["指标", "时期", "数值", "单位"])
    ws.append(["output", "2026-01", 12.5, "亿元"])
    ws.append(["规上工业总产值", "2026年2月", "1,300.0", ""])
    ws.append(["output", dt.datetime(2026, 3, 1), None, "亿元"])  # blank: no data for March
    ws.append(["城镇调查失业率", "2026-03", "5.1%", "%"])
    wb.save(tmp_path / "long.xlsx")
    pack = load(write_pack(tmp_path, {"files": [{"file": "long.xlsx", "sheet": 2}]},
                           [i for i in INDICATORS if i["id"] in ("output", "jobless")]))
    assert values(pack, "output") == {"2026-01": "12.5", "2026-02": "1300.0"}
    assert values(pack, "jobless") == {"2026-03": "5.1"}
    assert pack.series["output"][next(iter(pack.series["output"]))].cell == "数据!C2"


def test_long_layout_errors_name_the_cell(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["indicator", "period", "value"])
    ws.append(["output", "2026年13月", 1])
    ws.append(["outptu", "2026-02", 2])
    ws.append(["output", "2026-03", "—"])
    wb.save(tmp_path / "l.xlsx")
    text = str(load_error(write_pack(tmp_path, {"files": ["l.xlsx"]})))
    assert "l.xlsx!Sheet!B2: expected a period" in text
    assert "l.xlsx!Sheet!A3: indicator \"outptu\" is not declared" in text


def test_missing_column_and_sheet_are_clear(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.append(["名称", "时期", "数值"])
    wb.save(tmp_path / "x.xlsx")
    text = str(load_error(write_pack(tmp_path, {"files": ["x.xlsx"]})))
    assert "x.xlsx!Sheet!A1: no indicator column (indicator / 指标 / 指标名称 / 项目) in header row(s) 1" in text
    assert "indicator: C" in text
    text = str(load_error(write_pack(tmp_path, {"files": [{"file": "x.xlsx", "sheet": "月报"}]})))
    assert "no sheet named '月报' (sheets: Sheet)" in text
    text = str(load_error(write_pack(tmp_path, {"files": [{"file": "x.xlsx", "sheet": 3}]})))
    assert "the workbook has 1 sheet(s), no sheet 3" in text


def test_label_not_found_in_a_wide_sheet(tmp_path: Path) -> None:
    wide_book(tmp_path / "m.xlsx", {"A4": "规模以上工业总产值"})
    text = str(load_error(write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE}]})))
    assert "data.files[0]: indicator 'output' (规上工业总产值) is on no row of m.xlsx" in text
    inds = [dict(i, names=["规模以上工业总产值"]) if i["id"] == "output" else i
            for i in INDICATORS]
    pack = load(write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE}]}, inds))
    assert values(pack, "output")["2025-01"] == "100.5"


def test_xls_and_damaged_files_give_clear_errors(tmp_path: Path) -> None:
    (tmp_path / "old.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    text = str(load_error(write_pack(tmp_path, {"files": ["old.xls"]})))
    assert "Excel 97-2003 .xls" in text and "save it as .xlsx" in text
    (tmp_path / "renamed.xlsx").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)
    text = str(load_error(write_pack(tmp_path, {"files": ["renamed.xlsx"]})))
    assert "Excel 97-2003 (.xls) or password-protected" in text
    (tmp_path / "bad.xlsx").write_bytes(b"PK\x03\x04 this is not really a zip")
    text = str(load_error(write_pack(tmp_path, {"files": ["bad.xlsx"]})))
    assert "bad.xlsx: not a readable .xlsx workbook" in text
    wide_book(tmp_path / "cut.xlsx")
    data = (tmp_path / "cut.xlsx").read_bytes()
    (tmp_path / "cut.xlsx").write_bytes(data[: len(data) // 2])
    text = str(load_error(write_pack(tmp_path, {"files": [{"file": "cut.xlsx", **WIDE}]})))
    assert "cut.xlsx: not a readable .xlsx workbook" in text


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    import zipfile

    with zipfile.ZipFile(tmp_path / "z.xlsx", "w") as z:
        z.writestr("hello.txt", "not a workbook")
    text = str(load_error(write_pack(tmp_path, {"files": ["z.xlsx"]})))
    assert "z.xlsx: not a readable .xlsx workbook" in text


def test_workbook_size_limit_and_confinement(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    proj = tmp_path / "proj"
    (proj / "briefs").mkdir(parents=True)
    wide_book(tmp_path / "outside.xlsx")
    pack = write_pack(proj, {"files": [{"file": "../outside.xlsx", **WIDE}]})
    with confine.scope(proj / "briefs" / "b.yaml"):
        text = str(load_error(pack))
    assert "outside.xlsx is outside the allowed folders" in text
    wide_book(proj / "m.xlsx")
    pack = write_pack(proj, {"files": [{"file": "m.xlsx", **WIDE}]})
    monkeypatch.setenv("BRIEFGEN_POLICY", "")
    configure(Policy(Limits(workbook_bytes=1000)))
    err = load_error(pack)
    assert err.exit_code == 5 and "m.xlsx: workbook is over the limit workbook_bytes=1000" in str(err)
    assert "--limit workbook_bytes=N" in str(err)


def test_cli_reports_workbook_errors_without_traceback(tmp_path: Path) -> None:
    (tmp_path / "briefs").mkdir()
    wide_book(tmp_path / "m.xlsx", {"D4": "=C4+1"})
    write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE}]})
    (tmp_path / "briefs" / "b.yaml").write_text(
        "title: t\nperiod: 2026-03\nsources: {m: ../pack.yaml}\nblocks:\n  - text: '{fig:output}'\n",
        encoding="utf-8")
    r = subprocess.run([sys.executable, "-m", "briefgen", "check", str(tmp_path / "briefs" / "b.yaml")],
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 3, r.stderr
    assert "m.xlsx!Sheet1!D4: formula =C4+1 has no stored result" in r.stderr
    assert "Traceback" not in r.stderr


def test_mapping_mistakes_are_located_in_the_pack(tmp_path: Path) -> None:
    wide_book(tmp_path / "m.xlsx")
    (tmp_path / "d.csv").write_text("period,indicator,value\n", encoding="utf-8")
    pack_file = write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE, "layout": "tall"},
                                                {"file": "d.csv", "sheet": 1},
                                                {"file": "m.xlsx", "cumulative": "ytd"}]})
    text = str(load_error(pack_file))
    assert f"{pack_file}:" in text
    assert "data.files[0].layout" in text and "'long' or 'wide'" in text
    assert "data.files[2].cumulative" in text and "must contain {id}" in text
    fixed = write_pack(tmp_path, {"files": [{"file": "d.csv", "sheet": 1}]})
    assert "data.files[0].file: d.csv is not an .xlsx workbook" in str(load_error(fixed))


def test_zip_bomb_is_refused_before_parsing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import zipfile

    book = wide_book(tmp_path / "m.xlsx")
    with zipfile.ZipFile(book, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/padding.xml", b"<a>" + b"0" * 2_000_000 + b"</a>")
    assert book.stat().st_size < 20_000
    monkeypatch.setenv("BRIEFGEN_POLICY", "")
    configure(Policy(Limits(workbook_bytes=20_000)))
    err = load_error(write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE}]}))
    assert err.exit_code == 5 and "over 40× the limit workbook_bytes=20000" in str(err)


def test_a_column_without_header_of_its_own_is_no_period(tmp_path: Path) -> None:
    # J2/J3 are blank (a spacer right of the merged 2026年): its notes are not read as 2026 values
    wide_book(tmp_path / "m.xlsx", {"J2": None, "J4": "快报数", "J5": "初步统计"})
    pack = load(write_pack(tmp_path, {"files": [{"file": "m.xlsx", **WIDE}]}))
    assert "2026" not in values(pack, "output")


def test_one_sheet_per_month(tmp_path: Path) -> None:
    wb = Workbook()
    wb.active.title = "说明"
    wb.active["A1"] = "各月数据见后表"
    for title, base in (("2026年8月", 100.0), ("2026年9月", 110.0), ("2026.10", 120.0)):
        ws = wb.create_sheet(title)
        ws.append(["指标", "单位", "本月", "1-本月累计", "同比增长%"])
        ws.append(["规上工业总产值", "亿元", base, base * 8, "3.2"])
        ws.append(["城镇调查失业率", "%", "5.1%", "—", "—"])
    wb.save(tmp_path / "月报.xlsx")
    mapping = {"file": "月报.xlsx", "sheet": "*", "period": "sheet", "value": "本月", "unit": "单位"}
    inds = [i for i in INDICATORS if i["id"] in ("output", "jobless")]
    pack = load(write_pack(tmp_path, {"files": [mapping]}, inds))
    assert values(pack, "output") == {"2026-08": "100", "2026-09": "110", "2026-10": "120"}
    assert values(pack, "jobless") == {"2026-08": "5.1", "2026-09": "5.1", "2026-10": "5.1"}
    assert pack.series["output"][next(iter(pack.series["output"]))].cell == "2026年8月!C2"
    text = str(load_error(write_pack(tmp_path, {"files": [{**mapping, "sheet": 1}]}, inds)))
    assert "月报.xlsx!说明!A1: period: sheet, but the sheet name '说明' names no period" in text
    text = str(load_error(write_pack(tmp_path, {"files": [{**mapping, "layout": "wide"}]}, inds)))
    assert "period: sheet is for the long layout" in text
