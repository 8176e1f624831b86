"""Turn one brief spec into a plan (loaded, checked, output names, input hashes) and a plan into rendered bytes.

These are the units a batch hands to worker processes, isolated renderers and cluster tasks:
picklable jobs, plans and outcomes, plus the notice queue FontBook messages go to.
"""

from __future__ import annotations

import os
import time
import traceback
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from briefgen.batch.manifest import font_inputs, font_roles, job_key, stale_reason, static_inputs
from briefgen.errors import EXIT_INTERNAL, EXIT_OK, BriefError
from briefgen.i18n import _
from briefgen.pipeline.prepare import prepare
from briefgen.pipeline.render import (
    build_timestamp,
    font_book,
    output_paths,
    render,
    validate_formats,
)

# ---------------------------------------------------------------------------- data passed to workers


@dataclass
class Job:
    """One brief to plan: picklable, so it can go to a worker process."""

    index: int
    spec: str
    out_dir: str
    formats: list[str] | None
    overrides: list[str]
    previous: dict[str, Any] | None = None
    force: bool = False


@dataclass
class Plan:
    """A brief loaded and checked, with its output names, input hashes and whether it is stale."""

    job: Job
    key: str = ""
    problems: list[str] = field(default_factory=list)
    exit_code: int = EXIT_OK
    formats: list[str] = field(default_factory=list)
    targets: dict[str, str] = field(default_factory=dict)
    context: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    fonts: dict[str, str] = field(default_factory=dict)
    reason: str = ""  # why it must be (re)built; "" = up to date
    notices: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class Outcome:
    """What happened to one brief."""

    spec: str
    key: str = ""
    status: str = "failed"  # built | skipped | failed
    exit_code: int = EXIT_OK
    reason: str = ""
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)
    data: dict[str, bytes] = field(default_factory=dict)
    targets: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    fonts: dict[str, str] = field(default_factory=dict)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    seconds: float = 0.0
    worker_tool: dict[str, str] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return {
            "spec": self.spec,
            "status": self.status,
            "reason": self.reason,
            "exit_code": self.exit_code,
            "outputs": self.outputs,
            "warnings": self.warnings,
            "errors": self.problems,
            "seconds": round(self.seconds, 3),
        }


# ---------------------------------------------------------------------------- worker functions

_NOTICES: list[str] = []


def notice(msg: str) -> None:
    """FontBook messages (substitutions, one-off conversions) of this process, drained per brief."""
    _NOTICES.append(msg)


def drain_notices() -> list[str]:
    out = list(_NOTICES)
    _NOTICES.clear()
    return out


def problem_lines(e: BriefError) -> list[str]:
    return [str(p) for p in e.problems] or [str(e) or type(e).__name__]


def internal_error(spec: str, e: BaseException) -> list[str]:
    if os.environ.get("BRIEFGEN_DEBUG"):
        traceback.print_exc()
    return [f"{spec}: internal error: {type(e).__name__}: {e} (run with --debug and report it)"]


def plan_job(job: Job) -> Plan:
    """Load and validate one brief; work out its outputs, input hashes and whether it is stale."""

    plan = Plan(job, key=job_key(Path(job.spec), job.overrides))
    try:
        prep = prepare(Path(job.spec), job.overrides)
        plan.formats = validate_formats(list(job.formats or prep.brief.formats))
        root = Path(job.out_dir)
        targets = output_paths(prep, plan.formats, root)
        plan.targets = {f: str(p) for f, p in targets.items()}
        plan.context = {"timestamp": build_timestamp(prep.brief).isoformat(), "period": prep.brief.period}
        plan.inputs = static_inputs(prep)
        plan.fonts = font_roles(font_book(prep.theme, notice))
        plan.reason = "forced (--force)" if job.force else stale_reason(
            job.previous, formats=plan.formats, overrides=job.overrides, context=plan.context,
            inputs=plan.inputs, fonts=plan.fonts, targets=targets, root=root.resolve(),
        )
    except BriefError as e:
        plan.problems, plan.exit_code = problem_lines(e), e.exit_code
    except Exception as e:  # noqa: BLE001 - one brief's bug must not stop the batch
        plan.problems, plan.exit_code = internal_error(job.spec, e), EXIT_INTERNAL
    plan.notices = drain_notices()
    return plan


def render_here(plan: Plan) -> Outcome:
    """Render one planned brief in this process and return the bytes (nothing is written)."""

    job = plan.job
    out = Outcome(job.spec, plan.key, reason=plan.reason)
    t0 = time.perf_counter()
    try:
        r = render(Path(job.spec), Path(job.out_dir), plan.formats, job.overrides, on_message=notice,
                   timestamp=datetime.fromisoformat(plan.context["timestamp"]))
        targets = {f: str(p) for f, p in r.targets.items()}
        if targets != plan.targets:
            raise BriefError.at(_("the spec changed while the run was going on; run again"), file=job.spec,
                                code="E-SPEC-CHANGED")
        out.status, out.data, out.targets, out.warnings = "built", r.data, targets, list(r.warnings)
        # inputs hashed at planning time, before rendering read them: an edit in between makes
        # the next run rebuild rather than wrongly skip
        out.inputs = {**plan.inputs, **font_inputs(r.fonts)}
        out.fonts = plan.fonts
    except BriefError as e:
        out.problems, out.exit_code = problem_lines(e), e.exit_code
    except Exception as e:  # noqa: BLE001
        out.problems, out.exit_code = internal_error(job.spec, e), EXIT_INTERNAL
    out.seconds = time.perf_counter() - t0
    out.notices = drain_notices()
    return out


def plan_failure(job: Job, message: str) -> Plan:
    return Plan(job, problems=[f"{job.spec}: {message}"], exit_code=EXIT_INTERNAL)


def render_failure(plan: Plan, message: str) -> Outcome:
    return Outcome(plan.job.spec, plan.key, problems=[f"{plan.job.spec}: {message}"],
                   exit_code=EXIT_INTERNAL, reason=plan.reason)


# ---------------------------------------------------------------------------- runners
