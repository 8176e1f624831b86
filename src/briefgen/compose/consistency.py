"""Turn a composed brief into located data-consistency findings: stale figures, prose numbers that contradict figures, unit mismatches, missing provenance and subtotals that do not add up.

Findings are ``Problem``s with severity ``warning``: ``briefgen check`` prints them (``--strict``
makes them errors) and builds list them among the warnings.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from briefgen.compose.keyfig_refs import FigureIndex, FigureUse, RefError, is_stale
from briefgen.compose.keyfig_tables import basis_direction, change_text, value_text, worded_basis
from briefgen.compose.placeholders import locate, neutralise
from briefgen.errors import Problem, display_path, format_path
from briefgen.i18n import _
from briefgen.inputs.yamlsafe import Located
from briefgen.model.sourcepack import Figure, LoadedPack, Section
from briefgen.model.spec import Brief, SectionBlock, TextBlock

COMMON_UNITS = (
    "万亿元", "亿元", "万元", "元", "亿美元", "万美元", "美元", "%", "‰", "个百分点", "百分点", "万人次",
    "人次", "万人", "人", "万户", "户", "万家", "家", "个", "项", "万吨", "吨", "亿千瓦时", "万千瓦时",
    "千瓦时", "平方公里", "公里", "万平方米", "平方米", "倍", "辆", "所", "件", "套", "台", "万亩", "亩",
)
CHANGE_WORDS = ("增长", "下降", "提高", "降低", "增幅", "增速", "同比", "环比", "比上年", "回落", "上升", "减少", "增加")
SKIP_WORDS = ("占", "比重", "排名", "位居", "第", "其中")
_NUMBER = re.compile(r"(\d[\d,]*(?:\.\d+)?)")
# a number that is a goal or an approximation, not a reported value: 增长5%左右的预期目标
APPROX_AFTER = ("左右", "以上", "以下", "以内", "上下")
TARGET_WORDS = ("目标", "预期", "预计", "计划", "力争", "确保", "争取", "要求", "任务")
_YEAR = re.compile(r"(\d{4})年")
_SENTENCE = re.compile(r"[。；！？\n]")
_BREAK = "，。；！？：、,;!?\n（）()"
MAX_GAP = 8
# Words that may stand between a label and its own number (常住人口为155.9万人, GDP同比增长5%);
# any other word there means the number belongs to something else.
_LINK = re.compile(
    "|".join(sorted(CHANGE_WORDS + (
        "全区", "全市", "全县", "全省", "全国", "全镇", "共有", "现有", "已有", "拥有", "达到", "超过", "实现",
        "完成", "累计", "合计", "总计", "共计", "增至", "降至", "提高到", "提高至", "分别", "约为", "目前",
        "上年同期", "去年同期", "上年", "去年", "全年", "年末", "年底", "共", "有", "为", "是", "达", "超", "逾",
        "约", "近", "了", "已", "比", "较", "至", "到", "计", "均"), key=len, reverse=True)))


@dataclass
class Composition:
    """What the checks read of a composed brief: the spec, its packs, the figure index and figure uses."""

    brief: Brief
    loc: Located
    packs: dict[str, LoadedPack]
    index: FigureIndex
    uses: list[FigureUse]


@dataclass
class LabelFacts:
    """Everything the brief's packs say about one label: values per unit, changes, definitions."""

    values: dict[str, set[Decimal]] = field(default_factory=dict)
    changes: dict[str, set[Decimal]] = field(default_factory=dict)
    figures: list[Figure] = field(default_factory=list)

    @property
    def units(self) -> set[str]:
        return set(self.values)


def findings(c: Composition) -> list[Problem]:
    """Every finding for the brief ``c`` composed (in a stable order, without duplicates)."""
    out: list[Problem] = []
    out += stale_findings(c)
    out += provenance_findings(c)
    out += direction_findings(c)
    out += total_findings(c)
    out += prose_findings(c)
    seen: set[str] = set()
    unique = []
    for p in out:
        p.severity = "warning"
        key = str(p)
        if key not in seen:
            seen.add(key)
            unique.append(p)
    return unique


