"""Turn input paths into confined, regular files: realpath inside the brief's allowed roots, no devices or FIFOs.

The allowed roots of a brief are its own folder, its project root (the nearest ancestor folder
holding ``briefs/`` or ``pyproject.toml``), the output folder and every ``--allow-root DIR``.
briefgen's own themes and templates are always readable; theme font files may also come from the
system font folders. A path is checked after ``realpath`` (so a symbolic link is judged by where
it leads) with ``os.path.commonpath`` (not a string prefix), and it must be a regular file (or
folder): devices, FIFOs and sockets are refused before anything opens them.

While :func:`scope` is active (``build.prepare`` enters it) every read through
:func:`read_bytes` — YAML, CSV and data files — is checked against the brief's roots.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from briefgen.errors import BriefError, InputIOError, LimitError, suggest_file
from briefgen.i18n import _
from briefgen.inputs.limits import current

PACKAGE_DIR = Path(__file__).resolve().parents[1]
MAX_SCAN = 2000  # entries looked at in one template folder


@dataclass(frozen=True)
class Roots:
    """The folders (real paths) one brief may read from."""

    folders: tuple[str, ...]

    def allows(self, real: str) -> bool:
        return any(_inside(real, root) for root in (*self.folders, str(PACKAGE_DIR)))

    def describe(self) -> str:
        return ", ".join(self.folders)


_ACTIVE: ContextVar[Roots | None] = ContextVar("briefgen_roots", default=None)


def _inside(real: str, root: str) -> bool:
    try:
        return os.path.commonpath([real, root]) == root
    except ValueError:  # different drives on Windows
        return False


def project_root(folder: Path) -> Path | None:
    """The nearest folder at or above ``folder`` holding ``briefs/`` or ``pyproject.toml``."""
    here = Path(os.path.realpath(folder))
    for candidate in (here, *here.parents):
        if (candidate / "briefs").is_dir() or (candidate / "pyproject.toml").is_file():
            return candidate
    return None


def roots_for(spec_path: Path, rebase: tuple[str, str] | None = None) -> Roots:
    """The allowed roots of the brief at ``spec_path`` under the run's policy."""

    folder = Path(os.path.realpath(spec_path)).parent
    found: list[str] = [str(folder)]
    proj = project_root(folder)
    if proj is not None:
        found.append(str(proj))
    if rebase:
        found.append(os.path.realpath(rebase[1]))
    found.extend(os.path.realpath(r) for r in current().allow_roots)
    unique = tuple(dict.fromkeys(found))
    return Roots(unique)


def active() -> Roots | None:
    """The roots of the brief being prepared, if any."""
    return _ACTIVE.get()


@contextlib.contextmanager
def scope(spec_path: Path, rebase: tuple[str, str] | None = None) -> Iterator[Roots]:
    """Confine every :func:`read_bytes` inside the block to the brief's roots."""
    roots = roots_for(spec_path, rebase)
    token = _ACTIVE.set(roots)
    try:
        yield roots
    finally:
        _ACTIVE.reset(token)


def refusal(path: Path, roots: Roots, kind: str = "file", extra: tuple[str, ...] = ()) -> str:
    """Why ``path`` may not be read (``""`` when it may, or when it does not exist inside the roots).

    ``kind`` is ``"file"`` or ``"folder"``; ``extra`` are further allowed roots (font folders).
    """
    real = os.path.realpath(path)
    if not (roots.allows(real) or any(_inside(real, os.path.realpath(e)) for e in extra)):
        via = f" (through a symbolic link, to {real})" if real != os.path.abspath(path) else ""
        return f"{path} is outside the allowed folders{via}"
    try:
        st = os.stat(real)
    except OSError:
        return ""  # missing: the caller reports "not found" with its own hint
    if kind == "folder":
        return "" if stat.S_ISDIR(st.st_mode) else f"{path} is not a folder"
    if stat.S_ISDIR(st.st_mode):
        return f"{path} is a folder, expected a file"
    if not stat.S_ISREG(st.st_mode):
        return f"{path} is not a regular file (devices, FIFOs and sockets are refused)"
    return ""


def roots_hint(roots: Roots) -> str:
    return f"allowed: {roots.describe()}; add a folder with --allow-root DIR"


def read_bytes(path: Path, max_bytes: int) -> bytes:
    """The bytes of a regular file, refusing links out of the active roots, devices and FIFOs.

    The file is opened non-blocking and checked with ``fstat`` on the open descriptor, so a FIFO
    swapped in after a check cannot block the build; at most ``max_bytes`` are read.
    """
    shown = str(path)
    roots = active()
    if roots is not None:
        why = refusal(path, roots)
        if why:
            raise BriefError.at(why, file=shown, hint=roots_hint(roots))
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise InputIOError.at(_("file not found"), file=shown, hint=suggest_file(shown), code="E-FILE-NOT-FOUND") from None
    except IsADirectoryError:
        raise InputIOError.at(_("is a directory, expected a file"), file=shown, code="E-IO") from None
    except OSError as e:
        raise InputIOError.at(_("cannot read: {reason}").format(reason=e.strerror or e), file=shown,
                              code="E-IO") from None
    try:
        st = os.fstat(fd)
        if stat.S_ISDIR(st.st_mode):
            raise InputIOError.at(_("is a directory, expected a file"), file=shown, code="E-IO")
        if not stat.S_ISREG(st.st_mode):
            raise InputIOError.at(_("not a regular file (devices, FIFOs and sockets are refused)"), file=shown,
                                  code="E-IO")
        if st.st_size > max_bytes:
            raise LimitError.at(_("file is {size} bytes, over the limit input_bytes={limit}").format(
                                size=st.st_size, limit=max_bytes),
                                file=shown, hint=_("raise it with --limit input_bytes=N"), code="E-LIMIT")
        chunks: list[bytes] = []
        size = 0
        while True:
            chunk = os.read(fd, min(1 << 20, max_bytes + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
            if size > max_bytes:  # grew while we read it
                raise LimitError.at(_("file is over the limit input_bytes={limit}").format(limit=max_bytes),
                                    file=shown, hint=_("raise it with --limit input_bytes=N"), code="E-LIMIT")
        return b"".join(chunks)
    except OSError as e:
        raise InputIOError.at(_("cannot read: {reason}").format(reason=e.strerror or e), file=shown,
                              code="E-IO") from None
    finally:
        os.close(fd)


def folder_refusals(folder: Path, roots: Roots) -> list[str]:
    """Entries of a template folder that must not be read: links leading out of the roots, FIFOs, devices."""
    out: list[str] = []
    seen = 0
    for dirpath, dirnames, filenames in os.walk(folder, followlinks=False):
        dirnames.sort()
        for name in sorted(dirnames + filenames):
            seen += 1
            if seen > MAX_SCAN:
                return out
            p = Path(dirpath) / name
            try:
                lst = os.lstat(p)
            except OSError:
                continue
            if stat.S_ISLNK(lst.st_mode):
                real = os.path.realpath(p)
                if not roots.allows(real):
                    out.append(f"{p} is a link to {real}, outside the allowed folders")
                    continue
                try:
                    lst = os.stat(real)
                except OSError:
                    continue
            if not (stat.S_ISREG(lst.st_mode) or stat.S_ISDIR(lst.st_mode)):
                out.append(f"{p} is not a regular file (devices, FIFOs and sockets are refused)")
    return out
