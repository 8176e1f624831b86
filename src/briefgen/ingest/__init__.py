"""Turn article files (.txt, .md, .docx, .html) into a draft source pack for a person to review.

Stages, each a plain function between typed values:
``readers.read_article`` (file → numbered lines) → ``structure.build_article`` (lines → title, date,
publisher, editor's note, parts and points) → ``figures.extract`` (paragraphs → key figures and
review items) → :func:`ingest` (→ pack dict) → ``writer.dump_pack`` (→ YAML text).

The pack carries the article's paragraphs in ``body``, and a ``summary`` per section drafted from
the body's first sentence(s) (the pack's notes and header say so) for a person to rewrite. Headed
parts are top-level sections, their points their children; ids come from the headings
(``ids``: 经验启示 → ``lessons``, otherwise pinyin), so ``section: lessons.*`` selects the points.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from briefgen.errors import BriefError
from briefgen.i18n import _
from briefgen.ingest.ids import draft_summary, sibling_ids
from briefgen.ingest.keyfigs import FoundFigure, ReviewNote, extract
from briefgen.ingest.normalise import Normalise, clean
from briefgen.ingest.readers import MAX_BYTES, read_article
from briefgen.ingest.structure import Article, Node, build_article
from briefgen.ingest.when import context_period, reference_date
from briefgen.ingest.writer import dump_pack, flow, flow_map
from briefgen.inputs.validate import validate
from briefgen.inputs.yamlsafe import load_yaml_text
from briefgen.model.sourcepack import QUALIFIERS, SourcePack, _flatten

__all__ = ["IngestResult", "Normalise", "ingest", "ingest_files", "render", "report"]

_SLUG = re.compile(r"[^a-z0-9]+")
# A section about plans: its figures are targets, not results — unless it reports what was done.
_PLAN = re.compile(r"打算|计划|目标|思路|展望|下一步|工作安排|重点任务|工作任务")
_WORK_REPORT = re.compile(r"(?:政府工作报告|工作要点|工作计划|工作安排)")
_DONE = re.compile(r"完成情况|回顾|成效|成绩|进展情况|落实情况|执行情况|运行情况|基本情况|总体情况")


def slug(text: str, keep: str = "") -> str:
    """ASCII id from a file name: ``Wujiang 2022.txt`` → ``wujiang_2022``; empty if nothing is left."""
    pattern = re.compile(rf"[^a-z0-9{re.escape(keep)}]+") if keep else _SLUG
    s = pattern.sub("_", text.lower()).strip("_.-")
    return s


@dataclass
class IngestResult:
    """A pack dict plus what the terminal report and the YAML header need."""

    pack: dict[str, Any]
    articles: list[Article]
    header: list[str] = field(default_factory=list)
    parts: int = 0
    points: int = 0
    figures: int = 0
    review: int = 0


def _lines(node: Node) -> list[int]:
    return sorted(set(node.lines))


def _section(key: str, node: Node, depth: int) -> dict[str, Any]:
    sec: dict[str, Any] = {"id": key, "title": node.title}
    if node.subtitle:
        sec["subtitle"] = node.subtitle
    if node.paras:
        sec["summary"] = draft_summary([p.text for p in node.paras])
        sec["body"] = "\n\n".join(p.text for p in node.paras) + "\n"
    sec["source_lines"] = flow(_lines(node))
    if node.kids:
        ids = sibling_ids([k.title for k in node.kids])
        sec["children"] = [_section(kid_id, kid, depth + 1) for kid_id, kid in zip(ids, node.kids, strict=True)]
    return sec


def _walk(node: Node, sid: str, depth: int, out: list[tuple[str, Node]]) -> None:
    out.append((sid, node))
    if node.kids:
        ids = sibling_ids([k.title for k in node.kids])
        for kid_id, kid in zip(ids, node.kids, strict=True):
            _walk(kid, f"{sid}.{kid_id}", depth + 1, out)


_RESERVED = frozenset({"editor_note", "lead", "body", "closing"})


def _article_sections(art: Article) -> tuple[list[dict[str, Any]], list[tuple[str, Node]]]:
    """Sections of one article and (full id, node) pairs in document order. Headed parts are
    top-level sections (``lessons``, ``dangjian_rongru_fazhan``), their points their children."""
    sections: list[dict[str, Any]] = []
    order: list[tuple[str, Node]] = []
    if art.editor_note is not None:
        sections.append(_section("editor_note", art.editor_note, 1))
        order.append(("editor_note", art.editor_note))
    lead_key = "lead" if art.parts else "body"
    if art.lead.paras or art.lead.kids:
        sections.append(_section(lead_key, art.lead, 1))
        _walk(art.lead, lead_key, 1, order)
    ids = sibling_ids([p.title for p in art.parts], _RESERVED)
    for pid, p in zip(ids, art.parts, strict=True):
        sections.append(_section(pid, p, 1))
        _walk(p, pid, 1, order)
    if art.closing is not None:
        sections.append(_section("closing", art.closing, 1))
        order.append(("closing", art.closing))
    return sections, order


def _figures(art: Article, order: list[tuple[str, Node]]) -> tuple[list[FoundFigure], list[ReviewNote]]:
    figs: list[FoundFigure] = []
    review: list[ReviewNote] = []
    titles = {sid: node.title for sid, node in order}
    ref = reference_date(art.date, art.title)
    # the year a work report's title names is the year it plans for: not the period of its review
    doc_period = "" if _WORK_REPORT.search(art.title) else (
        context_period(art.title, ref) or context_period(art.subtitle, ref))
    if not doc_period:
        # no period in the title: the one the opening paragraph starts with (一季度，全县实现…;
        # 1-8月，面对…), not one it mentions later (…分析显示，今年上半年该区…)
        first = art.lead.paras[0].text if art.lead.paras else (
            art.parts[0].paras[0].text if art.parts and art.parts[0].paras else "")
        opening = re.match(r"^[^，,。；;：:]{0,12}[，,]", clean(first, Normalise()))
        doc_period = context_period(opening.group(0), ref) if opening else ""
    for sid, node in order:
        paras = ([node.heading] if node.heading is not None else []) + node.paras
        parts = sid.split(".")
        ancestry = [titles.get(".".join(parts[:k]), "") for k in range(1, len(parts) + 1)]
        plans = _plan_context(ancestry)
        done = any(_DONE.search(t) for t in ancestry)
        context = next((p for p in (context_period(t, ref) for t in reversed(ancestry)) if p), doc_period)
        for para in paras:
            found, _notes = extract(clean(para.text, Normalise()), para.no, sid, ref,
                               target_section=plans, context=context)
            for f in found.figures:
                f.reviewed = done  # under 工作回顾 / 完成情况: never a plan by its year
            figs.extend(found.figures)
            review.extend(found.review)
    _plan_year(art, figs)
    figs.sort(key=lambda f: f.source_line)  # stable: document order within a line
    return figs, review


def _plan_context(ancestry: list[str]) -> bool:
    """Whether the nearest heading that says so makes its figures plans: 下一步打算 yes,
    …目标完成情况 / 工作回顾 no (a heading about what was done holds actuals)."""
    for title in reversed(ancestry):
        if _DONE.search(title):
            return False
        if _PLAN.search(title):
            return True
    return False


def _plan_year(art: Article, figs: list[FoundFigure]) -> None:
    """In a work report or plan (政府工作报告, 工作要点, 工作计划) the figures of the year it plans for
    (the year its title names) are targets; the past years' are actuals."""
    m = re.search(r"((?:19|20)\d{2})年.*" + _WORK_REPORT.pattern, art.title)
    if not m:
        return
    year = m.group(1) + "年"
    for f in figs:
        if f.kind != "ranking" and not f.reviewed and f.period.startswith(year) and "以来" not in f.period:
            f.kind = "target"


