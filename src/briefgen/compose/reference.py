"""Turn a brief's (or theme's) ``reference_docx`` into template bytes for the DOCX writer and a theme whose page
follows the template (so the PDF uses the template's paper and margins too).

Problems are located at the field that names the template; what is taken from the template (page
size, margins) is reported as a warning so ``briefgen check`` shows it, and mapped style names that
the template lacks are errors with a suggestion.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefgen.errors import suggest
from briefgen.i18n import _
from briefgen.inputs.images import ImageError
from briefgen.inputs.refdocx import HeaderLine, ReferenceDocx, load_reference
from briefgen.model.theme import PAPER_MM, Margins, Theme
from briefgen.tree import Document, RunningLine


def load(c: Any) -> tuple[ReferenceDocx, dict[str, str], Theme] | None:
    """The template, the style mapping and the theme to render with (None: no template, or a problem)."""
    b, th = c.brief, c.theme
    if b.reference_docx:
        ref, base, path = b.reference_docx, Path(c.loc.file).parent, ("reference_docx",)
    elif th.reference_docx:
        ref = th.reference_docx
        base = Path(th.source_file).parent if th.source_file else Path(c.loc.file).parent
        path = ("theme",)
    else:
        return None
    try:
        r = load_reference(base / ref, c.images.roots())
    except ImageError as e:
        p = c.loc.problem(path, f"{ref}: {e.message}", e.hint)
        p.exit_code = e.exit_code
        c.problems.append(p)
        return None
    styles = {**th.reference_styles, **b.reference_styles}
    names = set(r.styles.values())
    for sid, name in b.reference_styles.items():
        if name not in names:
            c._problem(("reference_styles", sid), _("the template has no style named {name!r}").format(name=name),
                       suggest(name, names) or _("styles: {names}").format(names=", ".join(sorted(names)[:12])))
    _unmapped(r, ref, c.warnings)
    return r, styles, _theme_for(th, r, c.warnings, ref)


def apply(doc: Document, reference: tuple[ReferenceDocx, dict[str, str], Theme] | None) -> Theme | None:
    """Put the template into ``doc`` (bytes, style mapping, header/footer lines); the theme to render with."""
    if reference is None:
        return None
    r, doc.reference_docx, doc.reference_styles = reference[0], reference[0].data, reference[1]
    doc.page_header, doc.page_footer = _running(r.header), _running(r.footer)
    doc.header_mm, doc.footer_mm = r.header_mm, r.footer_mm
    return reference[2]


def _running(lines: tuple[HeaderLine, ...]) -> tuple[RunningLine, ...]:
    return tuple(RunningLine(ln.text, ln.align, ln.size_pt, ln.color, ln.role, ln.rule_pt, ln.rule_color)  # type: ignore[arg-type]
                 for ln in lines)


def _unmapped(r: ReferenceDocx, ref: str, warnings: list[str]) -> None:
    """``check`` shows what of the template's header and footer the PDF does not draw."""
    parts = {"header": _("page header"), "footer": _("page footer")}
    for item in r.unmapped:
        part, what = item.split(": ", 1)
        if what in ("field PAGE", "field NUMPAGES", "field SECTIONPAGES"):
            warnings.append(_("reference template {ref}: the page number in its {part} is not copied to the PDF, "
                              "which prints the theme's page numbers").format(ref=ref, part=parts[part]))
            continue
        thing = {"picture": _("a picture"), "text box": _("a text box")}.get(what) or _("the {name} field").format(
            name=what.removeprefix("field "))
        warnings.append(_("reference template {ref}: {what} in its {part} is not drawn in the PDF").format(
            ref=ref, what=thing, part=parts[part]))


def _theme_for(th: Theme, r: ReferenceDocx, warnings: list[str], ref: str) -> Theme:
    page = th.page
    size = page.size
    if r.page_mm is not None:
        match = [k for k, (w, h) in PAPER_MM.items() if abs(w - r.page_mm[0]) < 1 and abs(h - r.page_mm[1]) < 1]
        if match:
            size = match[0]  # type: ignore[assignment]
        else:
            warnings.append(_("reference template {ref}: paper {paper} mm is not A4/A3/B5 portrait; the PDF keeps {size}"
                              ).format(ref=ref, paper=f"{r.page_mm[0]:.0f}×{r.page_mm[1]:.0f}", size=page.size))
    margins = page.margins_mm
    if r.margins_mm is not None:
        t, bt, lf, rt = r.margins_mm
        margins = Margins(top=round(t, 1), bottom=round(bt, 1), left=round(lf, 1), right=round(rt, 1))
    if size == page.size and margins == page.margins_mm:
        return th
    m = margins
    warnings.append(_("reference template {ref}: page {size}, margins {margins} mm (top/bottom/left/right) used for "
                      "DOCX and PDF instead of the theme's").format(
                        ref=ref, size=size, margins=f"{m.top:g}/{m.bottom:g}/{m.left:g}/{m.right:g}"))
    new = th.model_copy(update={"page": page.model_copy(update={"size": size, "margins_mm": margins})})
    new._source_file = th.source_file
    return new
