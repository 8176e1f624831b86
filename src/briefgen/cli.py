"""Turn command-line arguments into builds, checks and listings; map errors to one-line messages and exit codes."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import re
import sys
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen import __version__, i18n
from briefgen.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, BriefError, Problem
from briefgen.i18n import N_, _
from briefgen.inputs import limits

if TYPE_CHECKING:
    from briefgen.batch.logs import Reporter
    from briefgen.pipeline.render import BuildResult

EPILOG = N_("exit codes: 0 ok · 2 usage · 3 invalid input · 4 file I/O · 5 limit exceeded · 70 internal error "
            "· 141 output pipe closed")
EXIT_PIPE = 141  # 128 + SIGPIPE, as a shell reports a command whose reader went away
GROUP_MIN = 3  # findings alike in all but their subject: this many subjects or more print as one line


def _expand_specs(items: list[str]) -> list[Path]:
    from briefgen.batch.runner import expand_specs  # lazy: each command imports only its own stack

    return expand_specs(items)


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def _discard(msg: str) -> None:
    """``on_message`` for ``-q``: notices about this machine (fonts) are not shown."""


def _formats(args: argparse.Namespace) -> list[str] | None:
    from briefgen.pipeline.render import (  # lazy: each command imports only its own stack
        validate_formats,  # lazy: each command imports only its own stack
    )

    if not getattr(args, "formats", None):
        return None
    return validate_formats([f.strip() for f in args.formats.split(",") if f.strip()]) or None


def _overrides(args: argparse.Namespace) -> list[str]:
    """``--set`` values, then ``--period`` resolved against today (so a manifest records 2026-10)."""
    from briefgen.model.periods import parse_period  # lazy: each command imports only its own stack

    out = list(getattr(args, "set", None) or [])
    if getattr(args, "period", None):
        try:
            out.append(f"period={parse_period(args.period)}")
        except ValueError as e:
            raise BriefError.at(str(e), file="--period", exit_code=EXIT_USAGE, code="E-USAGE") from None
    return out


def _reporter(args: argparse.Namespace) -> Reporter:
    from briefgen.batch.logs import Reporter  # lazy: each command imports only its own stack

    level = logging.INFO if args.verbose and not args.quiet else logging.WARNING
    return Reporter(level=level, progress=not (args.quiet or args.no_progress), quiet=args.quiet)


def cmd_build(args: argparse.Namespace) -> int:
    from briefgen.batch.runner import (  # lazy: each command imports only its own stack
        BatchOptions,
        run_batch,
    )

    formats = _formats(args)
    overrides = _overrides(args)
    specs = _expand_specs(args.specs)
    if not specs:
        raise BriefError.at(_("no brief specs found"), file=" ".join(args.specs), exit_code=EXIT_USAGE,
                            code="E-USAGE")
    if args.jobs < 0:
        raise BriefError.at(_("-j must be 1 or more (0: one per CPU)"), file="-j", exit_code=EXIT_USAGE,
                            code="E-USAGE")
    if args.lock_timeout < 0:
        raise BriefError.at(_("--lock-timeout must not be negative"), file="--lock-timeout",
                            exit_code=EXIT_USAGE, code="E-USAGE")
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
    from briefgen.batch import isolate  # lazy: each command imports only its own stack
    from briefgen.batch.runner import (  # lazy: each command imports only its own stack
        find_collisions,  # lazy: each command imports only its own stack
    )
    from briefgen.compose.consistency import (  # lazy: each command imports only its own stack
        describe,  # lazy: each command imports only its own stack
    )
    from briefgen.pipeline.render import build  # lazy: each command imports only its own stack

    overrides = _overrides(args)
    worst = EXIT_OK
    claims: list[tuple[str, dict[str, str]]] = []
    seen: set[str] = set()

    def once(message: str) -> None:  # font substitutions: reported once per run, not per brief
        if message not in seen and not args.quiet:  # -q: nothing about this machine's fonts
            seen.add(message)
            _stderr(message)

    for spec in _expand_specs(args.specs):
        _resolve_fonts_here(spec, overrides, once)
        try:
            # on_message must be picklable for an isolated child: a module-level function
            res = isolate.call(build, spec, Path(args.output), None, overrides,
                               on_message=_discard if args.quiet else _stderr, write=False, label=str(spec))
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
                _stderr(f"{spec}: {_('warning')}: {w}")
        note = (_(", {n} punctuation marks normalised").format(n=res.punctuation_changes)
                if res.punctuation_changes else "")
        status = _("failed") if args.strict and res.findings else _("ok")
        if not args.quiet:
            print(f"{status} {spec}{note}")
    collisions = find_collisions(claims)
    for line in collisions:
        _stderr(line)
    return max(worst, EXIT_INPUT) if collisions else worst


def _resolve_fonts_here(spec: Path, overrides: list[str], on_message: Callable[[str], None]) -> None:
    """Resolve the brief's fonts in this process first, so substitution messages are printed once
    per run (an isolated child inherits the resolved FontBook and has nothing left to report)."""
    from briefgen.model.theme import CJK_ROLES  # lazy: each command imports only its own stack
    from briefgen.pipeline.prepare import prepare  # lazy: each command imports only its own stack
    from briefgen.pipeline.render import font_book  # lazy: each command imports only its own stack

    try:
        book = font_book(prepare(spec, overrides).theme, on_message)
        for role in CJK_ROLES:
            book.pdf_font(role)
    except BriefError:
        pass  # the build below reports every problem, located


def _report_findings(res: BuildResult, strict: bool) -> int:
    """Data-consistency findings (stale, contradicting prose, units, provenance, subtotals), one
    located line each: warnings, or errors (exit 3) with ``--strict``."""
    for p in res.findings:
        p.severity = "error" if strict else "warning"
    for p in group_alike(res.findings):
        _stderr(str(p))
    return EXIT_INPUT if strict and res.findings else EXIT_OK


def group_alike(problems: list[Problem]) -> list[Problem]:
    """Findings that differ only in their subject (the figure id a stale-figure warning names,
    say) as one line: ``27 × stale figure …: no data for 2026年11月 … — a, b, c …`` at the first
    one's place. Others are returned as they are, in their order."""
    groups: dict[tuple[str, str, str], list[Problem]] = {}
    for p in problems:
        subject = p.subject
        shape = p.message
        if subject:  # the subject as a whole word only: subject "a" must not change "data"
            shape = re.sub(rf"(?<![\w.@]){re.escape(subject)}(?![\w.@])", "…", shape.replace(repr(subject), "'…'"))
        groups.setdefault((p.machine_code, shape, p.hint), []).append(p)
    out: list[Problem] = []
    for (_code, shape, _hint), members in groups.items():
        subjects = list(dict.fromkeys(m.subject for m in members))
        if len(subjects) < GROUP_MIN or not members[0].subject:
            out.extend(members)  # one figure stale in several places: each place is worth its line
            continue
        shown = ", ".join(subjects[:8]) + (" …" if len(subjects) > 8 else "")
        first = members[0]
        out.append(Problem(_("{n} alike ({m} different): {message} — {subjects}").format(
                               n=len(members), m=len(subjects), message=shape, subjects=shown),
                           first.file, first.line, first.col, "", first.hint, first.severity,
                           code=first.code))
    return out


