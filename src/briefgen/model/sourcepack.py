"""Turn a source-pack YAML file into validated sections and key figures, and select sections by id or pattern."""

from __future__ import annotations

import datetime as dt
import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, field_validator, model_validator

from briefgen.errors import BriefError, Problem, available, suggest, suggest_file
from briefgen.i18n import _
from briefgen.inputs.digest import sha256_file
from briefgen.inputs.validate import validate
from briefgen.inputs.yamlsafe import Located, load_yaml_file
from briefgen.model.data.sources import query_params, read_sources
from briefgen.model.data.specs import WorkbookSource
from briefgen.model.datasets import DataPoint
from briefgen.model.periods import Period
from briefgen.model.sizes import parse_width

ID_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
# what a figure or indicator counts: changes of a rate are in 百分点, of the others in %
FigureKind = Literal["amount", "count", "rate", "ranking", "target"]
# Words that qualify a figure's value and are printed with it: 超9万家, 10万余人次, 3000人以上.
PREFIX_QUALIFIERS = ("超", "超过", "逾", "近", "约")
SUFFIX_QUALIFIERS = ("余", "多")
AFTER_QUALIFIERS = ("以上", "左右", "以内")
QUALIFIERS = PREFIX_QUALIFIERS + SUFFIX_QUALIFIERS + AFTER_QUALIFIERS
Qualifier = Literal["", "超", "超过", "逾", "近", "约", "余", "多", "以上", "左右", "以内"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=False)


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from: the pack (document), its section, and an article line or data rows
    (a data-file line, a workbook cell, or a row of a database query's result)."""

    document: str  # the pack's meta.title
    pack_file: str
    pack_line: int | None  # where the figure or indicator is defined in the pack
    section: str = ""
    source_line: int | None = None  # line in the original article
    data_file: str = ""  # data file, workbook, or database (SQLite file / URL without password)
    data_row: int | None = None  # line in the data file, sheet row, or query result row
    computed_from: tuple[int, ...] = ()  # data-file lines of the values a change was computed from
    data_cell: str = ""  # workbook: Sheet!C7
    data_query: str = ""  # database: how the query is named (its name, or its text shortened)
    computed_cells: tuple[str, ...] = ()  # workbook cells of the values a change was computed from
    section_title: str = ""  # the section's title, printed instead of its id where known

    @property
    def part(self) -> str:
        """The section as a reader knows it: its title (二、经济运行), else its id."""
        return self.section_title or self.section

    def _title(self) -> str:
        """The document's title in 书名号, a title inside it in 〈〉 (GB/T 15834 §4.15)."""
        return "《" + self.document.replace("《", "〈").replace("》", "〉") + "》"

    def _head(self) -> str:
        parts = [self._title() if self.document else Path(self.pack_file).name]
        if self.part:
            parts.append(self.part)
        return " ".join(parts)

    def _source(self) -> str:
        """``x.xlsx“月度数据”表`` / ``数据库x.db查询“…”`` / ``x.csv``."""
        name = Path(self.data_file).name if "://" not in self.data_file else self.data_file
        if self.data_cell:
            sheet = self.data_cell.rsplit("!", 1)[0]
            return f"{name}“{sheet}”表"
        if self.data_query:
            return f"数据库{name}查询“{self.data_query}”结果"
        return name

    def text(self) -> str:
        """``《标题》context.economy，原文第10行`` / ``monthly.csv第37行（同比、环比据第25、36行计算）``
        / ``monthly.xlsx“月度数据”表X7单元格（增幅据L7、W7单元格计算）``."""
        where = self._where()
        if self.data_file:
            where = self._source() + where
        return f"{self._head()}，{where}" if where else self._head()

    def origin(self) -> str:
        """The document a figure comes from, with its data file, sheet or query: ``《标题》``,
        ``《标题》，x.csv``, ``《标题》，x.xlsx“月度数据”表`` (a sources list names each once)."""
        doc = self._title() if self.document else Path(self.pack_file).name
        return f"{doc}，{self._source()}" if self.data_file else doc

    def place(self) -> str:
        """Where in ``origin()``: ``industry，第174行（增幅据第78、166行计算）``, ``X7单元格（增幅据L7、W7
        单元格计算）``, ``context.economy，原文第10行``."""
        return "，".join(x for x in (self.part, self._where()) if x)

    def _where(self) -> str:
        if self.data_cell:
            where = f"{_cell(self.data_cell)}单元格"
            if self.computed_cells:
                where += f"（增幅据{'、'.join(_cell(c) for c in self.computed_cells)}单元格计算）"
            return where
        if self.data_file:
            where = f"第{self.data_row}行"
            if self.computed_from:
                where += f"（增幅据第{'、'.join(str(r) for r in self.computed_from)}行计算）"
            return where
        return f"原文第{self.source_line}行" if self.source_line is not None else ""

    def location(self) -> tuple[str, int | None]:
        """``(file, line)`` for a located message about the figure's value."""
        if self.data_cell:
            return f"{self.data_file}!{self.data_cell}", None
        if self.data_file:
            return self.data_file, self.data_row
        return self.pack_file, self.pack_line

    def complete(self) -> bool:
        return bool(self.document) and (self.data_row is not None or self.source_line is not None)


def _cell(ref: str) -> str:
    return ref.rsplit("!", 1)[-1]


def series_provenance(provs: list[Provenance]) -> tuple[str, str]:
    """``origin()`` and ``place()`` of a series of data figures: ``《标题》，x.csv`` with
    ``industry，第5—180行中12行``, or ``…“月度数据”表`` with ``C5—N5中12个单元格``; empty without data rows."""
    data = [p for p in provs if p.data_row is not None]
    if not data:
        return "", ""
    first = data[0]
    if first.data_cell:
        cells = [_cell(p.data_cell) for p in data]
        where = f"{cells[0]}—{cells[-1]}中{len(cells)}个单元格"
    else:
        lines = sorted(p.data_row for p in data if p.data_row is not None)
        where = f"第{lines[0]}—{lines[-1]}行中{len(lines)}行"
    return first.origin(), "，".join(x for x in (first.part, where) if x)


def data_provenance(pack: LoadedPack, fid: str, point: DataPoint, compared: list[DataPoint]) -> Provenance:
    """The provenance of indicator ``fid``'s value ``point``, with the points a change was computed from."""
    ind = pack.indicators[fid]
    line = pack.located.where(("data", "indicators", list(pack.indicators).index(fid)))[0]
    query = ""
    if point.query:
        name = pack.pack.data.query_name if pack.pack.data is not None else ""
        query = name or _short(point.query)
    known = pack.sections.get(ind.section)
    return Provenance(pack.meta.title, str(pack.path), line, ind.section, None, point.file, point.line,
                      tuple(sorted(p.line for p in compared)), point.cell, query,
                      tuple(p.cell for p in compared if p.cell), known.title if known is not None else "")


def _short(query: str, width: int = 60) -> str:
    q = " ".join(query.split())
    return q if len(q) <= width else q[: width - 1] + "…"


class PackMeta(_Strict):
    """Who published the source, when, where, and how it may be used."""

    id: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9_.-]*$")]
    title: str
    publisher: str = ""
    date: dt.date | None = None
    url: str = ""
    author: str = ""
    attribution: str = Field(
        "", description="How the source is credited in outputs (printed under tables and in notes)"
    )
    licence: str = ""
    notes: str = ""


