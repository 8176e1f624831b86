"""Turn edits to a brief, its source packs, templates or theme into rebuilds, by polling file stats.

No extra dependency: every ``interval`` seconds (default 0.5) the watcher compares size, mtime
and inode of each input, and the listing of each template folder (so a new template counts).
Each rebuild is an ordinary one-brief run (lock, manifest, atomic writes) in this process, so
fonts are loaded once. Errors are printed and watching goes on; Ctrl-C (or SIGTERM) exits 0.
"""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path
from types import FrameType

from briefgen.batch.logs import Reporter
from briefgen.batch.manifest import static_inputs
from briefgen.batch.runner import BatchOptions, run_batch
from briefgen.errors import EXIT_OK, BriefError
from briefgen.i18n import _
from briefgen.pipeline.prepare import prepare

Snapshot = dict[str, tuple[int, int, int] | tuple[str, ...] | None]


def watch_set(spec: Path, overrides: list[str], previous: tuple[list[Path], list[Path]] | None = None
              ) -> tuple[list[Path], list[Path]]:
    """Files and folders to watch: the spec, its packs, theme chain and template folders.

    While the spec does not load, the previous set (plus the spec) is kept.
    """

    try:
        prep = prepare(spec, overrides)
    except BriefError:
        files, folders = previous or ([], [])
        return sorted({spec.resolve(), *files}), folders
    except Exception:  # noqa: BLE001 - the rebuild reports it
        return [spec.resolve()], []
    files = sorted(Path(p) for p in static_inputs(prep))
    return files, [f.resolve() for f in prep.templates.folders]


def snapshot(files: list[Path], folders: list[Path]) -> Snapshot:
    snap: Snapshot = {}
    for f in files:
        try:
            st = os.stat(f)
            snap[str(f)] = (st.st_mtime_ns, st.st_size, st.st_ino)
        except OSError:
            snap[str(f)] = None
    for d in folders:
        try:
            snap[f"{d}/"] = tuple(sorted(os.listdir(d)))
        except OSError:
            snap[f"{d}/"] = None
    return snap


def _settled(files: list[Path], folders: list[Path], interval: float) -> Snapshot:
    """Wait until an editor has finished writing (two equal snapshots in a row)."""
    snap = snapshot(files, folders)
    for _round in range(20):
        time.sleep(min(0.1, interval))
        again = snapshot(files, folders)
        if again == snap:
            break
        snap = again
    return snap


def _sigterm(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def watch(spec: Path, out_dir: Path, formats: list[str] | None, overrides: list[str],
          reporter: Reporter, interval: float = 0.5, lock_timeout: float = 600.0,
          max_rounds: int | None = None) -> int:
    """Build ``spec`` now and after every change to its inputs, until interrupted (exit 0)."""
    opts = BatchOptions(out_dir, formats, overrides, jobs=1, lock_timeout=lock_timeout)

    def rebuild(why: str) -> None:
        try:
            summary = run_batch([spec], opts, reporter)
        except BriefError as e:
            for p in e.problems:
                reporter.error(str(p))
            reporter.summary(f"{why}: failed; still watching", failed=True)
            return
        o = summary.outcomes[0] if summary.outcomes else None
        if o is None or o.status == "failed":
            reporter.summary(f"{why}: {spec} failed (see above); still watching", failed=True)
        elif o.status == "skipped":
            reporter.summary(f"{why}: {spec} is up to date", failed=False)
        else:
            names = ", ".join(str(out_dir / r["path"]) for r in o.outputs.values())
            reporter.summary(f"{why}: built {spec} → {names} in {o.seconds:.2f} s", failed=False)

    old = signal.getsignal(signal.SIGTERM)
    try:
        signal.signal(signal.SIGTERM, _sigterm)
    except ValueError:  # not the main thread
        old = None
    try:
        files, folders = watch_set(spec, overrides)
        snap = snapshot(files, folders)
        rebuild("start")
        reporter.summary(_("watching {n} files for changes (Ctrl-C to stop)").format(n=len(files)), failed=False)
        rounds = 0
        while max_rounds is None or rounds < max_rounds:
            time.sleep(interval)
            if snapshot(files, folders) == snap:
                continue
            _settled(files, folders, interval)
            files, folders = watch_set(spec, overrides, (files, folders))
            snap = snapshot(files, folders)
            rebuild("change")
            rounds += 1
    except KeyboardInterrupt:
        reporter.end_progress()
    finally:
        if old is not None:
            signal.signal(signal.SIGTERM, old)
    return EXIT_OK
