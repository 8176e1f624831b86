"""Inline figures in free text and templates, figure tables (columns, units, signs, subtotals), landscape choice."""

from __future__ import annotations

import shutil
from decimal import Decimal
from pathlib import Path

import pytest

from briefgen.compose.keyfig_tables import COMPUTED_MARK, change_text, figure_table
from briefgen.errors import BriefError
from briefgen.model.sourcepack import Change, Figure
from briefgen.pipeline.prepare import prepare
from briefgen.pipeline.render import compose
from briefgen.tree import Chart, Paragraph, Table, TableCell, document_text


@pytest.fixture
def work(tmp_path: Path, fixtures: Path) -> Path:
    shutil.copy(fixtures / "mini-pack.yaml", tmp_path / "mini-pack.yaml")
    shutil.copy(fixtures / "mini-brief.yaml", tmp_path / "brief.yaml")
    return tmp_path


def _text_block(work: Path, text: str, extra: str = "") -> Path:
    """The mini brief with its last text block replaced by ``text`` (a YAML block scalar)."""
    p = work / "brief.yaml"
    src = p.read_text(encoding="utf-8")
    old = "  - text: |\n      以上材料**仅供参考**，请结合实际*学习*。"
    assert old in src
    body = "\n".join("      " + ln for ln in text.splitlines())
    p.write_text(src.replace(old, "  - text: |\n" + body) + extra, encoding="utf-8")
    return p


def _errors(spec: Path) -> list[str]:
    with pytest.raises(BriefError) as ei:
        compose(prepare(spec))
    return [str(p) for p in ei.value.problems]


def _line_of(spec: Path, needle: str) -> int:
    return next(i for i, ln in enumerate(spec.read_text(encoding="utf-8").splitlines(), 1) if needle in ln)


# ---------------------------------------------------------------- inline figures


def test_placeholders_fill_figures_and_text_stays_literal(work: Path) -> None:
    spec = _text_block(work, "GDP为{fig:gdp_2023}，{fig:gdp_2023|change}；{{ 7*7 }} {% x %} <b>b</b>\n"
                             "服务站{fig:stations|label}，时期{fig:gdp_2023|when}，原样\\{fig:gdp_2023}。")
    doc = compose(prepare(spec)).document
    text = "\n".join(document_text(doc))
    assert "GDP为1234.56亿元，比上年增长5.2%" in text
    assert "{{ 7*7 }} {% x %} <b>b</b>" in text  # never a template, never markup
    assert "服务站网格服务站超120个" in text and "时期2023年" in text
    assert "原样{fig:gdp_2023}" in text


def test_unknown_inline_figure_names_line_column_and_close_ids(work: Path) -> None:
    spec = _text_block(work, "第一行。\n第二行GDP为{fig:gdp_2032}。")
    line = _line_of(spec, "{fig:gdp_2032}")
    errs = _errors(spec)
    assert any(e.startswith(f"{spec}:{line}:") and "unknown figure 'gdp_2032'" in e
               and "did you mean gdp_2023" in e for e in errs), errs


def test_unknown_format_and_missing_change_are_located(work: Path) -> None:
    spec = _text_block(work, "甲{fig:gdp_2023|chnage}乙{fig:stations|change}")
    errs = _errors(spec)
    assert any("unknown figure format 'chnage'" in e and "did you mean change" in e for e in errs), errs
    assert any("'stations' has no change" in e for e in errs), errs


def test_period_placeholder_needs_a_period(work: Path) -> None:
    spec = _text_block(work, "{period}情况")
    assert any("{period} needs the brief's period" in e for e in _errors(spec))
    text = spec.read_text(encoding="utf-8").replace("date: 2024-05-10", "date: 2024-05-10\nperiod: 2024-04")
    spec.write_text(text, encoding="utf-8")
    assert "2024年4月情况" in document_text(compose(prepare(spec)).document)


