"""model.data.sources: a pack's data section read from CSV and workbook files into points, hashes and located problems."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from briefgen.inputs.yamlsafe import load_yaml_text
from briefgen.model.data.sources import query_params, read_sources, resolver, sha_text
from briefgen.model.sourcepack import DataSection, Indicator

PACK = "data:\n  files:\n    - d.csv\n    - w.xlsx\n  indicators: []\n"
INDICATORS = {"output": Indicator.model_validate({"id": "output", "label": "规上工业总产值", "unit": "亿元",
                                                 "names": ["工业产值"]}),
              "power": Indicator.model_validate({"id": "power", "label": "全社会用电量", "unit": "亿千瓦时"})}


def _section(files: list[object]) -> DataSection:
    return DataSection.model_validate({"files": files, "indicators": [i.model_dump() for i in INDICATORS.values()]})


def _files(tmp: Path) -> None:
    (tmp / "d.csv").write_text("period,indicator,value,unit\n2025-03,output,218.5,亿元\n", encoding="utf-8")
    wb = Workbook()
    ws = wb.active
    assert isinstance(ws, Worksheet)
    for r in (["指标", "时期", "数值"], ["全社会用电量", "2025-03", 12]):
        ws.append(r)
    wb.save(tmp / "w.xlsx")


def test_resolver_and_query_params() -> None:
    assert resolver(INDICATORS) == {"output": "output", "规上工业总产值": "output", "工业产值": "output",
                                    "power": "power", "全社会用电量": "power"}
    assert query_params("2025-03", {"county": "示例县"}, 2) == {
        "county": "示例县", "period": "2025-03", "to": "2025-03", "from": "2025-01"}
    assert query_params("", {}, 2) == {"period": None, "to": None, "from": None}
    assert sha_text("select 1") == sha_text("select 1") and len(sha_text("x")) == 16


def test_csv_and_workbook_read(tmp_path: Path) -> None:
    _files(tmp_path)
    loc = load_yaml_text(PACK, str(tmp_path / "pack.yaml"))
    out = read_sources(_section(["d.csv", "w.xlsx"]), tmp_path / "pack.yaml", loc, INDICATORS, {})
    assert not out.problems
    assert sorted((p.indicator, str(p.period), str(p.value)) for p in out.points) == [
        ("output", "2025-03", "218.5"), ("power", "2025-03", "12")]
    assert set(out.files) == {(tmp_path / "d.csv").resolve(), (tmp_path / "w.xlsx").resolve()}
    assert all(len(h) == 64 for h in out.files.values())


def test_missing_file_located_at_its_entry(tmp_path: Path) -> None:
    _files(tmp_path)
    loc = load_yaml_text(PACK, str(tmp_path / "pack.yaml"))
    out = read_sources(_section(["d.csv", "d2.csv"]), tmp_path / "pack.yaml", loc, INDICATORS, {})
    assert len(out.problems) == 1
    p = out.problems[0]
    assert p.line == 4 and "d2.csv" in str(p) and "d.csv" in str(p)  # suggests the file that exists


def test_indicator_on_no_workbook_row(tmp_path: Path) -> None:
    _files(tmp_path)
    loc = load_yaml_text(PACK, str(tmp_path / "pack.yaml"))
    out = read_sources(_section(["w.xlsx"]), tmp_path / "pack.yaml", loc, INDICATORS, {})
    assert len(out.problems) == 1
    assert "'output' (规上工业总产值) is on no row of w.xlsx" in str(out.problems[0])


def test_mapping_for_a_csv_is_refused(tmp_path: Path) -> None:
    _files(tmp_path)
    loc = load_yaml_text(PACK, str(tmp_path / "pack.yaml"))
    out = read_sources(_section([{"file": "d.csv", "sheet": 1}]), tmp_path / "pack.yaml", loc, INDICATORS, {})
    assert "not an .xlsx workbook" in str(out.problems[0])
