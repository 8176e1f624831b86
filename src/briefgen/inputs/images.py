"""Turn an image file (JPEG, PNG, GIF, WebP, TIFF, BMP or SVG) into checked, normalised image bytes.

Every image is confined to the brief's allowed roots, held to the ``image_bytes`` and
``image_pixels`` limits (Pillow's own decompression-bomb check stays on as well) and fully decoded
once, so truncated or non-image files fail here, before any output is written. Raster images come
out upright (EXIF orientation applied) in sRGB: CMYK and other colour spaces are converted (through
the embedded ICC profile when there is one). A JPEG that needs no change keeps its original bytes;
everything else is written as PNG (alpha kept) or, for converted JPEG photos, as JPEG again.

SVG files keep their source (the PDF draws them as vectors) and are rasterised to PNG for formats
that need pixels. External references (DOCTYPE/entities, ``href`` to anything but ``#id``, CSS
``@import``/``url()``) are refused, so an SVG cannot read other files or the network.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import threading
import warnings
from collections import OrderedDict
from dataclasses import dataclass
from functools import cached_property
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.errors import EXIT_INPUT, EXIT_IO, EXIT_LIMIT
from briefgen.inputs.blobs import read_blob, write_blob
from briefgen.inputs.confine import Roots, refusal, roots_hint
from briefgen.inputs.filecache import cache_dir
from briefgen.inputs.limits import limits

if TYPE_CHECKING:
    from PIL.Image import Image as PILImage

RASTER_FORMATS = ("JPEG", "PNG", "GIF", "WEBP", "TIFF", "BMP", "MPO")
SVG_SUFFIXES = (".svg",)
SVG_RASTER_DPI = 300  # pixels per inch when an SVG is rasterised at its print size
SVG_CACHE_FORMAT = 1  # bump when the rasterising options change
_SVG_START = re.compile(rb"^\s*(<\?xml[^>]*>\s*)?(<!--.*?-->\s*)*<svg[\s>]", re.S)
_SVG_UNSAFE = re.compile(rb"<!DOCTYPE|<!ENTITY|@import|url\(\s*['\"]?(?!#)", re.I)
_SVG_HREF = re.compile(rb"""\bhref\s*=\s*["']\s*(?!#)""", re.I)