# ---------------------------------------------------------------- stale figures


def stale_findings(c: Composition) -> list[Problem]:
    explicit = c.index.period if c.brief.period else None
    out = []
    for u in c.uses:
        f = u.figure
        if u.fmt in ("period", "when"):  # printed with its period: not passed off as the brief's
            continue
        if f.stale_for is not None:
            msg = _("stale figure {ref!r}: no data for {period}, the latest value is for {latest}").format(
                ref=u.ref, period=f.stale_for.chinese, latest=f.period)
        elif "@" not in u.ref and is_stale(f, explicit):  # id@PERIOD asks for an old period on purpose
            assert explicit is not None
            msg = _("stale figure {ref!r}: {latest} is older than the brief's period {period}").format(
                ref=u.ref, latest=f.period, period=explicit.chinese)
        else:
            continue
        out.append(Problem(msg, u.file, u.line, u.col, u.path,
                           _("update the data, or print the figure with its period (the |period form of the reference)"),
                           code="W-STALE-FIGURE", subject=u.ref))
    return out


# ---------------------------------------------------------------- provenance


def provenance_findings(c: Composition) -> list[Problem]:
    out = []
    done: set[str] = set()
    for u in c.uses:
        prov = u.figure.provenance
        if prov is None or prov.complete() or u.figure.id in done:
            continue
        done.add(u.figure.id)
        out.append(Problem(_("figure {id!r} has no source_line (where in the article it comes from)").format(
                               id=u.figure.id),
                           prov.pack_file, prov.pack_line, None, "",
                           _("add source_line: N so the brief's figures can be traced"),
                           code="W-NO-SOURCE-LINE", subject=u.figure.id))
    return out


# ---------------------------------------------------------------- change words


def direction_findings(c: Composition) -> list[Problem]:
    """A change whose basis names a direction (比上年末增加) against the sign of its value: the
    value is signed, so the brief prints the other word (比上年末减少); the author should see it."""
    out = []
    done: set[str] = set()
    for u in c.uses:
        f = u.figure
        for ch in (f.change, f.mom):
            if ch is None or f.id in done or not basis_direction(ch.basis)[1]:
                continue
            turned = worded_basis(ch.basis, ch.value, ch.unit)
            if turned == ch.basis:
                continue
            done.add(f.id)
            prov = f.provenance
            out.append(Problem(
                _("figure {id!r}: the change {value} goes against its basis {basis!r}; it is printed as {text!r}").format(
                    id=f.id, value=ch.value, basis=ch.basis, text=change_text(ch, omit_basis=())),
                prov.pack_file if prov else u.file, prov.pack_line if prov else u.line, None, "",
                _("give the change its sign and a basis without a direction word (比上年), or check the sign"),
                code="W-CHANGE-DIRECTION", subject=f.id))
    return out


# ---------------------------------------------------------------- subtotals


def total_findings(c: Composition) -> list[Problem]:
    out = []
    done: set[tuple[str, str]] = set()
    for u in c.uses:
        f = u.figure
        if not f.total_of or (f.id, f.period) in done:
            continue
        done.add((f.id, f.period))
        pack = c.index.find_pack(f.id)
        per = f.data_period
        parts: list[Figure] = []
        for ref in f.total_of:
            try:
                parts.append(c.index.get(f"{ref}@{per}" if per is not None else ref, pack))
            except RefError:
                parts = []
                break
        if not parts or any(p.unit != f.unit for p in parts):
            continue
        total = sum((p.value for p in parts), Decimal(0))
        exp = min(_exponent(p.value) for p in [*parts, f])
        slack = Decimal(1).scaleb(exp) / 2 * len(parts)
        if abs(total - f.value) > slack:
            prov = f.provenance
            names = "+".join(p.label for p in parts)
            out.append(Problem(
                _("subtotal {id!r} ({period}) is {value} but {parts} add up to {total}").format(
                    id=f.id, period=f.period, value=value_text(f), parts=names, total=f"{total}{f.unit}"),
                *(prov.location() if prov else (u.file, u.line)), None, "",
                _("check the parts and the total"), code="W-SUBTOTAL-MISMATCH"))
    return out


