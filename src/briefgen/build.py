"""Turn a brief spec path into written outputs: load → sources → templates → tree → writers → files."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen import confine, guard
from briefgen.atomic import write_all_atomic
from briefgen.compose import Composed, Composer
from briefgen.errors import BriefError, Problem, available, suggest
from briefgen.gcpolicy import relaxed_gc
from briefgen.pdfid import with_content_id
from briefgen.sourcepack import LoadedPack, load_pack
from briefgen.spec import Brief
from briefgen.templating import Templates
from briefgen.theme import Theme, load_theme
from briefgen.tree import document_text
from briefgen.validate import validate
from briefgen.writers import WRITERS, get_writer
from briefgen.writers.context import RenderContext
from briefgen.yamlsafe import Located, load_yaml_file

if TYPE_CHECKING:
    from briefgen.fonts.book import FontBook

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}
_BAD_NAME_CHARS = re.compile(r'[\x00-\x1f<>:"|?*\\]')


@dataclass
class Prepared:
    """A loaded, validated brief with everything it refers to."""

    spec_path: Path
    located: Located
    brief: Brief
    packs: dict[str, LoadedPack]
    theme: Theme
    templates: Templates

    @property
    def base(self) -> Path:
        return self.spec_path.parent


@dataclass
class BuildResult:
    """What one build produced."""

    spec: Path
    outputs: dict[str, Path] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    seconds: float = 0.0
    punctuation_changes: int = 0
    findings: list[Problem] = field(default_factory=list)  # data consistency (briefgen check)


@dataclass
class Rendered:
    """One brief rendered in memory: the prepared inputs, target paths and the bytes per format."""

    prep: Prepared
    formats: list[str]
    targets: dict[str, Path]
    data: dict[str, bytes]
    warnings: list[str]
    timestamp: datetime
    fonts: FontBook
    seconds: float
    punctuation_changes: int
    findings: list[Problem] = field(default_factory=list)  # data consistency (briefgen check)


def apply_overrides(located: Located, overrides: list[str]) -> None:
    """Apply ``--set key.sub=value`` overrides to the loaded spec data."""
    for item in overrides:
        if "=" not in item:
            raise BriefError.at(f"--set {item!r}: expected key=value", file="--set", exit_code=2)
        key, value = item.split("=", 1)
        parts = [p for p in key.strip().split(".") if p]
        if not parts:
            raise BriefError.at(f"--set {item!r}: empty key", file="--set", exit_code=2)
        if located.data is None:
            located.data = {}
        cur = located.data
        for p in parts[:-1]:
            if not isinstance(cur.get(p), dict):
                cur[p] = {}
            cur = cur[p]
        cur[parts[-1]] = value


def _resolve_input(base: Path, ref: str, rebase: tuple[str, str] | None = None) -> Path:
    path = (base / ref).resolve() if not Path(ref).is_absolute() else Path(ref).resolve()
    if rebase:
        old, new = rebase
        try:
            return Path(new) / path.relative_to(old)
        except ValueError:
            return path
    return path


# Per-process caches keyed by file content (so an edited file is always re-read): a batch of many
# briefs sharing one source pack parses it once per worker process.
_PACKS: dict[tuple[str, str], LoadedPack] = {}
_THEMES: dict[tuple[str, str, tuple[tuple[str, str], ...]], Theme] = {}
_CACHE_LIMIT = 256


def _content_key(path: Path) -> str:
    from briefgen.manifest import sha256_file

    try:
        return sha256_file(path)
    except OSError:
        return ""


def load_pack_cached(path: Path) -> LoadedPack:
    """``load_pack`` once per content: the same bytes at the same path give the same (read-only) pack."""
    key = (str(path), _content_key(path))
    if not key[1]:
        return load_pack(path)
    pack = _PACKS.get(key)
    changed = getattr(pack, "inputs_changed", None)  # data files the pack reads
    if pack is None or (changed is not None and changed()):
        pack = load_pack(path)
        if len(_PACKS) >= _CACHE_LIMIT:
            _PACKS.clear()
        _PACKS[key] = pack
    return pack


def load_theme_cached(ref: str, base: Path) -> Theme:
    """``load_theme`` once per content of every file in the theme's ``extends`` chain."""
    from briefgen.manifest import theme_files

    files = tuple((str(f), _content_key(f)) for f in theme_files(ref, base))
    if not files or any(not h for _, h in files):
        return load_theme(ref, base)
    key = (ref, str(base), files)
    theme = _THEMES.get(key)
    if theme is None:
        theme = load_theme(ref, base)
        if len(_THEMES) >= _CACHE_LIMIT:
            _THEMES.clear()
        _THEMES[key] = theme
    return theme


