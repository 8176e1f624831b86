"""Tests for spec validation and composition into the document tree (no writers involved)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from briefgen.errors import BriefError
from briefgen.pipeline.prepare import prepare
from briefgen.pipeline.render import compose
from briefgen.tree import Box, Heading, Paragraph, Table, document_text


@pytest.fixture
def work(tmp_path: Path, fixtures: Path) -> Path:
    shutil.copy(fixtures / "mini-pack.yaml", tmp_path / "mini-pack.yaml")
    shutil.copy(fixtures / "mini-brief.yaml", tmp_path / "brief.yaml")
    return tmp_path


def _edit(work: Path, old: str, new: str) -> Path:
    p = work / "brief.yaml"
    text = p.read_text(encoding="utf-8")
    assert old in text
    p.write_text(text.replace(old, new, 1), encoding="utf-8")
    return p


def _errors(spec: Path) -> list[str]:
    with pytest.raises(BriefError) as ei:
        compose(prepare(spec))
    return [str(p) for p in ei.value.problems]


def test_compose_mini(work: Path) -> None:
    doc = compose(prepare(work / "brief.yaml")).document
    heads = [h for h in doc.blocks if isinstance(h, Heading)]
    assert [h.label + h.text for h in heads] == [
        "一、总体情况", "（一）坚持党建引领", "（二）坚持问题导向", "（三）坚持久久为功"]
    assert any(isinstance(b, Box) and b.title == "思考题" for b in doc.blocks)
    table = next(b for b in doc.blocks if isinstance(b, Table))
    assert [c.text for c in table.rows[1]] == ["地区生产总值", "1234.56", "亿元", "比上年增长5.2%", "2023年"]
    assert [c.text for c in table.rows[2]][:2] == ["网格服务站", "超120"]
    last = doc.blocks[-1]
    assert isinstance(last, Paragraph)
    assert [(s.text, s.strong, s.emphasis) for s in last.inlines] == [
        ("以上材料", False, False), ("仅供参考", True, False), ("，请结合实际", False, False),
        ("学习", False, True), ("。", False, False)]


@pytest.mark.parametrize(
    ("old", "new", "expect"),
    [
        ("- section: lessons.*", "- section: lessons.9", ["brief.yaml:", "blocks[1].section", "did you mean lessons."]),
        ("    mode: full", "    mode: ful", ["blocks[0].mode", "did you mean full"]),
        ("tags: [headline]", "tags: [headlin]", ["blocks[2].tags[0]", "did you mean headline"]),
        ("title: 示例", "titel: 示例", ["unknown key 'titel'", "did you mean title"]),
        ("date: 2024-05-10", "date: 10.5.2024", ["date: expected a date"]),
        ("theme: gongwen", "theme: gongwn", ["theme", "did you mean gongwen"]),
        ("mp: mini-pack.yaml", "mp: nope.yaml", ["sources.mp", "not found"]),
        ("  - section: overview", "  - sectoin: overview", ["blocks[0]", "did you mean section"]),
        ("    level: 2", "    level: 7", ["blocks[1].level"]),
        ("    level: 2", "    level: two", ["blocks[1].level", "whole number"]),
    ],
)
def test_bad_specs_give_located_one_line_errors(work: Path, old: str, new: str, expect: list[str]) -> None:
    errs = _errors(_edit(work, old, new))
    joined = "\n".join(errs)
    for fragment in expect:
        assert fragment in joined, joined
    for e in errs:
        assert e.count("\n") == 0
        assert e.startswith(str(work / "brief.yaml") + ":") or e.startswith(str(work)), e
        assert "Traceback" not in e


def test_all_problems_reported_together(work: Path) -> None:
    _edit(work, "- section: lessons.*", "- section: lessons.9")
    spec = _edit(work, "tags: [headline]", "ids: [gdp_2032]")
    errs = _errors(spec)
    assert len(errs) == 2
    assert any("did you mean gdp_2023" in e for e in errs)


def test_unknown_template(work: Path) -> None:
    spec = _edit(work, "    level: 2", "    level: 2\n    template: nope.xml.j2")
    (err,) = _errors(spec)
    assert "blocks[1].template" in err and "not found" in err


def test_source_text_is_never_a_template_or_markup(work: Path) -> None:
    pack = work / "mini-pack.yaml"
    payload = '{{ 7*7 }} {% include "x" %} <font color="red">&amp;</font> <img src="/etc/passwd"/>'
    text = pack.read_text(encoding="utf-8").replace(
        "示例县今年以来推进基层治理，成效明显。", payload.replace('"', '\\"'))
    text = text.replace("summary: " + payload.replace('"', '\\"'), 'summary: "' + payload.replace('"', '\\"') + '"')
    pack.write_text(text, encoding="utf-8")
    doc = compose(prepare(work / "brief.yaml")).document
    assert payload in document_text(doc)


def test_user_template_errors_name_template_line(work: Path) -> None:
    tdir = work / "tpl"
    tdir.mkdir()
    (tdir / "bad.xml.j2").write_text("<p>ok</p>\n<p>{{ no_such_var }}</p>\n", encoding="utf-8")
    (tdir / "syntax.xml.j2").write_text("<p>{% if %}</p>\n", encoding="utf-8")
    spec = _edit(work, "theme: gongwen", "theme: gongwen\ntemplates: [tpl]")
    text = spec.read_text(encoding="utf-8").replace("    level: 2", "    level: 2\n    template: bad.xml.j2")
    spec.write_text(text, encoding="utf-8")
    errs = _errors(spec)
    assert any("bad.xml.j2:2" in e and "no_such_var" in e for e in errs), errs
    spec.write_text(text.replace("bad.xml.j2", "syntax.xml.j2"), encoding="utf-8")
    errs = _errors(spec)
    assert any("syntax.xml.j2:1" in e for e in errs), errs


def test_sandbox_blocks_attribute_escape(work: Path) -> None:
    tdir = work / "tpl"
    tdir.mkdir()
    (tdir / "evil.xml.j2").write_text("<p>{{ ''.__class__.__mro__ }}</p>\n", encoding="utf-8")
    spec = _edit(work, "theme: gongwen", "theme: gongwen\ntemplates: [tpl]")
    spec.write_text(spec.read_text(encoding="utf-8").replace(
        "    level: 2", "    level: 2\n    template: evil.xml.j2"), encoding="utf-8")
    errs = _errors(spec)
    assert any("evil.xml.j2" in e for e in errs), errs


def test_control_characters_become_marker_with_warning(work: Path) -> None:
    spec = _edit(work, "  - text: |\n      以上材料**仅供参考**，请结合实际*学习*。",
                 '  - text: "以上\\x01材料\\u202e"')
    composed = compose(prepare(spec))
    text = "".join(document_text(composed.document))
    assert "以上〓材料[U+202E]" in text
    assert any("U+0001" in w for w in composed.warnings)


def test_raw_control_character_in_yaml_is_located(work: Path) -> None:
    spec = _edit(work, "以上材料", "以上\x01材料")
    with pytest.raises(BriefError) as ei:
        prepare(spec)
    assert "U+0001" in str(ei.value) and ":" in str(ei.value).split(" ")[0]


def test_set_overrides(work: Path) -> None:
    prep = prepare(work / "brief.yaml", ["title=新标题", "date=2024-06-01"])
    assert prep.brief.title == "新标题"
    assert str(prep.brief.date) == "2024-06-01"


def test_a_table_takes_an_id_of_another_pack_as_a_text_reference_does(work: Path) -> None:
    """Helper set E: ``ids: [.., c10_sh_local]`` with the id in the brief's other pack failed with
    "unknown figure 'c10_sh_local' (did you mean p23_sh_local?)"; {fig:c10_sh_local} worked."""
    pack = (work / "mini-pack.yaml").read_text(encoding="utf-8")
    other = pack.replace("id: gdp_2023", "id: gdp_other").replace("value: 1234.56", "value: 99.5")
    (work / "other-pack.yaml").write_text(other, encoding="utf-8")
    _edit(work, "  mp: mini-pack.yaml\n", "  mp: mini-pack.yaml\n  op: other-pack.yaml\n")
    spec = _edit(work, "    tags: [headline]\n", "    source: mp\n    ids: [gdp_2023, gdp_other]\n")
    doc = compose(prepare(spec)).document
    (table,) = [b for b in doc.blocks if isinstance(b, Table)]
    assert "99.5" in document_text(doc) and len(table.rows) == 3
    assert table.source_note.count("据示例日报2024年5月8日报道整理") == 1  # both packs say the same: once
    assert any("no_such_id" in e and "unknown figure" in e
               for e in _errors(_edit(work, "ids: [gdp_2023, gdp_other]", "ids: [gdp_2023, no_such_id]")))


def test_a_table_of_another_packs_figures_cites_that_pack(work: Path) -> None:
    """Helper set F: a table of 2021 figures picked by ids was labelled with the first pack's
    attribution (the 2023 公报)."""
    pack = (work / "mini-pack.yaml").read_text(encoding="utf-8")
    other = (pack.replace("id: gdp_2023", "id: gdp_other")
             .replace("attribution: 据示例日报2024年5月8日报道整理（测试用虚构材料）。", "attribution: 据乙报2021年报道整理。"))
    (work / "other-pack.yaml").write_text(other, encoding="utf-8")
    _edit(work, "  mp: mini-pack.yaml\n", "  mp: mini-pack.yaml\n  op: other-pack.yaml\n")
    spec = _edit(work, "    tags: [headline]\n", "    ids: [gdp_other]\n")
    (table,) = [b for b in compose(prepare(spec)).document.blocks if isinstance(b, Table)]
    assert table.source_note == "据乙报2021年报道整理。"
    both = _edit(work, "    ids: [gdp_other]\n", "    ids: [gdp_2023, gdp_other]\n")
    (table,) = [b for b in compose(prepare(both)).document.blocks if isinstance(b, Table)]
    assert table.source_note == "据示例日报2024年5月8日报道整理（测试用虚构材料）。据乙报2021年报道整理。"
