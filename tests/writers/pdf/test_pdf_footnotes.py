"""writers.pdf.footnotes: footnote texts at the foot of the page their label lands on, room reserved by
passes that settle; a small document rendered and read back with pdfplumber."""

from __future__ import annotations

import io

import pytest
from pdfkit import plumber
from pdfwkit import context, document, writer
from pypdf import PdfReader

from briefgen.tree import Block, Paragraph, Span
from briefgen.writers.pdf import writer as pdf_writer
from briefgen.writers.pdf.footnotes import NoteRegistry, NoteTextBlock, registry_of, with_notes

NOTE = "数据来自示例县统计局年度公报。"


def _noted(n: int = 1) -> list[Block]:
    return [Paragraph((Span(f"第{k}段正文"), Span("①②③④"[k - 1], note=f"第{k}条：{NOTE}"), Span("。")))
            for k in range(1, n + 1)]


def test_note_printed_at_the_foot_of_its_page() -> None:
    data = pdf_writer.render(document(_noted(2)), context())
    with plumber(data) as pdf:
        page = pdf.pages[0]
        text = "".join(page.extract_text().split())
        assert "第1段正文①。" in text and "①第1条：" + NOTE in text and "②第2条：" + NOTE in text
        body = [c for c in page.chars if c["text"] == "段"][0]
        note = [c for c in page.chars if c["text"] == "条"][0]
        th = context().theme
        assert note["top"] > page.height / 2 > body["top"]  # the note sits low, the body high
        assert note["size"] == pytest.approx(th.notes.size, abs=0.1)
        assert note["bottom"] <= page.height - th.page.margins_mm.bottom * 72 / 25.4 + 1
    assert len(PdfReader(io.BytesIO(data)).pages) == 1


def test_with_notes_swaps_text_blocks_and_registers() -> None:
    w = writer()

    handler = pdf_writer.PdfWriter.paragraph  # the handler without its wrapper
    para = _noted(1)[0]
    assert isinstance(para, Paragraph)
    bare = handler(w, para, 0)
    assert not any(isinstance(f, NoteTextBlock) for f in bare)
    out = with_notes(handler)(w, para, 0)
    blocks = [f for f in out if isinstance(f, NoteTextBlock)]
    assert len(blocks) == 1 and blocks[0].notes == {"①": "第1条：" + NOTE}
    assert registry_of(w) is registry_of(w) and registry_of(w).has_notes
    plain = with_notes(handler)(writer(), Paragraph((Span("无注"),)), 0)
    assert not any(isinstance(f, NoteTextBlock) for f in plain)


def test_registry_places_once_reserves_and_settles() -> None:
    reg = NoteRegistry(writer())
    assert reg.reserve(1) == 0.0 and reg.settled()
    reg.has_notes = True
    reg.place(1, "①", NOTE)
    reg.place(2, "①", NOTE)  # a label is placed where it first lands
    assert reg.placed == {1: [("①", NOTE)]}
    assert not reg.settled()  # not planned yet: the plan takes it
    assert reg.plan == {1: [("①", NOTE)]}
    room = reg.reserve(1)
    st = reg.style()
    assert room >= st.leading and reg.reserve(2) == 0.0
    assert reg.settled()