@relaxed_gc()
def prepare(
    spec_path: Path, overrides: list[str] | None = None, rebase: tuple[str, str] | None = None
) -> Prepared:
    """Load and validate the spec, its source packs, theme and templates (all problems at once).

    ``rebase=(old, new)`` maps input paths under folder ``old`` to the same place under ``new``:
    a cluster worker uses it for specs that name inputs by absolute path.
    Every file read stays inside the brief's allowed roots (:mod:`briefgen.confine`), and the
    packs are checked against the run's limits (:mod:`briefgen.guard`).
    """
    with confine.scope(spec_path, rebase):
        prep = _prepare(spec_path, overrides, rebase)
        guard.after_prepare(prep, overrides)
    return prep


def _prepare(
    spec_path: Path, overrides: list[str] | None = None, rebase: tuple[str, str] | None = None
) -> Prepared:
    located = load_yaml_file(spec_path)
    if located.data is not None and not isinstance(located.data, dict):
        raise BriefError.at("a brief spec must be a mapping of keys to values", file=str(spec_path), line=1)
    apply_overrides(located, overrides or [])
    brief = validate(Brief, located)
    base = spec_path.parent
    refused = guard.check_inputs(brief, located, base, rebase)  # before any input is opened
    if refused:
        raise BriefError(refused)
    problems: list[Problem] = []
    packs: dict[str, LoadedPack] = {}
    for name, ref in brief.sources.items():
        path = _resolve_input(base, ref, rebase)
        if not path.is_file():
            problems.append(located.problem(("sources", name), f"source pack not found: {ref}",
                                            "paths are relative to the brief file"))
            continue
        try:
            packs[name] = load_pack_cached(path)
        except BriefError as e:
            problems.extend(e.problems)
    theme: Theme | None = None
    theme_ref = brief.theme
    if rebase and theme_ref.endswith((".yaml", ".yml")):
        theme_ref = str(_resolve_input(base, theme_ref, rebase))
    try:
        theme = load_theme_cached(theme_ref, base)
    except BriefError as e:
        for p in e.problems:
            if not p.file:
                p.file, (p.line, p.col), p.path = located.file, located.where(("theme",)), "theme"
        problems.extend(e.problems)
    folders: list[Path] = []
    for k, ref in enumerate(brief.templates):
        folder = _resolve_input(base, ref, rebase)
        if not folder.is_dir():
            problems.append(located.problem(("templates", k), f"template folder not found: {ref}",
                                            "paths are relative to the brief file"))
        folders.append(folder)
    if problems or theme is None:
        raise BriefError(problems)
    return Prepared(spec_path, located, brief, packs, theme, Templates(folders))


def compose(prep: Prepared) -> Composed:
    composed = Composer(prep.brief, prep.located, prep.packs, prep.theme, prep.templates).compose()
    composed.warnings[:0] = guard.finish(prep, composed)  # table limits; no invalid character left
    return composed


def slug_of(prep: Prepared) -> str:
    return prep.brief.slug or prep.spec_path.stem


def output_paths(prep: Prepared, formats: list[str], out_dir: Path) -> dict[str, Path]:
    """Expand the output pattern per format and check every name is portable and inside out_dir."""
    b = prep.brief
    values = {"slug": slug_of(prep), "date": b.date.isoformat() if b.date else "", "issue": b.issue,
              "theme": prep.theme.name, "period": b.period}
    root = out_dir.resolve()
    out: dict[str, Path] = {}
    for fmt in formats:
        try:
            rel = guard.expand_output(b.output, {**values, "ext": fmt})
        except (KeyError, IndexError, ValueError) as e:
            raise BriefError([prep.located.problem(("output",), f"bad output pattern: {e}",
                                                   "placeholders: {slug} {ext} {date} {issue} {theme} {period}")]) from None
        parts = Path(rel).parts
        bad = ""
        if Path(rel).is_absolute() or rel.startswith(("/", "\\")):
            bad = "must be a relative path"
        elif any(p in ("..", ".") for p in parts):
            bad = "must not contain . or .. parts"
        else:
            for p in parts:
                stem = p.split(".")[0].upper()
                if stem in _WINDOWS_RESERVED:
                    bad = f"{p!r} is a reserved file name on Windows"
                elif _BAD_NAME_CHARS.search(p):
                    bad = f"{p!r} contains characters not allowed in file names"
                elif p.endswith((" ", ".")):
                    bad = f"{p!r} ends with a space or dot"
        if not bad and not rel.endswith(f".{fmt}"):
            bad = f"must end with .{fmt} (use {{ext}})"
        target = root / rel  # not resolved: a final-component link is refused when writing
        if not bad and os.path.commonpath([root, target.resolve()]) != str(root):
            bad = "escapes the output folder"
        if bad:
            raise BriefError([prep.located.problem(("output",), f"output name {rel!r} {bad}")])
        out[fmt] = target
    return out


