"""Turn a theme YAML file (built-in name or user path, with ``extends``) into a validated Theme."""

from __future__ import annotations

import string
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator

from briefgen.errors import BriefError, available, suggest
from briefgen.i18n import _
from briefgen.inputs.filecache import FileCache
from briefgen.inputs.validate import validate
from briefgen.inputs.yamlsafe import Located, load_yaml_file

THEME_DIR = Path(__file__).parent / "themes"

# 号 sizes in points (shared/reference/gongwen-layout.md §1.2)
HAO_SIZES: dict[str, float] = {
    "初号": 42,
    "小初": 36,
    "一号": 26,
    "小一": 24,
    "二号": 22,
    "小二": 18,
    "三号": 16,
    "小三": 15,
    "四号": 14,
    "小四": 12,
    "五号": 10.5,
    "小五": 9,
    "六号": 7.5,
    "小六": 6.5,
}

PAPER_MM: dict[str, tuple[float, float]] = {"A4": (210, 297), "A3": (297, 420), "B5": (176, 250)}

FontRole = Literal["fangsong", "heiti", "kaiti", "songti", "xiaobiaosong", "latin"]
# The one list of font roles; the Chinese ones are all but "latin".
FONT_ROLES: tuple[FontRole, ...] = get_args(FontRole)
CJK_ROLES: tuple[FontRole, ...] = tuple(r for r in FONT_ROLES if r != "latin")

MM = 72 / 25.4


def parse_size(value: object) -> float:
    """``三号`` → 16.0; ``16``/``"16pt"`` → 16.0."""
    if isinstance(value, (int, float)):
        return float(value)
    text = str(value).strip()
    if text in HAO_SIZES:
        return HAO_SIZES[text]
    num = text.removesuffix("pt").strip()
    try:
        return float(num)
    except ValueError:
        hint = suggest(text, HAO_SIZES) or _("use a 号 name such as 三号, or points such as 16")
        raise ValueError(_("unknown font size {text!r} ({hint})").format(text=text, hint=hint)) from None


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Margins(_Strict):
    top: float
    bottom: float
    left: float
    right: float


class Page(_Strict):
    size: Literal["A4", "A3", "B5"] = "A4"
    margins_mm: Margins

    @property
    def width_pt(self) -> float:
        return PAPER_MM[self.size][0] * MM

    @property
    def height_pt(self) -> float:
        return PAPER_MM[self.size][1] * MM


class Grid(_Strict):
    lines: int = Field(default=22, ge=5, le=80)
    chars: int = Field(default=28, ge=5, le=80)
    line_pitch_pt: float = Field(default=28.95, gt=0)


class Fonts(_Strict):
    """Which font role each element uses."""

    body: FontRole = "fangsong"
    title: FontRole = "xiaobiaosong"
    subtitle: FontRole = "kaiti"
    heading1: FontRole = "heiti"
    heading2: FontRole = "kaiti"
    heading3: FontRole = "fangsong"
    heading4: FontRole = "fangsong"
    note: FontRole = "kaiti"
    table: FontRole = "fangsong"
    table_header: FontRole = "heiti"
    caption: FontRole = "heiti"
    source_note: FontRole = "kaiti"
    page_number: FontRole = "songti"
    strong: FontRole = "heiti"
    emphasis: FontRole = "kaiti"
    masthead: FontRole = "xiaobiaosong"
    cover_title: FontRole = "xiaobiaosong"

    def heading(self, level: int) -> FontRole:
        return [self.heading1, self.heading2, self.heading3, self.heading4][min(max(level, 1), 4) - 1]


class Sizes(_Strict):
    """Font sizes in points (号 names accepted in YAML)."""

    body: float = 16
    title: float = 22
    subtitle: float = 16
    heading: float = 16
    note: float = 16
    table: float = 14
    # reference tables (the sources appendix: many rows of provenance, looked up rather than
    # read) are set a size smaller, like source notes (小四)
    reference_table: float = 12
    caption: float = 14
    source_note: float = 12
    page_number: float = 14
    masthead: float = 36
    closing: float = 14
    cover_title: float = 26

    @field_validator("*", mode="before")
    @classmethod
    def _hao(cls, v: object) -> float:
        return parse_size(v)


class PageNumbers(_Strict):
    format: str = "— {n} —"
    position: Literal["outside", "center", "right", "none"] = "outside"
    below_type_area_mm: float = 7
    inset_chars: float = 1

    @field_validator("format")
    @classmethod
    def _only_n(cls, v: str) -> str:
        # Writers fill this with str.format: only a plain {n} may be in it (no {n.attr}, no
        # {n:>999999999} width that would build a huge string, no other names).
        try:
            parsed = list(string.Formatter().parse(v))
        except ValueError as e:
            raise ValueError(_("bad page number format {v!r}: {e} (write braces as {{{{ and }}}})").format(v=v, e=e)) from None
        for _literal, name, spec, conversion in parsed:
            if name is not None and (name != "n" or spec or conversion):
                raise ValueError(_("page number format {v!r} may only use the placeholder {{n}}").format(v=v))
        return v


