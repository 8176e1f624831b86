"""Turn YAML text into plain Python data plus line/column marks, refusing YAML's traps.

Every scalar stays a ``str`` (no YAML 1.1 coercion: ``no`` stays "no", ``010`` stays "010");
typed fields are converted later by the schema, which knows which fields are numbers.
Explicit tags, aliases/anchors, duplicate keys, non-string keys and deep nesting are errors.
Characters XML cannot hold (C0 controls, U+FFFE/FFFF, lone surrogates from escapes such as
``"\\ud800"``) and bidi controls are replaced as :func:`briefgen.inputs.textsafe.sanitize` documents,
each with a warning located at the value (``Located.warnings``); ``--strict`` turns them into errors.
A syntax error is explained by the slip of Chinese typing behind it where there is one
(:mod:`briefgen.inputs.typos`: full-width colon, U+3000, full-width dash, curly quotes, stray BOM),
at that character's own line and column. Folded and multi-line plain text joins lines between
CJK characters without a space (:mod:`briefgen.inputs.folding`). Plain values YAML 1.1 would
coerce are recorded in ``Located.coercible`` for hints once the schema shows they are text.
"""

from __future__ import annotations

import gc
import importlib
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import yaml
import yaml.reader
from yaml.composer import Composer
from yaml.events import AliasEvent
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode
from yaml.parser import Parser
from yaml.reader import Reader
from yaml.resolver import BaseResolver
from yaml.scanner import Scanner

from briefgen.errors import BriefError, LimitError, PathPart, Problem, format_path
from briefgen.i18n import _
from briefgen.inputs import typos
from briefgen.inputs.confine import read_bytes
from briefgen.inputs.folding import join_cjk_folds
from briefgen.inputs.limits import Limits, limits
from briefgen.inputs.textsafe import sanitize

MAX_BYTES = Limits.input_bytes

_NULLS = {"~", "null", "Null", "NULL", ""}
# With BaseResolver no implicit typing happens, so every untagged node has one of these tags;
# anything else came from an explicit ``!tag`` in the file.
_ALLOWED_TAGS = {"tag:yaml.org,2002:str", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


Path_ = tuple[PathPart, ...]

# plain values a YAML 1.1 reader would turn into a boolean or a number (briefgen keeps them as text)
_COERCIBLE = re.compile(
    r"(?i:y|n|yes|no|on|off|true|false)|[-+]?0[0-9_]+|[-+]?(?:[0-9][0-9_]*)?\.?[0-9]+[eE][-+]?[0-9]+"
)
CHAR_REPLACED = "W-CHAR-REPLACED"  # the code of the warnings of replaced characters (--strict refuses them)


@dataclass
class Located:
    """Loaded YAML data with the line/column (1-based) of every value and mapping key."""

    data: Any
    file: str
    marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    key_marks: dict[Path_, tuple[int, int]] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)  # replaced characters, located
    # plain values YAML 1.1 would read as a boolean or number: (path, value), for hints on text fields
    coercible: list[tuple[Path_, str]] = field(default_factory=list, repr=False, compare=False)
    _lines: list[str] = field(default_factory=list, repr=False, compare=False)  # while converting

    def where(self, path: Path_, key: bool = False) -> tuple[int | None, int | None]:
        """The mark of ``path``, or of its nearest ancestor that has one."""
        p = tuple(path)
        while True:
            if key and p in self.key_marks:
                return self.key_marks[p]
            if p in self.marks:
                return self.marks[p]
            if not p:
                return (None, None)
            p = p[:-1]

    def problem(self, path: Path_, message: str, hint: str = "", key: bool = False,
                code: str = "") -> Problem:
        line, col = self.where(path, key=key)
        return Problem(message, self.file, line, col, format_path(path), hint, code=code)


