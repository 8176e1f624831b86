"""Turn Jinja2 templates plus data into block markup, in an immutable sandbox with strict undefineds."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import jinja2
from jinja2.sandbox import ImmutableSandboxedEnvironment

from briefgen.errors import BriefError, LimitError, available, suggest

BUILTIN_TEMPLATES = Path(__file__).parent / "templates"
MAX_OUTPUT_CHARS = 2_000_000


class Templates:
    """A sandboxed Jinja2 environment over user template folders, then the built-in ones."""

    def __init__(self, folders: list[Path]) -> None:
        self.folders = [*folders, BUILTIN_TEMPLATES]
        self.env = ImmutableSandboxedEnvironment(
            loader=jinja2.FileSystemLoader([str(f) for f in self.folders], followlinks=False),
            undefined=jinja2.StrictUndefined,
            autoescape=True,  # XML-escape every inserted value: source text stays data
            trim_blocks=True,
            lstrip_blocks=True,
            keep_trailing_newline=False,
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
        """Render ``name``; syntax and undefined-variable errors name ``template:line``."""
        try:
            template = self.env.get_template(name)
        except jinja2.TemplateSyntaxError as e:
            raise BriefError.at(
                f"template syntax error: {e.message}", file=e.filename or self.path_of(name), line=e.lineno
            ) from None
        except jinja2.TemplateNotFound:
            raise BriefError.at(f"template {name!r} not found", hint=self.missing_hint(name)) from None
        try:
            parts: list[str] = []
            size = 0
            for chunk in template.generate(**context):
                size += len(chunk)
                if size > MAX_OUTPUT_CHARS:
                    raise LimitError.at(
                        f"template output is over the limit of {MAX_OUTPUT_CHARS} characters",
                        file=self.path_of(name),
                    )
                parts.append(chunk)
            return "".join(parts)
        except BriefError as e:
            _locate(e, name, self.path_of(name))
            raise
        except jinja2.TemplateError as e:
            file, line = _template_frame(self.path_of(name))
            msg = getattr(e, "message", None) or str(e)
            hint = ""
            if isinstance(e, jinja2.UndefinedError):
                hint = "variables: " + ", ".join(sorted(context))
            raise BriefError.at(f"template error: {msg}", file=file, line=line, hint=hint) from None
        except (OverflowError, RecursionError, MemoryError) as e:
            file, line = _template_frame(self.path_of(name))
            raise LimitError.at(f"template exceeded a limit: {type(e).__name__}", file=file, line=line) from None


def _locate(err: BriefError, name: str, path: str) -> None:
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


FigureFn = Callable[..., str]
