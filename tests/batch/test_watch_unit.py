"""Unit tests of batch.watch: which files are watched, snapshots that see edits, one rebuild round."""

from __future__ import annotations

import io
import shutil
import threading
import time
from pathlib import Path

from briefgen.batch.logs import Reporter
from briefgen.batch.watch import snapshot, watch, watch_set
from briefgen.errors import EXIT_OK

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"


def _mini(tmp: Path) -> Path:
    shutil.copy(FIXTURES / "mini-pack.yaml", tmp / "mini-pack.yaml")
    shutil.copy(FIXTURES / "mini-brief.yaml", tmp / "brief.yaml")
    (tmp / "tpl").mkdir()
    with (tmp / "brief.yaml").open("a", encoding="utf-8") as fh:
        fh.write("templates: [tpl]\n")
    return tmp / "brief.yaml"


def test_watch_set_holds_spec_pack_and_template_folders(tmp_path: Path) -> None:
    spec = _mini(tmp_path)
    files, folders = watch_set(spec, [])
    names = {f.name for f in files}
    assert {"brief.yaml", "mini-pack.yaml"} <= names
    assert (tmp_path / "tpl").resolve() in folders
    assert all(f.is_dir() for f in folders)
    spec.write_text("title: [broken\n", encoding="utf-8")
    kept, kept_folders = watch_set(spec, [], (files, folders))  # keeps watching while it fails
    assert set(files) <= set(kept) and kept_folders == folders


def test_snapshot_sees_edits_new_templates_and_deletions(tmp_path: Path) -> None:
    spec = _mini(tmp_path)
    files, folders = watch_set(spec, [])
    s0 = snapshot(files, folders)
    assert snapshot(files, folders) == s0
    (tmp_path / "tpl" / "section.xml.j2").write_text("x", encoding="utf-8")
    s1 = snapshot(files, folders)
    assert s1 != s0
    (tmp_path / "mini-pack.yaml").unlink()
    s2 = snapshot(files, folders)
    assert s2[str((tmp_path / "mini-pack.yaml").resolve())] is None


def test_watch_builds_then_rebuilds_after_an_edit(tmp_path: Path) -> None:
    spec = _mini(tmp_path)
    out = tmp_path / "out"
    stdout, stderr = io.StringIO(), io.StringIO()
    reporter = Reporter(stderr, interactive=True, out=stdout)

    def edit() -> None:  # after the first build, so the edit is always a change to see
        end = time.monotonic() + 120
        while "watching " not in stdout.getvalue() and time.monotonic() < end:
            time.sleep(0.02)
        spec.write_text(spec.read_text(encoding="utf-8").replace("示例县基层治理简报", "改后的简报"),
                        encoding="utf-8")

    t = threading.Thread(target=edit)
    t.start()
    try:
        code = watch(spec, out, ["docx"], [], reporter, interval=0.05, max_rounds=1)
    finally:
        t.join()
    assert code == EXIT_OK
    lines = stdout.getvalue().splitlines()
    assert lines[0].startswith(f"start: built {spec}")
    assert lines[1].startswith("watching ")
    assert lines[2].startswith(f"change: built {spec}")
    assert (out / "brief.docx").is_file()
