"""Helpers for the batch tests: copy the bundled examples into a project, make many variants, run the CLI."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[2]
PACK = "wujiang-2022-09-23.yaml"
# every bundled example (the reproducibility and CLI tests build them all) ...
EXAMPLES = sorted((REPO / "briefs").glob("*.yaml"))
# ... and those built on the bundled news pack, which the many-brief variants are made from
PACK_EXAMPLES = [p for p in EXAMPLES if f"../sources/{PACK}" in p.read_text(encoding="utf-8")]
PROJECT_FOLDERS = ("briefs", "sources", "templates", "data", "themes")


def make_project(root: Path) -> Path:
    """The repository's example folders (briefs, sources, templates, data, themes) copied to ``root``."""
    for name in PROJECT_FOLDERS:
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, root / name)
    return root


def variants(project: Path, n: int, folder: str = "many", second_pack_every: int = 2) -> list[Path]:
    """``n`` specs made from the examples, each with its own slug and title.

    Every ``second_pack_every``-th spec reads ``sources/pack-b.yaml`` (a copy of the bundled pack)
    instead of the bundled pack, so a change to one pack touches a known subset.
    """
    out_dir = project / folder
    out_dir.mkdir(parents=True, exist_ok=True)
    pack_b = project / "sources" / "pack-b.yaml"
    if not pack_b.exists():
        shutil.copy(project / "sources" / PACK, pack_b)
    texts = [p.read_text(encoding="utf-8") for p in PACK_EXAMPLES]
    specs = []
    for i in range(n):
        text = texts[i % len(texts)]
        text = re.sub(r"^title: (.*)$", lambda m, i=i: f"title: 第{i}号 {m.group(1)}", text, count=1,
                      flags=re.M)
        if second_pack_every and i % second_pack_every == 1:
            text = text.replace(f"../sources/{PACK}", "../sources/pack-b.yaml")
        text += f"\nslug: v{i:03d}-{PACK_EXAMPLES[i % len(PACK_EXAMPLES)].stem}\n"
        p = out_dir / f"v{i:03d}.yaml"
        p.write_text(text, encoding="utf-8")
        specs.append(p)
    return specs


def uses_pack_b(spec: Path) -> bool:
    return "pack-b.yaml" in spec.read_text(encoding="utf-8")


def run(*args: str, cwd: Path = REPO, env: dict[str, str] | None = None,
        timeout: float = 600) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "briefgen", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=timeout, env={**os.environ, **(env or {})})


def run_json(*args: str, **kw: Any) -> tuple[subprocess.CompletedProcess[str], dict[str, Any]]:
    r = run(*args, "--json", **kw)
    assert r.stdout.strip(), r.stderr
    return r, json.loads(r.stdout)


def digests(folder: Path) -> dict[str, str]:
    """SHA-256 of every DOCX and PDF under ``folder``, by relative path."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.suffix in (".docx", ".pdf")}


def valid_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as z:
            if z.testzip() is not None:
                return False
            names = set(z.namelist())
        from docx import Document

        Document(str(path))
        return "word/document.xml" in names
    except Exception:  # noqa: BLE001
        return False


def valid_pdf(path: Path) -> bool:
    data = path.read_bytes()
    if not data.startswith(b"%PDF-") or not data.rstrip().endswith(b"%%EOF"):
        return False
    try:
        from io import BytesIO

        from pypdf import PdfReader

        return len(PdfReader(BytesIO(data), strict=True).pages) > 0
    except Exception:  # noqa: BLE001
        return False


def temp_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*.tmp")]


def crash_on_three(x: int) -> int:
    """For PoolRunner tests: the worker process running item 3 dies outright."""
    if x == 3:
        os._exit(13)
    return x * 10
