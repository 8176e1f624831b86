"""Turn edits to a brief's inputs into fresh in-memory HTML + PDF renders (or located errors) for the preview.

A builder thread polls the same watch set as ``briefgen watch`` (spec, packs, period data,
templates, theme chain) and renders the brief in memory (in a limited child process when the
run isolates renders); nothing is written to disk. Each
build, good or failed, bumps ``version``; a failed build keeps the last good render and adds
the located problems, each with the offending lines of the input file around it.
"""

from __future__ import annotations

import hashlib
import io
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.batch import isolate
from briefgen.batch.watch import snapshot, watch_set
from briefgen.errors import BriefError, Problem
from briefgen.pipeline.render import render

CONTEXT_LINES = 2  # lines shown before and after the offending one
MAX_EXCERPT_CHARS = 400  # per excerpt line
PAGE_SCALE = 1.25  # page images at 90 dpi
_PDFIUM = threading.Lock()  # pdfium is not thread-safe


@dataclass
class Good:
    """The last good render: its HTML, its PDF, the PDF's page count and a short content digest."""

    html: bytes
    pdf: bytes
    pages: int
    digest: str
    seconds: float


@dataclass
class Status:
    """What the page shows: the build counter, the last good render and the current errors."""

    version: int = 0
    changes: int = 0  # bumped when a build starts and when it ends (what event streams follow)
    good: Good | None = None
    good_version: int = 0
    errors: list[dict[str, Any]] = field(default_factory=list)
    building: bool = True

    def to_json(self) -> dict[str, Any]:
        g = self.good
        return {
            "version": self.version,
            "building": self.building,
            "ok": not self.errors,
            "doc": f"/doc/{self.good_version}.html" if g else None,
            "pages": [f"/page/{g.digest}/{n}.png" for n in range(1, g.pages + 1)] if g else [],
            "seconds": round(g.seconds, 2) if g else None,
            "errors": self.errors,
        }


def excerpt(problem: Problem, readable: set[str]) -> list[dict[str, Any]]:
    """The lines around ``problem.line`` of its file (only a file the brief reads), numbered from 1."""
    if not problem.file or problem.line is None:
        return []
    try:
        path = str(Path(problem.file).resolve())
    except OSError:
        return []
    if path not in readable:
        return []
    try:
        lines = Path(path).read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return []
    lo, hi = max(1, problem.line - CONTEXT_LINES), min(len(lines), problem.line + CONTEXT_LINES)
    return [{"n": n, "text": lines[n - 1][:MAX_EXCERPT_CHARS], "at": n == problem.line} for n in range(lo, hi + 1)]


def problem_json(p: Problem, readable: set[str]) -> dict[str, Any]:
    return {"message": str(p), "file": p.file, "line": p.line, "col": p.col, "excerpt": excerpt(p, readable)}


def render_formats(spec: Path, out_dir: Path, overrides: list[str]) -> dict[str, bytes]:
    """The brief's HTML and PDF bytes (module-level, so an isolated child process can run it)."""
    return render(spec, out_dir, ["html", "pdf"], overrides).data


def page_count(pdf: bytes) -> int:
    import pypdfium2  # pdfium: only the preview renders page images

    with _PDFIUM:
        doc = pypdfium2.PdfDocument(pdf)
        try:
            return len(doc)
        finally:
            doc.close()


def page_png(pdf: bytes, n: int) -> bytes:
    """Page ``n`` (from 1) of ``pdf`` as a PNG."""
    import pypdfium2  # pdfium: only the preview renders page images

    with _PDFIUM:
        doc = pypdfium2.PdfDocument(pdf)
        try:
            page = doc[n - 1]
            image = page.render(scale=PAGE_SCALE).to_pil()
            page.close()
        finally:
            doc.close()
    buf = io.BytesIO()
    image.save(buf, format="PNG", optimize=False)
    return buf.getvalue()


