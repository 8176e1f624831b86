"""The monthly example from CSV, from an .xlsx workbook, from SQLite and from PostgreSQL: same numbers, same bytes (without the sources appendix), each naming its own provenance."""

from __future__ import annotations

import importlib.util
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from types import ModuleType

import pytest

from briefgen.compose.composer import Composer
from briefgen.model.sourcepack import load_pack
from briefgen.pipeline.prepare import prepare
from briefgen.tree import document_text

#: Each test builds whole briefs (and opens some in LibreOffice): the full run, not the fast tier.
pytestmark = pytest.mark.slow

REPO = Path(__file__).resolve().parents[2]
VARIANTS = ("", "-xlsx", "-sqlite")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_example_data", REPO / "data" / "make_example_data.py")
    assert spec is not None and spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _series(pack_file: Path) -> dict[str, dict[str, str]]:
    pack = load_pack(pack_file, "2026-10", {})
    return {i: {str(p): str(pt.value) for p, pt in s.items()} for i, s in pack.series.items()}


def test_committed_workbook_and_database_hold_the_csv_numbers() -> None:
    csv = _series(REPO / "sources" / "illustrative-monthly.yaml")
    assert sum(len(s) for s in csv.values()) == 176
    assert _series(REPO / "sources" / "illustrative-monthly-xlsx.yaml") == csv
    assert _series(REPO / "sources" / "illustrative-monthly-sqlite.yaml") == csv


def test_regenerating_gives_the_same_values(tmp_path: Path) -> None:
    for sub in ("sources", "data"):
        (tmp_path / sub).mkdir()
    mod = _script()
    assert mod.main(["make", str(tmp_path / "data")]) == 0
    shutil.copy(mod.CSV, tmp_path / "data")
    for kind in ("", "-xlsx", "-sqlite"):
        shutil.copy(REPO / "sources" / f"illustrative-monthly{kind}.yaml", tmp_path / "sources")
        assert _series(tmp_path / "sources" / f"illustrative-monthly{kind}.yaml") == \
            _series(REPO / "sources" / f"illustrative-monthly{kind}.yaml")


def _appendix(spec: Path) -> str:
    prep = prepare(spec)
    doc = Composer(prep.brief, prep.located, prep.packs, prep.theme, prep.templates).compose().document
    text = "\n".join(document_text(doc))
    return text[text.rindex("数据来源"):]


def test_appendix_names_each_variants_provenance() -> None:
    csv = _appendix(REPO / "briefs" / "monthly-report.yaml")
    xlsx = _appendix(REPO / "briefs" / "monthly-report-xlsx.yaml")
    db = _appendix(REPO / "briefs" / "monthly-report-sqlite.yaml")
    # each source (document and data file, sheet or query) is named once, under the table;
    # the 出处 cells give the place in it
    title = "《示例区主要经济指标月度数据（示意数据，非官方统计）》"
    assert f"资料来源：{title}，illustrative-monthly.csv。" in csv
    assert "\n工业生产，第174行（增幅据第78、166行计算）\n" in csv
    # workbook, sheet and cells: October 2026 is column X, its year-ago L, the month before W
    assert f"资料来源：{title}，illustrative-monthly.xlsx“月度数据”表。" in xlsx
    assert "\n工业生产，X5单元格（增幅据L5、W5单元格计算）\n" in xlsx
    assert "\n工业生产，M5—X5中12个单元格\n" in xlsx
    assert f"资料来源：{title}，数据库illustrative-monthly.db查询“monthly表月度指标”结果。" in db
    assert "\n工业生产，第" in db
    assert all(t.count(title) == 1 for t in (csv, xlsx, db))
    assert ".csv" not in xlsx + db and ".xlsx" not in csv + db and ".db" not in csv + xlsx


def _project(tmp_path: Path) -> Path:
    for sub in ("briefs", "sources", "data"):
        shutil.copytree(REPO / sub, tmp_path / sub)
    for spec in (tmp_path / "briefs").glob("monthly-report*.yaml"):
        text = spec.read_text(encoding="utf-8")
        spec.write_text(re.sub(r"^  - appendix: sources\n", "", text, flags=re.M), encoding="utf-8")
    return tmp_path


