"""fonts.resolve: each role's font from explicit files, installed fonts by alias (skipping ones that may not
be embedded) or the bundled Noto fonts, and the fallback chains; built on generated tiny fonts."""

from __future__ import annotations

from pathlib import Path

import pytest
from fonthelpers_bg import build_tiny_font

from briefgen.errors import BriefError
from briefgen.fonts import discover
from briefgen.fonts.resolve import FontSource, Resolver
from briefgen.model.theme import FontFiles, Theme


def _index(*paths: Path) -> discover.FaceIndex:
    return discover.FaceIndex([f for p in paths for f in discover.read_faces(p)])


def test_no_installed_fonts_uses_bundled_noto(gongwen: Theme) -> None:
    r = Resolver(gongwen, _index())
    fs = r._sources["fangsong"]
    assert (fs.origin, fs.family, fs.cff) == ("bundled", "Noto Serif SC", True)
    assert r._sources["xiaobiaosong"].display == "Noto Serif SC (synthetic bold)"
    assert r._sources["heiti"].family == "Noto Sans SC"
    assert r._why["latin"][0] == "same-as" and r._sources["latin"] == fs
    chain = r.chain("heiti")
    assert [s.family for s in chain][:1] == ["Noto Sans SC"] and chain[-1].family in ("Noto Serif SC", "Noto Sans SC")
    assert len({s.ident for s in chain}) == len(chain)
    assert r.docx_name("fangsong") == str(gongwen.docx_fonts.fangsong)


def test_installed_alias_found_by_family_and_restricted_one_skipped(gongwen: Theme, tmp_path: Path) -> None:
    ok = build_tiny_font(tmp_path / "a.ttf", family="STFangsong")
    locked = build_tiny_font(tmp_path / "b.ttf", family="FangSong", fs_type=2)
    r = Resolver(gongwen, _index(locked, ok))
    src = r._sources["fangsong"]
    assert (src.path, src.origin, src.matched) == (ok, "system", "STFangsong")
    assert r._why["fangsong"][0] == "alias"
    assert any("embedding not permitted" in s for s in r._skipped["fangsong"])
    assert r.chain("fangsong")[0] == src


def test_explicit_file_and_its_errors(gongwen: Theme, tmp_path: Path) -> None:
    font = build_tiny_font(tmp_path / "t.ttf", family="Tiny Test")
    theme = gongwen.model_copy(update={"font_files": FontFiles(heiti=str(font), latin=str(font))})
    r = Resolver(theme, _index())
    assert r._sources["heiti"] == FontSource(font, 0, "Tiny Test", False, "explicit", str(font))
    assert r._why["latin"][0] == "explicit"
    assert r.chain("fangsong")[r._latin_slot["fangsong"]].path == font
    bad = gongwen.model_copy(update={"font_files": FontFiles(kaiti=f"{font}#2")})
    with pytest.raises(BriefError, match="#2 does not exist"):
        Resolver(bad, _index())


def test_source_labels() -> None:
    s = FontSource(Path("/f/x.ttc"), 2, "X Song", False, "system", treatment="")
    assert s.label() == "X Song (x.ttc #2)" and s.key == ("/f/x.ttc", 2)
    b = FontSource(Path("/f/n.otf"), 0, "Noto Serif SC", True, "bundled", treatment="bold")
    assert b.display == "Noto Serif SC (synthetic bold)" and b.ident == ("/f/n.otf", 0, "bold")
