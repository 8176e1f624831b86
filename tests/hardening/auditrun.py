"""Run briefgen CLI jobs in this process under an audit hook; record exit codes, stderr, file opens and sockets.

Usage: ``python auditrun.py JOBS.json RESULTS.json``. JOBS is a list of ``{"id", "cwd", "argv"}``;
RESULTS maps each id to ``{"code", "stderr", "opens", "network", "processes"}``: every file the
job opened (real path, links followed), every ``socket.*`` audit event and every process it
started. The hook is installed before briefgen is imported, so nothing escapes it. Jobs run with
``--no-isolate`` so all work happens in this process.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import sys
from typing import Any

_OPENS: list[str] = []
_NET: list[str] = []
_PROCS: list[str] = []
_ON = [False]


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _ON[0]:
        return
    if event == "open":
        path = args[0]
        if isinstance(path, int) or path is None:
            return
        try:
            text = os.fsdecode(path)
            _OPENS.append(os.path.realpath(text))
        except (TypeError, ValueError):
            _OPENS.append(repr(path))
    elif event.startswith(("socket.", "urllib.", "http.client.", "ftplib.", "smtplib.")):
        _NET.append(f"{event} {args!r}"[:300])
    elif event in ("subprocess.Popen", "os.system", "os.posix_spawn", "os.exec", "os.spawn", "os.startfile"):
        _PROCS.append(f"{event} {args!r}"[:300])


sys.addaudithook(_hook)


def main() -> None:
    import tempfile

    with open(sys.argv[1], encoding="utf-8") as fh:
        jobs = json.load(fh)
    tempfile.gettempdir()  # the standard library's one-time probe of /tmp is not briefgen's doing
    _ON[0] = True
    from briefgen.cli import main as cli

    results: dict[str, Any] = {}
    for job in jobs:
        os.chdir(job["cwd"])
        os.environ.pop("BRIEFGEN_POLICY", None)
        _OPENS.clear()
        _NET.clear()
        _PROCS.clear()
        err = io.StringIO()
        code: int | str
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
            try:
                code = cli(job["argv"])
            except BaseException as e:  # noqa: BLE001 - recorded: the test fails on it
                code = f"raised {type(e).__name__}: {e}"
        results[job["id"]] = {"code": code, "stderr": err.getvalue(), "opens": sorted(set(_OPENS)),
                              "network": list(_NET), "processes": list(_PROCS)}
    _ON[0] = False
    with open(sys.argv[2], "w", encoding="utf-8") as fh:
        json.dump(results, fh, ensure_ascii=False)


if __name__ == "__main__":
    main()
