"""The adversarial corpus through ``-f html``: every succeeding case renders its hostile text literally, and nothing in the page can run.

Each case that builds (exit 0) is built again with ``-f html`` under the same audit hook as
``test_corpus.py`` (no network, no process but font discovery, no file outside the allowed roots).
Then each page is read twice: strictly parsed as HTML5, and opened in headless chromium with
JavaScript on and the page's Content-Security-Policy bypassed, so the CSP cannot hide a payload:
the live DOM has no script, event-handler attribute, ``javascript:`` URL or embedding element,
no dialog opens, nothing is logged or fetched, and every ``literal`` of the case is in the
page's visible text (page-number formats: in the text of the page printed from chromium).
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import html5lib
import pytest
from hardkit import (
    CORPUS,
    corpus_cases,
    install,
    load_case,
    network_use,
    outside,
    run_audited,
    system_read_roots,
)
from pypdf import PdfReader

from browserkit import browser, squash

pytestmark = pytest.mark.slow
CASES = [p for p in corpus_cases() if load_case(p).exit == 0]
IDS = [p.relative_to(CORPUS).as_posix() for p in CASES]

# Everything in the live DOM through which a page could run code or load something.
DOM_CHECK = """() => {
  const bad = [];
  const tags = "script,iframe,frame,object,embed,applet,base,link,form,meta[http-equiv],img,video,audio,source," +
               "animate,set,animateTransform,animateMotion,foreignObject,use,image,a[href]:not([href^='#'])";
  for (const el of document.querySelectorAll(tags)) {
    if (el.matches("meta[http-equiv='Content-Security-Policy']")) continue;
    bad.push(el.tagName);
  }
  for (const el of document.querySelectorAll("*")) {
    for (const a of el.attributes) {
      const v = a.value.trim().toLowerCase();
      if (a.name.toLowerCase().startsWith("on") || /^(javascript|vbscript|data):/.test(v) && a.name !== "content")
        bad.push(el.tagName + "@" + a.name);
    }
  }
  return bad;
}"""
TRAP = """for (const f of ["alert", "confirm", "prompt", "print", "open", "fetch"]) {
  window[f] = function () { window.__ran = (window.__ran || []).concat(f); };
}"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    base = tmp_path_factory.mktemp("html-corpus")
    jobs: list[dict[str, object]] = []
    for n, (path, cid) in enumerate(zip(CASES, IDS, strict=True)):
        root = base / f"c{n:03d}"
        brief = install(load_case(path), root)
        jobs.append({"id": cid, "cwd": str(root), "argv": [
            "build", str(brief), "-o", str(root / "output"), "-j", "1", "--no-isolate", "-f", "html",
            *load_case(path).args]})
    out = run_audited(jobs, base / "_run")
    for job in jobs:
        out[str(job["id"])]["root"] = job["cwd"]
    return out


def test_corpus_has_succeeding_cases() -> None:
    assert len(CASES) >= 50


def test_html_builds_audited(built: dict[str, Any]) -> None:
    for cid, res in built.items():
        assert res["code"] == 0, f"{cid}: exit {res['code']}: {res['stderr'][-2000:]}"
        assert "Traceback" not in res["stderr"], cid
        assert not network_use(res["network"]), f"{cid}: network use {res['network']}"
        assert all("fc-list" in p for p in res["processes"]), f"{cid}: started {res['processes']}"
        stray = outside(res["opens"], [str(Path(res["root"]).resolve()), *system_read_roots()])
        assert not stray, f"{cid}: opened outside the allowed roots: {stray}"
        page = Path(res["root"]) / "output" / "brief.html"
        html5lib.HTMLParser(strict=True).parse(page.read_text(encoding="utf-8"))


def test_nothing_runs_and_the_text_is_literal(built: dict[str, Any]) -> None:
    with browser() as chromium:
        context = chromium.new_context(bypass_csp=True, java_script_enabled=True)
        context.add_init_script(TRAP)
        page = context.new_page()
        events: list[str] = []
        page.on("dialog", lambda d: (events.append(f"dialog {d.message}"), d.dismiss()))
        page.on("console", lambda m: events.append(f"console {m.type}: {m.text}"))
        page.on("pageerror", lambda e: events.append(f"pageerror {e}"))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        for path, cid in zip(CASES, IDS, strict=True):
            html = Path(built[cid]["root"]) / "output" / "brief.html"
            events.clear()
            requests.clear()
            page.goto(html.as_uri(), wait_until="load")
            page.wait_for_timeout(50)
            assert page.evaluate(DOM_CHECK) == [], cid
            assert page.evaluate("window.__ran || []") == [], cid
            assert events == [], f"{cid}: {events}"
            assert requests == [html.as_uri()], f"{cid}: {requests}"
            visible = squash(page.evaluate("document.body.innerText"))
            missing = [t for t in load_case(path).literal if squash(t) not in visible]
            if missing:  # page-number formats appear only when printed (@page margin boxes)
                printed = squash("".join(p.extract_text() for p in PdfReader(io.BytesIO(page.pdf())).pages))
                assert all(squash(t) in printed for t in missing), f"{cid}: {missing} neither shown nor printed"
        context.close()