def cmd_watch(args: argparse.Namespace) -> int:
    from briefgen.batch.watch import watch  # lazy: each command imports only its own stack

    spec = Path(args.spec)
    if not spec.is_file():
        raise BriefError.at(_("brief spec not found"), file=str(spec), exit_code=EXIT_USAGE,
                            code="E-FILE-NOT-FOUND")
    if args.interval <= 0:
        raise BriefError.at(_("--interval must be positive"), file="--interval", exit_code=EXIT_USAGE,
                            code="E-USAGE")
    return watch(spec, Path(args.output), _formats(args), _overrides(args), _reporter(args),
                 interval=args.interval, lock_timeout=args.lock_timeout)


def cmd_preview(args: argparse.Namespace) -> int:
    from briefgen.preview.server import serve  # lazy: each command imports only its own stack

    spec = Path(args.spec)
    if not spec.is_file():
        raise BriefError.at("brief spec not found", file=str(spec), exit_code=EXIT_USAGE)
    if not 0 <= args.port <= 65535:
        raise BriefError.at("--port must be 0..65535 (0: a free port)", file="--port", exit_code=EXIT_USAGE)
    return serve(spec, Path(args.output), _overrides(args), port=args.port, open_browser=args.open,
                 on_url=lambda url: print(f"briefgen preview: {url} (Ctrl-C to stop)", flush=True))


