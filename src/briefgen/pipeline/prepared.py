"""A loaded, validated brief with everything it refers to, and how a brief names its input files."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from briefgen.compose.templating import Templates
from briefgen.errors import BriefError
from briefgen.i18n import _
from briefgen.inputs.yamlsafe import Located
from briefgen.model.sourcepack import LoadedPack
from briefgen.model.spec import Brief
from briefgen.model.theme import Theme


@dataclass
class Prepared:
    """A loaded, validated brief with everything it refers to."""

    spec_path: Path
    located: Located
    brief: Brief
    packs: dict[str, LoadedPack]
    theme: Theme
    templates: Templates

    @property
    def base(self) -> Path:
        return self.spec_path.parent


def apply_overrides(located: Located, overrides: list[str]) -> None:
    """Apply ``--set key.sub=value`` overrides to the loaded spec data."""
    for item in overrides:
        if "=" not in item:
            raise BriefError.at(_("--set {item!r}: expected key=value").format(item=item), file="--set", exit_code=2,
                                code="E-USAGE")
        key, value = item.split("=", 1)
        parts = [p for p in key.strip().split(".") if p]
        if not parts:
            raise BriefError.at(_("--set {item!r}: empty key").format(item=item), file="--set", exit_code=2,
                                code="E-USAGE")
        if located.data is None:
            located.data = {}
        cur = located.data
        for p in parts[:-1]:
            if not isinstance(cur.get(p), dict):
                cur[p] = {}
            cur = cur[p]
        cur[parts[-1]] = value


def resolve_input(base: Path, ref: str, rebase: tuple[str, str] | None = None) -> Path:
    path = (base / ref).resolve() if not Path(ref).is_absolute() else Path(ref).resolve()
    if rebase:
        old, new = rebase
        try:
            return Path(new) / path.relative_to(old)
        except ValueError:
            return path
    return path
