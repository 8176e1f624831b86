"""Unit tests of writers.docx.package: core properties from the metadata, reproducible ZIP bytes."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, date, datetime

import docx

from briefgen.tree import Metadata
from briefgen.writers.docx.package import (
    ZIP_EPOCH,
    drop_template_parts,
    save_reproducible,
    set_core_properties,
)

META = Metadata(title="示例\x00简报", subtitle="副题", author="示例办", keywords=["甲", "乙"],
                date=date(2024, 5, 10))


def _doc() -> docx.document.Document:
    d = docx.Document()
    d.add_paragraph("正文")
    return d


def test_core_properties_come_from_metadata_and_the_given_time() -> None:
    d = _doc()
    set_core_properties(d, META, datetime(2024, 5, 10, 8, 30, 15, 999, tzinfo=UTC))
    back = docx.Document(io.BytesIO(save_reproducible(d))).core_properties
    assert back.title == "示例简报"  # the NUL is dropped
    assert back.author == back.last_modified_by == "示例办"
    assert back.subject == "副题"
    assert back.keywords == "甲; 乙"
    assert back.language == "zh-CN"
    assert back.created == back.modified == datetime(2024, 5, 10, 8, 30, 15, tzinfo=UTC)
    assert back.revision == 1


def test_save_is_byte_identical_with_fixed_entry_order_and_times() -> None:
    stamp = datetime(2024, 5, 10, tzinfo=UTC)
    outs = []
    for _ in range(2):
        d = _doc()
        set_core_properties(d, META, stamp)
        outs.append(save_reproducible(d))
    assert outs[0] == outs[1]
    with zipfile.ZipFile(io.BytesIO(outs[0])) as z:
        names = z.namelist()
        assert names[0] == "[Content_Types].xml"
        assert names[1:] == sorted(names[1:])
        assert {i.date_time for i in z.infolist()} == {ZIP_EPOCH}
        assert z.testzip() is None


def test_drop_template_parts_removes_thumbnail_and_styles_with_effects() -> None:
    d = _doc()
    before = zipfile.ZipFile(io.BytesIO(save_reproducible(d))).namelist()
    drop_template_parts(d)
    after = zipfile.ZipFile(io.BytesIO(save_reproducible(d))).namelist()
    dropped = set(before) - set(after)
    assert any("thumbnail" in n for n in dropped)
    assert any("stylesWithEffects" in n for n in dropped)
    assert not any("thumbnail" in n or "stylesWithEffects" in n for n in after)
    assert "word/document.xml" in after
