"""compose.reference: a brief's Word template gives the theme its paper and margins; unknown style names are errors."""

from __future__ import annotations

from pathlib import Path

from composekit import composer, mini

from briefgen.compose.reference import load
from refdocxkit import make_template


def test_template_page_taken_into_the_theme(tmp_path: Path) -> None:
    make_template(tmp_path / "unit.docx")
    c = composer(mini(tmp_path, "reference_docx: unit.docx\nreference_styles:\n  Normal: 本单位正文\n"))
    got = load(c)
    assert got is not None and not c.problems
    ref, styles, theme = got
    assert styles["Normal"] == "本单位正文"
    assert theme.page.size == "A4"
    m = theme.page.margins_mm
    assert (m.top, m.bottom, m.left, m.right) == (30.0, 32.0, 25.0, 24.0)
    assert any("margins 30/32/25/24 mm" in w for w in c.warnings)
    assert ref.has_header


def test_odd_paper_warns_and_keeps_the_theme_size(tmp_path: Path) -> None:
    make_template(tmp_path / "unit.docx", 200, 200)
    c = composer(mini(tmp_path, "reference_docx: unit.docx\n"))
    got = load(c)
    assert got is not None
    assert got[2].page.size == c.theme.page.size
    assert any("200×200 mm is not" in w for w in c.warnings)


def test_unknown_style_name_is_a_located_problem(tmp_path: Path) -> None:
    make_template(tmp_path / "unit.docx")
    c = composer(mini(tmp_path, "reference_docx: unit.docx\nreference_styles:\n  Normal: 本单位正\n"))
    load(c)
    assert len(c.problems) == 1
    p = c.problems[0]
    assert "no style named '本单位正'" in str(p) and "本单位正文" in str(p)


def test_missing_template_is_a_problem_and_no_brief_template_is_none(tmp_path: Path) -> None:
    c = composer(mini(tmp_path, "reference_docx: none.docx\n"))
    assert load(c) is None
    assert "none.docx" in str(c.problems[0]) and "not found" in str(c.problems[0])
    assert load(composer(mini(tmp_path))) is None
