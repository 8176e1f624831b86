"""Turn a theme's font roles into embeddable ReportLab fonts, per-character fallback runs, widths and a report."""

from __future__ import annotations

import hashlib
import os
import threading
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from briefgen.errors import BriefError, InputIOError, Problem
from briefgen.fonts import discover, facecache
from briefgen.fonts.roles import (
    ALIASES,
    BUNDLED,
    BUNDLED_SAME_STYLE,
    CHAIN_ORDER,
    CJK_ROLES,
    KNOWN_FILES,
    LOOKALIKES,
    ROLE_ZH,
    ROLES,
    STANDARD,
    SYMBOL_FALLBACKS,
    normalise_name,
    role_label,
)
from briefgen.model.theme import FontRole, Theme

Why = Literal["explicit", "standard", "alias", "lookalike", "bundled", "same-as"]

# Characters that never count as missing: layout whitespace.
_WHITESPACE = frozenset(" \t\n\r\u00a0\u3000\u2002\u2003\u2009\u200b")
# Characters routed to an explicit ``theme.font_files.latin`` font (as Word does with w:ascii).
_LATIN_RANGES = ((0x21, 0x7E), (0xC0, 0x24F))


def _is_han(ch: str) -> bool:
    o = ord(ch)
    return 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or 0x20000 <= o <= 0x3134F


def _is_latin(ch: str) -> bool:
    cp = ord(ch)
    return any(lo <= cp <= hi for lo, hi in _LATIN_RANGES)


@dataclass(frozen=True)
class FontSource:
    """One face that can serve a role: the original file, subfont index and how it was found."""

    path: Path
    index: int
    family: str
    cff: bool
    origin: Literal["explicit", "system", "bundled"]
    matched: str = ""  # the alias or file name it was found by

    @property
    def key(self) -> tuple[str, int]:
        return (str(self.path), self.index)

    def label(self) -> str:
        suffix = f" #{self.index}" if self.path.suffix.lower() in (".ttc", ".otc") else ""
        return f"{self.family} ({self.path.name}{suffix})"


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
    needs_conversion: bool = False  # CFF outlines: converted to TrueType once, then cached
    skipped: list[str] = field(default_factory=list)  # candidates passed over, with reasons
    pdf_file: Path | None = (
        None  # the TrueType file ReportLab loads (the converted one for CFF), once known
    )


# ---------------------------------------------------------------------------- per-process caches

_LOCK = threading.RLock()
_REGISTERED: dict[tuple[str, int, int, int], str] = {}  # (file, subfont, size, mtime) -> RL name
_WIDTHS: dict[str, dict[str, float]] = {}  # RL name -> char -> advance per 1 pt
_DEFAULT_WIDTH: dict[str, float] = {}
_COVERAGE: dict[tuple[str, int, int, int], frozenset[int]] = {}


def _file_key(path: Path, index: int) -> tuple[str, int, int, int]:
    st = path.stat()
    return (str(path), index, st.st_size, st.st_mtime_ns)


def _coverage(path: Path, index: int, cache: Path | None = None) -> frozenset[int]:
    """Code points the face maps (from its cmap; for CFF sources, before conversion).

    Once per process; with ``cache`` (the FontBook's cache dir) also once per font file.
    """
    key = _file_key(path, index)
    with _LOCK:
        cached = _COVERAGE.get(key)
    if cached is not None:
        return cached
    codes = facecache.load_coverage(cache, path, index)
    if codes is None:
        from fontTools.ttLib import TTFont as FTFont

        font = FTFont(str(path), fontNumber=index, lazy=True)
        try:
            cmap = font.getBestCmap() or {}
            codes = frozenset(cmap)
        finally:
            font.close()
        if 0x20 in codes or 0xA0 in codes:  # ReportLab maps each to the other
            codes = codes | {0x20, 0xA0}
        facecache.save_coverage(cache, path, index, codes)
    with _LOCK:
        _COVERAGE[key] = codes
    return codes


_BLANKS: dict[tuple[str, int, int, int], frozenset[int]] = {}


