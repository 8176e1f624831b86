"""Turn a validated brief, its source packs and templates into one backend-neutral Document."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from briefgen.compose.appendix import sources_appendix
from briefgen.compose.charts import build_chart, figure_series, period_labels
from briefgen.compose.cleaning import clean_text
from briefgen.compose.composer_messages import heading_only, no_change, unknown_format
from briefgen.compose.consistency import Composition, describe, findings
from briefgen.compose.footnotes import FigureNotes, note_after_text, number_notes
from briefgen.compose.frontmatter import closing_blocks, front_blocks
from briefgen.compose.gongwen import arrange, attachment_block
from briefgen.compose.images import ImageMaker, image_block, logo_image, section_images
from briefgen.compose.keyfig_refs import FigureIndex, FigureUse, RefError
from briefgen.compose.keyfig_tables import (
    CHANGE_FORMATS,
    FIG_FORMATS,
    fig_text,
    figure_table,
    indicator_table,
    series_table,
)
from briefgen.compose.markdown import markdown_blocks
from briefgen.compose.markup import parse_blocks
from briefgen.compose.numbering import number_headings
from briefgen.compose.placeholders import locate, substitute
from briefgen.compose.placement import attach_notes, float_landscape, share_sources
from briefgen.compose.reference import apply as apply_reference
from briefgen.compose.reference import load as load_reference
from briefgen.compose.table_type import table_setup
from briefgen.compose.templating import Templates, template_line
from briefgen.errors import BriefError, Problem, available, format_path, suggest
from briefgen.i18n import _
from briefgen.inputs.yamlsafe import Located
from briefgen.model.dates import chinese_date
from briefgen.model.periods import Period, parse_period
from briefgen.model.sourcepack import Figure, FlatSection, LoadedPack
from briefgen.model.spec import (
    AppendixBlock,
    AttachmentBlock,
    Brief,
    ChartBlock,
    HeadingBlock,
    ImageBlock,
    PageBreakBlock,
    SectionBlock,
    TableBlock,
    TextBlock,
    TocBlock,
)
from briefgen.model.theme import MM, Theme
from briefgen.tree import (
    Block,
    ChartSeries,
    Document,
    Heading,
    Metadata,
    PageBreak,
    Paragraph,
    Table,
    TocPlaceholder,
    plain,
)

DEFAULT_SECTION_TEMPLATE = "section.xml.j2"
COMPUTED_TEXT_NOTE = "注：文中同比、环比增幅为briefgen根据上年同期、上期数据计算的计算值。"
COMPUTED_CHART_NOTE = "注：图中增幅为briefgen根据上年同期、上期数据计算的计算值。"


@dataclass
class Composed:
    """The document plus what the composition noticed (warnings, punctuation changes, findings)."""

    document: Document
    warnings: list[str] = field(default_factory=list)
    punctuation_changes: int = 0
    figures_used: list[str] = field(default_factory=list)
    uses: list[FigureUse] = field(default_factory=list)
    # Located data-consistency findings (stale, contradicting prose, units, provenance): warnings
    # for `briefgen check`, errors with --strict.
    findings: list[Problem] = field(default_factory=list)
    theme: Theme | None = None  # set when a reference template changes the page: render with this one


def _attribution(pack: LoadedPack) -> str:
    m = pack.meta
    return m.attribution or (f"资料来源：{m.publisher}{chinese_date(m.date)}报道" if m.publisher else "")


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
        self.heading_only: list[Problem] = []  # sections that would print as a bare heading
        self.figures_used: list[str] = []
        self.uses: list[FigureUse] = []
        self.period: Period | None = parse_period(brief.period) if brief.period else None
        if self.period is None:
            latest = [p for pk in packs.values() for s in pk.series.values() for p in s]
            self.period = max(latest) if latest else None
        self.index = FigureIndex(packs, self.period)
        self._computed_used = False
        self.images = ImageMaker(theme, located.file)
        self.fig_notes = FigureNotes()  # key figures' notes: footnotes where first printed

    # ------------------------------------------------------------ helpers
    def _problem(self, path: tuple[str | int, ...], message: str, hint: str = "", code: str = "") -> None:
        self.problems.append(self.loc.problem(path, message, hint, code=code))

    def _pack(self, i: int, name: str | None) -> LoadedPack | None:
        key = name or next(iter(self.brief.sources))
        if key not in self.packs:
            self._problem(("blocks", i, "source"), _("unknown source {key!r}").format(key=key),
                          suggest(key, self.packs) or available(self.packs), code="E-UNKNOWN-SOURCE")
            return None
        return self.packs[key]

    def _brief_context(self) -> dict[str, Any]:
        b = self.brief
        return {
            "title": b.title, "subtitle": b.subtitle, "name": b.name, "unit": b.unit,
            "issue": b.issue, "issue_total": b.issue_total, "date": chinese_date(b.date),
            "audience": b.audience, "mark": b.mark,
        }

    def _use(self, ref: str, fig: Figure, file: str, line: int | None, col: int | None, path: str,
             fmt: str = "value") -> None:
        self.figures_used.append(ref)
        self.uses.append(FigureUse(ref, fig, file, line, col, path, fmt))
        ch = {"change": fig.change, "full": fig.change, "yoy": fig.change, "mom": fig.mom}.get(fmt)
        if ch is not None and ch.computed:
            self._computed_used = True

    def _fig_function(self, pack: LoadedPack, where: str) -> Any:
        def fig(fid: str, fmt: str = "value") -> str:
            try:
                f = self.index.get(str(fid), pack)
            except RefError as e:
                raise BriefError.at(str(e), hint=e.hint, code=e.code) from None
            if fmt not in FIG_FORMATS:
                message, hint = unknown_format(fmt)
                raise BriefError.at(message, hint=hint, code="E-FIGURE-FORMAT")
            text = fig_text(f, fmt)
            if fmt in CHANGE_FORMATS and not text:
                message, hint = no_change(fid, fmt, f.period)
                raise BriefError.at(message, hint=hint, code="E-NO-CHANGE")
            self._use(str(fid), f, where, template_line(), None, "", fmt)
            return text + self.fig_notes.mark(f, fmt)

        return fig

    def _expand(self, text: str, path: tuple[str | int, ...], markdown: bool = False,
                pack: LoadedPack | None = None) -> str:
        """Replace ``{fig:…}`` / ``{period}`` placeholders in a brief text field (see placeholders)."""
        if "{" not in text:
            return text
        line0, _col = self.loc.where(path)
        seen: dict[str, int] = {}
        shown = format_path(path)

        def resolve(use: Any) -> str:
            n = seen.get(use.raw, 0)
            seen[use.raw] = n + 1
            line, col = locate(self.loc.file, line0, use.raw, n)
            if not use.ref:
                if self.period is None:
                    self.problems.append(Problem(_("{period} needs the brief's period"), self.loc.file, line, col,
                                                 shown, _("set period: YYYY-MM or --set period=…"),
                                                 code="E-NO-PERIOD"))
                    return str(use.raw)
                return self.period.chinese
            try:
                f = self.index.get(use.ref, pack if pack and self.index.has(pack, use.ref) else None)
            except RefError as e:
                self.problems.append(Problem(str(e), self.loc.file, line, col, shown, e.hint, code=e.code))
                return str(use.raw)
            if use.fmt not in FIG_FORMATS:
                message, hint = unknown_format(use.fmt)
                self.problems.append(Problem(message, self.loc.file, line, col, shown,
                                             suggest(use.fmt, FIG_FORMATS) or hint, code="E-FIGURE-FORMAT"))
                return str(use.raw)
            out = fig_text(f, use.fmt)
            if use.fmt in CHANGE_FORMATS and not out:
                message, hint = no_change(use.ref, use.fmt, f.period)
                self.problems.append(Problem(message, self.loc.file, line, col, shown, hint, code="E-NO-CHANGE"))
                return str(use.raw)
            self._use(use.ref, f, self.loc.file, line, col, shown, use.fmt)
            return out + self.fig_notes.mark(f, use.fmt) if markdown else out

        return substitute(text, resolve, markdown)

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
    def _heading_only(self, i: int, blk: SectionBlock, fs: FlatSection, template: str) -> None:
        """A finding when the default template would print only this section's heading: no summary
        (mode: summary), or neither summary nor body (mode: full)."""
        s = fs.section
        if template != DEFAULT_SECTION_TEMPLATE or blk.mode == "title" or not blk.headings:
            return
        if s.summary or (blk.mode == "full" and s.body) or blk.questions.get(fs.id) or blk.keypoints.get(fs.id):
            return
        message, hint = heading_only(fs.id, blk.mode, bool(s.body), bool(s.children))
        self.heading_only.append(self.loc.problem(("blocks", i, "section"), message, hint, code="W-HEADING-ONLY"))

    def section_block(self, i: int, blk: SectionBlock) -> list[Block]:
        pack = self._pack(i, blk.source)
        if pack is None:
            return []
        selected = pack.select(blk.section)
        if not selected:
            self._problem(("blocks", i, "section"), _("no section matches {section!r}").format(section=blk.section),
                          pack.unknown_section_hint(blk.section), code="E-UNKNOWN-SECTION")
            return []
        if blk.heading and len(selected) > 1:
            self._problem(("blocks", i, "heading"),
                          _("heading override needs exactly one section, {section!r} selects {n}").format(
                              section=blk.section, n=len(selected)),
                          _("remove heading, or select one section id"))
        ids = {fs.id for fs in selected}
        for opt in ("questions", "keypoints"):
            for key in getattr(blk, opt):
                if key not in ids:
                    self._problem(("blocks", i, opt, key), _("{key!r} is not among the selected sections").format(key=key),
                                  suggest(key, ids) or available(ids))
        name = blk.template or DEFAULT_SECTION_TEMPLATE
        if not self.templates.exists(name):
            self._problem(("blocks", i, "template"), _("template {name!r} not found").format(name=name),
                          self.templates.missing_hint(name), code="E-TEMPLATE-NOT-FOUND")
            return []
        out: list[Block] = []
        where = self.templates.path_of(name)
        for fs in selected:
            self._heading_only(i, blk, fs, name)
            ctx = {
                "section": self._section_context(fs, pack),
                "heading": blk.heading or fs.section.title,
                "show_heading": blk.headings,
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
            self._computed_used = False
            try:
                made = self.fig_notes.attach(parse_blocks(self.templates.render(name, ctx), where))
                note_after_text(made, fs.section.note)
                out.extend(made)
            except BriefError as e:
                self.problems.extend(e.problems)
            if self._computed_used:
                out.append(Paragraph(plain(COMPUTED_TEXT_NOTE), "source"))
            if blk.images:
                out.extend(section_images(self, fs, pack))
        return out

    def _select(self, i: int, blk: TableBlock | ChartBlock, pack: LoadedPack) -> list[Figure]:
        """The figures a table or chart block names by ids, tags and section (period data at the
        brief's period), each use recorded with its spec location."""
        figs: list[Figure] = []
        by_id: dict[str, list[Figure]] = {}  # equal figures share an id: linear, not quadratic

        def add(ref: str, path: tuple[str | int, ...]) -> None:
            try:  # an id of another pack: as {fig:} takes it
                f = self.index.get(ref, pack if self.index.has(pack, ref) else None)
            except RefError as e:
                self._problem(path, str(e), e.hint)
                return
            same = by_id.setdefault(f.id, [])
            if f not in same:
                same.append(f)
                figs.append(f)
                line, col = self.loc.where(path)
                self._use(ref, f, self.loc.file, line, col, format_path(path))

        for k, fid in enumerate(blk.ids):
            add(fid, ("blocks", i, "ids", k))
        if blk.tags:
            tagged = {f.id: f.tags for f in pack.figures.values()}
            tagged.update({d.id: d.tags for d in pack.indicators.values()})
            all_tags = {t for ts in tagged.values() for t in ts}
            for k, tag in enumerate(blk.tags):
                if tag not in all_tags:
                    self._problem(("blocks", i, "tags", k), _("no figure has tag {tag!r}").format(tag=tag),
                                  suggest(tag, all_tags) or available(all_tags), code="E-UNKNOWN-TAG")
            for fid, ts in tagged.items():
                if set(ts) & set(blk.tags):
                    add(fid, ("blocks", i, "tags"))
        section = getattr(blk, "section", None)
        if section:
            secs = {fs.id for fs in pack.select(section)}
            if not secs:
                self._problem(("blocks", i, "section"), _("no section matches {section!r}").format(section=section),
                              pack.unknown_section_hint(section), code="E-UNKNOWN-SECTION")
            for fid, sec in [(f.id, f.section) for f in pack.figures.values()] + [
                    (d.id, d.section) for d in pack.indicators.values()]:
                if sec in secs:
                    add(fid, ("blocks", i, "section"))
        if not blk.ids and not blk.tags and not section and not blk.series:
            for fid in [*pack.figures, *pack.indicators]:
                add(fid, ("blocks", i))
        return figs

    def _note(self, pack: LoadedPack, given: str | None, i: int, figs: Iterable[Figure] = ()) -> str:
        """The note under a table or chart: the author's, else the attribution of each pack its
        figures come from (an id may name another pack's figure), else of the block's pack."""
        if given is not None:
            return self._expand(given, ("blocks", i, "source_note"))
        files = {f.provenance.pack_file for f in figs if f.provenance is not None}
        packs = [p for p in self.packs.values() if str(p.path) in files] or [pack]
        said = list(dict.fromkeys(filter(None, (_attribution(p) for p in packs))))
        return said[0] if len(said) == 1 else "".join(t if t.endswith("。") else t + "。" for t in said)

    def _indicators(self, i: int, ids: list[str], pack: LoadedPack) -> list[str]:
        out = []
        for k, ind in enumerate(ids):
            if ind not in pack.indicators:
                pool = pack.indicators or {}
                hint = suggest(ind, pool) or available(pool) or _("the pack has no data: section")
                self._problem(("blocks", i, "series", k), _("unknown indicator {id!r}").format(id=ind), hint,
                              code="E-UNKNOWN-INDICATOR")
            else:
                out.append(ind)
        return out

    def table_block(self, i: int, blk: TableBlock) -> list[Block]:
        pack = self._pack(i, blk.source)
        if pack is None:
            return []
        caption = self._expand(blk.caption, ("blocks", i, "caption"))
        forms: list[Table]
        if blk.table == "series":
            forms = self._series_forms(i, blk, pack, caption, self._note(pack, blk.source_note, i))
            if not forms:
                return []
        else:
            figs = self.fig_notes.for_table(self._select(i, blk, pack), blk.columns)
            if not figs:
                if not any(p.path.startswith(f"blocks[{i}]") for p in self.problems):
                    self._problem(("blocks", i), _("the table selects no figures"))
                return []
            note = self._note(pack, blk.source_note, i, figs)
            forms = [figure_table(figs, list(blk.columns), caption, note, self.theme.table_style,
                                  blk.group_by_category, titles={str(k): v for k, v in blk.titles.items()},
                                  signed=blk.signed)]
        turn = blk.transpose if blk.table == "series" else False
        setup = table_setup(forms, self.theme, None if blk.landscape == "auto" else bool(blk.landscape),
                        None if blk.compact == "auto" else bool(blk.compact),
                        None if turn == "auto" else int(bool(turn)))
        table = forms[setup.form]
        table.landscape, table.reference = setup.landscape, setup.reference
        out: list[Block] = []
        if blk.heading:
            out.append(Heading(blk.level, plain(self._expand(blk.heading, ("blocks", i, "heading")))))
        out.append(table)
        return out

    def _series_forms(self, i: int, blk: TableBlock, pack: LoadedPack, caption: str, note: str) -> list[Table]:
        """A period-data table as periods down (as written) and indicators down (swapped)."""
        inds = self._indicators(i, blk.series, pack)
        if not blk.series:
            self._problem(("blocks", i), _("table: series needs series: [indicator ids]"),
                          available(pack.indicators) or _("the pack has no data: section"))
        if not inds:
            return []
        periods = self.index.periods(pack, inds[0], blk.periods)
        cols = []
        for ind in inds:
            pts = self.index.series(pack, ind, periods)
            cols.append([p.value for p in pts])
            for p in pts:
                if p.value is not None:
                    self._use(f"{ind}@{p.period}", self.index.get(f"{ind}@{p.period}", pack), self.loc.file,
                              *self.loc.where(("blocks", i, "series")), format_path(("blocks", i, "series")))
        defs = [pack.indicators[d] for d in inds]
        kept = [k for k in range(len(periods)) if any(col[k] is not None for col in cols)]  # no all-— periods
        args = ([d.label for d in defs], [d.unit for d in defs], [periods[k].chinese for k in kept],
                [[col[k] for k in kept] for col in cols], caption, note, self.theme.table_style)
        return [series_table(*args), indicator_table(*args)]

    def chart_block(self, i: int, blk: ChartBlock) -> list[Block]:
        pack = self._pack(i, blk.source)
        if pack is None:
            return []
        caption = self._expand(blk.caption, ("blocks", i, "caption"))
        series: list[ChartSeries] = []
        categories: list[str] = []
        kind = blk.chart
        units: set[str] = set()
        table_title = "项目"
        computed = False
        if blk.series and (blk.ids or blk.tags):
            self._problem(("blocks", i, "series"), _("a chart takes either series (period data) or ids/tags (figures)"),
                          _("split it into two charts"))
            return []
        if blk.series:
            note = self._note(pack, blk.source_note, i)
            inds = self._indicators(i, blk.series, pack)
            if not inds:
                return []
            periods = self.index.periods(pack, inds[0], blk.periods)
            categories = period_labels(periods)
            table_title = "时期"
            where = ("blocks", i, "series")
            for ind in inds:
                d = pack.indicators[ind]
                vals: list[Decimal | None] = []
                for per in periods:
                    ref = f"{ind}@{per}"
                    try:
                        f = self.index.get(ref, pack)
                    except RefError:
                        vals.append(None)
                        continue
                    if f.data_period != per:
                        vals.append(None)
                        continue
                    v, u, c = self._measure(f, blk.measure)
                    vals.append(v)
                    computed = computed or c
                    if v is not None:
                        units.add(u)
                        self._use(ref, f, self.loc.file, *self.loc.where(where), format_path(where))
                series.append(ChartSeries(d.label, vals))
        else:
            figs = self._select(i, blk, pack)
            if not figs:
                if not any(p.path.startswith(f"blocks[{i}]") for p in self.problems):
                    self._problem(("blocks", i), _("the chart selects no figures"),
                                  _("name figures by ids or tags, or indicators by series"))
                return []
            note = self._note(pack, blk.source_note, i, figs)
            measured = [self._measure(f, blk.measure) for f in figs]
            units = {u for v, u, _ in measured if v is not None}
            computed = any(c for _, _, c in measured)
            if kind in ("stacked", "grouped") and len({f.label for f in figs}) == len(figs):
                categories = [figs[0].period or caption or "数值"]  # the parts of one whole
                series = [ChartSeries(f.label, [v]) for f, (v, _, _) in zip(figs, measured, strict=True)]
            else:  # indicators repeated for several periods or areas are grouped (charts.figure_series)
                name = {"value": "", "yoy": "同比", "mom": "环比"}[blk.measure]
                kind, categories, series = figure_series(kind, figs, [v for v, _, _ in measured], name)
            table_title = "指标"
        if not any(v is not None for s in series for v in s.values):
            self._problem(("blocks", i), _("the chart has no values to draw"),
                          _("the data has no values (or no changes) for these periods"))
            return []
        if len(units) > 1 and blk.unit is None:
            self._problem(("blocks", i), _("the chart mixes units: {units}").format(units=", ".join(sorted(units))),
                          _("chart figures of one unit, or set unit: to label the axis"))
            return []
        unit = blk.unit if blk.unit is not None else (next(iter(units)) if units else "")
        width = blk.width_mm or round(self.theme.type_area_width * 25.4 / 72, 1)
        labels = blk.value_labels if blk.value_labels is not None else blk.chart != "line"
        chart = build_chart(kind, categories, series, unit=unit, caption=caption, source_note=note,
                            alt=self._expand(blk.alt, ("blocks", i, "alt")), show_table=blk.show_table,
                            value_labels=labels, width_mm=width, height_mm=blk.height_mm,
                            table_style=self.theme.table_style, table_title=table_title,
                            time_axis=bool(blk.series), page_height_mm=self.theme.type_area_height / MM)
        if computed:
            chart.source_note = f"{chart.source_note}\n{COMPUTED_CHART_NOTE}".strip()
        out: list[Block] = []
        if blk.heading:
            out.append(Heading(blk.level, plain(self._expand(blk.heading, ("blocks", i, "heading")))))
        out.append(chart)
        return out

    @staticmethod
    def _measure(f: Figure, measure: str) -> tuple[Decimal | None, str, bool]:
        """The value a chart plots for ``f``: its value, or its 同比/环比 change (and if computed)."""
        if measure == "value":
            return f.value, f.unit, False
        ch = f.change if measure == "yoy" else f.mom
        if ch is None:
            return None, "", False
        return ch.value, ch.unit, ch.computed

    def text_block(self, i: int, blk: TextBlock) -> list[Block]:
        out: list[Block] = []
        if blk.heading:
            out.append(Heading(blk.level, plain(self._expand(blk.heading, ("blocks", i, "heading")))))
        self._computed_used = False
        text = self._expand(blk.text, ("blocks", i, "text"), markdown=True)
        out.extend(self.fig_notes.attach(markdown_blocks(text, blk.role, warnings=self.warnings,
                                                         base_level=blk.level + (1 if blk.heading else 0))))
        if self._computed_used:
            out.append(Paragraph(plain(COMPUTED_TEXT_NOTE), "source"))
        return out

    def heading_block(self, i: int, blk: HeadingBlock) -> list[Block]:
        text = self._expand(blk.heading, ("blocks", i, "heading"))
        return [Heading(blk.level, plain(text), numbered=blk.numbered)]

    def page_break_block(self, i: int, blk: PageBreakBlock) -> list[Block]:
        return [PageBreak()]

    def toc_block(self, i: int, blk: TocBlock) -> list[Block]:
        return [TocPlaceholder(blk.title)]

    def appendix_block(self, blk: AppendixBlock) -> list[Block]:
        return sources_appendix(self.uses, blk, self.theme.table_style)

    # ------------------------------------------------------------ document
    def compose(self) -> Composed:
        b, theme = self.brief, self.theme
        body: list[Block] = []
        has_toc = any(isinstance(x, TocBlock) for x in b.blocks)
        title = self._expand(b.title, ("title",))
        subtitle = self._expand(b.subtitle, ("subtitle",))
        self._computed_used = False
        editor_note = self._expand(b.editor_note, ("editor_note",))
        if self._computed_used:
            editor_note += "（增幅为计算值）"
        appendices: list[tuple[int, AppendixBlock]] = []
        for i, blk in enumerate(b.blocks):
            if isinstance(blk, AppendixBlock):  # placed last: it lists what the other blocks used
                appendices.append((len(body), blk))
            else:
                body.extend(BLOCK_HANDLERS[type(blk)](self, i, blk))
        for at, blk in reversed(appendices):  # after every other block: they list what was used
            body[at:at] = self.appendix_block(blk)
        body = float_landscape(share_sources(attach_notes(body)))
        logos = {k: logo_image(self, k) for k in ("cover", "masthead") if getattr(theme.blocks, k)}
        reference = load_reference(self)
        self.problems.extend(self.images.problems)
        self.warnings.extend(self.images.warnings)
        if self.problems:
            raise BriefError(self.problems)

        gw_front, body, gw_tail = arrange(b, body)
        front = list(gw_front) + front_blocks(b, theme, title, subtitle, editor_note, has_toc, logos)
        tail = closing_blocks(b, theme)

        meta = Metadata(
            title=title, subtitle=subtitle, author=b.unit,
            subject=subtitle or b.audience or title, keywords=list(b.keywords), date=b.date,
        )
        doc = Document(meta, front + body + tail + gw_tail, show_title=True)
        render_theme = apply_reference(doc, reference)
        changes = clean_text(doc, theme.punctuation.normalise, self.warnings)
        self.warnings.extend(number_headings(doc, theme.numbering))
        number_notes(doc, theme.notes)
        found = findings(Composition(self.brief, self.loc, self.packs, self.index, self.uses)) + self.heading_only
        self.warnings.extend(describe(p) for p in found)
        return Composed(doc, self.warnings, changes, self.figures_used, self.uses, found,
                        render_theme if render_theme is not theme else None)


# Spec block type → the Composer method that turns it into tree blocks (appendices are placed last).
BLOCK_HANDLERS: dict[type, Callable[[Composer, int, Any], list[Block]]] = {
    SectionBlock: Composer.section_block,
    TableBlock: Composer.table_block,
    ChartBlock: Composer.chart_block,
    TextBlock: Composer.text_block,
    HeadingBlock: Composer.heading_block,
    PageBreakBlock: Composer.page_break_block,
    TocBlock: Composer.toc_block,
    ImageBlock: image_block,
    AttachmentBlock: attachment_block,
}
