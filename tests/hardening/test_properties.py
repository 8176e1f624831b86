"""Hypothesis properties: any text in any field either round-trips into both outputs or is a clean BriefError.

``extract(render(t)) == normalise(t)``, where ``normalise`` is the documented policy: characters
XML cannot hold become 〓, bidi controls become ``[U+XXXX]`` (``textsafe.sanitize``), whitespace
may change (line breaking, template white space), and punctuation normalisation is switched off
by the theme. The text goes into the brief (title, unit, masthead name, editor's note, heading,
caption, question, key point, closing, Markdown text — escaped for Markdown), the source pack
(summary, figure label, attribution) at once. Cheaper properties cover the YAML loader, the
markup parser, the Markdown parser and the sanitizer on arbitrary input.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from hardkit import BASE, LOCATED, docx_text, pdf_text, squash
from hypothesis import HealthCheck, event, given, note, settings
from hypothesis import strategies as st

from briefgen.compose.markdown import markdown_blocks
from briefgen.compose.markup import parse_blocks
from briefgen.errors import BriefError
from briefgen.inputs import textsafe
from briefgen.inputs.limits import ENV_VAR
from briefgen.inputs.yamlsafe import load_yaml_text
from briefgen.pipeline.render import build

DANGEROUS = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9f\ufffe\uffff\ud800\udbff\udc00\udfff\u202a\u202e\u2066\u2069\u200e\u200f\u061c"
MARKUP = ["<", ">", "&", "&amp;", "&#x41;", "{{", "}}", "{%", "%}", "{#", "'", '"', "\\", "]]>", "<![CDATA[",
          "<p>", "</p>", "<b>", "<h level=\"1\">", "<br/>", "<img src=\"/etc/passwd\"/>", "{{ 7*7 }}",
          "<font color=\"[[[1]]] and 'red'\">", "%s", "{0}", "$(id)", "\n", "\t", "  "]
PLAIN = "abcXYZ019 .,;:!?()-_=+*/中文简报数据党建引领网格服务站一二三（）【】《》“”‘’，。、：；！？…—〓　"
ALPHABET = st.sampled_from(list(PLAIN + DANGEROUS))
TEXT = st.lists(st.one_of(ALPHABET, ALPHABET, ALPHABET, st.sampled_from(MARKUP)), min_size=1,
                max_size=24).map("".join)

THEME = "extends: jianbao\nname: plain\npunctuation:\n  normalise: false\n"
TEMPLATE = "<h level=\"{{ level }}\">{{ heading }}</h>\n<p>{{ section.summary }}</p>\n"


def yaml_str(text: str) -> str:
    """A YAML double-quoted scalar that loads back as exactly ``text`` (also lone surrogates)."""
    out = ['"']
    for ch in text:
        o = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif o < 0x20 or 0x7F <= o <= 0x9F or 0xD800 <= o <= 0xDFFF or o in (0xFFFE, 0xFFFF, 0x2028, 0x2029, 0xFEFF):
            out.append(f"\\u{o:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def md_escape(text: str) -> str:
    """``text`` as Markdown that prints literally: punctuation backslash-escaped, one line."""
    flat = re.sub(r"[ \t\r\n]+", " ", text).strip(" ")
    return re.sub(r"([!-/:-@\[-`{-~])", r"\\\1", flat)


def write_project(root: Path, t: str) -> Path:
    for sub in ("briefs", "sources", "themes", "templates"):
        (root / sub).mkdir(parents=True, exist_ok=True)
    (root / "themes" / "plain.yaml").write_text(THEME, encoding="utf-8")
    (root / "templates" / "user.xml.j2").write_text(TEMPLATE, encoding="utf-8")
    pack = (BASE / "pack.yaml").read_text(encoding="utf-8")
    pack = pack.replace("    summary: 全县基层治理成效明显。", f"    summary: {yaml_str('甲' + t)}")
    pack = pack.replace("    label: 网格服务站", f"    label: {yaml_str('乙' + t)}")
    pack = pack.replace("  attribution: 测试用素材，非真实报道。", f"  attribution: {yaml_str('丙' + t)}")
    (root / "sources" / "pack.yaml").write_text(pack, encoding="utf-8")
    q = yaml_str
    brief = f"""title: {q('标题' + t)}
name: {q('名称' + t)}
unit: {q('单位' + t)}
date: 2024-05-10
theme: ../themes/plain.yaml
editor_note: {q('按语' + t)}
sources:
  p: ../sources/pack.yaml
templates: [../templates]
closing:
  bao: {q('报送' + t)}
blocks:
  - section: overview
    template: user.xml.j2
    heading: {q('小标题' + t)}
  - section: lessons.1
    questions:
      lessons.1: {q('思考' + t)}
    keypoints:
      lessons.1: [{q('要点' + t)}]
  - table: figures
    ids: [stations]
    columns: [label]
    caption: {q('表题' + t)}
  - text: {q('正文' + md_escape(t))}
