"""briefgen benchmark: one command, a table on the terminal and ``bench/results/latest.json``.

    python bench/run.py            # full run (≈10 min on 2 cores)
    python bench/run.py --quick    # fewer repetitions (≈5 min)
    python bench/run.py --smoke    # tiny inputs, 1 repetition, no peers (the test suite runs this)

Measures, each in fresh child processes (wall time; peak RSS from ``wait4``):

* cold CLI: one ``briefgen build`` of each example brief → DOCX+PDF (and each format alone),
  plus which heavy packages a one-format build imports;
* warm per-brief build time inside one process, per format (as a batch worker sees it);
* batch throughput for 200+ briefs with ``-j 1`` and ``-j 2``;
* scaling with document length (1×, 10×, 100× the 学习材料 example: pages, seconds, peak
  memory) and with table size (100, 1,000, 10,000 rows);
* the first build on an empty font cache (system fonts, and the pip-only bundled-font path);
* the same content through pandoc (→DOCX), Typst (→PDF), docxtpl (→DOCX) and LibreOffice
  (DOCX→PDF) when installed, as ratios briefgen / peer. Missing peers are skipped with a note.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import gen  # noqa: E402
from child import BIG_LIMITS, pdf_pages  # noqa: E402

CHILD = str(HERE / "child.py")
PY = sys.executable


# ---------------------------------------------------------------------------- modes


@dataclass
class Mode:
    name: str
    reps: int  # short process runs (cold CLI, peers)
    warm_reps: int
    examples: int  # how many example briefs (0: all)
    batch_n: int
    batch_reps: int
    long: tuple[tuple[int, int], ...]  # (factor, reps)
    tables: tuple[int, ...]
    fresh: bool
    peers: bool
    per_format_cold: bool = True  # also time -f docx and -f pdf alone
    prefer: str = ""  # with ``examples``: the example to take first
    scaling_cli: bool = True  # also time each length through the CLI (peak memory)
    table_phases: bool = True  # also time each table's load/DOCX/PDF phases in one process


MODES = {
    "full": Mode("full", 7, 10, 0, 210, 3, ((1, 5), (10, 3), (100, 1)), (100, 1000, 10000), True, True),
    "quick": Mode("quick", 5, 5, 0, 210, 1, ((1, 5), (10, 1), (100, 1)), (100, 1000, 10000), True, True),
    "smoke": Mode("smoke", 1, 1, 1, 4, 1, ((1, 1),), (50,), False, False, per_format_cold=False,
                  prefer="wujiang-pillars-jianbao", scaling_cli=False, table_phases=False),
}


# ---------------------------------------------------------------------------- processes


@dataclass
class Proc:
    wall: float
    cpu: float  # user + system seconds of the child (and children it waited for)
    rss_mb: float
    code: int
    out: str
    err: str


def run(cmd: list[str], scratch: Path, env: dict[str, str] | None = None, timeout: float = 1800) -> Proc:
    """Run ``cmd`` to completion; wall time and the child's peak RSS (``os.wait4`` rusage)."""
    fd_out, out_name = tempfile.mkstemp(dir=scratch, suffix=".out")
    fd_err, err_name = tempfile.mkstemp(dir=scratch, suffix=".err")
    try:
        t0 = time.perf_counter()
        p = subprocess.Popen(cmd, stdout=fd_out, stderr=fd_err, env=env, stdin=subprocess.DEVNULL)
        deadline = t0 + timeout
        while True:
            pid, status, usage = os.wait4(p.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                p.kill()
                pid, status, usage = os.wait4(p.pid, 0)
                break
            time.sleep(0.002)
        wall = time.perf_counter() - t0
        p.returncode = os.waitstatus_to_exitcode(status)
        os.close(fd_out)
        os.close(fd_err)
        fd_out = fd_err = -1
        out = Path(out_name).read_text(encoding="utf-8", errors="replace")
        err = Path(err_name).read_text(encoding="utf-8", errors="replace")
        return Proc(wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, p.returncode, out, err)
    finally:
        for fd in (fd_out, fd_err):
            if fd >= 0:
                os.close(fd)
        for name in (out_name, err_name):
            Path(name).unlink(missing_ok=True)


_HELP: dict[str, str] = {}


def cli_help(command: str) -> str:
    """``briefgen COMMAND --help`` (to use flags only where this briefgen has them)."""
    if command not in _HELP:
        r = subprocess.run(briefgen_cmd() + [command, "--help"], capture_output=True, text=True)
        _HELP[command] = r.stdout
    return _HELP[command]


def limit_flags() -> list[str]:
    """``--limit`` flags raising the size limits, if this briefgen has limits at all."""
    known = cli_help("build")
    if "--limit" not in known:
        return []
    return [f for item in BIG_LIMITS if item.split("=")[0] in known for f in ("--limit", item)]


def briefgen_cmd() -> list[str]:
    exe = shutil.which("briefgen")
    return [exe] if exe else [PY, "-m", "briefgen"]


def precompile() -> str:
    """Write briefgen's bytecode, as ``pip install`` does for an installed package: an editable
    checkout run with PYTHONDONTWRITEBYTECODE=1 would otherwise recompile every module in every
    measured process (≈0.15–0.2 s of CPU per cold build), which installed peers never pay."""
    where = subprocess.run([PY, "-c", "import briefgen, os; print(os.path.dirname(briefgen.__file__))"],
                           env=child_env(), capture_output=True, text=True, check=False).stdout.strip()
    if where:
        subprocess.run([PY, "-m", "compileall", "-q", where], env=child_env(), capture_output=True, check=False)
    return where


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("BRIEFGEN_")}
    env.update(extra)
    return env


