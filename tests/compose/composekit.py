"""A prepared mini brief for compose unit tests: the shared fixtures copied into a temporary folder."""

from __future__ import annotations

import shutil
from pathlib import Path

from briefgen.compose.composer import Composer
from briefgen.pipeline.prepare import prepare
from briefgen.pipeline.prepared import Prepared

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def mini(tmp: Path, extra: str = "") -> Prepared:
    """The mini brief (``extra`` appended to its YAML), prepared."""
    shutil.copy(FIXTURES / "mini-pack.yaml", tmp / "mini-pack.yaml")
    text = (FIXTURES / "mini-brief.yaml").read_text(encoding="utf-8")
    (tmp / "brief.yaml").write_text(text + extra, encoding="utf-8")
    return prepare(tmp / "brief.yaml")


def composer(prep: Prepared) -> Composer:
    return Composer(prep.brief, prep.located, prep.packs, prep.theme, prep.templates)
