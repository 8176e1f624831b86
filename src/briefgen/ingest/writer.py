"""Turn a source-pack dict into deterministic, readable YAML text (Chinese as is, bodies as blocks)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import yaml


class _Flow(list):  # noqa: FURB189 - a marker type for the representer
    """A list written on one line: ``source_lines: [8, 10]``."""


class _FlowMap(dict):  # noqa: FURB189 - a marker type for the representer
    """A mapping written on one line: ``change: {value: 4.1, unit: '%', basis: 同比}``."""


class _Dumper(yaml.SafeDumper):
    """SafeDumper that never sorts keys, never aliases and writes long text as literal blocks."""

    def ignore_aliases(self, data: Any) -> bool:
        return True

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)  # list items indented under their key


def _str(dumper: yaml.SafeDumper, text: str) -> yaml.ScalarNode:
    if "\n" in text:
        return dumper.represent_scalar("tag:yaml.org,2002:str", text, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", text)


def _decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.ScalarNode:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


def _date(dumper: yaml.SafeDumper, value: dt.date) -> yaml.ScalarNode:
    return dumper.represent_scalar("tag:yaml.org,2002:timestamp", value.isoformat())


def _flow(dumper: yaml.SafeDumper, data: _Flow) -> yaml.SequenceNode:
    return dumper.represent_sequence("tag:yaml.org,2002:seq", data, flow_style=True)


def _flow_map(dumper: yaml.SafeDumper, data: _FlowMap) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=True)


def _dict(dumper: yaml.SafeDumper, data: dict[str, Any]) -> yaml.MappingNode:
    return dumper.represent_mapping("tag:yaml.org,2002:map", data.items(), flow_style=False)


_Dumper.add_representer(str, _str)
_Dumper.add_representer(Decimal, _decimal)
_Dumper.add_representer(dt.date, _date)
_Dumper.add_representer(_Flow, _flow)
_Dumper.add_representer(_FlowMap, _flow_map)
_Dumper.add_representer(dict, _dict)


def flow(items: list[Any]) -> list[Any]:
    """Mark a short list of numbers to be written on one line."""
    return _Flow(items)


def flow_map(mapping: dict[str, Any]) -> dict[str, Any]:
    """Mark a small mapping to be written on one line."""
    return _FlowMap(mapping)


def dump_pack(pack: dict[str, Any], header: list[str] | None = None) -> str:
    """YAML text for a pack dict; the same dict always gives the same text."""
    body = yaml.dump(
        pack, Dumper=_Dumper, allow_unicode=True, sort_keys=False, default_flow_style=False,
        width=100000, indent=2, explicit_start=False,
    )
    lines = [f"# {h}" if h else "#" for h in (header or [])]
    return "\n".join(lines) + ("\n" if lines else "") + body