def test_unknown_figure_in_template_names_template_line(work: Path) -> None:
    (work / "tpl").mkdir()
    (work / "tpl" / "f.xml.j2").write_text("<p>{{ section.title }}</p>\n<p>{{ fig('gdp_2033') }}</p>\n",
                                           encoding="utf-8")
    spec = work / "brief.yaml"
    src = spec.read_text(encoding="utf-8").replace("theme: gongwen", "theme: gongwen\ntemplates: [tpl]")
    spec.write_text(src.replace("    mode: full", "    mode: full\n    template: f.xml.j2"), encoding="utf-8")
    errs = _errors(spec)
    assert any("f.xml.j2:2" in e and "unknown figure 'gdp_2033'" in e and "gdp_2023" in e for e in errs), errs


def test_computed_changes_in_text_get_a_note(monthly_brief: Path) -> None:
    doc = compose(prepare(monthly_brief)).document
    notes = [b.text for b in doc.blocks if isinstance(b, Paragraph) and b.role == "source"]
    assert any("计算值" in n for n in notes)


@pytest.fixture
def monthly_brief(tmp_path: Path) -> Path:
    from keyfigkit import monthly_copy

    return monthly_copy(tmp_path)


# ---------------------------------------------------------------- tables


def fig(fid: str, value: str, unit: str = "亿元", change: tuple[str, str, str] | None = None, **kw: object) -> Figure:
    ch = Change(value=Decimal(change[0]), unit=change[1], basis=change[2], computed=False) if change else None
    return Figure(id=fid, label=kw.pop("label", fid), value=Decimal(value), unit=unit, change=ch,  # type: ignore[arg-type]
                  period=kw.pop("period", "2026年10月"), **kw)  # type: ignore[arg-type]


def cells(t: Table) -> list[list[str]]:
    return [[c.text for c in r] for r in t.rows]


def test_shared_unit_moves_into_the_header() -> None:
    t = figure_table([fig("a", "1.5"), fig("b", "2")], ["label", "value", "unit"], "", "", "three-line")
    assert cells(t) == [["指标", "数值（亿元）"], ["a", "1.5"], ["b", "2"]]
    titled = figure_table([fig("a", "1.5"), fig("b", "2")], ["label", "value", "unit"], "", "", "grid",
                          titles={"value": "本月（亿元）"})
    assert cells(titled)[0] == ["指标", "本月（亿元）"]  # the title says the unit already: not twice
    t = figure_table([fig("a", "1.5"), fig("b", "2", unit="%")], ["label", "value", "unit"], "", "", "three-line")
    assert cells(t)[0] == ["指标", "数值", "单位"] and cells(t)[2] == ["b", "2", "%"]


def test_shared_period_moves_into_the_caption() -> None:
    cols = ["label", "value", "period"]
    t = figure_table([fig("a", "1.5"), fig("b", "2")], cols, "主要指标", "", "three-line")
    assert t.caption == "主要指标（2026年10月）" and cells(t)[:2] == [["指标", "数值"], ["a", "1.5亿元"]]
    t = figure_table([fig("a", "1.5"), fig("b", "2", period="2026年9月")], cols, "主要指标", "", "grid")
    assert t.caption == "主要指标" and cells(t)[0][-1] == "时期"  # periods differ: the column stays
    assert cells(figure_table([fig("a", "1"), fig("b", "2")], cols, "", "", "grid"))[0][-1] == "时期"  # no caption
    said = figure_table([fig("a", "1.5"), fig("b", "2")], cols, "2026年10月主要指标", "", "grid")
    assert said.caption == "2026年10月主要指标" and cells(said)[0] == ["指标", "数值"]  # not said twice


