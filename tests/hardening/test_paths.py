"""Path escapes: every input path resolves inside the brief's allowed roots; links out, devices and FIFOs are refused.

Each case changes the corpus project (links, FIFOs, files outside it), then builds through the
CLI, audited (``auditrun.py``: no file outside the roots is ever opened): refused inputs fail with a located one-line error naming the path, without hanging on a
FIFO and without touching the earlier outputs; allowed ones (links inside the project,
``--allow-root``) build.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from hardkit import (
    BASE,
    LOCATED,
    OLD,
    clean_lines,
    error_lines,
    make_project,
    network_use,
    outside,
    run_audited,
    seed_old_outputs,
    system_read_roots,
)

pytestmark = pytest.mark.slow  # every case is built in an audited subprocess

BRIEF_HEAD = """title: 路径简报
unit: 测试办公室
date: 2024-05-10
"""
BLOCKS = """blocks:
  - section: overview
"""


@dataclass
class PathCase:
    """A project change plus the brief lines that use it, and the expected result."""

    name: str
    setup: Callable[[Path, Path], str]  # (project, outside) → brief lines (sources/theme/templates/…)
    exit: int = 3
    expect: list[str] = field(default_factory=list)
    at: str = ""
    args: Callable[[Path, Path], list[str]] = lambda proj, outside: []
    blocks: str = BLOCKS


def _src(ref: str) -> str:
    return f"sources:\n  p: {ref}\n"


def _outside_pack(outside: Path) -> Path:
    p = outside / "pack.yaml"
    shutil.copy(BASE / "pack.yaml", p)
    return p


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _theme_file(proj: Path, body: str) -> str:
    (proj / "themes" / "t.yaml").write_text(body, encoding="utf-8")
    return _src("../sources/pack.yaml") + "theme: ../themes/t.yaml\n"


def _template_link(proj: Path, target: str) -> str:
    (proj / "templates" / "evil.xml.j2").symlink_to(target)
    return _src("../sources/pack.yaml") + "templates: [../templates]\n"


CASES: list[PathCase] = [
    PathCase("source-absolute-etc-passwd", lambda p, o: _src("/etc/passwd"),
             expect=["sources.p: source pack /etc/passwd is outside the allowed folders", "--allow-root"],
             at="brief.yaml:5"),
    PathCase("source-dotdot-escape", lambda p, o: _src("../../../../../../../../etc/passwd"),
             expect=["outside the allowed folders"], at="brief.yaml:5"),
    PathCase("source-outside-project", lambda p, o: _src(str(_outside_pack(o))),
             expect=["outside the allowed folders"], at="brief.yaml:5"),
    PathCase("source-allowed-by-allow-root", lambda p, o: _src(str(_outside_pack(o))), exit=0,
             args=lambda p, o: ["--allow-root", str(o)]),
    PathCase("source-dev-zero", lambda p, o: _src("/dev/zero"), expect=["outside the allowed folders"]),
    PathCase("source-dev-zero-allowed-root", lambda p, o: _src("/dev/zero"),
             args=lambda p, o: ["--allow-root", "/dev"], expect=["not a regular file"]),
    PathCase("source-fifo-in-project", lambda p, o: _src(str(_fifo(p / "sources" / "fifo.yaml"))),
             expect=["not a regular file (devices, FIFOs and sockets are refused)"], at="brief.yaml:5"),
    PathCase("source-symlink-out", lambda p, o: (
        (p / "sources" / "link.yaml").symlink_to("/etc/passwd"), _src("../sources/link.yaml"))[1],
        expect=["through a symbolic link, to /etc/passwd"], at="brief.yaml:5"),
    PathCase("source-symlink-to-outside-pack", lambda p, o: (
        (p / "sources" / "link.yaml").symlink_to(_outside_pack(o)), _src("../sources/link.yaml"))[1],
        expect=["through a symbolic link"]),
    PathCase("source-symlink-inside-project", lambda p, o: (
        (p / "sources" / "link.yaml").symlink_to(p / "sources" / "pack.yaml"),
        _src("../sources/link.yaml"))[1], exit=0),
    PathCase("source-symlinked-folder-out", lambda p, o: (
        _outside_pack(o), (p / "sources" / "ext").symlink_to(o), _src("../sources/ext/pack.yaml"))[2],
        expect=["outside the allowed folders"]),
    PathCase("source-is-folder", lambda p, o: _src("../sources"), expect=["is a folder"]),
    PathCase("source-missing", lambda p, o: _src("../sources/nope.yaml"), expect=["source pack not found"]),
    PathCase("source-proc-self-environ", lambda p, o: _src("/proc/self/environ"),
             expect=["outside the allowed folders"]),
    PathCase("theme-absolute-outside", lambda p, o: (
        (o / "t.yaml").write_text("extends: gongwen\nname: x\n"), _src("../sources/pack.yaml")
        + f"theme: {o / 't.yaml'}\n")[1], expect=["theme: theme file", "outside the allowed folders"],
        at="brief.yaml:6"),
    PathCase("theme-extends-outside", lambda p, o: (
        (o / "base.yaml").write_text("extends: gongwen\nname: x\n"),
        _theme_file(p, f"extends: {o / 'base.yaml'}\nname: t\n"))[1],
        expect=["outside the allowed folders"]),
    PathCase("theme-extends-dotdot", lambda p, o: _theme_file(p, "extends: ../../../../../../etc/x.yaml\nname: t\n"),
             expect=["outside the allowed folders"]),
    PathCase("theme-extends-fifo", lambda p, o: (
        _fifo(p / "themes" / "f.yaml"), _theme_file(p, "extends: f.yaml\nname: t\n"))[1],
        expect=["not a regular file"]),
    PathCase("theme-is-fifo", lambda p, o: (
        _fifo(p / "themes" / "t2.yaml"), _src("../sources/pack.yaml") + "theme: ../themes/t2.yaml\n")[1],
        expect=["not a regular file"], at="brief.yaml:6"),
    PathCase("theme-font-file-etc", lambda p, o: _theme_file(
        p, "extends: gongwen\nname: t\nfont_files:\n  fangsong: /etc/passwd\n"),
        expect=["font_files.fangsong", "outside the allowed folders"], at="brief.yaml:6"),
    PathCase("theme-font-file-fifo", lambda p, o: (
        _fifo(p / "themes" / "font.ttf"),
        _theme_file(p, f"extends: gongwen\nname: t\nfont_files:\n  heiti: {p / 'themes' / 'font.ttf'}\n"))[1],
        expect=["font_files.heiti", "not a regular file"]),
    PathCase("theme-font-file-dev-urandom", lambda p, o: _theme_file(
        p, "extends: gongwen\nname: t\nfont_files:\n  kaiti: /dev/urandom#0\n"),
        expect=["font_files.kaiti", "outside the allowed folders"]),
    PathCase("templates-folder-outside", lambda p, o: _src("../sources/pack.yaml") + f"templates: [{o}]\n",
             expect=["templates[0]: template folder", "outside the allowed folders"], at="brief.yaml:6"),
    PathCase("templates-folder-dotdot", lambda p, o: _src("../sources/pack.yaml") + "templates: [../../../../../etc]\n",
             expect=["outside the allowed folders"]),
    PathCase("templates-folder-symlink-out", lambda p, o: (
        (p / "tlink").symlink_to(o), _src("../sources/pack.yaml") + "templates: [../tlink]\n")[1],
        expect=["outside the allowed folders"]),
    PathCase("template-file-link-to-passwd", lambda p, o: _template_link(p, "/etc/passwd"),
             expect=["template folder entry", "evil.xml.j2 is a link to /etc/passwd"], at="brief.yaml:6"),
    PathCase("template-fifo-in-folder", lambda p, o: (
        _fifo(p / "templates" / "hang.xml.j2"), _src("../sources/pack.yaml") + "templates: [../templates]\n")[1],
        expect=["hang.xml.j2 is not a regular file"]),
    PathCase("template-link-out-of-folder-used", lambda p, o: _template_link(p, str(p / "briefs" / "brief.yaml")),
             blocks="blocks:\n  - section: overview\n    template: evil.xml.j2\n",
             expect=["is a link out of its folder"]),
    PathCase("template-link-inside-folder", lambda p, o: _template_link(p, "user.xml.j2"), exit=0,
             blocks="blocks:\n  - section: overview\n    template: evil.xml.j2\n"),
    PathCase("output-target-symlink-out", lambda p, o: (
        (p / "output" / "brief.pdf").unlink(), (p / "output" / "brief.pdf").symlink_to(o / "stolen.pdf"),
        _src("../sources/pack.yaml"))[2], expect=["output name 'brief.pdf' escapes the output folder"]),
    PathCase("output-target-symlink-inside", lambda p, o: (
        (p / "output" / "brief.pdf").unlink(), (p / "output" / "brief.pdf").symlink_to(p / "output" / "x.pdf"),
        _src("../sources/pack.yaml"))[2], exit=4, expect=["symbolic link; refusing to write through it"]),
    PathCase("output-subfolder-symlink-out", lambda p, o: (
        (p / "output" / "sub").symlink_to(o), _src("../sources/pack.yaml") + 'output: "sub/{slug}.{ext}"\n')[1],
        expect=["escapes the output folder"]),
    PathCase("output-target-is-folder", lambda p, o: (
        (p / "output" / "brief.docx").unlink(), (p / "output" / "brief.docx").mkdir(),
        _src("../sources/pack.yaml"))[2], exit=4, expect=["output path is a directory"]),
]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every case set up in its own project, then all built in audited subprocesses; by case name."""
    base = tmp_path_factory.mktemp("paths")
    jobs: list[dict[str, object]] = []
    for case in CASES:
        proj, outside_dir = base / case.name / "proj", base / case.name / "outside"
        proj.mkdir(parents=True)
        outside_dir.mkdir()
        brief = make_project(proj)
        seed_old_outputs(proj / "output")
        brief.write_text(BRIEF_HEAD + case.setup(proj, outside_dir) + case.blocks, encoding="utf-8")
        argv = ["build", str(brief), "-o", str(proj / "output"), "-j", "1", "--no-isolate",
                *case.args(proj, outside_dir)]
        jobs.append({"id": case.name, "cwd": str(proj), "argv": argv})
    out = run_audited(jobs, base / "_run")
    for job in jobs:
        argv = list(job["argv"])  # type: ignore[call-overload]
        extra = [argv[i + 1] for i, a in enumerate(argv) if a == "--allow-root"]
        out[str(job["id"])]["roots"] = [str(Path(str(job["cwd"])).resolve()), *extra]
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_path_case(case: PathCase, results: dict[str, Any]) -> None:
    res = results[case.name]
    proj = Path(res["roots"][0])
    outside_dir = proj.parent / "outside"
    err = res["stderr"]
    shown = "\n".join(clean_lines(err))
    assert "Traceback" not in err and "internal error" not in err, err
    assert res["code"] == case.exit, shown
    stray = outside(res["opens"], [*res["roots"], *system_read_roots()])
    assert not stray, f"opened outside the allowed roots: {stray}"
    assert not network_use(res["network"])
    if case.exit == 0:
        assert (proj / "output" / "brief.pdf").read_bytes() != OLD
        return
    errors = error_lines(err)
    assert errors and all(LOCATED.match(ln) for ln in errors), shown
    for fragment in case.expect:
        assert fragment in shown, shown
    if case.at:
        assert f"/{case.at}" in shown, shown
    for name in ("brief.docx", "brief.pdf"):
        p = proj / "output" / name
        if p.is_file() and not p.is_symlink():
            assert p.read_bytes() == OLD
    assert not list(outside_dir.glob("stolen*"))
