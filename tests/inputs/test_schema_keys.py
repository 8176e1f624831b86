"""Unit tests of inputs.schema_keys: which keys a model allows at a data path (for suggestions)."""

from __future__ import annotations

from briefgen.inputs.schema_keys import keys_at
from briefgen.model.spec import Brief, Closing

DATA = {
    "title": "t",
    "sources": {"a": "a.yaml"},
    "closing": {"bao": "x"},
    "blocks": [{"section": "s", "mdoe": "full"}, {"table": "figures", "tgs": []}, {"chart": "x"}],
}


def test_top_level_keys_are_the_brief_fields() -> None:
    got = keys_at(Brief, DATA, ("titel",))
    assert {"title", "blocks", "sources", "closing"} <= got


def test_nested_model_keys() -> None:
    assert keys_at(Brief, DATA, ("closing", "baa")) == set(Closing.model_fields)


def test_union_blocks_pick_the_member_that_fits_the_data() -> None:
    section = keys_at(Brief, DATA, ("blocks", 0, "mdoe"))
    assert "mode" in section and "questions" in section
    table = keys_at(Brief, DATA, ("blocks", 1, "tgs"))
    assert "tags" in table and "questions" not in table


def test_unknown_paths_give_no_keys() -> None:
    assert keys_at(Brief, DATA, ("nope", "deeper")) == set()
    assert keys_at(Brief, DATA, ("sources", "a")) == set()  # a dict of strings has no model keys
