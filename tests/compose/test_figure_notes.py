"""Key figures' ``note:`` become footnotes where the figure is first printed (text or key-figure table);
``qualifier:`` (超/多/余…) is printed in the value, and ``note: 超`` in older packs is read as a qualifier."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen import i18n
from briefgen.compose.footnotes import FigureNotes
from briefgen.compose.keyfig_tables import value_text
from briefgen.errors import BriefError
from briefgen.model.sourcepack import Figure, load_pack
from briefgen.pipeline.prepare import prepare
from briefgen.pipeline.render import compose
from briefgen.tree import Paragraph, Table, walk

PACK = """\
pack: 1
meta: {id: p, title: 测试}
sections:
  - id: a
    title: 总体情况
    summary: 全县建成网格服务站一百余个。
figures:
  - {id: rank, label: 全国百强区排名, value: 9, unit: 位, kind: ranking, note: 比去年晋级一位}
  - {id: firms, label: 民营企业, value: 9, unit: 万家, note: 超}
  - {id: staff, label: 员工, value: 2, unit: 万名, qualifier: 多, note: 含临时聘用人员}
  - {id: plain, label: 服务站, value: 120, unit: 个}
"""


def _compose(tmp: Path, blocks: str, theme: str = "gongwen", pack: str = PACK, extra: str = "") -> list[object]:
    (tmp / "pyproject.toml").write_text("", encoding="utf-8")
    (tmp / "pack.yaml").write_text(pack, encoding="utf-8")
    (tmp / "brief.yaml").write_text(
        f"title: 测试\nunit: 示例县委办公室\ndate: 2024-05-10\ntheme: {theme}\n"
        f"sources: {{p: pack.yaml}}\n{extra}blocks:\n{blocks}", encoding="utf-8")
    return list(walk(compose(prepare(tmp / "brief.yaml")).document.blocks))


def _fig(**kw: object) -> Figure:
    return Figure.model_validate({"id": "x", "label": "x", "value": 9, "unit": "万家"} | kw)


def test_qualifier_field_and_older_note_form() -> None:
    assert value_text(_fig(qualifier="超")) == "超9万家"
    old = _fig(note="超")
    assert (old.qualifier, old.note, value_text(old)) == ("超", "", "超9万家")
    assert value_text(_fig(value=10, unit="万人次", qualifier="余")) == "10万余人次"
    assert value_text(_fig(value=3000, unit="人", qualifier="以上")) == "3000人以上"
    assert _fig(note="比去年晋级一位").qualifier == ""


def test_bad_qualifier_values_are_located_and_translated(tmp_path: Path) -> None:
    bad = PACK.replace("qualifier: 多, note: 含临时聘用人员", "qualifier: 大约").replace(
        "note: 超}", "qualifier: 多, note: 超}")
    (tmp_path / "pack.yaml").write_text(bad, encoding="utf-8")
    with pytest.raises(BriefError) as e:
        load_pack(tmp_path / "pack.yaml")
    got = {(p.line, p.path): p.message for p in e.value.problems}
    assert any(line == 10 and "qualifier" in path and "大约" in msg for (line, path), msg in got.items())
    assert any(line == 9 and "note" in path and "超" in msg for (line, path), msg in got.items())
    try:
        i18n.set_language("zh", export=False)
        with pytest.raises(BriefError) as e:
            load_pack(tmp_path / "pack.yaml")
        msgs = " ".join(p.message for p in e.value.problems)
        assert "限定词" in msgs and "应为" in msgs
    finally:
        i18n.set_language(None, export=False)


def test_inline_figure_note_is_a_footnote_at_its_first_use(tmp_path: Path) -> None:
    blocks = _compose(tmp_path, "  - text: |\n      全区排名{fig:rank}[^s]，民营企业{fig:firms}家，"
                                "员工{fig:staff}。再次提到{fig:rank}。\n\n      [^s]: 据榜单。\n")
    para = next(b for b in blocks if isinstance(b, Paragraph))
    assert para.text == "全区排名第9位①②，民营企业超9万家家，员工2万多名③。再次提到第9位。"
    assert [s.note for s in para.inlines if s.note] == ["比去年晋级一位", "据榜单。", "含临时聘用人员"]


def test_table_value_cell_gets_the_mark_and_a_note_given_before_is_not_repeated(tmp_path: Path) -> None:
    blocks = _compose(tmp_path, "  - text: 员工{fig:staff}。\n"
                                "  - table: figures\n    ids: [rank, firms, staff, plain]\n")
    table = next(b for b in blocks if isinstance(b, Table))
    cells = {r[0].text: r[1] for r in table.rows[1:]}
    assert (cells["全国百强区排名"].text, cells["全国百强区排名"].mark) == ("第9②", "②")
    assert cells["全国百强区排名"].note == "比去年晋级一位"
    assert cells["民营企业"].text == "超9" and not cells["民营企业"].note
    assert cells["员工"].text == "2多" and not cells["员工"].mark  # its note was given in the text (①)


def test_a_note_column_prints_notes_as_text_instead(tmp_path: Path) -> None:
    blocks = _compose(tmp_path, "  - table: figures\n    ids: [rank, firms]\n"
                                "    columns: [label, value, unit, note]\n")
    table = next(b for b in blocks if isinstance(b, Table))
    assert [[c.text for c in r] for r in table.rows[1:]] == [["全国百强区排名", "第9", "位", "比去年晋级一位"],
                                                             ["民营企业", "超9", "万家", ""]]
    assert not any(c.note or c.mark for r in table.rows for c in r)


def test_endnote_mode_keeps_the_mark_as_text(tmp_path: Path) -> None:
    (tmp_path / "end.yaml").write_text("name: end\nextends: gongwen\nnotes: {mode: endnote}\n", encoding="utf-8")
    blocks = _compose(tmp_path, "  - table: figures\n    ids: [rank]\n", theme="end.yaml")
    table = next(b for b in blocks if isinstance(b, Table))
    assert table.rows[1][1].text == "第9①" and table.rows[1][1].note == ""
    assert any(isinstance(b, Paragraph) and b.text == "①\u3000比去年晋级一位" for b in blocks)


def test_placeholders_left_where_notes_cannot_go_are_dropped() -> None:
    notes = FigureNotes()
    mark = notes.mark(_fig(note="注"), "value")
    assert mark and notes.mark(_fig(note="注"), "value") == ""  # once per figure
    assert notes.mark(_fig(id="y", note="注"), "when") == ""
    from briefgen.tree import Box

    box = Box(f"标题{mark}", [Paragraph((), "body")])
    notes.attach([box])
    assert box.title == "标题" and box.blocks[0].inlines[-1].note == "注"  # type: ignore[union-attr]


def test_template_fig_function_gives_the_note_too(tmp_path: Path) -> None:
    (tmp_path / "tpl").mkdir()
    (tmp_path / "tpl" / "fig.xml.j2").write_text(
        '<box title="{{ fig(\'rank\') }}"><p>排名{{ fig("rank") }}，企业{{ fig("firms") }}。</p></box>\n'
        "<h level=\"1\">员工{{ fig('staff') }}</h>\n", encoding="utf-8")
    pack = PACK
    blocks = _compose(tmp_path, "  - section: a\n    template: fig.xml.j2\n", pack=pack,
                      extra="templates: [tpl]\n")
    from briefgen.tree import Box, Heading

    box = next(b for b in blocks if isinstance(b, Box))
    assert box.title == "第9位"  # a box title cannot hold a note: it goes after the box's first paragraph
    para = next(b for b in blocks if isinstance(b, Paragraph))
    heading = next(b for b in blocks if isinstance(b, Heading))
    assert para.text == "排名第9位，企业超9万家。①"
    assert [s.note for s in para.inlines if s.note] == ["比去年晋级一位"]
    assert [s.note for s in heading.inlines if s.note] == ["含临时聘用人员"]


def test_a_qualifier_after_the_unit_goes_into_the_unit_column() -> None:
    """issue 12 / stress-s5: a table with a unit column read "3左右 | %" and "1.3以上 | 万亿斤";
    Chinese puts 以上/左右 after the unit, so they go to the unit cell and the value cell holds the
    digits alone (aligned with 1322 under 1300); 近70, 1270多 (before 万人) keep theirs."""
    from briefgen.compose.keyfig_tables import figure_table, value_and_unit

    assert value_and_unit(_fig(value=3, unit="%", qualifier="左右")) == ("3", "%左右")
    assert value_and_unit(_fig(value="1.3", unit="万亿斤", qualifier="以上")) == ("1.3", "万亿斤以上")
    assert value_and_unit(_fig(value=70, unit="万亿元", qualifier="近")) == ("近70", "万亿元")
    assert value_and_unit(_fig(value=1270, unit="万人", qualifier="多")) == ("1270多", "万人")
    assert value_and_unit(_fig(value=9, unit="年", qualifier="多")) == ("9", "年多")
    assert value_and_unit(_fig(value=5300, unit="", qualifier="以上")) == ("5300以上", "")
    figs = [_fig(id="a", label="甲", value=1300, unit="万人", qualifier="以上"),
            _fig(id="b", label="乙", value=1322, unit="万人"), _fig(id="c", label="丙", value=3, unit="%", qualifier="左右")]
    t = figure_table(figs, ["label", "value", "unit"], "", "", "three-line")
    assert [[c.text for c in r] for r in t.rows[1:]] == [["甲", "1300", "万人以上"], ["乙", "1322", "万人"], ["丙", "3", "%左右"]]
    # a unit shared by every row goes into the header: the qualifier stays after the digits
    t = figure_table(figs[:2], ["label", "value", "unit"], "", "", "three-line")
    assert t.rows[0][1].text == "数值（万人）" and [r[1].text for r in t.rows[1:]] == ["1300以上", "1322"]