def _blank_codes(path: Path, index: int, cache: Path | None = None) -> frozenset[int] | None:
    """Code points a TrueType face maps to an empty glyph (from cmap and loca, without
    ReportLab), once per process and, with ``cache``, once per font file; None for CFF faces."""
    key = _file_key(path, index)
    with _LOCK:
        cached = _BLANKS.get(key)
    if cached is not None:
        return cached
    codes = facecache.load_codes(cache, path, index, "blank")
    if codes is None:
        from fontTools.ttLib import TTFont as FTFont

        font = FTFont(str(path), fontNumber=index, lazy=True)
        try:
            if "glyf" not in font or "loca" not in font:
                return None
            cmap = font.getBestCmap() or {}
            loca = font["loca"]
            order = {name: gid for gid, name in enumerate(font.getGlyphOrder())}
            blank = set()
            for cp, name in cmap.items():
                gid = order.get(name)
                if gid is not None and gid + 1 < len(loca) and loca[gid + 1] == loca[gid]:
                    blank.add(cp)
            codes = frozenset(blank)
        finally:
            font.close()
        facecache.save_codes(cache, path, index, codes, "blank")
    with _LOCK:
        _BLANKS[key] = codes
    return codes


def _rl_name(family: str, path: Path, index: int) -> str:
    clean = "".join(c for c in family if c.isascii() and c.isalnum())[:24] or "Font"
    digest = hashlib.sha1(f"{path}|{index}".encode()).hexdigest()[:8]
    return f"BG-{clean}-{digest}"


def _register(path: Path, index: int, family: str, cache: Path | None = None) -> str:
    """Register a TrueType face with ReportLab once per process; return its font name.

    With ``cache``, ReportLab's parse of the file is also reused across processes (facecache).
    """
    from reportlab.pdfbase import pdfmetrics

    key = _file_key(path, index)
    with _LOCK:
        name = _REGISTERED.get(key)
        if name:
            return name
        name = _rl_name(family, path, index)
        font = facecache.load_ttfont(cache, name, path, index)
        pdfmetrics.registerFont(font)
        face = font.face
        _WIDTHS[name] = {chr(cp): w / 1000.0 for cp, w in face.charWidths.items()}
        _DEFAULT_WIDTH[name] = float(face.defaultWidth) / 1000.0
        _REGISTERED[key] = name
        return name


def _bundled_path(kind: Literal["serif", "sans"]) -> Path | None:
    try:
        import pylopdf_fonts_zh_cn
    except ImportError:
        return None
    path = Path(
        pylopdf_fonts_zh_cn.serif_path() if kind == "serif" else pylopdf_fonts_zh_cn.sans_path()
    )
    return path if path.is_file() else None


def _simplified(face: discover.FaceInfo) -> bool:
    """Whether a face is meant for simplified Chinese (``… SC``, ``… CN``, ``… GB``, 简)."""
    text = " ".join([face.family, *face.names])
    return any(tag in text.split() for tag in ("SC", "CN", "GB")) or "简" in text


def _env_flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in ("1", "true", "yes", "on")


# ---------------------------------------------------------------------------- FontBook


