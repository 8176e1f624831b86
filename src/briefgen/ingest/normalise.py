"""Turn raw article text into clean Chinese text: full-width digits, stray spaces and punctuation normalised."""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.compose.punctuation import normalise as normalise_punctuation
from briefgen.inputs.textsafe import is_cjk

# Characters a YAML reader or an XML writer cannot hold, plus line/paragraph separators that
# round-trip badly through YAML (U+0085): all become a plain space.
_UNSAFE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\x85\u2028\u2029\ufffe\uffff\ud800-\udfff]")
# Zero-width and bidi marks copied from web pages: dropped.
_INVISIBLE = re.compile("[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff\u061c\u00ad]")
_SPACES = re.compile("[ \t\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000]+")
_DASHES = re.compile(r"\s*(?:——|―{2}|─{2})\s*")

# Full-width digits, Latin letters and the marks numbers use (％ ． ，between digits) → ASCII.
_FULLWIDTH = {chr(0xFF10 + i): str(i) for i in range(10)}
_FULLWIDTH.update({chr(0xFF21 + i): chr(0x41 + i) for i in range(26)})
_FULLWIDTH.update({chr(0xFF41 + i): chr(0x61 + i) for i in range(26)})
_FULLWIDTH.update({"％": "%", "‰": "‰", "＋": "+", "－": "-"})
_DIGIT_TABLE = str.maketrans(_FULLWIDTH)
_FULL_MARK = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}
_AFTER_NUMBER = re.compile(r"(?<=[%‰\d])\s*([,;:!?])\s*(?=[\u4e00-\u9fff“（])")
_NUMERIC_DOT = re.compile(r"(?<=\d)[．·](?=\d)")


@dataclass(frozen=True)
class Normalise:
    """Which normalisations run: each is on unless the user asks to keep the original form."""

    punctuation: bool = True
    spaces: bool = True
    digits: bool = True


def digits_to_ascii(text: str) -> str:
    """Full-width digits, letters, ％ and decimal points between digits → ASCII (same length)."""
    return _NUMERIC_DOT.sub(".", text.translate(_DIGIT_TABLE))


def _cjkish(ch: str) -> bool:
    return is_cjk(ch) or ch in "，。；：！？、（）《》【】“”‘’"


def squeeze_spaces(text: str) -> str:
    """Drop spaces next to Chinese characters or marks; collapse other runs to one space."""
    text = _SPACES.sub(" ", text).strip()
    if " " not in text:
        return text
    out: list[str] = []
    for i, ch in enumerate(text):
        if ch == " ":
            prev = text[i - 1] if i else ""
            nxt = text[i + 1] if i + 1 < len(text) else ""
            if (prev and _cjkish(prev)) or (nxt and _cjkish(nxt)):
                continue
        out.append(ch)
    return "".join(out)


_CHUNK = 1000


def _punctuation(text: str) -> str:
    """briefgen.compose.punctuation.normalise, applied sentence-wise to very long lines: its URL pattern
    backtracks quadratically on long runs without spaces (a 100 KB line took seconds)."""
    if len(text) <= _CHUNK:
        return normalise_punctuation(text)[0]
    pieces = [p for p in re.findall(r"[^。！？]*[。！？]*", text) if p]
    # a piece still too long is cut between two Chinese characters, where no mark can change
    cut: list[str] = []
    for piece in pieces:
        while len(piece) > _CHUNK:
            k = next((i for i in range(_CHUNK, len(piece) - 1)
                      if "\u4e00" <= piece[i - 1] <= "\u9fff" and "\u4e00" <= piece[i] <= "\u9fff"), len(piece))
            cut.append(piece[:k])
            piece = piece[k:]
        cut.append(piece)
    pieces = cut
    out: list[str] = []
    buf = ""
    for piece in pieces:
        if buf and len(buf) + len(piece) > _CHUNK:
            out.append(normalise_punctuation(buf)[0])
            buf = ""
        buf += piece
    if buf:
        out.append(normalise_punctuation(buf)[0])
    return "".join(out)


def clean(text: str, opts: Normalise | None = None) -> str:
    """One line of article text, normalised as ``opts`` asks (default: all). Unsafe characters always go."""
    opts = opts or Normalise()
    text = _INVISIBLE.sub("", _UNSAFE.sub(" ", text))
    if opts.digits:
        text = digits_to_ascii(text)
    if opts.spaces:
        text = _DASHES.sub("——", text)
        text = squeeze_spaces(text)
    else:
        text = text.strip()
    if opts.punctuation:
        text = _punctuation(text)
        # 增长4.1%;全社会… — a mark after a number, before Chinese text
        text = _AFTER_NUMBER.sub(lambda m: _FULL_MARK[m.group(1)], text)
        if opts.spaces:
            text = squeeze_spaces(text)
    return text