def _figure_dict(fid: str, f: FoundFigure, prefix: str) -> dict[str, Any]:
    d: dict[str, Any] = {"id": fid, "label": f.label, "value": f.value, "unit": f.unit}
    if f.period:
        d["period"] = f.period
    if f.change:
        d["change"] = flow_map(dict(f.change))
    if f.scope:
        d["scope"] = f.scope
    d["section"] = f"{prefix}.{f.section}" if prefix else f.section
    d["kind"] = f.kind
    if f.note:
        d["qualifier" if f.note in QUALIFIERS else "note"] = f.note
    d["source_line"] = f.source_line
    d["source_offset"] = f.offset
    if f.source_text:
        d["source_text"] = f.source_text
    return d


def _meta(art: Article, pack_id: str, files: list[Path]) -> dict[str, Any]:
    meta: dict[str, Any] = {"id": pack_id, "title": art.title or art.raw.path.stem}
    if art.publisher:
        meta["publisher"] = art.publisher
    if art.date:
        meta["date"] = art.date
    if art.url:
        meta["url"] = art.url
    if art.author:
        meta["author"] = art.author
    if art.publisher and art.date:
        meta["attribution"] = f"据{art.publisher}{art.date.year}年{art.date.month}月{art.date.day}日发布的材料整理。"
    names = "、".join(p.name for p in files)
    meta["notes"] = (f"由 briefgen ingest 从 {names} 自动生成的草稿：标题、正文段落和数字须逐条对照原文核对；"
                     "各节 summary 为 ingest 摘取的正文首句（草稿），须用自己的话改写；"
                     "review 所列数字未能确定，须人工判断。")
    return meta


