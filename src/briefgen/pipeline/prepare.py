"""Turn a brief spec path into a Prepared brief: the spec, its source packs, theme and templates, all checked."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefgen.compose.templating import Templates
from briefgen.errors import BriefError, Problem, suggest_file
from briefgen.i18n import _
from briefgen.inputs import confine
from briefgen.inputs.filecache import FileCache, stat_key
from briefgen.inputs.validate import validate
from briefgen.inputs.yamlsafe import Located, load_yaml_file
from briefgen.model.sourcepack import LoadedPack, load_pack
from briefgen.model.spec import Brief
from briefgen.model.theme import Theme, load_theme, theme_files
from briefgen.pipeline import guard
from briefgen.pipeline.gcpolicy import relaxed_gc
from briefgen.pipeline.prepared import Prepared, apply_overrides, resolve_input

# Per-process caches keyed by file identity (an edited file is always re-read): a batch of many
# briefs sharing one source pack parses it once per worker process.
_PACKS: FileCache[LoadedPack] = FileCache(limit=256)
_THEMES: FileCache[Theme] = FileCache(limit=256)


def load_pack_cached(path: Path, period: str = "", variables: dict[str, str] | None = None) -> LoadedPack:
    """``load_pack`` once per file version: the same file gives the same (read-only) pack.

    ``period`` and ``variables`` (the brief's) are bound in a pack's database query; a pack
    reading a database is never reused (``inputs_changed``), so they need not be in the key."""
    try:
        pack = _PACKS.get(path, lambda p: load_pack(p, period, variables))
        if pack.inputs_changed():  # a data file the pack reads was edited, or it reads a database
            pack = load_pack(path, period, variables)
            _PACKS.put(path, pack)
        return pack
    except OSError:
        return load_pack(path, period, variables)  # gone or unreadable: load_pack reports it


def load_theme_cached(ref: str, base: Path) -> Theme:
    """``load_theme`` once per version of every file in the theme's ``extends`` chain."""
    files = theme_files(ref, base)
    try:
        if files:
            extends = (ref, str(base), tuple(stat_key(f) for f in files[1:]))
            return _THEMES.get(files[0], lambda _path: load_theme(ref, base), extends)
    except OSError:
        pass
    return load_theme(ref, base)


@relaxed_gc()
def prepare(
    spec_path: Path, overrides: list[str] | None = None, rebase: tuple[str, str] | None = None
) -> Prepared:
    """Load and validate the spec, its source packs, theme and templates (all problems at once).

    ``rebase=(old, new)`` maps input paths under folder ``old`` to the same place under ``new``:
    a cluster worker uses it for specs that name inputs by absolute path.
    Every file read stays inside the brief's allowed roots (:mod:`briefgen.inputs.confine`), and the
    packs are checked against the run's limits (:mod:`briefgen.pipeline.guard`).
    """
    with confine.scope(spec_path, rebase):
        prep = _prepare(spec_path, overrides, rebase)
        guard.after_prepare(prep, overrides)
    return prep


def _prepare(
    spec_path: Path, overrides: list[str] | None = None, rebase: tuple[str, str] | None = None
) -> Prepared:
    """Every problem of the spec, its packs, theme and templates in one error: a spec that does
    not validate still has its packs, theme and templates checked, from the values it gives."""
    located = load_yaml_file(spec_path)
    if located.data is not None and not isinstance(located.data, dict):
        raise BriefError.at(_("a brief spec must be a mapping of keys to values"), file=str(spec_path),
                            line=1, code="E-SPEC-NOT-MAPPING")
    apply_overrides(located, overrides or [])
    problems: list[Problem] = []
    brief: Brief | None = None
    try:
        brief = named = validate(Brief, located)
    except BriefError as e:
        problems.extend(e.problems)
        named = _named_inputs(located.data or {})
    base = spec_path.parent
    refused = guard.check_inputs(named, located, base, rebase)  # before any input is opened
    if refused:
        raise BriefError([*problems, *refused])
    packs: dict[str, LoadedPack] = {}
    for name, ref in named.sources.items():
        path = resolve_input(base, ref, rebase)
        if not path.is_file():
            problems.append(located.problem(
                ("sources", name), _("source pack not found: {path}").format(path=ref),
                suggest_file(ref, base) or _("paths are relative to the brief file"),
                code="E-FILE-NOT-FOUND"))
            continue
        try:
            packs[name] = load_pack_cached(path, brief.period if brief else "", brief.vars if brief else None)
        except BriefError as e:
            problems.extend(e.problems)
    theme = _theme(named.theme, base, rebase, located, problems)
    folders: list[Path] = []
    for k, ref in enumerate(named.templates):
        folder = resolve_input(base, ref, rebase)
        if not folder.is_dir():
            problems.append(located.problem(
                ("templates", k), _("template folder not found: {path}").format(path=ref),
                suggest_file(ref, base) or _("paths are relative to the brief file"),
                code="E-FILE-NOT-FOUND"))
        folders.append(folder)
    if problems or theme is None or brief is None:
        raise BriefError(problems)
    return Prepared(spec_path, located, brief, packs, theme, Templates(folders))


def _named_inputs(data: dict[str, Any]) -> Brief:
    """The packs, theme and templates an invalid spec names (the valid-looking ones), unvalidated."""
    sources = data.get("sources")
    theme = data.get("theme")
    templates = data.get("templates")
    return Brief.model_construct(
        sources={k: v for k, v in sources.items() if isinstance(v, str)} if isinstance(sources, dict) else {},
        theme=theme if isinstance(theme, str) else "gongwen",
        templates=[t for t in templates if isinstance(t, str)] if isinstance(templates, list) else [],
    )


def _theme(ref: str, base: Path, rebase: tuple[str, str] | None, located: Located,
           problems: list[Problem]) -> Theme | None:
    """The brief's theme, or None with its problems (located at the spec's ``theme`` when they have no file)."""
    if ref.endswith((".yaml", ".yml")):
        path = resolve_input(base, ref, rebase)
        if rebase:
            ref = str(path)
        if not path.is_file():
            problems.append(located.problem(
                ("theme",), _("theme file not found: {path}").format(path=ref),
                suggest_file(ref, base) or _("paths are relative to the brief file"),
                code="E-FILE-NOT-FOUND"))
            return None
    try:
        return load_theme_cached(ref, base)
    except BriefError as e:
        for p in e.problems:
            if not p.file:
                p.file, (p.line, p.col), p.path = located.file, located.where(("theme",)), "theme"
        problems.extend(e.problems)
    return None
