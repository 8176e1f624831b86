"""The sources appendix: each source document named once under the table, the 出处 cells giving the place in it, set as a reference table."""

from __future__ import annotations

from pathlib import Path

from briefgen.compose.appendix import sources_appendix
from briefgen.compose.composer import Composer
from briefgen.model.sourcepack import Provenance, series_provenance
from briefgen.model.spec import AppendixBlock
from briefgen.pipeline.prepare import prepare
from briefgen.tree import Table

REPO = Path(__file__).resolve().parents[2]
DOC = "《示例区主要经济指标月度数据（示意数据，非官方统计）》"


def test_provenance_splits_into_origin_and_place_and_text_is_unchanged() -> None:
    csv = Provenance("标题", "p.yaml", 3, "industry", None, "/d/x.csv", 174, (78, 166))
    assert csv.text() == "《标题》 industry，x.csv第174行（增幅据第78、166行计算）"
    assert (csv.origin(), csv.place()) == ("《标题》，x.csv", "industry，第174行（增幅据第78、166行计算）")
    cell = Provenance("标题", "p.yaml", 3, "", None, "/d/x.xlsx", 5, (), "月度数据!X5", "", ("月度数据!L5",))
    assert cell.text() == "《标题》，x.xlsx“月度数据”表X5单元格（增幅据L5单元格计算）"
    assert (cell.origin(), cell.place()) == ("《标题》，x.xlsx“月度数据”表", "X5单元格（增幅据L5单元格计算）")
    line = Provenance("", "packs/p.yaml", 3, "context.economy", 10)
    assert line.text() == "p.yaml context.economy，原文第10行"
    assert (line.origin(), line.place()) == ("p.yaml", "context.economy，原文第10行")
    rows = [Provenance("标题", "p.yaml", 3, "trade", None, "x.csv", r) for r in (90, 12, 178)]
    assert series_provenance(rows) == ("《标题》，x.csv", "trade，第12—178行中3行")
    assert series_provenance([line]) == ("", "")
    # a title within the title takes 〈〉 (helper set E: 《…（据历年《公报》整理）》)
    nested = Provenance("全国海洋生产总值（据历年《中国海洋经济统计公报》整理）", "p.yaml", 3, "", None)
    assert nested.origin() == "《全国海洋生产总值（据历年〈中国海洋经济统计公报〉整理）》"


def _appendix(spec: Path) -> Table:
    prep = prepare(spec)
    doc = Composer(prep.brief, prep.located, prep.packs, prep.theme, prep.templates).compose().document
    tables = [b for b in doc.blocks if isinstance(b, Table) and b.reference]
    assert len(tables) == 1
    return tables[0]


def test_the_monthly_reports_appendix_names_its_source_once_and_is_a_reference_table() -> None:
    t = _appendix(REPO / "briefs" / "monthly-report.yaml")
    assert [c.text for c in t.rows[0]] == ["序号", "指标", "数值", "时期", "出处"]
    assert t.source_note == f"资料来源：{DOC}，illustrative-monthly.csv。"
    where = [r[4].text for r in t.rows[1:]]
    assert where[0] == "工业生产，第174行（增幅据第78、166行计算）"  # the section by its title
    assert not any("《" in w or ".csv" in w for w in where)  # the title and file are in the note only
    assert max(len(w) for w in where) == 26  # was 83 characters with the title and file in every cell


def test_an_appendix_without_figures_says_so() -> None:
    out = sources_appendix([], AppendixBlock(appendix="sources"), "grid")
    assert len(out) == 2 and not any(isinstance(b, Table) for b in out)
