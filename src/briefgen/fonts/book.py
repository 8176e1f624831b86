"""Turn a theme's font roles into PDF fonts per character: fallback runs, widths and missing glyphs (resolution in resolve, coverage in coverage, embedding in embed, reports in report)."""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Sequence
from pathlib import Path

from briefgen.errors import BriefError
from briefgen.fonts import coverage, discover, notices
from briefgen.fonts.glyphcheck import IGNORABLE
from briefgen.fonts.report import RoleReport, describe, format_report, summary_line
from briefgen.fonts.resolve import FontSource, Resolver, Why, _env_flag
from briefgen.fonts.roles import CJK_ROLES, ROLES
from briefgen.i18n import _
from briefgen.model.theme import FontRole, Theme

__all__ = ["FontBook", "FontSource", "RoleReport", "format_report"]

# The character drawn for one that no PDF font has (the publishing placeholder, 〓 U+3013).
PLACEHOLDER = "\u3013"


class FontBook(Resolver):
    """Resolves each font role of a theme to a PDF font (and a DOCX name), with glyph fallback.

    Which font serves a role is decided by :class:`Resolver`; this class splits text into runs by
    glyph coverage and registers fonts with ReportLab only when a PDF is drawn (``missing`` and
    ``docx_name`` need no ReportLab). CFF fonts embed through a skeleton plus the glyphs used,
    converted on demand and cached. ``system_fonts=False`` or env ``BRIEFGEN_NO_SYSTEM_FONTS=1``
    skips discovery.
    """

    def __init__(
        self,
        theme: Theme,
        *,
        search_dirs: Sequence[Path] = (),
        on_message: Callable[[str], None] | None = None,
        system_fonts: bool | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self._on_message = on_message
        self._system = (
            (not _env_flag("BRIEFGEN_NO_SYSTEM_FONTS")) if system_fonts is None else system_fonts
        )
        self._cache = discover.writable_cache_dir(cache_dir)
        self._search_dirs = [Path(d) for d in search_dirs]
        self._said: set[str] = set()
        self._used: list[Path] = []
        self._prepared: dict[tuple[str, int, str], Path] = {}
        if self._system or self._search_dirs:
            result = discover.scan(self._search_dirs, system=self._system, cache=self._cache)
            index = discover.FaceIndex(result.faces)
            self.scan_from_cache = result.from_cache
        else:
            index = discover.FaceIndex([])
            self.scan_from_cache = True
        super().__init__(theme, index)
        self._char_pick: dict[FontRole, dict[str, int]] = {r: {} for r in ROLES}
        self._chain_names: dict[FontRole, dict[int, str]] = {r: {} for r in ROLES}

    # ------------------------------------------------------------------ messages

    def _say(self, key: str, message: str) -> None:
        if key in self._said:
            return
        self._said.add(key)
        if self._on_message:
            self._on_message(message)

    def _announce(self) -> None:
        """The substitution summary: one line per book, when its first PDF font is needed."""
        key = "subst"
        if key in self._said:
            return
        line = summary_line(self)
        if line and notices.emit(line):  # shown now by the run's reporter
            self._said.add(key)
        elif line:
            self._say(key, line)

    # ------------------------------------------------------------------ what resolved

    def source(self, role: FontRole) -> FontSource:
        return self._sources[role]

    def why(self, role: FontRole) -> tuple[Why, str, str]:
        return self._why[role]

    def skipped(self, role: FontRole) -> list[str]:
        return self._skipped[role]

    def prepared(self, src: FontSource) -> Path | None:
        """The TrueType file ReportLab loads for ``src`` (its skeleton for CFF), once registered."""
        return self._prepared.get(src.ident) if src.cff else src.path

    def describe(self) -> list[RoleReport]:
        """How each role resolved: file, subfont, family, why, and any substitution note."""
        return describe(self)

    def _mark_bad(self, src: FontSource, role: FontRole, exc: BriefError) -> None:
        """A discovered font failed to load: never use it again in this book, re-resolve and say so."""
        self._bad.add(src.key)
        reason = exc.problems[0].message if exc.problems else str(exc)
        self._say(f"bad:{src.key}", _("skipping font {font}: {reason}").format(font=src.label(), reason=reason))
        for r in CJK_ROLES:
            if self._sources[r].key == src.key:
                self._skip(r, f"{src.label()}: {reason}")
                self._resolve(r)
        if self._sources["latin"].key == src.key:
            self._resolve_latin()
        self._chains.clear()
        self._latin_slot.clear()
        for r in ROLES:
            self._char_pick[r].clear()
            self._chain_names[r].clear()

    # ------------------------------------------------------------------ registration

    def _register_source(self, src: FontSource, role: FontRole | None = None) -> str:
        from briefgen.fonts import embed  # ReportLab: only when a PDF is drawn

        try:
            name = embed.register_source(src, self._cache, self._on_message)
        except BriefError:
            raise
        except Exception as exc:  # noqa: BLE001 - ReportLab raises TTFError, struct.error, …
            from briefgen.errors import Problem

            raise BriefError(
                Problem(
                    _("ReportLab cannot load this font ({error})").format(error=f"{type(exc).__name__}: {exc}"),
                    file=str(src.path),
                    path=f"theme.font_files.{role}" if role and src.origin == "explicit" else "",
                )
            ) from None
        if src.cff:
            from briefgen.fonts.glyphs import skeleton_name

            self._prepared[src.ident] = self._cache / "ttf" / skeleton_name(
                src.path, src.index, src.treatment)
        if src.path not in self._used:
            self._used.append(src.path)
        return name

    # ------------------------------------------------------------------ public API

    def pdf_font(self, role: FontRole) -> str:
        """ReportLab font name of the role's primary font (registered lazily, once per process)."""
        self._announce()
        while True:
            src = self._sources[role]
            try:
                return self._register_source(src, role)
            except BriefError as exc:
                if src.origin != "system":
                    raise
                self._mark_bad(src, role, exc)  # then try the next candidate

    def font_files(self) -> list[Path]:
        """Every font file this book has registered for PDF so far (originals, in first-use order)."""
        return list(self._used)

    @property
    def cache_dir(self) -> Path:
        """Where the font scan, skeletons and converted glyphs are cached."""
        return self._cache

    @property
    def system_fonts(self) -> bool:
        """Whether installed fonts are searched (False: bundled fallback and explicit files only)."""
        return self._system

    def _covers(self, src: FontSource, ch: str) -> bool:
        if src.key in self._bad:
            return False
        try:
            return ord(ch) in coverage.coverage(src.path, src.index, self._cache)
        except Exception:  # noqa: BLE001 - unreadable fallback font: treat as not covering
            return False

    def _pick(self, ch: str, role: FontRole) -> int:
        """Index into ``chain(role)`` of the first font with a glyph for ``ch``, or -1."""
        picks = self._char_pick[role]
        got = picks.get(ch)
        if got is not None:
            return got
        chain = self.chain(role)
        idx = -1
        slot = self._latin_slot.get(role)
        if slot is not None and coverage.is_latin(ch) and self._covers(chain[slot], ch):
            idx = slot
        else:
            for i, src in enumerate(chain):
                if self._covers(src, ch):
                    idx = i
                    break
            if idx > 0 and chain[idx].cff and not coverage.is_han(ch):
                # a symbol the role's font lacks (− ⁄ ⸺): prefer a TrueType font that has it
                idx = next(
                    (i for i, s in enumerate(chain) if not s.cff and self._covers(s, ch)), idx
                )
        try:
            while idx >= 0 and self._blank(role, idx, ch):
                idx = next((i for i in range(idx + 1, len(chain)) if self._covers(chain[i], ch)), -1)
        except _Retry:  # a font failed to load and the chains were rebuilt: pick again
            return self._pick(ch, role)
        picks[ch] = idx
        return idx

    def _blank(self, role: FontRole, i: int, ch: str) -> bool:
        """Does ``chain(role)[i]`` map the visible character ``ch`` to an empty glyph?

        Some fonts do (WenQuanYi Micro Hei's ℃): the character would print as a gap. Read from
        the font file with fontTools (loca for TrueType, the charstring for CFF), never ReportLab.
        """
        if not coverage.visible(ch):
            return False
        src = self.chain(role)[i]
        if src.key in self._bad:
            return False
        try:
            if src.cff:
                return coverage.cff_blank(src.path, src.index, ord(ch), self._cache)
            blanks = coverage.blank_codes(src.path, src.index, self._cache)
        except Exception:  # noqa: BLE001 - unreadable: the font is dropped when registered
            return False
        return blanks is not None and ord(ch) in blanks

    def _chain_font(self, role: FontRole, i: int) -> str:
        names = self._chain_names[role]
        name = names.get(i)
        if name is None:
            src = self.chain(role)[i]
            self._announce()
            try:
                name = self._register_source(src, role)
            except BriefError as exc:
                if src.origin != "system":
                    raise
                self._mark_bad(src, role, exc)
                raise _Retry from None
            names[i] = name
        return name

    def runs(self, text: str, role: FontRole) -> list[tuple[str, str]]:
        """Split ``text`` into ``(reportlab_font_name, substring)`` runs by glyph coverage.

        Each character goes to the first font in the role's chain that has it; whitespace stays
        with the current run; a character no font covers is drawn as 〓 (``missing`` lists them).
        """
        while True:
            try:
                return self._runs(text, role)
            except _Retry:  # a system font failed to load and was dropped: split again
                continue

    def _runs(self, text: str, role: FontRole) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        cur = -1
        buf: list[str] = []
        for ch in text:
            if ch in coverage.WHITESPACE and cur >= 0:
                i = cur
            else:
                i = self._pick(ch, role)
                if i < 0:
                    ch = _stand_in(ch)
                    if not ch:
                        continue  # a format character (joiner, selector) no font has: nothing to draw
                    i = self._pick(ch, role)
                    if i < 0:
                        i = cur if cur >= 0 else 0
            if i != cur and buf:
                out.append((self._chain_font(role, cur), "".join(buf)))
                buf = []
            cur = i
            buf.append(ch)
        if buf:
            out.append((self._chain_font(role, cur), "".join(buf)))
        return out

    def missing(self, text: str, role: FontRole) -> list[str]:
        """Characters of ``text`` (deduplicated, in order) that no font in the role's chain covers."""
        out: list[str] = []
        for ch in dict.fromkeys(text):
            if ch in coverage.WHITESPACE or _stand_in(ch) != PLACEHOLDER:
                continue  # nothing visible is lost
            if self._pick(ch, role) < 0:
                out.append(ch)
        return out

    def width(self, text: str, font_name: str, size: float) -> float:
        """Advance width of ``text`` in points, in a font returned by ``pdf_font``/``runs``."""
        global _width
        if _width is None:
            from briefgen.fonts.embed import width

            _width = width
        return _width(text, font_name, size)


def _stand_in(ch: str) -> str:
    """What to draw for a character no font has: a space for a separator (U+2028, U+2007 …),
    nothing for a format character (joiners, variation selectors), else the placeholder 〓."""
    if ord(ch) in IGNORABLE:
        return ""
    cat = unicodedata.category(ch)
    if cat[0] == "Z":
        return " "
    if cat in ("Cf", "Cc"):
        return ""
    return PLACEHOLDER


_width: Callable[[str, str, float], float] | None = None


class _Retry(Exception):
    """Internal: the fallback chain changed while splitting runs."""
