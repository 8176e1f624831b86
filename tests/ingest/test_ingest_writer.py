"""Unit tests of ingest.writer: a pack dict as deterministic YAML that reads back to the same data."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import yaml

from briefgen.ingest.writer import dump_pack, flow, flow_map


def _pack() -> dict[str, object]:
    return {
        "pack": 1,
        "meta": {"id": "x", "title": "示例", "date": dt.date(2024, 5, 8)},
        "sections": [{"id": "a", "body": ["第一段。\n第二行。"], "source_lines": flow([8, 10])}],
        "figures": [{"id": "gdp", "value": Decimal("1234.50"), "count": Decimal("120"),
                     "change": flow_map({"value": Decimal("4.1"), "unit": "%"})}],
    }


def test_dump_is_deterministic_readable_and_round_trips() -> None:
    text = dump_pack(_pack(), header=["由 briefgen ingest 生成", ""])
    assert text == dump_pack(_pack(), header=["由 briefgen ingest 生成", ""])
    lines = text.splitlines()
    assert lines[:2] == ["# 由 briefgen ingest 生成", "#"]
    assert "title: 示例" in text  # Chinese as is, not escaped
    assert "source_lines: [8, 10]" in text
    assert "change: {value: 4.1, unit: '%'}" in text
    assert "- |" in text  # multi-line text as a literal block
    assert "&" not in text and "*" not in text  # no anchors or aliases
    back = yaml.safe_load(text)
    assert back["meta"]["date"] == dt.date(2024, 5, 8)
    assert back["figures"][0]["value"] == 1234.5 and back["figures"][0]["count"] == 120
    assert back["sections"][0]["body"] == ["第一段。\n第二行。"]
    assert list(back) == ["pack", "meta", "sections", "figures"]  # key order kept