def cmd_list(args: argparse.Namespace) -> int:
    from briefgen.compose.keyfig_tables import (  # lazy: each command imports only its own stack
        change_text,
        value_text,
    )
    from briefgen.model.sourcepack import load_pack  # lazy: each command imports only its own stack

    period = next((o.split("=", 1)[1] for o in _overrides(args) if o.startswith("period=")), "")
    pack = load_pack(Path(args.source), period)
    m = pack.meta
    print(f"{m.title}")
    print(f"  {m.publisher} {m.date or ''}  id: {m.id}")
    print("\n" + _("sections:"))
    for sid, fs in pack.sections.items():
        indent = "  " * fs.depth
        sub = f" — {fs.section.subtitle}" if fs.section.subtitle else ""
        print(f"{indent}{sid:<24} {fs.section.title}{sub}")
    print("\n" + _("figures ({n}):").format(n=len(pack.figures)))
    for fid, f in pack.figures.items():
        ch = change_text(f.change)
        where = " · ".join(x for x in (f.scope, f.period, f.kind if f.kind in ("target", "ranking") else "") if x)
        print(f"  {fid:<34} {f.label} {value_text(f)}{'，' + ch if ch else ''}  [{where}]")
    if pack.indicators:
        print("\n" + _("period data ({n} indicators; use id, id@2026-09 or id@-1):").format(n=len(pack.indicators)))
        for iid, ind in pack.indicators.items():
            pts = sorted(pack.series.get(iid, {}))
            span = _("{first}..{last}, {n} values").format(first=pts[0], last=pts[-1], n=len(pts)) if pts \
                else _("no values")
            print(f"  {iid:<34} {ind.label}（{ind.unit}）  [{span}]")
    return EXIT_OK


def cmd_schema(args: argparse.Namespace) -> int:
    from briefgen.model.spec import json_schema  # lazy: each command imports only its own stack

    print(json.dumps(json_schema(), ensure_ascii=False, indent=2))
    return EXIT_OK


def cmd_fonts(args: argparse.Namespace) -> int:
    from briefgen.fonts.book import format_report  # lazy: each command imports only its own stack
    from briefgen.model.theme import load_theme  # lazy: each command imports only its own stack
    from briefgen.pipeline.render import font_book  # lazy: each command imports only its own stack

    theme = load_theme(args.theme, Path.cwd())
    print(format_report(font_book(theme, on_message=_stderr)))
    return EXIT_OK


def cmd_themes(args: argparse.Namespace) -> int:
    from briefgen.model.theme import (  # lazy: each command imports only its own stack
        builtin_themes,
        load_theme,
    )

    for name in builtin_themes():
        print(f"{name:<10} {load_theme(name).description}")
    return EXIT_OK


def cmd_ingest(args: argparse.Namespace) -> int:
    from briefgen.atomic import write_all_atomic  # lazy: each command imports only its own stack
    from briefgen.ingest import (  # lazy: each command imports only its own stack
        Normalise,
        ingest_files,
        render,
        report,
    )

    keep = set(args.keep or [])
    opts = Normalise(punctuation="punctuation" not in keep, spaces="spaces" not in keep,
                     digits="digits" not in keep)
    date = None
    if args.date:
        try:
            date = dt.date.fromisoformat(args.date)
        except ValueError:
            _stderr(f"--date {args.date!r}: expected YYYY-MM-DD, e.g. --date 2025-11-03")
            return EXIT_INPUT
    result = ingest_files([Path(f) for f in args.files], args.id_prefix, args.pack_id or "", opts,
                          default_date=date)
    text = render(result)
    if not args.output:
        sys.stdout.write(text)
        _stderr(report(result))
        return EXIT_OK
    out = Path(args.output)
    if out.exists() and not args.force:
        raise BriefError.at(_("output exists; ingest writes a fresh draft"), file=str(out),
                            hint=_("choose another -o or pass --force to replace it"), exit_code=EXIT_USAGE,
                            code="E-USAGE")
    write_all_atomic({out: text.encode("utf-8")})
    print(report(result, str(out)))
    return EXIT_OK


