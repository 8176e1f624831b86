"""Turn command-line arguments into builds, checks and listings; map errors to one-line messages and exit codes."""

from __future__ import annotations

import argparse
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from briefgen import __version__
from briefgen.errors import EXIT_INPUT, EXIT_INTERNAL, EXIT_OK, EXIT_USAGE, BriefError

EPILOG = """exit codes: 0 ok · 2 usage · 3 invalid input · 4 file I/O · 5 limit exceeded · 70 internal error"""


def _expand_specs(items: list[str]) -> list[Path]:
    out: list[Path] = []
    for item in items:
        p = Path(item)
        if p.is_dir():
            out.extend(sorted(q for q in p.glob("*.y*ml") if q.suffix in (".yaml", ".yml")))
        else:
            out.append(p)
    return out


def _stderr(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def cmd_build(args: argparse.Namespace) -> int:
    from briefgen.build import build

    formats = [f.strip() for f in args.formats.split(",") if f.strip()] if args.formats else None
    specs = _expand_specs(args.specs)
    if not specs:
        raise BriefError.at("no brief specs found", file=" ".join(args.specs), exit_code=EXIT_USAGE)
    failed = 0
    worst = EXIT_OK
    for spec in specs:
        try:
            res = build(spec, Path(args.output), formats, args.set or [], on_message=_stderr)
        except BriefError as e:
            failed += 1
            worst = max(worst, e.exit_code)
            for p in e.problems:
                _stderr(str(p))
            continue
        for w in res.warnings:
            _stderr(f"{spec}: warning: {w}")
        if not args.quiet:
            outs = ", ".join(str(p) for p in res.outputs.values())
            print(f"built {spec} → {outs} ({res.seconds:.2f} s)")
    return worst if failed else EXIT_OK


def cmd_check(args: argparse.Namespace) -> int:
    from briefgen.build import build

    worst = EXIT_OK
    for spec in _expand_specs(args.specs):
        try:
            res = build(spec, Path(args.output), None, args.set or [], on_message=_stderr, write=False)
        except BriefError as e:
            worst = max(worst, e.exit_code)
            for p in e.problems:
                _stderr(str(p))
            continue
        for w in res.warnings:
            _stderr(f"{spec}: warning: {w}")
        note = f", {res.punctuation_changes} punctuation marks normalised" if res.punctuation_changes else ""
        print(f"ok {spec}{note}")
    return worst


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

    def add_common(p: argparse.ArgumentParser) -> None:
        p.add_argument("specs", nargs="+", metavar="SPEC", help="brief spec files or folders of them")
        p.add_argument("-o", "--output", default="output", help="output folder (default: output)")
        p.add_argument("--set", action="append", metavar="KEY=VALUE", help="override a spec field, e.g. date=2022-10-01")

    p = sub.add_parser("build", help="render briefs to DOCX and PDF", epilog=EPILOG)
    add_common(p)
    p.add_argument("-f", "--formats", help="comma-separated formats (default: the spec's), e.g. docx,pdf")
    p.add_argument("-q", "--quiet", action="store_true", help="print errors and warnings only")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("check", help="validate briefs without writing anything", epilog=EPILOG)
    add_common(p)
    p.set_defaults(func=cmd_check)

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


def main(argv: Sequence[str] | None = None) -> int:
    ap = parser()
    try:
        args = ap.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0) if e.code in (0, None) else EXIT_USAGE
    if not getattr(args, "command", None):
        ap.print_help(sys.stderr)
        return EXIT_USAGE
    try:
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