class PackImage(_Strict):
    """A photo or drawing that belongs to a section: file (relative to the pack), caption and credit."""

    file: str = Field(description="image file relative to the pack", examples=["photos/visit.jpg"])
    caption: str = Field("", description="caption, e.g. 图为调研现场")
    credit: str = Field("", description="credit line, e.g. 摄影：张三")
    alt: str = ""
    note: str = Field("", description="a footnote on the picture, referenced after its caption (or credit)")
    width: float | str | None = Field(None, description="60 / '60mm' or 0.5 / '50%' of the type area")

    @field_validator("width")
    @classmethod
    def _width(cls, v: object) -> object:
        parse_width(v)
        return v


class Section(_Strict):
    """One addressable part of the source: a title, a one-paragraph summary and body paragraphs."""

    id: Annotated[str, Field(pattern=ID_PATTERN, description="short id, joined with dots to its parents")]
    title: str
    subtitle: str = ""
    summary: str = ""
    body: list[str] = Field(default_factory=list)
    keywords: list[str] = Field(default_factory=list)
    source_lines: list[int] = Field(
        default_factory=list, description="line numbers in the original article (provenance)"
    )
    images: list[PackImage] = Field(default_factory=list, description="photos printed after the section text")
    note: str = Field("", description="a footnote on the section (source, explanation), referenced after its text")
    children: list[Section] = Field(default_factory=list)

    @field_validator("body", mode="before")
    @classmethod
    def _split_block(cls, v: object) -> object:
        # A block scalar is split into paragraphs at blank lines.
        if isinstance(v, str):
            return [p.strip() for p in v.split("\n\n") if p.strip()]
        return v


