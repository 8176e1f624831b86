"""Turn rendered bytes into files atomically: temp file in the same folder, fsync, rename.

A failed or killed build never leaves a partial file; an earlier good output stays untouched.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

from briefgen.errors import InputIOError


def replace_file(path: Path, write: Callable[[BinaryIO], object], *, fsync: bool = True) -> None:
    """Write one file through a same-folder temp file and ``os.replace``; the temp file is removed
    on any failure. OS errors propagate unchanged (callers decide whether they matter)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            write(fh)
            if fsync:
                fh.flush()
                os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def write_text_atomic(path: Path, text: str) -> None:
    """Replace ``path`` with UTF-8 ``text`` atomically (durable: fsynced before the rename)."""
    replace_file(path, lambda fh: fh.write(text.encode("utf-8")))


def _fsync_dir(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def write_all_atomic(outputs: dict[Path, bytes]) -> None:
    """Write every output to a temp file first; rename them into place only when all succeeded."""
    temps: list[tuple[Path, Path]] = []
    try:
        for target, data in outputs.items():
            folder = target.parent
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as e:
                raise InputIOError.at(f"cannot create output folder: {e.strerror or e}", file=str(folder)) from e
            if target.is_dir():
                raise InputIOError.at("output path is a directory", file=str(target))
            if target.is_symlink():
                raise InputIOError.at("output path is a symbolic link; refusing to write through it",
                                      file=str(target))
            try:
                fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=folder)
            except OSError as e:
                raise InputIOError.at(f"cannot write: {e.strerror or e}", file=str(target)) from e
            tmp = Path(tmp_name)
            temps.append((tmp, target))
            try:
                with os.fdopen(fd, "wb") as fh:
                    fh.write(data)
                    fh.flush()
                    os.fsync(fh.fileno())
                os.chmod(tmp, 0o644)
            except OSError as e:
                raise InputIOError.at(f"cannot write: {e.strerror or e}", file=str(target)) from e
        for tmp, target in temps:
            try:
                os.replace(tmp, target)
            except OSError as e:
                raise InputIOError.at(f"cannot replace: {e.strerror or e}", file=str(target)) from e
        for folder in {t.parent for _, t in temps}:
            _fsync_dir(folder)
    finally:
        for tmp, _ in temps:
            if tmp.exists():
                with contextlib.suppress(OSError):
                    tmp.unlink()
