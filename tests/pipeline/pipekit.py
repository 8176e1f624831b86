"""A mini brief in a temporary folder for pipeline unit tests (the shared fixtures, optionally edited)."""

from __future__ import annotations

import shutil
from pathlib import Path

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def mini_spec(tmp: Path, extra: str = "", replace: tuple[str, str] | None = None) -> Path:
    shutil.copy(FIXTURES / "mini-pack.yaml", tmp / "mini-pack.yaml")
    text = (FIXTURES / "mini-brief.yaml").read_text(encoding="utf-8")
    if replace:
        assert replace[0] in text
        text = text.replace(*replace)
    spec = tmp / "brief.yaml"
    spec.write_text(text + extra, encoding="utf-8")
    return spec
