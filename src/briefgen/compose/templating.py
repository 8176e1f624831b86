"""Turn Jinja2 templates plus data into block markup, in an immutable sandbox with strict undefineds.

Templates come only from their folders (never from source text), through a loader that refuses
``..`` names and files that are links out of their folder. The sandbox is
``ImmutableSandboxedEnvironment`` with ``StrictUndefined`` and work limits
(:class:`LimitedSandbox`): string and list repetition, ``+``, ``**``, ``%`` and ``str.format``
widths, and the padding filters are capped at ``template_chars`` characters, loops at
``template_loops`` iterations per render, and the output at ``template_chars`` characters.
``lipsum`` (unbounded text) is removed. Any failure inside a template is a located
``template:line`` error, never an internal error.
"""

from __future__ import annotations

import os
import re
import string
import sys
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.runtime import LoopContext
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefgen.errors import BriefError, LimitError, Problem, available, suggest
from briefgen.i18n import _
from briefgen.inputs.confine import read_bytes
from briefgen.inputs.limits import current, limits
from briefgen.inputs.textsafe import refused, sanitize

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
MAX_POWER_BITS = 4096  # results of ** beyond this many bits are refused
_PERCENT = re.compile(r"%(?:\([^)]*\))?[#0\- +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")
_WIDTH = re.compile(r"\d+")


def _limit(message: str, name: str) -> LimitError:
    return LimitError.at(_("{what}, over the limit {name}={limit}").format(
                             what=message, name=name, limit=getattr(limits(), name)),
                         hint=_("raise it with --limit {name}=N").format(name=name), code="E-LIMIT")


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple)) else 0


def _check_widths(fmt: str, percent: bool) -> None:
    """Refuse format strings whose widths/precisions could build huge strings."""
    cap = limits().template_chars
    if percent:
        for m in _PERCENT.finditer(fmt):
            for part in m.groups():
                if part == "*":
                    raise _limit(_("'*' widths in printf-style formats are not allowed"), "template_chars")
                if part and int(part) > cap:
                    raise _limit(_("format width {width}").format(width=part), "template_chars")
        return
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format raises its own error
    for _lit, _field, spec, _conv in parsed:
        if not spec:
            continue
        if "{" in spec:
            raise BriefError.at(_("nested replacement fields in format specs are not allowed"), code="E-TEMPLATE")
        for num in _WIDTH.findall(spec):
            if int(num) > cap:
                raise _limit(_("format width {width}").format(width=num), "template_chars")


class _Budget:
    """Loop iterations left in the current render."""

    def __init__(self, n: int) -> None:
        self.left = n


def _guard_iter(env: LimitedSandbox, iterable: Any) -> Iterator[Any]:
    budget = env.budget
    for item in iterable:
        budget.left -= 1
        if budget.left < 0:
            raise _limit(_("template loops ran too many iterations"), "template_loops")
        yield item


@jinja2.pass_environment
def guard_loop(env: LimitedSandbox, iterable: Any) -> Any:
    """Every ``{% for %}`` iterates through this (wired in by :meth:`LimitedSandbox._parse`)."""
    if isinstance(iterable, jinja2.Undefined):
        return iterable
    return _guard_iter(env, iterable)


def _capped_filter(fn: Callable[..., Any], width_arg: int) -> Callable[..., Any]:
    """A padding filter (center, indent, …) whose width argument is capped."""

    def wrapper(*args: Any, **kwargs: Any) -> Any:
        values = list(args[width_arg:width_arg + 1]) + [v for k, v in kwargs.items() if k == "width"]
        for v in values:
            if isinstance(v, int) and v > limits().template_chars:
                raise _limit(_("filter width {width}").format(width=v), "template_chars")
        return fn(*args, **kwargs)

    wrapper.__name__ = getattr(fn, "__name__", "filter")
    for attr in ("jinja_pass_arg",):
        if hasattr(fn, attr):
            setattr(wrapper, attr, getattr(fn, attr))
    return wrapper


