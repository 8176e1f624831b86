"""compose.images: pictures sized from the requested width or their own resolution, fitted in the type
area, low resolution warned about and bad files reported at the YAML field naming them."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image as PILImage

from briefgen.compose.images import DEFAULT_DPI, MM_PER_PT, ImageMaker, ImageRequest
from briefgen.inputs.yamlsafe import load_yaml_text
from briefgen.model.theme import load_theme

YAML = "blocks:\n  - image: a.png\n    width: 50%\n"


def _png(path: Path, w: int, h: int, dpi: float | None = None) -> None:
    img = PILImage.new("RGB", (w, h), (200, 30, 30))
    img.save(path, "PNG", **({"dpi": (dpi, dpi)} if dpi else {}))


def _maker(tmp: Path) -> tuple[ImageMaker, ImageRequest]:
    spec = tmp / "brief.yaml"
    spec.write_text(YAML, encoding="utf-8")
    loc = load_yaml_text(YAML, str(spec))
    maker = ImageMaker(load_theme("gongwen"), str(spec))
    return maker, ImageRequest("a.png", tmp, loc, ("blocks", 0, "image"))


def test_fraction_of_type_area(tmp_path: Path) -> None:
    _png(tmp_path / "a.png", 1200, 600, 300)
    maker, req = _maker(tmp_path)
    req.width, req.caption = "50%", "图为示例"
    node = maker.make(req)
    assert node is not None
    area_w = maker.theme.type_area_width * MM_PER_PT
    assert node.width_mm == pytest.approx(area_w / 2, abs=0.01)
    assert node.height_mm == pytest.approx(node.width_mm / 2, abs=0.01)
    assert (node.mime, node.px_width, node.name, node.alt) == ("image/png", 1200, "a.png", "图为示例")
    assert not maker.problems and not maker.warnings


def test_natural_size_from_dpi_and_default_dpi(tmp_path: Path) -> None:
    _png(tmp_path / "a.png", 300, 150, 300)
    maker, req = _maker(tmp_path)
    assert maker.make(req).width_mm == pytest.approx(25.4, abs=0.01)  # type: ignore[union-attr]
    _png(tmp_path / "b.png", 300, 150)
    req.ref = "b.png"
    assert maker.make(req).width_mm == pytest.approx(300 / DEFAULT_DPI * 25.4, abs=0.01)  # type: ignore[union-attr]


def test_tall_picture_fits_the_type_area_height(tmp_path: Path) -> None:
    _png(tmp_path / "a.png", 200, 4000, 72)
    maker, req = _maker(tmp_path)
    w, h = maker.size_mm(maker.load(req), None, None)  # type: ignore[arg-type]
    room = maker.theme.type_area_height * MM_PER_PT - 2 * maker.theme.grid.line_pitch_pt * MM_PER_PT
    assert h == pytest.approx(room, abs=0.01) and w == pytest.approx(room / 20, abs=0.01)
    w2, h2 = maker.size_mm(maker.load(req), None, 30)  # type: ignore[arg-type]
    assert h2 == 30 and w2 == pytest.approx(1.5, abs=0.01)


def test_low_resolution_is_a_located_warning(tmp_path: Path) -> None:
    _png(tmp_path / "a.png", 200, 100, 300)
    maker, req = _maker(tmp_path)
    req.width = "100mm"
    node = maker.make(req)
    assert node is not None and node.dpi == pytest.approx(50.8, abs=0.1)
    assert len(maker.warnings) == 1
    assert "brief.yaml:2:" in maker.warnings[0] and "51 dpi" in maker.warnings[0]


def test_missing_file_is_a_located_problem_once_loaded(tmp_path: Path) -> None:
    maker, req = _maker(tmp_path)
    req.ref = "none.png"
    assert maker.make(req) is None
    assert maker.make(req) is None
    assert len(maker.problems) == 2
    p = maker.problems[0]
    assert p.line == 2 and "none.png" in str(p)
