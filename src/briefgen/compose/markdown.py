"""Turn Markdown free text from a brief into document-tree blocks (raw HTML off, links as text)."""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin

from briefgen.compose.cjk_emphasis import cjk_emphasis
from briefgen.compose.markup import _collapse
from briefgen.i18n import _
from briefgen.tree import Block, Heading, Inlines, ListBlock, Paragraph, ParagraphRole, Span

_MD = (MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
       .use(footnote_plugin).use(cjk_emphasis))
ALLOWED_LINK_SCHEMES = ("http://", "https://", "mailto:")
_ORPHAN_NOTE = re.compile(r"\[\^[^\]\s]+\]")


def _footnotes(tokens: list[Token]) -> tuple[dict[int, str], set[int]]:
    """Footnote texts by id (``[^x]: …`` definitions and ``^[…]`` inline notes), and the token
    indexes of the footnote block (not printed where it stands)."""
    notes: dict[int, list[str]] = {}
    skip: set[int] = set()
    current: int | None = None
    inside = False
    for i, tok in enumerate(tokens):
        if tok.type == "footnote_block_open":
            inside = True
        if inside:
            skip.add(i)
        if tok.type == "footnote_open":
            current = int(tok.meta.get("id", 0))
            notes[current] = []
        elif tok.type == "footnote_close":
            current = None
        elif tok.type == "inline" and current is not None:
            notes[current].append("".join(c.content for c in tok.children or [] if c.type in
                                          ("text", "code_inline", "softbreak")))
        if tok.type == "footnote_block_close":
            inside = False
    return {k: _collapse(" ".join(v)).strip() for k, v in notes.items()}, skip


def _inline(tok: Token, warnings: list[str], notes: dict[int, str] | None = None) -> Inlines:
    spans: list[Span] = []
    strong = emph = 0
    for child in tok.children or []:
        t = child.type
        if t == "footnote_ref":
            text = (notes or {}).get(int(child.meta.get("id", -1)), "")
            if text:
                spans.append(Span("", strong > 0, emph > 0, note=text))
            else:
                warnings.append(_("footnote {mark} has no text; dropped").format(mark=f"[^{child.meta.get('label', '')}]"))
        elif t == "text" or t == "code_inline":
            spans.append(Span(child.content, strong > 0, emph > 0))
            orphan = _ORPHAN_NOTE.search(child.content) if t == "text" else None
            if orphan:
                warnings.append(_("footnote {mark} has no definition in the same text block; printed as is").format(
                    mark=orphan.group(0)))
        elif t == "softbreak":
            spans.append(Span("\n", strong > 0, emph > 0))
        elif t == "hardbreak":
            spans.append(Span("\u2028", strong > 0, emph > 0))
        elif t == "strong_open":
            strong += 1
        elif t == "strong_close":
            strong -= 1
        elif t == "em_open":
            emph += 1
        elif t == "em_close":
            emph -= 1
        elif t == "link_open":
            href = str(child.attrs.get("href", ""))
            if href and not href.startswith(ALLOWED_LINK_SCHEMES):
                warnings.append(_("link target {href!r} dropped (only http, https, mailto)").format(href=href[:60]))
        elif t == "image":
            warnings.append(_("images in free text are not supported; the alt text is printed"))
            spans.append(Span(child.content, strong > 0, emph > 0))
        elif t == "html_inline":  # unreachable with html off; kept literal if it ever appears
            spans.append(Span(child.content, strong > 0, emph > 0))
    text_spans: list[Span] = []
    for s in spans:
        if s.note or (text_spans and text_spans[-1].note):
            text_spans.append(s)
        elif text_spans and (text_spans[-1].strong, text_spans[-1].emphasis) == (s.strong, s.emphasis):
            text_spans[-1] = Span(text_spans[-1].text + s.text, s.strong, s.emphasis)
        else:
            text_spans.append(s)
    out = []
    for s in text_spans:
        if s.note:
            out.append(s)
            continue
        t = _collapse(s.text).replace("\u2028", "\n")
        if t:
            out.append(Span(t, s.strong, s.emphasis))
    return tuple(out)


def markdown_blocks(
    text: str, role: ParagraphRole = "body", base_level: int = 1, warnings: list[str] | None = None
) -> list[Block]:
    """Parse Markdown into blocks; ``#`` headings start at ``base_level``."""
    warn = warnings if warnings is not None else []
    tokens = _MD.parse(text, {})
    notes, skip = _footnotes(tokens)
    out: list[Block] = []
    i = 0
    list_stack: list[ListBlock] = []
    quote = 0
    while i < len(tokens):
        tok = tokens[i]
        t = tok.type
        if i in skip:
            i += 1
            continue
        if t == "heading_open":
            level = min(base_level + int(tok.tag[1]) - 1, 4)
            out.append(Heading(level, _inline(tokens[i + 1], warn, notes)))
            i += 3
            continue
        if t in ("bullet_list_open", "ordered_list_open"):
            if not list_stack:
                lb = ListBlock([], ordered=t == "ordered_list_open")
                out.append(lb)
                list_stack.append(lb)
            else:
                list_stack.append(list_stack[-1])
        elif t in ("bullet_list_close", "ordered_list_close"):
            list_stack.pop()
        elif t == "blockquote_open":
            quote += 1
        elif t == "blockquote_close":
            quote -= 1
        elif t == "inline" and tokens[i - 1].type == "paragraph_open":
            inl = _inline(tok, warn, notes)
            if inl:
                if list_stack:
                    list_stack[-1].items.append(inl)
                else:
                    out.append(Paragraph(inl, "note" if quote else role))
        elif t in ("fence", "code_block"):
            for line in tok.content.splitlines():
                if line.strip():
                    out.append(Paragraph((Span(line),), "source"))
        i += 1
    return [b for b in out if not (isinstance(b, ListBlock) and not b.items)]