class LimitedSandbox(ImmutableSandboxedEnvironment):
    """The immutable sandbox plus caps on the work a template can ask for."""

    intercepted_binops = frozenset({"*", "**", "+", "%"})

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.globals.pop("lipsum", None)
        self.budget = _Budget(limits().template_loops)
        self.filters["center"] = _capped_filter(self.filters["center"], 1)
        self.filters["indent"] = _capped_filter(self.filters["indent"], 1)
        self.filters["wordwrap"] = _capped_filter(self.filters["wordwrap"], 2)
        self.filters["truncate"] = _capped_filter(self.filters["truncate"], 2)
        self.filters["format"] = self._format_filter(self.filters["format"])
        self.filters["replace"] = self._replace_filter(self.filters["replace"])
        self.filters["join"] = self._join_filter(self.filters["join"])

    # ---- loops
    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = super()._parse(source, name, filename)
        for loop in tree.find_all(nodes.For):
            loop.iter = nodes.Call(nodes.ImportedName("briefgen.compose.templating.guard_loop"),
                                   [loop.iter], [], None, None, lineno=loop.lineno)
        return tree

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(__obj, LoopContext) and args:  # recursive loops: loop(children)
            args = (_guard_iter(__self, args[0]), *args[1:])
        return super().call(__context, __obj, *args, **kwargs)

    # ---- operators
    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        cap = limits().template_chars
        if operator == "*":
            for seq, n in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(n, int) and len(seq) * n > cap:
                    raise _limit(_("repetition would build {n} items").format(n=len(seq) * n), "template_chars")
        elif operator == "+":
            if _size(left) + _size(right) > cap:
                raise _limit(_("concatenation would build a string too long"), "template_chars")
        elif operator == "**":
            if (isinstance(left, int) and isinstance(right, int) and abs(left) > 1 and right > 0
                    and right * abs(left).bit_length() > MAX_POWER_BITS):
                raise LimitError.at(_("{left} ** {right} is too large a number (over {bits} bits)").format(
                                        left=left, right=right, bits=MAX_POWER_BITS), code="E-LIMIT")
        elif operator == "%" and isinstance(left, str):
            _check_widths(left, percent=True)
        return super().call_binop(context, operator, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        fmt = value.__self__

        def checked(*args: Any, **kwargs: Any) -> str:
            _check_widths(fmt, percent=False)
            return wrapped(*args, **kwargs)

        return checked

    # ---- filters that build strings from sizes
    @staticmethod
    def _format_filter(fn: Callable[..., Any]) -> Callable[..., Any]:
        def do_format(value: Any, *args: Any, **kwargs: Any) -> Any:
            _check_widths(str(value), percent=True)
            return fn(value, *args, **kwargs)

        return do_format

    @staticmethod
    def _replace_filter(fn: Callable[..., Any]) -> Callable[..., Any]:
        def do_replace(eval_ctx: Any, s: Any, old: Any, new: Any, count: int | None = None) -> Any:
            text, o, n = str(s), str(old), str(new)
            hits = text.count(o) if o else len(text) + 1
            if count is not None and count >= 0:
                hits = min(hits, count)
            if len(text) + hits * max(len(n) - len(o), 0) > limits().template_chars:
                raise _limit(_("replace would build a string too long"), "template_chars")
            return fn(eval_ctx, s, old, new, count)

        do_replace.jinja_pass_arg = fn.jinja_pass_arg  # type: ignore[attr-defined]
        return do_replace

    @staticmethod
    def _join_filter(fn: Callable[..., Any]) -> Callable[..., Any]:
        def do_join(eval_ctx: Any, value: Iterable[Any], d: str = "", attribute: Any = None) -> Any:
            items = list(value)
            sep = len(str(d)) * max(len(items) - 1, 0)
            if sep + sum(len(str(i)) for i in items) > limits().template_chars:
                raise _limit(_("join would build a string too long"), "template_chars")
            return fn(eval_ctx, items, d, attribute)

        do_join.jinja_pass_arg = fn.jinja_pass_arg  # type: ignore[attr-defined]
        return do_join


class ConfinedLoader(jinja2.FileSystemLoader):
    """A FileSystemLoader that refuses names with ``..`` and files leading out of their folder."""

    def get_source(self, environment: jinja2.Environment, template: str) -> tuple[str, str, Callable[[], bool]]:
        parts = template.replace("\\", "/").split("/")
        if any(p in ("..", "") for p in parts[:-1]) or ".." in parts or os.path.isabs(template):
            raise jinja2.TemplateNotFound(template)
        for folder in self.searchpath:
            real_folder = os.path.realpath(folder)
            candidate = os.path.join(folder, *parts)
            if not os.path.lexists(candidate):
                continue
            real = os.path.realpath(candidate)
            if os.path.commonpath([real, real_folder]) != real_folder:
                raise BriefError.at(_("template {name!r} is a link out of its folder (to {target}); refused").format(
                                        name=template, target=real), file=candidate, code="E-CONFINED")
            if not os.path.isfile(real):
                raise BriefError.at(_("template {name!r} is not a regular file").format(name=template), file=candidate,
                                    code="E-TEMPLATE")
            return self._read(candidate, real, template)
        raise jinja2.TemplateNotFound(template)

    @staticmethod
    def _read(candidate: str, real: str, name: str) -> tuple[str, str, Callable[[], bool]]:
        try:
            text = read_bytes(Path(real), limits().input_bytes).decode("utf-8-sig")
        except UnicodeDecodeError as e:
            raise BriefError.at(_("template is not valid UTF-8 ({reason})").format(reason=e.reason), file=candidate,
                                code="E-ENCODING") from None
        mtime = os.path.getmtime(real)

        def uptodate() -> bool:
            try:
                return os.path.getmtime(real) == mtime
            except OSError:
                return False

        return text, os.path.normpath(candidate), uptodate


class _CompiledCode(jinja2.BytecodeCache):
    """Compiled templates shared by every environment in this process, by name and source text
    (Jinja2's own check): a batch or watch run compiles each template once, not once per brief.
    All environments are alike (one class, fixed options), so the code is the same."""

    MAX = 256

    def __init__(self) -> None:
        self._code: dict[str, bytes] = {}
        self._lock = threading.Lock()

    def load_bytecode(self, bucket: Any) -> None:
        with self._lock:
            data = self._code.get(bucket.key)
        if data is not None:
            bucket.bytecode_from_string(data)

    def dump_bytecode(self, bucket: Any) -> None:
        data = bucket.bytecode_to_string()
        with self._lock:
            if len(self._code) >= self.MAX:
                self._code.clear()
            self._code[bucket.key] = data


_COMPILED = _CompiledCode()


class Templates:
    """A sandboxed Jinja2 environment over user template folders, then the built-in ones."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = [*folders, BUILTIN_TEMPLATES]
        self.warnings: list[str] = []  # replaced characters in template output, located
        self.env = LimitedSandbox(
            loader=ConfinedLoader([str(f) for f in self.folders], followlinks=False),
            undefined=jinja2.StrictUndefined,
            autoescape=True,  # XML-escape every inserted value: source text stays data
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
            bytecode_cache=_COMPILED,
        )

    def names(self) -> list[str]:
        return sorted(self.env.list_templates(extensions=["j2"]))

    def path_of(self, name: str) -> str:
        for folder in self.folders:
            p = folder / name
            if p.is_file():
                return str(p)
        return name

    def exists(self, name: str) -> bool:
        return name in self.names()

    def missing_hint(self, name: str) -> str:
        return suggest(name, self.names()) or available(self.names())

    def render(self, name: str, context: dict[str, Any]) -> str:
        """Render ``name``; every failure is a located ``template:line`` error."""
        path = self.path_of(name)
        try:
            template = self.env.get_template(name)
        except jinja2.TemplateSyntaxError as e:
            raise BriefError.at(
                _("template syntax error: {error}").format(error=e.message), file=e.filename or path, line=e.lineno,
                code="E-TEMPLATE",
            ) from None
        except jinja2.TemplateNotFound:
            raise BriefError.at(_("template {name!r} not found").format(name=name), hint=self.missing_hint(name),
                                code="E-TEMPLATE-NOT-FOUND") from None
        cap = limits().template_chars
        self.env.budget = _Budget(limits().template_loops)
        try:
            parts: list[str] = []
            size = 0
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > cap:
                    raise _limit(_("template output is too long"), "template_chars")
                parts.append(chunk)
            return self._clean("".join(parts), path)
        except BriefError as e:
            _locate(e, path)
            raise
        except jinja2.TemplateError as e:
            file, line = _template_frame(path)
            msg = getattr(e, "message", None) or str(e)
            if isinstance(e, jinja2.TemplateNotFound):
                msg = _("template {name!r} not found (names are relative to the template folders)").format(name=e.name)
            hint = ""
            if isinstance(e, jinja2.UndefinedError):
                hint = _("variables: {names}").format(names=", ".join(sorted(context)))
            raise BriefError.at(_("template error: {error}").format(error=msg), file=file, line=line, hint=hint,
                                code="E-TEMPLATE") from None
        except (OverflowError, RecursionError, MemoryError) as e:
            file, line = _template_frame(path)
            what = {"MemoryError": _("template ran out of memory"), "RecursionError": _("template recursion is too deep"),
                    "OverflowError": _("template: a number or range is too large")}[type(e).__name__]
            hint = ""
            if isinstance(e, MemoryError) and current().isolate:
                what += _(", over the limit memory_mb={limit}").format(limit=limits().memory_mb)
                hint = _("raise it with --max-memory-mb MB")
            raise LimitError.at(what, file=file, line=line, hint=hint, code="E-LIMIT") from None
        except Exception as e:  # noqa: BLE001 - 1/0, 'a' - 1, bad filter arguments …: the template's fault
            file, line = _template_frame(path)
            detail = str(e).splitlines()[0] if str(e) else ""
            raise BriefError.at(_("template error: {error}").format(error=f"{type(e).__name__}: {detail}")[:300],
                                file=file, line=line, code="E-TEMPLATE") from None

    def _clean(self, text: str, path: str) -> str:
        """Template output made XML-safe (its own literal text included); strict mode refuses."""

        clean, issues = sanitize(text)
        if issues:
            if current().strict:
                raise BriefError([Problem(refused(i), path, hint=_("--strict refuses characters XML cannot hold"))
                                  for i in issues])
            self.warnings.extend(str(Problem(i, path)) for i in issues)  # "<spec>: warning: " is added
        return clean


def _locate(err: BriefError, path: str) -> None:
    file, line = _template_frame(path)
    for p in err.problems:
        if not p.file:
            p.file = file
            p.line = p.line or line


def _template_frame(path: str) -> tuple[str, int | None]:
    """The deepest traceback frame that belongs to a template file (Jinja2 rewrites frames)."""
    tb = sys.exc_info()[2]
    found: tuple[str, int | None] = (path, None)
    while tb is not None:
        fname = tb.tb_frame.f_code.co_filename
        if fname.endswith(".j2") or fname == path:
            found = (fname, tb.tb_lineno)
        tb = tb.tb_next
    return found


def template_line() -> int | None:
    """The template line being rendered (for locating ``fig()`` calls), from the live stack."""
    frame = sys._getframe(1)
    while frame is not None:
        tmpl = frame.f_globals.get("__jinja_template__")
        if tmpl is not None:
            try:
                return int(tmpl.get_corresponding_lineno(frame.f_lineno))
            except Exception:  # noqa: BLE001 - a location is a nicety
                return None
        frame = frame.f_back  # type: ignore[assignment]
    return None
