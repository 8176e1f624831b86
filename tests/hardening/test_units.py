"""Unit checks of the hardening building blocks: confined reads, output names, the tree scrub, child renders."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hardkit import clean_lines, make_project

from briefgen.batch.isolate import run_limited
from briefgen.cli import main
from briefgen.errors import BriefError, InputIOError, LimitError
from briefgen.inputs import confine, textsafe
from briefgen.inputs.limits import ENV_VAR
from briefgen.pipeline.guard import expand_output
from briefgen.tree import Document, Heading, Metadata, Paragraph, Span, Table, TableCell


def test_read_bytes_refuses_fifo_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.yaml"
    os.mkfifo(fifo)
    with pytest.raises(InputIOError, match="not a regular file"):
        confine.read_bytes(fifo, 1000)


def test_read_bytes_refuses_devices_and_size(tmp_path: Path) -> None:
    with pytest.raises(InputIOError, match="not a regular file"):
        confine.read_bytes(Path("/dev/zero"), 1000)
    big = tmp_path / "big.yaml"
    big.write_bytes(b"x" * 2000)
    with pytest.raises(LimitError, match="over the limit input_bytes=1000"):
        confine.read_bytes(big, 1000)


def test_scope_confines_reads_and_follows_links(tmp_path: Path) -> None:
    proj = tmp_path / "proj"
    (proj / "briefs").mkdir(parents=True)
    spec = proj / "briefs" / "b.yaml"
    spec.write_text("title: x\n")
    (proj / "briefs" / "out.yaml").symlink_to("/etc/hostname")
    secret = tmp_path / "secret.yaml"
    secret.write_text("a: b\n")
    assert confine.project_root(proj / "briefs") == proj
    with confine.scope(spec) as roots:
        assert str(proj) in roots.folders
        assert confine.read_bytes(spec, 100) == b"title: x\n"
        with pytest.raises(BriefError, match="outside the allowed folders"):
            confine.read_bytes(secret, 100)
        with pytest.raises(BriefError, match="through a symbolic link"):
            confine.read_bytes(proj / "briefs" / "out.yaml", 100)
    assert confine.read_bytes(secret, 100) == b"a: b\n"  # no scope, no confinement


def test_expand_output_plain_placeholders_only() -> None:
    values = {"slug": "s", "ext": "pdf", "date": "2024-05-10"}
    assert expand_output("{date}/{slug}.{ext}", values) == "2024-05-10/s.pdf"
    assert expand_output("{{x}}-{slug}.{ext}", values) == "{x}-s.pdf"
    for bad in ("{slug.__class__}.{ext}", "{slug[0]}.{ext}", "{slug!r}.{ext}", "{slug:>9}.{ext}", "{0}", "{x}"):
        with pytest.raises(ValueError):
            expand_output(bad, values)


def test_scrub_reaches_every_string_of_the_tree() -> None:
    doc = Document(Metadata(title="t\x01", subject="s\ud800", keywords=["k\u202e"]), [
        Heading(1, (Span("h\x0b", strong=True),), label="一\x02"),
        Paragraph((Span("p\x1b"),)),
        Table([[TableCell("c\x00")]], caption="cap\ufffe"),
    ])
    issues = textsafe.scrub(doc)
    assert len(issues) == 8
    assert doc.meta.title == "t〓" and doc.meta.subject == "s〓" and doc.meta.keywords == ["k[U+202E]"]
    h = doc.blocks[0]
    assert isinstance(h, Heading) and h.inlines[0] == Span("h〓", strong=True) and h.label == "一〓"
    assert textsafe.scrub(doc) == []


def _sleep(seconds: float) -> float:
    import time

    time.sleep(seconds)
    return seconds


def _crash(_: object) -> None:
    os._exit(9)


def _fail(_: object) -> None:
    raise BriefError.at("bad input", file="x.yaml", line=2, col=3)


def test_run_limited_results_errors_and_crashes() -> None:
    assert run_limited(_sleep, 0.01, timeout=10) == 0.01
    with pytest.raises(LimitError, match="longer than 0.5 s, over the limit timeout=0.5"):
        run_limited(_sleep, 30, timeout=0.5)
    with pytest.raises(BriefError) as ei:
        run_limited(_fail, None)
    assert str(ei.value) == "x.yaml:2:3: bad input [E-INPUT]" and ei.value.exit_code == 3
    with pytest.raises(BriefError, match="rendering process died") as ei:
        run_limited(_crash, None, label="c.yaml")
    assert ei.value.exit_code == 70


def test_check_command_isolates_too(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    brief = make_project(tmp_path)
    (tmp_path / "templates" / "user.xml.j2").write_text(
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}<p>x</p>\n",
        encoding="utf-8")
    code = main(["check", str(brief), "-o", str(tmp_path / "output"), "--timeout", "1",
                 "--limit", "template_loops=100000000000"])
    err = "\n".join(clean_lines(capsys.readouterr().err))
    assert code == 5, err
    assert "over the limit timeout=1" in err
