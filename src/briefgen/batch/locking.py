"""Turn a file into an exclusive lock that dies with its holder (output folders, the font cache), and sweep temp files a killed run left.

An output folder's lock is ``DIR/.briefgen.lock`` held with ``fcntl.flock`` (POSIX) or ``msvcrt.locking``
(Windows): the operating system releases it when the holder exits or is killed, so there is
never a stale lock to clear by hand. A second run waits for it (reporting who holds it) up to a
timeout, then fails with exit code 4.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any

from briefgen.errors import InputIOError
from briefgen.i18n import _
from briefgen.inputs.filelock import FileLock, LockTimeout

LOCK_NAME = ".briefgen.lock"
# Temp files of atomic.write_all_atomic: ".<name>.<8 random chars of mkstemp>.tmp"
TEMP_FILE = re.compile(r"^\..+\.[a-z0-9_]{8}\.tmp$")


class OutputLock(FileLock):
    """``with OutputLock(dir, timeout):`` — exclusive use of an output folder by this process."""

    def __init__(
        self,
        folder: Path,
        timeout: float = 600.0,
        on_wait: Callable[[str], None] | None = None,
        poll: float = 0.2,
    ) -> None:
        super().__init__(folder / LOCK_NAME, timeout, on_wait, poll, what=str(folder))
        self.folder = folder

    def _timeout_error(self, holder: str) -> LockTimeout:
        return LockTimeout.at(
            _("output folder is locked by {holder}; gave up after {seconds} s").format(
                holder=holder, seconds=f"{self.timeout:g}"),
            file=str(self.folder),
            hint=_("wait for that run to finish, or raise --lock-timeout"), code="E-LOCKED",
        )

    def _open(self) -> IO[Any]:
        try:
            return super()._open()
        except OSError as e:
            raise InputIOError.at(_("cannot create lock file: {error}").format(error=e.strerror or e),
                                 file=str(self.path), code="E-IO") from e


def sweep_stale_temps(folder: Path, older_than: float) -> list[Path]:
    """Delete atomic-write temp files under ``folder`` last modified before ``older_than``.

    Call it while holding the folder's lock: any such file then belongs to a run that was
    killed before it could rename or remove it.
    """
    removed: list[Path] = []
    if not folder.is_dir():
        return removed
    for root, dirs, files in os.walk(folder):
        dirs[:] = [d for d in dirs if not Path(root, d).is_symlink()]
        for name in files:
            if not TEMP_FILE.match(name):
                continue
            p = Path(root, name)
            try:
                if p.is_symlink() or not p.is_file() or p.stat().st_mtime >= older_than:
                    continue
                p.unlink()
                removed.append(p)
            except OSError:
                continue
    return removed
