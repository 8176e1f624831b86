"""`briefgen ingest --date` gives a text that states no date the date its periods are read against."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from briefgen.cli import main

TEXT = "前三季度，全区实现地区生产总值1291.92亿元，同比增长6.2%。\n"


def test_date_resolves_bare_periods(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "q3.txt"
    src.write_text(TEXT, encoding="utf-8")
    assert main(["ingest", str(src)]) == 0
    without = yaml.safe_load(capsys.readouterr().out)
    assert without["figures"][0]["period"] == "前三季度"
    assert main(["ingest", str(src), "--date", "2025-11-03"]) == 0
    pack = yaml.safe_load(capsys.readouterr().out)
    assert pack["figures"][0]["period"] == "2025年前三季度"
    assert pack["figures"][0]["source_text"].startswith("前三季度，全区实现地区生产总值")
    assert pack["figures"][0]["source_offset"] == TEXT.index("1291.92")


def test_a_bad_date_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    src = tmp_path / "q3.txt"
    src.write_text(TEXT, encoding="utf-8")
    assert main(["ingest", str(src), "--date", "2025-13-03"]) != 0
    assert "expected YYYY-MM-DD" in capsys.readouterr().err
