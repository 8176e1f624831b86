"""Turn one render into a child-process render with a wall-clock timeout and an address-space limit.

Unattended runs (``briefgen build`` when standard error is not a terminal, or with
``--isolate``/``--timeout``/``--max-memory-mb``) render each brief in a child process:
``RLIMIT_AS`` caps its memory (``memory_mb``) and the parent kills it after ``timeout`` seconds.
Either way the brief fails with a one-line :class:`LimitError` (exit code 5) and nothing is
written, because only the parent writes outputs. On Linux the child is forked (cheap: fonts and
caches are shared copy-on-write) and dies with its parent (``PR_SET_PDEATHSIG``), so a killed run
never leaves a renderer holding the output folder's lock. A batch reuses one forked renderer for
brief after brief (a fresh fork per brief costs twice the render itself) and replaces it after a
timeout, a crash, running out of memory, a change of limits or 200 briefs.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
import sys
import threading
import time
import traceback
from collections.abc import Callable
from multiprocessing import util
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from briefgen.batch.jobs import Outcome, drain_notices, notice, render_here
from briefgen.errors import EXIT_INTERNAL, EXIT_LIMIT, BriefError, LimitError, Problem
from briefgen.fonts import notices
from briefgen.formats import FORMATS
from briefgen.i18n import _
from briefgen.inputs.limits import current, limits
from briefgen.model.theme import FONT_ROLES
from briefgen.pipeline.prepare import prepare
from briefgen.pipeline.render import font_book
from briefgen.writers import get_writer

if TYPE_CHECKING:
    from briefgen.batch.jobs import Outcome, Plan

R = TypeVar("R")
GRACE = 2.0  # seconds a killed child gets to be reaped


def _die_with_parent(parent: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    try:
        import ctypes  # Linux prctl only

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _limit_memory(mb: int) -> None:
    try:
        import resource  # POSIX only
    except ImportError:  # Windows
        return
    cap = mb * 1024 * 1024
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        cap = min(cap, hard)
    resource.setrlimit(resource.RLIMIT_AS, (cap, hard))


def _live_notices(conn: Connection) -> None:
    """Send this child's font-preparation notices to the parent as they happen (not at exit)."""

    def send(message: str) -> None:
        with contextlib.suppress(OSError, ValueError):
            conn.send(("notice", message))

    notices.set_sink(send)


def _relay(message: tuple[Any, ...]) -> bool:
    """In the parent: show a child's ``("notice", text)`` now; False for any other message."""
    if message[0] != "notice":
        return False

    if not notices.emit(str(message[1])):
        notice(str(message[1]))  # a pool worker: it goes back with the outcome, shown once per run
    return True


def _waited() -> None:
    """In the parent, between polls of a child: let the progress display advance its timer."""

    notices.tick()


def _child(conn: Connection, fn: Callable[[Any], Any], arg: Any, memory_mb: int, parent: int) -> None:
    _die_with_parent(parent)
    _live_notices(conn)
    try:
        _limit_memory(memory_mb)
        result = fn(arg)
        message: tuple[Any, ...] = ("ok", result)
    except MemoryError:
        message = ("memory",)
    except BriefError as e:
        message = ("brief", e.problems, e.exit_code)
    except BaseException as e:  # noqa: BLE001 - reported by the parent as an internal error
        if os.environ.get("BRIEFGEN_DEBUG"):
            traceback.print_exc()
        message = ("error", f"{type(e).__name__}: {e}")
    try:
        conn.send(message)
    except MemoryError:
        conn.send(("memory",))
    except Exception as e:  # noqa: BLE001 - e.g. a result that does not pickle
        conn.send(("error", f"{type(e).__name__}: {e}"))
    finally:
        conn.close()


