"""``briefgen preview`` as a user meets it: a real server process, headless chromium, edits to the brief on disk."""

from __future__ import annotations

import json
import re
import socket
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from previewkit import REPO, copy_project, preview

from browserkit import artefact, browser

pytestmark = pytest.mark.slow
pytest.importorskip("uvicorn")
pytest.importorskip("pypdfium2")
EXAMPLES = sorted((REPO / "briefs").glob("*.yaml"))
DEADLINE = 30.0  # generous: first builds load fonts; the measured latency is recorded, not asserted


def raw_get(url: str, path: str, host: str | None = None) -> tuple[int, bytes]:
    """A request sent byte for byte (no client-side path normalisation): status and body."""
    u = urlsplit(url)
    with socket.create_connection((u.hostname, u.port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: {host or u.netloc}\r\nConnection: close\r\n\r\n".encode())
        data = b""
        while chunk := s.recv(65536):
            data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def listening_addresses(port: int) -> list[str]:
    """Local addresses (hex, as in /proc/net/tcp*) listening on ``port``."""
    out = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        try:
            rows = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for row in rows:
            local, state = row.split()[1], row.split()[3]
            addr, _, p = local.rpartition(":")
            if int(p, 16) == port and state == "0A":  # LISTEN
                out.append(addr)
    return out


def doc_title(page: Any) -> str:
    frame = page.frame_locator("#doc")
    return str(frame.locator("h1").first.text_content(timeout=DEADLINE * 1000))


def wait_until(check: Any, what: str, deadline: float = DEADLINE) -> float:
    """Poll ``check()`` until it is true; seconds it took (fails after ``deadline``)."""
    t0 = time.monotonic()
    while True:
        try:
            if check():
                return time.monotonic() - t0
        except Exception:  # noqa: BLE001 - frame swapping in and out while polling
            pass
        if time.monotonic() - t0 > deadline:
            pytest.fail(f"timed out waiting for {what}")
        time.sleep(0.05)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return copy_project(tmp_path / "proj")


def test_refuses_foreign_hosts_and_paths_and_listens_on_loopback_only(project: Path) -> None:
    spec = project / "briefs" / "wujiang-pillars-jianbao.yaml"
    with preview(spec) as server:
        port = urlsplit(server.url).port
        assert server.url == f"http://127.0.0.1:{port}/"
        assert raw_get(server.url, "/")[0] == 200
        for path in ("/../../etc/passwd", "/..%2f..%2fetc%2fpasswd", "/page/../../../etc/passwd", "/static/"):
            status, body = raw_get(server.url, path)
            assert status in (400, 404) and b"root:" not in body, path
        assert raw_get(server.url, "/", host="evil.example")[0] == 400
        assert raw_get(server.url, "/", host=f"evil.example:{port}")[0] == 400
        assert port is not None and listening_addresses(port) == ["0100007F"]  # 127.0.0.1, nothing else
        assert server.interrupt() == 0


def test_edits_update_the_page_and_errors_show_over_the_last_good_render(project: Path) -> None:
    spec = project / "briefs" / "wujiang-pillars-jianbao.yaml"
    original = spec.read_text(encoding="utf-8")
    title = re.search(r"^title: (.*)$", original, re.M)
    assert title is not None
    line_no = original[: title.start()].count("\n") + 1
    with preview(spec) as server, browser() as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        console: list[str] = []
        requests: list[str] = []
        page.on("console", lambda m: console.append(f"{m.type}: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: console.append(str(e)))
        page.on("request", lambda r: requests.append(r.url))
        page.goto(server.url)
        wait_until(lambda: doc_title(page) == title.group(1), "the first render")
        page.evaluate("window.__notReloaded = true")

        # 1. a good edit: the new title appears without a reload
        t0 = time.monotonic()
        spec.write_text(original.replace(title.group(0), "title: 预览测试新标题", 1), encoding="utf-8")
        wait_until(lambda: doc_title(page) == "预览测试新标题", "the edited title")
        latency = time.monotonic() - t0
        assert page.evaluate("window.__notReloaded === true")

        # 2. a broken edit: the located message and the offending line; the last good render stays
        spec.write_text(original.replace(title.group(0), "title: 吴江: 区", 1), encoding="utf-8")
        wait_until(lambda: page.locator("#errors").is_visible(), "the error panel")
        message = page.locator("#errors .msg").first.text_content()
        assert message is not None and "YAML" in message
        shown = message.split(f":{line_no}:")[0]  # paths are shown relative to the server's folder
        assert ":" in message and shown in (str(spec), str(spec.relative_to(project))), message
        assert page.locator("#errors .at").first.text_content() == f"{line_no}title: 吴江: 区\n"
        assert doc_title(page) == "预览测试新标题"
        assert page.locator("#pages img").count() >= 2
        page.screenshot(path=str(artefact("preview-error-panel.png")))

        # 3. fixed again: the panel goes, the page follows
        spec.write_text(original, encoding="utf-8")
        wait_until(lambda: not page.locator("#errors").is_visible() and doc_title(page) == title.group(1),
                   "recovery")

        # 4. an edit to the source pack the brief reads counts too
        pack = project / "sources" / "wujiang-2022-09-23.yaml"
        pack.write_text(pack.read_text(encoding="utf-8").replace("以亨通集团党建工作为样板", "以某集团党建工作为样板"),
                        encoding="utf-8")
        wait_until(lambda: "以某集团党建工作为样板" in str(page.frame_locator("#doc").locator("body").inner_text()),
                   "the edited pack text")
        assert page.evaluate("window.__notReloaded === true")
        assert console == []
        assert all(urlsplit(u).netloc == urlsplit(server.url).netloc for u in requests), requests
        artefact("preview-latency.json").write_text(json.dumps({"title_edit_to_page_seconds": round(latency, 3)}))
        assert server.interrupt() == 0  # Ctrl-C with the event stream still open
        page.wait_for_timeout(300)
        rest = server.output()
        assert "Traceback" not in rest and "Error" not in rest, rest
        page.close()


def test_open_launches_the_browser_on_the_url(project: Path, tmp_path: Path) -> None:
    marker = tmp_path / "opened.txt"
    opener = tmp_path / "opener.py"
    opener.write_text(f"import pathlib, sys\npathlib.Path({str(marker)!r}).write_text(sys.argv[1])\n")
    spec = project / "briefs" / "wujiang-pillars-jianbao.yaml"
    with preview(spec, "--open", env={"BROWSER": f"{sys.executable} {opener} %s"}) as server:
        wait_until(lambda: marker.is_file() and marker.read_text() == server.url, "the browser launch")
        assert server.interrupt() == 0


@pytest.mark.parametrize("spec", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_preview_screenshot(spec: Path, project: Path) -> None:
    copy = project / "briefs" / spec.name
    with preview(copy) as server, browser() as chromium:
        page = chromium.new_page(viewport={"width": 1400, "height": 1000})
        page.goto(server.url)
        wait_until(lambda: page.evaluate("document.body.dataset.version") == "1", "the first build")
        assert not page.locator("#errors").is_visible()
        wait_until(lambda: page.evaluate(  # the first page image (the others load lazily, on scrolling)
            "document.images.length > 0 && document.images[0].complete && document.images[0].naturalWidth > 0"),
            "the first page image")
        wait_until(lambda: doc_title(page) != "", "the HTML")
        page.screenshot(path=str(artefact(f"preview-{spec.stem}.png")))
        page.close()
