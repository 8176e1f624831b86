"""Turn image references (``image:`` blocks, section photos in source packs, logos) into sized ``Image`` nodes.

Each file is loaded once per build (:mod:`briefgen.inputs.images`: confinement, limits, decoding,
orientation, colour) and sized here: the requested width (mm or a fraction of the type area), else
the picture's own size at its stated resolution (150 dpi when it states none), never wider than the
type area and never taller than the type area less room for two caption lines. Every problem is a
located :class:`Problem` at the YAML field that named the file; a picture printed below 150 dpi
gets a located warning.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.errors import Problem
from briefgen.i18n import _
from briefgen.inputs.confine import Roots, active, roots_for
from briefgen.inputs.images import ImageError, LoadedImage, load_image
from briefgen.inputs.yamlsafe import Located
from briefgen.model.sizes import parse_width
from briefgen.model.sourcepack import FlatSection, LoadedPack
from briefgen.model.spec import ImageBlock
from briefgen.model.theme import Theme
from briefgen.tree import Block, Heading, Image, plain

MIN_DPI = 150.0
DEFAULT_DPI = 150.0  # assumed for a raster that states no resolution
MM_PER_PT = 25.4 / 72


@dataclass
class ImageRequest:
    """One use of a picture: the file, how it is named in YAML (for messages) and how to print it."""

    ref: str  # as written in the YAML
    base: Path  # folder the reference is relative to
    located: Located
    path: tuple[str | int, ...]  # the YAML field naming the file
    width: float | str | None = None
    caption: str = ""
    credit: str = ""
    alt: str = ""
    align: str = "center"
    max_height_mm: float | None = None  # logos: their own box
    note: str = ""  # a footnote on the picture (compose.footnotes numbers it)


@dataclass
class ImageMaker:
    """Loads and sizes pictures for one composition; collects problems and warnings."""

    theme: Theme
    spec_file: str
    problems: list[Problem] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    _cache: dict[str, LoadedImage | ImageError] = field(default_factory=dict)
    _roots: Roots | None = None

    def roots(self) -> Roots:
        if self._roots is None:  # the build's roots (with a cluster worker's rebased folder), else the spec's
            self._roots = active() or roots_for(Path(self.spec_file))
        return self._roots

    def load(self, req: ImageRequest) -> LoadedImage | None:
        """The loaded picture, or None after recording a located problem."""
        target = req.base / req.ref
        key = str(target.resolve()) if target.exists() else str(target)
        got = self._cache.get(key)
        if got is None:
            try:
                got = load_image(target, self.roots())
            except ImageError as e:
                got = e
            self._cache[key] = got
        if isinstance(got, ImageError):
            p = req.located.problem(req.path, f"{req.ref}: {got.message}", got.hint)
            p.exit_code = got.exit_code
            self.problems.append(p)
            return None
        return got

    def size_mm(self, img: LoadedImage, width: float | str | None, max_h: float | None) -> tuple[float, float]:
        """Printed width and height: requested or natural, inside the type area."""
        area_w = self.theme.type_area_width * MM_PER_PT
        area_h = self.theme.type_area_height * MM_PER_PT
        spec = parse_width(width)
        if spec is not None:
            w = spec[1] if spec[0] == "mm" else spec[1] * area_w
        elif img.natural_mm is not None:
            w = img.natural_mm[0]
        else:
            w = img.px_width / (img.dpi or DEFAULT_DPI) * 25.4
        w = min(w, area_w)
        room = area_h - 2 * self.theme.grid.line_pitch_pt * MM_PER_PT  # caption lines under it
        limit_h = min(room, max_h) if max_h else room
        h = w * img.aspect
        if h > limit_h:
            w, h = limit_h / img.aspect, limit_h
        return round(w, 2), round(h, 2)

    def make(self, req: ImageRequest) -> Image | None:
        """An ``Image`` node for ``req`` (None after a located problem)."""
        img = self.load(req)
        if img is None:
            return None
        w, h = self.size_mm(img, req.width, req.max_height_mm)
        node = Image(img.data, img.mime, img.px_width, img.px_height, w, h, caption=req.caption,
                     credit=req.credit, alt=req.alt or req.caption, align=req.align,  # type: ignore[arg-type]
                     svg=img.svg, digest=img.digest, name=Path(req.ref).name, note=req.note.strip())
        if not img.svg and node.dpi < MIN_DPI:
            line, col = req.located.where(req.path)
            where = f"{req.located.file}:{line}:{col}" if line is not None else req.located.file
            self.warnings.append(_("{place}: image {ref} prints at {dpi} dpi ({px} px over {mm} mm), below {min} dpi "
                                   "(use a larger original or print it smaller)").format(
                place=where, ref=req.ref, dpi=f"{node.dpi:.0f}", px=f"{img.px_width}×{img.px_height}",
                mm=f"{w:.0f}", min=f"{MIN_DPI:.0f}"))
        return node


def image_block(c: Any, i: int, blk: ImageBlock) -> list[Block]:
    """BLOCK_HANDLERS entry for ``image:`` blocks (``c`` is the Composer)."""
    out: list[Block] = []
    if blk.heading:
        out.append(Heading(blk.level, plain(c._expand(blk.heading, ("blocks", i, "heading")))))
    req = ImageRequest(blk.image, Path(c.loc.file).parent, c.loc, ("blocks", i, "image"), blk.width,
                       c._expand(blk.caption, ("blocks", i, "caption")),
                       c._expand(blk.credit, ("blocks", i, "credit")), blk.alt, blk.align,
                       note=c._expand(blk.note, ("blocks", i, "note")))
    node = c.images.make(req)
    if node is not None:
        out.append(node)
    return out


def section_images(c: Any, fs: FlatSection, pack: LoadedPack) -> list[Block]:
    """The photos a source-pack section carries, located in the pack."""
    out: list[Block] = []
    for k, pi in enumerate(fs.section.images):
        req = ImageRequest(pi.file, pack.path.parent, pack.located, (*fs.path, "images", k, "file"), pi.width,
                           pi.caption, pi.credit, pi.alt, note=pi.note)
        node = c.images.make(req)
        if node is not None:
            out.append(node)
    return out


def logo_image(c: Any, kind: str) -> Image | None:
    """The brief's (else the theme's) logo for the ``masthead`` or ``cover``, placed on the page."""
    brief_logo = c.brief.logo
    logo = brief_logo or c.theme.logo
    if logo is None or kind not in logo.on:
        return None
    spec_dir = Path(c.loc.file).parent
    path: tuple[str | int, ...]
    if brief_logo is not None:
        base, path = spec_dir, ("logo", "file")
    else:
        base = Path(c.theme.source_file).parent if c.theme.source_file else spec_dir
        path = ("theme",)
    req = ImageRequest(logo.file, base, c.loc, path, f"{logo.width_mm}mm", alt=logo.alt,
                       max_height_mm=logo.height_mm)
    node = c.images.make(req)
    if node is not None:
        node.page_x_mm, node.page_y_mm = logo.x_mm, logo.y_mm
    return node
