"""Turn the composer's recurring problems (figure formats, missing changes, heading-only sections) into translated messages and hints."""

from __future__ import annotations

from briefgen.compose.keyfig_tables import FIG_FORMATS
from briefgen.i18n import N_, _

_CHANGE_NAMES = {"change": N_("change"), "full": N_("change"), "yoy": N_("同比 change"), "mom": N_("环比 change")}


def unknown_format(fmt: str) -> tuple[str, str]:
    """Message and hint for ``{fig:id|fmt}`` with an unknown ``fmt``."""
    return (_("unknown figure format {fmt!r}").format(fmt=fmt),
            _("formats: {names}").format(names=", ".join(FIG_FORMATS)))


def no_change(ref: str, fmt: str, period: str) -> tuple[str, str]:
    """Message and hint for a change format of a figure that has no change for its period."""
    return (_("figure {id!r} has no {what} for {period}").format(id=ref, what=_(_CHANGE_NAMES[fmt]), period=period),
            _("the data lacks the period to compare with"))


def heading_only(sid: str, mode: str, has_body: bool, has_children: bool) -> tuple[str, str]:
    """Message and hint for a section of which only the heading would print."""
    message = (_("section {id!r} has no summary: only its heading would print") if mode == "summary"
               else _("section {id!r} has no summary and no body: only its heading would print"))
    hint = (_("write a summary in the source pack, or use mode: full") if has_body else
            _("select its children ({id}.*) or use mode: title").format(id=sid) if has_children else
            _("give the section text, or use mode: title"))
    return message.format(id=sid), hint