def test_rate_differences_in_percentage_points_and_signed_option() -> None:
    rate = fig("r", "5.1", "%", ("-0.3", "百分点", "同比"))
    grow = fig("g", "10", "亿元", ("4.1", "%", "同比"))
    assert change_text(rate.change) == "下降0.3个百分点"
    assert change_text(grow.change) == "增长4.1%"
    flat = fig("f", "5.1", "%", ("0.0", "百分点", "环比"))
    assert change_text(flat.change, omit_basis=()) == "环比持平"
    # a basis that already says the direction is not given a second verb (not 比上年提高提高0.08…)
    said = fig("s", "2.64", "%", ("0.08", "个百分点", "比上年提高"))
    assert change_text(said.change) == "比上年提高0.08个百分点"
    # the value is signed: a basis word the other way round is turned (not 比上年末增加2.1万处)
    turned = {("-2.1", "万处", "比上年末增加"): "比上年末减少2.1万处", ("-3", "%", "比上年增长"): "比上年下降3%",
              ("1.3", "个百分点", "比上年下降"): "比上年提高1.3个百分点", ("-1", "个百分点", "高于上年"): "低于上年1个百分点",
              ("12.1", "个百分点", "高于上年"): "高于上年12.1个百分点", ("6.1", "个百分点", "提升"): "提升6.1个百分点"}
    # a word whose sense is its subject's (降幅 narrowing while the index rises) is printed as written
    turned[("0.3", "个百分点", "降幅比上月收窄")] = "降幅比上月收窄0.3个百分点"  # not 收窄提高 (helper set F)
    turned[("-0.2", "个百分点", "差距扩大")] = "差距扩大0.2个百分点"
    turned[("0.4", "个百分点", "降幅比上月扩大")] = "降幅比上月扩大0.4个百分点"
    for change, text in turned.items():
        assert change_text(fig("x", "1", "%", change).change) == text
    t = figure_table([rate, grow], ["label", "change"], "", "", "grid", signed=True)
    assert cells(t)[1:] == [["r", "−0.3个百分点"], ["g", "+4.1%"]]
    t = figure_table([rate, grow], ["label", "yoy"], "", "", "grid", titles={"yoy": "比上年同月"})
    assert cells(t) == [["指标", "比上年同月"], ["r", "下降0.3个百分点"], ["g", "增长4.1%"]]


def test_subtotals_follow_their_parts_in_bold_within_categories() -> None:
    total = fig("t", "68.0", label="出口总额", total_of=["a", "b"], category="贸易")
    a = fig("a", "46.4", label="一般贸易", category="贸易")
    b = fig("b", "21.6", label="加工贸易", category="贸易")
    other = fig("x", "5", label="其他", category="其他类")
    t = figure_table([total, other, a, b], ["label", "value"], "", "", "three-line", group_by_category=True)
    assert [r[0] for r in cells(t)] == ["指标", "贸易", "一般贸易", "加工贸易", "出口总额", "其他类", "其他"]
    assert all(c.strong for c in t.rows[4]) and not any(c.strong for c in t.rows[2])


def test_computed_changes_are_marked_and_explained() -> None:
    f = fig("a", "10", change=("4.1", "%", "同比"))
    assert f.change is not None
    f.change.computed = True
    t = figure_table([f], ["label", "yoy", "mom"], "", "资料来源：x", "grid")
    assert cells(t)[1] == ["a", "增长4.1%" + COMPUTED_MARK, "—"]
    assert "计算值" in t.source_note and t.source_note.startswith("资料来源：x")


def test_landscape_only_when_columns_exceed_the_portrait_width() -> None:
    from briefgen.compose.table_type import table_setup
    from briefgen.model.theme import load_theme
    from briefgen.tree import Table

    narrow = [[TableCell(t) for t in ("指标", "本月", "单位", "同比", "环比")],
              [TableCell(t) for t in ("规上工业总产值", "233.4", "亿元", "增长4.7%", "下降3.6%")]]
    wide = [[TableCell("时期")] + [TableCell(f"指标{i}（亿元）") for i in range(9)],
            *([TableCell(f"2026年{m}月")] + [TableCell("12345.6") for _ in range(9)] for m in range(1, 11))]
    theme = load_theme("report")
    assert not table_setup([Table(rows=narrow)], theme).landscape
    assert table_setup([Table(rows=wide)], theme).landscape  # ten columns of figures: turned


