"""The Wujiang (新华日报 2022-09-23) source pack: structure, exact figures, and own-words prose.

The checks against the article run only where the seed article is present next to the repo
(``../shared/seed/``); without it they are skipped and only the pack's own structure is tested.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest

from briefgen.model.sourcepack import Figure, LoadedPack, load_pack

REPO = Path(__file__).resolve().parents[2]
PACK_PATH = REPO / "sources" / "wujiang-2022-09-23.yaml"
ARTICLE_PATH = REPO / ".." / "shared" / "seed" / "wujiang-2022-09-23.txt"

REQUIRED_SECTIONS = [
    "editor_note",
    "overview",
    "context",
    "context.economy",
    "pillars",
    "pillars.development",
    "pillars.livelihood",
    "pillars.region",
    "pillars.masses",
    "lessons",
    *(f"lessons.{i}" for i in range(1, 6)),
]
PILLAR_TITLES = {
    "pillars.development": "党建融入发展",
    "pillars.livelihood": "党建融入民生",
    "pillars.region": "党建融入区域",
    "pillars.masses": "党建融入群众",
}

# Words the article puts around a number to say it is approximate: 超9万家, 10万余人次, 2万多名.
QUALIFIERS = ("超", "近", "约", "逾", "余", "多")
_PRE = "超近约逾"
_POST = "余多"
_MAGNITUDES = "万亿千百"

# Figures whose value the article does not write as digits followed by the unit. Keep this small:
# {n} is the value's digits, {cn} the value as a Chinese numeral (0-10).
WRITTEN_FORMS: dict[str, str] = {
    "registered_population": "{n}万",  # 户籍人口89.5万 (unit 万人)
    "top100_rank_national_2022": "全国第{cn}",  # 全国第九
    "top100_rank_province_2022": "全省第{cn}",  # 全省第一
    "talent_rank_suzhou_2021": "第{cn}名",  # 第一名
}
_CN_NUMERALS = "〇一二三四五六七八九十"

VERBATIM_RUN = 16
# Quoted names and slogans may be carried over as written; longer quotations are checked as prose.
_QUOTED = re.compile(r"“[^“”]{1,30}”|《[^《》]{1,40}》")
_MASK = "\0"
_HALF_TO_FULL = str.maketrans({",": "，", ":": "：", ";": "；", "(": "（", ")": "）", "!": "！", "?": "？"})
_ASCII_PUNCT = re.compile(r"[,:;()!?]")


# --- checkers ------------------------------------------------------------------------------------


def normalise(text: str) -> str:
    """Full-width punctuation, no whitespace: so swapping ``,`` for ``，`` is not a rewrite."""
    return re.sub(r"\s+", "", text.translate(_HALF_TO_FULL))


def qualifier(fig: Figure) -> str:
    """The 超/余/多 qualifier (``qualifier:``; ``note: 超`` in older packs is read as one), or ``""``."""
    return fig.qualifier


def digits(value: Decimal) -> str:
    return format(abs(value), "f")


def _forms_pattern(fig: Figure) -> re.Pattern[str]:
    n = re.escape(digits(fig.value))
    unit = fig.unit
    if len(unit) > 1 and unit[0] in _MAGNITUDES:
        unit_re = re.escape(unit[0]) + f"(?P<mid>[{_POST}])?" + re.escape(unit[1:])
    else:
        unit_re = f"(?P<mid>[{_POST}])?" + re.escape(unit)
    return re.compile(f"(?P<pre>[{_PRE}])?(?<![\\d.]){n}{unit_re}(?P<post>[{_POST}])?")


def figure_problems(fig: Figure, lines: list[str]) -> list[str]:
    """Why ``fig`` is not what article line ``fig.source_line`` says (empty list: it is)."""
    if fig.source_line is None or not 1 <= fig.source_line <= len(lines):
        return [f"{fig.id}: source_line {fig.source_line} is not a line of the article"]
    line = normalise(lines[fig.source_line - 1])
    problems: list[str] = []
    if fig.id in WRITTEN_FORMS:
        whole = fig.value == fig.value.to_integral_value() and 0 <= fig.value <= 10
        cn = _CN_NUMERALS[int(fig.value)] if whole else "?"
        expected = WRITTEN_FORMS[fig.id].format(n=digits(fig.value), cn=cn)
        if expected not in line:
            problems.append(f"{fig.id}: {expected!r} not on line {fig.source_line}")
    else:
        found = set()
        for m in _forms_pattern(fig).finditer(line):
            found.add(m.group("pre") or m.group("mid") or m.group("post") or "")
        want = qualifier(fig)
        shown = f"{digits(fig.value)}{fig.unit}"
        if not found:
            problems.append(f"{fig.id}: {shown!r} not on line {fig.source_line}")
        elif want not in found:
            written = "/".join(sorted(q or "(none)" for q in found))
            problems.append(
                f"{fig.id}: {shown!r} is qualified {written} on line {fig.source_line}, "
                f"but note gives {want or '(none)'}"
            )
    if fig.change is not None:
        change = f"{digits(fig.change.value)}{fig.change.unit}"
        if not re.search(f"(?<![\\d.]){re.escape(change)}", line):
            problems.append(f"{fig.id}: change {change!r} not on line {fig.source_line}")
    return problems


def mask_quotes(text: str) -> str:
    return _QUOTED.sub(_MASK, text)


def verbatim_runs(text: str, article: str, n: int = VERBATIM_RUN) -> list[str]:
    """Runs of ``n``+ characters of ``text`` (quoted names/slogans aside) found verbatim in ``article``.

    Both sides are normalised first; ``article`` must already be :func:`normalise`-d.
    """
    t = mask_quotes(normalise(text))
    runs: list[str] = []
    i = 0
    while i + n <= len(t):
        window = t[i : i + n]
        if _MASK not in window and window in article:
            end = i + n
            while end < len(t) and t[end] != _MASK and t[i : end + 1] in article:
                end += 1
            runs.append(t[i:end])
            i = end
        else:
            i += 1
    return runs


def prose(pack: LoadedPack) -> list[tuple[str, str]]:
    """(where, text) for every summary and body paragraph in the pack."""
    out = []
    for sid, fs in pack.sections.items():
        if fs.section.summary:
            out.append((f"{sid}.summary", fs.section.summary))
        out.extend((f"{sid}.body[{i}]", p) for i, p in enumerate(fs.section.body))
    return out


def copied_prose(pack: LoadedPack, article: str) -> list[str]:
    norm = normalise(article)
    return [f"{where}: {run}" for where, text in prose(pack) for run in verbatim_runs(text, norm)]


# --- fixtures ------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pack() -> LoadedPack:
    return load_pack(PACK_PATH)


@pytest.fixture(scope="module")
def article() -> str:
    if not ARTICLE_PATH.is_file():
        pytest.skip(f"seed article not present: {ARTICLE_PATH}")
    return ARTICLE_PATH.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def lines(article: str) -> list[str]:
    return article.split("\n")


# --- the pack on its own -------------------------------------------------------------------------


def test_meta(pack: LoadedPack) -> None:
    meta = pack.meta
    assert meta.id == "wujiang-2022-09-23"
    assert meta.publisher == "新华日报"
    assert meta.date is not None and meta.date.isoformat() == "2022-09-23"
    assert "新华日报" in meta.attribution and meta.licence


def test_required_sections(pack: LoadedPack) -> None:
    missing = [s for s in REQUIRED_SECTIONS if s not in pack.sections]
    assert not missing


def test_pillars_and_lessons(pack: LoadedPack) -> None:
    pillars = pack.select("pillars.*")
    assert {p.id: p.title for p in pillars} == PILLAR_TITLES
    assert all(p.section.subtitle for p in pillars)
    lessons = pack.select("lessons.*")
    assert [s.id for s in lessons] == [f"lessons.{i}" for i in range(1, 6)]
    for s in lessons:
        assert not re.match(r"^[（(][一二三四五六七八九十]+[）)]", s.title), s.title


def test_section_text_shape(pack: LoadedPack) -> None:
    for sid, fs in pack.sections.items():
        s = fs.section
        assert s.summary and "\n" not in s.summary.strip(), f"{sid}: summary must be one paragraph"
        assert 2 <= len(s.body) <= 5, f"{sid}: {len(s.body)} body paragraphs"
        assert s.source_lines, f"{sid}: no source_lines"
        for where, text in [("summary", s.summary), *(("body", p) for p in s.body)]:
            assert not _ASCII_PUNCT.search(text), f"{sid}.{where}: half-width punctuation"
            assert not re.search(r"\s", text), f"{sid}.{where}: whitespace inside Chinese text"


def test_figures(pack: LoadedPack) -> None:
    figures = pack.pack.figures
    assert len(figures) >= 30
    for f in figures:
        assert isinstance(f.value, Decimal), f.id
        assert f.section in pack.sections, f.id
        assert f.unit and f.label and f.category and f.source_line, f.id
        assert f.kind in {"amount", "count", "rate", "ranking", "target"}, f.id
    jianbao = [f.id for f in figures if "jianbao" in f.tags]
    assert 3 <= len(jianbao) <= 5


def test_decimal_keeps_written_digits(pack: LoadedPack) -> None:
    assert format(pack.figures["gdp_2021"].value, "f") == "2224.53"
    assert pack.figures["industrial_investment_h1_2022"].change.value == Decimal("12.2")


# --- the pack against the article ----------------------------------------------------------------


def test_figures_match_article(pack: LoadedPack, lines: list[str]) -> None:
    problems = [p for f in pack.pack.figures for p in figure_problems(f, lines)]
    assert not problems, "\n".join(problems)


def test_subtitles_and_titles_are_the_articles(pack: LoadedPack, article: str) -> None:
    norm = normalise(article)
    for fs in pack.select("pillars.*"):
        assert fs.section.subtitle in article, fs.id
        assert fs.title in article, fs.id
    for fs in pack.select("lessons.*"):
        assert normalise(fs.title) in norm, fs.id


def test_source_lines_point_at_text(pack: LoadedPack, lines: list[str]) -> None:
    for sid, fs in pack.sections.items():
        for n in fs.section.source_lines:
            assert 1 <= n <= len(lines) and lines[n - 1].strip(), f"{sid}: line {n}"


def test_prose_is_own_words(pack: LoadedPack, article: str) -> None:
    copied = copied_prose(pack, article)
    assert not copied, "\n".join(copied)


def test_quotations_are_the_articles(pack: LoadedPack, article: str) -> None:
    """What the prose puts in “” (slogans, names) is carried over exactly, not invented."""
    norm = normalise(article)
    wrong = [
        f"{where}: “{q}”"
        for where, text in prose(pack)
        for q in re.findall(r"“([^“”]*)”", normalise(text))
        if q not in norm
    ]
    assert not wrong, "\n".join(wrong)


# --- the checkers can fail -----------------------------------------------------------------------


def _fig(**kw: object) -> Figure:
    base: dict[str, object] = {"id": "x", "label": "x", "value": "2231", "unit": "亿元",
                               "source_line": 1}
    return Figure.model_validate(base | kw)


LINES = ["全区实现规上工业总产值2231亿元,增长4.1%;民营企业超9万家,员工2万多名,户籍人口89.5万。"]


def test_figure_checker_accepts_exact_figures() -> None:
    assert figure_problems(_fig(change={"value": "4.1"}), LINES) == []
    assert figure_problems(_fig(value="9", unit="万家", note="超"), LINES) == []
    assert figure_problems(_fig(value="2", unit="万名", note="多"), LINES) == []
    assert figure_problems(_fig(id="registered_population", value="89.5", unit="万人"), LINES) == []


@pytest.mark.parametrize(
    "kw",
    [
        {"value": "2232"},  # wrong value
        {"value": "231"},  # a tail of the written number
        {"unit": "万元"},  # wrong unit
        {"change": {"value": "4.2"}},  # wrong change
        {"source_line": 2},  # no such line
        {"value": "9", "unit": "万家"},  # 超 dropped from note
        {"value": "2", "unit": "万名", "note": "超"},  # wrong qualifier
        {"value": "89.5", "unit": "万人"},  # undeclared unit variant
    ],
)
def test_figure_checker_catches_errors(kw: dict[str, object]) -> None:
    assert figure_problems(_fig(**kw), LINES)


def test_figure_checker_catches_corrupted_pack_figure(pack: LoadedPack, lines: list[str]) -> None:
    good = pack.figures["industrial_output_h1_2022"]
    assert figure_problems(good, lines) == []
    assert figure_problems(good.model_copy(update={"value": good.value + 1}), lines)


def test_verbatim_checker_without_article() -> None:
    source = normalise("吴江区坚持德才兼备、以德为先用人原则,为担当者担当,为负责者负责。")
    assert verbatim_runs("吴江区坚持德才兼备、以德为先用人原则，", source)  # commas swapped
    assert verbatim_runs("报道说：吴江区坚持德才兼备、以德为先用人原则。", source)
    assert verbatim_runs("吴江用人坚持德才兼备、以德为先，为担当者担当。", source) == []
    assert verbatim_runs("“吴江区坚持德才兼备、以德为先用人原则”", source) == []  # a quotation
    assert verbatim_runs("吴江区坚持德才兼备、以德为先用人", source, n=17) == []


def test_verbatim_checker_both_ways(pack: LoadedPack, article: str) -> None:
    norm = normalise(article)
    copied = "全区实现规上工业总产值2231亿元，增长4.1%"  # line 10, punctuation swapped
    assert verbatim_runs(copied, norm)
    assert verbatim_runs("规上工业总产值达2231亿元，增幅为4.1%", norm) == []
    # quoted slogans are carried over as written
    assert verbatim_runs("构建“一个龙头、十家重点、百强示范、千企提标”的格局", norm) == []
    # copying into a loaded pack is caught
    sec = pack.sections["context.economy"].section
    original = sec.summary
    try:
        sec.summary = original + lines_of(article)[9]
        assert copied_prose(pack, article)
    finally:
        sec.summary = original


def lines_of(text: str) -> list[str]:
    return text.split("\n")
