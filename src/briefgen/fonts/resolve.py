"""Turn a theme's font roles into font sources: explicit files, installed fonts by alias or look-alike, or the bundled Noto fonts (with a synthetic treatment), and each role's fallback chain."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from briefgen.errors import BriefError, InputIOError, Problem
from briefgen.fonts import discover
from briefgen.fonts.glyphs import Treatment
from briefgen.fonts.roles import (
    ALIASES,
    BUNDLED,
    BUNDLED_SAME_STYLE,
    BUNDLED_TREATMENT,
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
from briefgen.i18n import _
from briefgen.model.theme import FontRole, Theme

Why = Literal["explicit", "standard", "alias", "lookalike", "bundled", "same-as"]


@dataclass(frozen=True)
class FontSource:
    """One face that can serve a role: the original file, subfont index and how it was found."""

    path: Path
    index: int
    family: str
    cff: bool
    origin: Literal["explicit", "system", "bundled"]
    matched: str = ""  # the alias or file name it was found by
    treatment: Treatment = ""  # synthetic bold/oblique drawn from the outlines (CFF sources)

    @property
    def key(self) -> tuple[str, int]:
        """The font file and subfont (shared by a face and its synthetic treatments)."""
        return (str(self.path), self.index)

    @property
    def ident(self) -> tuple[str, int, str]:
        """The face as drawn: file, subfont and treatment."""
        return (str(self.path), self.index, self.treatment)

    def label(self) -> str:
        suffix = f" #{self.index}" if self.path.suffix.lower() in (".ttc", ".otc") else ""
        return f"{self.display} ({self.path.name}{suffix})"

    @property
    def display(self) -> str:
        return f"{self.family} (synthetic {self.treatment})" if self.treatment else self.family



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



def _unusable(face: discover.FaceInfo) -> str:
    """Why ReportLab cannot use a discovered face, or an empty string."""
    if not face.embeddable:
        return _("embedding not permitted (fsType {fstype})").format(fstype=f"0x{face.fs_type:04X}")
    if face.cff2:
        return _("variable CFF2 outlines are not supported")
    if face.variable and not 350 <= face.weight <= 500:
        return _("variable font whose default instance has weight {weight}").format(weight=face.weight)
    return ""


class Resolver:
    """Which font serves each role, why, and which fonts follow it for characters it lacks.

    Resolution per role: ``theme.font_files.<role>`` → installed system fonts by alias
    (the theme's DOCX name first) → look-alikes of another design (reported) → the bundled
    Noto Serif/Sans SC of ``pylopdf-fonts-zh-cn``, with a synthetic treatment where a role would
    otherwise look like another (bold for 小标宋, oblique for 楷体).
    """

    def __init__(self, theme: Theme, index: discover.FaceIndex) -> None:
        self.theme = theme
        self._index = index
        self._skipped: dict[FontRole, list[str]] = {r: [] for r in ROLES}
        self._bad: set[tuple[str, int]] = set()
        self._sources: dict[FontRole, FontSource] = {}
        self._why: dict[FontRole, tuple[Why, str, str]] = {}  # why, reason, substitution note
        self._latin_explicit = theme.font_files.latin is not None
        for role in CJK_ROLES:
            self._resolve(role)
        self._resolve_latin()
        self._chains: dict[FontRole, list[FontSource]] = {}
        self._latin_slot: dict[FontRole, int] = {}

    def docx_name(self, role: FontRole) -> str:
        """The font name written to DOCX for ``role`` (``theme.docx_fonts.<role>``)."""
        return str(getattr(self.theme.docx_fonts, role))

    def _explicit(self, role: FontRole, raw: str) -> FontSource:
        where = f"theme.font_files.{role}"
        text = raw.strip()
        index = 0
        path = Path(text).expanduser()
        if "#" in text:
            head, _sep, tail = text.rpartition("#")
            if tail.isdigit() and not path.exists():
                path, index = Path(head).expanduser(), int(tail)
        if not path.is_file():
            raise InputIOError(
                Problem(
                    _("font file not found: {path}").format(path=path),
                    file=str(path),
                    path=where,
                    hint=_("give an existing .ttf/.otf/.ttc file (append #N for a collection subfont)"),
                    code="E-FILE-NOT-FOUND",
                )
            )
        try:
            faces = discover.read_faces(path)
        except Exception as exc:  # noqa: BLE001 - any parse failure is a user input error
            raise BriefError(
                Problem(
                    _("not a usable font file ({error})").format(error=f"{type(exc).__name__}: {exc}"),
                    file=str(path),
                    path=where,
                    hint=_("use a TrueType/OpenType font (.ttf, .otf, .ttc)"),
                    code="E-FONT-FILE",
                )
            ) from None
        if index >= len(faces):
            raise BriefError(
                Problem(
                    _("font collection has {n} subfont(s); #{index} does not exist").format(
                        n=len(faces), index=index),
                    file=str(path),
                    path=where,
                    hint=_("use #0…#{last}").format(last=len(faces) - 1),
                    code="E-FONT-FILE",
                )
            )
        face = faces[index]
        if not face.embeddable:
            raise BriefError(
                Problem(
                    _("font licence forbids embedding in PDF (OS/2 fsType {fstype})").format(
                        fstype=f"0x{face.fs_type:04X}"),
                    file=str(path),
                    path=where,
                    hint=_("choose a font that allows embedding"),
                    code="E-FONT-FILE",
                )
            )
        if face.cff2:
            raise BriefError(
                Problem(
                    _("variable CFF2 fonts are not supported"),
                    file=str(path),
                    path=where,
                    hint=_("use a static TrueType or CFF instance"),
                    code="E-FONT-FILE",
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


    def _resolve(self, role: FontRole) -> None:
        raw = getattr(self.theme.font_files, role)
        docx = self.docx_name(role)
        zh = ROLE_ZH[role]
        if raw:
            self._sources[role] = self._explicit(role, raw)
            self._why[role] = ("explicit", _("explicit (theme.font_files.{role})").format(role=role), "")
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
                self._why[role] = ("standard", _("system font {name!r}").format(name=matched), "")
            else:
                note = _("{font} is a {design} design but not the {docx!r} the DOCX names").format(
                    font=face.display, design=zh, docx=docx)
                self._why[role] = ("alias", _("system alias {name!r}").format(name=matched), note)
            return
        found = self._first_usable(role, self._system_candidates(LOOKALIKES[role]))
        if found:
            face, matched = found
            self._sources[role] = FontSource(
                Path(face.path), face.index, face.display, face.cff, "system", matched
            )
            note = _("no {design} font installed; {font} stands in (install {docx} or set theme.font_files.{role})"
                     ).format(design=zh, font=face.display, docx=docx, role=role)
            self._why[role] = ("lookalike", _("system look-alike {name!r}").format(name=matched), note)
            return
        kind = BUNDLED[role]
        path = _bundled_path(kind)
        if path is None or (str(path), 0) in self._bad:
            raise BriefError.at(
                _("no font found for {role} and the bundled fallback (pylopdf-fonts-zh-cn) is not installed").format(
                    role=role_label(role)),
                path=f"theme.font_files.{role}",
                hint=_("pip install pylopdf-fonts-zh-cn, install a Chinese font, or set theme.font_files"),
                code="E-NO-FONT",
            )
        family = "Noto Serif SC" if kind == "serif" else "Noto Sans SC"
        treatment = BUNDLED_TREATMENT[role]
        src = FontSource(path, 0, family, True, "bundled", family, treatment)
        self._sources[role] = src
        if BUNDLED_SAME_STYLE[role]:
            note = _("no {design} font installed; using the bundled {font} (install {docx} or set "
                     "theme.font_files.{role})").format(design=zh, font=src.display, docx=docx, role=role)
        else:
            note = _("no {design} font installed; using the bundled {font}, a {style} design, (install {docx} "
                     "or set theme.font_files.{role})").format(
                design=zh, font=src.display, style="宋体" if kind == "serif" else "黑体", docx=docx, role=role)
        self._why[role] = ("bundled", _("bundled fallback {font} (pylopdf-fonts-zh-cn)").format(font=src.display), note)

    def _body_role(self) -> FontRole:
        """The CJK role whose font also sets digits and Latin text by default."""
        body = self.theme.fonts.body
        return body if body in CJK_ROLES else "fangsong"

    def _resolve_latin(self) -> None:
        raw = self.theme.font_files.latin
        if raw:
            self._sources["latin"] = self._explicit("latin", raw)
            self._why["latin"] = ("explicit", _("explicit (theme.font_files.{role})").format(role="latin"), "")
            return
        body = self._body_role()
        self._sources["latin"] = self._sources[body]
        self._why["latin"] = (
            "same-as",
            _("same as {role}: CJK fonts carry half-width digits").format(role=role_label(body)),
            "",
        )

    # ------------------------------------------------------------------ registration
    def chain(self, role: FontRole) -> list[FontSource]:
        """Fonts tried in order for each character of ``role`` text: primary, other CJK fonts, bundled."""
        cached = self._chains.get(role)
        if cached is not None:
            return cached
        out: list[FontSource] = []
        seen: set[tuple[str, int, str]] = set()

        def add(src: FontSource) -> None:
            if src.ident not in seen:
                seen.add(src.ident)
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
        # whose glyphs must be converted for embedding, then the bundled Noto fonts.
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
            if latin.ident not in seen:
                add(latin)
            self._latin_slot[role] = next(i for i, s in enumerate(out) if s.ident == latin.ident)
        self._chains[role] = out
        return out

