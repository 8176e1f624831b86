"""Language choice, and a Chinese catalog that is complete, compiled and keeps every placeholder."""

from __future__ import annotations

import gettext
import io
import re
import subprocess
import sys
from pathlib import Path

import pytest

from briefgen import i18n

babel = pytest.importorskip("babel")
from babel.messages.extract import extract_from_dir  # noqa: E402
from babel.messages.mofile import write_mo  # noqa: E402
from babel.messages.pofile import read_po  # noqa: E402

PO = i18n.LOCALE_DIR / "zh_CN" / "LC_MESSAGES" / "briefgen.po"
MO = PO.with_suffix(".mo")
SRC = Path(i18n.__file__).parent


@pytest.mark.parametrize(("env", "want"), [
    ({"LANG": "zh_CN.UTF-8"}, "zh"), ({"LANG": "C.UTF-8"}, "en"), ({}, "en"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": "C"}, "en"), ({"LANG": "C", "LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "BRIEFGEN_LANG": "en"}, "en"), ({"LANG": "en_US", "BRIEFGEN_LANG": "zh"}, "zh"),
    ({"LANG": "zh_CN.UTF-8", "LC_ALL": ""}, "zh"),
])
def test_language_from_the_environment(env: dict[str, str], want: str) -> None:
    assert i18n.choose(env) == want


def test_set_language_is_inherited_by_children(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LANG", "C.UTF-8")
    try:
        assert i18n.set_language("zh") == "zh"
        assert i18n._("warning") == "警告"
        out = subprocess.run([sys.executable, "-c", "from briefgen.i18n import _; print(_('warning'))"],
                             capture_output=True, text=True, check=True).stdout
        assert out.strip() == "警告"
    finally:
        monkeypatch.delenv("BRIEFGEN_LANG", raising=False)
        i18n.set_language(None, export=False)
    assert i18n._("warning") == "warning"


def _source_ids() -> set[str]:
    keywords = {"_": None, "N_": None, "ngettext": (1, 2)}
    ids: set[str] = set()
    for _file, _line, msg, _comments, _ctx in extract_from_dir(str(SRC), keywords=keywords,
                                                              method_map=[("**.py", "python")]):
        ids.add(msg[0] if isinstance(msg, tuple) else msg)
    return ids


def test_every_message_in_the_source_is_translated() -> None:
    catalog = read_po(PO.open("rb"))
    translated = {m.id for m in catalog if m.id and m.string and not m.fuzzy}
    missing = _source_ids() - translated
    assert not missing, f"run tools/i18n_catalog.sh and translate: {sorted(missing)[:10]}"


def test_translations_keep_every_placeholder() -> None:
    fields = re.compile(r"\{\{|\}\}|\{[^{}]*\}|%\([a-z_]+\)[sr]|%[sr]")
    for m in read_po(PO.open("rb")):
        if m.id:
            assert sorted(fields.findall(m.id)) == sorted(fields.findall(m.string)), m.id


def test_shipped_mo_is_compiled_from_the_po() -> None:
    buf = io.BytesIO()
    write_mo(buf, read_po(PO.open("rb")))
    buf.seek(0)
    want = gettext.GNUTranslations(buf)._catalog  # type: ignore[attr-defined]
    with MO.open("rb") as f:
        have = gettext.GNUTranslations(f)._catalog  # type: ignore[attr-defined]
    assert have == want, "run tools/i18n_catalog.sh to compile the .mo"