def _context() -> Any:
    """``fork`` where it is safe (single-threaded, not macOS), else ``spawn``."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and sys.platform != "darwin" and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def run_limited(fn: Callable[[Any], R], arg: Any, label: str = "",
                timeout: float | None = None, memory_mb: int | None = None) -> R:
    """``fn(arg)`` in a child process under the run's ``timeout`` and ``memory_mb`` limits.

    BriefErrors from the child are raised here as they were; running out of time or memory is a
    LimitError naming the limit; a crash is a BriefError with exit code 70.
    """
    lim = limits()
    timeout = lim.timeout if timeout is None else timeout
    memory_mb = lim.memory_mb if memory_mb is None else memory_mb
    ctx = _context()
    recv, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_child, args=(send, fn, arg, memory_mb, os.getpid()))
    proc.start()
    send.close()
    deadline = time.monotonic() + timeout
    message: tuple[Any, ...] | None = None
    try:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            if recv.poll(min(left, 0.25)):
                try:
                    message = recv.recv()
                except EOFError:
                    message = None
                if message is not None and _relay(message):
                    message = None
                    continue
                break
            _waited()
            if not proc.is_alive() and not recv.poll(0):
                break
    finally:
        recv.close()
        if message is None and proc.is_alive():
            proc.kill()
        proc.join(GRACE if message is None else timeout)
        if proc.is_alive():
            proc.kill()
            proc.join(GRACE)
    if message is None:
        _raise_no_answer(time.monotonic() >= deadline, proc.exitcode, timeout, memory_mb, label)
    assert message is not None
    result: R = _result(message, memory_mb, label)
    return result


def _raise_no_answer(timed_out: bool, code: int | None, timeout: float, memory_mb: int, label: str) -> None:
    """The error for a renderer that ran out of time or died without answering."""
    if timed_out:
        raise LimitError.at(_("rendering took longer than {seconds} s, over the limit timeout={seconds}").format(
                                seconds=f"{timeout:g}"),
                            file=label, hint=_("raise it with --timeout SECONDS"), code="E-LIMIT")
    how = (_("signal {n}").format(n=-code) if code is not None and code < 0
           else _("exit code {n}").format(n=code))
    if code == -signal.SIGKILL:
        raise LimitError.at(_("rendering process was killed ({how}), probably out of memory "
                              "(limit memory_mb={limit})").format(how=how, limit=memory_mb), file=label,
                            hint=_("raise it with --max-memory-mb MB"), code="E-LIMIT")
    raise BriefError.at(_("rendering process died ({how})").format(how=how), file=label,
                        hint=_("run with --debug and report it"), exit_code=EXIT_INTERNAL, code="E-INTERNAL")


def _result(message: tuple[Any, ...], memory_mb: int, label: str) -> Any:
    """The value of an ``("ok", value)`` answer; any other answer raised as its error."""
    kind = message[0]
    if kind == "ok":
        return message[1]
    if kind == "memory":
        raise LimitError.at(_("rendering ran out of memory, over the limit memory_mb={limit}").format(limit=memory_mb),
                            file=label, hint=_("raise it with --max-memory-mb MB"), code="E-LIMIT")
    if kind == "brief":
        problems: list[Problem] = message[1]
        code = int(message[2])
        cls = LimitError if code == EXIT_LIMIT else BriefError
        raise cls(problems, exit_code=code)
    raise BriefError.at(_("internal error: {error}").format(error=message[1]), file=label,
                        hint=_("run with --debug and report it"), exit_code=EXIT_INTERNAL, code="E-INTERNAL")


def _answer(fn: Callable[[Any], Any], arg: Any) -> tuple[Any, ...]:
    try:
        return ("ok", fn(arg))
    except MemoryError:
        return ("memory",)
    except BriefError as e:
        return ("brief", e.problems, e.exit_code)
    except BaseException as e:  # noqa: BLE001 - reported by the parent as an internal error
        if os.environ.get("BRIEFGEN_DEBUG"):
            traceback.print_exc()
        return ("error", f"{type(e).__name__}: {e}")


def _serve(conn: Connection, parent_end: Connection, fn: Callable[[Any], Any], memory_mb: int,
           parent: int) -> None:
    """A renderer's loop: one ``("job", arg)`` in, one answer out, until the parent sends
    ``("stop",)`` or closes the pipe. After running out of memory it answers and exits (its heap
    may be in any state)."""
    parent_end.close()  # inherited by the fork: open here, the parent's close would never be seen
    _die_with_parent(parent)
    _live_notices(conn)
    _limit_memory(memory_mb)
    while True:
        try:
            request = conn.recv()
        except (EOFError, OSError):
            return
        if request[0] != "job":
            return
        message = _answer(fn, request[1])
        try:
            conn.send(message)
        except MemoryError:
            conn.send(("memory",))
        except Exception as e:  # noqa: BLE001 - e.g. a result that does not pickle
            conn.send(("error", f"{type(e).__name__}: {e}"))
        if message[0] == "memory":
            return


class _Renderer:
    """One forked process that renders plans one after another under the run's memory limit.

    Forking a renderer per brief costs a fresh process's page faults and caches for every brief
    (about twice the time of the render itself); this one is reused. The parent still enforces
    each plan's timeout, and a renderer that timed out, died, ran out of memory or rendered
    ``MAX_JOBS`` plans is replaced by a new fork, so one brief's failure costs no other brief.
    """

    MAX_JOBS = 200

    def __init__(self, fn: Callable[[Any], Any], memory_mb: int) -> None:
        self.policy = current()  # the child keeps the limits it was forked with
        ctx = multiprocessing.get_context("fork")
        self.conn, child = ctx.Pipe(duplex=True)
        self.memory_mb = memory_mb
        self.proc = ctx.Process(target=_serve, args=(child, self.conn, fn, memory_mb, os.getpid()))
        self.proc.start()
        child.close()
        self.jobs = 0

    def alive(self) -> bool:
        return self.proc.is_alive() and self.jobs < self.MAX_JOBS

    def run(self, arg: Any, timeout: float, label: str) -> Any:
        self.jobs += 1
        deadline = time.monotonic() + timeout
        message: tuple[Any, ...] | None = None
        try:
            self.conn.send(("job", arg))
            while True:
                left = deadline - time.monotonic()
                if left <= 0:
                    break
                if self.conn.poll(min(left, 0.25)):
                    try:
                        message = self.conn.recv()
                    except EOFError:
                        message = None
                    if message is not None and _relay(message):
                        message = None
                        continue
                    break
                _waited()
                if not self.proc.is_alive() and not self.conn.poll(0):
                    break
        except (BrokenPipeError, OSError):
            message = None
        if message is None:
            self.stop(kill=True)
            _raise_no_answer(time.monotonic() >= deadline, self.proc.exitcode, timeout, self.memory_mb, label)
        assert message is not None
        if message[0] == "memory":
            self.stop(kill=False)
        return _result(message, self.memory_mb, label)

    def stop(self, kill: bool = False) -> None:
        self.jobs = self.MAX_JOBS
        with contextlib.suppress(OSError, ValueError):
            if not kill:
                self.conn.send(("stop",))
            self.conn.close()
        if kill and self.proc.is_alive():
            self.proc.kill()
        self.proc.join(GRACE)
        if self.proc.is_alive():
            self.proc.kill()
            self.proc.join(GRACE)


_RENDERER: _Renderer | None = None


def _stop_renderer() -> None:
    global _RENDERER
    if _RENDERER is not None:
        _RENDERER.stop()
        _RENDERER = None


def _render_reused(plan: Plan) -> Outcome:
    """``jobs.render_here`` in this process's reusable renderer (started, or replaced, as needed)."""
    global _RENDERER

    lim = limits()
    if _RENDERER is None or not _RENDERER.alive() or _RENDERER.policy != current():
        _stop_renderer()
        if not _atexit_registered:
            _register_atexit()
        _RENDERER = _Renderer(render_here, lim.memory_mb)
    outcome: Outcome = _RENDERER.run(plan, lim.timeout, plan.job.spec)
    return outcome


