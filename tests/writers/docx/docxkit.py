"""Small shared helpers for the DOCX unit tests: a theme, font names straight from it, XML read-back."""

from __future__ import annotations

from lxml import etree

from briefgen.model.theme import Theme, load_theme
from briefgen.writers.docx.styles import Geometry
from briefgen.writers.docx.xml import Element, Fonts, ThemeFontNames

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}


def theme(name: str = "gongwen") -> Theme:
    return load_theme(name)


def fonts(t: Theme) -> Fonts:
    return Fonts(t, ThemeFontNames(t))


def geometry(t: Theme) -> Geometry:
    return Geometry.of(t)


def wattr(node: Element, name: str) -> str | None:
    """The ``w:name`` attribute of ``node``."""
    return node.get(f"{{{W}}}{name}")


def text_of(node: Element) -> str:
    """The printed text of ``node``: every ``w:t`` in order (field codes excluded)."""
    return "".join(t.text or "" for t in node.iter(f"{{{W}}}t"))


def reparse(node: Element) -> Element:
    """Serialise and parse again, so a test reads what a consumer would read."""
    return etree.fromstring(etree.tostring(node))
