"""The adversarial corpus: every case builds through the CLI with the exit code, messages and outputs it declares.

Each file in ``corpus/<class>/`` replaces one file of a small project (brief, source pack, theme or
user template; see ``hardkit.py``). All cases run once, in two subprocesses under an audit hook
(``auditrun.py``). For every case: the exit code is the documented one; no traceback; input
errors are one-line ``file:line[:col]: …`` messages; a failing build leaves the earlier outputs
byte-for-byte unchanged; a succeeding one has every ``literal`` text in both the DOCX (``w:t``)
and the PDF text layer, and every expected ``warn`` line; and the build used no network, started
no process except font discovery's, and opened no file outside the project, Python's
installation, the font folders and the font cache.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from hardkit import (
    CORPUS,
    LOCATED,
    OLD,
    clean_lines,
    corpus_cases,
    docx_text,
    error_lines,
    install,
    load_case,
    network_use,
    outside,
    pdf_text,
    run_audited,
    seed_old_outputs,
    squash,
    system_read_roots,
)

pytestmark = pytest.mark.slow  # every corpus case is built in an audited subprocess

CASES = corpus_cases()
IDS = [p.relative_to(CORPUS).as_posix() for p in CASES]


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every case installed in its own project and built (audited); by case id."""
    base = tmp_path_factory.mktemp("corpus")
    jobs: list[dict[str, object]] = []
    for n, (path, cid) in enumerate(zip(CASES, IDS, strict=True)):
        case = load_case(path)
        root = base / f"c{n:03d}"
        brief = install(case, root)
        seed_old_outputs(root / "output")
        jobs.append({"id": cid, "cwd": str(root), "argv": [
            "build", str(brief), "-o", str(root / "output"), "-j", "1", "--no-isolate", *case.args]})
    out = run_audited(jobs, base / "_run")
    for job in jobs:
        out[str(job["id"])]["root"] = job["cwd"]
    return out


def test_corpus_is_large_and_varied() -> None:
    classes = {p.parent.name for p in CASES}
    assert len(CASES) >= 100
    assert {"yaml", "schema", "injection", "unicode", "template"} <= classes


def test_no_network_and_no_process_but_font_discovery(results: dict[str, Any]) -> None:
    for cid, res in results.items():
        assert not network_use(res["network"]), f"{cid}: network use {res['network']}"
        for proc in res["processes"]:
            assert "fc-list" in proc, f"{cid}: started {proc}"


@pytest.mark.parametrize("path", CASES, ids=IDS)
def test_case(path: Path, results: dict[str, Any]) -> None:
    case = load_case(path)
    res = results[path.relative_to(CORPUS).as_posix()]
    root = Path(res["root"])
    out = root / "output"
    err = res["stderr"]
    lines = clean_lines(err)
    shown = "\n".join(lines)
    assert "Traceback" not in err and "internal error" not in err, err
    assert res["code"] == case.exit, f"exit {res['code']}, expected {case.exit}:\n{shown}"
    stray = outside(res["opens"], [str(root.resolve()), *system_read_roots()])
    assert not stray, f"opened outside the allowed roots: {stray}"
    for w in case.warn:
        assert any(w in ln for ln in lines), f"no warning containing {w!r}:\n{shown}"
    if case.exit:
        errors = error_lines(err)
        assert errors, f"no error message:\n{shown}"
        for line in errors:
            assert LOCATED.match(line), f"not a located one-line message: {line!r}"
        if case.at:
            assert any(f"/{case.at}" in ln for ln in errors), f"no error at {case.at}:\n{shown}"
        for fragment in case.expect:
            assert any(fragment in ln for ln in errors), f"no error containing {fragment!r}:\n{shown}"
        for name in ("brief.docx", "brief.pdf"):
            assert (out / name).read_bytes() == OLD, f"{name} changed by a failed build"
        assert not [p for p in out.iterdir() if p.name.endswith(".tmp")]
        return
    docx_path, pdf_path = out / "brief.docx", out / "brief.pdf"
    assert docx_path.read_bytes() != OLD and pdf_path.read_bytes() != OLD
    docx_all, pdf_all = squash(docx_text(docx_path)), squash(pdf_text(pdf_path))
    for text in case.literal:
        want = squash(text)
        assert want in docx_all, f"{text!r} not in the DOCX text:\n{docx_all[:2000]}"
        assert want in pdf_all, f"{text!r} not in the PDF text:\n{pdf_all[:2000]}"
