"""inputs.refdocx: a Word template's page size, margins and style names read back; bad files refused."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from briefgen.errors import EXIT_IO
from briefgen.inputs.images import ImageError
from briefgen.inputs.refdocx import ReferenceDocx, load_reference
from refdocxkit import MARGINS, make_template


def test_page_margins_and_styles_read(tmp_path: Path) -> None:
    r = load_reference(make_template(tmp_path / "t.docx"), None)
    assert isinstance(r, ReferenceDocx)
    assert r.page_mm is not None and r.page_mm == pytest.approx((210, 297), abs=0.1)
    assert r.margins_mm == pytest.approx(MARGINS, abs=0.1)
    assert "本单位正文" in r.styles.values() and r.styles.get("Normal") == "Normal"
    assert r.has_header
    assert r.data == (tmp_path / "t.docx").read_bytes()


def test_missing_file_is_io_error(tmp_path: Path) -> None:
    with pytest.raises(ImageError, match="not found") as e:
        load_reference(tmp_path / "none.docx", None)
    assert e.value.exit_code == EXIT_IO


def test_not_a_zip(tmp_path: Path) -> None:
    p = tmp_path / "t.docx"
    p.write_text("plain text", encoding="utf-8")
    with pytest.raises(ImageError, match="not a ZIP"):
        load_reference(p, None)


def test_zip_without_styles_part(tmp_path: Path) -> None:
    p = tmp_path / "t.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", "<w:document xmlns:w='http://schemas.openxmlformats.org/"
                   "wordprocessingml/2006/main'/>")
    with pytest.raises(ImageError, match="word/styles.xml"):
        load_reference(p, None)


def test_damaged_xml(tmp_path: Path) -> None:
    p = tmp_path / "t.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("word/document.xml", "<w:document")
        z.writestr("word/styles.xml", "<x/>")
    with pytest.raises(ImageError, match="damaged"):
        load_reference(p, None)
