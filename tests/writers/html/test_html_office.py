"""HTML office unit: pictures become self-contained data URIs whose type is read from the bytes."""

from __future__ import annotations

import base64
import io

import pytest
from lxml import etree
from PIL import Image as PILImage

from briefgen.tree import Image
from briefgen.writers.html.office import PX_PER_MM, data_uri, picture


def _png() -> bytes:
    buf = io.BytesIO()
    PILImage.new("RGB", (40, 20), "red").save(buf, "PNG")
    return buf.getvalue()


def _img(data: bytes, mime: str = "image/png") -> Image:
    return Image(data, mime, 40, 20, width_mm=80.0, height_mm=40.0, alt="红色方块", name="red.png")


def test_data_uri_reads_the_type_from_the_bytes_not_the_node() -> None:
    data = _png()
    uri = data_uri(_img(data, mime="text/html"))  # the node's mime field cannot reach the page
    assert uri.startswith("data:image/png;base64,")
    assert base64.b64decode(uri.split(",", 1)[1]) == data
    with pytest.raises(TypeError):
        data_uri(_img(b"<svg onload=alert(1)>", mime="image/png"))


def test_picture_keeps_its_aspect_when_narrowed() -> None:
    parent = etree.Element("div")
    el = picture(parent, _img(_png()), "photo", max_width_pt=40 * 72 / 25.4)  # 40 mm available
    assert el.get("alt") == "红色方块" and el.get("class") == "photo"
    assert int(el.get("width")) == round(40 * PX_PER_MM)
    assert int(el.get("height")) == round(20 * PX_PER_MM)
