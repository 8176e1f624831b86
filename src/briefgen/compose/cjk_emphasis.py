"""Turn CommonMark's emphasis delimiters into ones that also work beside Chinese punctuation (``**一是强化组织领导。**各地要…``).

CommonMark decides whether ``**`` opens or closes emphasis from the characters on either side: a
closing run after punctuation must be followed by whitespace or punctuation. Chinese has no
spaces, so the commonest bold lead of an official document (``**一是……。**正文``) stays as
literal asterisks. This follows the CJK-friendly amendment drafted for CommonMark
(tats-u/markdown-cjk-friendly): next to a CJK character, punctuation no longer blocks a run, and
the CJK character counts as punctuation where punctuation would allow it. Runs with no CJK
neighbour are scanned exactly as CommonMark says.

Hand-rolled: the one package on PyPI with this rule (mdit-py-cjk-friendly 0.3) patches
``StateInline.scanDelims`` for every markdown-it parser in the process; this is a rule of the
brief's own parser only.
"""

from __future__ import annotations

import re

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline.state_inline import Delimiter, Scanned, StateInline

#: CJK ideographs, CJK symbols and punctuation (、。《》“” are General Punctuation: not here, see
#: ``_cjk_side``), kana, and full-width forms (，；：！？（）).
_CJK = re.compile("[\u3000-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef\U00020000-\U0002ebef]")
#: Punctuation set in Chinese text that Unicode files outside the CJK blocks: quotes, dashes, ellipsis.
_CJK_PUNCT = set("“”‘’—…·")


def _cjk_side(ch: str) -> bool:
    return bool(_CJK.match(ch)) or ch in _CJK_PUNCT


def _punct(ch: str) -> bool:
    return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)


def scan(state: StateInline, start: int, can_split_word: bool) -> Scanned:
    """``StateInline.scanDelims`` with the CJK-friendly flanking rule."""
    got = state.scanDelims(start, can_split_word)
    last = state.src[start - 1] if start > 0 else " "
    end = start + got.length
    nxt = state.src[end] if end < state.posMax else " "
    if not (_cjk_side(last) or _cjk_side(nxt)):
        return got
    last_ws, next_ws = isWhiteSpace(ord(last)), isWhiteSpace(ord(nxt))
    last_block = _punct(last) and not _cjk_side(last)
    next_block = _punct(nxt) and not _cjk_side(nxt)
    last_allow = _punct(last) or _cjk_side(last)
    next_allow = _punct(nxt) or _cjk_side(nxt)
    left = not next_ws and (not next_block or last_ws or last_allow)
    right = not last_ws and (not last_block or next_ws or next_allow)
    if can_split_word:
        return Scanned(left, right, got.length)
    return Scanned(left and (not right or last_allow), right and (not left or next_allow), got.length)


def _tokenize(state: StateInline, silent: bool) -> bool:
    """markdown-it's ``emphasis`` tokenizer, scanning with ``scan``."""
    start = state.pos
    marker = state.src[start]
    if silent or marker not in ("_", "*"):
        return False
    scanned = scan(state, start, marker == "*")
    for _ in range(scanned.length):
        token = state.push("text", "", 0)
        token.content = marker
        state.delimiters.append(Delimiter(marker=ord(marker), length=scanned.length, token=len(state.tokens) - 1,
                                          end=-1, open=scanned.can_open, close=scanned.can_close))
    state.pos += scanned.length
    return True


def cjk_emphasis(md: MarkdownIt) -> None:
    """A markdown-it plugin: ``MarkdownIt(...).use(cjk_emphasis)``."""
    md.inline.ruler.at("emphasis", _tokenize)
