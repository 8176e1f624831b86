"""A table's type size: a crowded table is set in the theme's smaller reference size, a table whose rows fit stays at the table size, the author's choice wins."""

from __future__ import annotations

from pathlib import Path

from briefgen.compose.composer import Composer
from briefgen.compose.table_type import Choice, table_setup
from briefgen.model.theme import load_theme
from briefgen.pipeline.prepare import prepare
from briefgen.tree import Table, TableCell

REPO = Path(__file__).resolve().parents[2]
HEAD = ["指标", "数值", "单位", "增幅", "时期", "范围"]


def _table(rows: list[list[str]], head: list[str] = HEAD) -> Table:
    right = {1, 3}
    cells = [[TableCell(t, "center", True) for t in head]]
    cells += [[TableCell(t, "right" if j in right else "left") for j, t in enumerate(r)] for r in rows]
    return Table(rows=cells, header_rows=1)


# six columns of figures, periods and lists: at 四号 the labels run to four lines and a list of
# two cities ends on a line of two characters; at 小四 neither
CROWDED = [
    ["首次跨区域任职的苏州、上海处级和科级干部", "8", "名", "", "2021年1月", "苏州、上海"],
    ["与吴江民企党组织结对共建的省级机关党组织", "41", "个", "", "2019年7月以来", "省级机关"],
    ["全社会固定资产投资", "357", "亿元", "增长5.9%", "2022年上半年", "全区"],
    ["工业投资", "114", "亿元", "增长12.2%", "2022年上半年", "全区"],
    ["居民人均可支配收入", "65294", "元", "比上年增长8.8%", "2021年", "全区"],
    ["“青蓝工程”首期异地挂职年轻干部", "20", "名", "", "", "青浦、吴江、嘉善三地五镇"],
] * 4


def test_a_crowded_table_is_set_in_the_reference_size() -> None:
    theme = load_theme("report")
    assert theme.sizes.reference_table < theme.sizes.table
    assert table_setup([_table(CROWDED)], theme, landscape=False).reference


def test_a_table_whose_rows_fit_keeps_the_table_size() -> None:
    rows = [["规上工业总产值", "2231", "亿元"], ["工业投资", "114", "亿元"], ["常住人口", "155.9", "万人"]] * 5
    theme = load_theme("report")
    assert not table_setup([_table(rows, ["指标", "数值", "单位"])], theme).reference
    assert table_setup([Table(rows=[[TableCell("指标")]], header_rows=1)], theme) == Choice()


def test_a_table_set_upright_without_faults_is_not_turned() -> None:
    got = table_setup([_table(CROWDED)], load_theme("report"))
    assert not got.landscape and got.reference


def _tables(spec: Path) -> list[Table]:
    prep = prepare(spec)
    doc = Composer(prep.brief, prep.located, prep.packs, prep.theme, prep.templates).compose().document
    return [b for b in doc.blocks if isinstance(b, Table)]


def test_the_key_figures_report_sets_its_full_table_compact_unless_the_author_says_not(tmp_path: Path) -> None:
    spec = REPO / "briefs" / "wujiang-key-figures-report.yaml"
    auto = _tables(spec)
    assert auto and all(t.reference for t in auto)
    (tmp_path / "briefs").mkdir()
    (tmp_path / "sources").mkdir()
    pack = REPO / "sources" / "wujiang-2022-09-23.yaml"
    (tmp_path / "sources" / pack.name).write_bytes(pack.read_bytes())
    text = spec.read_text(encoding="utf-8")
    assert "    group_by_category: true\n" in text
    off = tmp_path / "briefs" / spec.name
    off.write_text(text.replace("    group_by_category: true\n", "    group_by_category: true\n    compact: false\n"),
                   encoding="utf-8")
    assert not any(t.reference for t in _tables(off))


def test_many_regions_over_two_years_are_set_as_rows_upright() -> None:
    from decimal import Decimal

    from briefgen.compose.keyfig_tables import indicator_table, series_table

    labels = [f"{c}常住人口" for c in ["南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城",
                                       "扬州", "镇江", "泰州", "宿迁", "苏南", "苏中", "苏北"]]
    args = (labels, ["万人"] * 16, ["2017年", "2018年"], [[Decimal("833.50"), Decimal("843.62")]] * 16, "", "", "grid")
    theme = load_theme("report")
    got = table_setup([series_table(*args), indicator_table(*args)], theme)
    assert got.form == 1 and not got.landscape  # 17 rows of 3 columns, not 17 columns
    assert table_setup([series_table(*args), indicator_table(*args)], theme, form=0).form == 0  # the author's
    # and a crowded six-column table: upright in the reference size, not turned
    crowded = table_setup([_table(CROWDED)], theme)
    assert crowded.reference and not crowded.landscape
    assert not table_setup([_table(CROWDED)], theme, reference=False).reference
