"""Turn a brief spec path into a Prepared brief: the spec, its source packs, theme and templates, all checked."""

from __future__ import annotations

from pathlib import Path

from briefgen.compose.templating import Templates
from briefgen.errors import BriefError, Problem
from briefgen.inputs import confine
from briefgen.inputs.filecache import FileCache, stat_key
from briefgen.inputs.validate import validate
from briefgen.inputs.yamlsafe import load_yaml_file
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
            return _THEMES.get(files[0], lambda _: load_theme(ref, base), extends)
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
        path = resolve_input(base, ref, rebase)
        if not path.is_file():
            problems.append(located.problem(("sources", name), f"source pack not found: {ref}",
                                            "paths are relative to the brief file"))
            continue
        try:
            packs[name] = load_pack_cached(path, brief.period, brief.vars)
        except BriefError as e:
            problems.extend(e.problems)
    theme: Theme | None = None
    theme_ref = brief.theme
    if rebase and theme_ref.endswith((".yaml", ".yml")):
        theme_ref = str(resolve_input(base, theme_ref, rebase))
    try:
        theme = load_theme_cached(theme_ref, base)
    except BriefError as e:
        for p in e.problems:
            if not p.file:
                p.file, (p.line, p.col), p.path = located.file, located.where(("theme",)), "theme"
        problems.extend(e.problems)
    folders: list[Path] = []
    for k, ref in enumerate(brief.templates):
        folder = resolve_input(base, ref, rebase)
        if not folder.is_dir():
            problems.append(located.problem(("templates", k), f"template folder not found: {ref}",
                                            "paths are relative to the brief file"))
        folders.append(folder)
    if problems or theme is None:
        raise BriefError(problems)
    return Prepared(spec_path, located, brief, packs, theme, Templates(folders))
