"""Turn a FontBook's resolution into role reports, the ``briefgen fonts`` text and a one-line substitution summary."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from briefgen.fonts.resolve import Why
from briefgen.fonts.roles import CJK_ROLES, ROLE_ZH, ROLES
from briefgen.i18n import _
from briefgen.model.theme import FontRole

if TYPE_CHECKING:
    from briefgen.fonts.book import FontBook


@dataclass
class RoleReport:
    """How one role was resolved, for ``briefgen fonts`` and build manifests."""

    role: FontRole
    role_zh: str
    docx_name: str
    file: Path
    subfont: int
    family: str
    why: Why
    reason: str  # human-readable "why": explicit / system alias X / bundled fallback …
    substitution: str = ""  # non-empty when the PDF font is not the font the role asks for
    needs_conversion: bool = False  # CFF outlines: glyphs converted to TrueType as used, cached
    skipped: list[str] = field(default_factory=list)  # candidates passed over, with reasons
    pdf_file: Path | None = None  # the TrueType file ReportLab loads (a skeleton for CFF), once known
    treatment: str = ""  # synthetic "bold"/"oblique" drawn from the outlines, or ""


def describe(book: FontBook) -> list[RoleReport]:
    """How each role resolved: file, subfont, family, why, and any substitution note."""
    reports: list[RoleReport] = []
    for role in ROLES:
        src = book.source(role)
        why, reason, note = book.why(role)
        reports.append(
            RoleReport(
                role=role,
                role_zh=ROLE_ZH[role],
                docx_name=book.docx_name(role),
                file=src.path,
                subfont=src.index,
                family=src.display,
                why=why,
                reason=reason,
                substitution=note,
                needs_conversion=src.cff,
                skipped=list(book.skipped(role)),
                pdf_file=book.prepared(src),
                treatment=src.treatment,
            )
        )
    return reports


def summary_line(book: FontBook) -> str:
    """One line naming every role whose PDF font stands in for the one the DOCX names, or ''."""
    subs = [r for r in describe(book) if r.role in CJK_ROLES and r.substitution
            and r.why in ("alias", "lookalike", "bundled")]
    if not subs:
        return ""
    parts = "; ".join(f"{r.role_zh} → {r.family}" for r in subs)
    return _("PDF fonts: {n} role(s) use stand-ins ({parts}); `briefgen fonts` lists why and what to install"
             ).format(n=len(subs), parts=parts)


def format_report(book: FontBook) -> str:
    """Text for ``briefgen fonts``: the plan, one block per role with file, family and why."""
    discovery = (
        _("on") if book.system_fonts else _("off (BRIEFGEN_NO_SYSTEM_FONTS or system_fonts=False)")
    )
    lines: list[str] = ["# " + _("system font discovery: {state}; font cache: {cache}").format(
        state=discovery, cache=book.cache_dir)]
    for rep in describe(book):
        sub = f" #{rep.subfont}" if rep.file.suffix.lower() in (".ttc", ".otc") else ""
        lines.append(f"{rep.role} {rep.role_zh}  (DOCX: {rep.docx_name})")
        lines.append(f"  {_('PDF font :')} {rep.family}")
        lines.append(f"  {_('file     :')} {rep.file}{sub}")
        conv = (
            _("; CFF outlines, glyphs converted to TrueType as documents use them (cached)")
            if rep.needs_conversion else ""
        )
        lines.append(f"  {_('why      :')} {rep.reason}{conv}")
        if rep.substitution:
            lines.append(f"  {_('note     :')} {rep.substitution}")
        for skip in rep.skipped:
            lines.append(f"  {_('skipped  :')} {skip}")
    if any(r.treatment for r in describe(book)):
        lines.append(
            "# " + _("synthetic faces: no open 楷体/仿宋/小标宋 font is installable with pip; 小标宋 is drawn "
                     "as a synthetic bold and 楷体 as an oblique of Noto Serif SC. For the real designs install "
                     "Debian's fonts-arphic-ukai (楷体) and fonts-arphic-uming (宋体), or copy Windows' "
                     "simkai.ttf, simfang.ttf, simhei.ttf and simsun.ttc (or 方正小标宋简体) into ~/.fonts")
        )
    return "\n".join(lines)
