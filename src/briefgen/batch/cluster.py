"""Turn planned briefs into self-contained Dask tasks (every input file shipped as bytes) and the
workers' rendered bytes back into outcomes the client writes.

``briefgen build … --scheduler tcp://host:8786`` plans locally, then submits one task per brief
with ``retries=2``. A task carries a dict ``relative path → bytes`` of the spec, its source packs,
the data files those read, user theme files and template folders, rooted at their common folder,
so workers need no shared disk: a worker recreates the files in a temp folder, renders there with the client's timestamp
and period, and returns the bytes. Built-in themes and templates, and fonts, come from the
worker's own installation: install the same briefgen version and fonts on every worker (the
manifest records the font files a worker used, and a version mismatch is reported).
Needs ``pip install "briefgen[distributed]"``.
"""

from __future__ import annotations

import os
import tempfile
import time
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Any

from briefgen.batch.jobs import Outcome, drain_notices, notice, problem_lines
from briefgen.batch.manifest import font_inputs, tool_info
from briefgen.errors import EXIT_INTERNAL, EXIT_IO, EXIT_OK, EXIT_USAGE, BriefError
from briefgen.i18n import _
from briefgen.inputs.digest import sha256_bytes
from briefgen.pipeline.render import render

if TYPE_CHECKING:
    from briefgen.batch.jobs import Outcome, Plan
    from briefgen.batch.logs import Reporter

PACKAGE_DIR = Path(__file__).resolve().parents[1]
SHIPPED_KINDS = ("spec", "source", "data", "database", "theme", "template", "image")
CONNECT_TIMEOUT = 30


def _builtin(path: Path) -> bool:
    try:
        path.relative_to(PACKAGE_DIR)
        return True
    except ValueError:
        return False


def payload_for(plan: Plan, cache: dict[str, bytes] | None = None) -> tuple[dict[str, Any], dict[str, Any]]:
    """The task payload of one brief, and the input records of the bytes it ships."""

    cache = {} if cache is None else cache
    paths = [Path(p) for p, r in plan.inputs.items()
             if r.get("kind") in SHIPPED_KINDS and not _builtin(Path(p))]
    spec = Path(plan.job.spec).resolve()
    if spec not in paths:
        paths.append(spec)
    base = Path(os.path.commonpath([str(p.parent) for p in paths]))
    files: dict[str, bytes] = {}
    shipped: dict[str, Any] = {}
    for p in paths:
        key = str(p)
        if key not in cache:
            try:
                cache[key] = p.read_bytes()
            except OSError as e:
                raise BriefError.at(_("cannot read input: {error}").format(error=e.strerror or e), file=key,
                                    exit_code=EXIT_IO, code="E-IO") from e
        data = cache[key]
        files[p.relative_to(base).as_posix()] = data
        kind = plan.inputs.get(key, {}).get("kind", "spec")
        shipped[key] = {"kind": kind, "sha256": sha256_bytes(data), "size": len(data)}
    overrides = list(plan.job.overrides)
    if plan.context.get("period"):
        overrides.append(f"period={plan.context['period']}")  # resolved here, not by the worker's clock
    payload = {
        "base": str(base),
        "files": files,
        "spec": spec.relative_to(base).as_posix(),
        "formats": list(plan.formats),
        "overrides": overrides,
        "timestamp": plan.context.get("timestamp", ""),
        "label": plan.job.spec,
    }
    return payload, shipped


def _safe_rel(rel: str) -> PurePosixPath:
    p = PurePosixPath(rel)
    if p.is_absolute() or not p.parts or any(part in ("", ".", "..") for part in p.parts):
        raise BriefError.at(f"refusing to write shipped file outside the work folder: {rel!r}")
    return p