def build_timestamp(brief: Brief) -> datetime:
    """The brief's date, else SOURCE_DATE_EPOCH, else today (midnight UTC): never the wall-clock time."""
    if brief.date:
        return datetime(brief.date.year, brief.date.month, brief.date.day, tzinfo=UTC)
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC)
    d = date.today()
    return datetime(d.year, d.month, d.day, tzinfo=UTC)


_FONTBOOKS: dict[str, Any] = {}


def font_book(theme: Theme, on_message: Any = None) -> FontBook:
    """One FontBook per theme per process, so fonts are resolved and parsed once."""
    from briefgen.fonts.book import FontBook

    key = theme.model_dump_json()
    if key not in _FONTBOOKS:
        _FONTBOOKS[key] = FontBook(theme, on_message=on_message)
    book: FontBook = _FONTBOOKS[key]
    return book


def check_glyphs(composed: Composed, fonts: FontBook, file: str, prep: Prepared | None = None) -> list[str]:
    """Characters no PDF font has: located warnings (drawn as 〓), or with --strict an error."""
    from briefgen.fonts.glyphcheck import missing_glyphs
    from briefgen.limits import current

    text = "".join(document_text(composed.document))
    inputs = [pack.path for pack in prep.packs.values()] if prep is not None else []
    return missing_glyphs(text, fonts, "fangsong", file=file, inputs=inputs, strict=current().strict)


def validate_formats(formats: list[str]) -> list[str]:
    for f in formats:
        if f not in WRITERS:
            raise BriefError.at(f"unknown format {f!r}", file="--formats",
                                hint=suggest(f, WRITERS) or available(WRITERS), exit_code=2)
    return formats


@relaxed_gc()
def render(
    spec_path: Path,
    out_dir: Path,
    formats: list[str] | None = None,
    overrides: list[str] | None = None,
    on_message: Any = None,
    timestamp: datetime | None = None,
    rebase: tuple[str, str] | None = None,
) -> Rendered:
    """Load, compose and render one brief in memory (nothing is written).

    ``timestamp`` (default: ``build_timestamp``) is the date written into file metadata; a batch
    passes the one it planned with, so a run crossing midnight stays consistent.
    """
    t0 = time.perf_counter()
    prep = prepare(spec_path, overrides, rebase)
    fmts = validate_formats(formats or list(prep.brief.formats))
    targets = output_paths(prep, fmts, out_dir)
    composed = compose(prep)
    fonts = font_book(prep.theme, on_message)
    glyph_warnings = check_glyphs(composed, fonts, str(spec_path), prep) if "pdf" in fmts else []
    stamp = timestamp or build_timestamp(prep.brief)
    ctx = RenderContext(prep.theme, fonts, stamp, [*composed.warnings, *glyph_warnings])
    data: dict[str, bytes] = {}
    for fmt in fmts:
        out = get_writer(fmt).render(composed.document, ctx)
        data[fmt] = with_content_id(out) if fmt == "pdf" else out
        if fmt == "pdf":
            guard.check_pdf(data[fmt], str(spec_path))
    return Rendered(prep, fmts, targets, data, ctx.warnings, stamp, fonts,
                    time.perf_counter() - t0, composed.punctuation_changes, composed.findings)


def build(
    spec_path: Path,
    out_dir: Path,
    formats: list[str] | None = None,
    overrides: list[str] | None = None,
    on_message: Any = None,
    write: bool = True,
) -> BuildResult:
    """Build one brief; nothing is written unless every requested format rendered."""
    r = render(spec_path, out_dir, formats, overrides, on_message)
    if write:
        write_all_atomic({r.targets[f]: r.data[f] for f in r.formats})
    return BuildResult(spec_path, r.targets, r.warnings, r.seconds, r.punctuation_changes, r.findings)