def med(xs: list[float]) -> float:
    return statistics.median(xs) if xs else float("nan")


class Bench:
    def __init__(self, mode: Mode, scratch: Path, log: bool = True) -> None:
        self.mode = mode
        self.scratch = scratch
        self.log = log
        self.n = 0
        self.env = child_env()
        self.res: dict[str, Any] = {"mode": mode.name}
        self.limit_flags: list[str] | None = None

    def say(self, msg: str) -> None:
        if self.log:
            print(f"  … {msg}", file=sys.stderr, flush=True)

    def fresh_out(self) -> Path:
        self.n += 1
        d = self.scratch / f"out{self.n:04d}"
        d.mkdir()
        return d

    def cli(self, args: list[str], env: dict[str, str] | None = None, big: bool = False) -> Proc:
        """``briefgen ARGS``; ``big``: raise the size limits (where the CLI has ``--limit``)."""
        if big and self.limit_flags is None:
            self.limit_flags = limit_flags()
        extra = (self.limit_flags or []) if big and args[0] == "build" else []
        p = run(briefgen_cmd() + args + extra, self.scratch, env or self.env)
        if p.code != 0:
            raise RuntimeError(f"briefgen {' '.join(args)} exited {p.code}:\n{p.err[-2000:]}")
        return p

    def child(self, args: list[str]) -> tuple[Proc, Any]:
        p = run([PY, CHILD, *args], self.scratch, self.env)
        if p.code != 0:
            raise RuntimeError(f"child {' '.join(args)} exited {p.code}:\n{p.err[-2000:]}")
        return p, json.loads(p.out.strip().splitlines()[-1])

    # ------------------------------------------------------------------ cold single brief

    def cold(self, specs: list[Path]) -> list[Path]:
        """Cold CLI timings; returns the examples that built (a broken one is noted and dropped)."""
        out: dict[str, Any] = {}
        ok: list[Path] = []
        for spec in specs:
            row: dict[str, Any] = {}
            try:
                first = self.cli(["build", str(spec), "-o", str(self.fresh_out()), "-f", "docx,pdf", "--force", "-q"])
            except RuntimeError as e:
                self.res.setdefault("notes", []).append(f"{spec.name} does not build, left out: "
                                                        f"{str(e).splitlines()[-1][:300]}")
                continue
            ok.append(spec)
            for fmts in ("docx,pdf", "docx", "pdf") if self.mode.per_format_cold else ("docx,pdf",):
                reps = self.mode.reps if fmts == "docx,pdf" else max(1, self.mode.reps // 2)
                self.say(f"cold CLI {spec.name} -f {fmts} ×{reps}")
                runs = [first] if fmts == "docx,pdf" else []
                runs += [self.cli(["build", str(spec), "-o", str(self.fresh_out()), "-f", fmts, "--force", "-q"])
                         for _ in range(reps - len(runs))]
                row[fmts] = {"median_s": med([r.wall for r in runs]), "runs_s": [r.wall for r in runs],
                             "cpu_s": med([r.cpu for r in runs]), "peak_rss_mb": max(r.rss_mb for r in runs)}
            if self.mode.per_format_cold and "--no-isolate" in cli_help("build"):
                self.say(f"cold CLI {spec.name} -f docx,pdf --no-isolate ×{self.mode.reps}")
                runs = [self.cli(["build", str(spec), "-o", str(self.fresh_out()), "-f", "docx,pdf", "--force",
                                  "-q", "--no-isolate"]) for _ in range(self.mode.reps)]
                row["docx,pdf --no-isolate"] = {
                    "median_s": med([r.wall for r in runs]), "runs_s": [r.wall for r in runs],
                    "cpu_s": med([r.cpu for r in runs]), "peak_rss_mb": max(r.rss_mb for r in runs)}
            out[spec.stem] = row
        self.res["cold"] = out
        if not ok:
            raise RuntimeError("no example brief builds")
        self.say("which packages a one-format build imports")
        imp = {}
        for fmt in ("docx", "pdf"):
            _, data = self.child(["imports", fmt, str(self.fresh_out()), str(ok[0])])
            imp[fmt] = data["loaded"]
        self.res["imports"] = imp
        return ok

    # ------------------------------------------------------------------ warm per brief

    def warm(self, specs: list[Path]) -> None:
        self.say(f"warm per-brief builds ×{self.mode.warm_reps}")
        _, data = self.child(["warm", str(self.mode.warm_reps), str(self.fresh_out()), *map(str, specs)])
        self.res["warm"] = {
            Path(k).stem: {f: {"median_s": med(v), "runs_s": v, "cpu_s": med(fm[f"cpu:{f}"])}
                           for f, v in fm.items() if not f.startswith("cpu:")}
            for k, fm in data.items()}

    # ------------------------------------------------------------------ batch throughput

    def batch(self, examples: list[Path]) -> None:
        """``briefgen build FOLDER -j 1`` and ``-j 2`` on 200+ copies of the examples; where the CLI
        isolates renders (default without a terminal), also with ``--no-isolate``."""
        folder = self.scratch / "batch" / "briefs"  # a project layout: ../sources, ../templates
        specs = gen.batch_specs(folder, self.mode.batch_n, examples)
        out: dict[str, Any] = {"briefs": len(specs)}
        modes: list[tuple[str, list[str]]] = [("", [])]
        if "--no-isolate" in cli_help("build") and self.mode.name != "smoke":
            modes.append(("no-isolate ", ["--no-isolate"]))
        for label, extra in modes:
            for jobs in (1, 2):
                walls: list[float] = []
                cpus: list[float] = []
                per_brief: list[float] = []
                for k in range(self.mode.batch_reps):
                    self.say(f"batch of {len(specs)} briefs -j {jobs} {' '.join(extra)}"
                             f"(run {k + 1}/{self.mode.batch_reps})")
                    p = self.cli(["build", str(folder), "-o", str(self.fresh_out()), "-j", str(jobs),
                                  "--force", "-q", "--json", *extra])
                    summary = json.loads(p.out)
                    if summary["built"] != len(specs):
                        raise RuntimeError(f"batch built {summary['built']} of {len(specs)}")
                    walls.append(p.wall)
                    cpus.append(p.cpu)
                    per_brief.extend(b["seconds"] for b in summary["briefs"])
                wall = med(walls)
                out[f"{label}j{jobs}"] = {"wall_s": wall, "runs_s": walls, "cpu_s": med(cpus),
                                          "briefs_per_s": len(specs) / wall, "per_brief_s": wall / len(specs),
                                          "render_median_s": med(per_brief)}
            out[f"{label}speedup_j2"] = out[f"{label}j2"]["briefs_per_s"] / out[f"{label}j1"]["briefs_per_s"]
        self.res["batch"] = out

    # ------------------------------------------------------------------ scaling

    def scaling(self) -> None:
        folder = self.scratch / "long"
        base = gen.long_inputs(folder, 1)
        out: dict[str, Any] = {}
        for factor, reps in self.mode.long:
            spec = base if factor == 1 else gen.long_inputs(folder, factor)
            self.say(f"{factor}× document: warm phases ×{reps}")
            p, data = self.child(["phases", str(reps), str(self.fresh_out()), str(base), str(spec)])
            runs = data["runs"]
            row = {k: med([r[k] for r in runs]) for k in runs[0]}
            entry = {"factor": factor, "pages": data["pages"], "warm_s": row,
                     "s_per_page": row["total"] / max(1, data["pages"]),
                     "startup_s": data["startup"], "child_peak_rss_mb": p.rss_mb}
            if self.mode.scaling_cli:
                self.say(f"{factor}× document: cold CLI")
                c = self.cli(["build", str(spec), "-o", str(self.fresh_out()), "-f", "docx,pdf", "--force", "-q"],
                             big=True)
                entry.update(cli_s=c.wall, cli_cpu_s=c.cpu, cli_peak_rss_mb=c.rss_mb)
            out[f"{factor}x"] = entry
        biggest = max(out.values(), key=lambda r: r["pages"])
        if self.mode.scaling_cli and biggest["pages"] < 600:
            # the memory target is for a 600-page document: grow the largest one to that size
            per = max(1.0, (biggest["pages"] - 2) / biggest["factor"])
            factor = int(-(-620 // per))
            spec = gen.long_inputs(folder, factor)
            self.say(f"{factor}× document (≥600 pages): cold CLI")
            out_dir = self.fresh_out()
            c = self.cli(["build", str(spec), "-o", str(out_dir), "-f", "docx,pdf", "--force", "-q"], big=True)
            out["600p"] = {"factor": factor, "pages": sum(pdf_pages(f.read_bytes()) for f in out_dir.glob("*.pdf")),
                           "cli_s": c.wall, "cli_cpu_s": c.cpu, "cli_peak_rss_mb": c.rss_mb}
        self.res["scaling"] = out

    def tables(self) -> None:
        folder = self.scratch / "tables"
        out: dict[str, Any] = {}
        for rows in self.mode.tables:
            spec = gen.table_inputs(folder, rows)
            self.say(f"{rows}-row table: cold CLI, then phases in one process")
            out_dir = self.fresh_out()
            c = self.cli(["build", str(spec), "-o", str(out_dir), "-f", "docx,pdf", "--force", "-q"], big=True)
            entry = {"rows": rows, "cli_s": c.wall, "cli_cpu_s": c.cpu, "cli_peak_rss_mb": c.rss_mb,
                     "pages": sum(pdf_pages(f.read_bytes()) for f in out_dir.glob("*.pdf"))}
            if self.mode.table_phases:
                _, data = self.child(["phases", "1", str(self.fresh_out()), str(spec), str(spec)])
                entry["warm_s"] = data["runs"][0]
            out[str(rows)] = entry
        self.res["tables"] = out

    # ------------------------------------------------------------------ fresh font cache

    def fresh(self, spec: Path) -> None:
        out: dict[str, Any] = {}
        for label, extra in (("system fonts", {}), ("pip-only (BRIEFGEN_NO_SYSTEM_FONTS=1)",
                                                   {"BRIEFGEN_NO_SYSTEM_FONTS": "1"})):
            cache = Path(tempfile.mkdtemp(prefix="cache-", dir=self.scratch))
            env = child_env(BRIEFGEN_CACHE_DIR=str(cache), **extra)
            self.say(f"first build on an empty font cache ({label})")
            first = self.cli(["build", str(spec), "-o", str(self.fresh_out()), "--force", "-q"], env)
            self.say(f"second build on the same cache ({label})")
            second = self.cli(["build", str(spec), "-o", str(self.fresh_out()), "--force", "-q"], env)
            out[label] = {"first_s": first.wall, "second_s": second.wall, "first_cpu_s": first.cpu,
                          "progress_message": "preparing font" in first.err,
                          "second_prepares": "preparing font" in second.err,
                          "first_peak_rss_mb": first.rss_mb}
        self.res["fresh"] = out

    # ------------------------------------------------------------------ peers

    def peers(self, specs: list[Path]) -> None:
        import export

        from briefgen.pipeline import render as b

        folder = self.scratch / "peers"
        folder.mkdir()
        soffice = shutil.which("soffice") or shutil.which("libreoffice")
        have = {
            "pandoc": shutil.which("pandoc") is not None,
            "typst": _importable("typst"),
            "docxtpl": _importable("docxtpl"),
            "libreoffice": soffice is not None,
        }
        notes = [f"{k} not installed: skipped" for k, v in have.items() if not v]
        if not have["docxtpl"] and have["libreoffice"]:
            notes.append("libreoffice converts the docxtpl output: skipped with docxtpl")
            have["libreoffice"] = False
        out: dict[str, Any] = {"installed": have, "notes": notes, "versions": _peer_versions(have)}
        lo_profile = (folder / "lo-profile").as_uri()
        for spec in specs:
            prep = b.prepare(spec)
            doc = b.compose(prep).document
            book = b.font_book(prep.theme)
            fams: dict[str, list[str]] = {r.role: [_family(r.family)] for r in book.describe()}
            for role, extra in (("fangsong", ["FangSong", "Noto Serif CJK SC"]),
                                ("heiti", ["SimHei", "Noto Sans CJK SC"]),
                                ("kaiti", ["KaiTi", "Noto Serif CJK SC"]),
                                ("xiaobiaosong", ["Noto Serif CJK SC"])):
                fams.setdefault(role, []).extend(extra)
            stem = spec.stem
            md, md_opts = export.to_markdown(doc)
            (folder / f"{stem}.md").write_text(md, encoding="utf-8")
            (folder / f"{stem}.typ").write_text(export.to_typst(doc, fams), encoding="utf-8")
            tpl, ctx = export.write_docxtpl_inputs(doc, folder, stem)
            cmds: dict[str, list[str]] = {}
            if have["pandoc"]:
                cmds["pandoc"] = ["pandoc", "-f", "markdown", str(folder / f"{stem}.md"), *md_opts,
                                  "-o", str(folder / f"{stem}.pandoc.docx")]
            if have["typst"]:
                cmds["typst"] = [PY, "-c", "import sys, typst; typst.compile(sys.argv[1], output=sys.argv[2])",
                                 str(folder / f"{stem}.typ"), str(folder / f"{stem}.typst.pdf")]
            if have["docxtpl"]:
                cmds["docxtpl"] = [PY, "-c", "import json, sys\nfrom docxtpl import DocxTemplate\n"
                                   "t = DocxTemplate(sys.argv[1])\n"
                                   "t.render(json.load(open(sys.argv[2], encoding='utf-8')))\nt.save(sys.argv[3])",
                                   str(tpl), str(ctx), str(folder / f"{stem}.docxtpl.docx")]
            if have["libreoffice"]:
                assert soffice
                cmds["libreoffice"] = [soffice, f"-env:UserInstallation={lo_profile}", "--headless",
                                       "--convert-to", "pdf", "--outdir", str(folder / "lo"),
                                       str(folder / f"{stem}.docxtpl.docx")]
            row: dict[str, Any] = {}
            for name, cmd in cmds.items():
                self.say(f"peer {name} on {stem} ×{self.mode.reps}")
                if name == "libreoffice":
                    run(cmd, self.scratch, self.env, timeout=300)  # untimed: creates the user profile
                runs = []
                for _ in range(self.mode.reps):
                    p = run(cmd, self.scratch, self.env, timeout=300)
                    if p.code != 0:
                        raise RuntimeError(f"{name} failed on {stem}: {p.err[-1500:]}")
                    runs.append(p)
                row[name] = {"median_s": med([r.wall for r in runs]), "runs_s": [r.wall for r in runs],
                             "cpu_s": med([r.cpu for r in runs]), "peak_rss_mb": max(r.rss_mb for r in runs)}
            out[stem] = row
        self.res["peers"] = out


def _family(display: str) -> str:
    words = display.split()
    while words and words[-1] in ("Light", "Bold", "Regular", "Medium", "Book", "Heavy", "Black"):
        words.pop()
    return " ".join(words) or display


def _importable(name: str) -> bool:
    import importlib.util

    return importlib.util.find_spec(name) is not None


def _peer_versions(have: dict[str, bool]) -> dict[str, str]:
    from importlib import metadata

    out = {}
    if have["pandoc"]:
        r = subprocess.run(["pandoc", "--version"], capture_output=True, text=True)
        out["pandoc"] = r.stdout.splitlines()[0] if r.stdout else ""
    for dist in ("typst", "docxtpl"):
        if have[dist]:
            try:
                out[dist] = metadata.version(dist)
            except metadata.PackageNotFoundError:
                out[dist] = "?"
    if have["libreoffice"]:
        exe = shutil.which("soffice") or shutil.which("libreoffice") or "soffice"
        try:
            r = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=60)
            out["libreoffice"] = r.stdout.strip().splitlines()[0] if r.stdout.strip() else ""
        except (OSError, subprocess.TimeoutExpired):
            out["libreoffice"] = "?"
    return out


# ---------------------------------------------------------------------------- machine


def machine() -> dict[str, Any]:
    from importlib import metadata

    cpu = platform.processor() or ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    try:
        nproc = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        nproc = os.cpu_count() or 1
    mem = ""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                mem = f"{int(line.split()[1]) // 1024} MB"
    except OSError:
        pass
    versions = {}
    for dist in ("briefgen", "reportlab", "python-docx", "pydantic", "fonttools"):
        try:
            versions[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            versions[dist] = ""
    return {"nproc": nproc, "cpu": cpu, "memory": mem, "python": platform.python_version(),
            "platform": platform.platform(), "versions": versions,
            "loadavg_start": list(os.getloadavg()) if hasattr(os, "getloadavg") else []}


# ---------------------------------------------------------------------------- summary


def summarise(res: dict[str, Any]) -> None:
    """Ratios against peers and the issue's targets, from this run's numbers."""
    ratios: dict[str, Any] = {}
    targets: list[dict[str, Any]] = []

    def target(name: str, value: float | None, limit: float, op: str, detail: str) -> None:
        ok = None if value is None else (value <= limit if op == "<=" else value >= limit)
        targets.append({"target": name, "value": value, "limit": limit, "op": op, "ok": ok, "detail": detail})

    cold, warm, peers = res.get("cold", {}), res.get("warm", {}), res.get("peers", {})
    names = [n for n in warm if n in cold]

    def mean_of(vals: list[float]) -> float | None:
        return statistics.fmean(vals) if vals else None

    warm_both = mean_of([warm[n]["docx+pdf"]["median_s"] for n in names])
    cold_both = mean_of([cold[n]["docx,pdf"]["median_s"] for n in names])
    if peers:
        def peer(n: str, tool: str) -> float | None:
            return (peers.get(n) or {}).get(tool, {}).get("median_s")

        def pair(n: str, a: str, b: str) -> float | None:
            x, y = peer(n, a), peer(n, b)
            return None if x is None or y is None else x + y

        pt = [v for n in names if (v := pair(n, "pandoc", "typst")) is not None]
        dl = [v for n in names if (v := pair(n, "docxtpl", "libreoffice")) is not None]
        for n in names:
            r: dict[str, float] = {}
            for key, ours, tools in (
                ("warm docx / pandoc", warm[n]["docx"]["median_s"], ("pandoc",)),
                ("warm pdf / typst", warm[n]["pdf"]["median_s"], ("typst",)),
                ("warm docx+pdf / (pandoc+typst)", warm[n]["docx+pdf"]["median_s"], ("pandoc", "typst")),
                ("cold docx+pdf / (pandoc+typst)", cold[n]["docx,pdf"]["median_s"], ("pandoc", "typst")),
                ("cold docx+pdf / (docxtpl+libreoffice)", cold[n]["docx,pdf"]["median_s"],
                 ("docxtpl", "libreoffice")),
            ):
                vals = [peer(n, t) for t in tools]
                if all(v is not None for v in vals):
                    r[key] = ours / sum(v for v in vals if v is not None)
            ratios[n] = r
        def cpu_of(n: str, tool: str) -> float:
            return float(peers[n][tool]["cpu_s"])

        if pt and warm_both is not None:
            ref = statistics.fmean(pt)
            ours_cpu = statistics.fmean(warm[n]["docx+pdf"]["cpu_s"] for n in names)
            ref_cpu = statistics.fmean(cpu_of(n, "pandoc") + cpu_of(n, "typst") for n in names
                                       if "pandoc" in peers[n] and "typst" in peers[n])
            target("batch: warm docx+pdf per brief ≤ 0.7 × (pandoc + typst per document)",
                   warm_both / ref, 0.7, "<=", f"{warm_both:.3f} s vs {ref:.3f} s; "
                   f"by CPU time {ours_cpu:.3f} s vs {ref_cpu:.3f} s = {ours_cpu / ref_cpu:.2f}")
            bt = res.get("batch") or {}
            for label in ("", "no-isolate "):
                if f"{label}j1" in bt:
                    per = bt[f"{label}j1"]["per_brief_s"]
                    how = "--no-isolate" if label else "default flags"
                    target(f"batch ({how}): -j 1 run time per brief ≤ 0.7 × (pandoc + typst per document)",
                           per / ref, 0.7, "<=", f"{per:.3f} s vs {ref:.3f} s (whole run / briefs, "
                           "start-up and writing included)")
        if dl and cold_both is not None:
            ref = statistics.fmean(dl)
            ref_cpu = statistics.fmean(cpu_of(n, "docxtpl") + cpu_of(n, "libreoffice") for n in names
                                       if "docxtpl" in peers[n] and "libreoffice" in peers[n])
            for key, how in (("docx,pdf", "default flags"), ("docx,pdf --no-isolate", "--no-isolate")):
                if not all(key in cold[n] for n in names):
                    continue
                ours = statistics.fmean(cold[n][key]["median_s"] for n in names)
                ours_cpu = statistics.fmean(cold[n][key]["cpu_s"] for n in names)
                target(f"cold ({how}): one build docx+pdf ≤ 0.5 × (docxtpl + libreoffice)", ours / ref, 0.5,
                       "<=", f"{ours:.3f} s vs {ref:.3f} s; by CPU time {ours_cpu:.3f} s vs {ref_cpu:.3f} s "
                       f"= {ours_cpu / ref_cpu:.2f}")
    batch = res.get("batch")
    if batch:
        for label in ("", "no-isolate "):
            if f"{label}j1" in batch:
                how = "--no-isolate" if label else "default flags"
                target(f"batch ({how}): 2 workers ≥ 1.8 × throughput of 1", batch[f"{label}speedup_j2"], 1.8,
                       ">=", f"{batch[f'{label}j1']['briefs_per_s']:.2f} → "
                       f"{batch[f'{label}j2']['briefs_per_s']:.2f} briefs/s")
    if cold:
        for key, how in (("docx,pdf", "default flags"), ("docx,pdf --no-isolate", "--no-isolate")):
            if all(key in cold[n] for n in cold):
                worst = max(cold[n][key]["median_s"] for n in cold)
                target(f"cold ({how}): one build docx+pdf ≤ 1.0 s (slowest example)", worst, 1.0, "<=",
                       f"{worst:.3f} s")
    sc = res.get("scaling", {})
    if "1x" in sc and "100x" in sc:
        one, hundred = sc["1x"]["warm_s"]["total"], sc["100x"]["warm_s"]["total"]
        target("scaling: 100× content ≤ 110 × the 1× time (net of start-up)", hundred / one, 110, "<=",
               f"{one:.3f} s → {hundred:.2f} s; {sc['1x']['pages']} → {sc['100x']['pages']} pages")
        big = max(sc.values(), key=lambda r: r["pages"])
        if big["pages"] >= 600:
            rss = max(big.get("cli_peak_rss_mb", 0), big.get("child_peak_rss_mb", 0))
            target(f"scaling: {big['pages']}-page document, peak memory ≤ 400 MB", rss, 400, "<=",
                   f"docx+pdf in one process, CLI {big.get('cli_s', float('nan')):.1f} s")
    tb = res.get("tables", {})
    if "10000" in tb:
        target("tables: 10,000 rows docx+pdf ≤ 15 s", tb["10000"]["cli_s"], 15, "<=",
               f"{tb['10000']['pages']} pages, {tb['10000']['cli_peak_rss_mb']:.0f} MB")
    for label, r in (res.get("fresh") or {}).items():
        target(f"fresh cache ({label}): first build ≤ 5 s with a progress message",
               r["first_s"] if r["progress_message"] or r["first_s"] < 5 else None, 5, "<=",
               f"message: {'yes' if r['progress_message'] else 'no'}; second build {r['second_s']:.2f} s"
               f"{', prepares again' if r['second_prepares'] else ', no re-preparation'}")
    res["ratios"] = ratios
    res["targets"] = targets


# ---------------------------------------------------------------------------- report


def table_lines(res: dict[str, Any], markdown: bool = False) -> list[str]:
    rows: list[tuple[str, str, str]] = []

    def add(section: str, item: str, value: str) -> None:
        rows.append((section, item, value))

    for n, r in res.get("cold", {}).items():
        both = r["docx,pdf"]
        alone = (f"; docx alone {r['docx']['median_s']:.3f} s, pdf alone {r['pdf']['median_s']:.3f} s"
                 if "docx" in r and "pdf" in r else "")
        if "docx,pdf --no-isolate" in r:
            alone += f"; --no-isolate {r['docx,pdf --no-isolate']['median_s']:.3f} s"
        add("cold CLI", f"{n} docx+pdf", f"{both['median_s']:.3f} s (CPU {both['cpu_s']:.3f} s, "
            f"{both['peak_rss_mb']:.0f} MB){alone}")
    for fmt, loaded in res.get("imports", {}).items():
        skip = "reportlab" if fmt == "docx" else "docx"
        add("cold CLI", f"-f {fmt} imports {skip}?", "yes" if loaded.get(skip) else "no")
    for n, r in res.get("warm", {}).items():
        add("warm per brief", n, f"docx {r['docx']['median_s']:.3f} s, pdf {r['pdf']['median_s']:.3f} s, "
            f"docx+pdf {r['docx+pdf']['median_s']:.3f} s (CPU {r['docx+pdf']['cpu_s']:.3f} s)")
    b = res.get("batch")
    if b:
        for label in ("", "no-isolate "):
            if f"{label}j1" not in b:
                continue
            for j in ("j1", "j2"):
                r = b[f"{label}{j}"]
                add("batch", f"{b['briefs']} briefs -j {j[1]} {'--no-isolate' if label else '(default)'}",
                    f"{r['wall_s']:.1f} s (CPU {r['cpu_s']:.1f} s), {r['briefs_per_s']:.2f} briefs/s, "
                    f"{r['per_brief_s']:.3f} s/brief")
            add("batch", f"speed-up -j 2 / -j 1 {'--no-isolate' if label else '(default)'}",
                f"{b[f'{label}speedup_j2']:.2f}×")
    for k, r in res.get("scaling", {}).items():
        if "warm_s" not in r:
            add("length", f"{r['factor']}x ({r['pages']} pages)",
                f"CLI {r['cli_s']:.2f} s (CPU {r['cli_cpu_s']:.2f} s), peak {r['cli_peak_rss_mb']:.0f} MB")
            continue
        w = r["warm_s"]
        cli = (f"; CLI {r['cli_s']:.2f} s, peak {r['cli_peak_rss_mb']:.0f} MB" if "cli_s" in r
               else f"; peak {r['child_peak_rss_mb']:.0f} MB")
        add("length", f"{k} ({r['pages']} pages)",
            f"warm {w['total']:.2f} s (load {w['load+compose']:.2f}, docx {w['docx']:.2f}, pdf {w['pdf']:.2f}), "
            f"{1000 * r['s_per_page']:.1f} ms/page{cli}")
    for k, r in res.get("tables", {}).items():
        w = r.get("warm_s")
        split = (f" (in-process: load {w['load+compose']:.2f} s, docx {w['docx']:.2f} s, pdf {w['pdf']:.2f} s)"
                 if w else "")
        add("table", f"{int(k):,} rows ({r['pages']} pages)",
            f"CLI {r['cli_s']:.2f} s, peak {r['cli_peak_rss_mb']:.0f} MB{split}")
    for label, r in (res.get("fresh") or {}).items():
        add("fresh cache", label, f"first {r['first_s']:.1f} s (message: {'yes' if r['progress_message'] else 'no'}), "
            f"then {r['second_s']:.2f} s")
    p = res.get("peers") or {}
    for n, tools in p.items():
        if n in ("installed", "notes", "versions"):
            continue
        add("peers", n, ", ".join(f"{t} {v['median_s']:.3f} s" for t, v in tools.items()))
        add("peers", f"{n} (CPU)", ", ".join(f"{t} {v['cpu_s']:.3f} s" for t, v in tools.items()))
    for note in p.get("notes", []):
        add("peers", "note", note)
    for note in res.get("notes", []):
        add("note", "", note)
    for n, r in res.get("ratios", {}).items():
        for key, v in r.items():
            add("ratio", f"{n}: {key}", f"{v:.2f}")
    for t in res.get("targets", []):
        mark = {True: "MET", False: "NOT MET", None: "n/a"}[t["ok"]]
        val = "—" if t["value"] is None else f"{t['value']:.3g}"
        add("target", t["target"], f"{mark}: {val} (limit {t['op']} {t['limit']:g}; {t['detail']})")

    if markdown:
        out = ["| | | |", "|---|---|---|"]
        out += [f"| {s} | {i} | {v} |" for s, i, v in rows]
        return out
    w1 = max((len(s) for s, _, _ in rows), default=0)
    w2 = max((_width(i) for _, i, _ in rows), default=0)
    return [f"{s:<{w1}}  {i}{' ' * (w2 - _width(i))}  {v}" for s, i, v in rows]


def _width(text: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


# ---------------------------------------------------------------------------- main


def one_run(args: argparse.Namespace, mode: Any, parts: set[str], k: int, n: int) -> dict[str, Any]:
    """One full measurement (every part, peers included), printed as a table; its results."""
    if n > 1:
        print(f"== run {k + 1} of {n} ==")
    scratch = Path(tempfile.mkdtemp(prefix="briefgen-bench-"))
    bench = Bench(mode, scratch)
    specs = gen.examples()
    if mode.examples:
        specs = sorted(specs, key=lambda p: (p.stem != mode.prefer, p.name))[: mode.examples]
    t0 = time.perf_counter()
    bench.res["machine"] = machine()
    bench.res["examples"] = [s.name for s in specs]
    try:
        if "cold" in parts:
            specs = bench.cold(specs)
        if "warm" in parts:
            bench.warm(specs)
        if "batch" in parts:
            bench.batch(specs)
        if "scaling" in parts:
            bench.scaling()
        if "tables" in parts:
            bench.tables()
        if "fresh" in parts:
            bench.fresh(specs[-1])
        if "peers" in parts:
            bench.peers(specs)
    finally:
        if args.keep:
            print(f"scratch kept: {scratch}", file=sys.stderr)
        else:
            shutil.rmtree(scratch, ignore_errors=True)
    bench.res["machine"]["loadavg_end"] = list(os.getloadavg()) if hasattr(os, "getloadavg") else []
    bench.res["seconds"] = time.perf_counter() - t0
    summarise(bench.res)
    m = bench.res["machine"]
    print(f"briefgen bench ({mode.name}) — {m['nproc']} CPU × {m['cpu']}, Python {m['python']}, "
          f"load {m['loadavg_start'][0]:.2f}→{m['loadavg_end'][0]:.2f}, {bench.res['seconds']:.0f} s")
    for line in table_lines(bench.res):
        print(line)
    if args.markdown:
        print()
        for line in table_lines(bench.res, markdown=True):
            print(line)
    return bench.res


def median_targets(runs: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each target's median over the runs (and the spread), judged on the median."""
    out: list[dict[str, Any]] = []
    for tg in runs[0].get("targets", []):
        vals = [v for r in runs for x in r.get("targets", []) if x["target"] == tg["target"]
                and (v := x["value"]) is not None]
        if not vals:
            continue
        med = statistics.median(vals)
        ok = med <= tg["limit"] if tg["op"] == "<=" else med >= tg["limit"]
        out.append({"target": tg["target"], "median": med, "min": min(vals), "max": max(vals),
                    "values": vals, "limit": tg["limit"], "op": tg["op"], "ok": ok})
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    g = ap.add_mutually_exclusive_group()
    g.add_argument("--quick", action="store_true", help="fewer repetitions")
    g.add_argument("--smoke", action="store_true", help="tiny inputs, 1 repetition, no peers, no fresh-cache runs")
    ap.add_argument("--no-peers", action="store_true", help="skip pandoc/Typst/docxtpl/LibreOffice")
    ap.add_argument("--no-fresh", action="store_true", help="skip the empty-font-cache runs (≈1 min)")
    ap.add_argument("--only", help="comma-separated parts: cold,warm,batch,scaling,tables,fresh,peers")
    ap.add_argument("--out", default=str(HERE / "results" / "latest.json"), help="JSON results file")
    ap.add_argument("--markdown", action="store_true", help="also print the table as Markdown (for README)")
    ap.add_argument("--keep", action="store_true", help="keep the scratch folder")
    ap.add_argument("--runs", type=int, default=1, help="repeat everything N times; targets on the median")
    args = ap.parse_args(argv)
    mode = MODES["smoke" if args.smoke else "quick" if args.quick else "full"]
    parts = set((args.only or "cold,warm,batch,scaling,tables,fresh,peers").split(","))
    if not mode.fresh or args.no_fresh:
        parts.discard("fresh")
    if not mode.peers or args.no_peers:
        parts.discard("peers")

    print(f"bytecode written for {precompile() or 'briefgen (not found)'}")
    runs = [one_run(args, mode, parts, k, args.runs) for k in range(args.runs)]
    res = runs[0] if args.runs == 1 else {"runs": runs, "targets": median_targets(runs),
                                          "machine": runs[0]["machine"]}
    if args.runs > 1:
        print(f"\nmedian of {args.runs} runs (peers measured in the same runs); spread min–max; load per run:")
        for r in runs:
            m = r["machine"]
            print(f"  run: load {m['loadavg_start'][0]:.2f}→{m['loadavg_end'][0]:.2f}, {r['seconds']:.0f} s")
        for tg in res["targets"]:
            mark = "ok" if tg["ok"] else ("FAIL" if tg["ok"] is False else "n/a")
            print(f"  [{mark:4}] {tg['target']}: median {tg['median']:.3f} (min {tg['min']:.3f}, "
                  f"max {tg['max']:.3f}) {tg['op']} {tg['limit']}")
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(res, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8")
    print(f"results: {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
