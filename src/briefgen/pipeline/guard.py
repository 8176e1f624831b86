"""Turn a brief's inputs and rendered document into checked ones: confinement, limits and the text policy.

``build`` calls these at fixed points: :func:`check_inputs` before any source, theme or template
is read; :func:`after_prepare` once everything is loaded (pack sizes, ``--strict``);
:func:`finish` on the composed document just before the writers (table sizes, a last
sanitizing pass over every string of the tree);
and :func:`expand_output` for the output name pattern (plain ``{name}`` placeholders only).
"""

from __future__ import annotations

import dataclasses
import os
import string
from pathlib import Path
from typing import TYPE_CHECKING, Any

from briefgen.errors import BriefError, LimitError, Problem
from briefgen.fonts.discover import system_font_dirs
from briefgen.i18n import _
from briefgen.inputs.confine import Roots, active, folder_refusals, refusal, roots_for, roots_hint
from briefgen.inputs.limits import current, limits, raise_hint
from briefgen.inputs.textsafe import refused, sanitize, scrub
from briefgen.inputs.yamlsafe import CHAR_REPLACED, Located, load_yaml_file
from briefgen.model.theme import THEME_DIR, follow_extends
from briefgen.pipeline.prepared import resolve_input
from briefgen.tree import Table, walk

if TYPE_CHECKING:
    from briefgen.model.spec import Brief
    from briefgen.pipeline.prepared import Prepared

_THEME_SUFFIXES = (".yaml", ".yml")


# ---------------------------------------------------------------------------- before reading


def _resolve(base: Path, ref: str, rebase: tuple[str, str] | None) -> Path:
    """The path as the brief names it (links not yet followed, so messages can show them)."""
    if rebase:
        return resolve_input(base, ref, rebase)
    return Path(os.path.normpath(base / ref)) if not Path(ref).is_absolute() else Path(ref)


def _font_dirs() -> tuple[str, ...]:

    return tuple(str(d) for d in system_font_dirs())


def _theme_chain(ref: str, base: Path, roots: Roots, located: Located) -> list[Problem]:
    """Check a user theme file, the files it ``extends`` and the font files they name (before reading each)."""
    problems: list[Problem] = []
    read: dict[Path, dict[str, Any]] = {}

    def parent_of(path: Path) -> object:
        return read[path].get("extends") if path in read else None

    try:
        for _step, path in follow_extends(ref, base, parent_of):
            if path.parent == THEME_DIR:
                break  # built-in themes are bundled
            why = refusal(path, roots)
            if why:
                problems.append(located.problem(("theme",), _("theme file {why}").format(why=why), roots_hint(roots),
                                                code="E-CONFINED"))
                break
            if not path.is_file():
                break  # load_theme reports it
            data = load_yaml_file(path).data
            if not isinstance(data, dict):
                break
            read[path] = data
            problems += _font_file_refusals(path, data.get("font_files"), roots, located)
    except BriefError:
        pass  # unreadable file, unknown name, loop: load_theme reports it
    return problems


def _font_file_refusals(theme: Path, fonts: object, roots: Roots, located: Located) -> list[Problem]:
    problems: list[Problem] = []
    if not isinstance(fonts, dict):
        return problems
    for role, raw in fonts.items():
        if not isinstance(raw, str) or not raw.strip():
            continue
        text = raw.strip()
        font = Path(text).expanduser()
        head, _sep, tail = text.rpartition("#")
        if head and tail.isdigit() and not font.exists():
            font = Path(head).expanduser()
        why = refusal(font, roots, extra=_font_dirs())
        if why:
            problems.append(located.problem(
                ("theme",), f"{theme}: font_files.{role}: {why}",
                roots_hint(roots) + _(" (system font folders are allowed too)"), code="E-CONFINED"))
    return problems


def check_inputs(brief: Brief, located: Located, base: Path,
                 rebase: tuple[str, str] | None = None) -> list[Problem]:
    """Every path the brief names, checked against its roots before anything is opened.

    Source packs, the theme file and its ``extends`` chain, the theme's font files, and the
    template folders (including every entry in them: links out of the roots, FIFOs and devices
    are refused, since the manifest hashes every template file).
    """
    roots = active() or roots_for(Path(located.file), rebase)
    problems: list[Problem] = []
    hint = roots_hint(roots)
    for name, ref in brief.sources.items():
        why = refusal(_resolve(base, ref, rebase), roots)
        if why:
            problems.append(located.problem(("sources", name), _("source pack {why}").format(why=why), hint,
                                            code="E-CONFINED"))
    theme_ref = brief.theme
    if theme_ref.endswith(_THEME_SUFFIXES):
        if rebase:
            theme_ref = str(_resolve(base, theme_ref, rebase))
        problems.extend(_theme_chain(theme_ref, base, roots, located))
    for k, ref in enumerate(brief.templates):
        folder = _resolve(base, ref, rebase)
        why = refusal(folder, roots, kind="folder")
        if why:
            problems.append(located.problem(("templates", k), _("template folder {why}").format(why=why), hint,
                                            code="E-CONFINED"))
        elif folder.is_dir():
            for line in folder_refusals(folder, roots):
                problems.append(located.problem(("templates", k), _("template folder entry {what}").format(what=line),
                                                hint, code="E-CONFINED"))
    return problems


# ---------------------------------------------------------------------------- after loading