class Colors(_Strict):
    text: str = "#000000"
    red: str = "#FF0000"

    @field_validator("text", "red")
    @classmethod
    def _hex(cls, v: str) -> str:
        v = v.strip()
        if not (len(v) == 7 and v.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in v[1:])):
            raise ValueError(_("expected a colour like #FF0000, got {v!r}").format(v=v))
        return v.upper()


class Blocks(_Strict):
    masthead: bool = False
    cover: bool = False
    toc: bool = False
    closing: bool = False
    imprint_even_page: bool = Field(
        default=False, description="公文: the 版记 goes on an even page (GB/T 9704 §7.4.1): when the last page is odd "
        "it moves to the next page, and a blank page is added when it does not fit on an even one; the "
        "blank page and the 版记 page after it carry no page number (§7.5). PDF only")


class Punctuation(_Strict):
    normalise: bool = True


class FontFiles(_Strict):
    """Explicit font files per role (highest priority when resolving PDF fonts)."""

    fangsong: str | None = None
    heiti: str | None = None
    kaiti: str | None = None
    songti: str | None = None
    xiaobiaosong: str | None = None
    latin: str | None = None


class DocxFontNames(_Strict):
    """Font names written into DOCX (what Word/WPS on the reader's PC looks up)."""

    fangsong: str = "仿宋"
    heiti: str = "黑体"
    kaiti: str = "楷体"
    songti: str = "宋体"
    xiaobiaosong: str = "方正小标宋简体"
    latin: str = "Times New Roman"


class Logo(_Strict):
    """A logo or emblem printed at a fixed place on the masthead page and/or the cover."""

    file: str = Field(description="image file (PNG, JPEG, SVG); in a theme relative to the theme file, "
                      "in a brief relative to the brief")
    width_mm: float = Field(20.0, ge=5, le=200, description="printed width (the height follows the picture)")
    height_mm: float | None = Field(None, ge=5, le=200, description="at most this high (width shrinks to fit)")
    x_mm: float = Field(28.0, ge=0, le=420, description="left edge, from the page's left edge")
    y_mm: float = Field(20.0, ge=0, le=420, description="top edge, from the page's top edge")
    on: list[Literal["masthead", "cover"]] = Field(default_factory=lambda: ["masthead", "cover"],  # type: ignore[arg-type]
                                                    description="which front blocks carry it")
    alt: str = Field("", description="alternative text, e.g. 单位徽标")


class Notes(_Strict):
    """Footnotes (``[^1]`` in Markdown text, ``note:`` on sections): at the foot of the page, or 注释 at the end."""

    mode: Literal["footnote", "endnote"] = Field(default="footnote", description="footnote: at the foot of the page; "
                                                 "endnote: collected under a heading at the end")
    numbering: Literal["circled", "decimal"] = Field(default="circled", description="circled: ①②③; decimal: 1 2 3")
    size: float = Field(default=12, ge=6, le=16, description="point size of footnote text (小四 12)")
    endnote_heading: str = "注释"


class Theme(_Strict):
    """A complete, validated theme."""

    name: str
    description: str = ""
    cover_name: str = Field("学习材料", description="the document's kind on the cover when the brief gives no name")
    extends: str | None = None
    page: Page
    grid: Grid = Field(default_factory=lambda: Grid())
    fonts: Fonts = Field(default_factory=lambda: Fonts())
    sizes: Sizes = Field(default_factory=lambda: Sizes())
    table_line_pitch_pt: float = 22
    reference_table_line_pitch_pt: float = Field(default=18, gt=0)
    numbering: list[str] = Field(default_factory=lambda: ["{cn}、", "（{cn}）", "{n}.", "（{n}）"])
    page_numbers: PageNumbers = Field(default_factory=lambda: PageNumbers())
    colors: Colors = Field(default_factory=lambda: Colors())
    table_style: Literal["three-line", "grid"] = "three-line"
    blocks: Blocks = Field(default_factory=lambda: Blocks())
    punctuation: Punctuation = Field(default_factory=lambda: Punctuation())
    font_files: FontFiles = Field(default_factory=lambda: FontFiles())
    docx_fonts: DocxFontNames = Field(default_factory=lambda: DocxFontNames())
    logo: Logo | None = Field(None, description="logo/emblem on the masthead page and cover")
    notes: Notes = Field(default_factory=lambda: Notes())
    reference_docx: str = Field("", description="a Word template (.docx) relative to the theme file (see the brief's)")
    reference_styles: dict[str, str] = Field(default_factory=dict, description="briefgen style id → template style name")
    _source_file: str = PrivateAttr("")  # the theme file: a theme's logo path is relative to it

    @property
    def source_file(self) -> str:
        return self._source_file

    # ---- derived geometry (points)
    @property
    def type_area_width(self) -> float:
        m = self.page.margins_mm
        return self.page.width_pt - (m.left + m.right) * MM

    @property
    def type_area_height(self) -> float:
        m = self.page.margins_mm
        return self.page.height_pt - (m.top + m.bottom) * MM

    def table_type(self, reference: bool = False) -> tuple[float, float]:
        """(type size, line pitch) in points of a table's cells: ``sizes.table`` at
        ``table_line_pitch_pt``, or for a reference table (``Table.reference``) the smaller
        ``sizes.reference_table`` at ``reference_table_line_pitch_pt``."""
        if reference:
            return self.sizes.reference_table, self.reference_table_line_pitch_pt
        return self.sizes.table, self.table_line_pitch_pt

    @property
    def char_pitch(self) -> float:
        """Horizontal advance of one body character so that ``grid.chars`` fill the line."""
        return self.type_area_width / self.grid.chars

    @property
    def tracking(self) -> float:
        """Extra space after each body character (negative = tighter) to reach the grid."""
        return self.char_pitch - self.sizes.body


