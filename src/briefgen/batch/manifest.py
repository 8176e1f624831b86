"""Turn a brief's inputs, options and outputs into SHA-256 records in ``briefgen-manifest.json``,
and decide from them whether a brief can be skipped.

One manifest per output folder (``-o``), written atomically by the process holding the folder's
lock. Format (``"manifest": 1``)::

    {"manifest": 1, "tool": {...}, "updated": "2026-11-01T08:00:00Z",
     "briefs": {KEY: {"spec", "overrides", "formats", "context", "tool", "inputs", "fonts",
                      "outputs", "warnings", "seconds", "built"}}}

``KEY`` is the spec's absolute path, followed by `` --set k=v`` for each override. ``inputs``
maps absolute paths to ``{"kind", "sha256", "size"}`` with kinds ``spec``, ``source``,
``data`` (period-data files and workbooks a pack reads), ``template``, ``theme`` and ``font``,
plus ``query:DATABASE#QUERYHASH`` keys of kind ``query`` (a pack's database query: ``sha256`` of
the rows it returned, ``size`` = rows, ``database`` without password, ``query`` text; an SQLite
file is also recorded, as kind ``database``, for cluster workers — only the query's rows decide
whether a brief is stale); ``outputs`` maps formats to ``{"path", "size", "sha256"}``
(paths relative to the manifest's folder).
"""

from __future__ import annotations

import json
import os
import sys
from datetime import UTC, datetime
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen import __version__
from briefgen.atomic import write_all_atomic
from briefgen.inputs.digest import sha256_bytes, sha256_file
from briefgen.model.assets import asset_paths
from briefgen.model.theme import theme_files

if TYPE_CHECKING:
    from briefgen.fonts.book import FontBook
    from briefgen.pipeline.prepared import Prepared

MANIFEST_NAME = "briefgen-manifest.json"
MANIFEST_VERSION = 1
MAX_TEMPLATE_FILES = 2000  # per template folder: a folder this big is surely the wrong folder

def file_record(path: Path, kind: str) -> dict[str, Any]:
    """``{"kind", "sha256", "size"}`` of a file; a missing file gets an empty hash."""
    try:
        return {"kind": kind, "sha256": sha256_file(path), "size": path.stat().st_size}
    except OSError:
        return {"kind": kind, "sha256": "", "size": -1}


# ---------------------------------------------------------------------------- what a brief reads