class Change(_Strict):
    """A change against a basis: ``+4.1 %`` 同比, or ``-0.3`` 百分点."""

    value: Decimal
    unit: str = "%"
    basis: str = "同比"
    computed: bool = Field(False, description="true when briefgen (or the source) computed it from other periods")


class Figure(_Strict):
    """One key figure: a number with unit, period, scope, change and the section it comes from."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    label: str
    value: Decimal
    unit: str = ""
    period: str = ""
    change: Change | None = None
    mom: Change | None = Field(None, description="环比 change against the previous period")
    scope: str = ""
    section: str = ""
    category: str = ""
    kind: FigureKind = Field("amount", description="amount | count | rate | ranking | target")
    tags: list[str] = Field(default_factory=list)
    qualifier: Qualifier = Field(
        default="", description="a word printed with the value: 超 超过 逾 近 约 before it (超9万家), 余 多 in it "
        "(10万余人次, 9年多), 以上 左右 以内 after it")
    note: str = Field(
        "", description="a footnote on the figure (printed at the foot of the page where the figure is "
        "first printed, in text or a key-figure table); a note that is exactly a qualifier word (超, 多…) "
        "is read as qualifier: (older packs)")
    source_line: int | None = Field(None, description="line in the original article")
    source_offset: int | None = Field(default=None, description="character offset of the figure in its paragraph")
    source_text: str = Field(default="", description="the sentence the figure was read from (ingest)")
    total_of: list[str] = Field(
        default_factory=list,
        description="ids of the figures this one totals: printed as a subtotal row after them; "
        "briefgen check compares the sum",
    )

    @model_validator(mode="before")
    @classmethod
    def _qualifier_in_note(cls, data: Any) -> Any:
        # Older packs (and older ingest output) wrote the qualifier as note: 超.
        if isinstance(data, dict) and isinstance(data.get("note"), str) and data["note"].strip() in QUALIFIERS:
            q = data.get("qualifier") or ""
            if not q or q == data["note"].strip():
                return {**data, "qualifier": data["note"].strip(), "note": ""}
        return data

    @field_validator("note")
    @classmethod
    def _note_not_second_qualifier(cls, v: str) -> str:
        if v.strip() in QUALIFIERS:
            raise ValueError(_("a qualifier word, and the figure already has another qualifier: keep one, "
                               "in qualifier:"))
        return v

    # Set by briefgen, not read from YAML: where the figure comes from, and its period.
    _prov: Provenance | None = PrivateAttr(None)
    _period: Period | None = PrivateAttr(None)
    _stale_for: Period | None = PrivateAttr(None)

    @property
    def provenance(self) -> Provenance | None:
        return self._prov

    @property
    def data_period(self) -> Period | None:
        """The period of a figure taken from a data file (None for figures written in the pack)."""
        return self._period

    @property
    def stale_for(self) -> Period | None:
        """The period that was asked for when the data file had only older values."""
        return self._stale_for


class Indicator(_Strict):
    """One indicator of a pack's period data: how to print the values found in the data files."""

    id: Annotated[str, Field(pattern=ID_PATTERN, description="the `indicator` column value; the figure id")]
    label: str
    unit: str = ""
    category: str = ""
    kind: FigureKind = Field("amount", description="amount | count → changes in %; rate → changes in 百分点")
    scope: str = ""
    section: str = Field("", description="the pack section the indicator belongs to")
    tags: list[str] = Field(default_factory=list)
    note: str = Field("", description="a footnote on the indicator's figures; a qualifier word (超, 多…) "
                      "is read as their qualifier")
    total_of: list[str] = Field(default_factory=list, description="ids of the indicators it totals")
    decimals: int = Field(1, ge=0, le=4, description="decimals of computed 同比/环比 changes")
    names: list[str] = Field(default_factory=list,
                             description="other names of the indicator in workbooks and databases")