class _Loader(Reader, Scanner, Parser, Composer, BaseResolver):
    """Composer without implicit typing that refuses aliases (billion-laughs) while composing."""

    def __init__(self, stream: str) -> None:
        Reader.__init__(self, stream)
        Scanner.__init__(self)
        Parser.__init__(self)
        Composer.__init__(self)
        BaseResolver.__init__(self)

    def compose_node(self, parent: Node | None, index: Any) -> Node | None:
        if self.check_event(AliasEvent):
            event = self.peek_event()
            m = event.start_mark
            raise BriefError.at(
                _("YAML aliases (*name) are not allowed"),
                line=m.line + 1,
                col=m.column + 1,
                hint=_("repeat the value instead of using &anchor/*alias"),
                code="E-YAML-ALIAS",
            )
        return super().compose_node(parent, index)


# libyaml's scanner and parser (C), when PyYAML was built with it. Typed as Any: the stubs of
# types-PyYAML differ between releases, and the mix-in below is checked by the tests instead.
_CParser: Any = getattr(importlib.import_module("yaml.cyaml"), "CParser", None)


# Text where libyaml and PyYAML's scanner can disagree goes to the Python loader alone: tabs and
# ``|#`` block headers (libyaml accepts more), ``?`` (explicit keys: other marks; flow context)
# and ``!`` (tags: other errors). Chinese text uses full-width ？ and ！, so packs rarely have them.
_PYTHON_ONLY = re.compile(r"[\t?!]|[|>][0-9+-]*#")


class _Composed:
    """What :func:`_loader_for` hands back when libyaml composed the document: the node, or the
    error composing raised (raised again where the Python loader would raise it)."""

    def __init__(self, node: Node | None, error: BaseException | None = None) -> None:
        self.node = node
        self.error = error

    def get_single_node(self) -> Node | None:
        if self.error is not None:
            raise self.error
        return self.node

    def dispose(self) -> None:
        pass


def _loader_for(text: str) -> _Loader | _Composed:
    """The document composed by libyaml's C parser (5-8× faster on big source packs), or a
    :class:`_Loader` when libyaml is missing or finds anything wrong: the pure-Python loader then
    reports the problem exactly as it always has (and accepts what only it accepts, such as
    surrogate escapes). Both compose with the same Python composer, so aliases are refused at
    the same place and nesting ends in the same RecursionError. Garbage collection is paused
    while composing: the node tree holds no cycles, and collections over its ~10⁶ young
    objects cost more than the composing itself.
    """
    if _CParser is None or _PYTHON_ONLY.search(text):
        return _Loader(text)

    paused = gc.isenabled()
    gc.disable()
    try:
        try:
            loader: Any = _FastLoader(text)
        except UnicodeError:  # lone surrogates: the Python reader reports them with a position
            return _Loader(text)
        try:
            return _Composed(loader.get_single_node())
        except yaml.YAMLError:
            return _Loader(text)
        except (BriefError, RecursionError) as e:  # an alias; nesting too deep
            return _Composed(None, e)
        finally:
            loader.dispose()
    finally:
        if paused:
            gc.enable()


if _CParser is not None:

    class _FastLoader(_CParser, BaseResolver):
        """libyaml events, composed by PyYAML's Python composer with :class:`_Loader`'s alias check."""

        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            BaseResolver.__init__(self)
            self.anchors: dict[Any, Node] = {}

        get_single_node = Composer.get_single_node
        compose_document = Composer.compose_document
        compose_sequence_node = Composer.compose_sequence_node
        compose_mapping_node = Composer.compose_mapping_node

        def compose_node(self, parent: Node | None, index: Any) -> Node | None:
            if self.check_event(AliasEvent):  # as _Loader.compose_node
                m = self.peek_event().start_mark
                raise BriefError.at(
                    _("YAML aliases (*name) are not allowed"),
                    line=m.line + 1,
                    col=m.column + 1,
                    hint=_("repeat the value instead of using &anchor/*alias"),
                    code="E-YAML-ALIAS",
                )
            return Composer.compose_node(cast(Composer, self), parent, index)

        def compose_scalar_node(self, anchor: Any) -> Node:
            node = Composer.compose_scalar_node(cast(Composer, self), anchor)
            node.style = node.style or None  # libyaml's plain style is "", PyYAML's None
            return node


