"""The image loader: orientation, colour, alpha, SVG, and a clear refusal for every kind of bad file."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image

import imagekit
from briefgen.errors import EXIT_IO, EXIT_LIMIT
from briefgen.inputs.confine import Roots
from briefgen.inputs.images import ImageError, load_image


@pytest.fixture
def pics(tmp_path: Path) -> dict[str, Path]:
    return imagekit.make_all(tmp_path / "photos")


def _roots(tmp_path: Path) -> Roots:
    return Roots((str(tmp_path.resolve()),))


def test_exif_orientation_is_applied(pics: dict[str, Path], tmp_path: Path) -> None:
    img = load_image(pics["rotated.jpg"], _roots(tmp_path))
    assert (img.px_width, img.px_height) == (400, 600)
    assert any("EXIF orientation 6" in c for c in img.changes)
    with Image.open(io.BytesIO(img.data)) as im:
        assert im.size == (400, 600)
        top, bottom = im.convert("RGB").getpixel((200, 100)), im.convert("RGB").getpixel((200, 500))
    assert top[0] > 200 and top[1] < 60  # the stored left half (red) is on top once upright
    assert bottom == pytest.approx((255, 255, 255), abs=8)
    assert img.dpi == 300


def test_cmyk_jpeg_is_converted_to_rgb(pics: dict[str, Path], tmp_path: Path) -> None:
    img = load_image(pics["cmyk.jpg"], _roots(tmp_path))
    assert img.mime == "image/jpeg"
    with Image.open(io.BytesIO(img.data)) as im:
        assert im.mode == "RGB"
        r, g, b = im.getpixel((100, 150))
    assert r > 200 and g < 80 and b < 80
    assert any("CMYK" in c for c in img.changes)


def test_alpha_png_keeps_its_alpha(pics: dict[str, Path], tmp_path: Path) -> None:
    img = load_image(pics["alpha.png"], _roots(tmp_path))
    assert img.mime == "image/png"
    with Image.open(io.BytesIO(img.data)) as im:
        assert im.mode == "RGBA"
        assert im.getpixel((5, 5))[3] == 0 and im.getpixel((200, 150))[3] == 200


def test_plain_jpeg_keeps_its_bytes(tmp_path: Path) -> None:
    p = tmp_path / "plain.jpg"
    Image.new("RGB", (300, 200), (10, 200, 30)).save(p, "JPEG", dpi=(200, 200))
    img = load_image(p, _roots(tmp_path))
    assert img.data == p.read_bytes() and img.changes == ()


def test_svg_is_kept_and_rasterised(pics: dict[str, Path], tmp_path: Path) -> None:
    img = load_image(pics["drawing.svg"], _roots(tmp_path))
    assert img.svg.startswith(b"<svg")
    assert img.natural_mm == pytest.approx((200 * 25.4 / 96, 100 * 25.4 / 96))
    with Image.open(io.BytesIO(img.data)) as im:
        assert im.format == "PNG" and im.size in ((625, 312), (625, 313))


def test_svg_rasters_are_remembered_across_processes(pics: dict[str, Path], tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen.inputs import images

    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "cache"))
    drawing = pics["drawing.svg"].read_bytes()
    first = images.svg_to_png(drawing, 400)
    assert len(list((tmp_path / "cache" / "svg").glob("*.png"))) == 1

    def no_cairo(*_a: object) -> bytes:
        raise AssertionError("drawn again")

    monkeypatch.setattr(images, "_draw_svg", no_cairo)
    assert images.svg_to_png(drawing, 400) == first
    with pytest.raises(AssertionError, match="drawn again"):  # another width is another entry
        images.svg_to_png(drawing, 401)
    with pytest.raises(AssertionError, match="drawn again"):  # and so is another drawing
        images.svg_to_png(drawing.replace(b"</svg>", b"<!-- v2 --></svg>"), 400)


@pytest.mark.parametrize("body", [
    '<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg">&x;</svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">'
    '<image xlink:href="file:///etc/hostname" width="10" height="10"/></svg>',
    '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><style>@import url(http://x/y.css);</style></svg>',
])
def test_svg_with_outside_references_is_refused(tmp_path: Path, body: str) -> None:
    p = tmp_path / "bad.svg"
    p.write_text(body, encoding="utf-8")
    with pytest.raises(ImageError, match="outside itself"):
        load_image(p, _roots(tmp_path))


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="not found") as e:
        load_image(tmp_path / "none.jpg", _roots(tmp_path))
    assert e.value.exit_code == EXIT_IO


def test_truncated_jpeg(tmp_path: Path) -> None:
    p = tmp_path / "cut.jpg"
    imagekit.truncated_jpeg(p)
    with pytest.raises(ImageError, match="damaged or truncated"):
        load_image(p, _roots(tmp_path))


def test_not_an_image(tmp_path: Path) -> None:
    p = tmp_path / "fake.png"
    imagekit.not_an_image(p)
    with pytest.raises(ImageError, match="not an image file"):
        load_image(p, _roots(tmp_path))


def test_decompression_bomb_is_a_limit(tmp_path: Path) -> None:
    p = tmp_path / "bomb.png"
    imagekit.bomb_png(p)
    with pytest.raises(ImageError) as e:
        load_image(p, _roots(tmp_path))
    assert e.value.exit_code == EXIT_LIMIT
    assert "decompression bomb" in e.value.message or "image_pixels" in e.value.message


def test_own_pixel_limit_below_pillows(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen.inputs import limits as lim

    p = tmp_path / "wide.png"
    Image.new("RGB", (300, 300)).save(p)
    monkeypatch.setenv(lim.ENV_VAR, lim.Policy(lim.Limits(image_pixels=50_000)).to_env())
    with pytest.raises(ImageError, match=r"300×300 = 90000 pixels, over the limit image_pixels=50000"):
        load_image(p, _roots(tmp_path))


def test_byte_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen.inputs import limits as lim

    p = tmp_path / "big.png"
    Image.effect_noise((200, 200), 80).save(p)
    monkeypatch.setenv(lim.ENV_VAR, lim.Policy(lim.Limits(image_bytes=1000)).to_env())
    with pytest.raises(ImageError, match="over the limit image_bytes=1000") as e:
        load_image(p, _roots(tmp_path))
    assert e.value.exit_code == EXIT_LIMIT


def test_outside_the_roots(tmp_path: Path) -> None:
    inside, outside = tmp_path / "in", tmp_path / "out"
    inside.mkdir()
    outside.mkdir()
    Image.new("RGB", (10, 10)).save(outside / "x.png")
    (inside / "link.png").symlink_to(outside / "x.png")
    for p in (outside / "x.png", inside / "link.png"):
        with pytest.raises(ImageError, match="outside the allowed folders"):
            load_image(p, Roots((str(inside.resolve()),)))


def test_same_content_is_decoded_once_and_checked_every_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from briefgen.inputs import images

    p = tmp_path / "a.png"
    Image.new("RGB", (30, 20), (1, 2, 3)).save(p)
    first = load_image(p, _roots(tmp_path))
    monkeypatch.setattr(images, "load_raster", lambda data: pytest.fail("decoded again"))
    assert load_image(p, _roots(tmp_path)) is first
    with pytest.raises(ImageError, match="outside|allowed"):  # roots are still checked
        load_image(p, Roots((str((tmp_path / "elsewhere").resolve()),)))
    Image.new("RGB", (30, 20), (9, 9, 9)).save(p)  # new content: decoded
    with pytest.raises(pytest.fail.Exception):
        load_image(p, _roots(tmp_path))
