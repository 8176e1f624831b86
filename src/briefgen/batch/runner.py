"""Turn many brief specs into one locked, incremental, parallel build with a manifest and a summary.

A run: take the output folder's lock (waiting up to ``lock_timeout``), remove temp files a killed
run left, plan every brief (load, validate, output names, input hashes; in worker processes),
refuse output-name collisions (also case-insensitive) before anything renders, skip briefs whose
manifest entry is still current, render the rest (worker processes, the current process with
``jobs=1``, or a Dask cluster), and write each brief's outputs atomically *in this process*,
which holds the lock — workers only return bytes. One brief failing (or crashing its worker)
never stops the others; the exit code is the worst of the failures.
"""

from __future__ import annotations

import multiprocessing
import os
import time
import unicodedata
from collections import defaultdict, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from briefgen import __version__
from briefgen.atomic import write_all_atomic
from briefgen.batch.cluster import render_on_cluster
from briefgen.batch.isolate import render_isolated
from briefgen.batch.jobs import (
    Job,
    Outcome,
    Plan,
    plan_failure,
    plan_job,
    problem_lines,
    render_failure,
)
from briefgen.batch.locking import OutputLock, sweep_stale_temps
from briefgen.batch.logs import Reporter
from briefgen.batch.manifest import (
    MANIFEST_NAME,
    Manifest,
    job_key,
    now_utc,
    output_record,
    tool_info,
)
from briefgen.errors import EXIT_INPUT, EXIT_OK, BriefError
from briefgen.i18n import _

T = TypeVar("T")
R = TypeVar("R")

SAVE_EVERY = 5.0  # seconds between manifest saves during a long run
# Starting a worker process (imports, fonts) costs about a second: below these counts the
# current process plans, and (unless -j was given) renders, faster on its own.
PLAN_IN_POOL_MIN = 32
RENDER_IN_POOL_MIN = 4
SPEC_SUFFIXES = (".yaml", ".yml")


class Runner:
    """Runs a picklable function over items, yielding ``(item, result)`` as results arrive."""

    workers = 1

    def map(self, fn: Callable[[T], R], items: Iterable[T],
            failure: Callable[[T, str], R]) -> Iterator[tuple[T, R]]:
        for item in items:
            yield item, fn(item)

    def close(self) -> None:
        pass