def read_text(path: Path, max_bytes: int | None = None) -> str:
    """Read a UTF-8 (optionally BOM-prefixed) text file with a size limit and clear errors.

    Only regular files are read (devices and FIFOs are refused without blocking), and while a
    brief is being prepared only files inside its allowed roots (:mod:`briefgen.inputs.confine`).
    """

    shown = str(path)
    raw = read_bytes(path, limits().input_bytes if max_bytes is None else max_bytes)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        col = e.start - (raw.rfind(b"\n", 0, e.start) + 1) + 1
        raise BriefError.at(
            _("not valid UTF-8 (byte 0x{byte:02x} at offset {offset})").format(byte=raw[e.start], offset=e.start),
            file=shown, line=line, col=col, hint=_("save the file as UTF-8"), code="E-UTF8",
        ) from e
    return text


def load_yaml_file(path: Path, max_depth: int | None = None) -> Located:
    """Load one YAML file from disk as :class:`Located` data."""
    return load_yaml_text(read_text(path), str(path), max_depth=max_depth)


def load_yaml_text(text: str, file: str = "<string>", max_depth: int | None = None) -> Located:
    """Load YAML text as :class:`Located` data; every problem becomes a located BriefError."""
    if max_depth is None:
        max_depth = limits().yaml_depth
    try:
        loader = _loader_for(text)
    except yaml.reader.ReaderError as e:
        line = text.count("\n", 0, e.position) + 1
        col = e.position - (text.rfind("\n", 0, e.position) + 1) + 1
        raise BriefError.at(
            _("character U+{code:04X} is not allowed in YAML text").format(code=e.character),
            file=file, line=line, col=col,
            hint=_('write it as an escape inside double quotes, e.g. "\\x01", or remove it'),
            code="E-YAML-CHAR",
        ) from None
    try:
        try:
            node = loader.get_single_node()
        except BriefError as e:
            for p in e.problems:
                p.file = file
            raise
        except yaml.MarkedYAMLError as e:
            raise BriefError(_syntax_problems(e, text, file)) from None
        except yaml.YAMLError as e:
            raise BriefError.at(_("YAML error: {detail}").format(detail=str(e).splitlines()[0]), file=file,
                                code="E-YAML-SYNTAX") from None
        except RecursionError:
            raise LimitError.at(
                _("YAML nesting is too deep to read, over the limit yaml_depth={n}").format(n=max_depth),
                file=file, hint=_("raise it with --limit yaml_depth=N"), code="E-LIMIT",
            ) from None
    finally:
        loader.dispose()
    located = Located(data=None, file=file)
    if node is None:
        return located
    problems: list[Problem] = typos.stray_boms(text, file) if "\ufeff" in text else []
    located._lines = text.split("\n")
    try:
        located.data = _convert(node, (), located, problems, max_depth)
    finally:
        located._lines = []
    if problems:
        raise BriefError(problems)
    return located


def _syntax_problems(e: yaml.MarkedYAMLError, text: str, file: str) -> list[Problem]:
    """The slips of Chinese typing that explain a syntax error, each at its own character; and the
    parser's own message unless a slip on its line or just above explains it."""
    mark = e.problem_mark or e.context_mark
    msg = (e.problem or "invalid YAML").strip()
    if e.context and "tab" not in msg:
        msg = f"{msg} ({e.context.strip()})" if e.problem else e.context.strip()
    tab = "\\t" in msg or "tab" in msg
    parser_problem = Problem(
        _("YAML syntax error: {detail}").format(detail=msg), file,
        mark.line + 1 if mark else None, mark.column + 1 if mark else None,
        hint=_("YAML indents with spaces, not tabs") if tab else "",
        code="E-YAML-TAB" if tab else "E-YAML-SYNTAX",
    )
    slips = typos.stray_boms(text, file) + typos.scan(text, file)
    where = parser_problem.line or 0
    if any(p.line is not None and p.line <= where <= p.line + 3 for p in slips):
        return slips
    return [*slips, parser_problem]


