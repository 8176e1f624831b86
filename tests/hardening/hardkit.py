"""Helpers for the hardening tests: corpus cases, a throw-away project, the CLI in-process, output text."""

from __future__ import annotations

import codecs
import re
import shutil
import subprocess
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

HERE = Path(__file__).resolve().parent
CORPUS = HERE / "corpus"
BASE = CORPUS / "_base"
TARGETS = {
    "brief": "briefs/brief.yaml",
    "pack": "sources/pack.yaml",
    "theme": "themes/plain.yaml",
    "template": "templates/user.xml.j2",
}
OLD = b"OLD OUTPUT\n"
_LOG_PREFIX = re.compile(r"^\d{4}-\d\d-\d\dT\S+ (?:ERROR|WARNING|INFO|DEBUG) ")
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# one located line: file:line[:col]: … (the file part has no ": ")
LOCATED = re.compile(r"^[^\s:][^:]*(?::\d+(?::\d+)?)?: \S")


@dataclass
class Case:
    """One corpus file: which project file it replaces, and what the build must do."""

    name: str
    target: str = "brief"
    content: bytes = b""
    exit: int = 0
    at: str = ""
    expect: list[str] = field(default_factory=list)
    literal: list[str] = field(default_factory=list)
    warn: list[str] = field(default_factory=list)
    args: list[str] = field(default_factory=list)
    with_theme: str = ""  # a built-in theme the project's theme file extends instead of gongwen


def load_case(path: Path) -> Case:
    """Parse a case file: ``#! key: value`` header lines, then the content (raw, or escaped bytes)."""
    raw = path.read_bytes()
    case = Case(path.relative_to(CORPUS).as_posix())
    lines = raw.split(b"\n")
    n = 0
    escaped = False
    while n < len(lines) and lines[n].startswith(b"#! "):
        key, _, value = lines[n][3:].decode("utf-8").partition(":")
        key, value = key.strip(), value.strip()
        if key == "target":
            case.target = value
        elif key == "exit":
            case.exit = int(value)
        elif key == "at":
            case.at = value
        elif key == "expect":
            case.expect.append(value)
        elif key == "literal":
            case.literal.append(value)
        elif key == "warn":
            case.warn.append(value)
        elif key == "args":
            case.args.extend(value.split())
        elif key == "with-theme":
            case.with_theme = value
        elif key == "bytes":
            escaped = value == "escaped"
        else:
            raise ValueError(f"{path}: unknown header {key!r}")
        n += 1
    body = b"\n".join(lines[n:])
    if escaped:
        body = codecs.escape_decode(body)[0]
    case.content = body
    return case


def install(case: Case, root: Path) -> Path:
    """A project for ``case`` under ``root``: the base files with the case's file in place."""
    brief = make_project(root)
    if case.with_theme:
        (root / TARGETS["theme"]).write_text(
            f"extends: {case.with_theme}\nname: plain\npunctuation:\n  normalise: false\n", encoding="utf-8")
    (root / TARGETS[case.target]).write_bytes(case.content)
    return brief


def corpus_cases() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.is_file() and "_base" not in p.parts)


def make_project(root: Path) -> Path:
    """``root/{briefs,sources,themes,templates}`` from the corpus base; the brief's path."""
    for target, rel in TARGETS.items():
        src = BASE / {"brief": "brief.yaml", "pack": "pack.yaml", "theme": "plain.yaml",
                      "template": "user.xml.j2"}[target]
        dst = root / rel
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(src, dst)
    return root / TARGETS["brief"]


def seed_old_outputs(out: Path, stem: str = "brief") -> dict[Path, bytes]:
    """Earlier 'good' outputs a failing build must leave untouched."""
    out.mkdir(parents=True, exist_ok=True)
    olds = {out / f"{stem}.docx": OLD, out / f"{stem}.pdf": OLD}
    for p, data in olds.items():
        p.write_bytes(data)
    return olds


def clean_lines(stderr: str) -> list[str]:
    """stderr lines without log timestamps/levels, font notes and empty lines."""
    out = []
    for line in stderr.splitlines():
        line = _LOG_PREFIX.sub("", line).strip()
        if not line or line.startswith(("PDF font", "briefgen build:", "fonts:")):
            continue
        out.append(line)
    return out


def error_lines(stderr: str) -> list[str]:
    return [ln for ln in clean_lines(stderr) if ": warning: " not in ln and " warning: " not in ln]


