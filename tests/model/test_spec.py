"""Unit tests of model.spec: the Brief model, block kinds by key, period and source rules, JSON schema."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from briefgen.formats import DEFAULT_FORMATS, FORMAT_NAMES
from briefgen.model.spec import (
    Brief,
    ChartBlock,
    HeadingBlock,
    SectionBlock,
    TableBlock,
    TextBlock,
    TocBlock,
    json_schema,
)

BASE = {"title": "t", "sources": {"a": "a.yaml"}}


def test_blocks_are_recognised_by_their_key() -> None:
    b = Brief.model_validate({**BASE, "blocks": [
        {"section": "lessons.*", "heading": "经验"},  # "heading" here is an option of the section
        {"table": "figures", "tags": ["x"]},
        {"chart": "bar", "ids": ["a"], "heading": "图"},
        {"text": "正文"},
        {"heading": "标题"},
        {"toc": True},
    ]})
    kinds = [type(x) for x in b.blocks]
    assert kinds[0] is SectionBlock and b.blocks[0].heading == "经验"  # type: ignore[union-attr]
    assert kinds[1] is TableBlock
    assert kinds[2] is ChartBlock and b.blocks[2].heading == "图"  # type: ignore[union-attr]
    assert kinds[3:] == [TextBlock, HeadingBlock, TocBlock]


def test_defaults_and_normalised_period() -> None:
    b = Brief.model_validate({**BASE, "blocks": [{"text": "x"}], "period": "2026-q3", "issue": None})
    assert b.formats == list(DEFAULT_FORMATS)
    assert b.theme == "gongwen" and b.output == "{slug}.{ext}"
    assert b.period == "2026-Q3"
    assert b.issue == ""


@pytest.mark.parametrize("bad", [
    {**BASE, "blocks": []},
    {**BASE, "sources": {}, "blocks": [{"text": "x"}]},
    {**BASE, "blocks": [{"text": "x"}], "formats": ["odt"]},
    {**BASE, "blocks": [{"section": "a", "level": 5}]},
    {**BASE, "blocks": [{"text": "x"}], "extra": 1},
    {**BASE, "blocks": [{"nothing": 1}]},
])
def test_invalid_briefs_are_refused(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        Brief.model_validate(bad)


def test_json_schema_lists_formats_from_the_registry() -> None:
    schema = json_schema()
    assert schema["$schema"].endswith("2020-12/schema")
    assert set(schema["required"]) >= {"title", "sources", "blocks"}
    fmt = schema["properties"]["formats"]["items"]
    assert set(fmt["enum"]) == set(FORMAT_NAMES)