def _convert(
    node: Node, path: Path_, loc: Located, problems: list[Problem], max_depth: int
) -> Any:
    mark = (node.start_mark.line + 1, node.start_mark.column + 1)
    loc.marks[path] = mark
    if len(path) > max_depth:
        raise LimitError.at(
            _("nesting is {n} levels deep, over the limit yaml_depth={limit}").format(n=len(path), limit=max_depth),
            file=loc.file,
            line=mark[0],
            col=mark[1],
            hint=_("raise it with --limit yaml_depth=N"),
            code="E-LIMIT",
        )
    if node.tag not in _ALLOWED_TAGS:
        problems.append(
            Problem(
                _("YAML tag {tag!r} is not allowed").format(tag=node.tag),
                loc.file,
                mark[0],
                mark[1],
                hint=_("remove the !tag; briefgen reads plain text, lists and mappings only"),
                code="E-YAML-TAG",
            )
        )
        return None
    if isinstance(node, ScalarNode):
        value = str(node.value)
        if node.style is None:
            if value in _NULLS:
                return None
            if len(value) <= 12 and _COERCIBLE.fullmatch(value):
                loc.coercible.append((path, value))
        if node.style in (None, ">") and node.end_mark.line > node.start_mark.line and " " in value:
            value = join_cjk_folds(value, node, loc._lines)
        return _clean(value, path, mark, loc)
    if isinstance(node, SequenceNode):
        if node.flow_style:  # [改革，发展]: one item holding a full-width comma, or two items?
            for i, child in enumerate(node.value):
                if isinstance(child, ScalarNode) and child.style is None and "，" in str(child.value):
                    loc.warnings.append(typos.comma_in_flow_item(
                        loc.file, child.start_mark.line + 1, child.start_mark.column + 1 + str(child.value).index("，"),
                        _fmt((*path, i))))
        return [
            _convert(child, (*path, i), loc, problems, max_depth)
            for i, child in enumerate(node.value)
        ]
    if isinstance(node, MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            kmark = (key_node.start_mark.line + 1, key_node.start_mark.column + 1)
            if not isinstance(key_node, ScalarNode) or key_node.tag not in _ALLOWED_TAGS:
                problems.append(Problem(_("mapping keys must be plain text"), loc.file, *kmark,
                                        code="E-YAML-KEY"))
                continue
            if key_node.value == "<<":
                problems.append(
                    Problem(_("YAML merge keys (<<) are not allowed"), loc.file, *kmark, code="E-YAML-MERGE")
                )
                continue
            if "：" in key_node.value and key_node.start_mark.line == key_node.end_mark.line:
                slip = typos.key_with_colon(str(key_node.value), *kmark, loc.file)
                if slip is not None:
                    problems.append(slip)
            key = _clean(str(key_node.value), (*path, str(key_node.value)), kmark, loc)
            if key in out:
                first = loc.key_marks.get((*path, key), (None, None))
                problems.append(
                    Problem(
                        _("duplicate key {key!r}").format(key=key),
                        loc.file,
                        *kmark,
                        path=_fmt((*path, key)),
                        hint=_("first defined at line {line}").format(line=first[0]),
                        code="E-YAML-DUPLICATE-KEY",
                    )
                )
                continue
            loc.key_marks[(*path, key)] = kmark
            out[key] = _convert(value_node, (*path, key), loc, problems, max_depth)
        return out
    raise AssertionError(f"unknown YAML node {node!r}")  # pragma: no cover


def _clean(value: str, path: Path_, mark: tuple[int, int], loc: Located) -> str:
    """The value made XML-safe; every replaced character becomes a located warning."""
    clean, issues = sanitize(value)
    for issue in issues:
        loc.warnings.append(Problem(issue, loc.file, mark[0], mark[1], _fmt(path), severity="warning",
                                    code=CHAR_REPLACED))
    return clean


def _fmt(path: Path_) -> str:

    return format_path(path)
