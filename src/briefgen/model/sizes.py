"""Turn printed-size settings (image widths in mm or as a fraction of the type area) into numbers."""

from __future__ import annotations

from briefgen.i18n import _


def parse_width(v: object) -> tuple[str, float] | None:
    """An image width: ``60``/``"60mm"`` millimetres, ``0.5``/``"50%"`` of the type-area width."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError(_("expected millimetres (60, '60mm') or a fraction of the type area (0.5, '50%')"))
    text = str(v).strip().lower().replace(" ", "")
    try:
        if text.endswith("mm"):
            mm = float(text[:-2])
            if not 5 <= mm <= 400:
                raise ValueError(_("a width in mm must be 5–400"))
            return ("mm", mm)
        if text.endswith("%"):
            frac = float(text[:-1]) / 100
        else:
            num = float(text)
            if num > 1:
                if not 5 <= num <= 400:
                    raise ValueError(_("a width in mm must be 5–400"))
                return ("mm", num)
            frac = num
    except ValueError as e:
        if str(e) == _("a width in mm must be 5–400"):
            raise
        raise ValueError(_("width {value!r}: expected millimetres (60, '60mm') or a fraction of the type area "
                           "(0.5, '50%')").format(value=v)) from None
    if not 0.05 <= frac <= 1:
        raise ValueError(_("a fraction of the type area must be 0.05–1 (5%–100%)"))
    return ("frac", frac)
