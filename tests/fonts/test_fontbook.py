"""FontBook: role resolution (explicit, system alias, bundled), fallback runs, coverage, widths, reports."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pypdf
import pytest
from fonthelpers_bg import PipOnly, build_tiny_font
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfgen import canvas

from briefgen.errors import EXIT_IO, BriefError, InputIOError
from briefgen.fonts import discover
from briefgen.fonts.book import FontBook, RoleReport, format_report
from briefgen.fonts.roles import ROLES
from briefgen.inputs.filelock import FileLock
from briefgen.model.theme import FontFiles, Theme

SAMPLE = "仿宋黑体楷体宋体，。“”（）《》——……2231亿元12.2%"
UMING = Path("/usr/share/fonts/truetype/arphic/uming.ttc")
needs_debian_fonts = pytest.mark.skipif(
    not UMING.is_file() or os.environ.get("BRIEFGEN_NO_SYSTEM_FONTS", "") not in ("", "0"),
    reason="Debian CJK fonts (fonts-arphic-uming etc.) not installed or hidden (BRIEFGEN_NO_SYSTEM_FONTS)",
)


def with_files(theme: Theme, **files: str) -> Theme:
    return theme.model_copy(update={"font_files": FontFiles(**files)})


def pdf_text(book: FontBook, text: str, role: str) -> str:
    """Draw ``text`` run by run on a page and read it back with pypdf."""
    buf = io.BytesIO()
    c = canvas.Canvas(buf)
    x = 72.0
    for font, chunk in book.runs(text, role):  # type: ignore[arg-type]
        c.setFont(font, 16)
        c.drawString(x, 700, chunk)
        x += book.width(chunk, font, 16)
    c.save()
    return pypdf.PdfReader(io.BytesIO(buf.getvalue())).pages[0].extract_text()


# ---------------------------------------------------------------- pip-only path (bundled Noto)


def test_pip_only_converts_caches_registers_and_covers(pip_only: PipOnly, font_cache: Path) -> None:
    book = pip_only.book
    assert any("preparing font Noto Serif SC" in m and "first use" in m for m in pip_only.messages)
    assert any("preparing font Noto Sans SC" in m for m in pip_only.messages)
    converted = sorted(p.name for p in (font_cache / "ttf").glob("*.ttf"))
    assert any(n.startswith("NotoSerifSC-Regular-0-") for n in converted)
    assert any(n.startswith("NotoSansSC-Regular-0-") for n in converted)
    assert not list((font_cache / "ttf").glob(".*.tmp")), "temp files left behind"
    for lock in (font_cache / "ttf").glob("*.lock"):  # lock files stay, but nobody holds them
        with FileLock(lock, timeout=0):
            pass

    name = book.pdf_font("fangsong")
    assert pdfmetrics.getFont(name).face.name  # registered with ReportLab
    assert book.missing(SAMPLE, "fangsong") == []
    assert book.missing(SAMPLE, "heiti") == []
    runs = book.runs(SAMPLE, "fangsong")
    assert runs == [(name, SAMPLE)]
    assert pdf_text(book, SAMPLE, "fangsong").strip().replace(" ", "") == SAMPLE

    reports = {r.role: r for r in book.describe()}
    assert reports["fangsong"].why == "bundled"
    assert "bundled fallback Noto Serif SC" in reports["fangsong"].reason
    assert reports["heiti"].family == "Noto Sans SC"
    assert (
        reports["fangsong"].pdf_file is not None and reports["fangsong"].pdf_file.suffix == ".ttf"
    )
    assert book.font_files()[0].name == "NotoSerifSC-Regular.otf"
    assert "bundled fallback" in format_report(book)


def test_pip_only_substitutions_reported_once(pip_only: PipOnly) -> None:
    book = pip_only.book
    book.pdf_font("fangsong")
    book.runs("仿宋", "fangsong")
    book.pdf_font("heiti")
    book.pdf_font("xiaobiaosong")
    subst = [m for m in pip_only.messages if m.startswith("PDF fonts:")]
    assert len(subst) == 1, subst  # one summary line, not one per role
    assert "仿宋 → Noto Serif SC" in subst[0] and "小标宋 → Noto Serif SC (synthetic bold)" in subst[0]
    assert "楷体 → Noto Serif SC (synthetic oblique)" in subst[0]


def test_warm_book_reuses_conversion_and_is_fast(
    pip_only: PipOnly, gongwen: Theme, font_cache: Path
) -> None:
    messages: list[str] = []
    book = FontBook(gongwen, system_fonts=False, cache_dir=font_cache, on_message=messages.append)
    name = book.pdf_font("fangsong")
    assert name == pip_only.book.pdf_font("fangsong")  # per-process registration cache
    assert not any("preparing" in m for m in messages)


def test_env_switch_disables_system_fonts(
    pip_only: PipOnly, gongwen: Theme, font_cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFGEN_NO_SYSTEM_FONTS", "1")
    book = FontBook(gongwen, cache_dir=font_cache)
    assert {r.why for r in book.describe() if r.role != "latin"} == {"bundled"}


def test_missing_lists_uncovered_once_in_order(pip_only: PipOnly) -> None:
    book = pip_only.book
    text = "甲\U000f0001乙\U000f0002\U000f0001 \n\t\u3000"
    assert book.missing(text, "fangsong") == ["\U000f0001", "\U000f0002"]


def test_runs_merge_and_roundtrip(pip_only: PipOnly) -> None:
    book = pip_only.book
    text = "第一 段\n第二段\U000f0001末"
    runs = book.runs(text, "heiti")
    assert "".join(chunk for _, chunk in runs) == text.replace("\U000f0001", "〓")  # no font has it
    assert all(a[0] != b[0] for a, b in zip(runs, runs[1:], strict=False)), (
        "adjacent runs not merged"
    )
    assert book.runs("", "heiti") == []


def test_width_matches_reportlab_and_is_fast(pip_only: PipOnly) -> None:
    book = pip_only.book
    name = book.pdf_font("fangsong")
    text = "二〇二五年工作要点：2231亿元，增长12.2%。"
    assert book.width(text, name, 16) == pytest.approx(pdfmetrics.stringWidth(text, name, 16))
    assert book.width("中", name, 16) == pytest.approx(16.0)


def test_width_of_unregistered_builtin_font(pip_only: PipOnly) -> None:
    assert pip_only.book.width("abc", "Helvetica", 10) == pytest.approx(
        pdfmetrics.stringWidth("abc", "Helvetica", 10)
    )


# ---------------------------------------------------------------- explicit files


def test_explicit_file_wins_and_latin_routes_ascii(
    pip_only: PipOnly, gongwen: Theme, font_cache: Path, tmp_path: Path
) -> None:
    latin = build_tiny_font(tmp_path / "tiny.ttf", family="Tiny Latin")
    theme = with_files(gongwen, latin=str(latin))
    messages: list[str] = []
    book = FontBook(theme, system_fonts=False, cache_dir=font_cache, on_message=messages.append)
    rep = {r.role: r for r in book.describe()}["latin"]
    assert rep.why == "explicit" and rep.file == latin and rep.family == "Tiny Latin"
    latin_name = book.pdf_font("latin")
    cjk_name = book.pdf_font("fangsong")
    assert book.runs("增长12.2%，共2231亿元", "fangsong") == [
        (cjk_name, "增长"),
        (latin_name, "12.2%"),
        (cjk_name, "，共"),
        (latin_name, "2231"),
        (cjk_name, "亿元"),
    ]
    assert book.width("12", latin_name, 10) == pytest.approx(12.0)
    assert latin in book.font_files()


def test_explicit_cff_file_is_converted(gongwen: Theme, tmp_path: Path) -> None:
    otf = build_tiny_font(tmp_path / "tiny-cff.otf", family="Tiny CFF", cff=True)
    messages: list[str] = []
    book = FontBook(
        with_files(gongwen, songti=str(otf)),
        system_fonts=False,
        cache_dir=tmp_path / "cache",
        on_message=messages.append,
    )
    name = book.pdf_font("songti")
    assert any("preparing font Tiny CFF" in m for m in messages)
    assert book.width("AB", name, 10) == pytest.approx(12.0)
    assert not any("宋体 →" in m for m in messages), "explicit files are no substitution"


def test_missing_explicit_file_is_located_io_error(gongwen: Theme, tmp_path: Path) -> None:
    with pytest.raises(InputIOError) as info:
        FontBook(with_files(gongwen, fangsong=str(tmp_path / "nope.ttf")), system_fonts=False)
    err = info.value
    assert err.exit_code == EXIT_IO
    assert err.problems[0].path == "theme.font_files.fangsong"
    assert "\n" not in str(err) and "nope.ttf" in str(err)


def test_corrupt_explicit_file_is_located_error(gongwen: Theme, tmp_path: Path) -> None:
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"OTTO\0KF2tcpF" + b"\0" * 40)
    with pytest.raises(BriefError) as info:
        FontBook(with_files(gongwen, heiti=str(bad)), system_fonts=False)
    prob = info.value.problems[0]
    assert prob.file == str(bad) and prob.path == "theme.font_files.heiti"
    assert "not a usable font file" in prob.message


def test_restricted_explicit_file_is_refused(gongwen: Theme, tmp_path: Path) -> None:
    font = build_tiny_font(tmp_path / "restricted.ttf", fs_type=0x0002)
    with pytest.raises(BriefError, match="forbids embedding"):
        FontBook(with_files(gongwen, kaiti=str(font)), system_fonts=False)


def test_collection_subfont_out_of_range(gongwen: Theme, tmp_path: Path) -> None:
    font = build_tiny_font(tmp_path / "one.ttf")
    with pytest.raises(BriefError, match="subfont"):
        FontBook(with_files(gongwen, kaiti=f"{font}#3"), system_fonts=False)


# ---------------------------------------------------------------- discovery via search_dirs


def test_search_dir_alias_by_chinese_name(
    pip_only: PipOnly, gongwen: Theme, font_cache: Path, tmp_path: Path
) -> None:
    build_tiny_font(tmp_path / "fonts" / "fs.ttf", family={"en": "FangSong", "zh-CN": "仿宋"})
    messages: list[str] = []
    book = FontBook(
        gongwen,
        system_fonts=False,
        search_dirs=[tmp_path / "fonts"],
        cache_dir=font_cache,
        on_message=messages.append,
    )
    rep = {r.role: r for r in book.describe()}["fangsong"]
    assert rep.why == "standard" and rep.substitution == "" and rep.family == "FangSong"
    tiny = book.pdf_font("fangsong")
    assert not any("仿宋 →" in m for m in messages)
    # the tiny font has no hanzi: those fall back along the chain to the bundled serif
    runs = book.runs("AB中文", "fangsong")
    assert runs[0] == (tiny, "AB") and runs[1][1] == "中文" and runs[1][0] != tiny


def test_search_dir_restricted_font_is_skipped(
    gongwen: Theme, font_cache: Path, tmp_path: Path
) -> None:
    build_tiny_font(tmp_path / "fonts" / "ht.ttf", family="SimHei", fs_type=0x0002)
    book = FontBook(
        gongwen, system_fonts=False, search_dirs=[tmp_path / "fonts"], cache_dir=font_cache
    )
    rep = {r.role: r for r in book.describe()}["heiti"]
    assert rep.why == "bundled"
    assert any("embedding not permitted" in s for s in rep.skipped)


def test_scan_is_cached_on_disk_and_invalidated_by_dir_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fonts = tmp_path / "fonts"
    build_tiny_font(fonts / "a.ttf", family="Alpha Test")
    cache = tmp_path / "cache"
    first = discover.scan([fonts], system=False, cache=cache)
    assert not first.from_cache and [f.family for f in first.faces] == ["Alpha Test"]
    files = list(cache.glob("fontscan-*.json"))
    assert len(files) == 1 and json.loads(files[0].read_text("utf-8"))["faces"]

    discover._MEMO.clear()

    def boom(path: Path) -> list[discover.FaceInfo]:
        raise AssertionError("rescanned although the cache is warm")

    monkeypatch.setattr(discover, "read_faces", boom)
    warm = discover.scan([fonts], system=False, cache=cache)
    assert warm.from_cache and [f.family for f in warm.faces] == ["Alpha Test"]

    monkeypatch.undo()
    sub = fonts / "more"
    build_tiny_font(sub / "b.ttf", family="Beta Test")
    again = discover.scan([fonts], system=False, cache=cache)
    assert not again.from_cache
    assert sorted(f.family for f in again.faces) == ["Alpha Test", "Beta Test"]


def test_broken_font_in_search_dir_is_ignored(tmp_path: Path) -> None:
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    (fonts / "broken.ttf").write_bytes(b"\0\1\0\0garbage")
    build_tiny_font(fonts / "ok.ttf", family="Okay Test")
    result = discover.scan([fonts], system=False, cache=None)
    assert [f.family for f in result.faces] == ["Okay Test"]


def test_cache_dir_env_override(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("BRIEFGEN_CACHE_DIR", str(tmp_path / "c"))
    assert discover.cache_dir() == tmp_path / "c"
    monkeypatch.delenv("BRIEFGEN_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    if discover.sys.platform not in ("win32", "darwin"):
        assert discover.cache_dir() == tmp_path / "xdg" / "briefgen"


# ---------------------------------------------------------------- this machine's Debian fonts


@needs_debian_fonts
def test_debian_system_fonts_resolve(gongwen: Theme, font_cache: Path) -> None:
    messages: list[str] = []
    book = FontBook(gongwen, cache_dir=font_cache, on_message=messages.append)
    reps: dict[str, RoleReport] = {r.role: r for r in book.describe()}
    assert set(reps) == set(ROLES)
    assert reps["fangsong"].why == "lookalike" and "UMing" in reps["fangsong"].family
    assert reps["kaiti"].family.startswith("AR PL UKai CN") and reps["kaiti"].why == "alias"
    assert reps["songti"].family.startswith("AR PL UMing CN")
    assert reps["heiti"].family.startswith("WenQuanYi")
    assert reps["latin"].why == "same-as" and reps["latin"].file == reps["fangsong"].file
    assert (
        reps["xiaobiaosong"].family in ("Noto Serif CJK SC Bold",)
        or "UMing" in reps["xiaobiaosong"].family
    )
    # TrueType roles register without conversion
    for role in ("fangsong", "heiti", "kaiti", "songti"):
        book.pdf_font(role)  # type: ignore[arg-type]
    assert not any("preparing" in m for m in messages)
    assert len([m for m in messages if m.startswith("PDF fonts:") and "仿宋 →" in m]) == 1
    assert book.missing(SAMPLE, "fangsong") == []
    report = format_report(book)
    assert report.startswith("# system font discovery: on")
    for role in ROLES:
        assert report.count(f"\n{role} ") == 1


@needs_debian_fonts
def test_docx_name_is_tried_first(gongwen: Theme, font_cache: Path) -> None:
    theme = gongwen.model_copy(
        update={"docx_fonts": gongwen.docx_fonts.model_copy(update={"fangsong": "AR PL UKai CN"})}
    )
    book = FontBook(theme, cache_dir=font_cache)
    rep = {r.role: r for r in book.describe()}["fangsong"]
    assert rep.family.startswith("AR PL UKai CN") and rep.why == "standard"
    assert book.docx_name("fangsong") == "AR PL UKai CN"


def test_system_font_reportlab_rejects_is_skipped_not_fatal(
    pip_only: PipOnly, gongwen: Theme, font_cache: Path, tmp_path: Path
) -> None:
    from fontTools.ttLib import TTFont

    good = build_tiny_font(tmp_path / "src.ttf", family="SimHei")
    broken = TTFont(str(good))
    del broken["hhea"]  # fontTools still reads the names; ReportLab cannot load it
    (tmp_path / "fonts").mkdir()
    broken.save(str(tmp_path / "fonts" / "simhei.ttf"))
    messages: list[str] = []
    book = FontBook(
        gongwen,
        system_fonts=False,
        search_dirs=[tmp_path / "fonts"],
        cache_dir=font_cache,
        on_message=messages.append,
    )
    assert {r.role: r for r in book.describe()}["heiti"].family == "SimHei"
    name = book.pdf_font("heiti")
    assert name == pip_only.book.pdf_font("heiti")  # fell through to the bundled Noto Sans SC
    assert any(m.startswith("skipping font SimHei") for m in messages)
    rep = {r.role: r for r in book.describe()}["heiti"]
    assert rep.why == "bundled" and any("SimHei" in s for s in rep.skipped)
    assert "".join(c for _, c in book.runs("黑体ABC", "heiti")) == "黑体ABC"