class ImageError(Exception):
    """An image that cannot be used: the message, a hint and the exit code it should end the run with."""

    def __init__(self, message: str, hint: str = "", exit_code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.message, self.hint, self.exit_code = message, hint, exit_code


@dataclass(frozen=True)
class LoadedImage:
    """A decoded, checked image: bytes ready to embed (PNG or JPEG) and what the writers need to know."""

    data: bytes  # PNG or JPEG; for SVG a PNG rasterised at SVG_RASTER_DPI of its natural size
    mime: str  # "image/png" | "image/jpeg"
    px_width: int
    px_height: int
    dpi: float | None  # the file's own resolution (pixels per inch), if it states one
    svg: bytes = b""  # the SVG source (vector formats draw it instead of ``data``)
    natural_mm: tuple[float, float] | None = None  # an SVG's own width and height
    changes: tuple[str, ...] = ()  # what was done to it: "rotated (EXIF 6)", "CMYK → sRGB"

    @cached_property
    def digest(self) -> str:
        return hashlib.sha256(self.data + self.svg).hexdigest()

    @property
    def aspect(self) -> float:
        """Height over width."""
        if self.natural_mm:
            return self.natural_mm[1] / self.natural_mm[0]
        return self.px_height / self.px_width


def read_image_file(path: Path, roots: Roots | None) -> bytes:
    """The bytes of an image file inside the roots, within ``image_bytes``; ImageError otherwise."""
    if roots is not None:
        why = refusal(path, roots)
        if why:
            raise ImageError(f"image {why}", roots_hint(roots))
    cap = limits().image_bytes
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        raise ImageError("image file not found", "paths are relative to the file naming them",
                         EXIT_IO) from None
    except OSError as e:
        raise ImageError(f"cannot read image {path}: {e.strerror or e}", exit_code=EXIT_IO) from None
    if size > cap:
        raise ImageError(f"image is {size} bytes, over the limit image_bytes={cap}",
                         "raise it with --limit image_bytes=N", EXIT_LIMIT)
    try:
        with open(path, "rb") as fh:
            data = fh.read(cap + 1)
    except OSError as e:
        raise ImageError(f"cannot read image {path}: {e.strerror or e}", exit_code=EXIT_IO) from None
    if len(data) > cap:
        raise ImageError(f"image is over the limit image_bytes={cap}", "raise it with --limit image_bytes=N",
                         EXIT_LIMIT)
    return data


# Images already decoded in this process, by content: a batch or watch run rebuilding a brief
# reads each file again (roots and size limits are checked every time) but decodes, converts and
# rasterises the same bytes once. Bounded by the bytes held.
_LOADED: OrderedDict[tuple[str, bool, int], LoadedImage] = OrderedDict()
_LOADED_LOCK = threading.Lock()
_LOADED_MAX_BYTES = 64 * 1024 * 1024


def load_image(path: Path, roots: Roots | None) -> LoadedImage:
    """Read, check and normalise the image at ``path`` (see the module docstring)."""
    data = read_image_file(path, roots)
    svg = bool(path.suffix.lower() in SVG_SUFFIXES or _SVG_START.match(data[:4096]))
    key = (hashlib.sha256(data).hexdigest(), svg, limits().image_pixels)
    with _LOADED_LOCK:
        got = _LOADED.get(key)
        if got is not None:
            _LOADED.move_to_end(key)
            return got
    got = load_svg(data) if svg else load_raster(data)
    with _LOADED_LOCK:
        _LOADED[key] = got
        held = sum(len(v.data) + len(v.svg) for v in _LOADED.values())
        while len(_LOADED) > 1 and held > _LOADED_MAX_BYTES:
            _key, old = _LOADED.popitem(last=False)
            held -= len(old.data) + len(old.svg)
    return got


def load_raster(data: bytes) -> LoadedImage:
    """Decode a raster image fully and return it upright, in sRGB, as PNG or JPEG bytes."""
    from PIL import (  # reason: Pillow only when a brief has images
        Image,
        ImageOps,
        UnidentifiedImageError,
    )

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img: PILImage = Image.open(io.BytesIO(data))
            w, h = img.size
            cap = limits().image_pixels
            if w * h > cap:
                raise ImageError(f"image is {w}×{h} = {w * h} pixels, over the limit image_pixels={cap}",
                                 "scale it down, or raise it with --limit image_pixels=N", EXIT_LIMIT)
            if img.format not in RASTER_FORMATS:
                raise ImageError(f"unsupported image format {img.format}",
                                 "use JPEG, PNG or SVG (also GIF, WebP, TIFF, BMP)")
            img.load()
    except ImageError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as e:
        raise ImageError(f"image refused as a decompression bomb: {e}",
                         "an image with this many pixels is not a photo; scale it down", EXIT_LIMIT) from None
    except UnidentifiedImageError:
        raise ImageError("not an image file (or a format Pillow cannot read)",
                         "use JPEG, PNG or SVG") from None
    except (OSError, SyntaxError, ValueError, EOFError) as e:
        raise ImageError(f"the image is damaged or truncated: {e}", "re-export or re-download the file") from None
    fmt = img.format
    dpi_info = img.info.get("dpi")
    dpi = float(dpi_info[0]) if isinstance(dpi_info, tuple) and dpi_info and float(dpi_info[0]) > 1 else None
    changes: list[str] = []
    orientation = img.getexif().get(0x0112, 1)
    upright = ImageOps.exif_transpose(img)
    if upright is not None and orientation not in (None, 1):
        img = upright
        changes.append(f"rotated (EXIF orientation {orientation})")
    img, converted = _to_srgb(img)
    changes.extend(converted)
    if fmt in ("JPEG", "MPO") and not changes and img.mode in ("RGB", "L"):
        out, mime = data, "image/jpeg"
    elif fmt in ("JPEG", "MPO") and img.mode in ("RGB", "L"):
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=92, dpi=(dpi or 72, dpi or 72))
        out, mime = buf.getvalue(), "image/jpeg"
    else:
        buf = io.BytesIO()
        img.save(buf, "PNG", dpi=(dpi or 72, dpi or 72))
        out, mime = buf.getvalue(), "image/png"
    return LoadedImage(out, mime, img.width, img.height, dpi, changes=tuple(changes))


