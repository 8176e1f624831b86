"""fonts.embed: a TrueType file registered with ReportLab once, with advance widths read from it."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from fonthelpers_bg import build_tiny_font
from pypdf import PdfReader
from reportlab.pdfgen import canvas

from briefgen.fonts import embed


def test_register_once_and_widths(tmp_path: Path) -> None:
    font = build_tiny_font(tmp_path / "w.ttf", family="Wide Test", advance=500)
    name = embed.register(font, 0, "Wide Test")
    assert name == embed.rl_name("Wide Test", font, 0) and name.startswith("BG-WideTest-")
    assert embed.register(font, 0, "Wide Test") == name
    assert embed.width("AB", name, 10) == pytest.approx(10.0)  # 2 × 500/1000 × 10 pt
    assert embed.width("", name, 10) == 0


def test_registered_font_draws_and_embeds(tmp_path: Path) -> None:
    font = build_tiny_font(tmp_path / "d.ttf", family="Draw Test")
    name = embed.register(font, 0, "Draw Test")
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    c.setFont(name, 12)
    c.drawString(72, 720, "ABC123")
    c.save()
    data = buf.getvalue()
    assert PdfReader(io.BytesIO(data)).pages[0].extract_text().strip() == "ABC123"
    assert b"/FontFile2" in data  # the TrueType program is embedded,
    assert re.search(rb"/BaseFont /[A-Z]{6}\+Draw-Test", data)  # as a subset of the tiny font


def test_width_of_a_builtin_font() -> None:
    assert embed.width("A", "Helvetica", 10) == pytest.approx(6.67, abs=0.01)


def test_rl_name_is_ascii_and_stable() -> None:
    a = embed.rl_name("仿宋 GB2312", Path("/x.ttf"), 0)
    assert a == embed.rl_name("仿宋 GB2312", Path("/x.ttf"), 0) and a.isascii() and a.startswith("BG-GB2312-")
    assert embed.rl_name("仿宋", Path("/x.ttf"), 1).startswith("BG-Font-") and a != embed.rl_name("仿宋 GB2312", Path("/x.ttf"), 1)