def test_table_styles_follow_the_theme(work: Path) -> None:
    for theme, style in (("jianbao", "three-line"), ("gongwen", "three-line"), ("report", "grid")):
        spec = work / "brief.yaml"
        src = spec.read_text(encoding="utf-8")
        spec.write_text(src.replace(src.split("theme: ")[1].split("\n")[0], theme, 1), encoding="utf-8")
        doc = compose(prepare(spec)).document
        assert {b.style for b in doc.blocks if isinstance(b, Table)} == {style}, theme


def test_monthly_blocks_compose(monthly_brief: Path) -> None:
    doc = compose(prepare(monthly_brief, ["period=2026-09"])).document
    charts = [b for b in doc.blocks if isinstance(b, Chart)]
    assert [c.kind for c in charts] == ["line", "bar", "stacked"]
    line = charts[0]
    assert len(line.categories) == 12 and line.categories[-1] == "9月" and line.categories[0] == "2025年10月"
    assert line.axis_min <= min(v for s in line.series for v in s.values if v is not None)
    assert "计算值" in charts[1].source_note  # bars of computed 同比
    wide = [b for b in doc.blocks if isinstance(b, Table) and b.landscape]
    assert len(wide) == 1 and len(wide[0].rows) == 13
    assert doc.meta.title == "示例区2026年9月经济运行简报"


def test_bundled_key_figures_report_stays_portrait(repo: Path) -> None:
    doc = compose(prepare(repo / "briefs" / "wujiang-key-figures-report.yaml")).document
    tables = [b for b in doc.blocks if isinstance(b, Table)]
    assert tables and not any(t.landscape for t in tables)


def test_many_indicators_over_few_periods_turn_into_rows() -> None:
    from briefgen.compose.keyfig_tables import indicator_table, series_table

    labels = [f"{c}常住人口" for c in ["南京", "无锡", "徐州", "常州", "苏州", "南通", "连云港", "淮安", "盐城", "扬州", "镇江", "泰州", "宿迁"]]
    values = [[Decimal("833.50"), Decimal("843.62")] for _ in labels]
    args = (labels, ["万人"] * len(labels), ["2017年", "2018年"], values, "表2", "", "grid")
    wide = series_table(*args)
    assert wide.columns == 14  # a landscape page of narrow columns
    turned = indicator_table(*args)
    assert [c.text for c in turned.rows[0]] == ["指标", "2017年（万人）", "2018年（万人）"]
    assert [c.text for c in turned.rows[1]] == ["南京常住人口", "833.50", "843.62"]
    assert turned.columns == 3
    mixed = indicator_table(labels[:2], ["万人", "%"], ["2018年"], values[:2], "", "", "grid")
    assert [r[0].text for r in mixed.rows[1:]] == ["南京常住人口（万人）", "无锡常住人口（%）"]


def test_a_source_column_names_each_document_once_under_the_table() -> None:
    """A 来源 column gives each row its place (section, line); the document is named in the note
    under the table, not repeated in every row."""
    from briefgen.model.sourcepack import Provenance

    a, b = fig("a", "1.5", period="2020年"), fig("b", "2", period="2021年")
    a._prov = Provenance("第七次全国人口普查公报（第五号）", "p.yaml", 3, "age", 12)
    b._prov = Provenance("第七次全国人口普查公报（第五号）", "p.yaml", 9, "age", 30)
    t = figure_table([a, b], ["label", "value", "source"], "表1", "据国家统计局公报整理。", "grid")
    doc = "第七次全国人口普查公报（第五号）"
    assert all(doc not in r[-1] for r in cells(t)[1:]) and cells(t)[1][-1] and cells(t)[2][-1]
    assert t.source_note.startswith("据国家统计局公报整理。\n资料来源：") and t.source_note.count(doc) == 1