def tool_info() -> dict[str, str]:
    """Versions that change output bytes: briefgen, Python, ReportLab, python-docx."""

    info = {"briefgen": __version__, "python": ".".join(map(str, sys.version_info[:3]))}
    for dist in ("reportlab", "python-docx"):
        try:
            info[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            info[dist] = ""
    return info


def template_files(folders: list[Path]) -> list[Path]:
    """Every non-hidden file a brief's template folders (and the built-in one) make available."""
    out: list[Path] = []
    for folder in folders:
        if not folder.is_dir():
            continue
        found: list[Path] = []
        for root, dirs, files in os.walk(folder):
            dirs[:] = sorted(d for d in dirs if not d.startswith(".") and d != "__pycache__")
            found.extend(Path(root, f) for f in sorted(files) if not f.startswith("."))
            if len(found) > MAX_TEMPLATE_FILES:
                break
        out.extend(p.resolve() for p in found[:MAX_TEMPLATE_FILES])
    return out


def static_inputs(prep: Prepared) -> dict[str, dict[str, Any]]:
    """Records of the spec, its source packs, theme chain and available templates."""
    out: dict[str, dict[str, Any]] = {}

    def add(path: Path, kind: str) -> None:
        key = str(path.resolve())
        if key not in out:
            out[key] = file_record(Path(key), kind)

    add(prep.spec_path, "spec")
    for pack in prep.packs.values():
        add(pack.path, "source")
    for pack in prep.packs.values():
        # period-data files a pack reads, with the hash taken when they were loaded
        for f, digest in (getattr(pack, "data_files", None) or {}).items():
            key = str(Path(f).resolve())
            if key not in out:
                rec = file_record(Path(key), "data")
                out[key] = {**rec, "sha256": digest} if digest else rec
    for pack in prep.packs.values():
        # database queries a pack ran: the hash of the rows they returned (a changed result rebuilds)
        for key, rec in (getattr(pack, "data_queries", None) or {}).items():
            out.setdefault(key, dict(rec))
            if rec.get("file"):  # an SQLite database file
                add(Path(str(rec["file"])), "database")
    for f in theme_files(prep.brief.theme, prep.base):
        add(f, "theme")
    for f in template_files(prep.templates.folders):
        add(f, "template")
    for f, kind in asset_paths(prep.brief, prep.base, prep.packs, getattr(prep, "theme", None)):  # pictures…
        add(f, kind)
    return out


def font_roles(book: FontBook) -> dict[str, str]:
    """``role → file#subfont`` as the theme's FontBook resolved it (for skip checks and audits)."""
    return {r.role: f"{r.file}#{r.subfont}" for r in book.describe()}


def font_inputs(book: FontBook) -> dict[str, dict[str, Any]]:
    """Records of every font file the FontBook resolved a role to or registered for PDF so far."""
    paths = {str(r.file) for r in book.describe()} | {str(p) for p in book.font_files()}
    return {p: file_record(Path(p), "font") for p in sorted(paths)}


def output_record(path: Path, data: bytes, root: Path) -> dict[str, Any]:
    try:
        rel = path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        rel = str(path)
    return {"path": rel, "size": len(data), "sha256": sha256_bytes(data)}


def job_key(spec: Path, overrides: list[str]) -> str:
    return " ".join([str(spec.resolve()), *(f"--set {o}" for o in overrides)])


# ---------------------------------------------------------------------------- skip decision


def stale_reason(
    entry: dict[str, Any] | None,
    *,
    formats: list[str],
    overrides: list[str],
    context: dict[str, str],
    inputs: dict[str, dict[str, Any]],
    fonts: dict[str, str],
    targets: dict[str, Path],
    root: Path,
) -> str:
    """Why a brief must be rebuilt, or ``""`` when its recorded build is still current."""
    if not entry:
        return "not built before"
    if entry.get("tool") != tool_info():
        return "tool version changed"
    if entry.get("formats") != formats or entry.get("overrides") != overrides:
        return "formats or overrides changed"
    if entry.get("context") != context:
        return "date or period changed"
    recorded = entry.get("inputs") or {}
    # fonts are checked below; an SQLite file is shipped to cluster workers, but what counts is
    # its query's result (kind "query"), not the bytes of the whole database
    old = {p: r.get("sha256") for p, r in recorded.items() if r.get("kind") not in ("font", "database")}
    new = {p: r.get("sha256") for p, r in inputs.items() if r.get("kind") != "database"}
    if old != new:
        changed = sorted(set(old) ^ set(new)) or sorted(p for p in new if old.get(p) != new[p])
        return f"input changed: {changed[0]}"
    if entry.get("fonts") != fonts:
        return "font resolution changed"
    for p, r in recorded.items():
        if r.get("kind") == "font" and file_record(Path(p), "font")["sha256"] != r.get("sha256"):
            return f"font changed: {p}"
    outs = entry.get("outputs") or {}
    if set(outs) != set(targets):
        return "outputs changed"
    for fmt, target in targets.items():
        rec = outs[fmt]
        if (root / rec.get("path", "")).resolve() != target.resolve():
            return f"output name changed: {target}"
        if file_record(target, "output")["sha256"] != rec.get("sha256"):
            return f"output missing or modified: {target}"
    return ""


# ---------------------------------------------------------------------------- the file


class Manifest:
    """The manifest of one output folder: load (tolerating a damaged file), update, save atomically."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.path = root / MANIFEST_NAME
        self.briefs: dict[str, dict[str, Any]] = {}
        self.problem = ""
        self.dirty = False

    @classmethod
    def load(cls, root: Path) -> Manifest:
        m = cls(root)
        try:
            raw = m.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return m
        except OSError as e:
            m.problem = f"cannot read {m.path}: {e.strerror or e}; rebuilding everything"
            return m
        try:
            data = json.loads(raw)
            if not isinstance(data, dict) or data.get("manifest") != MANIFEST_VERSION:
                raise ValueError("unknown manifest version")
            briefs = data.get("briefs")
            if not isinstance(briefs, dict):
                raise ValueError("no briefs")
            m.briefs = {k: v for k, v in briefs.items() if isinstance(v, dict)}
        except ValueError as e:
            m.problem = f"{m.path} is damaged ({e}); rebuilding everything"
        return m

    def get(self, key: str) -> dict[str, Any] | None:
        return self.briefs.get(key)

    def put(self, key: str, entry: dict[str, Any]) -> None:
        self.briefs[key] = entry
        self.dirty = True

    def to_json(self) -> dict[str, Any]:
        return {
            "manifest": MANIFEST_VERSION,
            "tool": tool_info(),
            "updated": now_utc(),
            "briefs": {k: self.briefs[k] for k in sorted(self.briefs)},
        }

    def save(self) -> None:
        """Write the manifest atomically (temp file + rename); a no-op when nothing changed."""
        if not self.dirty:
            return
        text = json.dumps(self.to_json(), ensure_ascii=False, indent=2, sort_keys=False) + "\n"
        write_all_atomic({self.path: text.encode("utf-8")})
        self.dirty = False


def now_utc() -> str:
    return datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