def builtin_themes() -> list[str]:
    return sorted(p.stem for p in THEME_DIR.glob("*.yaml"))


def _merge(base: dict[str, Any], over: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for k, v in over.items():
        if isinstance(v, dict) and isinstance(out.get(k), dict):
            out[k] = _merge(out[k], v)
        else:
            out[k] = v
    return out


THEME_SUFFIXES = (".yaml", ".yml")
MAX_CHAIN = 32  # themes in one ``extends`` chain


def theme_path(ref: str, base_dir: Path | None) -> Path:
    """Where theme ``ref`` lives: a built-in name is a bundled file, a ``.yaml`` path is relative to ``base_dir``."""
    if ref in builtin_themes() and not ref.endswith(THEME_SUFFIXES):
        return THEME_DIR / f"{ref}.yaml"
    if not ref.endswith(THEME_SUFFIXES):
        raise BriefError.at(
            _("unknown theme {name!r}").format(name=ref),
            hint=suggest(ref, builtin_themes()) or available(builtin_themes()),
            code="E-UNKNOWN-THEME",
        )
    return (base_dir / ref) if base_dir and not Path(ref).is_absolute() else Path(ref)


def follow_extends(
    ref: str, base_dir: Path | None, parent_of: Callable[[Path], object]
) -> Iterator[tuple[str, Path]]:
    """Yield ``(ref, path)`` for a theme and each theme it ``extends``, child first: the one walker of
    theme chains. ``parent_of(path)`` reads a file's ``extends`` (falsy ends the chain); it runs only
    after the consumer has seen the path, so callers can check a path before anything reads it.
    Raises ``BriefError`` for an unknown theme name, a loop, or more than ``MAX_CHAIN`` files.
    """
    seen: list[str] = []
    while ref:
        if ref in seen or len(seen) >= MAX_CHAIN:
            raise BriefError.at(_("theme inheritance loops: {chain}").format(chain=" → ".join((*seen, ref))),
                                code="E-THEME-LOOP")
        path = theme_path(ref, base_dir)
        yield ref, path
        seen.append(ref)
        parent = parent_of(path)
        ref, base_dir = (str(parent), path.parent) if parent else ("", None)


def theme_files(ref: str, base: Path | None) -> list[Path]:
    """The theme file and every file it ``extends`` (built-in or user), child first, as far as they can be read."""
    out: list[Path] = []
    try:
        for _, path in follow_extends(ref, base, _extends):
            out.append(path.resolve())
    except BriefError:  # an unknown name, a loop: load_theme reports it
        pass
    return out


_EXTENDS: FileCache[object] = FileCache()  # theme file version → its ``extends``


def _read_extends(path: Path) -> object:
    try:
        data = load_yaml_file(path).data
    except BriefError:  # an unreadable theme is reported by load_theme itself
        return None
    return data.get("extends") if isinstance(data, dict) else None


def _extends(path: Path) -> object:
    """A theme file's ``extends`` value (None when absent or unreadable), parsed once per file version."""
    try:
        return _EXTENDS.get(path.resolve(), _read_extends)
    except OSError:
        return None


def _load_raw(ref: str, base_dir: Path | None) -> tuple[dict[str, Any], Located]:
    files: list[Located] = []

    def parent_of(path: Path) -> object:
        located = load_yaml_file(path)
        if located.data is not None and not isinstance(located.data, dict):
            raise BriefError.at(_("a theme file must be a mapping"), file=str(path), line=1,
                                code="E-THEME-NOT-MAPPING")
        files.append(located)
        return (located.data or {}).get("extends")

    for _link in follow_extends(ref, base_dir, parent_of):
        pass
    data: dict[str, Any] = {}
    for located in reversed(files):  # root first; each child overrides what it extends
        data = _merge(data, {k: v for k, v in (located.data or {}).items() if k != "extends"})
    return data, files[0]


def load_theme(ref: str, base_dir: Path | None = None) -> Theme:
    """Load a built-in theme by name or a user theme file by path (relative to ``base_dir``)."""
    data, located = _load_raw(ref, base_dir)
    merged = Located(data=data, file=located.file, marks=located.marks, key_marks=located.key_marks)
    theme = validate(Theme, merged)
    theme._source_file = located.file
    return theme
