"""Problem lines: paths as the user types them, sorted by file then line, a machine code at the end."""

from __future__ import annotations

from pathlib import Path

import pytest

from briefgen.errors import BriefError, Problem, display_path, suggest_file


def test_paths_relative_to_the_current_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "a" / "b" / "c").mkdir(parents=True)
    monkeypatch.chdir(tmp_path / "a" / "b" / "c")
    assert display_path(str(tmp_path / "a" / "b" / "c" / "x.yaml")) == "x.yaml"
    assert display_path(str(tmp_path / "a" / "b" / "s.yaml")) == "../s.yaml"
    assert display_path(str(tmp_path / "a" / "s.yaml")) == "../../s.yaml"
    assert display_path(str(tmp_path / "s.yaml")) == str(tmp_path / "s.yaml")  # three levels up: absolute
    assert display_path("--set") == "--set"


def test_problems_sorted_by_file_in_order_of_appearance_then_line() -> None:
    e = BriefError([Problem("c", "b.yaml", 9, 1), Problem("p", "pack.yaml", 2, 1), Problem("a", "b.yaml", 3, 5),
                    Problem("x", "pack.yaml", 1, 1), Problem("b", "b.yaml", 3, 2)])
    assert [p.message for p in e.problems] == ["b", "a", "c", "x", "p"]
    assert str(e).splitlines()[0] == "b.yaml:3:2: b [E-INPUT]"
    assert str(Problem("w", "b.yaml", 1, 1, severity="warning", code="W-X")) == "b.yaml:1:1: warning: w [W-X]"


def test_suggest_file_writes_the_folder_as_given(tmp_path: Path) -> None:
    (tmp_path / "sources").mkdir()
    (tmp_path / "sources" / "xinhe-laji-2025.yaml").write_text("", encoding="utf-8")
    (tmp_path / "sources" / "other.csv").write_text("", encoding="utf-8")
    assert suggest_file("sources/xinhe-laji-2024.yaml", tmp_path) == "did you mean sources/xinhe-laji-2025.yaml?"
    assert suggest_file("sources/unrelated.yaml", tmp_path) == ""
    assert suggest_file("nowhere/x.yaml", tmp_path) == ""
