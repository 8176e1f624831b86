"""Turn half-width punctuation and straight quotes inside Chinese text into their full-width forms.

Only punctuation next to Chinese characters changes; numbers (12.5, 1,000), URLs and Latin
phrases stay as they are. Each change is counted so ``briefgen check`` can report it.
"""

from __future__ import annotations

import re

from briefgen.textsafe import is_cjk

_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？", "(": "（", ")": "）"}
# Candidate tokens are maximal runs of printable ASCII (found in linear time). A token holding
# "://", "www." or an "@" is protected from that point (URL) or whole (e-mail address); plain
# substring search keeps this linear where a URL regex would backtrack quadratically.
_ASCII_RUN = re.compile(r"[!-~]+")


_SKIP = set(" ") | set(_FULL) | set(_FULL.values()) | set("\"'“”‘’")


def _cjk_near(text: str, i: int, direction: int) -> bool:
    """Is the nearest character that is not a space or a convertible mark Chinese?"""
    j = i + direction
    while 0 <= j < len(text) and text[j] in _SKIP:
        j += direction
    return 0 <= j < len(text) and is_cjk(text[j])


def normalise(text: str) -> tuple[str, int]:
    """Return the normalised text and how many characters changed."""
    if not text:
        return text, 0
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
        for k in range(start, m.end()):
            protected[k] = True
    out: list[str] = []
    changes = 0
    open_double = True
    open_single = True
    i = 0
    n = len(text)
    while i < n:
        ch = text[i]
        if protected[i]:
            out.append(ch)
            i += 1
            continue
        if ch in _FULL:
            before = _cjk_near(text, i, -1)
            after = _cjk_near(text, i, +1)
            digit_around = (
                0 < i < n - 1 and text[i - 1].isdigit() and text[i + 1].isdigit()
            )
            chinese = (before or after) if ch in "()" else before
            if chinese and not digit_around:
                out.append(_FULL[ch])
                changes += 1
                # drop a space the half-width habit left after the mark
                if i + 1 < n and text[i + 1] == " " and ch not in "(":
                    i += 1
                i += 1
                continue
        elif ch == '"' and (_cjk_near(text, i, -1) or _cjk_near(text, i, +1)):
            out.append("“" if open_double else "”")
            open_double = not open_double
            changes += 1
            i += 1
            continue
        elif ch == "'" and (_cjk_near(text, i, -1) and _cjk_near(text, i, +1)):
            out.append("‘" if open_single else "’")
            open_single = not open_single
            changes += 1
            i += 1
            continue
        out.append(ch)
        i += 1
    return "".join(out), changes
