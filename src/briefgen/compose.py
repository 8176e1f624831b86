"""Turn a validated brief, its source packs and templates into one backend-neutral Document."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.dates import chinese_date
from briefgen.errors import BriefError, Problem, available, suggest
from briefgen.figures import FIG_FORMATS, fig_text, figure_table
from briefgen.markdown import markdown_blocks
from briefgen.markup import parse_blocks
from briefgen.numbering import number_headings
from briefgen.punctuation import normalise
from briefgen.sourcepack import Figure, FlatSection, LoadedPack
from briefgen.spec import (
    Brief,
    HeadingBlock,
    PageBreakBlock,
    SectionBlock,
    TableBlock,
    TextBlock,
    TocBlock,
)
from briefgen.templating import Templates
from briefgen.textsafe import sanitize
from briefgen.theme import Theme
from briefgen.tree import (
    Block,
    Box,
    ClosingBlock,
    Cover,
    Document,
    Heading,
    ListBlock,
    Masthead,
    Metadata,
    PageBreak,
    Paragraph,
    Span,
    Table,
    TableCell,
    TocPlaceholder,
    plain,
)
from briefgen.yamlsafe import Located

DEFAULT_SECTION_TEMPLATE = "section.xml.j2"


@dataclass
class Composed:
    """The document plus what the composition noticed (warnings, punctuation changes)."""

    document: Document
    warnings: list[str] = field(default_factory=list)
    punctuation_changes: int = 0
    figures_used: list[str] = field(default_factory=list)


class Composer:
    """Builds the document tree for one brief; collects every problem before failing."""

    def __init__(
        self, brief: Brief, located: Located, packs: dict[str, LoadedPack], theme: Theme,
        templates: Templates,
    ) -> None:
        self.brief = brief
        self.loc = located
        self.packs = packs
        self.theme = theme
        self.templates = templates
        self.problems: list[Problem] = []
        self.warnings: list[str] = []
        self.figures_used: list[str] = []

    # ------------------------------------------------------------ helpers
    def _problem(self, path: tuple[str | int, ...], message: str, hint: str = "") -> None:
        self.problems.append(self.loc.problem(path, message, hint))

    def _pack(self, i: int, name: str | None) -> LoadedPack | None:
        key = name or next(iter(self.brief.sources))
        if key not in self.packs:
            self._problem(("blocks", i, "source"), f"unknown source {key!r}",
                          suggest(key, self.packs) or available(self.packs))
            return None
        return self.packs[key]

    def _brief_context(self) -> dict[str, Any]:
        b = self.brief
        return {
            "title": b.title, "subtitle": b.subtitle, "name": b.name, "unit": b.unit,
            "issue": b.issue, "issue_total": b.issue_total, "date": chinese_date(b.date),
            "audience": b.audience, "mark": b.mark,
        }

    def _fig_function(self, pack: LoadedPack, where: str) -> Any:
        def fig(fid: str, fmt: str = "value") -> str:
            if fid not in pack.figures:
                raise BriefError.at(f"unknown figure {fid!r}",
                                    hint=suggest(fid, pack.figures) or available(pack.figures))
            if fmt not in FIG_FORMATS:
                raise BriefError.at(f"unknown figure format {fmt!r}",
                                    hint="formats: " + ", ".join(FIG_FORMATS))
            self.figures_used.append(fid)
            return fig_text(pack.figures[fid], fmt)

        return fig

    @staticmethod
    def _section_context(fs: FlatSection, pack: LoadedPack) -> dict[str, Any]:
        s = fs.section
        return {
            "id": fs.id, "title": s.title, "subtitle": s.subtitle, "summary": s.summary,
            "body": list(s.body), "depth": fs.depth, "keywords": list(s.keywords),
            "children": [
                {"id": f"{fs.id}.{c.id}", "title": c.title, "subtitle": c.subtitle,
                 "summary": c.summary, "body": list(c.body)}
                for c in s.children
            ],
        }

    # ------------------------------------------------------------ blocks
    def section_block(self, i: int, blk: SectionBlock) -> list[Block]:
        pack = self._pack(i, blk.source)
        if pack is None:
            return []
        selected = pack.select(blk.section)
        if not selected:
            self._problem(("blocks", i, "section"), f"no section matches {blk.section!r}",
                          pack.unknown_section_hint(blk.section))
            return []
        if blk.heading and len(selected) > 1:
            self._problem(("blocks", i, "heading"),
                          f"heading override needs exactly one section, {blk.section!r} selects {len(selected)}",
                          "remove heading, or select one section id")
        ids = {fs.id for fs in selected}
        for opt in ("questions", "keypoints"):
            for key in getattr(blk, opt):
                if key not in ids:
                    self._problem(("blocks", i, opt, key), f"{key!r} is not among the selected sections",
                                  suggest(key, ids) or available(ids))
        name = blk.template or DEFAULT_SECTION_TEMPLATE
        if not self.templates.exists(name):
            self._problem(("blocks", i, "template"), f"template {name!r} not found",
                          self.templates.missing_hint(name))
            return []
        out: list[Block] = []
        where = self.templates.path_of(name)
        for fs in selected:
            ctx = {
                "section": self._section_context(fs, pack),
                "heading": blk.heading or fs.section.title,
                "show_heading": blk.headings and blk.mode != "none",
                "level": blk.level,
                "numbered": "yes" if blk.numbered else "no",
                "mode": blk.mode,
                "question": blk.questions.get(fs.id, ""),
                "keypoints": blk.keypoints.get(fs.id, []),
                "brief": self._brief_context(),
                "source": {"title": pack.meta.title, "publisher": pack.meta.publisher,
                           "date": chinese_date(pack.meta.date), "attribution": pack.meta.attribution},
                "vars": dict(self.brief.vars),
                "fig": self._fig_function(pack, where),
            }
            try:
                out.extend(parse_blocks(self.templates.render(name, ctx), where))
            except BriefError as e:
                self.problems.extend(e.problems)
        return out

    def table_block(self, i: int, blk: TableBlock) -> list[Block]:
        pack = self._pack(i, blk.source)
        if pack is None:
            return []
        figs: list[Figure] = []
        for k, fid in enumerate(blk.ids):
            if fid not in pack.figures:
                self._problem(("blocks", i, "ids", k), f"unknown figure {fid!r}",
                              suggest(fid, pack.figures) or available(pack.figures))
            else:
                figs.append(pack.figures[fid])
        if blk.tags:
            all_tags = {t for f in pack.figures.values() for t in f.tags}
            for k, tag in enumerate(blk.tags):
                if tag not in all_tags:
                    self._problem(("blocks", i, "tags", k), f"no figure has tag {tag!r}",
                                  suggest(tag, all_tags) or available(all_tags))
            figs.extend(f for f in pack.figures.values() if set(f.tags) & set(blk.tags) and f not in figs)
        if blk.section:
            secs = {fs.id for fs in pack.select(blk.section)}
            if not secs:
                self._problem(("blocks", i, "section"), f"no section matches {blk.section!r}",
                              pack.unknown_section_hint(blk.section))
            figs.extend(f for f in pack.figures.values() if f.section in secs and f not in figs)
        if not blk.ids and not blk.tags and not blk.section:
            figs = list(pack.figures.values())
        if not figs:
            if not any(p.path.startswith(f"blocks[{i}]") for p in self.problems):
                self._problem(("blocks", i), "the table selects no figures")
            return []
        self.figures_used.extend(f.id for f in figs)
        note = blk.source_note
        if note is None:
            m = pack.meta
            note = m.attribution or (f"资料来源：{m.publisher}{chinese_date(m.date)}报道" if m.publisher else "")
        out: list[Block] = []
        if blk.heading:
            out.append(Heading(blk.level, plain(blk.heading)))
        out.append(figure_table(figs, list(blk.columns), blk.caption, note,
                                self.theme.table_style, blk.group_by_category))
        return out

    def text_block(self, i: int, blk: TextBlock) -> list[Block]:
        out: list[Block] = []
        if blk.heading:
            out.append(Heading(blk.level, plain(blk.heading)))
        out.extend(markdown_blocks(blk.text, blk.role, base_level=blk.level + (1 if blk.heading else 0),
                                   warnings=self.warnings))
        return out

    # ------------------------------------------------------------ document
    def compose(self) -> Composed:
        b, theme = self.brief, self.theme
        body: list[Block] = []
        has_toc = any(isinstance(x, TocBlock) for x in b.blocks)
        for i, blk in enumerate(b.blocks):
            if isinstance(blk, SectionBlock):
                body.extend(self.section_block(i, blk))
            elif isinstance(blk, TableBlock):
                body.extend(self.table_block(i, blk))
            elif isinstance(blk, TextBlock):
                body.extend(self.text_block(i, blk))
            elif isinstance(blk, HeadingBlock):
                body.append(Heading(blk.level, plain(blk.heading), numbered=blk.numbered))
            elif isinstance(blk, PageBreakBlock):
                body.append(PageBreak())
            elif isinstance(blk, TocBlock):
                body.append(TocPlaceholder(blk.title))
        if self.problems:
            raise BriefError(self.problems)

        front: list[Block] = []
        date_text = chinese_date(b.date)
        if theme.blocks.cover:
            front.append(Cover(b.title, b.subtitle, b.name or "学习材料", b.unit, date_text, b.mark))
        if theme.blocks.toc and not has_toc:
            front.append(TocPlaceholder())
        if theme.blocks.masthead:
            issue_line = f"第{b.issue}期" if b.issue else ""
            if b.issue_total:
                issue_line += f"（总第{b.issue_total}期）"
            front.append(Masthead(b.name or b.title, issue_line, b.unit, date_text, b.mark))
        if b.editor_note:
            front.append(Paragraph((Span("编者按：", strong=True), Span(b.editor_note.strip())), "note"))
        tail: list[Block] = []
        if theme.blocks.closing and b.closing:
            c = b.closing
            lines = [(k, v) for k, v in (("报", c.bao), ("送", c.song), ("发", c.fa)) if v]
            copies = f"（共印{c.copies}份）" if c.copies else ""
            tail.append(ClosingBlock(lines, copies))

        meta = Metadata(
            title=b.title, subtitle=b.subtitle, author=b.unit,
            subject=b.subtitle or b.audience or b.title, keywords=list(b.keywords), date=b.date,
        )
        doc = Document(meta, front + body + tail, show_title=True)
        changes = clean_text(doc, theme.punctuation.normalise, self.warnings)
        number_headings(doc, theme.numbering)
        return Composed(doc, self.warnings, changes, self.figures_used)


def clean_text(doc: Document, normalise_punct: bool, warnings: list[str]) -> int:
    """Make every text in the tree XML-safe and (optionally) normalise punctuation; count changes."""
    changes = 0

    def fix(text: str) -> str:
        nonlocal changes
        text, issues = sanitize(text)
        warnings.extend(issues)
        if normalise_punct:
            text, n = normalise(text)
            changes += n
        return text

    def spans(inl: tuple[Span, ...]) -> tuple[Span, ...]:
        return tuple(Span(fix(s.text), s.strong, s.emphasis) for s in inl)

    def walk(blocks: list[Block]) -> None:
        for blk in blocks:
            if isinstance(blk, (Heading, Paragraph)):
                blk.inlines = spans(blk.inlines)
            elif isinstance(blk, ListBlock):
                blk.items = [spans(it) for it in blk.items]
            elif isinstance(blk, Table):
                blk.rows = [[TableCell(fix(c.text), c.align, c.strong) for c in r] for r in blk.rows]
                blk.caption, blk.source_note = fix(blk.caption), fix(blk.source_note)
            elif isinstance(blk, Box):
                blk.title = fix(blk.title)
                walk(blk.blocks)
            elif isinstance(blk, (Masthead, Cover)):
                for name in vars(blk):
                    setattr(blk, name, fix(getattr(blk, name)))
            elif isinstance(blk, ClosingBlock):
                blk.lines = [(k, fix(v)) for k, v in blk.lines]
            elif isinstance(blk, TocPlaceholder):
                blk.title = fix(blk.title)

    doc.meta.title = fix(doc.meta.title)
    doc.meta.subtitle = fix(doc.meta.subtitle)
    doc.meta.author = fix(doc.meta.author)
    walk(doc.blocks)
    return changes


def source_paths(brief: Brief, base: Path) -> dict[str, Path]:
    return {k: (base / v) for k, v in brief.sources.items()}
