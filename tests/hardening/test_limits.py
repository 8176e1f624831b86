"""Limits: each one, when hit, is one line naming the limit and its value, exit code 5, and no output.

Also: the limit flags (``--limit``, ``--timeout``, ``--max-memory-mb``) and their usage errors
(exit 2), the child-process time and memory limits of isolated renders, and a batch in which one
brief hits the time limit while the others build.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hardkit import OLD, clean_lines, error_lines, make_project, seed_old_outputs

from briefgen.cli import main
from briefgen.inputs.limits import ENV_VAR, Limits, Policy, current, parse_limit, with_limits

LOOP_FOREVER = ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}"
                "<p>x</p>\n")


def _build(tmp: Path, args: list[str], capsys: pytest.CaptureFixture[str],
           brief_text: str | None = None, template: str | None = None) -> tuple[int, list[str], Path]:
    brief = make_project(tmp)
    if brief_text is not None:
        brief.write_text(brief_text, encoding="utf-8")
    if template is not None:
        (tmp / "templates" / "user.xml.j2").write_text(template, encoding="utf-8")
    out = tmp / "output"
    seed_old_outputs(out)
    code = main(["build", str(brief), "-o", str(out), "-j", "1", *args])
    err = capsys.readouterr().err
    assert "Traceback" not in err and "internal error" not in err, err
    return code, clean_lines(err), out


CASES: list[tuple[str, list[str], str | None, str | None, int, list[str]]] = [
    # name, args, brief text (None: base), template (None: base), exit, fragments
    ("input-bytes", ["--limit", "input_bytes=600"], None, None, 5,
     ["pack.yaml: file is", "over the limit input_bytes=600", "--limit input_bytes=N"]),
    ("yaml-depth", ["--limit", "yaml_depth=2"], None, None, 5, ["over the limit yaml_depth=2"]),
    ("sections", ["--limit", "sections=2"], None, None, 5,
     ["pack.yaml:9:1: sections: 4 sections, over the limit sections=2", "--limit sections=N"]),
    ("figures", ["--limit", "figures=1"], None, None, 5, ["pack.yaml:24:1: figures: 2 figures, over the limit figures=1"]),
    ("table-rows", ["--limit", "table_rows=2"], None, None, 5,
     ["brief.yaml: table (主要数据) has 3 rows, over the limit table_rows=2"]),
    ("cell-chars", ["--limit", "cell_chars=4"], None, None, 5,
     ["cell '网格服务站'… has 5 characters, over the limit cell_chars=4"]),
    ("pages", ["--limit", "pages=1"], None, None, 5, ["the PDF has 2 pages, over the limit pages=1"]),
    ("template-loops", ["--limit", "template_loops=3"], None,
     "{% for x in range(5) %}<p>{{ x }}</p>{% endfor %}\n", 5,
     ["user.xml.j2:1: template loops ran too many iterations, over the limit template_loops=3"]),
    ("template-chars", ["--limit", "template_chars=40"], None,
     "<p>{{ heading }}{{ heading }}{{ heading }}{{ heading }}{{ heading }}{{ heading }}</p>\n", 5,
     ["template output is too long, over the limit template_chars=40"]),
    ("time", ["--timeout", "1", "--limit", "template_loops=100000000000"], None, LOOP_FOREVER, 5,
     ["rendering took longer than 1 s, over the limit timeout=1", "--timeout SECONDS"]),
    ("memory", ["--max-memory-mb", "600", "--limit", "template_chars=100000000000"], None,
     "<p>{{ ('x' * 1500000000)|length }}</p>\n", 5, ["ran out of memory, over the limit memory_mb=600"]),
    ("unknown-limit", ["--limit", "pgaes=3"], None, None, 2, ["unknown limit 'pgaes'", "did you mean pages"]),
    ("limit-not-number", ["--limit", "pages=many"], None, None, 2, ["'many' is not a number"]),
    ("limit-zero", ["--limit", "pages=0"], None, None, 2, ["must be positive"]),
    ("limit-no-equals", ["--limit", "pages"], None, None, 2, ["expected NAME=VALUE"]),
    ("allow-root-missing", ["--allow-root", "/no/such/folder"], None, None, 2, ["--allow-root must name an existing folder"]),
    ("raised-limit-builds", ["--limit", "sections=10", "--limit", "pages=5"], None, None, 0, []),
]
PAGE_BREAK_BRIEF = None


@pytest.mark.parametrize(("name", "args", "brief_text", "template", "code", "fragments"), CASES,
                         ids=[c[0] for c in CASES])
def test_limit(name: str, args: list[str], brief_text: str | None, template: str | None, code: int,
               fragments: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
               capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    monkeypatch.chdir(tmp_path)
    if name == "pages":
        brief_text = (make_project(tmp_path).read_text(encoding="utf-8")
                      + "  - page_break: true\n  - text: 第二页。\n")
    got, lines, out = _build(tmp_path, args, capsys, brief_text, template)
    shown = "\n".join(lines)
    assert got == code, shown
    for fragment in fragments:
        assert fragment in shown, shown
    if code:
        errors = error_lines("\n".join(lines))
        assert len([e for e in errors if "over the limit" in e or code == 2]) >= 1, shown
        assert (out / "brief.pdf").read_bytes() == OLD and (out / "brief.docx").read_bytes() == OLD
    else:
        assert (out / "brief.pdf").read_bytes() != OLD


def test_default_input_size_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                  capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    brief = make_project(tmp_path)
    pack = tmp_path / "sources" / "pack.yaml"
    with pack.open("a", encoding="utf-8") as fh:
        fh.write("# " + "x" * (Limits.input_bytes + 10) + "\n")
    code = main(["build", str(brief), "-o", str(tmp_path / "output"), "-j", "1"])
    err = "\n".join(clean_lines(capsys.readouterr().err))
    assert code == 5, err
    assert f"over the limit input_bytes={Limits.input_bytes}" in err


@pytest.mark.slow  # a batch run with a timeout
def test_batch_one_brief_times_out_others_build(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    brief = make_project(tmp_path)
    (tmp_path / "templates" / "slow.xml.j2").write_text(LOOP_FOREVER, encoding="utf-8")
    text = brief.read_text(encoding="utf-8")
    (tmp_path / "briefs" / "a.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "briefs" / "b.yaml").write_text(text.replace("user.xml.j2", "slow.xml.j2"), encoding="utf-8")
    brief.unlink()
    out = tmp_path / "output"
    # fonts prepared first (an empty font cache converts glyphs inside the timed render)
    assert main(["build", str(tmp_path / "briefs" / "a.yaml"), "-o", str(tmp_path / "warm"), "-j", "1"]) == 0
    capsys.readouterr()
    code = main(["build", str(tmp_path / "briefs"), "-o", str(out), "-j", "1", "--timeout", "20",
                 "--limit", "template_loops=100000000000"])
    err = "\n".join(clean_lines(capsys.readouterr().err))
    assert code == 5, err
    assert "b.yaml: rendering took longer than 20 s, over the limit timeout=20" in err
    assert (out / "a.pdf").is_file() and (out / "a.docx").is_file()
    assert not (out / "b.pdf").exists() and not (out / "b.docx").exists()


def test_limit_parsing_and_policy_round_trip(monkeypatch: pytest.MonkeyPatch) -> None:
    assert parse_limit("pages=500") == ("pages", 500)
    assert parse_limit("timeout=2.5") == ("timeout", 2.5)
    lim = with_limits(Limits(), ["table-rows=9", "cell_chars=3"])
    assert (lim.table_rows, lim.cell_chars) == (9, 3)
    policy = Policy(lim, strict=True, allow_roots=("/srv/x",), isolate=True)
    assert Policy.from_env(policy.to_env()) == policy
    monkeypatch.setenv(ENV_VAR, policy.to_env())
    assert current() == policy
    monkeypatch.setenv(ENV_VAR, "{not json")
    assert current() == Policy()
