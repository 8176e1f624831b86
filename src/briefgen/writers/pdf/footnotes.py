"""Turn footnote references in PDF text into footnotes at the foot of the page where the reference is printed.

ReportLab has no footnotes, so the writer lays the document out more than once. Text blocks that
carry references (:class:`NoteTextBlock`) record, as they are drawn, which note labels land on which
page. The next pass reserves room at the foot of each page for the notes recorded there (the body
frame's bottom is raised before the page is filled) and draws them under a short separator rule in
the theme's note size. Passes repeat until every note lands on the page that reserved it (at most
:data:`MAX_PASSES`). A note that does not fit in the room left on its page continues at the foot of
the next page. Notes are numbered per document by the composer (①② or [1]).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from reportlab.platypus import Flowable

from briefgen.tree import Heading, Image, Inlines, ListBlock, Paragraph, Table
from briefgen.writers.pdf.flowables import TextBlock, TextStyle
from briefgen.writers.pdf.tables import RowTable

MAX_PASSES = 6
RULE_FRACTION = 0.25  # separator rule: a quarter of the type-area width
GAP = 6.0  # points between the body and the rule, and between the rule and the notes
MAX_SHARE = 0.6  # notes take at most this share of a page; the rest continues overleaf
CHUNK_LINES = 3  # a note reserves at most this many lines on its reference's page


def _line_text(line: Any) -> str:
    return "".join(r.text for r in line.runs)


class NoteTextBlock(TextBlock):
    """A ``TextBlock`` that reports which footnote labels it draws on which page."""

    def __init__(self, *args: Any, notes: dict[str, str], registry: NoteRegistry, **kw: Any) -> None:
        super().__init__(*args, **kw)
        self.notes, self.registry = notes, registry

    @classmethod
    def adopt(cls, tb: TextBlock, notes: dict[str, str], registry: NoteRegistry) -> NoteTextBlock:
        return cls(tb.pieces, tb.style, tb.text, bookmark=tb.bookmark, lines=tb._lines if tb._fixed else None,
                   first=tb.first, last=tb.last, notes=notes, registry=registry)

    def split(self, aw: float, ah: float) -> list[Flowable]:
        parts = super().split(aw, ah)
        out: list[Flowable] = []
        for p in parts:
            if isinstance(p, TextBlock) and not isinstance(p, NoteTextBlock):
                p = NoteTextBlock.adopt(p, self.notes, self.registry)
            out.append(p)
        return out

    def draw(self) -> None:
        super().draw()
        page = self.canv.getPageNumber()
        for ln in self._lines or []:
            text = _line_text(ln)
            for label, note in self.notes.items():
                if label in text:
                    self.registry.place(page, label, note)


class NoteRowTable(RowTable):
    """A ``RowTable`` that reports the footnote marks in the rows it draws (key figures' notes)."""

    notes: dict[str, str]
    registry: NoteRegistry

    @classmethod
    def adopt(cls, rt: RowTable, notes: dict[str, str], registry: NoteRegistry) -> NoteRowTable:
        obj = cls.__new__(cls)
        obj.__dict__.update(rt.__dict__)
        obj.notes, obj.registry = notes, registry
        return obj

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return [NoteRowTable.adopt(p, self.notes, self.registry) if type(p) is RowTable else p
                for p in super().split(aw, ah)]

    def draw(self) -> None:
        super().draw()
        s, e = self._rows()
        hr = min(max(self.table.header_rows, 0), len(self.table.rows))
        page = self.canv.getPageNumber()
        for row in self.table.rows[hr + s:hr + e]:
            for cell in row:
                if cell.mark in self.notes:
                    self.registry.place(page, cell.mark, self.notes[cell.mark])


@dataclass
class NoteRegistry:
    """Where notes landed in this pass (``placed``) and where the previous pass put them (``plan``)."""

    writer: Any
    plan: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    placed: dict[int, list[tuple[str, str]]] = field(default_factory=dict)
    seen: set[str] = field(default_factory=set)
    carry: list[Flowable] = field(default_factory=list)  # note parts continuing on the next page
    passes: int = 0
    has_notes: bool = False
    foot: dict[int, float] = field(default_factory=dict)  # page → height of a 报尾/版记 drawn at its foot
    template: Any = None

    def place(self, page: int, label: str, note: str) -> None:
        if label not in self.seen:
            self.seen.add(label)
            self.placed.setdefault(page, []).append((label, note))

    # ---- layout of the note area
    def style(self) -> TextStyle:
        th = self.writer.theme
        size = th.notes.size
        return TextStyle(th.fonts.body, size, round(size * 1.5, 2), align="justify")

    def blocks(self, notes: list[tuple[str, str]]) -> list[TextBlock]:
        st = self.style()
        w = self.writer
        out: list[TextBlock] = []
        for label, note in notes:
            lab = w.text.pieces(label + " ", st.role, st.size)
            hang = w.text.text_width(lab, 0.0)
            out.append(TextBlock(lab + w.text.pieces(note, st.role, st.size), st.but(rest_indent=hang), w.text))
        return out

    def _height(self, blocks: list[Flowable], chunk: bool = False) -> float:
        aw = self.writer.theme.type_area_width
        st = self.style()
        hs = [b.wrap(aw, 1e9)[1] for b in blocks]
        return sum(min(h, CHUNK_LINES * st.leading) for h in hs) if chunk else sum(hs)

    def reserve(self, page: int) -> float:
        """Room for what continues from the page before, plus the notes planned on ``page`` (a long
        note reserves its first lines only: the rest continues overleaf, so its reference stays here)."""
        h = self._height(self.carry) + self._height(list(self.blocks(self.plan.get(page, []))), chunk=True)
        if h <= 0:
            return 0.0
        return min(h + 2 * GAP, self.writer.theme.type_area_height * MAX_SHARE)

    # ---- page hooks
    def attach(self, template: Any) -> None:
        """Wrap the template's page hooks: raise the frame bottom, then draw the notes at page end."""
        self.placed, self.seen, self.carry, self.foot = {}, set(), [], {}
        self.passes += 1
        self.template = template  # this pass's doc template (the 版记's even-page rule reads the page)
        before, after = template.beforePage, template.afterPage

        def before_page() -> None:
            before()
            reserve = self.reserve(template.canv.getPageNumber())
            for f in template.pageTemplate.frames:
                base = getattr(f, "_briefgen_base", None)
                if base is None:
                    base = f._briefgen_base = (f._y1, f._height)
                f._y1, f._height = base[0] + reserve, base[1] - reserve
                f._geom()
                f._reset()

        def after_page() -> None:
            self.draw_notes(template)
            after()

        template.beforePage, template.afterPage = before_page, after_page

    def draw_notes(self, template: Any) -> None:
        canv = template.canv
        page = canv.getPageNumber()
        frame = template.pageTemplate.frames[0]
        base = getattr(frame, "_briefgen_base", (frame._y1, frame._height))
        room = frame._y1 - base[0] - 2 * GAP
        lift = self.foot.get(page, 0.0)  # notes go above a 报尾/版记, which keeps the type-area bottom
        base = (base[0] + lift, base[1])
        carry, self.carry = self.carry, []
        fresh: list[Flowable] = list(self.blocks(self.placed.get(page, [])))
        if not carry and not fresh:
            return
        if room <= 1.0:  # nothing reserved (a first pass): the next pass makes room
            return
        x0, aw = frame._x1, frame._width
        top = base[0] + room + GAP
        canv.saveState()
        canv.setLineWidth(0.5)
        canv.line(x0, top + GAP * 0.5, x0 + aw * RULE_FRACTION, top + GAP * 0.5)
        canv.restoreState()
        # what continues from the page before yields to this page's own notes (their first lines)
        carry_room = max(0.0, room - self._height(fresh, chunk=True))
        y, left = self._draw(canv, carry, x0, aw, top, top - carry_room)
        y, rest = self._draw(canv, fresh, x0, aw, y, base[0])
        self.carry = left + rest

    def _draw(self, canv: Any, todo: list[Flowable], x0: float, aw: float, y: float,
              floor: float) -> tuple[float, list[Flowable]]:
        """Draw ``todo`` from ``y`` down to ``floor``; what does not fit is returned (split at a line)."""
        for i, blk in enumerate(todo):
            _, h = blk.wrap(aw, 1e9)
            if h <= y - floor + 0.01:
                blk.drawOn(canv, x0, y - h)
                y -= h
                continue
            parts = blk.split(aw, y - floor) if y - floor > 1.0 else []
            if parts:
                head = parts[0]
                _, hh = head.wrap(aw, 1e9)
                head.drawOn(canv, x0, y - hh)
                return y - hh, list(parts[1:]) + todo[i + 1:]
            return y, todo[i:]
        return y, []

    def settled(self) -> bool:
        """True when every note landed on a page that reserved room for it (or passes ran out).

        The plan only grows (a page keeps the room it once reserved), so the passes cannot
        oscillate between two layouts: at worst a page keeps a little unused room."""
        if not self.has_notes:
            return True
        ok = all({lab for lab, _ in v} <= {lab for lab, _ in self.plan.get(p, [])} for p, v in self.placed.items())
        if ok and not self.carry:
            return True
        for p, v in self.placed.items():
            have = {lab for lab, _ in self.plan.get(p, [])}
            self.plan.setdefault(p, []).extend(x for x in v if x[0] not in have)
        return self.passes >= MAX_PASSES


class FootProxy(Flowable):
    """A 报尾/版记 flowable that keeps its lowest rule on the type-area bottom when footnotes raised the
    frame: it is drawn lower by the room the notes took, and the notes go above it."""

    def __init__(self, inner: Flowable, registry: NoteRegistry) -> None:
        super().__init__()
        self.inner, self.registry = inner, registry

    def wrap(self, aw: float, ah: float) -> tuple[float, float]:
        self.inner._frame = getattr(self, "_frame", None)
        self.width, self.height = self.inner.wrap(aw, ah)
        return self.width, self.height

    def split(self, aw: float, ah: float) -> list[Flowable]:
        return []

    def draw(self) -> None:
        frame: Any = getattr(self, "_frame", None)
        base = getattr(frame, "_briefgen_base", None)
        drop = frame._y1 - base[0] if frame is not None and base is not None else 0.0
        natural = getattr(self.inner, "_natural", None) or getattr(self.inner, "_need", None)
        if drop > 0 and natural is not None:
            self.registry.foot[self.canv.getPageNumber()] = float(natural(self.width))
        if drop <= 0:  # no notes on this page: draw exactly as the bare flowable would
            self.inner.canv = self.canv
            try:
                self.inner.draw()
            finally:
                del self.inner.canv
            return
        self.inner.drawOn(self.canv, 0, -drop)


def with_foot(handler: Callable[[Any, Any, int], list[Flowable]]) -> Callable[[Any, Any, int], list[Flowable]]:
    """Wrap a 报尾/版记 handler so footnotes on its page sit above it (see :class:`FootProxy`)."""

    def wrapped(w: Any, node: Any, depth: int) -> list[Flowable]:
        out = handler(w, node, depth)
        if depth:
            return out
        reg = registry_of(w)
        return [FootProxy(f, reg) if hasattr(f, "_natural") or hasattr(f, "_need") else f for f in out]

    return wrapped


def registry_of(w: Any) -> NoteRegistry:
    reg = getattr(w, "_notes", None)
    if reg is None:
        reg = w._notes = NoteRegistry(w)
    return reg


def _notes_of(node: Any) -> dict[str, str]:
    inls: list[Inlines] = []
    if isinstance(node, (Heading, Paragraph)):
        inls = [node.inlines]
    elif isinstance(node, ListBlock):
        inls = list(node.items)
    elif isinstance(node, Image):
        return {node.mark: node.note} if node.note and node.mark else {}
    elif isinstance(node, Table):
        return {c.mark: c.note for row in node.rows for c in row if c.note and c.mark}
    return {s.text: s.note for inl in inls for s in inl if s.note and s.text}


def with_notes(handler: Callable[[Any, Any, int], list[Flowable]]) -> Callable[[Any, Any, int], list[Flowable]]:
    """Wrap a text handler: its text blocks report the footnote labels they draw."""

    def wrapped(w: Any, node: Any, depth: int) -> list[Flowable]:
        out = handler(w, node, depth)
        notes = _notes_of(node)
        if not notes:
            return out
        reg = registry_of(w)
        reg.has_notes = True
        swapped: dict[int, Flowable] = {id(f): NoteTextBlock.adopt(f, notes, reg) for f in out if type(f) is TextBlock}
        swapped.update({id(f): NoteRowTable.adopt(f, notes, reg) for f in out if type(f) is RowTable})
        for f in out:  # a heading's keep-with-next points at its text block
            if getattr(f, "heading", None) is not None and id(f.heading) in swapped:
                f.heading = swapped[id(f.heading)]
        return [swapped.get(id(f), f) for f in out]

    return wrapped
