"""Turn the small XML vocabulary that templates emit into document-tree blocks.

Templates write ``<h level="1">``, ``<p role="note">``, ``<b>``, ``<i>``, ``<list ordered="yes"><li>``,
``<box title="…" kind="question">``, ``<pagebreak/>``. Values inserted by templates are XML-escaped
by Jinja2's autoescape, so text from sources can never become markup here.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from typing import cast, get_args

from briefgen.errors import BriefError
from briefgen.i18n import _
from briefgen.inputs.textsafe import is_cjk
from briefgen.tree import (
    Block,
    Box,
    Heading,
    Inlines,
    ListBlock,
    PageBreak,
    Paragraph,
    ParagraphRole,
    Span,
)

_ROLES = set(get_args(ParagraphRole))
_BOX_KINDS = {"keypoints", "note", "question"}
_WS_NL = re.compile(r"[ \t\r]*\n[ \t\r\n]*")


def _collapse(text: str) -> str:
    """Drop template line breaks: between CJK characters they vanish, elsewhere become a space."""

    def repl(m: re.Match[str]) -> str:
        s, e = m.start(), m.end()
        before = text[s - 1] if s > 0 else ""
        after = text[e] if e < len(text) else ""
        if not before or not after or is_cjk(before) or is_cjk(after):
            return ""
        return " "

    return _WS_NL.sub(repl, text)


def _inlines(el: ET.Element, where: str, strong: bool = False, emphasis: bool = False) -> list[Span]:
    out: list[Span] = []
    if el.text:
        out.append(Span(el.text, strong, emphasis))
    for child in el:
        if child.tag in ("b", "strong"):
            out.extend(_inlines(child, where, True, emphasis))
        elif child.tag in ("i", "em"):
            out.extend(_inlines(child, where, strong, True))
        elif child.tag == "br":
            out.append(Span("\n", strong, emphasis))
        else:
            raise BriefError.at(_("<{tag}> is not allowed inside text").format(tag=child.tag), file=where,
                                hint=_("inline tags: {tags}").format(tags="<b>, <i>, <br/>"), code="E-MARKUP")
        if child.tail:
            out.append(Span(child.tail, strong, emphasis))
    return out


def _finish(spans: list[Span]) -> Inlines:
    """Collapse template whitespace, trim the ends and merge neighbouring equal spans."""
    spans = [Span(_collapse(s.text), s.strong, s.emphasis) for s in spans]
    merged: list[Span] = []
    for s in spans:
        if merged and merged[-1].strong == s.strong and merged[-1].emphasis == s.emphasis:
            merged[-1] = Span(merged[-1].text + s.text, s.strong, s.emphasis)
        elif s.text:
            merged.append(s)
    if merged:
        merged[0] = Span(merged[0].text.lstrip(), merged[0].strong, merged[0].emphasis)
        merged[-1] = Span(merged[-1].text.rstrip(), merged[-1].strong, merged[-1].emphasis)
    return tuple(s for s in merged if s.text)


def _blocks(parent: ET.Element, where: str) -> list[Block]:
    if parent.text and parent.text.strip():
        raise BriefError.at(
            _("text outside a block: {text!r}").format(text=parent.text.strip()[:30]), file=where,
            hint=_("wrap running text in <p>…</p>"), code="E-MARKUP",
        )
    out: list[Block] = []
    for el in parent:
        tag = el.tag
        if tag == "h":
            try:
                level = int(el.get("level", "1"))
            except ValueError:
                raise BriefError.at(_("<h level={level}> must be 1–4").format(level=repr(el.get("level"))), file=where,
                                    code="E-MARKUP") from None
            if not 1 <= level <= 4:
                raise BriefError.at(_("<h level={level}> must be 1–4").format(level=level), file=where, code="E-MARKUP")
            numbered = el.get("numbered", "yes") not in ("no", "false", "0")
            inl = _finish(_inlines(el, where))
            if inl:
                out.append(Heading(level, inl, numbered=numbered, anchor=el.get("id", "")))
        elif tag == "p":
            role = el.get("role", "body")
            if role not in _ROLES:
                raise BriefError.at(_("<p role={role!r}> is unknown").format(role=role), file=where,
                                    hint=_("roles: {names}").format(names=", ".join(sorted(_ROLES))), code="E-MARKUP")
            align = el.get("align")
            if align not in (None, "justify", "left", "center", "right"):
                raise BriefError.at(_("<p align={align!r}> is unknown").format(align=align), file=where, code="E-MARKUP")
            inl = _finish(_inlines(el, where))
            if inl:
                out.append(Paragraph(inl, cast(ParagraphRole, role), align=align))  # type: ignore[arg-type]
        elif tag == "list":
            items = []
            for li in el:
                if li.tag != "li":
                    raise BriefError.at(_("<{tag}> inside <list>; expected <li>").format(tag=li.tag), file=where,
                                        code="E-MARKUP")
                inl = _finish(_inlines(li, where))
                if inl:
                    items.append(inl)
            if items:
                out.append(ListBlock(items, ordered=el.get("ordered", "no") in ("yes", "true", "1")))
        elif tag == "box":
            kind = el.get("kind", "keypoints")
            if kind not in _BOX_KINDS:
                raise BriefError.at(_("<box kind={kind!r}> is unknown").format(kind=kind), file=where,
                                    hint=_("kinds: {names}").format(names=", ".join(sorted(_BOX_KINDS))), code="E-MARKUP")
            inner = _blocks(el, where)
            if inner:
                out.append(Box(el.get("title", ""), inner, kind=kind))  # type: ignore[arg-type]
        elif tag == "pagebreak":
            out.append(PageBreak())
        else:
            raise BriefError.at(_("<{tag}> is not a block tag").format(tag=tag), file=where,
                                hint=_("block tags: {tags}").format(tags="<h>, <p>, <list>, <box>, <pagebreak/>"),
                                code="E-MARKUP")
        if el.tail and el.tail.strip():
            raise BriefError.at(_("text outside a block: {text!r}").format(text=el.tail.strip()[:30]), file=where,
                                hint=_("wrap running text in <p>…</p>"), code="E-MARKUP")
    return out


def parse_blocks(markup: str, where: str) -> list[Block]:
    """Parse template output into blocks; ``where`` names the template for error messages."""
    try:
        root = ET.fromstring(f"<root>{markup}</root>")
    except UnicodeError:  # lone surrogates (Templates.render replaces them before this)
        raise BriefError.at(_("template produced characters XML cannot hold (lone surrogates)"),
                            file=where, code="E-MARKUP") from None
    except ET.ParseError as e:
        line, col = e.position
        raise BriefError.at(
            _("template produced malformed markup: {error}").format(error=str(e).split(":")[0]),
            file=where,
            hint=_("output line {line}, column {col}; close every tag").format(line=line, col=col),
            code="E-MARKUP",
        ) from None
    return _blocks(root, where)