class DataSection(_Strict):
    """Period data: files (CSV, YAML, .xlsx workbooks) and/or a database query, and their indicators."""

    files: list[str | WorkbookSource] = Field(
        default_factory=list, description="CSV, YAML or .xlsx files relative to the pack file; a "
        "workbook with a mapping: {file, sheet, layout, header_rows, indicator, period, value, unit}")
    url: str = Field("", description="database URL without password: sqlite:///stats.db (relative to "
                     "the pack) or postgresql://user@host:5432/db")
    query: str = Field("", description="SELECT giving indicator, period, value[, unit, note]; bound "
                       "parameters :period, :from, :to (from the brief's period) and the brief's vars")
    query_name: str = Field("", description="how the sources appendix names the query (default: its text)")
    lookback: int = Field(24, ge=0, le=1200, description=":from is this many periods before :period")
    indicators: list[Indicator] = Field(min_length=1)

    @model_validator(mode="after")
    def _some_source(self) -> DataSection:
        if bool(self.url) != bool(self.query):
            raise ValueError(_("url and query go together"))
        if not self.files and not self.url:
            raise ValueError(_("name data files, or a database url and query"))
        return self


class ReviewItem(_Strict):
    """A number ``briefgen ingest`` found but could not make a certain figure of: for a person to check."""

    text: str = Field(description="the clause the number stands in")
    reason: str = ""
    source_line: int | None = Field(None, description="line in the original article")
    value: Decimal | None = Field(None, description="candidate value")
    unit: str = Field("", description="candidate unit")


class SourcePack(_Strict):
    """A whole source pack file."""

    pack: int = Field(1, description="format version")
    meta: PackMeta
    sections: list[Section] = Field(default_factory=list)
    figures: list[Figure] = Field(default_factory=list)
    data: DataSection | None = Field(None, description="period data files (monthly reports)")
    review: list[ReviewItem] = Field(
        default_factory=list, description="doubtful figures left by `briefgen ingest` for review"
    )

    @model_validator(mode="after")
    def _unique_ids(self) -> SourcePack:
        return self


@dataclass
class FlatSection:
    """A section with its full dotted id and depth, as selected by briefs and templates."""

    id: str
    depth: int
    section: Section
    parent: str
    path: tuple[str | int, ...] = ()  # where the section is in the pack YAML (for located messages)

    @property
    def title(self) -> str:
        return self.section.title


@dataclass
class LoadedPack:
    """A validated source pack with indexes for selection and figure lookup."""

    path: Path
    pack: SourcePack
    located: Located
    sections: dict[str, FlatSection]
    figures: dict[str, Figure]
    indicators: dict[str, Indicator] = field(default_factory=dict)
    series: dict[str, dict[Period, DataPoint]] = field(default_factory=dict)
    data_files: dict[Path, str] = field(default_factory=dict)  # path → sha256 when loaded
    # database queries read: key → {"kind": "query", "sha256" (of the rows), "size" (rows), ...}
    data_queries: dict[str, dict[str, object]] = field(default_factory=dict)

    def inputs_changed(self) -> bool:
        """True when a data file changed since the pack was loaded (for caches keyed on the pack);
        always for a pack reading a database (its query runs for every brief)."""
        if self.data_queries:
            return True
        for f, digest in self.data_files.items():
            try:
                if sha256_file(f) != digest:
                    return True
            except OSError:
                return True
        return False

    @property
    def meta(self) -> PackMeta:
        return self.pack.meta

    def select(self, pattern: str) -> list[FlatSection]:
        """Sections whose dotted id matches ``pattern`` (``*`` does not cross dots), in document order."""
        if any(ch in pattern for ch in "*?["):
            parts = pattern.split(".")
            out = []
            for sid, fs in self.sections.items():
                sp = sid.split(".")
                if len(sp) == len(parts) and all(fnmatch.fnmatchcase(a, b) for a, b in zip(sp, parts, strict=True)):
                    out.append(fs)
            return out
        return [self.sections[pattern]] if pattern in self.sections else []

    def unknown_section_hint(self, pattern: str) -> str:
        hint = suggest(pattern, self.sections)
        return hint or available(self.sections)


