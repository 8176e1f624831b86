"""Turn heading levels into GB/T 9704 labels (一、/（一）/1./（1）) on the document tree, in place."""

from __future__ import annotations

import re

from briefgen.i18n import _
from briefgen.tree import AttachmentMark, Box, Document, Heading, walk

_DIGITS = "零一二三四五六七八九"
#: A heading that already carries a label (一、 （一） 1. （1） 第一章): it is not given a second one.
_LABELLED = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+、|[（(][一二三四五六七八九十百]+[）)]|\d+[.．、](?!\d)|[（(]\d+[）)]"
    r"|第[一二三四五六七八九十百\d]+[章节部分篇条])"
)


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 105 → 一百零五."""
    if n <= 0:
        return str(n)
    if n < 10:
        return _DIGITS[n]
    if n < 20:
        return "十" + (_DIGITS[n - 10] if n > 10 else "")
    if n < 100:
        tens, ones = divmod(n, 10)
        return _DIGITS[tens] + "十" + (_DIGITS[ones] if ones else "")
    if n < 1000:
        hundreds, rest = divmod(n, 100)
        if rest == 0:
            return _DIGITS[hundreds] + "百"
        tail = chinese_number(rest) if rest >= 10 else "零" + _DIGITS[rest]
        if 10 <= rest < 20:
            tail = "一" + tail
        return _DIGITS[hundreds] + "百" + tail
    return str(n)


def label(pattern: str, n: int) -> str:
    return pattern.replace("{cn}", chinese_number(n)).replace("{n}", str(n))


def own_number(labelled: str) -> int | None:
    """The number of a heading's own label (``三、`` → 3, ``（12）`` → 12), if it has one."""
    digits = re.search(r"\d+", labelled)
    if digits:
        return int(digits.group(0))
    words = re.search(r"[一二三四五六七八九十百]+", labelled)
    return from_chinese(words.group(0)) if words else None


def from_chinese(words: str) -> int | None:
    """一 → 1, 十二 → 12, 二十 → 20 (the inverse of ``chinese_number`` up to 99)."""
    return next((n for n in range(1, 100) if chinese_number(n) == words), None)


def number_headings(doc: Document, patterns: list[str]) -> list[str]:
    """Fill ``Heading.label`` from the document structure; counters reset below each level and at
    each attachment (附件N). A heading with its own label keeps it and the count goes on from its
    number; the warnings name own labels that repeat or skip a number."""
    counters = [0] * 8
    warnings: list[str] = []
    for h in walk(doc.blocks):
        if isinstance(h, AttachmentMark):  # an attachment is a document of its own: 一、 again
            counters = [0] * 8
        if not isinstance(h, Heading) or not h.numbered:
            continue
        lvl = min(max(h.level, 1), len(patterns))
        counters[lvl - 1] += 1
        for k in range(lvl, len(counters)):
            counters[k] = 0
        m = _LABELLED.match(h.text)
        own = own_number(m.group(0)) if m else None
        if m is None:
            h.label = label(patterns[lvl - 1], counters[lvl - 1])
        elif own is not None and own != counters[lvl - 1]:  # the author's own 一、 stands; the count follows it
            warnings.append(_("heading {text!r} is numbered {own} by hand but is number {n} at its level: "
                              "remove the number and briefgen numbers every heading").format(
                text=h.text, own=own, n=counters[lvl - 1]))
            counters[lvl - 1] = own
    for i, h in enumerate(doc.headings()):
        if not h.anchor:
            h.anchor = f"h{i + 1}"
    return warnings


__all__ = ["Box", "Heading", "chinese_number", "label", "number_headings"]
