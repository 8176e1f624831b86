"""Helpers for data-source tests: a small pack around a workbook or database, cached formula results, load errors as text."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from typing import Any

import yaml

from briefgen.errors import BriefError
from briefgen.model.sourcepack import LoadedPack, load_pack

INDICATORS = [
    {"id": "output", "label": "规上工业总产值", "unit": "亿元"},
    {"id": "power", "label": "全社会用电量", "unit": "亿千瓦时"},
    {"id": "jobless", "label": "城镇调查失业率", "unit": "%", "kind": "rate"},
]


def write_pack(folder: Path, data: dict[str, Any], indicators: list[dict[str, Any]] | None = None) -> Path:
    """``folder/pack.yaml`` with a ``data:`` section (files or url/query) and the given indicators."""
    pack = {"pack": 1, "meta": {"id": "t", "title": "测试数据"},
            "data": {**data, "indicators": indicators or INDICATORS}}
    path = folder / "pack.yaml"
    path.write_text(yaml.safe_dump(pack, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def load(path: Path, period: str = "", variables: dict[str, str] | None = None) -> LoadedPack:
    return load_pack(path, period, variables)


def load_error(path: Path, period: str = "", variables: dict[str, str] | None = None) -> BriefError:
    try:
        load_pack(path, period, variables)
    except BriefError as e:
        return e
    raise AssertionError("expected a BriefError")


def values(pack: LoadedPack, indicator: str) -> dict[str, str]:
    """``{"2025-03": "218.5", ...}``: the series as text (Decimal's own digits)."""
    return {str(p): str(pt.value) for p, pt in sorted(pack.series[indicator].items())}


def store_results(path: Path, results: dict[str, str]) -> None:
    """Write cached results into formula cells of the first sheet (as Excel does on save):
    ``{"D5": "42"}`` turns ``<c r="D5"><f>…</f><v></v></c>`` into ``…<v>42</v></c>``."""
    name = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as z:
        parts = {i.filename: z.read(i.filename) for i in z.infolist()}
    xml = parts[name].decode()
    for ref, value in results.items():
        xml, n = re.subn(rf'(<c r="{ref}"[^>]*>)(<f>[^<]*</f>)<v\s*/?>(</v>)?', rf"\1\2<v>{value}</v>", xml)
        assert n == 1, f"no formula cell {ref}"
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for fn, data in parts.items():
            z.writestr(fn, data)