def ingest_files(paths: list[Path], id_prefixes: list[str] | None = None, pack_id: str = "",
                 opts: Normalise | None = None, max_bytes: int = MAX_BYTES,
                 default_date: dt.date | None = None) -> IngestResult:
    """Read, structure and mine each file; several files each get a top-level section (the prefix).

    ``default_date`` is the document date for an article that states none (``--date``)."""
    opts = opts or Normalise()
    if not paths:
        raise BriefError.at(_("no input files"), code="E-USAGE")
    prefixes = list(id_prefixes or [])
    if prefixes and len(prefixes) != len(paths):
        raise BriefError.at(
            _("{n} --id-prefix values for {files} files").format(n=len(prefixes), files=len(paths)),
            hint=_("give one prefix per file"), code="E-USAGE",
        )
    for p in prefixes:
        if not re.fullmatch(r"[a-z0-9][a-z0-9_]*", p):
            raise BriefError.at(_("--id-prefix {prefix!r} is not a valid id").format(prefix=p),
                                hint=_("use lower-case letters, digits and _, starting with a letter or digit"),
                                code="E-USAGE")
    if len(set(prefixes)) != len(prefixes):
        raise BriefError.at(_("--id-prefix values must differ"), code="E-USAGE")
    wrap = len(paths) > 1 or bool(prefixes)
    if wrap and not prefixes:
        seen: set[str] = set()
        for i, path in enumerate(paths, start=1):
            s = slug(path.stem)
            if not s or s in seen:
                s = f"doc{i}"
            seen.add(s)
            prefixes.append(s)

    articles: list[Article] = []
    sections: list[dict[str, Any]] = []
    figures: list[dict[str, Any]] = []
    review: list[dict[str, Any]] = []
    header = ["Draft source pack written by `briefgen ingest`: check every title, paragraph and figure",
              "against the original before use. Every summary is drafted by ingest (the first sentence(s)",
              "of the section's body): rewrite it in your own words.",
              "source_lines / source_line: line numbers in the input (.docx: paragraph numbers)."]
    result = IngestResult({}, articles)
    for i, path in enumerate(paths):
        raw = read_article(path, max_bytes)
        art = build_article(raw, opts)
        if art.date is None and default_date is not None:
            art.date = default_date
        articles.append(art)
        secs, order = _article_sections(art)
        figs, notes = _figures(art, order)
        prefix = prefixes[i] if wrap else ""
        counters: dict[str, int] = {}
        for f in figs:
            key = f.section.replace(".", "_")
            counters[key] = counters.get(key, 0) + 1
            fid = f"{prefix}_{key}_{counters[key]}" if prefix else f"{key}_{counters[key]}"
            figures.append(_figure_dict(fid, f, prefix))
        seen_review: set[tuple[int, str, str]] = set()
        for n in notes:
            k = (n.source_line, n.text, str(n.value))
            if k in seen_review:
                continue
            seen_review.add(k)
            item: dict[str, Any] = {"text": n.text, "reason": n.reason, "source_line": n.source_line}
            if n.value is not None:
                item["value"] = n.value
            if n.unit:
                item["unit"] = n.unit
            if prefix:
                item["text"] = f"[{prefix}] {n.text}"
            review.append(item)
        if wrap:
            wrapper: dict[str, Any] = {"id": prefix, "title": art.title or path.stem}
            sub = " ".join(x for x in (art.publisher, art.date.isoformat() if art.date else "") if x)
            if sub:
                wrapper["subtitle"] = sub
            wrapper["children"] = secs
            sections.append(wrapper)
        else:
            sections.extend(secs)
        digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        header.append(f"input: {path.name} ({raw.format}, {raw.encoding}, sha256 {digest}…)")
        result.parts += len(art.parts)
        result.points += sum(_count(p) for p in art.parts) + _count(art.lead)
        result.figures += len(figs)
        result.review += len(notes)
    if not pack_id:
        pack_id = slug(paths[0].stem, keep=".-") or "ingested"
    if not re.fullmatch(r"[a-z0-9][a-z0-9_.-]*", pack_id):
        raise BriefError.at(_("pack id {id!r} is not valid").format(id=pack_id),
                            hint=_("lower-case letters, digits, _ . -"), code="E-USAGE")
    pack: dict[str, Any] = {"pack": 1, "meta": _meta(articles[0], pack_id, paths), "sections": sections,
                            "figures": figures}
    if review:
        pack["review"] = review
    result.pack = pack
    result.header = header
    result.review = len(review)
    return result