class _Parser(argparse.ArgumentParser):
    """argparse with section headings ending in a full-width colon when they are Chinese (选项：)."""

    def format_help(self) -> str:
        return re.sub(r"^(\S[^\n]*[\u4e00-\u9fff]):$", r"\1：", super().format_help(), flags=re.M)


def _add_common(p: argparse.ArgumentParser, many: bool = True) -> None:
    if many:
        p.add_argument("specs", nargs="+", metavar="SPEC", help=_("brief spec files or folders of them"))
    p.add_argument("-o", "--output", default="output", help=_("output folder (default: output)"))
    p.add_argument("--set", action="append", metavar="KEY=VALUE", help=_("override a spec field, e.g. date=2022-10-01"))
    p.add_argument("--period", metavar="PERIOD",
                   help=_("reporting period: 2026-10, 2026-Q3, 2026, last-month, this-month, "
                        "last-quarter, this-quarter, last-year, this-year (same as --set period=…)"))


def _add_logging(p: argparse.ArgumentParser) -> None:
    p.add_argument("-q", "--quiet", action="store_true", help=_("errors and warnings only: no progress bar, no summary line"))
    p.add_argument("-v", "--verbose", action="store_true", help=_("also log one line per brief"))
    p.add_argument("--no-progress", action="store_true", help=_("no progress bar on a terminal"))
    p.add_argument("--lock-timeout", type=float, default=600.0, metavar="SECONDS",
                   help=_("wait this long for another run using the output folder (default: 600), then exit 4"))


def _add_safety(p: argparse.ArgumentParser, strict: bool = True) -> None:
    # hardening: confinement, limits, text policy (see README "安全与限制 / Safety and limits")
    g = p.add_argument_group(_("safety and limits"))
    g.add_argument("--allow-root", action="append", metavar="DIR", default=[],
                   help=_("also read inputs from DIR (default: the brief's folder, its project root, -o)"))
    g.add_argument("--limit", action="append", metavar="NAME=VALUE", default=[],
                   help=_("change a limit, e.g. pages=500 (names: {names})").format(names=", ".join(limits.HELP)))
    g.add_argument("--timeout", type=float, metavar="SECONDS",
                   help=_("seconds to render one brief (default {n}; isolated renders)").format(
                       n=f"{limits.Limits.timeout:g}"))
    g.add_argument("--max-memory-mb", type=int, metavar="MB",
                   help=_("memory for rendering one brief (default {n}; isolated renders)").format(
                       n=limits.Limits.memory_mb))
    g.add_argument("--isolate", action=argparse.BooleanOptionalAction, default=None,
                   help=_("render each brief in a child process with the time and memory limits "
                        "(default: on when standard error is not a terminal, or with --timeout/--max-memory-mb)"))
    if strict:
        g.add_argument("--strict", action="store_true",
                       help=_("characters XML cannot hold and bidi controls are errors, not replaced"))


