"""No code execution paths in the source: no eval/exec/pickle/unsafe YAML/shell; sandbox and ReportLab settings hold.

The grep covers every ``.py`` file under ``src/briefgen`` (comments and strings included, so a
mention in a docstring must be phrased differently); the other tests check the configuration the
grep cannot see: the YAML loader refuses tags and aliases, templates run in the limited immutable
sandbox with strict undefineds, and ReportLab trusts no host and no URL scheme.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jinja2
import pytest
from jinja2.sandbox import ImmutableSandboxedEnvironment

SRC = Path(__file__).resolve().parents[2] / "src" / "briefgen"
FILES = sorted(SRC.rglob("*.py"))

FORBIDDEN = {
    "eval(": re.compile(r"(?<![\w.])eval\s*\("),
    "exec(": re.compile(r"(?<![\w.])exec\s*\("),
    "pickle": re.compile(r"\b(c?pickle|marshal|shelve|dill)\.(loads?|Unpickler|open)\b"
                         r"|\bimport (c?pickle|shelve|dill)\b"),
    "yaml.load(": re.compile(r"yaml\.(load|load_all|unsafe_load|unsafe_load_all|full_load)\s*\("),
    "yaml Loader": re.compile(r"\b(Unsafe|Full)Loader\b|yaml\.Loader\b"),
    "os.system/popen": re.compile(r"os\.(system|popen)\s*\("),
    "compile(": re.compile(r"(?<![\w.])compile\s*\("),
    "__import__": re.compile(r"__import__\s*\("),
    "from_string": re.compile(r"\.from_string\s*\("),
}


# Reviewed exceptions: the font face cache loads marshal data (no code objects are run) only from
# the user's own cache folder, which must be private (fonts/discover.writable_cache_dir).
ALLOWED = {("fonts/facecache.py", "pickle"), ("fonts/glyphs.py", "pickle")}  # marshal: private cache


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(SRC).as_posix() for p in FILES])
def test_no_code_execution_primitives(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(SRC).as_posix()
    for name, pattern in FORBIDDEN.items():
        if (rel, name) in ALLOWED:
            continue
        hits = [n for n, line in enumerate(text.splitlines(), 1) if pattern.search(line)]
        assert not hits, f"{path.name}: {name} on line(s) {hits}"


def test_shared_font_cache_folder_must_be_private(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A cache folder someone else could write (predictable /tmp name) is not used."""
    import os

    from briefgen.fonts import discover

    monkeypatch.setattr(discover.tempfile, "gettempdir", lambda: str(tmp_path))
    shared = tmp_path / f"briefgen-cache-{discover._uid()}"
    shared.mkdir()
    os.chmod(shared, 0o777)
    unwritable = tmp_path / "file-not-dir" / "x"
    (tmp_path / "file-not-dir").write_text("")
    got = discover.writable_cache_dir(unwritable)
    assert got != shared and got.is_dir() and not os.stat(got).st_mode & 0o077
    os.chmod(shared, 0o700)
    assert discover.writable_cache_dir(unwritable) == shared


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(SRC).as_posix() for p in FILES])
def test_no_shell_true(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            for kw in node.keywords:
                if kw.arg == "shell":
                    assert isinstance(kw.value, ast.Constant) and kw.value.value is False, (
                        f"{path.name}:{node.lineno}: subprocess call with shell=")


RL_MARKUP = re.compile(r"ParaParser|platypus\.paragraph|platypus import[^\n]*\b(Paragraph|XPreformatted)\b"
                       r"|\bImageReader\b|\bdrawImage\b|\bdrawInlineImage\b")


IMAGE_BYTES_ONLY = {"writers/pdf/images.py"}


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(SRC).as_posix() for p in FILES])
def test_no_reportlab_markup_parser_or_image_fetching(path: Path) -> None:
    """User text never goes through ReportLab's paragraph markup (``<img src>``, ``<font color>``),
    and nothing loads images by name (``ImageReader`` opens local paths before any trust check)."""
    text = path.read_text(encoding="utf-8")
    if path.relative_to(SRC).as_posix() in IMAGE_BYTES_ONLY:
        # pictures arrive as bytes already confined and decoded by inputs.images: read from memory only
        calls = re.findall(r"\bImageReader\((.{0,20})", text)
        assert calls and all(c.startswith("io.BytesIO(") for c in calls), calls
        text = re.sub(r"\bImageReader\b|\bdrawImage\b", "", text)
    hits = [n for n, line in enumerate(text.splitlines(), 1) if RL_MARKUP.search(line)]
    assert not hits, f"{path.name}: ReportLab markup/image loading on line(s) {hits}"


