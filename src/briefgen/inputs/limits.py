"""Turn limit settings (defaults, ``--limit``/``--timeout``/``--strict`` flags) into one run-wide policy.

Every resource limit briefgen enforces has its default here. Hitting one is a :class:`LimitError`
(exit code 5) whose single line names the limit and the value, e.g.
``pack.yaml:12:1: sections: 2345 sections, over the limit sections=2000 (raise it with --limit sections=N)``.

The policy is process-wide: the CLI sets it once (:func:`configure`), and it travels to worker
processes in the ``BRIEFGEN_POLICY`` environment variable, so spawned workers apply the same limits.
"""

from __future__ import annotations

import dataclasses
import json
import os
from dataclasses import dataclass, field, fields

from briefgen.errors import suggest
from briefgen.i18n import _

ENV_VAR = "BRIEFGEN_POLICY"


@dataclass(frozen=True)
class Limits:
    """Resource limits, with their defaults (each can be changed with ``--limit NAME=VALUE``)."""

    input_bytes: int = 5 * 1024 * 1024  # one input file (brief, source pack, theme, data file)
    workbook_bytes: int = 20 * 1024 * 1024  # one .xlsx workbook (and 40× that unpacked)
    data_rows: int = 200_000  # rows of one data source (CSV file, worksheet, query result)
    query_seconds: float = 30.0  # one database query (statement timeout)
    yaml_depth: int = 32  # nesting of mappings and lists in one YAML file
    sections: int = 2000  # sections of one source pack, all levels
    figures: int = 5000  # key figures of one source pack
    table_rows: int = 5000  # rows of one table
    cell_chars: int = 2000  # characters in one table cell
    template_chars: int = 2_000_000  # output of one template render, and any string it builds
    template_loops: int = 1_000_000  # loop iterations in one template render
    pages: int = 2000  # pages of one PDF
    timeout: float = 120.0  # seconds to render one brief (isolated renders only)
    memory_mb: int = 2048  # address space of the process rendering one brief (isolated only)
    image_bytes: int = 20 * 1024 * 1024  # one image file (photo, logo, SVG)
    image_pixels: int = 40_000_000  # pixels of one decoded image (width × height), Pillow's bomb check stays on


HELP: dict[str, str] = {
    "input_bytes": "bytes in one input file",
    "workbook_bytes": "bytes in one .xlsx workbook",
    "data_rows": "rows in one data source (CSV file, worksheet, query result)",
    "query_seconds": "seconds one database query may run",
    "yaml_depth": "nesting depth of one YAML file",
    "sections": "sections in one source pack",
    "figures": "key figures in one source pack",
    "table_rows": "rows in one table",
    "cell_chars": "characters in one table cell",
    "template_chars": "characters one template render may produce or build",
    "template_loops": "loop iterations in one template render",
    "pages": "pages in one PDF",
    "timeout": "seconds to render one brief (isolated renders)",
    "memory_mb": "megabytes of address space for rendering one brief (isolated renders)",
    "image_bytes": "bytes in one image file",
    "image_pixels": "pixels (width × height) of one image",
}


@dataclass(frozen=True)
class Policy:
    """Limits plus the run's other safety settings."""

    limits: Limits = field(default_factory=Limits)
    strict: bool = False  # reject characters XML cannot hold and bidi controls instead of replacing them
    allow_roots: tuple[str, ...] = ()  # extra folders inputs may come from (--allow-root, -o)
    isolate: bool = False  # render each brief in a child process with timeout and memory limits

    def to_env(self) -> str:
        return json.dumps(dataclasses.asdict(self), sort_keys=True)

    @classmethod
    def from_env(cls, text: str) -> Policy:
        raw = json.loads(text)
        known = {f.name for f in fields(Limits)}
        lim = Limits(**{k: v for k, v in raw.get("limits", {}).items() if k in known})
        return cls(lim, bool(raw.get("strict")), tuple(raw.get("allow_roots", ())),
                   bool(raw.get("isolate")))


_CACHE: tuple[str, Policy] | None = None


def current() -> Policy:
    """The policy of this run (defaults unless :func:`configure` or the environment set one)."""
    global _CACHE
    text = os.environ.get(ENV_VAR, "")
    if _CACHE is not None and _CACHE[0] == text:
        return _CACHE[1]
    try:
        policy = Policy.from_env(text) if text else Policy()
    except (ValueError, TypeError, AttributeError):
        policy = Policy()
    _CACHE = (text, policy)
    return policy


def limits() -> Limits:
    """The limits of this run."""
    return current().limits


def configure(policy: Policy) -> None:
    """Make ``policy`` this process's policy, and that of worker processes it starts."""
    os.environ[ENV_VAR] = policy.to_env()


def parse_limit(item: str) -> tuple[str, float | int]:
    """``"pages=500"`` → ``("pages", 500)``; ValueError with a usable message otherwise."""

    if "=" not in item:
        raise ValueError(_("--limit {item!r}: expected NAME=VALUE").format(item=item))
    name, _eq, value = item.partition("=")
    name = name.strip().replace("-", "_")
    kinds = {f.name: f.type for f in fields(Limits)}
    if name not in kinds:
        hint = suggest(name, kinds) or _("limits: {names}").format(names=", ".join(kinds))
        raise ValueError(_("--limit {item!r}: unknown limit {name!r} ({hint})").format(item=item, name=name, hint=hint))
    try:
        number: float | int = float(value) if kinds[name] in (float, "float") else int(value)
    except ValueError:
        raise ValueError(_("--limit {item!r}: {value!r} is not a number").format(item=item, value=value)) from None
    if number <= 0:
        raise ValueError(_("--limit {item!r}: must be positive").format(item=item))
    return name, number


def with_limits(base: Limits, items: list[str]) -> Limits:
    """``base`` with ``NAME=VALUE`` overrides applied."""
    changes = dict(parse_limit(i) for i in items)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def over(name: str, value: int | float, what: str = "") -> str:
    """The standard message: ``2345 sections, over the limit sections=2000``."""
    limit = getattr(limits(), name)
    shown = f"{value} {what}".strip()
    return _("{shown}, over the limit {name}={limit}").format(shown=shown, name=name, limit=limit)


def raise_hint(name: str) -> str:
    return _("raise it with --limit {name}=N").format(name=name)
