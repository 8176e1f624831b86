"""Turn a source-pack YAML file into validated sections and key figures, and select sections by id or pattern."""

from __future__ import annotations

import datetime as dt
import fnmatch
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from briefgen.errors import BriefError, Problem, available, suggest
from briefgen.validate import validate
from briefgen.yamlsafe import Located, load_yaml_file

ID_PATTERN = r"^[a-z0-9][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False, frozen=False)


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


class Figure(_Strict):
    """One key figure: a number with unit, period, scope, change and the section it comes from."""

    id: Annotated[str, Field(pattern=ID_PATTERN)]
    label: str
    value: Decimal
    unit: str = ""
    period: str = ""
    change: Change | None = None
    scope: str = ""
    section: str = ""
    category: str = ""
    kind: str = Field("amount", description="amount | count | rate | ranking | target")
    tags: list[str] = Field(default_factory=list)
    note: str = ""
    source_line: int | None = Field(None, description="line in the original article")


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
            problems.append(located.problem((*path, i, "id"), f"duplicate section id {full!r}"))
            continue
        out[full] = FlatSection(full, depth, s, prefix)
        _flatten(s.children, full, depth + 1, out, located, (*path, i, "children"), problems)


def load_pack(path: Path) -> LoadedPack:
    """Load and validate a source pack; every problem is located in the pack file."""
    located = load_yaml_file(path)
    pack = validate(SourcePack, located)
    problems: list[Problem] = []
    sections: dict[str, FlatSection] = {}
    _flatten(pack.sections, "", 1, sections, located, ("sections",), problems)
    figures: dict[str, Figure] = {}
    for i, f in enumerate(pack.figures):
        if f.id in figures:
            problems.append(located.problem(("figures", i, "id"), f"duplicate figure id {f.id!r}"))
        figures[f.id] = f
        if f.section and f.section not in sections:
            problems.append(
                located.problem(
                    ("figures", i, "section"),
                    f"unknown section {f.section!r}",
                    suggest(f.section, sections) or available(sections),
                )
            )
    if problems:
        raise BriefError(problems)
    return LoadedPack(path, pack, located, sections, figures)
