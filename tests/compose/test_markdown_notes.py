"""Markdown footnotes: [^x] definitions and ^[inline] notes become note spans; the definitions are not printed."""

from __future__ import annotations

from briefgen.compose.footnotes import note_label
from briefgen.compose.markdown import markdown_blocks
from briefgen.tree import Paragraph


def test_references_carry_their_notes_and_definitions_vanish() -> None:
    warnings: list[str] = []
    blocks = markdown_blocks("甲[^1]，乙^[行内注。]。\n\n丙[^b]。\n\n[^1]: 注一，**强调**。\n[^b]: 注二。\n",
                             warnings=warnings)
    assert len(blocks) == 2 and all(isinstance(b, Paragraph) for b in blocks)
    notes = [s.note for b in blocks for s in b.inlines if s.note]  # type: ignore[union-attr]
    assert notes == ["注一，强调。", "行内注。", "注二。"]
    assert "".join(s.text for s in blocks[0].inlines) == "甲，乙。"  # type: ignore[union-attr]
    assert warnings == []


def test_undefined_reference_is_warned() -> None:
    warnings: list[str] = []
    blocks = markdown_blocks("甲[^nope]。", warnings=warnings)
    assert "[^nope]" in blocks[0].text  # type: ignore[union-attr]
    assert any("[^nope]" in w for w in warnings)


def test_labels() -> None:
    assert [note_label(n, "circled") for n in (1, 20, 21, 35, 36, 50, 51)] == ["①", "⑳", "㉑", "㉟", "㊱", "㊿", "(51)"]
    assert note_label(3, "decimal") == "[3]"
