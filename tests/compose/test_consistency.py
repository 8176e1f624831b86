"""Unit tests of compose.consistency: findings for prose numbers that contradict the pack's figures."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from composekit import composer, mini

from briefgen.compose.consistency import (
    Composition,
    describe,
    direction_findings,
    findings,
    label_facts,
    prose_findings,
)
from briefgen.pipeline.prepare import prepare


def _composition(tmp: Path, text: str) -> Composition:
    prep = mini(tmp, f"  - text: {text}\n")
    c = composer(prep)
    c.compose()
    return Composition(prep.brief, prep.located, prep.packs, c.index, c.uses)


def test_label_facts_collect_values_and_changes_per_label(tmp_path: Path) -> None:
    prep = mini(tmp_path)
    facts = label_facts(prep.packs)
    gdp = facts["地区生产总值"]
    assert gdp.values == {"亿元": {Decimal("1234.56")}}
    assert gdp.changes == {"%": {Decimal("5.2")}}
    assert [f.id for f in gdp.figures] == ["gdp_2023"]


def test_contradicting_value_is_located_in_the_brief(tmp_path: Path) -> None:
    comp = _composition(tmp_path, "全县地区生产总值1000亿元。")
    (p,) = prose_findings(comp)
    assert "prose says 地区生产总值1000亿元" in p.message and "1234.56" in p.message
    assert p.file.endswith("brief.yaml") and p.line == 19 and p.col is not None
    assert p.path == "blocks[4].text"
    assert describe(p).endswith(f"({p.file}:19:{p.col})")


def test_agreeing_values_changes_and_unit_mismatch(tmp_path: Path) -> None:
    assert prose_findings(_composition(tmp_path, "地区生产总值1234.56亿元，比上年增长5.2%。")) == []
    (wrong_change,) = prose_findings(_composition(tmp_path, "地区生产总值比上年增长6.1%。"))
    assert "6.1%" in wrong_change.message and "5.2%" in wrong_change.message
    (unit,) = prose_findings(_composition(tmp_path, "地区生产总值1234万元。"))
    assert unit.message.startswith("unit mismatch")


def test_findings_are_warnings_without_duplicates(tmp_path: Path) -> None:
    comp = _composition(tmp_path, "地区生产总值1000亿元。")
    got = findings(comp)
    assert got and len(got) == len({(p.message, p.line, p.col) for p in got})
    assert {p.severity for p in got} == {"warning"}


def test_goals_approximations_and_other_years_are_not_contradictions(tmp_path: Path) -> None:
    """A work report's 预期目标 (增长6%左右) is not the year's result (stress brief s5-gongwen)."""
    for text in ("今年地区生产总值增长6%左右。", "预期目标是地区生产总值比上年增长6.5%。",
                 "2030年地区生产总值达到2000亿元。"):
        assert prose_findings(_composition(tmp_path, text)) == [], text
    (wrong,) = prose_findings(_composition(tmp_path, "2023年地区生产总值比上年增长6.1%。"))
    assert "6.1%" in wrong.message  # the figure's own year: still checked


def test_a_change_against_its_basis_word_is_reported_with_what_is_printed(tmp_path: Path) -> None:
    """``-5.2`` with the basis 比上年增长: the value is signed, the brief says 比上年下降5.2%, and
    ``check`` tells the author (helper set E found the sign dropped before)."""
    comp = _composition(tmp_path, "地区生产总值{fig:gdp_2023|change}。")
    assert direction_findings(comp) == []
    pack = tmp_path / "mini-pack.yaml"
    pack.write_text(pack.read_text(encoding="utf-8").replace(
        'change: {value: 5.2, unit: "%", basis: 比上年}', 'change: {value: -5.2, unit: "%", basis: 比上年增长}'),
        encoding="utf-8")
    prep = prepare(tmp_path / "brief.yaml")
    c = composer(prep)
    c.compose()
    (p,) = direction_findings(Composition(prep.brief, prep.located, prep.packs, c.index, c.uses))
    assert p.code == "W-CHANGE-DIRECTION" and "比上年下降5.2%" in p.message and p.file.endswith("mini-pack.yaml")
