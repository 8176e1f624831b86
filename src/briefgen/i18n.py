"""Turn English message ids into the user's language: gettext catalogs chosen from the environment.

The language is, in order: ``--lang`` (the CLI stores it in ``BRIEFGEN_LANG`` so worker processes
inherit it), ``BRIEFGEN_LANG``, then ``LC_ALL``, ``LC_MESSAGES`` and ``LANG`` as POSIX orders them.
Any ``zh…`` value (zh_CN.UTF-8, zh, zh-Hans, zh_TW) selects Chinese; everything else, including
``C`` and ``POSIX``, English. English is the message id itself, so a missing catalog or a message
not yet translated prints English, never nothing.

Catalogs live in ``briefgen/locale/<lang>/LC_MESSAGES/briefgen.mo`` (compiled with Babel from the
``.po`` beside them and shipped as package data). Mark a message with :func:`_` where it is
made, or with :func:`N_` where it must stay English until shown (tables of constants).
"""

from __future__ import annotations

import argparse
import contextlib
import gettext
import os
from collections.abc import Iterator, Mapping
from functools import lru_cache
from pathlib import Path

DOMAIN = "briefgen"
LOCALE_DIR = Path(__file__).with_name("locale")
LANGUAGES = ("en", "zh")  # what --lang accepts; zh is simplified Chinese (zh_CN)
_CATALOG = {"zh": "zh_CN"}
ENV = "BRIEFGEN_LANG"


def normalise(value: str) -> str | None:
    """``zh_CN.UTF-8`` → ``zh``; ``C.UTF-8`` / ``en_GB`` → ``en``; empty → None (ask the next source)."""
    v = value.strip().lower()
    if not v:
        return None
    return "zh" if v.startswith("zh") else "en"


def choose(env: Mapping[str, str] | None = None) -> str:
    """The language for this environment (see the module documentation)."""
    env = os.environ if env is None else env
    for name in (ENV, "LC_ALL", "LC_MESSAGES", "LANG"):
        lang = normalise(env.get(name, ""))
        if lang:
            return lang
    return "en"


@lru_cache(maxsize=4)
def _translations(lang: str) -> gettext.NullTranslations:
    catalog = _CATALOG.get(lang)
    if catalog is None:
        return gettext.NullTranslations()
    return gettext.translation(DOMAIN, localedir=str(LOCALE_DIR), languages=[catalog], fallback=True)


_current: list[str] = []  # the chosen language, once asked for


def language() -> str:
    """The current language: ``en`` or ``zh``."""
    if not _current:
        _current.append(choose())
    return _current[0]


def set_language(lang: str | None, export: bool = True) -> str:
    """Use ``lang`` (``None``: choose again from the environment); with ``export`` child processes
    inherit it through ``BRIEFGEN_LANG``. Returns the language now in use."""
    _current.clear()
    if lang is not None:
        chosen = normalise(lang) or "en"
        if export:
            os.environ[ENV] = chosen
        _current.append(chosen)
    return language()


def _(message: str) -> str:
    """``message`` in the current language."""
    return _translations(language()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form for ``n`` in the current language."""
    return _translations(language()).ngettext(singular, plural, n)


def N_(message: str) -> str:
    """Mark ``message`` for the catalog without translating it now (translate with :func:`_` later)."""
    return message


def is_chinese() -> bool:
    return language() == "zh"


@contextlib.contextmanager
def argparse_messages() -> Iterator[None]:
    """argparse's own words (``usage:``, ``options``, its errors) from briefgen's catalog while
    parsers are built and arguments parsed; Python ships no Chinese catalog for them."""
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = _  # type: ignore[attr-defined]
    argparse.ngettext = ngettext  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


# argparse's messages, listed so that extraction puts them in the catalog
_ARGPARSE = (
    N_("usage: "), N_("options"), N_("positional arguments"), N_("show this help message and exit"),
    N_("the following arguments are required: %s"),
    N_("unrecognized arguments: %s"), N_("%(prog)s: error: %(message)s\n"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"), N_("expected one argument"),
    N_("invalid %(type)s value: %(value)r"), N_("argument %(argument_name)s: %(message)s"),
    N_("ambiguous option: %(option)s could match %(matches)s"), N_("expected at least one argument"),
    N_("not allowed with argument %s"), N_("one of the arguments %s is required"),
    N_("expected at most one argument"), N_("show program's version number and exit"),
)
