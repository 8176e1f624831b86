"""Turn the machine's font directories into a list of font faces (file, subfont, names, outline type), cached as JSON."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.atomic import write_text_atomic
from briefgen.fonts.roles import normalise_name
from briefgen.inputs.filecache import cache_dir

if TYPE_CHECKING:
    from fontTools.ttLib import TTFont

SCAN_VERSION = 4
FONT_SUFFIXES = (".ttf", ".ttc", ".otf", ".otc")
# Directory walks stop after this many directories per root (a runaway search_dir guard).
MAX_DIRS = 5000


@dataclass
class FaceInfo:
    """One face (a font file, or one subfont of a collection) as read from its sfnt tables."""

    path: str
    index: int
    family: str  # preferred display name (English name ID 16/1)
    names: list[str] = field(default_factory=list)  # family names (IDs 1, 16), all languages
    full_names: list[str] = field(default_factory=list)  # full and PostScript names (IDs 4, 6)
    style: str = ""
    weight: int = 400
    italic: bool = False
    cff: bool = False
    cff2: bool = False
    variable: bool = False
    fs_type: int = 0
    cjk: bool = False

    @property
    def key(self) -> tuple[str, int]:
        return (self.path, self.index)

    @property
    def embeddable(self) -> bool:
        """ReportLab refuses restricted-licence (0x0002) and no-subsetting/bitmap-only (0x0300) fonts."""
        return not (self.fs_type == 0x0002 or self.fs_type & 0x0300)

    @property
    def display(self) -> str:
        """Family plus style unless regular: ``Noto Serif CJK SC Bold``."""
        style = self.style.strip()
        if not style or style.casefold() in ("regular", "normal", "book", "roman", "medium"):
            return self.family
        return f"{self.family} {style}"

    def label(self) -> str:
        suffix = f" #{self.index}" if self.path.lower().endswith((".ttc", ".otc")) else ""
        return f"{self.display} ({Path(self.path).name}{suffix})"


# ---------------------------------------------------------------------------- cache dir


def writable_cache_dir(preferred: Path | None = None) -> Path:
    """``preferred`` (or :func:`cache_dir`) if it can be created and written, else a per-user temp dir."""
    candidates = [
        preferred or cache_dir(),
        Path(tempfile.gettempdir()) / f"briefgen-cache-{_uid()}",
    ]
    for cand in candidates:
        try:
            cand.mkdir(parents=True, exist_ok=True, mode=0o700)
            if os.access(cand, os.W_OK) and (cand is candidates[0] or _private(cand)):
                return cand
        except OSError:
            continue
    # The shared temp folder's name is predictable: another user may have made it first. Its
    # entries are loaded with marshal and as fonts, so use a fresh private folder instead.
    return Path(tempfile.mkdtemp(prefix="briefgen-cache-"))


def _private(folder: Path) -> bool:
    """Whether ``folder`` (in the shared temp folder) is ours alone: owned by us, not a link,
    not writable by group or others."""
    getuid = getattr(os, "getuid", None)
    if getuid is None:  # Windows: per-user temp folders
        return True
    try:
        st = os.lstat(folder)
    except OSError:
        return False
    import stat

    return stat.S_ISDIR(st.st_mode) and st.st_uid == getuid() and not st.st_mode & 0o022


def _uid() -> str:
    getuid = getattr(os, "getuid", None)
    return str(getuid()) if getuid else (os.environ.get("USERNAME") or "user")


# ---------------------------------------------------------------------------- where fonts live


def system_font_dirs() -> list[Path]:
    """The platform's standard font directories (existing or not)."""
    home = Path.home()
    if sys.platform == "win32":
        windir = os.environ.get("WINDIR") or os.environ.get("SYSTEMROOT") or r"C:\Windows"
        dirs = [Path(windir) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":
        return [
            Path("/System/Library/Fonts"),
            Path("/System/Library/AssetsV2/com_apple_MobileAsset_Font7"),
            Path("/Library/Fonts"),
            home / "Library" / "Fonts",
        ]
    xdg_data = os.environ.get("XDG_DATA_HOME", "").strip()
    return [
        Path("/usr/share/fonts"),
        Path("/usr/local/share/fonts"),
        (Path(xdg_data) if xdg_data else home / ".local" / "share") / "fonts",
        home / ".fonts",
    ]


def _walk_dirs(root: Path) -> dict[str, int]:
    """Every directory under ``root`` (itself included) with its mtime in ns."""
    out: dict[str, int] = {}
    try:
        out[str(root)] = root.stat().st_mtime_ns
    except OSError:
        return out
    stack = [root]
    while stack and len(out) < MAX_DIRS:
        here = stack.pop()
        try:
            with os.scandir(here) as it:
                for entry in it:
                    if entry.is_dir(follow_symlinks=False):
                        with contextlib.suppress(OSError):
                            out[entry.path] = entry.stat(follow_symlinks=False).st_mtime_ns
                            stack.append(Path(entry.path))
        except OSError:
            continue
    return out


def _font_files_under(root: Path) -> list[Path]:
    files: list[Path] = []
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            if name.lower().endswith(FONT_SUFFIXES):
                files.append(Path(dirpath) / name)
    return files


def _fc_list_files() -> list[Path]:
    """Font files fontconfig knows about (Linux), or an empty list when ``fc-list`` is unavailable."""
    exe = shutil.which("fc-list")
    if not exe or sys.platform in ("win32", "darwin"):
        return []
    try:
        proc = subprocess.run(
            [exe, "--format", "%{file}\\n"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return []
    if proc.returncode != 0:
        return []
    seen: set[str] = set()
    out: list[Path] = []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line and line.lower().endswith(FONT_SUFFIXES) and line not in seen:
            seen.add(line)
            out.append(Path(line))
    return sorted(out)


# ---------------------------------------------------------------------------- reading faces


def _names(font: TTFont, ids: Iterable[int]) -> list[str]:
    out: list[str] = []
    table = font.get("name")
    if table is None:
        return out
    wanted = set(ids)
    for rec in table.names:
        if rec.nameID not in wanted or rec.platformID not in (0, 1, 3):
            continue
        try:
            text = rec.toUnicode().strip()
        except (UnicodeDecodeError, LookupError):
            continue
        if text and text not in out and "\x00" not in text:
            out.append(text)
    return out


def _english(font: TTFont, name_id: int) -> str:
    table = font.get("name")
    if table is None:
        return ""
    rec = table.getName(name_id, 3, 1, 0x409) or table.getName(name_id, 1, 0, 0)
    if rec is None:
        return ""
    try:
        return str(rec.toUnicode()).strip()
    except (UnicodeDecodeError, LookupError):
        return ""


def _face_info(font: TTFont, path: Path, index: int) -> FaceInfo:
    family = _english(font, 16) or _english(font, 1)
    names = _names(font, (1, 16))
    full = _names(font, (4, 6))
    os2 = font.get("OS/2")
    weight = int(getattr(os2, "usWeightClass", 400) or 400)
    fs_type = int(getattr(os2, "fsType", 0) or 0)
    italic = bool(getattr(os2, "fsSelection", 0) & 1)
    cjk = False
    if os2 is not None:
        # code pages: bit 18 GB2312, bit 20 Big5; Unicode range bit 59 CJK Unified Ideographs
        pages = int(getattr(os2, "ulCodePageRange1", 0) or 0)
        ranges2 = int(getattr(os2, "ulUnicodeRange2", 0) or 0)
        cjk = bool(pages & (1 << 18) or pages & (1 << 20) or ranges2 & (1 << 27))
    return FaceInfo(
        path=str(path),
        index=index,
        family=family or (names[0] if names else path.stem),
        names=names,
        full_names=full,
        style=_english(font, 17) or _english(font, 2),
        weight=weight,
        italic=italic,
        cff="CFF " in font,
        cff2="CFF2" in font,
        variable="fvar" in font,
        fs_type=fs_type,
        cjk=cjk,
    )


def read_faces(path: Path) -> list[FaceInfo]:
    """All faces in one font file (several for a .ttc/.otc). Raises on unreadable or malformed files."""
    from fontTools.ttLib import TTCollection, TTFont  # only when the scan cache is stale

    with open(path, "rb") as fh:
        tag = fh.read(4)
    if tag == b"ttcf":
        coll = TTCollection(str(path), lazy=True)
        try:
            return [_face_info(f, path, i) for i, f in enumerate(coll.fonts)]
        finally:
            coll.close()
    font = TTFont(str(path), lazy=True)
    try:
        return [_face_info(font, path, 0)]
    finally:
        font.close()


def _safe_read_faces(path: Path) -> list[FaceInfo]:
    try:
        return read_faces(path)
    except Exception:  # noqa: BLE001 - a broken system font must not stop discovery
        return []


# ---------------------------------------------------------------------------- scan + cache

_MEMO: dict[str, tuple[dict[str, int], list[FaceInfo]]] = {}


@dataclass
class ScanResult:
    faces: list[FaceInfo]
    roots: list[str]
    from_cache: bool


def scan(
    search_dirs: Sequence[Path] = (),
    *,
    system: bool = True,
    cache: Path | None = None,
) -> ScanResult:
    """Faces in the system font dirs (if ``system``) and ``search_dirs``.

    The result is cached in ``cache/fontscan-<roots>.json`` and in memory, keyed on the mtimes
    of every directory under the roots (plus the directories fontconfig reported), so a warm
    run only stats directories.
    """
    roots: list[Path] = []
    for d in [*(system_font_dirs() if system else []), *search_dirs]:
        p = Path(d).expanduser()
        if p not in roots:
            roots.append(p)
    root_key = json.dumps([str(r) for r in roots] + [f"system={system}", f"v{SCAN_VERSION}"])
    digest = hashlib.sha1(root_key.encode("utf-8")).hexdigest()[:16]

    current: dict[str, int] = {}
    for r in roots:
        current.update(_walk_dirs(r))

    def still_valid(stored: dict[str, int]) -> bool:
        for d, mtime in stored.items():
            if d in current:
                if current[d] != mtime:
                    return False
            else:
                try:
                    if Path(d).stat().st_mtime_ns != mtime:
                        return False
                except OSError:
                    return False
        return all(d in stored for d in current)

    memo = _MEMO.get(digest)
    if memo and still_valid(memo[0]):
        return ScanResult(memo[1], [str(r) for r in roots], True)

    cache_file = (cache / f"fontscan-{digest}.json") if cache else None
    if cache_file and cache_file.is_file():
        try:
            data = json.loads(cache_file.read_text(encoding="utf-8"))
            if data.get("version") == SCAN_VERSION and still_valid(data["dirs"]):
                faces = [FaceInfo(**f) for f in data["faces"]]
                _MEMO[digest] = (dict(data["dirs"]), faces)
                return ScanResult(faces, [str(r) for r in roots], True)
        except (OSError, ValueError, KeyError, TypeError):
            pass

    files: list[Path] = []
    seen: set[str] = set()
    dirs = dict(current)
    extra = _fc_list_files() if system else []
    for f in [*(p for r in roots for p in _font_files_under(r)), *extra]:
        key = str(f)
        if key in seen:
            continue
        seen.add(key)
        files.append(f)
        parent = str(f.parent)
        if parent not in dirs:
            with contextlib.suppress(OSError):
                dirs[parent] = f.parent.stat().st_mtime_ns
    faces = [face for f in files for face in _safe_read_faces(f)]
    _MEMO[digest] = (dirs, faces)
    if cache_file:
        payload = {
            "version": SCAN_VERSION,
            "roots": [str(r) for r in roots],
            "dirs": dirs,
            "faces": [asdict(f) for f in faces],
        }
        with contextlib.suppress(OSError):
            write_text_atomic(cache_file, json.dumps(payload, ensure_ascii=False, indent=0))
    return ScanResult(faces, [str(r) for r in roots], False)


class FaceIndex:
    """Look faces up by any of their family, full or PostScript names (normalised)."""

    def __init__(self, faces: Iterable[FaceInfo]) -> None:
        self.faces = list(faces)
        self._by_family: dict[str, list[FaceInfo]] = {}
        self._by_full: dict[str, list[FaceInfo]] = {}
        self._by_file: dict[str, list[FaceInfo]] = {}
        for face in self.faces:
            for n in {normalise_name(x) for x in face.names}:
                self._by_family.setdefault(n, []).append(face)
            for n in {normalise_name(x) for x in face.full_names}:
                self._by_full.setdefault(n, []).append(face)
            self._by_file.setdefault(Path(face.path).name.casefold(), []).append(face)

    def find(self, name: str) -> list[FaceInfo]:
        """Faces called ``name``: exact full-name matches first, then family members by closeness to regular weight."""
        key = normalise_name(name)
        full = list(self._by_full.get(key, []))
        family = [f for f in self._by_family.get(key, []) if f not in full]
        family.sort(key=lambda f: (f.italic, abs(f.weight - 400), f.cff, f.path, f.index))
        full.sort(key=lambda f: (f.italic, f.cff, f.path, f.index))
        return full + family

    def by_file(self, filename: str) -> list[FaceInfo]:
        return list(self._by_file.get(filename.casefold(), []))