def parser() -> argparse.ArgumentParser:
    ap = _Parser(
        prog="briefgen", description=_("Turn YAML brief specs into Chinese official-style DOCX and PDF."),
        epilog=_(EPILOG),
    )
    ap.add_argument("--version", action="version", version=f"briefgen {__version__}",
                    help=_("show program's version number and exit"))
    ap.add_argument("--debug", action="store_true", help=_("show tracebacks for errors"))
    ap.add_argument("--lang", choices=i18n.LANGUAGES, metavar="{en,zh}",
                    help=_("language of messages and help: zh (Chinese) or en (English); default: "
                           "BRIEFGEN_LANG, else LC_ALL / LC_MESSAGES / LANG"))
    sub = ap.add_subparsers(dest="command", metavar=_("COMMAND"), title=_("commands"))

    p = sub.add_parser("build", help=_("render briefs to DOCX and PDF"), epilog=_(EPILOG))
    _add_common(p)
    _add_safety(p)
    p.add_argument("-f", "--formats", help=_("comma-separated formats (default: the spec's), e.g. docx,pdf"))
    p.add_argument("-j", "--jobs", type=int, default=0, metavar="N",
                   help=_("worker processes (default 0: one per CPU; 1: build in this process)"))
    p.add_argument("--force", action="store_true", help=_("rebuild even briefs the manifest shows up to date"))
    p.add_argument("--json", action="store_true", help=_("print the run summary as JSON on standard output"))
    p.add_argument("--scheduler", metavar="ADDRESS",
                   help=_("render on a Dask cluster, e.g. tcp://host:8786 (needs briefgen[distributed])"))
    _add_logging(p)
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("check", help=_("validate briefs without writing anything"), epilog=_(EPILOG))
    _add_common(p)
    p.add_argument("-q", "--quiet", action="store_true",
                   help=_("only the errors and warnings about your files: no font notices, no ok lines"))
    p.add_argument("--strict", action="store_true",
                   help=_("data findings (stale figures, numbers contradicting figures, units, provenance) are errors; "
                        "so are characters XML cannot hold and bidi controls"))
    _add_safety(p, strict=False)
    p.set_defaults(func=cmd_check)

    p = sub.add_parser("watch", help=_("rebuild one brief whenever it or its inputs change (Ctrl-C stops)"),
                       epilog=_(EPILOG))
    p.add_argument("spec", metavar="SPEC", help=_("brief spec file"))
    _add_common(p, many=False)
    _add_safety(p)
    p.add_argument("-f", "--formats", help=_("comma-separated formats (default: the spec's)"))
    p.add_argument("--interval", type=float, default=0.5, metavar="SECONDS",
                   help=_("how often to look for changes (default: 0.5)"))
    _add_logging(p)
    p.set_defaults(func=cmd_watch)

    p = sub.add_parser("preview", help=_("show one brief as HTML beside its PDF pages in the browser, "
                       "updated on every edit (Ctrl-C stops)"), epilog=EPILOG)
    p.add_argument("spec", metavar="SPEC", help=_("brief spec file"))
    _add_common(p, many=False)
    _add_safety(p)
    p.add_argument("--port", type=int, default=0, help=_("port on 127.0.0.1 (default: a free one)"))
    p.add_argument("--open", action="store_true", help=_("open the page in the default browser"))
    p.set_defaults(func=cmd_preview)

    p = sub.add_parser("list", help=_("show a source pack's section ids and figures"))
    p.add_argument("source", help=_("source pack YAML"))
    p.add_argument("--period", help=_("period bound in a pack's database query (:period, :from, :to)"))
    p.set_defaults(func=cmd_list)

    p = sub.add_parser("schema", help=_("print the JSON Schema of brief specs"))
    p.set_defaults(func=cmd_schema)

    p = sub.add_parser("fonts", help=_("show which font file serves each role, and why"))
    p.add_argument("--theme", default="gongwen", help=_("theme name or path (default: gongwen)"))
    p.set_defaults(func=cmd_fonts)

    p = sub.add_parser("themes", help=_("list built-in themes"))
    p.set_defaults(func=cmd_themes)

    p = sub.add_parser("ingest", help=_("draft a source pack from .txt/.md/.docx/.html articles"), epilog=_(EPILOG))
    p.add_argument("files", nargs="+", metavar="FILE", help=_("article files (.txt, .md, .docx, .html)"))
    p.add_argument("-o", "--output", metavar="PACK", help=_("source pack YAML to write (default: standard output)"))
    p.add_argument("--id-prefix", action="append", metavar="ID",
                   help=_("top-level section id for each file, in order (default with several files: file names)"))
    p.add_argument("--pack-id", metavar="ID", help=_("meta.id of the pack (default: from the first file name)"))
    p.add_argument("--date", metavar="YYYY-MM-DD",
                   help=_("the document's date when it states none (今年, 一季度 … are read against it)"))
    p.add_argument("--keep", action="append", choices=("punctuation", "spaces", "digits"),
                   help=_("keep the original form instead of normalising it (repeatable)"))
    p.add_argument("--force", action="store_true", help=_("replace an existing output file"))
    p.set_defaults(func=cmd_ingest)
    for command in sub.choices.values():  # --lang and --debug are global, and accepted after the command too
        command.add_argument("--lang", choices=i18n.LANGUAGES, metavar="{en,zh}", default=argparse.SUPPRESS,
                             help=_("language of messages and help (zh or en)"))
        command.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                             help=_("show tracebacks for errors"))
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
        raise BriefError.at(str(e), file="--limit", exit_code=EXIT_USAGE, code="E-USAGE") from None
    isolate = args.isolate
    if isolate is None:
        isolate = (args.timeout is not None or args.max_memory_mb is not None
                   or args.command not in ("watch", "preview") and not sys.stderr.isatty())
    roots = [str(Path(r).resolve()) for r in args.allow_root]
    for r, given in zip(roots, args.allow_root, strict=True):
        if not Path(r).is_dir():
            raise BriefError.at(_("--allow-root must name an existing folder"), file=given, exit_code=EXIT_USAGE,
                                code="E-USAGE")
    roots.append(str(Path(args.output).resolve()))
    limits.configure(limits.Policy(lim, bool(getattr(args, "strict", False)), tuple(roots), bool(isolate)))