class Preview:
    """The preview's model: builds in a background thread, page images cached per page."""

    def __init__(self, spec: Path, out_dir: Path, overrides: list[str], interval: float = 0.3) -> None:
        self.spec, self.out_dir, self.overrides, self.interval = spec, out_dir, overrides, interval
        self.status = Status()
        self.lock = threading.Lock()
        self.stop = threading.Event()
        self.readable: set[str] = {str(spec.resolve())}
        self._pages: dict[tuple[str, int], bytes] = {}
        self._thread = threading.Thread(target=self._run, name="briefgen-preview-builder", daemon=True)

    # ------------------------------------------------------------ builder

    def start(self) -> None:
        self._thread.start()

    def close(self, timeout: float = 5.0) -> None:
        self.stop.set()
        if self._thread.is_alive():
            self._thread.join(timeout)

    def _run(self) -> None:
        files, folders = watch_set(self.spec, self.overrides)
        self.readable |= {str(f) for f in files}
        snap = snapshot(files, folders)
        self.rebuild()
        while not self.stop.wait(self.interval):
            if snapshot(files, folders) == snap:
                continue
            snap = self._settled(files, folders)
            files, folders = watch_set(self.spec, self.overrides, (files, folders))
            self.readable |= {str(f) for f in files}
            snap = snapshot(files, folders)
            self.rebuild()

    def _settled(self, files: list[Path], folders: list[Path]) -> dict[str, Any]:
        """Wait until an editor has finished writing (two equal snapshots 50 ms apart)."""
        snap = snapshot(files, folders)
        for _ in range(20):
            if self.stop.wait(0.05):
                break
            again = snapshot(files, folders)
            if again == snap:
                break
            snap = again
        return snap

    def rebuild(self) -> None:
        """Render HTML and PDF in memory; on failure keep the last good render and record the problems."""
        with self.lock:
            self.status.building = True
            self.status.changes += 1
        t0 = time.perf_counter()
        try:
            # under --isolate/--timeout/--max-memory-mb: in a child process with the run's limits
            data = isolate.call(render_formats, self.spec, self.out_dir, self.overrides, label=str(self.spec))
            pdf = data["pdf"]
            good = Good(data["html"], pdf, page_count(pdf), hashlib.sha256(pdf).hexdigest()[:16],
                        time.perf_counter() - t0)
            errors: list[dict[str, Any]] = []
        except BriefError as e:
            good, errors = None, [problem_json(p, self.readable) for p in e.problems]
        except Exception as e:  # noqa: BLE001 - shown in the page; the preview keeps running
            good = None
            errors = [{"message": f"briefgen: internal error: {type(e).__name__}: {e}", "file": "", "line": None,
                       "col": None, "excerpt": []}]
        with self.lock:
            st = self.status
            st.version += 1
            st.changes += 1
            st.building = False
            st.errors = errors
            if good is not None:
                if st.good is not None and st.good.digest != good.digest:
                    self._pages = {k: v for k, v in self._pages.items() if k[0] == good.digest}
                st.good, st.good_version = good, st.version

    # ------------------------------------------------------------ readers (server side)

    def snapshot_json(self) -> dict[str, Any]:
        with self.lock:
            return self.status.to_json()

    def changes(self) -> int:
        """A counter that moves whenever what the page shows may change (build started or finished)."""
        with self.lock:
            return self.status.changes

    def html(self) -> bytes | None:
        with self.lock:
            return self.status.good.html if self.status.good else None

    def page(self, digest: str, n: int) -> bytes | None:
        """Page ``n`` of the current good PDF as PNG, when ``digest`` names it (rendered once, cached)."""
        with self.lock:
            good = self.status.good
            if good is None or good.digest != digest or not 1 <= n <= good.pages:
                return None
            cached = self._pages.get((digest, n))
        if cached is not None:
            return cached
        png = page_png(good.pdf, n)
        with self.lock:
            if self.status.good is good:
                self._pages[(digest, n)] = png
        return png