def _flatten(sections: list[Section], prefix: str, depth: int, out: dict[str, FlatSection],
             located: Located, path: tuple[str | int, ...], problems: list[Problem]) -> None:
    for i, s in enumerate(sections):
        full = f"{prefix}.{s.id}" if prefix else s.id
        if full in out:
            problems.append(located.problem((*path, i, "id"), _("duplicate section id {id!r}").format(id=full),
                                            code="E-DUPLICATE-ID"))
            continue
        out[full] = FlatSection(full, depth, s, prefix, (*path, i))
        _flatten(s.children, full, depth + 1, out, located, (*path, i, "children"), problems)


def load_pack(path: Path, period: str = "", variables: Mapping[str, str] | None = None) -> LoadedPack:
    """Load and validate a source pack and its data sources; every problem is located.

    ``period`` and ``variables`` (the brief's period and vars) are bound as a database query's
    parameters; packs without a query do not depend on them."""
    located = load_yaml_file(path)
    try:
        pack = validate(SourcePack, located)
    except BriefError as e:  # the problems validation cannot see yet: duplicate ids, missing data files
        raise BriefError([*e.problems, *_raw_problems(located, path)]) from None
    problems: list[Problem] = []
    sections: dict[str, FlatSection] = {}
    _flatten(pack.sections, "", 1, sections, located, ("sections",), problems)
    figures: dict[str, Figure] = {}
    title = pack.meta.title
    for i, f in enumerate(pack.figures):
        if f.id in figures:
            problems.append(_duplicate(located, ("figures", i, "id"), "figure", f.id))
        figures[f.id] = f
        home = sections.get(f.section)
        f._prov = Provenance(title, str(path), located.where(("figures", i))[0], f.section, f.source_line,
                             section_title=home.title if home is not None else "")
        if f.section and f.section not in sections:
            problems.append(
                located.problem(
                    ("figures", i, "section"),
                    _("unknown section {id!r}").format(id=f.section),
                    suggest(f.section, sections) or available(sections),
                    code="E-UNKNOWN-SECTION",
                )
            )
    loaded = LoadedPack(path, pack, located, sections, figures)
    if pack.data is not None:
        _load_data(loaded, pack.data, problems, period, variables or {})
    known = set(figures) | set(loaded.indicators)
    for i, f in enumerate(pack.figures):
        for k, ref in enumerate(f.total_of):
            if ref not in known or ref == f.id:
                problems.append(located.problem(("figures", i, "total_of", k),
                                                _("unknown figure {id!r}").format(id=ref),
                                                suggest(ref, known - {f.id}) or available(known - {f.id}),
                                                code="E-UNKNOWN-FIGURE"))
    if problems:
        raise BriefError(problems)
    return loaded


