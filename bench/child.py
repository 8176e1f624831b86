"""Measurements that run inside one fresh child process; results go to stdout as JSON.

``python bench/child.py warm REPS OUT SPEC...``
    per spec: one untimed build, then REPS timed builds each of docx, pdf and docx+pdf
    (``briefgen.pipeline.render.build``: load → compose → render → atomic write), as inside a batch worker.
``python bench/child.py phases REPS OUT WARM_SPEC SPEC``
    warm up on WARM_SPEC (imports, fonts), then time SPEC's phases REPS times: load+compose,
    DOCX, PDF; with the page count. The parent reads the child's peak RSS (``wait4``).
``python bench/child.py imports FORMAT OUT SPEC``
    run ``briefgen build -f FORMAT`` in-process; report which heavy packages got imported.
"""

from __future__ import annotations

import dataclasses
import json
import re
import sys
import time
from pathlib import Path
from typing import Any

_PAGE = re.compile(rb"/Type\s*/Page\b(?!s)")
# Size limits the scaling inputs exceed (100× the example has ~6,000 sections; 10,000 table rows).
BIG_LIMITS = ("sections=100000", "figures=100000", "table_rows=100000", "pages=100000",
              "input_bytes=104857600", "timeout=3600")


def pdf_pages(data: bytes) -> int:
    """Pages of a ReportLab PDF (page objects are never in compressed object streams there)."""
    return len(_PAGE.findall(data))


def warm(reps: int, out: Path, specs: list[str]) -> dict[str, dict[str, list[float]]]:
    """Wall (``docx`` …) and CPU (``cpu:docx`` …) seconds per build, after one warm-up build."""
    from briefgen.pipeline.render import build

    res: dict[str, dict[str, list[float]]] = {}
    for spec in specs:
        p = Path(spec)
        build(p, out, ["docx", "pdf"])  # warm-up: imports, fonts, caches
        times: dict[str, list[float]] = {"docx": [], "pdf": [], "docx+pdf": []}
        cpu: dict[str, list[float]] = {k: [] for k in times}
        for _ in range(reps):
            for key in times:
                t0, c0 = time.perf_counter(), time.process_time()
                build(p, out, key.split("+"))
                times[key].append(time.perf_counter() - t0)
                cpu[key].append(time.process_time() - c0)
        res[spec] = {**times, **{f"cpu:{k}": v for k, v in cpu.items()}}
    return res


def _raise_limits() -> None:
    """In-process equivalent of the CLI's ``--limit`` flags (run.BIG_LIMITS), where limits exist."""
    try:
        from briefgen.inputs import limits as lim
    except ImportError:
        return
    try:
        known = {f.name for f in dataclasses.fields(lim.Limits)}
        items = [i for i in BIG_LIMITS if i.split("=")[0] in known]
        lim.configure(dataclasses.replace(lim.current(), limits=lim.with_limits(lim.limits(), items)))
    except (AttributeError, TypeError, ValueError):
        pass


def phases(reps: int, out: Path, warm_spec: str, spec: str) -> dict[str, object]:
    _raise_limits()
    from briefgen.pipeline import render as b

    t0 = time.perf_counter()
    b.build(Path(warm_spec), out, ["docx", "pdf"])
    startup = time.perf_counter() - t0
    try:  # the same garbage-collection policy as build.render
        from briefgen.pipeline.gcpolicy import relaxed_gc
    except ImportError:
        import contextlib

        relaxed_gc = contextlib.nullcontext  # type: ignore[assignment]
    runs = []
    pages = 0
    for _ in range(reps):
        with relaxed_gc():  # phases are timed by calling the writers, not build.render
            r, data = _phase_run(b, out, spec)
        pages = pdf_pages(data["pdf"])
        runs.append(r)
        del data
    return {"startup": startup, "runs": runs, "pages": pages}


def _phase_run(b: Any, out: Path, spec: str) -> tuple[dict[str, float], dict[str, bytes]]:
    from briefgen.atomic import write_all_atomic
    from briefgen.writers import get_writer
    from briefgen.writers.context import RenderContext

    r: dict[str, float] = {}
    t = time.perf_counter()
    prep = b.prepare(Path(spec))
    composed = b.compose(prep)
    fonts = b.font_book(prep.theme)
    b.check_glyphs(composed, fonts, spec)
    ctx = RenderContext(prep.theme, fonts, b.build_timestamp(prep.brief), list(composed.warnings))
    r["load+compose"] = time.perf_counter() - t
    data = {}
    for fmt in ("docx", "pdf"):
        t = time.perf_counter()
        data[fmt] = get_writer(fmt).render(composed.document, ctx)  # finished bytes (PDF /ID included)
        r[fmt] = time.perf_counter() - t
    t = time.perf_counter()
    targets = b.output_paths(prep, ["docx", "pdf"], out)
    write_all_atomic({targets[f]: data[f] for f in data})
    r["write"] = time.perf_counter() - t
    r["total"] = sum(r.values())
    return r, data


def imports(fmt: str, out: str, spec: str) -> dict[str, object]:
    from briefgen.cli import main, parser

    argv = ["build", spec, "-o", out, "-f", fmt, "--force", "-q", "-j", "1"]
    subparsers: Any = parser()._subparsers
    build_help = subparsers._group_actions[0].choices["build"].format_help()
    if "--no-isolate" in build_help:  # render in this process, so its imports are the build's
        argv.append("--no-isolate")
    code = main(argv)
    heavy = ["docx", "reportlab", "fontTools", "lxml", "PIL", "pydantic", "jinja2", "markdown_it", "yaml"]
    loaded = {m.split(".")[0] for m in sys.modules}
    return {"exit": code, "loaded": {h: h in loaded for h in heavy}}


def main(argv: list[str]) -> int:
    mode = argv[0]
    if mode == "warm":
        res: object = warm(int(argv[1]), Path(argv[2]), argv[3:])
    elif mode == "phases":
        res = phases(int(argv[1]), Path(argv[2]), argv[3], argv[4])
    elif mode == "imports":
        res = imports(argv[1], argv[2], argv[3])
    else:
        raise SystemExit(f"unknown mode {mode}")
    sys.stdout.write(json.dumps(res) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
