"""model.sizes: image widths in millimetres or as a fraction of the type area, bad values refused."""

from __future__ import annotations

import pytest

from briefgen.model.sizes import parse_width


@pytest.mark.parametrize(("given", "expected"), [
    (None, None),
    (60, ("mm", 60.0)),
    ("60mm", ("mm", 60.0)),
    (" 60 MM ", ("mm", 60.0)),
    (0.5, ("frac", 0.5)),
    ("50%", ("frac", 0.5)),
    (1, ("frac", 1.0)),
    ("400", ("mm", 400.0)),
])
def test_widths(given: object, expected: tuple[str, float] | None) -> None:
    assert parse_width(given) == expected


@pytest.mark.parametrize(("given", "message"), [
    (True, "expected millimetres"),
    ("3mm", "5–400"),
    (401, "5–400"),
    ("2%", "0.05–1"),
    ("150%", "0.05–1"),
    ("wide", "expected millimetres"),
])
def test_bad_widths(given: object, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_width(given)