def docx_text(path: Path) -> str:
    """Every ``w:t`` of every part of a DOCX (body, headers, footers), opened by python-docx first."""
    import docx

    docx.Document(str(path))  # must open
    parts: list[str] = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            if name.startswith("word/") and name.endswith(".xml"):
                root = etree.fromstring(z.read(name))
                for el in root.iter(f"{_W}t", f"{_W}tab", f"{_W}br"):
                    parts.append(el.text or "" if el.tag == f"{_W}t" else " ")
    return "".join(parts)


def pdf_text(path: Path) -> str:
    """The PDF's text (pdftotext in content order when installed, else pypdf); the PDF must open."""
    import pypdf

    reader = pypdf.PdfReader(str(path))
    exe = shutil.which("pdftotext")
    if exe:
        res = subprocess.run([exe, "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True,
                             check=True, timeout=60)
        return res.stdout.decode("utf-8")
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def squash(text: str) -> str:
    """Text without any whitespace (line breaks and justification differ between formats)."""
    return re.sub(r"\s+", "", text)


# ---------------------------------------------------------------------------- audited runs


def run_audited(jobs: list[dict[str, object]], workdir: Path, shards: int = 2) -> dict[str, dict[str, object]]:
    """Run CLI jobs in ``shards`` subprocesses under ``auditrun.py``'s audit hook; results by job id."""
    import json
    import os
    import sys

    workdir.mkdir(parents=True, exist_ok=True)
    procs = []
    for n in range(shards):
        part = jobs[n::shards]
        if not part:
            continue
        jobs_file, results_file = workdir / f"jobs{n}.json", workdir / f"results{n}.json"
        jobs_file.write_text(json.dumps(part, ensure_ascii=False), encoding="utf-8")
        env = {k: v for k, v in os.environ.items() if k != "BRIEFGEN_POLICY"}
        procs.append((subprocess.Popen([sys.executable, str(HERE / "auditrun.py"), str(jobs_file),
                                        str(results_file)], env=env, stderr=subprocess.PIPE), results_file))
    results: dict[str, dict[str, object]] = {}
    try:
        for proc, results_file in procs:
            _, err = proc.communicate(timeout=600)
            assert proc.returncode == 0, err.decode("utf-8", "replace")
            results.update(json.loads(results_file.read_text(encoding="utf-8")))
    finally:
        for proc, _ in procs:  # a hung job (e.g. blocked on a FIFO) must not outlive the test
            if proc.poll() is None:
                proc.kill()
                proc.wait()
    return results


def system_read_roots() -> list[str]:
    """Where a build may read besides its own roots: Python's installation, fonts, the font cache."""
    import os
    import site
    import sys
    import sysconfig
    import tempfile

    import briefgen
    from briefgen.fonts.discover import cache_dir, system_font_dirs

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, *sysconfig.get_paths().values(),
             site.getusersitepackages(), str(Path(briefgen.__file__).resolve().parent),
             *(str(d) for d in system_font_dirs()), str(cache_dir()),
             str(Path(tempfile.gettempdir()) / f"briefgen-cache-{os.getuid()}")}
    try:
        from pylopdf_fonts_zh_cn import sans_path

        roots.add(str(Path(sans_path()).resolve().parent))
    except ImportError:
        pass
    # briefgen's own distribution metadata (an editable install keeps it next to the package)
    roots.update(str(p) for p in Path(briefgen.__file__).resolve().parents[1].glob("briefgen*-info"))
    # ReportLab reads (and executes) the user's own settings at import; briefgen re-applies its
    # trust settings (no hosts, no schemes) before every render
    roots.update(str(Path.home() / n) for n in (".reportlab_settings", ".reportlab_mods"))
    return sorted(os.path.realpath(r) for r in roots if r)


NETWORK_EVENTS = ("socket.connect", "socket.getaddrinfo", "socket.gethostbyname", "socket.gethostbyaddr",
                  "socket.bind", "socket.sendto", "socket.sendmsg", "socket.__new__", "socket.getnameinfo",
                  "urllib.Request", "http.client.connect", "ftplib.connect", "smtplib.connect")


def network_use(events: list[str]) -> list[str]:
    """Audit events that reach the network (``socket.gethostname`` only reads the local name)."""
    return [e for e in events if e.startswith(NETWORK_EVENTS)]


def outside(opens: list[str], roots: list[str]) -> list[str]:
    """The opened paths under none of ``roots``."""
    import os

    def inside(p: str, r: str) -> bool:
        try:
            return os.path.commonpath([p, r]) == r
        except ValueError:
            return False

    return [p for p in opens if not any(inside(p, r) for r in roots)]
