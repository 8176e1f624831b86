"""Turn YAML text into located problems for the slips of Chinese typing that YAML misreads.

A Chinese input method types full-width punctuation: ``：`` after a key, U+3000 in indentation,
``－``/``—`` as list markers, ``“ ”`` around text, full-width digits in numbers. YAML then reports
something unrelated, usually on the next line. These checks name the character, at its own line
and column, with the fix. The text scan runs when the parser fails (:func:`scan`); a byte order
mark inside the file is looked for always (:func:`stray_boms`); the value checks
(:func:`fullwidth_key`, :func:`fullwidth_number`, :func:`dash_list`, :func:`key_with_colon`) run on
values the schema refused or on keys of a file that parsed.
"""

from __future__ import annotations

import re
import unicodedata

from briefgen.errors import Problem
from briefgen.i18n import _

_KEY = r"[A-Za-z_][\w.\-]*"
_COLON = re.compile(rf"^(?P<lead>[ \u3000]*(?:[-－—][ \u3000]+)?)(?P<key>{_KEY})[ \u3000]*：")
_IDEO_INDENT = re.compile(r"^[ \t]*\u3000")
_DASH = re.compile(r"^(?P<lead>[ \u3000]*)(?P<dash>[－—–])[ \u3000]*\S")
_CURLY = re.compile(r"^[ \u3000]*(?:-[ ]+)?(?:[^\s:#]+:[ ]+)?(?P<q>[“‘])")
_BLOCK_HEADER = re.compile(r"(?:^|[:\-])[ ]*[|>][0-9+-]*[ ]*(?:#.*)?$")
DASHES = "－—–"


def _colon(line: int, col: int, key: str) -> Problem:
    return Problem(
        _("full-width colon “：” after the key {key}").format(key=key), line=line, col=col,
        hint=_("replace the full-width colon “：” at line {line}, column {col} with a half-width "
               "“:” followed by a space").format(line=line, col=col),
        code="E-YAML-FULLWIDTH-COLON")


def _ideo_space(line: int, col: int) -> Problem:
    return Problem(
        _("full-width space (U+3000) in the indentation"), line=line, col=col,
        hint=_("replace the full-width space at line {line}, column {col} with half-width spaces")
        .format(line=line, col=col),
        code="E-YAML-FULLWIDTH-SPACE")


def _dash(line: int, col: int, char: str) -> Problem:
    return Problem(
        _("full-width “{char}” used as a list marker").format(char=char), line=line, col=col,
        hint=_("replace “{char}” at line {line}, column {col} with a half-width “-” followed by a space")
        .format(char=char, line=line, col=col),
        code="E-YAML-FULLWIDTH-DASH")


def _curly(line: int, col: int, char: str) -> Problem:
    return Problem(
        _("Chinese quotation mark {char} does not quote YAML text, and the text holds “: ” or “ #”")
        .format(char=char), line=line, col=col,
        hint=_("put the text in half-width quotes \"…\" (at line {line}, column {col}); "
               "Chinese quotation marks inside them stay in the text").format(line=line, col=col),
        code="E-YAML-CURLY-QUOTES")


def _bom(line: int, col: int) -> Problem:
    return Problem(
        _("byte order mark (U+FEFF) inside the file"), line=line, col=col,
        hint=_("delete the invisible character at line {line}, column {col}; "
               "files pasted together often carry one").format(line=line, col=col),
        code="E-YAML-BOM")


def stray_boms(text: str, file: str) -> list[Problem]:
    """Every U+FEFF in ``text`` (a leading one is removed when the file is read)."""
    out: list[Problem] = []
    pos = text.find("\ufeff")
    while pos >= 0:
        line = text.count("\n", 0, pos) + 1
        col = pos - (text.rfind("\n", 0, pos) + 1) + 1
        p = _bom(line, col)
        p.file = file
        out.append(p)
        pos = text.find("\ufeff", pos + 1)
    return out