def _exponent(v: Decimal) -> int:
    e = v.as_tuple().exponent
    return e if isinstance(e, int) else 0


# ---------------------------------------------------------------- prose


def label_facts(packs: dict[str, LoadedPack], index: FigureIndex | None = None) -> dict[str, LabelFacts]:
    """Label → values (per unit) and changes of every figure and every data value of the packs
    (an indicator's figure is the one at the brief's period, for messages)."""
    facts: dict[str, LabelFacts] = {}
    for pack in packs.values():
        for f in pack.figures.values():
            lf = facts.setdefault(f.label, LabelFacts())
            lf.values.setdefault(f.unit, set()).add(f.value)
            lf.figures.append(f)
            for ch in (f.change, f.mom):
                if ch is not None:
                    lf.changes.setdefault(ch.unit, set()).add(abs(ch.value))
        for ind in pack.indicators.values():
            lf = facts.setdefault(ind.label, LabelFacts())
            vals = lf.values.setdefault(ind.unit, set())
            vals.update(pt.value for pt in pack.series.get(ind.id, {}).values())
            if index is not None:
                try:
                    f = index.get(ind.id, pack)
                except RefError:
                    continue
                lf.figures.append(f)
                for ch in (f.change, f.mom):
                    if ch is not None:
                        lf.changes.setdefault(ch.unit, set()).add(abs(ch.value))
    return facts


def _section_paths(sections: list[Section], prefix: str, path: tuple[str | int, ...],
                   out: dict[str, tuple[str | int, ...]]) -> None:
    for i, s in enumerate(sections):
        full = f"{prefix}.{s.id}" if prefix else s.id
        out[full] = (*path, i)
        _section_paths(s.children, full, (*path, i, "children"), out)


@dataclass
class Prose:
    """One printed text from the brief or a pack, and where its YAML value starts."""

    text: str
    file: str
    line: int | None
    path: str


def printed_prose(c: Composition) -> list[Prose]:
    """The brief's free text and the summaries/bodies of the sections it prints."""
    out: list[Prose] = []
    loc = c.loc
    if c.brief.editor_note:
        out.append(Prose(neutralise(c.brief.editor_note), loc.file, loc.where(("editor_note",))[0], "editor_note"))
    paths: dict[str, dict[str, tuple[str | int, ...]]] = {}
    for i, blk in enumerate(c.brief.blocks):
        if isinstance(blk, TextBlock):
            path = ("blocks", i, "text")
            out.append(Prose(neutralise(blk.text), loc.file, loc.where(path)[0], format_path(path)))
        elif isinstance(blk, SectionBlock) and blk.mode != "title":
            key = blk.source or next(iter(c.brief.sources))
            pack = c.packs.get(key)
            if pack is None:
                continue
            if key not in paths:
                paths[key] = {}
                _section_paths(pack.pack.sections, "", ("sections",), paths[key])
            for fs in pack.select(blk.section):
                base = paths[key].get(fs.id)
                if base is None:
                    continue
                texts: list[tuple[str, tuple[str | int, ...]]] = [(fs.section.summary, (*base, "summary"))]
                if blk.mode == "full":
                    texts += [(t, (*base, "body", k)) for k, t in enumerate(fs.section.body)]
                for text, p in texts:
                    if text:
                        out.append(Prose(text, pack.located.file, pack.located.where(p)[0], format_path(p)))
    return out


def prose_findings(c: Composition) -> list[Problem]:
    facts = label_facts(c.packs, c.index)
    if not facts:
        return []
    units = sorted(set(COMMON_UNITS) | {u for lf in facts.values() for u in lf.units if u},
                   key=len, reverse=True)
    labels = sorted((lab for lab in facts if len(lab) >= 2), key=len, reverse=True)
    out: list[Problem] = []
    for prose in printed_prose(c):
        taken: list[tuple[int, int]] = []
        for label in labels:
            start = prose.text.find(label)
            while start >= 0:
                end = start + len(label)
                if not any(a < end and start < b for a, b in taken):
                    taken.append((start, end))
                    p = _check(prose, label, start, end, facts[label], units)
                    if p is not None:
                        out.append(p)
                start = prose.text.find(label, end)
    return out


