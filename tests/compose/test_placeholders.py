"""Unit tests of compose.placeholders: finding, substituting and escaping {fig:…} and {period}."""

from __future__ import annotations

from pathlib import Path

from briefgen.compose.placeholders import Use, file_lines, find, locate, neutralise, substitute


def test_find_lists_unescaped_placeholders_with_formats_and_offsets() -> None:
    text = "产值{fig:gdp}，增速{fig:gdp@-1|change}，{period}，\\{fig:x}，{{ 7*7 }}"
    uses = find(text)
    assert [(u.ref, u.fmt, u.raw) for u in uses] == [
        ("gdp", "value", "{fig:gdp}"), ("gdp@-1", "change", "{fig:gdp@-1|change}"), ("", "", "{period}")]
    assert text[uses[0].start:uses[0].end] == "{fig:gdp}"


def test_substitute_plain_and_markdown() -> None:
    def resolve(u: Use) -> str:
        return "2026年10月" if not u.ref else "1*2"

    assert substitute("{fig:a}与{period}，\\{fig:b}", resolve, markdown=False) == "1*2与2026年10月，{fig:b}"
    md = substitute("{fig:a} \\{fig:b}", resolve, markdown=True)
    assert md == "1\\*2 \\{fig:b}"  # the figure can never become Markdown emphasis


def test_neutralise_hides_numbers_from_prose_checks() -> None:
    assert neutralise("增长{fig:a|change}，{{x}}") == "增长□，{{x}}"


def test_locate_finds_the_nth_occurrence_line_and_column(tmp_path: Path) -> None:
    f = tmp_path / "b.yaml"
    f.write_text("text: |\n  第一行甲\n  第二行甲甲\n", encoding="utf-8")
    assert file_lines(str(f))[1] == "  第一行甲"
    assert locate(str(f), 1, "甲") == (2, 6)
    assert locate(str(f), 1, "甲", nth=2) == (3, 7)
    assert locate(str(f), 1, "乙") == (1, None)
    assert locate(str(f), None, "甲") == (None, None)
    assert file_lines(str(tmp_path / "missing")) == []
