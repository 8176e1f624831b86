"""The preview's model and routes without a browser: builds, located errors with lines, page images, refused requests."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

pytest.importorskip("starlette")
pytest.importorskip("pypdfium2")

from previewkit import copy_project  # noqa: E402
from starlette.testclient import TestClient  # noqa: E402

from briefgen.errors import Problem  # noqa: E402
from briefgen.preview.server import create_app  # noqa: E402
from briefgen.preview.state import Preview, excerpt  # noqa: E402


def test_excerpt_shows_the_offending_lines_of_inputs_only(tmp_path: Path) -> None:
    f = tmp_path / "brief.yaml"
    f.write_text("a: 1\nb: 2\nc: [\nd: 4\ne: 5\nf: 6\n", encoding="utf-8")
    p = Problem("bad", str(f), 3, 4)
    got = excerpt(p, {str(f.resolve())})
    assert [(x["n"], x["text"], x["at"]) for x in got] == [
        (1, "a: 1", False), (2, "b: 2", False), (3, "c: [", True), (4, "d: 4", False), (5, "e: 5", False)]
    assert excerpt(p, set()) == []  # a file the brief does not read is never shown
    assert excerpt(Problem("bad", "/etc/passwd", 1), {str(f.resolve())}) == []


@pytest.fixture
def jianbao(tmp_path: Path) -> Path:
    return copy_project(tmp_path) / "briefs" / "wujiang-pillars-jianbao.yaml"


def test_rebuild_keeps_the_last_good_render_and_reports_located_errors(jianbao: Path) -> None:
    pv = Preview(jianbao, jianbao.parent.parent / "output", [])
    pv.rebuild()
    first = pv.snapshot_json()
    assert first["ok"] and first["version"] == 1 and first["doc"] == "/doc/1.html" and len(first["pages"]) >= 2
    html = pv.html()
    assert html is not None and "吴江区深化".encode() in html
    digest = first["pages"][0].split("/")[2]
    png = pv.page(digest, 1)
    assert png is not None and png.startswith(b"\x89PNG\r\n\x1a\n")
    assert pv.page(digest, 1) is png  # cached per page
    assert pv.page(digest, 99) is None and pv.page("0" * 16, 1) is None

    text = jianbao.read_text(encoding="utf-8")
    lines = text.splitlines()
    n = next(i for i, ln in enumerate(lines, 1) if ln.startswith("title:"))
    jianbao.write_text(text.replace(lines[n - 1], "title: 吴江: 区", 1), encoding="utf-8")
    pv.readable.add(str(jianbao.resolve()))
    pv.rebuild()
    bad = pv.snapshot_json()
    assert not bad["ok"] and bad["version"] == 2
    assert bad["doc"] == "/doc/1.html" and bad["pages"] == first["pages"]  # the last good render stays
    err = bad["errors"][0]
    assert err["message"].startswith(f"{jianbao}:{n}:") and err["line"] == n
    assert [x["text"] for x in err["excerpt"] if x["at"]] == ["title: 吴江: 区"]
    assert pv.html() == html


def test_routes_refuse_foreign_hosts_traversal_and_listing(jianbao: Path) -> None:
    pv = Preview(jianbao, jianbao.parent.parent / "output", [])
    client = TestClient(create_app(pv, threading.Event()), base_url="http://127.0.0.1:8000")
    r = client.get("/")
    assert r.status_code == 200 and "default-src 'none'" in r.headers["content-security-policy"]
    assert r.headers["x-content-type-options"] == "nosniff"
    assert client.get("/app.js").status_code == 200
    assert client.get("/doc/1.html").status_code == 404  # nothing built yet
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
    assert client.get("/", headers={"host": "evil.example:8000"}).status_code == 400
    assert client.get("/", headers={"host": "localhost:8000"}).status_code == 200
    for path in ("/../../etc/passwd", "/%2e%2e/%2e%2e/etc/passwd", "/page/..%2f..%2fetc/1.png", "/static/",
                 "/doc/", "/page/", "/app.js/../../../etc/passwd", "/index.html"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert b"root:" not in r.content
    assert client.post("/").status_code == 405


def test_isolated_builds_keep_the_run_limits(jianbao: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """With --isolate/--timeout the preview renders in a limited child: running out of time is shown, located."""
    from briefgen.inputs import limits

    policy = limits.Policy(limits.with_limits(limits.Limits(), ["timeout=0.01"]), isolate=True)
    monkeypatch.setenv(limits.ENV_VAR, policy.to_env())
    pv = Preview(jianbao, jianbao.parent.parent / "output", [])
    pv.rebuild()
    status = pv.snapshot_json()
    assert not status["ok"] and status["doc"] is None
    assert "over the limit timeout=0.01" in status["errors"][0]["message"]
