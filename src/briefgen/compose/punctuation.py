"""Turn half-width punctuation and straight quotes inside Chinese text into their full-width forms.

Only punctuation in Chinese context changes; numbers (12.5, 1,000, 3:2), URLs, e-mail
addresses and Latin phrases stay as they are. The rules:

* ``, ; : ! ?`` become full-width when the nearest character before them (spaces and other
  marks skipped) is a Han character, or the nearest one after them is and they do not
  follow a Latin word (``增长12.2%;下降`` → ``；``, ``Hello, world!中文`` unchanged); never
  between two digits;
* ``( )`` are converted as a pair, when the text inside holds Han characters or a Han
  character comes before the opening one; an unpaired bracket follows the rule above;
* straight double quotes next to Han text alternate “ and ”; a straight single quote between
  Han characters alternates ‘ and ’;
* a space the half-width habit left after a converted mark (or before a converted opening
  bracket that follows Han text) is dropped.

Each change is counted (and, through ``normalise_changes``, listed with its context) so
``briefgen check`` can report what was changed and where.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from briefgen.inputs.textsafe import is_cjk

_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
# Candidate tokens are maximal runs of printable ASCII (found in linear time). A token holding
# "://", "www." or an "@" is protected from that point (URL) or whole (e-mail address); plain
# substring search keeps this linear where a URL regex would backtrack quadratically.
_ASCII_RUN = re.compile(r"[!-~]+")
# Sentence punctuation right after a URL belongs to the sentence, not to the URL.
_URL_TAIL = ".,;:!?)'\""

_SKIP = set(" ") | set(_FULL) | set(_FULL.values()) | set("\"'“”‘’")


@dataclass(frozen=True)
class Change:
    """One converted mark: where it was in the input, what it was and what it became."""

    index: int
    old: str
    new: str
    context: str  # a few characters either side, from the input

    def __str__(self) -> str:
        return f"{self.old}→{self.new} in “{self.context}”"


def _cjk_near(text: str, i: int, direction: int) -> bool:
    """Is the nearest character that is not a space or a convertible mark Chinese?"""
    j = i + direction
    while 0 <= j < len(text) and text[j] in _SKIP:
        j += direction
    return 0 <= j < len(text) and is_cjk(text[j])


def _protected(text: str) -> list[bool]:
    protected = [False] * len(text)
    for m in _ASCII_RUN.finditer(text):
        token = m.group()
        cut = min((i for i in (token.find("://"), token.find("www.")) if i >= 0), default=-1)
        if cut >= 0:
            while cut > 0 and (token[cut - 1].isalnum() or token[cut - 1] in "+.-"):
                cut -= 1
            start = m.start() + cut
        elif "@" in token and "." in token[token.find("@"):]:
            start = m.start()
        else:
            continue
        end = m.end()
        while end > start + 1 and text[end - 1] in _URL_TAIL:
            end -= 1
        for k in range(start, end):
            protected[k] = True
    return protected


def _bracket_pairs(text: str, protected: list[bool]) -> dict[int, int]:
    """Matching half-width ``(``/``)`` positions (both directions), outside protected text."""
    pairs: dict[int, int] = {}
    stack: list[int] = []
    for i, ch in enumerate(text):
        if protected[i]:
            continue
        if ch == "(":
            stack.append(i)
        elif ch == ")" and stack:
            j = stack.pop()
            pairs[j] = i
            pairs[i] = j
    return pairs


def _pair_is_chinese(text: str, op: int, cl: int) -> bool:
    # marks this module converts do not count, so that a second pass decides the same way
    inside = any(is_cjk(c) and c not in _SKIP for c in text[op + 1 : cl])
    return inside or _cjk_near(text, op, -1)


def _after_latin(text: str, i: int, protected: list[bool]) -> bool:
    """Does a Latin word (spaces skipped; not a URL or e-mail address) end right before ``i``?"""
    j = i - 1
    while j >= 0 and text[j] == " ":
        j -= 1
    return j >= 0 and text[j].isascii() and text[j].isalpha() and not protected[j]


def normalise_changes(text: str) -> tuple[str, list[Change]]:
    """The normalised text and every change made, in order."""
    if not text:
        return text, []
    protected = _protected(text)
    pairs = _bracket_pairs(text, protected)
    out: list[str] = []
    changes: list[Change] = []
    open_double = True
    open_single = True
    i = 0
    n = len(text)

    def record(new: str) -> None:
        changes.append(Change(i, text[i], new, text[max(0, i - 6) : i + 7]))
        out.append(new)

    while i < n:
        ch = text[i]
        if protected[i]:
            out.append(ch)
            i += 1
            continue
        if ch in _FULL:
            if ch in "()" and i in pairs:
                op, cl = (i, pairs[i]) if ch == "(" else (pairs[i], i)
                chinese = _pair_is_chinese(text, op, cl)
            else:
                digit_around = 0 < i < n - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
                chinese = not digit_around and (
                    _cjk_near(text, i, -1)
                    or (_cjk_near(text, i, +1) and not _after_latin(text, i, protected))
                )
            if chinese:
                if ch == "(":
                    # no space between Han text and a full-width bracket
                    k = len(out)
                    while k and out[k - 1] == " ":
                        k -= 1
                    if k < len(out) and k and (is_cjk(out[k - 1]) or out[k - 1] in _SKIP):
                        del out[k:]
                record(_FULL[ch])
                # drop a space the half-width habit left after the mark
                if i + 1 < n and text[i + 1] == " " and ch != "(":
                    i += 1
                i += 1
                continue
        elif ch == '"' and (_cjk_near(text, i, -1) or _cjk_near(text, i, +1)):
            record("“" if open_double else "”")
            open_double = not open_double
            i += 1
            continue
        elif ch == "'" and (_cjk_near(text, i, -1) and _cjk_near(text, i, +1)):
            record("‘" if open_single else "’")
            open_single = not open_single
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out), changes


def normalise(text: str) -> tuple[str, int]:
    """Return the normalised text and how many characters changed."""
    out, changes = normalise_changes(text)
    return out, len(changes)