"""
    spec = root / "briefs" / "brief.yaml"
    spec.write_text(brief, encoding="utf-8")
    return spec


def _clean_error(e: BriefError) -> None:
    text = str(e)
    assert text, "empty error"
    for line in text.splitlines():
        assert LOCATED.match(line), f"not a located one-line message: {line!r}"


@pytest.fixture
def no_policy(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)


@pytest.mark.slow  # 30 whole builds
@pytest.mark.usefixtures("no_policy")
def test_any_text_in_every_field_round_trips(tmp_path_factory: pytest.TempPathFactory) -> None:
    built: list[str] = []

    @settings(max_examples=30, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(t=TEXT)
    def check(t: str) -> None:
        root = tmp_path_factory.mktemp("prop")
        try:
            spec = write_project(root, t)
            try:
                res = build(spec, root / "output")
            except BriefError as e:
                note(f"BriefError: {e}")
                event(f"BriefError {e.problems[0].message[:40]}")
                _clean_error(e)
                return
            want = squash(textsafe.sanitize(t)[0])
            docx_all = squash(docx_text(res.outputs["docx"]))
            pdf_all = squash(pdf_text(res.outputs["pdf"]))
            for label in ("标题", "名称", "单位", "按语", "报送", "小标题", "思考", "要点", "表题", "正文", "甲", "乙", "丙"):
                assert label + want in docx_all, f"{label}{want!r} missing from the DOCX"
                assert label + want in pdf_all, f"{label}{want!r} missing from the PDF"
            built.append(t)
        finally:
            shutil.rmtree(root, ignore_errors=True)

    check()
    # a clean error is a fine outcome for one text, but if every text failed, nothing round-tripped
    assert built, "every example failed cleanly: the round trip was never checked"


@pytest.mark.slow  # up to 12 whole builds
@pytest.mark.usefixtures("no_policy")
def test_any_unicode_builds_or_fails_cleanly(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Arbitrary Unicode (unassigned, astral, surrogates, controls): never an exception other than BriefError."""
    outcomes: list[str] = []

    @settings(max_examples=12, deadline=None, derandomize=True, database=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(t=st.text(max_size=30))
    def check(t: str) -> None:
        root = tmp_path_factory.mktemp("uni")
        try:
            spec = write_project(root, t)
            try:
                res = build(spec, root / "output")
            except BriefError as e:
                event(f"BriefError: {e.problems[0].message[:30]}")
                _clean_error(e)
                outcomes.append("failed cleanly")
                return
            event("built")
            assert res.outputs["pdf"].read_bytes().startswith(b"%PDF")
            docx_text(res.outputs["docx"])
            outcomes.append("built")
        finally:
            shutil.rmtree(root, ignore_errors=True)

    check()
    assert "built" in outcomes, f"no example built ({len(outcomes)} failed cleanly): outputs never checked"


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.text(max_size=200) | st.lists(st.sampled_from(
    ["a:", " b", "- ", "[", "]", "{", "}", "&x ", "*x", "!!python/object:os.system", "\n", "  ", "'", '"',
     "\\x00", "? ", ": ", "<<", "---", "...", "%YAML 1.1", "#", "|", ">", "\t", "\ud800", "~"]),
    max_size=40).map("".join))
def test_yaml_loader_never_crashes(text: str) -> None:
    try:
        loc = load_yaml_text(text, "fuzz.yaml")
    except BriefError as e:
        _clean_error(e)
        return
    for w in loc.warnings:
        assert w.file == "fuzz.yaml" and w.line is not None


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.text(max_size=120) | st.lists(st.sampled_from(
    ["<p>", "</p>", "<h level=\"2\">", "</h>", "<b>", "</b>", "<i>", "<br/>", "<list>", "<li>", "</li>",
     "</list>", "<box kind=\"note\">", "</box>", "<pagebreak/>", "&amp;", "&", "<", "x", "中", "\x01",
     "<!DOCTYPE r [<!ENTITY e \"x\">]>", "&e;", "<?pi?>", "<!-- c -->"]), max_size=30).map("".join))
def test_markup_parser_never_crashes(text: str) -> None:
    try:
        parse_blocks(text, "t.xml.j2")
    except BriefError as e:
        _clean_error(e)


@settings(max_examples=300, deadline=None, database=None)
@given(text=st.text(max_size=200) | st.lists(st.sampled_from(
    ["*", "**", "_", "[", "](", ")", "![", "<", ">", "`", "#", "- ", "1. ", "\n", "\n\n", "    ", "> ",
     "http://x", "file:///etc/passwd", "javascript:x", "&amp;", "\\", "|", "~~~", "```"]),
    max_size=60).map("".join))
def test_markdown_parser_never_crashes(text: str) -> None:
    warnings: list[str] = []
    markdown_blocks(text, warnings=warnings)


@settings(max_examples=500, deadline=None, database=None)
@given(text=st.text())
def test_sanitize_is_idempotent_and_complete(text: str) -> None:
    clean, issues = textsafe.sanitize(text)
    assert textsafe.is_clean(clean)
    assert textsafe.sanitize(clean) == (clean, [])
    assert not issues if clean == text else issues
    clean.encode("utf-8")  # no lone surrogate left