def scan(text: str, file: str) -> list[Problem]:
    """Full-width colons after keys, U+3000 in indentation, full-width list markers and
    Chinese quotation marks around text holding ``: ``: for a file YAML could not parse.
    Lines inside ``|`` and ``>`` block scalars are text and are not looked at."""
    out: list[Problem] = []
    block_indent: int | None = None  # inside a block scalar: lines indented more than this
    for n, raw in enumerate(text.split("\n"), 1):
        line = raw.rstrip("\r")
        stripped = line.lstrip(" ")
        indent = len(line) - len(stripped)
        if block_indent is not None:
            if not stripped or indent > block_indent:
                continue
            block_indent = None
        if not stripped or stripped.startswith("#"):
            continue
        m = _IDEO_INDENT.match(line)
        if m:
            out.append(_ideo_space(n, m.end()))
        m = _COLON.match(line)
        if m:
            out.append(_colon(n, m.end(), m.group("key")))
        m = _DASH.match(line)
        if m:
            out.append(_dash(n, m.start("dash") + 1, m.group("dash")))
        m = _CURLY.match(line)
        if m:
            rest = line[m.end():]
            if ": " in rest or " #" in rest or rest.endswith(":"):
                out.append(_curly(n, m.start("q") + 1, m.group("q")))
        if _BLOCK_HEADER.search(line):
            block_indent = indent
    for p in out:
        p.file = file
    return out


def key_with_colon(key: str, line: int, col: int, file: str) -> Problem | None:
    """A mapping key holding ``：`` (``title：正文: x`` parses as the key ``title：正文``)."""
    pos = key.find("：")
    if pos < 0 or not re.match(rf"^{_KEY}[ \u3000]*$", key[:pos]):
        return None
    p = _colon(line, col + pos, key[:pos].strip())
    p.file = file
    return p


def colon_in_text(value: object) -> tuple[int, str] | None:
    """``bao：市委`` given where a mapping belongs: the offset of ``：`` and the key before it."""
    if not isinstance(value, str):
        return None
    m = _COLON.match(value)
    return (m.end() - 1, m.group("key")) if m else None


def dash_list(value: object) -> str | None:
    """The full-width dash a would-be list starts with (``－ 一 － 二`` read as one text, or a
    mapping whose first key is ``－ section``)."""
    if isinstance(value, dict) and value:
        value = next(iter(value))
    if isinstance(value, str) and value[:1] in DASHES and value[1:2] in (" ", "\u3000"):
        return value[0]
    return None


def fullwidth_number(value: object) -> str | None:
    """``５０`` / ``１２．５`` written with full-width digits: the half-width form, else None."""
    if not isinstance(value, str) or not any("０" <= c <= "９" for c in value):
        return None
    fixed = unicodedata.normalize("NFKC", value).strip()
    return fixed if re.fullmatch(r"[-+]?\d+(\.\d+)?%?", fixed) else None


def fullwidth_date(value: object) -> str | None:
    """``２０２６－１０－０１`` written with full-width digits or dashes: the half-width form, else None."""
    if not isinstance(value, str) or value.isascii():
        return None
    fixed = unicodedata.normalize("NFKC", value).strip()
    return fixed if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", fixed) else None


def fullwidth_key(key: str, allowed: set[str]) -> str | None:
    """The allowed key a key becomes without its full-width characters (U+3000, ｔｉｔｌｅ), else None."""
    fixed = unicodedata.normalize("NFKC", key).strip()
    return fixed if fixed != key and fixed in allowed else None


def comma_in_flow_item(file: str, line: int, col: int, path: str) -> Problem:
    """A warning for ``[改革，发展]``: YAML separates items with a half-width comma only."""
    return Problem(
        _("the list item holds a full-width comma “，”, so it is one item"), file, line, col, path,
        hint=_("if it is meant as two items, change the “，” at line {line}, column {col} to a half-width “,”")
        .format(line=line, col=col), severity="warning", code="W-YAML-FULLWIDTH-COMMA")


def dash_problem(line: int | None, col: int | None, char: str) -> Problem:
    return _dash(line or 0, col or 0, char)


def colon_problem(line: int | None, col: int | None, key: str) -> Problem:
    return _colon(line or 0, col or 0, key)


def ideo_space_problem(line: int | None, col: int | None) -> Problem:
    return _ideo_space(line or 0, col or 0)
