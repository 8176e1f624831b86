"""model.assets: every picture, logo and Word template a brief names that exists is listed with its kind."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

from briefgen.model.assets import asset_paths
from briefgen.model.spec import Brief
from briefgen.model.theme import load_theme


def _brief(**extra: object) -> Brief:
    return Brief.model_validate({"title": "标题", "sources": {"mp": "p.yaml"},
                                 "blocks": [{"image": "a.png"}, {"image": "gone.png"}, {"text": "x"}], **extra})


def test_images_logo_and_template_of_the_brief(tmp_path: Path) -> None:
    for name in ("a.png", "logo.png", "unit.docx"):
        (tmp_path / name).write_bytes(b"x")
    b = _brief(logo={"file": "logo.png"}, reference_docx="unit.docx")
    got = asset_paths(b, tmp_path, {}, load_theme("gongwen"))
    assert got == [(tmp_path / "a.png", "image"), (tmp_path / "logo.png", "image"),
                   (tmp_path / "unit.docx", "template")]


def test_missing_files_are_left_out(tmp_path: Path) -> None:
    assert asset_paths(_brief(reference_docx="unit.docx"), tmp_path, {}, None) == []


def test_pack_section_images_relative_to_the_pack(tmp_path: Path) -> None:
    packdir = tmp_path / "packs"
    packdir.mkdir()
    (packdir / "p1.jpg").write_bytes(b"x")
    (packdir / "p2.jpg").write_bytes(b"x")
    child = SimpleNamespace(images=[SimpleNamespace(file="p2.jpg")], children=[])
    top = SimpleNamespace(images=[SimpleNamespace(file="p1.jpg")], children=[child])
    pack = SimpleNamespace(path=packdir / "pack.yaml", pack=SimpleNamespace(sections=[top]))
    got = asset_paths(_brief(), tmp_path, {"mp": pack}, None)  # type: ignore[dict-item]
    assert got == [(packdir / "p1.jpg", "image"), (packdir / "p2.jpg", "image")]


def test_theme_template_when_the_brief_names_none(tmp_path: Path) -> None:
    (tmp_path / "t.docx").write_bytes(b"x")
    theme = SimpleNamespace(source_file=str(tmp_path / "theme.yaml"), logo=None, reference_docx="t.docx")
    assert asset_paths(_brief(), tmp_path / "elsewhere", {}, theme) == [(tmp_path / "t.docx", "template")]  # type: ignore[arg-type]