def _count(node: Node) -> int:
    return sum(1 + _count(k) for k in node.kids)


def ingest(paths: list[Path], id_prefixes: list[str] | None = None, pack_id: str = "",
           opts: Normalise | None = None) -> dict[str, Any]:
    """The pack dict for ``paths`` (see :func:`ingest_files` for the details)."""
    return ingest_files(paths, id_prefixes, pack_id, opts).pack


def render(result: IngestResult) -> str:
    """The pack as YAML text, checked by the same model ``load_pack`` uses."""
    text = dump_pack(result.pack, result.header)
    check_text(text)
    return text


def check_text(text: str, file: str = "<ingest>") -> None:
    """Validate pack text as ``load_pack`` would (model, unique ids, figure sections)."""

    located = load_yaml_text(text, file)
    pack = validate(SourcePack, located)
    problems: list[Any] = []
    flat: dict[str, Any] = {}
    _flatten(pack.sections, "", 1, flat, located, ("sections",), problems)
    ids = [f.id for f in pack.figures]
    if len(set(ids)) != len(ids):
        raise BriefError.at("internal: duplicate figure ids in the ingested pack", file=file)
    for f in pack.figures:
        if f.section and f.section not in flat:
            raise BriefError.at(f"internal: figure {f.id} names unknown section {f.section}", file=file)
    if problems:
        raise BriefError(problems)


def report(result: IngestResult, out: str = "") -> str:
    """The short terminal report: what was found and where it went."""
    lines = []
    for art in result.articles:
        date = art.date.isoformat() if isinstance(art.date, dt.date) else _("no date")
        lines.append(f"{art.raw.path.name} ({art.raw.format}, {art.raw.encoding}): {art.title or _('(no title)')}")
        points = _count(art.lead) + sum(_count(p) for p in art.parts)
        lines.append(f"  {art.publisher or _('no publisher')} · {date}"
                     + (" · " + _("editor’s note") if art.editor_note else "")
                     + " · " + _("{parts} parts, {points} points · {dropped} boilerplate lines dropped").format(
                         parts=len(art.parts), points=points, dropped=len(art.dropped)))
    lines.append(_("{figures} figures, {review} items for review").format(figures=result.figures,
                                                                          review=result.review)
                 + (f" → {out}" if out else ""))
    return "\n".join(lines)