_atexit_registered = False


def _register_atexit() -> None:
    """Stop the renderer when this process exits: a multiprocessing finalizer, because a pool
    worker runs those (not ``atexit``) and would otherwise wait for its renderer forever."""
    global _atexit_registered

    util.Finalize(None, _stop_renderer, exitpriority=10)
    _atexit_registered = True


_WARM: set[tuple[str, str]] = set()


def _prewarm(plan: Plan) -> None:
    """Import the plan's writers and load its theme's fonts in this (parent) process, once per
    theme and formats, so that every forked child starts with them (copy-on-write) instead of
    importing python-docx and ReportLab and loading the fonts again: a third of an isolated
    brief's time otherwise. Best effort: whatever fails here fails again, reported, in the child.
    """
    key = (plan.job.spec if not plan.fonts else repr(sorted(plan.fonts.items())), ",".join(plan.formats))
    if key in _WARM or _context().get_start_method() != "fork":
        return
    _WARM.add(key)
    try:
        for fmt in plan.formats:
            get_writer(fmt)
        if any(FORMATS[f].embeds_fonts for f in plan.formats):
            book = font_book(prepare(Path(plan.job.spec), plan.job.overrides).theme)
            for role in FONT_ROLES:
                book.pdf_font(role)
    except Exception:  # noqa: BLE001 - see above
        pass


def render_isolated(plan: Plan) -> Outcome:
    """``jobs.render_here`` in a limited child process when the run isolates renders."""

    if not current().isolate:
        return render_here(plan)
    _prewarm(plan)
    t0 = time.perf_counter()
    try:
        if _context().get_start_method() == "fork":
            out = _render_reused(plan)
        else:
            out = run_limited(render_here, plan, label=plan.job.spec)
    except BriefError as e:
        out = Outcome(plan.job.spec, plan.key, reason=plan.reason, exit_code=e.exit_code,
                      problems=[str(p) for p in e.problems])
        out.seconds = time.perf_counter() - t0
    out.notices = [*drain_notices(), *out.notices]  # relayed while the child ran (see _relay)
    return out


def _apply(job: tuple[Callable[..., Any], tuple[Any, ...], dict[str, Any]]) -> Any:
    fn, args, kwargs = job
    return fn(*args, **kwargs)


def call(fn: Callable[..., R], *args: Any, label: str = "", **kwargs: Any) -> R:
    """``fn(*args, **kwargs)``, in a limited child process when the run isolates renders."""
    if not current().isolate:
        return fn(*args, **kwargs)
    result: R = run_limited(_apply, (fn, args, kwargs), label=label)
    return result
