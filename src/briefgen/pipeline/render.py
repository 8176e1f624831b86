"""Turn a brief spec path into written outputs: load → sources → templates → tree → writers → files."""

from __future__ import annotations

import os
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.atomic import write_all_atomic
from briefgen.compose.composer import Composed, Composer
from briefgen.errors import BriefError, Problem, available, suggest
from briefgen.fonts.book import FontBook
from briefgen.fonts.glyphcheck import missing_glyphs
from briefgen.formats import FORMATS
from briefgen.i18n import _
from briefgen.inputs import confine
from briefgen.inputs.limits import current
from briefgen.model.spec import Brief
from briefgen.model.theme import Theme
from briefgen.pipeline import guard
from briefgen.pipeline.gcpolicy import relaxed_gc
from briefgen.pipeline.prepare import prepare
from briefgen.pipeline.prepared import Prepared
from briefgen.tree import document_text
from briefgen.writers import get_writer
from briefgen.writers.context import RenderContext

if TYPE_CHECKING:
    from briefgen.fonts.book import FontBook

_WINDOWS_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)),
                     *(f"LPT{i}" for i in range(1, 10))}
_BAD_NAME_CHARS = re.compile(r'[\x00-\x1f<>:"|?*\\]')


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
            raise BriefError([prep.located.problem(
                ("output",), _("bad output pattern: {error}").format(error=e),
                _("placeholders: {names}").format(names="{slug} {ext} {date} {issue} {theme} {period}"),
                code="E-OUTPUT-NAME")]) from None
        parts = Path(rel).parts
        bad = ""
        if Path(rel).is_absolute() or rel.startswith(("/", "\\")):
            bad = _("must be a relative path")
        elif any(p in ("..", ".") for p in parts):
            bad = _("must not contain . or .. parts")
        else:
            for p in parts:
                stem = p.split(".")[0].upper()
                if stem in _WINDOWS_RESERVED:
                    bad = _("{name!r} is a reserved file name on Windows").format(name=p)
                elif _BAD_NAME_CHARS.search(p):
                    bad = _("{name!r} contains characters not allowed in file names").format(name=p)
                elif p.endswith((" ", ".")):
                    bad = _("{name!r} ends with a space or dot").format(name=p)
        if not bad and not rel.endswith(f".{fmt}"):
            bad = _("must end with .{fmt} (use {{ext}})").format(fmt=fmt)
        target = root / rel  # not resolved: a final-component link is refused when writing
        if not bad and os.path.commonpath([root, target.resolve()]) != str(root):
            bad = _("escapes the output folder")
        if bad:
            raise BriefError([prep.located.problem(("output",), _("output name {name!r} {why}").format(name=rel, why=bad),
                                                   code="E-OUTPUT-NAME")])
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

    key = theme.model_dump_json()
    if key not in _FONTBOOKS:
        _FONTBOOKS[key] = FontBook(theme, on_message=on_message)
    book: FontBook = _FONTBOOKS[key]
    return book


def check_glyphs(composed: Composed, fonts: FontBook, file: str, prep: Prepared | None = None) -> list[str]:
    """Characters no PDF font has: located warnings (drawn as 〓), or with --strict an error."""

    text = "".join(document_text(composed.document))
    inputs = [pack.path for pack in prep.packs.values()] if prep is not None else []
    return missing_glyphs(text, fonts, "fangsong", file=file, inputs=inputs, strict=current().strict)


def validate_formats(formats: list[str]) -> list[str]:
    for f in formats:
        if f not in FORMATS:
            raise BriefError.at(_("unknown format {name!r}").format(name=f), file="--formats",
                                hint=suggest(f, FORMATS) or available(FORMATS), exit_code=2, code="E-UNKNOWN-FORMAT")
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
    with confine.scope(spec_path, rebase):  # pictures and Word templates are read while composing
        composed = compose(prep)
    fonts = font_book(prep.theme, on_message)
    glyph_warnings = check_glyphs(composed, fonts, str(spec_path), prep) if "pdf" in fmts else []
    stamp = timestamp or build_timestamp(prep.brief)
    ctx = RenderContext(composed.theme or prep.theme, fonts, stamp,  # a template's page setup
                        [*composed.warnings, *glyph_warnings])
    data: dict[str, bytes] = {}
    for fmt in sorted(fmts, key=lambda f: f != "pdf"):  # the PDF first: the DOCX TOC caches its pages
        try:
            data[fmt] = get_writer(fmt).render(composed.document, ctx)
        except BriefError as e:
            for p in e.problems:
                p.file = p.file or str(spec_path)
            raise
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
