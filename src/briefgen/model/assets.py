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


def asset_paths(brief: Brief, base: Path, packs: dict[str, LoadedPack], theme: Theme) -> list[tuple[Path, str]]:
    """(path, kind) of every image, logo and reference template the brief uses that exists."""
    found: list[tuple[Path, str]] = []
    found += [(base / b.image, "image") for b in brief.blocks if isinstance(b, ImageBlock)]
    for pack in packs.values():
        found += [(p, "image") for p in _section_images(pack.pack.sections, pack.path.parent)]
    theme_dir = Path(theme.source_file).parent if theme.source_file else base
    if brief.logo is not None:
        found.append((base / brief.logo.file, "image"))
    elif theme.logo is not None:
        found.append((theme_dir / theme.logo.file, "image"))
    if brief.reference_docx:
        found.append((base / brief.reference_docx, "template"))
    elif theme.reference_docx:
        found.append((theme_dir / theme.reference_docx, "template"))
    return [(p, k) for p, k in found if p.is_file()]
