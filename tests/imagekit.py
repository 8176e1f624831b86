"""Test pictures made with Pillow (nothing binary is committed): EXIF-rotated, CMYK, alpha, SVG, broken ones."""

from __future__ import annotations

import io
import struct
import zlib
from pathlib import Path

from PIL import Image, ImageDraw

SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100" viewBox="0 0 200 100">'
    '<rect x="0" y="0" width="200" height="100" fill="#ffffff" stroke="#c00000" stroke-width="4"/>'
    '<circle cx="50" cy="50" r="30" fill="#c00000"/><rect x="100" y="20" width="80" height="60" fill="#1f4e79"/>'
    "</svg>"
)


def rotated_jpeg(path: Path) -> None:
    """A 600×400 JPEG stored sideways: EXIF orientation 6, so it shows 400×600 upright.

    The stored image is red on its left half; after rotating 90° clockwise the red half is on top."""
    img = Image.new("RGB", (600, 400), "white")
    ImageDraw.Draw(img).rectangle((0, 0, 299, 399), fill=(255, 0, 0))
    exif = Image.Exif()
    exif[0x0112] = 6
    img.save(path, "JPEG", exif=exif.tobytes(), dpi=(300, 300), quality=90)


def alpha_png(path: Path) -> None:
    img = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    ImageDraw.Draw(img).ellipse((50, 50, 350, 250), fill=(0, 128, 0, 200))
    img.save(path, "PNG", dpi=(300, 300))


def cmyk_jpeg(path: Path) -> None:
    img = Image.new("CMYK", (500, 300), (0, 0, 0, 0))
    ImageDraw.Draw(img).rectangle((0, 0, 249, 299), fill=(0, 255, 255, 0))  # red in CMYK
    img.save(path, "JPEG", dpi=(300, 300), quality=90)


def low_res_png(path: Path) -> None:
    Image.new("RGB", (120, 80), (30, 60, 90)).save(path, "PNG")


def svg(path: Path) -> None:
    path.write_text(SVG, encoding="utf-8")


def truncated_jpeg(path: Path) -> None:
    buf = io.BytesIO()
    Image.effect_noise((400, 400), 64).convert("RGB").save(buf, "JPEG", quality=95)
    path.write_bytes(buf.getvalue()[: len(buf.getvalue()) // 2])


def not_an_image(path: Path) -> None:
    path.write_text("这不是图片。\n", encoding="utf-8")


def bomb_png(path: Path, side: int = 30000) -> None:
    """A tiny PNG whose header claims side×side pixels (the data is one empty row)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    ihdr = struct.pack(">IIBBBBB", side, side, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\x00" * (side + 1))
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", idat) + chunk(b"IEND", b""))


ALL = {"rotated.jpg": rotated_jpeg, "alpha.png": alpha_png, "cmyk.jpg": cmyk_jpeg, "drawing.svg": svg,
       "lowres.png": low_res_png}


def make_all(folder: Path) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = {}
    for name, fn in ALL.items():
        fn(folder / name)
        out[name] = folder / name
    return out


def sample_node(caption: str = "图为示例", width_mm: float = 40.0):  # -> briefgen.tree.Image
    """A small PNG picture node for writer tests (one of every node type)."""
    from briefgen.tree import Image as ImageNode

    buf = io.BytesIO()
    Image.new("RGB", (240, 160), (200, 40, 40)).save(buf, "PNG")
    return ImageNode(buf.getvalue(), "image/png", 240, 160, width_mm, width_mm * 160 / 240, caption=caption,
                     credit="摄影：示例", alt="示例图片", name="sample.png")
