"""Turn printed-size settings (image widths in mm or as a fraction of the type area) into numbers."""

from __future__ import annotations


def parse_width(v: object) -> tuple[str, float] | None:
    """An image width: ``60``/``"60mm"`` millimetres, ``0.5``/``"50%"`` of the type-area width."""
    if v is None:
        return None
    if isinstance(v, bool):
        raise ValueError("expected millimetres (60, '60mm') or a fraction of the type area (0.5, '50%')")
    text = str(v).strip().lower().replace(" ", "")
    try:
        if text.endswith("mm"):
            mm = float(text[:-2])
            if not 5 <= mm <= 400:
                raise ValueError("a width in mm must be 5–400")
            return ("mm", mm)
        if text.endswith("%"):
            frac = float(text[:-1]) / 100
        else:
            num = float(text)
            if num > 1:
                if not 5 <= num <= 400:
                    raise ValueError("a width in mm must be 5–400")
                return ("mm", num)
            frac = num
    except ValueError as e:
        if "must be" in str(e):
            raise
        raise ValueError(f"width {v!r}: expected millimetres (60, '60mm') or a fraction of the type area "
                         "(0.5, '50%')") from None
    if not 0.05 <= frac <= 1:
        raise ValueError("a fraction of the type area must be 0.05–1 (5%–100%)")
    return ("frac", frac)