def _count_sections(sections: list[Any]) -> int:
    return sum(1 + _count_sections(s.children) for s in sections)


def input_warnings(prep: Prepared, overrides: list[str] | None = None) -> list[Problem]:
    """Located replacements of characters in the spec, its packs, its theme files and ``--set`` values."""
    out: list[Problem] = list(prep.located.warnings)
    for pack in prep.packs.values():
        out.extend(pack.located.warnings)
    user_files: list[Located] = []

    def parent_of(path: Path) -> object:
        if path.parent == THEME_DIR:
            return None  # built-in themes hold no replaced characters
        try:
            user_files.append(load_yaml_file(path))
        except BriefError:
            return None
        data = user_files[-1].data
        return data.get("extends") if isinstance(data, dict) else None

    try:
        for _step in follow_extends(prep.brief.theme, prep.base, parent_of):
            pass
    except BriefError:
        pass  # load_theme reported it
    for theme_loc in user_files:
        out.extend(theme_loc.warnings)
    for item in overrides or []:
        _clean, issues = sanitize(item)
        out.extend(Problem(i, "--set", path=item.split("=", 1)[0], severity="warning") for i in issues)
    return out


def after_prepare(prep: Prepared, overrides: list[str] | None = None) -> None:
    """Pack size limits, and ``--strict``: replaced characters in any input are errors (exit 3)."""
    lim = limits()
    problems: list[Problem] = []
    for pack in prep.packs.values():
        loc = pack.located
        n = _count_sections(pack.pack.sections)
        if n > lim.sections:
            line, col = loc.where(("sections",), key=True)
            problems.append(Problem(_("{n} sections, over the limit sections={limit}").format(n=n, limit=lim.sections),
                                    loc.file, line, col, "sections", raise_hint("sections"), code="E-LIMIT"))
        nf = len(pack.pack.figures)
        if nf > lim.figures:
            line, col = loc.where(("figures",), key=True)
            problems.append(Problem(_("{n} figures, over the limit figures={limit}").format(n=nf, limit=lim.figures),
                                    loc.file, line, col, "figures", raise_hint("figures"), code="E-LIMIT"))
    if problems:
        raise LimitError(problems)
    if current().strict:
        # replaced characters only: hints such as W-YAML11-BOOL stay warnings
        found = [p for p in input_warnings(prep, overrides) if p.code in ("", CHAR_REPLACED)]
        for p in found:
            p.severity = "error"
            p.message = refused(p.message)
            if p.hint == "":
                p.hint = _("--strict refuses characters XML cannot hold and bidi controls")
        if found:
            raise BriefError(found)


# ---------------------------------------------------------------------------- before writing


def check_document(document: Any, file: str) -> None:
    """Table rows and cell lengths within their limits."""
    lim = limits()
    problems: list[Problem] = []
    for table in (b for b in walk(document.blocks) if isinstance(b, Table)):
        rows = len(table.rows)
        caption = f" ({table.caption[:30]})" if table.caption else ""
        if rows > lim.table_rows:
            problems.append(Problem(_("table{caption} has {rows} rows, over the limit table_rows={limit}").format(
                                        caption=caption, rows=rows, limit=lim.table_rows),
                                    file, hint=raise_hint("table_rows"), code="E-LIMIT"))
        for row in table.rows:
            for cell in row:
                if len(cell.text) > lim.cell_chars:
                    problems.append(Problem(
                        _("table{caption} cell {cell!r}… has {n} characters, over the limit cell_chars={limit}").format(
                            caption=caption, cell=cell.text[:20], n=len(cell.text), limit=lim.cell_chars),
                        file, hint=raise_hint("cell_chars"), code="E-LIMIT"))
                    break
    if problems:
        raise LimitError(problems[:20])


def finish(prep: Prepared, composed: Any, overrides: list[str] | None = None) -> list[str]:
    """Check the composed document and make every string in it XML-safe; the warnings to report.

    Warnings: located replacements in the inputs, in template output, then any left in the tree
    (text from ``--set``, CSV data or generated text). With ``--strict`` the last two are errors.
    """
    file = str(prep.spec_path)
    check_document(composed.document, file)
    strict = current().strict
    late = scrub(composed.document, "document")
    if strict and late:
        raise BriefError([Problem(refused(i), file, hint=_("--strict refuses characters XML cannot hold"))
                          for i in late[:20]])
    # reported as "<spec>: warning: <file:line:col>: <field>: …", so without a second "warning:"
    out = [str(dataclasses.replace(p, severity="error")) for p in input_warnings(prep, overrides)]
    out.extend(prep.templates.warnings)
    out.extend(late)
    return out


# ---------------------------------------------------------------------------- output names


def expand_output(pattern: str, values: dict[str, str]) -> str:
    """``{slug}.{ext}`` with ``values``; only plain placeholders (no attributes, indexes, specs)."""
    out: list[str] = []
    try:
        parsed = list(string.Formatter().parse(pattern))
    except ValueError as e:
        raise ValueError(str(e)) from None
    for literal, name, spec, conversion in parsed:
        out.append(literal)
        if name is None:
            continue
        if spec or conversion:
            raise ValueError(_("{{{name}}}: format specs and conversions are not allowed").format(name=name))
        if name not in values:
            raise ValueError(_("unknown placeholder {{{name}}}").format(name=name))
        out.append(values[name])
    return "".join(out)
