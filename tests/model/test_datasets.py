"""Unit tests of model.datasets: CSV and YAML period data into located data points, bad rows located."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from briefgen.errors import BriefError
from briefgen.model.datasets import load_csv, load_data_file, load_yaml_rows


def _write(tmp: Path, name: str, text: str) -> Path:
    p = tmp / name
    p.write_text(text, encoding="utf-8")
    return p


def test_csv_rows_with_comments_units_and_blank_values(tmp_path: Path) -> None:
    p = _write(tmp_path, "d.csv", "# illustrative data\nperiod,indicator,value,unit,note\n"
               '2026-10,gdp,"1,234.5",亿元,初步\n2026-Q3,gdp,,亿元,\n2026,rate,-0.3,%,\n')
    pts = load_csv(p)
    assert [(str(x.period), x.indicator, x.value, x.unit, x.line) for x in pts] == [
        ("2026-10", "gdp", Decimal("1234.5"), "亿元", 3), ("2026", "rate", Decimal("-0.3"), "%", 5)]
    assert pts[0].note == "初步" and pts[0].file == str(p)


def test_csv_problems_are_located_per_line(tmp_path: Path) -> None:
    p = _write(tmp_path, "d.csv", "period,indicator,value\nlast-month,gdp,1\n2026-10,,2\n2026-10,gdp,abc\n"
               "2026-10,gdp,1,x,y,z\n")
    with pytest.raises(BriefError) as ei:
        load_csv(p)
    msgs = [str(q) for q in ei.value.problems]
    assert len(msgs) == 4
    assert msgs[0].startswith(f"{p}:2") and "must be absolute" in msgs[0]
    assert msgs[1].startswith(f"{p}:3") and "no indicator" in msgs[1]
    assert msgs[2].startswith(f"{p}:4") and "'abc' is not a number" in msgs[2]
    assert msgs[3].startswith(f"{p}:5") and "fields" in msgs[3]


def test_csv_header_must_name_the_required_columns(tmp_path: Path) -> None:
    with pytest.raises(BriefError, match="lacks column"):
        load_csv(_write(tmp_path, "d.csv", "period,value\n2026,1\n"))
    with pytest.raises(BriefError, match="no header"):
        load_csv(_write(tmp_path, "e.csv", "# only a comment\n"))


def test_yaml_rows_and_their_lines(tmp_path: Path) -> None:
    p = _write(tmp_path, "d.yaml", "rows:\n  - {period: 2026-10, indicator: gdp, value: 1.5, unit: 亿元}\n"
               "  - {period: 2026-11, indicator: gdp, value: 2}\n")
    pts = load_yaml_rows(p)
    assert [(str(x.period), x.value, x.line) for x in pts] == [("2026-10", Decimal("1.5"), 2),
                                                               ("2026-11", Decimal("2"), 3)]
    bad = _write(tmp_path, "b.yaml", "- {period: 2026-10, indicator: gdp, value: 1, colour: red}\n- 5\n")
    with pytest.raises(BriefError) as ei:
        load_yaml_rows(bad)
    msgs = [str(q) for q in ei.value.problems]
    assert "unknown column 'colour'" in msgs[0] and msgs[0].startswith(f"{bad}:1")
    assert "must be a mapping" in msgs[1] and msgs[1].startswith(f"{bad}:2")


def test_load_data_file_dispatches_by_suffix(tmp_path: Path) -> None:
    csv = _write(tmp_path, "d.CSV", "period,indicator,value\n2026,x,1\n")
    assert load_data_file(csv)[0].value == 1
    with pytest.raises(BriefError, match="unsupported data file type '.xlsx'"):
        load_data_file(tmp_path / "d.xlsx")
