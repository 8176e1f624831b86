"""Turn a brief into a local preview web site: Starlette app, Server-Sent Events, uvicorn on 127.0.0.1.

Routes are fixed: ``/`` (the page), ``/app.js``, ``/app.css``, ``/events`` (SSE build status),
``/doc/{n}.html`` (the last good HTML render) and ``/page/{digest}/{n}.png`` (PDF page images).
Everything served comes from memory: no file path from a request ever reaches the file system,
so there is no traversal and no listing. Requests whose Host is not the loopback address are
refused (DNS rebinding); every response forbids framing by others and content sniffing.
"""

from __future__ import annotations

import asyncio
import json
import socket
import threading
import webbrowser
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.middleware.trustedhost import TrustedHostMiddleware
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse
from starlette.routing import Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from briefgen.errors import EXIT_IO, EXIT_OK, BriefError
from briefgen.preview.state import Preview

STATIC = Path(__file__).parent / "static"
HOST = "127.0.0.1"
LOCAL_HOSTS = ["127.0.0.1", "localhost"]
HEARTBEAT = 15.0  # seconds between SSE comments that keep proxies and browsers from timing out
POLL = 0.1  # seconds between looks at the build counter
PAGE_CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; frame-src 'self'; "
            "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'")
DOC_CSP = ("default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; "
           "frame-ancestors 'self'; sandbox allow-same-origin")
ASSETS = {name: (STATIC / name).read_bytes() for name in ("index.html", "app.js", "app.css")}


class SecurityHeaders:
    """Adds no-sniff, no-referrer and same-origin resource headers to every response."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                headers += [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                            (b"cross-origin-resource-policy", b"same-origin")]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, with_headers)


def create_app(preview: Preview, stopping: threading.Event) -> Starlette:
    """The ASGI app for one preview (``stopping`` ends open event streams on shutdown)."""

    def asset(name: str, media: str, csp: str = "") -> Callable[[Request], Awaitable[Response]]:
        async def endpoint(request: Request) -> Response:
            headers = {"cache-control": "no-store"}
            if csp:
                headers["content-security-policy"] = csp
            return Response(ASSETS[name], media_type=media, headers=headers)

        return endpoint

    async def doc(request: Request) -> Response:
        html = preview.html()
        if html is None:
            return Response("no good build yet", status_code=404, media_type="text/plain")
        return Response(html, media_type="text/html; charset=utf-8",
                        headers={"content-security-policy": DOC_CSP, "cache-control": "no-store"})

    def page(request: Request) -> Response:  # sync: Starlette runs it in a worker thread (pdfium)
        digest = str(request.path_params["digest"])
        if len(digest) != 16 or any(c not in "0123456789abcdef" for c in digest):
            return Response("not found", status_code=404, media_type="text/plain")
        png = preview.page(digest, int(request.path_params["n"]))
        if png is None:
            return Response("not found", status_code=404, media_type="text/plain")
        return Response(png, media_type="image/png", headers={"cache-control": "private, max-age=3600"})

    async def events(request: Request) -> Response:
        async def stream() -> AsyncIterator[str]:
            last, quiet = -1, 0.0
            yield "retry: 500\n\n"
            while not stopping.is_set():
                changes = preview.changes()
                if changes != last:
                    last, quiet = changes, 0.0
                    data = json.dumps(preview.snapshot_json(), ensure_ascii=False)
                    yield f"event: build\nid: {changes}\ndata: {data}\n\n"
                elif quiet >= HEARTBEAT:
                    quiet = 0.0
                    yield ": ping\n\n"
                await asyncio.sleep(POLL)
                quiet += POLL

        return StreamingResponse(stream(), media_type="text/event-stream",
                                 headers={"cache-control": "no-store", "x-accel-buffering": "no"})

    routes = [
        Route("/", asset("index.html", "text/html; charset=utf-8", PAGE_CSP)),
        Route("/app.js", asset("app.js", "text/javascript; charset=utf-8")),
        Route("/app.css", asset("app.css", "text/css; charset=utf-8")),
        Route("/events", events),
        Route("/favicon.ico", lambda request: Response(status_code=204)),
        Route("/doc/{n:int}.html", doc),
        Route("/page/{digest:str}/{n:int}.png", page),
    ]
    middleware = [Middleware(SecurityHeaders), Middleware(TrustedHostMiddleware, allowed_hosts=LOCAL_HOSTS)]
    return Starlette(routes=routes, middleware=middleware)


def bind(port: int) -> socket.socket:
    """A listening socket on 127.0.0.1 (``port`` 0: a free one chosen by the system)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((HOST, port))
        sock.listen(64)
    except OSError as e:
        sock.close()
        raise BriefError.at(f"cannot listen on {HOST}:{port}: {e.strerror or e}", file="--port",
                            hint="choose another --port, or leave it out for a free one", exit_code=EXIT_IO) from None
    sock.set_inheritable(True)
    return sock


def serve(spec: Path, out_dir: Path, overrides: list[str], port: int = 0, open_browser: bool = False,
          interval: float = 0.3, on_url: Callable[[str], Any] = print) -> int:
    """Serve the preview of ``spec`` until Ctrl-C (or SIGTERM); exit code 0."""
    import uvicorn  # the ASGI server: only the preview command needs it

    sock = bind(port)
    url = f"http://{HOST}:{sock.getsockname()[1]}/"
    preview = Preview(spec, out_dir, overrides, interval)
    stopping = threading.Event()

    class Server(uvicorn.Server):
        def handle_exit(self, sig: int, frame: Any) -> None:
            stopping.set()  # ends the open event streams, so shutdown does not wait for them
            super().handle_exit(sig, frame)

    config = uvicorn.Config(create_app(preview, stopping), log_level="warning", access_log=False, lifespan="off",
                            timeout_graceful_shutdown=2)
    server = Server(config)
    preview.start()
    on_url(url)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    try:
        server.run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        stopping.set()
        preview.close()
        sock.close()
    return EXIT_OK