def _load_data(loaded: LoadedPack, data: DataSection, problems: list[Problem], period: str,
               variables: Mapping[str, str]) -> None:
    """Read the data sources into per-indicator series, checking indicators, units and duplicates."""
    located = loaded.located
    for i, ind in enumerate(data.indicators):
        path_i = ("data", "indicators", i)
        if ind.id in loaded.indicators:
            problems.append(_duplicate(located, (*path_i, "id"), "indicator", ind.id))
        if ind.id in loaded.figures:
            problems.append(located.problem((*path_i, "id"),
                                            _("indicator id {id!r} is also a figure id").format(id=ind.id),
                                            code="E-DUPLICATE-ID"))
        if ind.section and ind.section not in loaded.sections:
            problems.append(located.problem((*path_i, "section"), _("unknown section {id!r}").format(id=ind.section),
                                            suggest(ind.section, loaded.sections) or available(loaded.sections),
                                            code="E-UNKNOWN-SECTION"))
        loaded.indicators[ind.id] = ind
        loaded.series[ind.id] = {}
    for i, ind in enumerate(data.indicators):
        for k, ref in enumerate(ind.total_of):
            if ref not in loaded.indicators or ref == ind.id:
                problems.append(located.problem(("data", "indicators", i, "total_of", k),
                                                _("unknown indicator {id!r}").format(id=ref),
                                                suggest(ref, loaded.indicators) or available(loaded.indicators),
                                                code="E-UNKNOWN-INDICATOR"))
    read = read_sources(data, loaded.path, located, loaded.indicators,
                        query_params(period, variables, data.lookback))
    problems.extend(read.problems)
    loaded.data_files.update(read.files)
    loaded.data_queries.update(read.queries)
    for pt in read.points:
        _add_point(loaded, pt, problems)


def _add_point(loaded: LoadedPack, pt: DataPoint, problems: list[Problem]) -> None:
    """Put one point into its indicator's series: declared indicator, same unit, one value per period."""
    file, line = pt.location
    ind_def = loaded.indicators.get(pt.indicator)
    if ind_def is None:
        problems.append(Problem(_("indicator {id!r} is not declared in data.indicators").format(id=pt.indicator),
                                file, line, path="indicator",
                                hint=suggest(pt.indicator, loaded.indicators) or available(loaded.indicators),
                                code="E-UNKNOWN-INDICATOR"))
        return
    if pt.unit and pt.unit != ind_def.unit:
        problems.append(Problem(_("unit {unit!r} differs from indicator {id!r}'s unit {declared!r}")
                                .format(unit=pt.unit, id=pt.indicator, declared=ind_def.unit),
                                file, line, path="unit", hint=_("convert the value or fix the unit"),
                                code="E-UNIT-MISMATCH"))
        return
    series = loaded.series[pt.indicator]
    if pt.period in series:
        f_file, f_line = series[pt.period].location
        first = f"{f_file}:{f_line}" if f_line is not None else f_file
        problems.append(Problem(_("second value for {id} in {period}").format(id=pt.indicator, period=pt.period),
                                file, line, hint=_("first at {where}").format(where=first), code="E-DUPLICATE-VALUE"))
        return
    series[pt.period] = pt


def _duplicate(located: Located, path: tuple[str | int, ...], what: str, ident: str) -> Problem:
    first = {"figure": _("duplicate figure id {id!r}"), "indicator": _("duplicate indicator id {id!r}")}[what]
    return located.problem(path, first.format(id=ident), code="E-DUPLICATE-ID")


def _missing_data_file(located: Located, k: int, ref: str, pack_path: Path) -> Problem:
    return located.problem(("data", "files", k), _("data file not found: {path}").format(path=ref),
                           suggest_file(ref, pack_path.parent) or _("paths are relative to the pack file"),
                           code="E-FILE-NOT-FOUND")


def _raw_problems(located: Located, path: Path) -> list[Problem]:
    """Duplicate figure and indicator ids and missing data files of a pack that did not validate,
    read from its raw data (so one run shows them beside the validation errors)."""
    data: Any = located.data
    if not isinstance(data, dict):
        return []
    out: list[Problem] = []
    for what, items, at in (("figure", data.get("figures"), ("figures",)),
                            ("indicator", (data.get("data") or {}).get("indicators")
                             if isinstance(data.get("data"), dict) else None, ("data", "indicators"))):
        seen: set[str] = set()
        for i, item in enumerate(items if isinstance(items, list) else []):
            ident = item.get("id") if isinstance(item, dict) else None
            if isinstance(ident, str):
                if ident in seen:
                    out.append(_duplicate(located, (*at, i, "id"), what, ident))
                seen.add(ident)
    files = data["data"].get("files") if isinstance(data.get("data"), dict) else None
    for k, ref in enumerate(files if isinstance(files, list) else []):
        if isinstance(ref, str) and not (path.parent / ref).is_file():
            out.append(_missing_data_file(located, k, ref, path))
    return out