def _peek_lang(argv: Sequence[str]) -> str | None:
    """The ``--lang`` value, read before the parser exists (its help is in that language)."""
    for k, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and k + 1 < len(argv):
            return argv[k + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; standard output closed early by its reader (``| head``) ends it quietly
    with 141, as a shell reports a command stopped by SIGPIPE."""
    args_list = list(sys.argv[1:] if argv is None else argv)
    lang = _peek_lang(args_list)
    i18n.set_language(lang if lang in i18n.LANGUAGES else None, export=lang in i18n.LANGUAGES)
    try:
        code = _main(args_list)
        sys.stdout.flush()
        return code
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_PIPE


def run() -> None:
    """The ``briefgen`` command: :func:`main`, then leave the way :func:`leave` does."""
    leave(main())


def leave(code: int) -> None:
    """Exit with ``code`` without the interpreter's teardown when nothing else runs.

    Freeing every module and object at exit took ≈0.19 s of a 1.1 s cold build (median of 9,
    2 vCPU): longer than reading the workbook. The exit handlers still run (logging, multiprocessing
    finalisers, temporary folders) and the standard streams are flushed; every output was already
    closed and renamed into place. With another thread alive (a pool, a Dask client) the normal
    exit joins it instead, and under a profiler or tracer the interpreter exits normally too.
    """
    import atexit  # reason: only the command-line entry leaves this way
    import threading  # reason: as above

    run_handlers = getattr(atexit, "_run_exitfuncs", None)
    watched = sys.getprofile() is not None or sys.gettrace() is not None  # cProfile, coverage: they report on return
    if threading.active_count() > 1 or run_handlers is None or watched:
        raise SystemExit(code)
    run_handlers()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            _silence_stdout()
            code = code or EXIT_PIPE
        except (OSError, ValueError, AttributeError):
            pass
    os._exit(code)


def _silence_stdout() -> None:
    """Point standard output at the null device, so the interpreter's last flush cannot fail
    (and print ``Exception ignored … BrokenPipeError`` on standard error)."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError):
        pass


def _main(argv: list[str]) -> int:
    with i18n.argparse_messages():
        ap = parser()
        try:
            args = ap.parse_args(argv)
        except SystemExit as e:
            return int(e.code or 0) if e.code in (0, None) else EXIT_USAGE
    if not getattr(args, "command", None):
        with i18n.argparse_messages():
            ap.print_help(sys.stderr)
        return EXIT_USAGE
    if args.debug:
        os.environ["BRIEFGEN_DEBUG"] = "1"  # worker processes print tracebacks too
    try:
        if hasattr(args, "allow_root"):
            _configure_policy(args)
        code: int = args.func(args)
        return code
    except BrokenPipeError:
        raise
    except BriefError as e:
        if args.debug:
            traceback.print_exc()
        for p in e.problems:
            _stderr(str(p))
        return e.exit_code
    except KeyboardInterrupt:
        _stderr(_("interrupted"))
        return 130
    except Exception as e:  # noqa: BLE001 - the last line of defence: no traceback for users
        if args.debug:
            traceback.print_exc()
        _stderr(_("briefgen: internal error: {error} (run with --debug and report it)").format(
            error=f"{type(e).__name__}: {e}"))
        return EXIT_INTERNAL


if __name__ == "__main__":
    raise SystemExit(main())


__all__ = ["EXIT_INPUT", "main"]