class FontBook:
    """Resolves each font role of a theme to a PDF font (and a DOCX name), with glyph fallback.

    Resolution per role: ``theme.font_files.<role>`` → installed system fonts by alias
    (the theme's DOCX name first) → look-alikes of another design (reported) → the bundled
    Noto Serif/Sans SC of ``pylopdf-fonts-zh-cn``. CFF fonts are converted to TrueType once
    and cached. ``system_fonts=False`` or env ``BRIEFGEN_NO_SYSTEM_FONTS=1`` skips discovery.
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
        self.theme = theme
        self._on_message = on_message
        self._system = (
            (not _env_flag("BRIEFGEN_NO_SYSTEM_FONTS")) if system_fonts is None else system_fonts
        )
        self._cache = discover.writable_cache_dir(cache_dir)
        self._search_dirs = [Path(d) for d in search_dirs]
        self._said: set[str] = set()
        self._used: list[Path] = []
        self._prepared: dict[tuple[str, int], Path] = {}
        self._skipped: dict[FontRole, list[str]] = {r: [] for r in ROLES}
        self._bad: set[tuple[str, int]] = set()

        if self._system or self._search_dirs:
            result = discover.scan(self._search_dirs, system=self._system, cache=self._cache)
            self._index = discover.FaceIndex(result.faces)
            self.scan_from_cache = result.from_cache
        else:
            self._index = discover.FaceIndex([])
            self.scan_from_cache = True

        self._sources: dict[FontRole, FontSource] = {}
        self._why: dict[FontRole, tuple[Why, str, str]] = {}  # why, reason, substitution note
        self._latin_explicit = theme.font_files.latin is not None
        for role in CJK_ROLES:
            self._resolve(role)
        self._resolve_latin()
        self._chains: dict[FontRole, list[FontSource]] = {}
        self._char_pick: dict[FontRole, dict[str, int]] = {r: {} for r in ROLES}
        self._chain_names: dict[FontRole, dict[int, str]] = {r: {} for r in ROLES}
        self._latin_slot: dict[FontRole, int] = {}

    # ------------------------------------------------------------------ messages

    def _say(self, key: str, message: str) -> None:
        if key in self._said:
            return
        self._said.add(key)
        if self._on_message:
            self._on_message(message)

    # ------------------------------------------------------------------ resolution

    def _explicit(self, role: FontRole, raw: str) -> FontSource:
        where = f"theme.font_files.{role}"
        text = raw.strip()
        index = 0
        path = Path(text).expanduser()
        if "#" in text:
            head, _, tail = text.rpartition("#")
            if tail.isdigit() and not path.exists():
                path, index = Path(head).expanduser(), int(tail)
        if not path.is_file():
            raise InputIOError(
                Problem(
                    f"font file not found: {path}",
                    file=str(path),
                    path=where,
                    hint="give an existing .ttf/.otf/.ttc file (append #N for a collection subfont)",
                )
            )
        try:
            faces = discover.read_faces(path)
        except Exception as exc:  # noqa: BLE001 - any parse failure is a user input error
            raise BriefError(
                Problem(
                    f"not a usable font file ({type(exc).__name__}: {exc})",
                    file=str(path),
                    path=where,
                    hint="use a TrueType/OpenType font (.ttf, .otf, .ttc)",
                )
            ) from None
        if index >= len(faces):
            raise BriefError(
                Problem(
                    f"font collection has {len(faces)} subfont(s); #{index} does not exist",
                    file=str(path),
                    path=where,
                    hint=f"use #0…#{len(faces) - 1}",
                )
            )
        face = faces[index]
        if not face.embeddable:
            raise BriefError(
                Problem(
                    f"font licence forbids embedding in PDF (OS/2 fsType 0x{face.fs_type:04X})",
                    file=str(path),
                    path=where,
                    hint="choose a font that allows embedding",
                )
            )
        if face.cff2:
            raise BriefError(
                Problem(
                    "variable CFF2 fonts are not supported",
                    file=str(path),
                    path=where,
                    hint="use a static TrueType or CFF instance",
                )
            )
        return FontSource(path, index, face.display, face.cff, "explicit", str(path))

    def _system_candidates(
        self, names: Sequence[str], files: Sequence[str] = ()
    ) -> list[tuple[discover.FaceInfo, str]]:
        out: list[tuple[discover.FaceInfo, str]] = []
        seen: set[tuple[str, int]] = set()
        for name in names:
            for face in self._index.find(name):
                if face.key not in seen:
                    seen.add(face.key)
                    out.append((face, name))
        for fname in files:
            for face in self._index.by_file(fname):
                if face.key not in seen:
                    seen.add(face.key)
                    out.append((face, fname))
        return out

    def _first_usable(
        self, role: FontRole, cands: list[tuple[discover.FaceInfo, str]]
    ) -> tuple[discover.FaceInfo, str] | None:
        for face, matched in cands:
            if face.key in self._bad:
                continue
            problem = _unusable(face)
            if problem:
                self._skip(role, f"{face.label()}: {problem}")
                continue
            if not Path(face.path).is_file():
                continue
            return face, matched
        return None

    def _skip(self, role: FontRole, note: str) -> None:
        if note not in self._skipped[role]:
            self._skipped[role].append(note)

    def _mark_bad(self, src: FontSource, role: FontRole, exc: BriefError) -> None:
        """A discovered font failed to load: never use it again in this book, re-resolve and say so."""
        self._bad.add(src.key)
        reason = exc.problems[0].message if exc.problems else str(exc)
        self._say(f"bad:{src.key}", f"skipping font {src.label()}: {reason}")
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

    def _resolve(self, role: FontRole) -> None:
        raw = getattr(self.theme.font_files, role)
        docx = self.docx_name(role)
        zh = ROLE_ZH[role]
        if raw:
            self._sources[role] = self._explicit(role, raw)
            self._why[role] = ("explicit", f"explicit (theme.font_files.{role})", "")
            return
        standard = {normalise_name(n) for n in (docx, *STANDARD[role])}
        alias_names = [docx, *ALIASES[role]]
        found = self._first_usable(role, self._system_candidates(alias_names, KNOWN_FILES[role]))
        if found:
            face, matched = found
            self._sources[role] = FontSource(
                Path(face.path), face.index, face.display, face.cff, "system", matched
            )
            is_standard = normalise_name(matched) in standard or any(
                normalise_name(n) in standard for n in face.names
            )
            if is_standard:
                self._why[role] = ("standard", f"system font {matched!r}", "")
            else:
                note = f"{face.display} is a {zh} design but not the {docx!r} the DOCX names"
                self._why[role] = ("alias", f"system alias {matched!r}", note)
            return
        found = self._first_usable(role, self._system_candidates(LOOKALIKES[role]))
        if found:
            face, matched = found
            self._sources[role] = FontSource(
                Path(face.path), face.index, face.display, face.cff, "system", matched
            )
            note = (
                f"no {zh} font installed; {face.display} stands in "
                f"(install {docx} or set theme.font_files.{role})"
            )
            self._why[role] = ("lookalike", f"system look-alike {matched!r}", note)
            return
        kind = BUNDLED[role]
        path = _bundled_path(kind)
        if path is None or (str(path), 0) in self._bad:
            raise BriefError.at(
                f"no font found for {role_label(role)} and the bundled fallback (pylopdf-fonts-zh-cn) is not installed",
                path=f"theme.font_files.{role}",
                hint="pip install pylopdf-fonts-zh-cn, install a Chinese font, or set theme.font_files",
            )
        family = "Noto Serif SC" if kind == "serif" else "Noto Sans SC"
        self._sources[role] = FontSource(path, 0, family, True, "bundled", family)
        design = (
            ""
            if BUNDLED_SAME_STYLE[role]
            else f", a {'宋体' if kind == 'serif' else '黑体'} design,"
        )
        note = (
            f"no {zh} font installed; using the bundled {family}{design} "
            f"(install {docx} or set theme.font_files.{role})"
        )
        self._why[role] = ("bundled", f"bundled fallback {family} (pylopdf-fonts-zh-cn)", note)

    def _body_role(self) -> FontRole:
        """The CJK role whose font also sets digits and Latin text by default."""
        body = self.theme.fonts.body
        return body if body in CJK_ROLES else "fangsong"

    def _resolve_latin(self) -> None:
        raw = self.theme.font_files.latin
        if raw:
            self._sources["latin"] = self._explicit("latin", raw)
            self._why["latin"] = ("explicit", "explicit (theme.font_files.latin)", "")
            return
        body = self._body_role()
        self._sources["latin"] = self._sources[body]
        self._why["latin"] = (
            "same-as",
            f"same as {role_label(body)}: CJK fonts carry half-width digits",
            "",
        )

    # ------------------------------------------------------------------ registration

    def _pdf_path(self, src: FontSource) -> tuple[Path, int]:
        """The TrueType file (and subfont) ReportLab loads for ``src``, converting CFF once."""
        if not src.cff:
            return src.path, src.index
        cached = self._prepared.get(src.key)
        if cached:
            return cached, 0
        label = f"{src.family} ({src.path.name})"
        from briefgen.fonts import prepare  # fontTools' outline tools: only for CFF sources

        try:
            out = prepare.prepared_ttf(
                src.path, src.index, self._cache, label=label, on_message=self._on_message
            )
        except BriefError:
            raise
        except Exception as exc:  # noqa: BLE001
            raise BriefError(
                Problem(
                    f"could not convert CFF font for PDF embedding ({type(exc).__name__}: {exc})",
                    file=str(src.path),
                )
            ) from None
        self._prepared[src.key] = out
        return out, 0

    def _register_source(self, src: FontSource, role: FontRole | None = None) -> str:
        path, index = self._pdf_path(src)
        try:
            name = _register(path, index, src.family, self._cache)
        except Exception as exc:  # noqa: BLE001 - ReportLab raises TTFError, struct.error, …
            raise BriefError(
                Problem(
                    f"ReportLab cannot load this font ({type(exc).__name__}: {exc})",
                    file=str(src.path),
                    path=f"theme.font_files.{role}" if role and src.origin == "explicit" else "",
                )
            ) from None
        if src.path not in self._used:
            self._used.append(src.path)
        return name

    def _announce(self, role: FontRole) -> None:
        why, _reason, note = self._why[role]
        if note and why in ("alias", "lookalike", "bundled"):
            key = f"subst:{role}:{self._sources[role].key}"
            self._say(key, f"PDF font for {role_label(role)}: {note}")

    # ------------------------------------------------------------------ public API

    def pdf_font(self, role: FontRole) -> str:
        """ReportLab font name of the role's primary font (registered lazily, once per process)."""
        while True:
            src = self._sources[role]
            self._announce(role)
            try:
                return self._register_source(src, role)
            except BriefError as exc:
                if src.origin != "system":
                    raise
                self._mark_bad(src, role, exc)  # then try the next candidate

    def docx_name(self, role: FontRole) -> str:
        """The font name written to DOCX for ``role`` (``theme.docx_fonts.<role>``)."""
        return str(getattr(self.theme.docx_fonts, role))

    def font_files(self) -> list[Path]:
        """Every font file this book has registered for PDF so far (originals, in first-use order)."""
        return list(self._used)

    @property
    def cache_dir(self) -> Path:
        """Where the font scan and converted TrueType files are cached."""
        return self._cache

    @property
    def system_fonts(self) -> bool:
        """Whether installed fonts are searched (False: bundled fallback and explicit files only)."""
        return self._system

    def primary_source(self, role: FontRole) -> FontSource:
        return self._sources[role]

    def chain(self, role: FontRole) -> list[FontSource]:
        """Fonts tried in order for each character of ``role`` text: primary, other CJK fonts, bundled."""
        cached = self._chains.get(role)
        if cached is not None:
            return cached
        out: list[FontSource] = []
        seen: set[tuple[str, int]] = set()

        def add(src: FontSource) -> None:
            if src.key not in seen:
                seen.add(src.key)
                out.append(src)

        def add_face(face: discover.FaceInfo, matched: str) -> None:
            if face.key not in self._bad and not _unusable(face) and Path(face.path).is_file():
                add(
                    FontSource(
                        Path(face.path), face.index, face.display, face.cff, "system", matched
                    )
                )

        base: FontRole = self._body_role() if role == "latin" else role
        if role == "latin" and self._latin_explicit:
            add(self._sources["latin"])
        add(self._sources[base])
        for face, matched in self._system_candidates([*ALIASES[base], *LOOKALIKES[base]]):
            add_face(face, matched)
        for other in CHAIN_ORDER[base]:
            if other == "latin":
                continue
            add(self._sources[other])
            for face, matched in self._system_candidates(ALIASES[other]):
                add_face(face, matched)
        # Any other installed TrueType CJK face (regular weight; simplified-Chinese subfonts
        # first), then Latin text fonts for symbols CJK fonts lack (− ⁄ …), then CFF CJK faces,
        # which cost a one-off conversion of tens of seconds, then the bundled Noto fonts.
        extras = [
            f
            for f in self._index.faces
            if f.cjk and f.weight < 600 and not f.italic and not _unusable(f)
        ]
        extras.sort(key=lambda f: (not _simplified(f), f.path, f.index))
        for face in extras:
            if not face.cff:
                add_face(face, "CJK font")
        for face, matched in self._system_candidates([*ALIASES["latin"], *SYMBOL_FALLBACKS]):
            if not face.italic and face.weight < 600:
                add_face(face, matched)
        for face in extras:
            if face.cff:
                add_face(face, "CJK font")
        kinds: list[Literal["serif", "sans"]] = (
            ["sans", "serif"] if BUNDLED[base] == "sans" else ["serif", "sans"]
        )
        for kind in kinds:
            path = _bundled_path(kind)
            if path:
                family = "Noto Serif SC" if kind == "serif" else "Noto Sans SC"
                add(FontSource(path, 0, family, True, "bundled", family))
        if self._latin_explicit and role != "latin":
            latin = self._sources["latin"]
            if latin.key not in seen:
                add(latin)
            self._latin_slot[role] = next(i for i, s in enumerate(out) if s.key == latin.key)
        self._chains[role] = out
        return out

    def _covers(self, src: FontSource, ch: str) -> bool:
        if src.key in self._bad:
            return False
        try:
            return ord(ch) in _coverage(src.path, src.index, self._cache)
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
        if slot is not None and _is_latin(ch) and self._covers(chain[slot], ch):
            idx = slot
        else:
            for i, src in enumerate(chain):
                if self._covers(src, ch):
                    idx = i
                    break
            if idx > 0 and chain[idx].cff and not _is_han(ch):
                # a symbol the role's font lacks (− ⁄ ⸺): a TrueType font that has it avoids a
                # one-off CFF conversion of tens of seconds for one glyph
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

        Some fonts do (WenQuanYi Micro Hei's ℃): the character would print as a gap. The font
        is registered here, as it would be anyway to set ``ch``, and its glyph table consulted.
        """
        if ch in _WHITESPACE or unicodedata.category(ch)[0] not in "LNPS":
            return False
        src = self.chain(role)[i]
        if not src.cff and src.key not in self._bad:  # TrueType: from the file, no ReportLab
            try:
                blanks = _blank_codes(src.path, src.index, self._cache)
            except Exception:  # noqa: BLE001 - unreadable: let ReportLab decide below
                blanks = None
            if blanks is not None:
                return ord(ch) in blanks
        from reportlab.pdfbase import pdfmetrics

        face = getattr(pdfmetrics.getFont(self._chain_font(role, i)), "face", None)
        pos = getattr(face, "glyphPos", None)
        gid = getattr(face, "charToGlyph", {}).get(ord(ch))
        if pos is None or gid is None or gid + 1 >= len(pos):
            return False
        return bool(pos[gid + 1] == pos[gid])

    def _chain_font(self, role: FontRole, i: int) -> str:
        names = self._chain_names[role]
        name = names.get(i)
        if name is None:
            src = self.chain(role)[i]
            if i == 0 or src.key == self._sources[role].key:
                self._announce(role)
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

        Each character goes to the first font in the role's chain that has it; whitespace and
        characters no font covers stay with the current run (``missing`` reports the latter).
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
            if ch in _WHITESPACE and cur >= 0:
                i = cur
            else:
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
            if ch in _WHITESPACE:
                continue
            if self._pick(ch, role) < 0:
                out.append(ch)
        return out

    def width(self, text: str, font_name: str, size: float) -> float:
        """Advance width of ``text`` in points, in a font returned by ``pdf_font``/``runs``."""
        widths = _WIDTHS.get(font_name)
        if widths is None:
            from reportlab.pdfbase import pdfmetrics

            return float(pdfmetrics.stringWidth(text, font_name, size))
        default = _DEFAULT_WIDTH[font_name]
        get = widths.get
        return sum(get(c, default) for c in text) * size

    def describe(self) -> list[RoleReport]:
        """How each role resolved: file, subfont, family, why, and any substitution note."""
        reports: list[RoleReport] = []
        for role in ROLES:
            src = self._sources[role]
            why, reason, note = self._why[role]
            reports.append(
                RoleReport(
                    role=role,
                    role_zh=ROLE_ZH[role],
                    docx_name=self.docx_name(role),
                    file=src.path,
                    subfont=src.index,
                    family=src.family,
                    why=why,
                    reason=reason,
                    substitution=note,
                    needs_conversion=src.cff,
                    skipped=list(self._skipped[role]),
                    pdf_file=self._prepared.get(src.key) if src.cff else src.path,
                )
            )
        return reports


class _Retry(Exception):
    """Internal: the fallback chain changed while splitting runs."""


def _unusable(face: discover.FaceInfo) -> str:
    """Why ReportLab cannot use a discovered face, or an empty string."""
    if not face.embeddable:
        return f"embedding not permitted (fsType 0x{face.fs_type:04X})"
    if face.cff2:
        return "variable CFF2 outlines are not supported"
    if face.variable and not 350 <= face.weight <= 500:
        return f"variable font whose default instance has weight {face.weight}"
    return ""


def format_report(book: FontBook) -> str:
    """Text for ``briefgen fonts``: one block per role with file, family and why."""
    discovery = (
        "on" if book.system_fonts else "off (BRIEFGEN_NO_SYSTEM_FONTS or system_fonts=False)"
    )
    lines: list[str] = [f"# system font discovery: {discovery}; font cache: {book.cache_dir}"]
    for rep in book.describe():
        sub = f" #{rep.subfont}" if rep.file.suffix.lower() in (".ttc", ".otc") else ""
        lines.append(f"{rep.role} {rep.role_zh}  (DOCX: {rep.docx_name})")
        lines.append(f"  PDF font : {rep.family}")
        lines.append(f"  file     : {rep.file}{sub}")
        conv = (
            "; CFF outlines, converted to TrueType once and cached" if rep.needs_conversion else ""
        )
        lines.append(f"  why      : {rep.reason}{conv}")
        if rep.substitution:
            lines.append(f"  note     : {rep.substitution}")
        for skip in rep.skipped:
            lines.append(f"  skipped  : {skip}")
    return "\n".join(lines)