class PoolRunner(Runner):
    """Worker processes (``spawn``: each builds its own fonts); a crashed worker costs no brief.

    At most ``workers + 1`` items are in flight, so when a worker dies (segfault, out of memory)
    only those are suspects: they are retried, and an item in flight during two crashes is run
    alone in a fresh process, failing with exit code 70 if it crashes that one too.
    """

    def __init__(self, workers: int) -> None:
        self.workers = max(1, workers)
        self._pool: ProcessPoolExecutor | None = None

    def _ensure(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(self.workers, mp_context=multiprocessing.get_context("spawn"))
        return self._pool

    def _discard(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _solo(self, fn: Callable[[T], R], item: T, failure: Callable[[T, str], R]) -> R:
        with ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn")) as pool:
            try:
                return pool.submit(fn, item).result()
            except BrokenProcessPool:
                return failure(item, _("worker process died while rendering this brief (crash or out of memory)"))
            except Exception as e:  # noqa: BLE001
                return failure(item, _("internal error: {error}").format(error=f"{type(e).__name__}: {e}"))

    def map(self, fn: Callable[[T], R], items: Iterable[T],
            failure: Callable[[T, str], R]) -> Iterator[tuple[T, R]]:
        todo: deque[tuple[int, T]] = deque(enumerate(items))
        crashes: dict[int, int] = defaultdict(int)
        inflight: dict[Future[R], tuple[int, T]] = {}
        try:
            while todo or inflight:
                while todo and len(inflight) <= self.workers:
                    idx, item = todo.popleft()
                    if crashes[idx] >= 2:
                        yield item, self._solo(fn, item, failure)
                        continue
                    inflight[self._ensure().submit(fn, item)] = (idx, item)
                if not inflight:
                    continue
                done, _pending = wait(inflight, return_when=FIRST_COMPLETED)
                if any(isinstance(f.exception(), BrokenProcessPool) for f in done):
                    wait(inflight)  # a broken pool fails every pending future at once
                    done = set(inflight)
                    self._discard()
                for fut in done:
                    idx, item = inflight.pop(fut)
                    exc = fut.exception()
                    if exc is None:
                        yield item, fut.result()
                    elif isinstance(exc, BrokenProcessPool):
                        crashes[idx] += 1
                        todo.appendleft((idx, item))
                    else:
                        yield item, failure(item, _("internal error: {error}").format(
                            error=f"{type(exc).__name__}: {exc}"))
        finally:
            for fut in inflight:
                fut.cancel()


# ---------------------------------------------------------------------------- the run


@dataclass
class BatchOptions:
    """What ``briefgen build`` was asked to do."""

    out_dir: Path
    formats: list[str] | None = None
    overrides: list[str] = field(default_factory=list)
    jobs: int = 0  # 0: one per CPU
    force: bool = False
    lock_timeout: float = 600.0
    scheduler: str | None = None


@dataclass
class Summary:
    """The result of a run (``--json`` prints ``to_json()``)."""

    out_dir: Path
    jobs: int
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    exit_code: int = EXIT_OK
    collisions: list[str] = field(default_factory=list)
    removed_temps: int = 0

    def count(self, status: str) -> int:
        return sum(1 for o in self.outcomes if o.status == status)

    def line(self) -> str:
        text = _("briefgen build: {built} built, {skipped} skipped, {failed} failed in {seconds} s → {out}").format(
            built=self.count("built"), skipped=self.count("skipped"), failed=self.count("failed"),
            seconds=f"{self.seconds:.1f}", out=self.out_dir)
        if self.collisions:
            text += _(" (stopped: {n} output name collision(s))").format(n=len(self.collisions))
        return text

    def to_json(self) -> dict[str, Any]:
        return {
            "briefgen": __version__,
            "exit_code": self.exit_code,
            "output": str(self.out_dir),
            "manifest": str(self.out_dir / MANIFEST_NAME),
            "jobs": self.jobs,
            "built": self.count("built"),
            "skipped": self.count("skipped"),
            "failed": self.count("failed"),
            "seconds": round(self.seconds, 3),
            "collisions": self.collisions,
            "briefs": [o.to_json() for o in self.outcomes],
        }


def expand_specs(items: Iterable[str | Path]) -> list[Path]:
    """Files as given, folders as their ``*.yaml``/``*.yml`` files (sorted); duplicates dropped."""
    out: list[Path] = []
    seen: set[str] = set()
    for item in items:
        p = Path(item)
        found = sorted(q for q in p.glob("*.y*ml") if q.suffix in SPEC_SUFFIXES) if p.is_dir() else [p]
        for q in found:
            key = os.path.normcase(str(q.resolve()))
            if key not in seen:
                seen.add(key)
                out.append(q)
    return out


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def _norm(path: str) -> str:
    return unicodedata.normalize("NFC", os.path.normcase(path)).casefold()


def find_collisions(claims: Iterable[tuple[str, dict[str, str]]]) -> list[str]:
    """Output names claimed by two briefs (``(spec, {format: path})`` pairs), compared
    case-insensitively and NFC-normalised, as on Windows and macOS file systems."""
    seen: dict[str, tuple[str, str]] = {}
    out: list[str] = []
    for spec, targets in claims:
        for target in targets.values():
            norm = _norm(target)
            if norm in seen:
                other_spec, other = seen[norm]
                how = "" if other == target else f" (as {other}: names differ only in case)"
                out.append(f"{spec}: output {target} is also written by {other_spec}{how}")
            else:
                seen[norm] = (spec, target)
    return out


def _entry(outcome: Outcome, plan: Plan, root: Path) -> dict[str, Any]:

    return {
        "spec": str(Path(plan.job.spec).resolve()),
        "overrides": list(plan.job.overrides),
        "formats": plan.formats,
        "context": plan.context,
        "tool": tool_info(),
        "worker_tool": outcome.worker_tool or None,
        "inputs": dict(sorted(outcome.inputs.items())),
        "fonts": outcome.fonts,
        "outputs": outcome.outputs,
        "warnings": outcome.warnings,
        "seconds": round(outcome.seconds, 3),
        "built": now_utc(),
    }


def run_batch(specs: list[Path], opts: BatchOptions, reporter: Reporter) -> Summary:
    """Build ``specs`` into ``opts.out_dir`` (see the module docstring)."""
    from briefgen.fonts import notices  # font preparation shown as it happens, timer advancing

    with notices.live(reporter.notice, reporter.refresh):
        return _run_batch(specs, opts, reporter)


def _run_batch(specs: list[Path], opts: BatchOptions, reporter: Reporter) -> Summary:

    t0 = time.monotonic()
    root = opts.out_dir
    jobs_n = opts.jobs or default_jobs()
    jobs_n = max(1, min(jobs_n, len(specs) or 1))
    summary = Summary(root, jobs_n)
    lock = OutputLock(root, opts.lock_timeout, on_wait=reporter.warning)
    lock.acquire()
    here = Runner()
    runner: Runner = PoolRunner(jobs_n) if jobs_n > 1 else here
    manifest: Manifest | None = None
    try:
        summary.removed_temps = len(sweep_stale_temps(root, lock.acquired_at))
        manifest = Manifest.load(root)
        if manifest.problem:
            reporter.warning(manifest.problem)
        jobs = [Job(i, str(s), str(root), opts.formats, list(opts.overrides),
                    manifest.get(_key(s, opts.overrides)), opts.force) for i, s in enumerate(specs)]
        total = len(jobs)
        counts = {"built": 0, "skipped": 0, "failed": 0}

        def tick(label: str, done: int, force: bool = False) -> None:
            reporter.progress(done, total, counts["built"], counts["skipped"], counts["failed"],
                              t0, label, force)

        plans: list[Plan | None] = [None] * total
        planner = runner if total >= PLAN_IN_POOL_MIN else here
        for n, (job, plan) in enumerate(planner.map(plan_job, jobs, plan_failure), 1):
            plans[job.index] = plan
            for msg in plan.notices:
                reporter.notice(msg)
            tick(_("planning"), n)
        ready = [p for p in plans if p is not None]
        summary.collisions = find_collisions((p.job.spec, p.targets) for p in ready if p.ok)
        if summary.collisions:
            for line in summary.collisions:
                reporter.error(line)
            for p in ready:
                if not p.ok:
                    _log_failure(reporter, p.problems)
            summary.outcomes = [Outcome(p.job.spec, p.key, status="failed" if not p.ok else "not built",
                                        exit_code=p.exit_code, problems=p.problems) for p in ready]
            summary.exit_code = max([EXIT_INPUT, *(p.exit_code for p in ready)])
            return summary

        outcomes: dict[int, Outcome] = {}
        to_render: list[Plan] = []
        for p in ready:
            if not p.ok:
                outcomes[p.job.index] = Outcome(p.job.spec, p.key, exit_code=p.exit_code,
                                                problems=p.problems)
                counts["failed"] += 1
                _log_failure(reporter, p.problems)
            elif not p.reason:
                outcomes[p.job.index] = Outcome(p.job.spec, p.key, status="skipped", reason="up to date",
                                                targets=p.targets,
                                                outputs=(p.job.previous or {}).get("outputs", {}))
                counts["skipped"] += 1
                reporter.info(_("skipped {spec} (up to date)").format(spec=p.job.spec))
            else:
                to_render.append(p)
        _warn_taken_over(manifest, to_render, root, reporter)
        done = total - len(to_render)
        tick(_("building"), done, force=True)

        renderer: Callable[[Iterable[Plan]], Iterator[tuple[Plan, Outcome]]]
        if opts.scheduler and to_render:
            def renderer(items: Iterable[Plan]) -> Iterator[tuple[Plan, Outcome]]:
                assert opts.scheduler is not None
                return render_on_cluster(list(items), opts.scheduler, reporter)
        else:
            small = opts.jobs == 0 and len(to_render) < RENDER_IN_POOL_MIN
            local = here if small else runner

            def renderer(items: Iterable[Plan]) -> Iterator[tuple[Plan, Outcome]]:
                return local.map(render_isolated, items, render_failure)

        last_save = time.monotonic()
        for plan, out in renderer(to_render):
            done += 1
            for msg in out.notices:
                reporter.notice(msg)
            counts[_finish(out, plan, manifest, root, reporter)] += 1
            out.data = {}
            outcomes[plan.job.index] = out
            tick(_("building"), done)
            if time.monotonic() - last_save > SAVE_EVERY:
                manifest.save()
                last_save = time.monotonic()
        summary.outcomes = [outcomes[i] for i in sorted(outcomes)]
        failures = [o.exit_code for o in summary.outcomes if o.status == "failed"]
        summary.exit_code = max(failures) if failures else EXIT_OK
        return summary
    finally:
        try:
            if manifest is not None:
                manifest.save()
        finally:
            runner.close()
            lock.release()
            summary.seconds = time.monotonic() - t0
            reporter.end_progress()


def _finish(out: Outcome, plan: Plan, manifest: Manifest, root: Path, reporter: Reporter) -> str:
    """Write a rendered brief's outputs atomically and record them; log the result; its final status."""
    if out.status == "built":
        try:
            write_all_atomic({Path(out.targets[f]): out.data[f] for f in plan.formats})
        except BriefError as e:
            out.status, out.problems, out.exit_code = "failed", problem_lines(e), e.exit_code
    if out.status == "built":
        out.outputs = {f: output_record(Path(out.targets[f]), out.data[f], root) for f in plan.formats}
        manifest.put(plan.key, _entry(out, plan, root))
        for w in out.warnings:
            reporter.warning(f"{plan.job.spec}: {_('warning')}: {w}")
        names = ", ".join(out.targets[f] for f in plan.formats)
        reporter.info(_("built {spec} → {names} ({seconds} s)").format(spec=plan.job.spec, names=names,
                                                                       seconds=f"{out.seconds:.2f}"))
    else:
        out.status = "failed"
        _log_failure(reporter, out.problems)
    return out.status


def _warn_taken_over(manifest: Any, plans: list[Plan], root: Path, reporter: Reporter) -> None:
    """Warn when a brief is about to replace an output the manifest says another spec wrote."""
    claimed: dict[str, str] = {}
    for entry in manifest.briefs.values():
        for rec in (entry.get("outputs") or {}).values():
            if isinstance(rec, dict) and rec.get("path"):
                claimed[_norm(str((root / rec["path"]).resolve()))] = str(entry.get("spec", ""))
    for plan in plans:
        me = str(Path(plan.job.spec).resolve())
        for target in plan.targets.values():
            other = claimed.get(_norm(target))
            if other and other != me:
                reporter.warning(_("{spec}: output {target} was last written by {other}; replacing it").format(
                    spec=plan.job.spec, target=target, other=other))


def _key(spec: Path, overrides: list[str]) -> str:

    return job_key(spec, overrides)


def _log_failure(reporter: Reporter, problems: list[str]) -> None:
    for line in problems:
        reporter.problem(line)
