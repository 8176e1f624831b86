"""Turn a source-pack YAML file into validated sections and key figures, and select sections by id or pattern."""

from __future__ import annotations

import datetime as dt
import fnmatch
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
from briefgen.model.datasets import DataPoint, load_data_file
from briefgen.model.periods import Period

ID_PATTERN = r"^[a-z0-9][a-z0-9_]*$"
# what a figure or indicator counts: changes of a rate are in 百分点, of the others in %
FigureKind = Literal["amount", "count", "rate", "ranking", "target"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=False)


@dataclass(frozen=True)
class Provenance:
    """Where a figure comes from: the pack (document), its section, and an article line or data rows."""

    document: str  # the pack's meta.title
    pack_file: str
    pack_line: int | None  # where the figure or indicator is defined in the pack
    section: str = ""
    source_line: int | None = None  # line in the original article
    data_file: str = ""
    data_row: int | None = None  # line in the data file
    computed_from: tuple[int, ...] = ()  # data-file lines of the values a change was computed from

    def text(self) -> str:
        """``《标题》context.economy，原文第10行`` / ``monthly.csv第37行（同比、环比据第25、36行计算）``."""
        parts = [f"《{self.document}》" if self.document else Path(self.pack_file).name]
        if self.section:
            parts.append(self.section)
        where = ""
        if self.data_file:
            where = f"{Path(self.data_file).name}第{self.data_row}行"
            if self.computed_from:
                rows = "、".join(str(r) for r in self.computed_from)
                where += f"（增幅据第{rows}行计算）"
        elif self.source_line is not None:
            where = f"原文第{self.source_line}行"
        text = " ".join(parts)
        return f"{text}，{where}" if where else text

    def complete(self) -> bool:
        return bool(self.document) and (self.data_row is not None or self.source_line is not None)


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
    note: str = ""
    source_line: int | None = Field(None, description="line in the original article")
    total_of: list[str] = Field(
        default_factory=list,
        description="ids of the figures this one totals: printed as a subtotal row after them; "
        "briefgen check compares the sum",
    )

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
    note: str = ""
    total_of: list[str] = Field(default_factory=list, description="ids of the indicators it totals")
    decimals: int = Field(1, ge=0, le=4, description="decimals of computed 同比/环比 changes")


class DataSection(_Strict):
    """Period data: files with ``period, indicator, value, unit`` rows, and their indicators."""

    files: list[str] = Field(min_length=1, description="CSV or YAML files, relative to the pack file")
    indicators: list[Indicator] = Field(min_length=1)


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

    def inputs_changed(self) -> bool:
        """True when a data file changed since the pack was loaded (for caches keyed on the pack)."""
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
        out[full] = FlatSection(full, depth, s, prefix)
        _flatten(s.children, full, depth + 1, out, located, (*path, i, "children"), problems)


def load_pack(path: Path) -> LoadedPack:
    """Load and validate a source pack and its data files; every problem is located."""
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
        f._prov = Provenance(title, str(path), located.where(("figures", i))[0], f.section, f.source_line)
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
        _load_data(loaded, pack.data, problems)
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


def _load_data(loaded: LoadedPack, data: DataSection, problems: list[Problem]) -> None:
    """Read the data files into per-indicator series, checking indicators, units and duplicates."""
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
    for k, ref in enumerate(data.files):
        fpath = (loaded.path.parent / ref).resolve()
        if not fpath.is_file():
            problems.append(_missing_data_file(located, k, ref, loaded.path))
            continue
        try:
            points = load_data_file(fpath)
            loaded.data_files[fpath] = sha256_file(fpath)
        except BriefError as e:
            problems.extend(e.problems)
            continue
        for pt in points:
            ind_def = loaded.indicators.get(pt.indicator)
            if ind_def is None:
                problems.append(Problem(_("indicator {id!r} is not declared in data.indicators")
                                        .format(id=pt.indicator),
                                        pt.file, pt.line, path="indicator",
                                        hint=suggest(pt.indicator, loaded.indicators)
                                        or available(loaded.indicators), code="E-UNKNOWN-INDICATOR"))
                continue
            if pt.unit and pt.unit != ind_def.unit:
                problems.append(Problem(_("unit {unit!r} differs from indicator {id!r}'s unit {declared!r}")
                                        .format(unit=pt.unit, id=pt.indicator, declared=ind_def.unit),
                                        pt.file, pt.line, path="unit",
                                        hint=_("convert the value or fix the unit"), code="E-UNIT-MISMATCH"))
                continue
            series = loaded.series[pt.indicator]
            if pt.period in series:
                first = series[pt.period]
                problems.append(Problem(_("second value for {id} in {period}").format(id=pt.indicator,
                                                                                      period=pt.period),
                                        pt.file, pt.line, hint=_("first at {where}").format(
                                            where=f"{first.file}:{first.line}"), code="E-DUPLICATE-VALUE"))
                continue
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
