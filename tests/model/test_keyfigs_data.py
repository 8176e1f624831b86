"""Period data: loading data files, figures at a period, computed 同比/环比, stale values, provenance."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from briefgen.compose.keyfig_refs import (
    FigureIndex,
    RefError,
    is_stale,
    percent_change,
    period_span,
    point_change,
)
from briefgen.errors import BriefError
from briefgen.model.periods import parse_period
from briefgen.model.sourcepack import load_pack
from keyfigkit import REPO, csv_values, pct

PACK = REPO / "sources" / "illustrative-monthly.yaml"


def test_computed_changes_match_the_csv() -> None:
    pack = load_pack(PACK)
    vals = csv_values()
    for period in ("2026-10", "2026-09", "2026-01"):
        idx = FigureIndex({"m": pack}, parse_period(period))
        per = parse_period(period)
        prev, year_ago = str(per.shift(-1)), str(per.year_ago())
        for ind in ("industrial_output", "retail_sales", "exports", "electricity"):
            f = idx.get(ind)
            assert f.value == vals[(ind, period)]
            assert f.change is not None and f.change.computed and f.change.basis == "同比"
            assert f.change.value == pct(vals[(ind, period)], vals[(ind, year_ago)]), (ind, period)
            assert f.mom is not None and f.mom.basis == "环比"
            assert f.mom.value == pct(vals[(ind, period)], vals[(ind, prev)]), (ind, period)
        # a rate changes in 百分点: a difference, not a percentage
        u = idx.get("unemployment")
        assert u.change is not None and u.change.unit == "百分点"
        assert u.change.value == vals[("unemployment", period)] - vals[("unemployment", year_ago)]


def test_provenance_names_document_section_and_data_rows() -> None:
    pack = load_pack(PACK)
    f = FigureIndex({"m": pack}, parse_period("2026-10")).get("retail_sales")
    prov = f.provenance
    assert prov is not None and prov.complete()
    lines = (REPO / "data" / "illustrative-monthly.csv").read_text(encoding="utf-8").splitlines()
    assert lines[prov.data_row - 1].startswith("2026-10,retail_sales,")  # type: ignore[operator]
    assert [lines[r - 1][:7] for r in prov.computed_from] == ["2025-10", "2026-09"]
    assert "示意数据" in prov.text() and "投资与消费" in prov.text() and f"第{prov.data_row}行" in prov.text()
    assert prov.section == "demand" and prov.part == "投资与消费"  # the id stays; readers see the title


def test_older_period_and_relative_references() -> None:
    idx = FigureIndex({"m": load_pack(PACK)}, parse_period("2026-10"))
    vals = csv_values()
    assert idx.get("exports@2026-03").value == vals[("exports", "2026-03")]
    assert idx.get("exports@-1").value == vals[("exports", "2026-09")]
    with pytest.raises(RefError) as ei:
        idx.get("export")
    assert "did you mean exports" in ei.value.hint
    with pytest.raises(RefError):
        idx.get("exports@2026-13")


def _pack_with(tmp_path: Path, csv_text: str) -> Path:
    (tmp_path / "d.csv").write_text(csv_text, encoding="utf-8")
    text = PACK.read_text(encoding="utf-8").replace("../data/illustrative-monthly.csv", "d.csv")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "p.yaml"


def test_missing_month_falls_back_and_is_stale(tmp_path: Path) -> None:
    src = (REPO / "data" / "illustrative-monthly.csv").read_text(encoding="utf-8")
    kept = "\n".join(ln for ln in src.splitlines() if not ln.startswith("2026-10,retail_sales"))
    idx = FigureIndex({"m": load_pack(_pack_with(tmp_path, kept + "\n"))}, parse_period("2026-10"))
    f = idx.get("retail_sales")
    assert f.period == "2026年9月" and f.stale_for == parse_period("2026-10")
    assert is_stale(f, parse_period("2026-10"))
    assert not is_stale(idx.get("exports"), parse_period("2026-10"))


@pytest.mark.parametrize(
    ("row", "expect"),
    [
        ("2026-10,retail_sale,1.0,亿元", ["d.csv:7", "indicator 'retail_sale'", "did you mean retail_sales"]),
        ("2026-10,retail_sales,1.0,万元", ["d.csv:7", "unit '万元' differs"]),
        ("2026-13,retail_sales,1.0,亿元", ["d.csv:7", "unknown period"]),
        ("last-month,retail_sales,1.0,亿元", ["d.csv:7", "must be absolute"]),
        ("2026-10,retail_sales,12x,亿元", ["d.csv:7", "not a number"]),
        ("2026-10,exports,1.0,亿元", ["d.csv:7", "second value for exports in 2026-10", "first at"]),
    ],
)
def test_bad_data_rows_are_located(tmp_path: Path, row: str, expect: list[str]) -> None:
    text = "# illustrative\n# second comment\n\nperiod,indicator,value,unit\n2026-10,exports,68.0,亿元\n\n" + row + "\n"
    with pytest.raises(BriefError) as ei:
        load_pack(_pack_with(tmp_path, text))
    msg = "\n".join(str(p) for p in ei.value.problems)
    for e in expect:
        assert e in msg, msg


def _yaml_pack(tmp_path: Path, rows: str) -> Path:
    """The example pack reading its data from a YAML file holding ``rows``."""
    (tmp_path / "d.yaml").write_text("rows:\n" + rows, encoding="utf-8")
    text = PACK.read_text(encoding="utf-8").replace("../data/illustrative-monthly.csv", "d.yaml")
    (tmp_path / "p.yaml").write_text(text, encoding="utf-8")
    return tmp_path / "p.yaml"


def test_yaml_data_file(tmp_path: Path) -> None:
    pack = _yaml_pack(tmp_path, "  - {period: 2026-09, indicator: exports, value: 60, unit: 亿元}\n"
                                "  - {period: 2026-10, indicator: exports, value: '66.0', unit: 亿元}\n")
    f = FigureIndex({"m": load_pack(pack)}, None).get("exports")  # latest period
    assert f.value == Decimal("66.0") and f.mom is not None and f.mom.value == Decimal("10.0")
    assert f.change is None  # no 2025-10 value: no 同比
    assert f.provenance is not None and f.provenance.data_row == 3


def test_a_year_named_in_a_reference_is_that_year_not_an_offset(tmp_path: Path) -> None:
    pack = _yaml_pack(tmp_path, "  - {period: '2017', indicator: exports, value: 60, unit: 亿元}\n"
                                "  - {period: '2018', indicator: exports, value: 66, unit: 亿元}\n")
    idx = FigureIndex({"m": load_pack(pack)}, parse_period("2018"))
    old = idx.get("exports@2017")  # was read as 2017 years after 2018: "no data for 4035年"
    assert old.value == Decimal("60") and old.period == "2017年" and old.stale_for is None
    assert idx.get("exports@-1").value == Decimal("60") and idx.get("exports@0").value == Decimal("66")


def test_change_arithmetic_and_period_texts() -> None:
    assert percent_change(Decimal("233.4"), Decimal("222.9")) == Decimal("4.7")
    assert percent_change(Decimal("1"), Decimal("0")) is None
    assert point_change(Decimal("5.1"), Decimal("5.25")) == Decimal("-0.2")
    assert period_span("2022年上半年") == (2022 * 12, 2022 * 12 + 5)
    assert period_span("2026年第三季度") == (2026 * 12 + 6, 2026 * 12 + 8)
    assert period_span("2022年1-8月") == (2022 * 12, 2022 * 12 + 7)
    assert period_span("近年来") is None