def _check(prose: Prose, label: str, start: int, end: int, lf: LabelFacts, units: list[str]) -> Problem | None:
    """The number right after ``label`` (within a few connecting characters) against the facts."""
    text = prose.text
    j = end
    while j < len(text) and j - end <= MAX_GAP and not text[j].isdigit() and text[j] not in _BREAK:
        j += 1
    if j >= len(text) or not text[j].isdigit():
        return None
    gap = text[end:j]
    if any(w in gap for w in SKIP_WORDS):
        return None
    if re.search(r"[\u4e00-\u9fff]", _LINK.sub("", gap)):
        return None  # 民营企业贡献了全区60%…, 省级机关党组织与吴江45家…: the number is another thing's
    m = _NUMBER.match(text, j)
    assert m is not None
    try:
        num = Decimal(m.group(1).replace(",", ""))
    except InvalidOperation:
        return None
    after = text[m.end():]
    unit = next((u for u in units if after.startswith(u)), None)
    if unit is None:
        return None
    said = text[start:m.end() + len(unit)]
    if _another_claim(text, start, m.end() + len(unit), lf):
        return None
    is_change = any(w in gap for w in CHANGE_WORDS)
    if is_change:
        unit_key = "百分点" if "百分点" in unit else unit
        known = lf.changes.get(unit_key)
        if not known or num in known:
            return None
        expected = "、".join(change_text(f.change) for f in lf.figures if f.change) or _("another change")
        return _problem(prose, said, _("prose says {said} but the figure for {label} says {expected}").format(
            said=said, label=label, expected=expected), lf, "W-PROSE-CONTRADICTS-FIGURE")
    if unit not in lf.values:
        if not lf.units - {""}:
            return None
        return _problem(prose, said, _("unit mismatch: prose says {said} but {label} is in {units}").format(
            said=said, label=label, units="、".join(sorted(lf.units))), lf, "W-UNIT-MISMATCH")
    if num in lf.values[unit]:
        return None
    shown = "、".join(value_text(f) for f in lf.figures if f.unit == unit) or \
        "、".join(f"{v}{unit}" for v in sorted(lf.values[unit])[-3:])
    return _problem(prose, said, _("prose says {said} but the figure for {label} is {shown}").format(
        said=said, label=label, shown=shown), lf, "W-PROSE-CONTRADICTS-FIGURE")


def _another_claim(text: str, start: int, end: int, lf: LabelFacts) -> bool:
    """The number is a goal or an approximation (…5%左右, 预期目标), or its sentence names only years
    none of the label's figures is for: it states something else than the figures do."""
    if text.startswith(APPROX_AFTER, end):
        return True
    a = max((m.end() for m in _SENTENCE.finditer(text, 0, start)), default=0)
    b = next((m.start() for m in _SENTENCE.finditer(text, end)), len(text))
    sentence = text[a:b]
    if any(w in sentence for w in TARGET_WORDS):
        return True
    years = set(_YEAR.findall(sentence))
    known = {y for f in lf.figures for y in re.findall(r"(?<!\d)\d{4}(?!\d)", str(f.period))}
    return bool(years and known and not years & known)


def _problem(prose: Prose, said: str, message: str, lf: LabelFacts, code: str) -> Problem:
    line, col = locate(prose.file, prose.line, said)
    if col is None:
        line, col = locate(prose.file, prose.line, said[-6:])
    ids = ", ".join(f.id for f in lf.figures[:3])
    hint = _("figure {ids}").format(ids=ids) if ids else ""
    prov = lf.figures[0].provenance if lf.figures else None
    if prov is not None and prov.pack_line:
        hint += " " + _("at {place}").format(place=f"{display_path(prov.pack_file)}:{prov.pack_line}")
    return Problem(message, prose.file, line, col, prose.path, hint.strip() or _("correct the text or the data"),
                   code=code)


def describe(p: Problem) -> str:
    """How a finding reads among a build's warnings."""
    return f"{p.message} ({p.file}:{p.line}:{p.col or 1})"


__all__ = ["describe", "findings"]
