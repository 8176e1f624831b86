"""Turn a brief, its packs and theme into the list of asset files they name (pictures, logos, Word templates).

Batch manifests hash these with the other inputs, so changing a photo or the unit's template makes
the brief stale.
"""

from __future__ import annotations

from pathlib import Path

from briefgen.model.sourcepack import LoadedPack, Section
from briefgen.model.spec import Brief, ImageBlock
from briefgen.model.theme import Theme


def _section_images(sections: list[Section], base: Path) -> list[Path]:
    out: list[Path] = []
    for s in sections:
        out += [base / im.file for im in s.images]
        out += _section_images(s.children, base)
    return out


def asset_paths(brief: Brief, base: Path, packs: dict[str, LoadedPack],
                theme: Theme | None) -> list[tuple[Path, str]]:
    """(path, kind) of every image, logo and reference template the brief uses that exists.

    Read with ``getattr`` defaults, so partial stand-ins (tests, older pickles) list what they have."""
    found: list[tuple[Path, str]] = []
    found += [(base / b.image, "image") for b in getattr(brief, "blocks", []) if isinstance(b, ImageBlock)]
    for pack in packs.values():
        sections = getattr(getattr(pack, "pack", None), "sections", [])
        found += [(p, "image") for p in _section_images(sections, pack.path.parent)]
    source = getattr(theme, "source_file", "")
    theme_dir = Path(source).parent if source else base
    logo, t_logo = getattr(brief, "logo", None), getattr(theme, "logo", None)
    if logo is not None:
        found.append((base / logo.file, "image"))
    elif t_logo is not None:
        found.append((theme_dir / t_logo.file, "image"))
    ref, t_ref = getattr(brief, "reference_docx", ""), getattr(theme, "reference_docx", "")
    if ref:
        found.append((base / ref, "template"))
    elif t_ref:
        found.append((theme_dir / t_ref, "template"))
    return [(p, k) for p, k in found if p.is_file()]