def _to_srgb(img: PILImage) -> tuple[PILImage, list[str]]:
    """RGB, RGBA or L: CMYK and other spaces converted (through the embedded ICC profile if any)."""
    from PIL import ImageCms  # reason: Pillow only when a brief has images

    changes: list[str] = []
    icc = img.info.get("icc_profile")
    mode = img.mode
    if mode == "CMYK" or (icc and mode in ("RGB", "RGBA")):
        if icc:
            try:
                src = ImageCms.ImageCmsProfile(io.BytesIO(icc))
                desc = ImageCms.getProfileDescription(src).strip()
                if mode == "CMYK" or "srgb" not in desc.lower():
                    dst = ImageCms.createProfile("sRGB")
                    out_mode = "RGBA" if mode == "RGBA" else "RGB"
                    done = ImageCms.profileToProfile(img, src, dst, outputMode=out_mode)
                    if done is not None:
                        changes.append(f"{mode} ({desc}) → sRGB")
                        return done, changes
            except (OSError, ImageCms.PyCMSError):
                changes.append("ICC profile unreadable, converted without it")
        if img.mode == "CMYK":
            img = img.convert("RGB")
            changes.append("CMYK → RGB")
        return img, changes
    if mode in ("RGB", "RGBA", "L"):
        return img, changes
    if mode in ("P", "PA", "LA", "1") or "transparency" in img.info:
        has_alpha = mode in ("PA", "LA") or "transparency" in img.info
        if mode == "1":
            return img.convert("L"), ["1-bit → greyscale"]
        return img.convert("RGBA" if has_alpha else "RGB"), [f"{mode} → {'RGBA' if has_alpha else 'RGB'}"]
    if mode.startswith("I"):
        return img.convert("I").point(lambda v: v / 256).convert("L"), [f"{mode} → 8-bit greyscale"]
    return img.convert("RGB"), [f"{mode} → RGB"]


def check_svg(data: bytes) -> None:
    """Refuse SVGs that refer to anything outside themselves (entities, links, imports)."""
    bad = _SVG_UNSAFE.search(data) or _SVG_HREF.search(data)
    if bad:
        shown = bad.group(0).decode("utf-8", "replace").strip()
        raise ImageError(f"SVG refers to something outside itself ({shown!r})",
                         "inline every part of the drawing; links, entities and imports are not followed")


def svg_to_png(data: bytes, px_width: int | None = None) -> bytes:
    """PNG pixels of an SVG (cairosvg, nothing fetched), ``px_width`` wide or at its natural size.

    Remembered across processes under ``<cache>/svg`` by the drawing's digest, the width and the
    cairosvg version: importing cairo and drawing costs ≈0.35 s of a cold build with a logo."""
    entry = _svg_entry(data, px_width)
    cached = read_blob(entry) if entry is not None else None
    if cached is not None:
        return cached
    out = _draw_svg(data, px_width)
    if entry is not None:
        write_blob(entry, out)
    return out


def _svg_entry(data: bytes, px_width: int | None) -> Path | None:
    try:
        version = metadata.version("cairosvg")
    except metadata.PackageNotFoundError:
        return None  # _draw_svg says what is missing
    key = hashlib.sha256(data + f"|{px_width}|{version}|{SVG_CACHE_FORMAT}".encode()).hexdigest()[:32]
    return cache_dir() / "svg" / f"{key}.png"


def _draw_svg(data: bytes, px_width: int | None) -> bytes:
    try:
        from cairosvg.surface import PNGSurface  # reason: cairo only when a brief has SVG images
    except (ImportError, OSError):  # the cairo C library is not a pip package
        raise ImageError(
            "SVG images need the cairo graphics library, which is not installed",
            "install it (Debian/Ubuntu: apt-get install libcairo2; Windows: the GTK runtime), "
            "or save the drawing as PNG",
        ) from None

    def refuse(url: str, *args: object, **kw: object) -> bytes:
        raise ImageError(f"SVG refers to {url!r}", "inline every part of the drawing")

    try:
        out: bytes = PNGSurface.convert(bytestring=data, output_width=px_width, url_fetcher=refuse, unsafe=False)
    except ImageError:
        raise
    except Exception as e:  # noqa: BLE001 - cairosvg raises many kinds for bad SVG
        raise ImageError(f"the SVG cannot be drawn: {type(e).__name__}: {e}", "check it in a browser") from None
    return out


def load_svg(data: bytes) -> LoadedImage:
    """Check an SVG and rasterise it once at its natural size (to learn the size and catch errors)."""
    from PIL import Image  # reason: Pillow only when a brief has images

    check_svg(data)
    natural = svg_to_png(data)
    with Image.open(io.BytesIO(natural)) as im:
        w, h = im.size  # cairosvg's natural size is in CSS pixels, 96 per inch
    if w < 1 or h < 1:
        raise ImageError("the SVG has no size", "give the <svg> element width and height or a viewBox")
    mm = (w * 25.4 / 96, h * 25.4 / 96)
    scale = SVG_RASTER_DPI / 96
    cap = limits().image_pixels
    px_w = max(1, min(round(w * scale), int((cap * w / h) ** 0.5)))
    png = svg_to_png(data, px_w)
    with Image.open(io.BytesIO(png)) as im:
        pw, ph = im.size
    return LoadedImage(png, "image/png", pw, ph, float(SVG_RASTER_DPI), svg=data, natural_mm=mm,
                       changes=("SVG rasterised for DOCX",))
