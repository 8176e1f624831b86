"""Turn a lock file path into an exclusive cross-process lock (flock/msvcrt, released by the OS when
its holder dies) that records who holds it (pid, host, start time) for the message a waiter sees."""


from __future__ import annotations

import contextlib
import json
import os
import socket
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import IO, Any

from briefgen.errors import EXIT_IO, BriefError


class LockTimeout(BriefError):
    """Another run kept the output folder locked for longer than the timeout."""

    exit_code = EXIT_IO


def _try_lock(fh: IO[Any]) -> bool:
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import msvcrt  # Windows only

        try:
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_NBLCK, 1)  # type: ignore[attr-defined]
            return True
        except OSError:
            return False
    import fcntl  # POSIX only

    try:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        return True
    except BlockingIOError:
        return False


def _unlock(fh: IO[Any]) -> None:
    if os.name == "nt":  # pragma: no cover
        import msvcrt  # Windows only

        with contextlib.suppress(OSError):
            fh.seek(0)
            msvcrt.locking(fh.fileno(), msvcrt.LK_UNLCK, 1)  # type: ignore[attr-defined]
        return
    import fcntl  # POSIX only

    fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def _holder(path: Path) -> str:
    """Who holds the lock, from the note the holder wrote (best effort)."""
    try:
        info = json.loads(path.read_text(encoding="utf-8") or "{}")
    except (OSError, ValueError):
        return "another briefgen run"
    if not isinstance(info, dict) or "pid" not in info:
        return "another briefgen run"
    return f"briefgen pid {info.get('pid')} on {info.get('host', '?')} since {info.get('since', '?')}"


def _note() -> str:
    """What a holder writes into its lock file: pid, host and start time (for messages only: the
    operating system's lock, not this note, decides who holds it)."""
    return json.dumps({"pid": os.getpid(), "host": socket.gethostname(),
                       "since": time.strftime("%Y-%m-%dT%H:%M:%S%z")})


class FileLock:
    """``with FileLock(path, timeout):`` — an exclusive ``flock``/``msvcrt`` lock on ``path``.

    The operating system drops the lock when its holder exits or is killed, so a lock left by a
    dead process is taken over at once; the file itself may stay (it is never deleted, which
    would let two processes lock two different files). A live holder is waited for up to
    ``timeout`` seconds (``on_wait`` is told once, naming it); then :class:`LockTimeout`.
    """

    def __init__(
        self,
        path: Path,
        timeout: float = 600.0,
        on_wait: Callable[[str], None] | None = None,
        poll: float = 0.2,
        what: str = "",
    ) -> None:
        self.path = path
        self.timeout = timeout
        self.on_wait = on_wait
        self.poll = poll
        self.what = what or str(path)
        self.acquired_at = 0.0
        self._fh: IO[Any] | None = None

    def _timeout_error(self, holder: str) -> LockTimeout:
        return LockTimeout.at(f"{self.what} is locked by {holder}; gave up after {self.timeout:g} s",
                              file=str(self.path), hint="wait for that run to finish")

    def _open(self) -> IO[Any]:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        return open(self.path, "a+", encoding="utf-8")  # noqa: SIM115 - held until release()

    def acquire(self) -> None:
        fh = self._open()
        start = time.monotonic()
        told = False
        while not _try_lock(fh):
            waited = time.monotonic() - start
            if waited >= self.timeout:
                holder = _holder(self.path)
                fh.close()
                raise self._timeout_error(holder)
            if not told and self.on_wait:
                self.on_wait(f"{self.what}: waiting for {_holder(self.path)} to finish "
                             f"(up to {self.timeout:g} s)")
                told = True
            time.sleep(min(self.poll, max(0.0, self.timeout - waited)))
        self._fh = fh
        self.acquired_at = time.time()
        with contextlib.suppress(OSError):
            if os.name != "nt":
                fh.seek(0)
                fh.truncate()
                fh.write(_note())
                fh.flush()

    def release(self) -> None:
        fh, self._fh = self._fh, None
        if fh is None:
            return
        with contextlib.suppress(OSError):
            if os.name != "nt":
                fh.seek(0)
                fh.truncate()
                fh.flush()
            _unlock(fh)
        fh.close()

    def __enter__(self) -> FileLock:
        self.acquire()
        return self

    def __exit__(
        self, tp: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.release()