def test_grep_finds_what_it_looks_for() -> None:
    """The patterns are not vacuous."""
    samples = {"eval(": "x = eval('1')", "exec(": "exec(code)", "pickle": "pickle.loads(b)",
               "yaml.load(": "yaml.load(s)", "yaml Loader": "yaml.Loader", "os.system/popen": "os.system('x')",
               "compile(": "compile(s, f, 'exec')", "__import__": "__import__('os')",
               "from_string": "env.from_string(t)"}
    for name, sample in samples.items():
        assert FORBIDDEN[name].search(sample), name
    assert not FORBIDDEN["eval("].search("literal_eval(x)") and not FORBIDDEN["compile("].search("re.compile(x)")


def test_yaml_loader_refuses_tags_aliases_and_types() -> None:
    from briefgen.errors import BriefError
    from briefgen.inputs.yamlsafe import load_yaml_text

    assert load_yaml_text("a: 2022-09-23\nb: no\nc: 0x1F\n").data == {"a": "2022-09-23", "b": "no", "c": "0x1F"}
    for text in ("a: !!python/object/apply:os.system [id]\n", "a: &x 1\nb: *x\n", "a: !!binary aGk=\n"):
        with pytest.raises(BriefError):
            load_yaml_text(text)


def test_templates_run_in_the_limited_immutable_sandbox(tmp_path: Path) -> None:
    from briefgen.compose.templating import LimitedSandbox, Templates

    t = Templates([tmp_path])
    assert isinstance(t.env, LimitedSandbox) and isinstance(t.env, ImmutableSandboxedEnvironment)
    assert t.env.undefined is jinja2.StrictUndefined
    assert t.env.autoescape is True
    assert "lipsum" not in t.env.globals
    assert {"*", "**", "+", "%"} <= set(t.env.intercepted_binops)


def test_compiled_templates_are_shared_but_follow_the_source(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A second environment reuses the compiled template (loops still guarded); an edited
    template is compiled again."""
    from briefgen.compose.templating import LimitedSandbox, Templates
    from briefgen.errors import BriefError

    (tmp_path / "t.j2").write_text("{% for x in xs %}{{ x }}{% endfor %}", encoding="utf-8")
    assert Templates([tmp_path]).render("t.j2", {"xs": [1, 2]}).strip() == "12"
    monkeypatch.setattr(LimitedSandbox, "compile", lambda *a, **k: pytest.fail("compiled again"))
    t = Templates([tmp_path])
    assert t.render("t.j2", {"xs": [3]}).strip() == "3"
    with pytest.raises(BriefError):  # the loop guard is part of the shared code
        t.env.budget.left = 0  # type: ignore[attr-defined]
        t.env.get_template("t.j2").render(xs=[1, 2])
    monkeypatch.undo()
    (tmp_path / "t.j2").write_text("{{ xs | length }}", encoding="utf-8")
    assert Templates([tmp_path]).render("t.j2", {"xs": [3, 4]}).strip() == "2"


def test_reportlab_trusts_no_host_and_no_scheme() -> None:
    from reportlab import rl_config

    from briefgen.writers.pdf.writer import configure_reportlab

    rl_config.trustedHosts = None
    rl_config.trustedSchemes = ["file", "http", "https"]
    configure_reportlab()
    assert rl_config.trustedHosts == [] and rl_config.trustedSchemes == []
    assert rl_config.invariant == 1


def test_reportlab_image_reader_refuses_urls_after_configuration() -> None:
    from reportlab import rl_config
    from reportlab.lib.utils import open_for_read

    from briefgen.writers.pdf.writer import configure_reportlab

    configure_reportlab()
    assert rl_config.trustedSchemes == []
    for url in ("http://169.254.169.254/latest/meta-data", "file:///etc/hostname", "ftp://example.org/x"):
        with pytest.raises(Exception):  # noqa: B017 - any refusal; the point is: nothing fetched
            open_for_read(url)
