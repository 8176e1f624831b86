"""Turn command-line arguments into builds, checks and listings; map errors to one-line messages and exit codes."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import __version__, limits
from briefgen.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, BriefError

if TYPE_CHECKING:
    from briefgen.build import BuildResult
    from briefgen.logs import Reporter

EPILOG = """exit codes: 0 ok · 2 usage · 3 invalid input · 4 file I/O · 5 limit exceeded · 70 internal error"""


def _expand_specs(items: list[str]) -> list[Path]:
    from briefgen.batch import expand_specs

    return expand_specs(items)


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _formats(args: argparse.Namespace) -> list[str] | None:
    from briefgen.build import validate_formats

    if not getattr(args, "formats", None):
        return None
    return validate_formats([f.strip() for f in args.formats.split(",") if f.strip()]) or None


def _overrides(args: argparse.Namespace) -> list[str]:
    """``--set`` values, then ``--period`` resolved against today (so a manifest records 2026-10)."""
    from briefgen.periods import parse_period

    out = list(args.set or [])
    if getattr(args, "period", None):
        try:
            out.append(f"period={parse_period(args.period)}")
        except ValueError as e:
            raise BriefError.at(str(e), file="--period", exit_code=EXIT_USAGE) from None
    return out


def _reporter(args: argparse.Namespace) -> Reporter:
    from briefgen.logs import Reporter

    level = logging.INFO if args.verbose and not args.quiet else logging.WARNING
    return Reporter(level=level, progress=not (args.quiet or args.no_progress),
                    notices=not getattr(args, "quiet", False))


def cmd_build(args: argparse.Namespace) -> int:
    from briefgen.batch import BatchOptions, run_batch

    formats = _formats(args)
    overrides = _overrides(args)
    specs = _expand_specs(args.specs)
    if not specs:
        raise BriefError.at("no brief specs found", file=" ".join(args.specs), exit_code=EXIT_USAGE)
    if args.jobs < 0:
        raise BriefError.at("-j must be 1 or more (0: one per CPU)", file="-j", exit_code=EXIT_USAGE)
    if args.lock_timeout < 0:
        raise BriefError.at("--lock-timeout must not be negative", file="--lock-timeout", exit_code=EXIT_USAGE)
    reporter = _reporter(args)
    opts = BatchOptions(Path(args.output), formats, overrides, args.jobs, args.force, args.lock_timeout,
                        args.scheduler)
    summary = run_batch(specs, opts, reporter)
    if args.json:
        sys.stdout.write(json.dumps(summary.to_json(), ensure_ascii=False, indent=2) + "\n")
        sys.stdout.flush()
    elif not args.quiet:
        reporter.summary(summary.line(), failed=summary.exit_code != EXIT_OK)
    return summary.exit_code


def cmd_check(args: argparse.Namespace) -> int:
    from briefgen import isolate
    from briefgen.batch import find_collisions
    from briefgen.build import build
    from briefgen.consistency import describe

    overrides = _overrides(args)
    worst = EXIT_OK
    claims: list[tuple[str, dict[str, str]]] = []
    seen: set[str] = set()

    def once(message: str) -> None:  # font substitutions: reported once per run, not per brief
        if message not in seen:
            seen.add(message)
            _stderr(message)

    for spec in _expand_specs(args.specs):
        _resolve_fonts_here(spec, overrides, once)
        try:
            # on_message must be picklable for an isolated child: a module-level function
            res = isolate.call(build, spec, Path(args.output), None, overrides, on_message=_stderr,
                               write=False, label=str(spec))
        except BriefError as e:
            worst = max(worst, e.exit_code)
            for p in e.problems:
                _stderr(str(p))
            continue
        claims.append((str(spec), {f: str(t) for f, t in res.outputs.items()}))
        worst = max(worst, _report_findings(res, args.strict))
        found = {describe(p) for p in res.findings}
        for w in res.warnings:
            if w not in found:
                _stderr(f"{spec}: warning: {w}")
        note = f", {res.punctuation_changes} punctuation marks normalised" if res.punctuation_changes else ""
        print(f"{'failed' if args.strict and res.findings else 'ok'} {spec}{note}")
    collisions = find_collisions(claims)
    for line in collisions:
        _stderr(line)
    return max(worst, EXIT_INPUT) if collisions else worst


def _resolve_fonts_here(spec: Path, overrides: list[str], on_message: Callable[[str], None]) -> None:
    """Resolve the brief's fonts in this process first, so substitution messages are printed once
    per run (an isolated child inherits the resolved FontBook and has nothing left to report)."""
    from briefgen.build import font_book, prepare

    try:
        book = font_book(prepare(spec, overrides).theme, on_message)
        for role in ("fangsong", "heiti", "kaiti", "songti", "xiaobiaosong"):
            book.pdf_font(role)
    except BriefError:
        pass  # the build below reports every problem, located


def _report_findings(res: BuildResult, strict: bool) -> int:
    """Data-consistency findings (stale, contradicting prose, units, provenance, subtotals), one
    located line each: warnings, or errors (exit 3) with ``--strict``."""
    for p in res.findings:
        p.severity = "error" if strict else "warning"
        _stderr(str(p))
    return EXIT_INPUT if strict and res.findings else EXIT_OK


def cmd_watch(args: argparse.Namespace) -> int:
    from briefgen.watch import watch

    spec = Path(args.spec)
    if not spec.is_file():
        raise BriefError.at("brief spec not found", file=str(spec), exit_code=EXIT_USAGE)
    if args.interval <= 0:
        raise BriefError.at("--interval must be positive", file="--interval", exit_code=EXIT_USAGE)
    return watch(spec, Path(args.output), _formats(args), _overrides(args), _reporter(args),
                 interval=args.interval, lock_timeout=args.lock_timeout)


def cmd_list(args: argparse.Namespace) -> int:
    from briefgen.figures import change_text, value_text
    from briefgen.sourcepack import load_pack

    pack = load_pack(Path(args.source))
    m = pack.meta
    print(f"{m.title}")
    print(f"  {m.publisher} {m.date or ''}  id: {m.id}")
    print("\nsections:")
    for sid, fs in pack.sections.items():
        indent = "  " * fs.depth
        sub = f" — {fs.section.subtitle}" if fs.section.subtitle else ""
        print(f"{indent}{sid:<24} {fs.section.title}{sub}")
    print(f"\nfigures ({len(pack.figures)}):")
    for fid, f in pack.figures.items():
        ch = change_text(f.change)
        print(f"  {fid:<34} {f.label} {value_text(f)}{'，' + ch if ch else ''}  [{f.period}]")
    if pack.indicators:
        print(f"\nperiod data ({len(pack.indicators)} indicators; use id, id@2026-09 or id@-1):")
        for iid, ind in pack.indicators.items():
            pts = sorted(pack.series.get(iid, {}))
            span = f"{pts[0]}..{pts[-1]}, {len(pts)} values" if pts else "no values"
            print(f"  {iid:<34} {ind.label}（{ind.unit}）  [{span}]")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from briefgen.spec import json_schema

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_fonts(args: argparse.Namespace) -> int:
    from briefgen.build import font_book
    from briefgen.fonts.book import format_report
    from briefgen.theme import load_theme

    theme = load_theme(args.theme, Path.cwd())
    print(format_report(font_book(theme, on_message=_stderr)))
    return EXIT_OK


def cmd_themes(args: argparse.Namespace) -> int:
    from briefgen.theme import builtin_themes, load_theme

    for name in builtin_themes():
        print(f"{name:<10} {load_theme(name).description}")
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from briefgen.atomic import write_all_atomic
    from briefgen.ingest import Normalise, ingest_files, render, report

    keep = set(args.keep or [])
    opts = Normalise(punctuation="punctuation" not in keep, spaces="spaces" not in keep,
                     digits="digits" not in keep)
    result = ingest_files([Path(f) for f in args.files], args.id_prefix, args.pack_id or "", opts)
    text = render(result)
    if not args.output:
        sys.stdout.write(text)
        _stderr(report(result))
        return EXIT_OK
    out = Path(args.output)
    if out.exists() and not args.force:
        raise BriefError.at("output exists; ingest writes a fresh draft", file=str(out),
                            hint="choose another -o or pass --force to replace it", exit_code=EXIT_USAGE)
    write_all_atomic({out: text.encode("utf-8")})
    print(report(result, str(out)))
    return EXIT_OK


def parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(
        prog="briefgen", description="Turn YAML brief specs into Chinese official-style DOCX and PDF.",
        epilog=EPILOG,
    )
    ap.add_argument("--version", action="version", version=f"briefgen {__version__}")
    ap.add_argument("--debug", action="store_true", help="show tracebacks for errors")
    sub = ap.add_subparsers(dest="command", metavar="COMMAND")

    def add_common(p: argparse.ArgumentParser, many: bool = True) -> None:
        if many:
            p.add_argument("specs", nargs="+", metavar="SPEC", help="brief spec files or folders of them")
        p.add_argument("-o", "--output", default="output", help="output folder (default: output)")
        p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a spec field, e.g. date=2022-10-01")
        p.add_argument("--period", metavar="PERIOD",
                       help="reporting period: 2026-10, 2026-Q3, 2026, last-month, this-month, "
                            "last-quarter, this-quarter, last-year, this-year (same as --set period=…)")

    def add_logging(p: argparse.ArgumentParser) -> None:
        p.add_argument("-q", "--quiet", action="store_true", help="errors and warnings only: no progress bar, no summary line")
        p.add_argument("-v", "--verbose", action="store_true", help="also log one line per brief")
        p.add_argument("--no-progress", action="store_true", help="no progress bar on a terminal")
        p.add_argument("--lock-timeout", type=float, default=600.0, metavar="SECONDS",
                       help="wait this long for another run using the output folder (default: 600), then exit 4")

    def add_safety(p: argparse.ArgumentParser, strict: bool = True) -> None:
        # hardening: confinement, limits, text policy (see README "安全与限制 / Safety and limits")
        g = p.add_argument_group("safety and limits")
        g.add_argument("--allow-root", action="append", metavar="DIR", default=[],
                       help="also read inputs from DIR (default: the brief's folder, its project root, -o)")
        g.add_argument("--limit", action="append", metavar="NAME=VALUE", default=[],
                       help="change a limit, e.g. pages=500 (names: " + ", ".join(limits.HELP) + ")")
        g.add_argument("--timeout", type=float, metavar="SECONDS",
                       help=f"seconds to render one brief (default {limits.Limits.timeout:g}; isolated renders)")
        g.add_argument("--max-memory-mb", type=int, metavar="MB",
                       help=f"memory for rendering one brief (default {limits.Limits.memory_mb}; isolated renders)")
        g.add_argument("--isolate", action=argparse.BooleanOptionalAction, default=None,
                       help="render each brief in a child process with the time and memory limits "
                            "(default: on when standard error is not a terminal, or with --timeout/--max-memory-mb)")
        if strict:
            g.add_argument("--strict", action="store_true",
                           help="characters XML cannot hold and bidi controls are errors, not replaced")

    p = sub.add_parser("build", help="render briefs to DOCX and PDF", epilog=EPILOG)
    add_common(p)
    add_safety(p)
    p.add_argument("-f", "--formats", help="comma-separated formats (default: the spec's), e.g. docx,pdf")
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                   help="worker processes (default 0: one per CPU; 1: build in this process)")
    p.add_argument("--force", action="store_true", help="rebuild even briefs the manifest shows up to date")
    p.add_argument("--json", action="store_true", help="print the run summary as JSON on standard output")
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help="render on a Dask cluster, e.g. tcp://host:8786 (needs briefgen[distributed])")
    add_logging(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("check", help="validate briefs without writing anything", epilog=EPILOG)
    add_common(p)
    p.add_argument("--strict", action="store_true",
                   help="data findings (stale figures, numbers contradicting figures, units, provenance) are errors; "
                        "so are characters XML cannot hold and bidi controls")
    add_safety(p, strict=False)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("watch", help="rebuild one brief whenever it or its inputs change (Ctrl-C stops)",
                       epilog=EPILOG)
    p.add_argument("spec", metavar="SPEC", help="brief spec file")
    add_common(p, many=False)
    add_safety(p)
    p.add_argument("-f", "--formats", help="comma-separated formats (default: the spec's)")
    p.add_argument("--interval", type=float, default=0.5, metavar="SECONDS",
                   help="how often to look for changes (default: 0.5)")
    add_logging(p)
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("list", help="show a source pack's section ids and figures")
    p.add_argument("source", help="source pack YAML")
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("schema", help="print the JSON Schema of brief specs")
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("fonts", help="show which font file serves each role, and why")
    p.add_argument("--theme", default="gongwen", help="theme name or path (default: gongwen)")
    p.set_defaults(func=cmd_fonts)

    p = sub.add_parser("themes", help="list built-in themes")
    p.set_defaults(func=cmd_themes)

    p = sub.add_parser("ingest", help="draft a source pack from .txt/.md/.docx/.html articles", epilog=EPILOG)
    p.add_argument("files", nargs="+", metavar="FILE", help="article files (.txt, .md, .docx, .html)")
    p.add_argument("-o", "--output", metavar="PACK", help="source pack YAML to write (default: standard output)")
    p.add_argument("--id-prefix", action="append", metavar="ID",
                   help="top-level section id for each file, in order (default with several files: file names)")
    p.add_argument("--pack-id", metavar="ID", help="meta.id of the pack (default: from the first file name)")
    p.add_argument("--keep", action="append", choices=("punctuation", "spaces", "digits"),
                   help="keep the original form instead of normalising it (repeatable)")
    p.add_argument("--force", action="store_true", help="replace an existing output file")
    p.set_defaults(func=cmd_ingest)
    return ap


def _configure_policy(args: argparse.Namespace) -> None:
    """The run's limits, allowed roots and text policy from the flags (inherited by worker processes)."""
    try:
        lim = limits.with_limits(limits.Limits(), list(args.limit))
        if args.timeout is not None:
            lim = limits.with_limits(lim, [f"timeout={args.timeout}"])
        if args.max_memory_mb is not None:
            lim = limits.with_limits(lim, [f"memory_mb={args.max_memory_mb}"])
    except ValueError as e:
        raise BriefError.at(str(e), file="--limit", exit_code=EXIT_USAGE) from None
    isolate = args.isolate
    if isolate is None:
        isolate = (args.timeout is not None or args.max_memory_mb is not None
                   or args.command != "watch" and not sys.stderr.isatty())
    roots = [str(Path(r).resolve()) for r in args.allow_root]
    for r, given in zip(roots, args.allow_root, strict=True):
        if not Path(r).is_dir():
            raise BriefError.at("--allow-root must name an existing folder", file=given, exit_code=EXIT_USAGE)
    roots.append(str(Path(args.output).resolve()))
    limits.configure(limits.Policy(lim, bool(getattr(args, "strict", False)), tuple(roots), bool(isolate)))


def main(argv: Sequence[str] | None = None) -> int:
    ap = parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0) if e.code in (0, None) else EXIT_USAGE
    if not getattr(args, "command", None):
        ap.print_help(sys.stderr)
        return EXIT_USAGE
    if args.debug:
        os.environ["BRIEFGEN_DEBUG"] = "1"  # worker processes print tracebacks too
    try:
        if hasattr(args, "allow_root"):
            _configure_policy(args)
        code: int = args.func(args)
        return code
    except BriefError as e:
        if args.debug:
            traceback.print_exc()
        for p in e.problems:
            _stderr(str(p))
        return e.exit_code
    except KeyboardInterrupt:
        _stderr("interrupted")
        return 130
    except Exception as e:  # noqa: BLE001 - the last line of defence: no traceback for users
        if args.debug:
            traceback.print_exc()
        _stderr(f"briefgen: internal error: {type(e).__name__}: {e} (run with --debug and report it)")
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["EXIT_INPUT", "main"]