def _build(project: Path, spec: str, out: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    import os

    return subprocess.run([sys.executable, "-m", "briefgen", "build", f"briefs/{spec}.yaml", "-o", out, "-v"],
                          cwd=project, capture_output=True, text=True, timeout=600,
                          env={**os.environ, **(env or {})})


def _outputs(folder: Path) -> dict[str, bytes]:
    return {p.suffix: p.read_bytes() for p in folder.iterdir() if p.suffix in (".docx", ".pdf")}


@pytest.mark.slow
def test_csv_xlsx_and_sqlite_build_byte_identical_outputs(tmp_path: Path) -> None:
    project = _project(tmp_path)
    built = {}
    for kind in VARIANTS:
        r = _build(project, f"monthly-report{kind}", f"out{kind}")
        assert r.returncode == 0, r.stderr
        built[kind] = _outputs(project / f"out{kind}")
        assert set(built[kind]) == {".docx", ".pdf"}
    assert built["-xlsx"] == built[""]
    assert built["-sqlite"] == built[""]


@pytest.mark.slow
def test_monthly_report_from_postgresql(tmp_path: Path, postgres: dict[str, str]) -> None:
    project = _project(tmp_path)
    pack = (project / "sources" / "illustrative-monthly-sqlite.yaml").read_text(encoding="utf-8")
    pack = pack.replace("sqlite:///../data/illustrative-monthly.db", postgres["url"])
    (project / "sources" / "illustrative-monthly-pg.yaml").write_text(pack, encoding="utf-8")
    brief = (project / "briefs" / "monthly-report.yaml").read_text(encoding="utf-8")
    (project / "briefs" / "monthly-report-pg.yaml").write_text(
        brief.replace("illustrative-monthly.yaml", "illustrative-monthly-pg.yaml"), encoding="utf-8")
    password = postgres["password"]
    r = _build(project, "monthly-report-pg", "out-pg", {"BRIEFGEN_DB_PASSWORD": password})
    assert r.returncode == 0, r.stderr
    ref = _build(project, "monthly-report", "out")
    assert ref.returncode == 0, ref.stderr
    assert _outputs(project / "out-pg") == _outputs(project / "out")
    # the password is nowhere: not in the output, the log, the manifest or the documents
    manifest = (project / "out-pg" / "briefgen-manifest.json").read_text(encoding="utf-8")
    assert '"kind": "query"' in manifest and "postgresql://briefgen@127.0.0.1" in manifest
    seen = [r.stdout, r.stderr, manifest]
    for doc in (project / "out-pg").iterdir():
        if doc.suffix == ".docx":
            with zipfile.ZipFile(doc) as z:
                seen += [z.read(n).decode("utf-8", "replace") for n in z.namelist()]
        elif doc.suffix == ".pdf":
            seen.append(doc.read_bytes().decode("latin-1"))
    assert all(password not in s for s in seen)
    # without the password: a clear error, exit 3, no traceback
    r = _build(project, "monthly-report-pg", "out-nopw", {"BRIEFGEN_DB_PASSWORD": "", "PGPASSWORD": "",
                                                           "PGPASSFILE": str(tmp_path / "none")})
    assert r.returncode == 3 and "data.query" in r.stderr and "Traceback" not in r.stderr
    assert password not in r.stderr


def test_stale_findings_are_the_same_for_every_source() -> None:
    found = []
    for kind in VARIANTS:
        r = subprocess.run([sys.executable, "-m", "briefgen", "check", f"briefs/monthly-report{kind}.yaml",
                            "--set", "period=2026-11"], cwd=REPO, capture_output=True, text=True, timeout=300)
        assert r.returncode == 0, r.stderr
        lines = [re.sub(r"^briefs/[^:]+:\d+:", "", ln) for ln in r.stderr.splitlines() if "stale figure" in ln]
        assert len(lines) == 1 and "27 alike" in lines[0]  # the 27 stale figures, grouped
        found.append(lines)
    assert found[1] == found[0] and found[2] == found[0]


def test_list_binds_the_period_of_a_database_pack() -> None:
    pack = "sources/illustrative-monthly-sqlite.yaml"
    r = subprocess.run([sys.executable, "-m", "briefgen", "list", pack, "--period", "2026-09"], cwd=REPO,
                       capture_output=True, text=True, timeout=120)
    assert r.returncode == 0, r.stderr
    assert "[2025-01..2026-09, 21 values]" in r.stdout  # :to is the period
    r = subprocess.run([sys.executable, "-m", "briefgen", "list", pack], cwd=REPO, capture_output=True,
                       text=True, timeout=120)
    assert r.returncode == 3 and "data.query: the query uses :period/:from/:to" in r.stderr