def remote_render(payload: dict[str, Any]) -> dict[str, Any]:
    """Run on a worker: recreate the shipped files in a temp folder, render, return the bytes."""

    t0 = time.perf_counter()
    result: dict[str, Any] = {"tool": tool_info(), "data": {}, "warnings": [], "problems": [],
                              "exit_code": EXIT_OK, "font_inputs": {}, "notices": []}
    with tempfile.TemporaryDirectory(prefix="briefgen-task-") as tmp:
        root = Path(tmp, "in")
        try:
            for rel, data in payload["files"].items():
                target = root.joinpath(*_safe_rel(rel).parts)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(data)
            stamp = datetime.fromisoformat(payload["timestamp"]) if payload.get("timestamp") else None
            r = render(root.joinpath(*_safe_rel(payload["spec"]).parts), Path(tmp, "out"),
                       payload["formats"], payload["overrides"], on_message=notice,
                       timestamp=stamp, rebase=(payload["base"], str(root)))
            result.update(data=r.data, warnings=list(r.warnings), font_inputs=font_inputs(r.fonts))
        except BriefError as e:
            result.update(problems=[line.replace(str(root), payload["base"]) for line in problem_lines(e)],
                          exit_code=e.exit_code)
        except Exception as e:  # noqa: BLE001 - reported as the brief's failure, not retried
            result.update(problems=[f"{payload.get('label')}: internal error on worker: "
                                    f"{type(e).__name__}: {e}"], exit_code=EXIT_INTERNAL)
    result["notices"] = drain_notices()
    result["seconds"] = time.perf_counter() - t0
    return result


def render_on_cluster(plans: list[Plan], address: str, reporter: Reporter) -> Iterator[tuple[Plan, Outcome]]:
    """Submit every plan to the Dask scheduler at ``address``; yield outcomes as they finish."""

    try:
        from distributed import Client, as_completed  # distributed loads only when this runs
    except ImportError:
        raise BriefError.at(_("--scheduler needs the 'distributed' package"), file="--scheduler",
                            hint='pip install "briefgen[distributed]"', exit_code=EXIT_USAGE,
                            code="E-MISSING-PACKAGE") from None
    try:
        client = Client(address, timeout=CONNECT_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError) as e:
        raise BriefError.at(_("cannot connect to the Dask scheduler: {error}").format(error=e), file=address,
                            hint=_("start it with `dask scheduler` and check the address"),
                            exit_code=EXIT_IO, code="E-SCHEDULER") from None
    local_tool = tool_info()
    try:
        cache: dict[str, bytes] = {}
        futures: dict[Any, tuple[Plan, dict[str, Any]]] = {}
        early: list[tuple[Plan, Outcome]] = []
        for plan in plans:
            try:
                payload, shipped = payload_for(plan, cache)
            except BriefError as e:
                early.append((plan, Outcome(plan.job.spec, plan.key, exit_code=e.exit_code,
                                            problems=[str(p) for p in e.problems], reason=plan.reason)))
                continue
            fut = client.submit(remote_render, payload, pure=False, retries=2,
                                key=f"briefgen-render-{plan.job.index}-{uuid.uuid4().hex[:12]}")
            futures[fut] = (plan, shipped)
        cache.clear()
        yield from early
        for fut in as_completed(list(futures), loop=client.loop):
            plan, shipped = futures.pop(fut)
            out = Outcome(plan.job.spec, plan.key, reason=plan.reason)
            try:
                res: dict[str, Any] = fut.result()
            except Exception as e:  # noqa: BLE001 - a task that failed after its retries
                out.problems = [f"{plan.job.spec}: cluster task failed: {type(e).__name__}: {e}"]
                out.exit_code = EXIT_INTERNAL
                yield plan, out
                continue
            out.seconds = float(res.get("seconds", 0.0))
            out.notices = list(res.get("notices", []))
            out.worker_tool = dict(res.get("tool", {}))
            if out.worker_tool != local_tool:
                reporter.warning_once(_("a Dask worker runs {worker}, this machine {local}: outputs may differ "
                                        "from a local build").format(worker=out.worker_tool, local=local_tool))
            if res.get("problems"):
                out.problems, out.exit_code = list(res["problems"]), int(res["exit_code"])
            else:
                out.status = "built"
                out.data = dict(res["data"])
                out.targets = dict(plan.targets)
                out.warnings = list(res.get("warnings", []))
                out.inputs = {**plan.inputs, **shipped, **res.get("font_inputs", {})}
                out.fonts = plan.fonts
            yield plan, out
    finally:
        client.close()
