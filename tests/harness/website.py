"""The demo app's built files served at ``WEBSITE_DOMAIN``, beside the example it talks to.

``frontend/`` builds into ``frontend/dist`` (``npm run build``, which ``nox -s demo``
and ``nox -s browser`` do). This server adds the two things a static folder cannot:

* ``/config.js``, written here, tells the page where the example's API is and how the
  session travels (``cookie`` or ``header``), so one build serves every example;
* any other path that names no file is answered with ``index.html``, so that the
  app's own routes (``/auth``, ``/second-factor``) load the app when opened directly.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from functools import partial
from http import HTTPStatus
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit

from tests.harness.examples import ROOT, free_port

BUILT = ROOT / "frontend" / "dist"
CONFIG_PATH = "/config.js"

TokenTransfer = Literal["cookie", "header"]


class NotBuilt(RuntimeError):
    """``frontend/dist`` has no ``index.html``: the frontend was not built."""


def config_script(api_domain: str, transfer: TokenTransfer = "cookie") -> str:
    """The ``/config.js`` the page reads its settings from (``frontend/src/settings.js``)."""
    config = {"apiDomain": api_domain, "tokenTransferMethod": transfer}
    return f"window.demoConfig = {json.dumps(config)};\n"


class _Handler(SimpleHTTPRequestHandler):
    config: bytes = b""

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == CONFIG_PATH:
            self._send(self.config, "text/javascript; charset=utf-8")
            return
        if not Path(self.translate_path(path)).is_file():
            self.path = "/index.html"  # one of the app's routes: the app handles it
        super().do_GET()

    def end_headers(self) -> None:
        # The built files: asked for again at every load (a rebuild shows at once), but
        # kept, so that a 304 lets the browser reuse the bundle it has already parsed.
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def _send(self, body: bytes, content_type: str) -> None:
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "no-store")
        super().end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: object) -> None:
        pass  # the demo's output is the flow, not every file the browser loads


@dataclass(frozen=True)
class RunningWebsite:
    url: str
    """``WEBSITE_DOMAIN``: ``http://localhost:<port>``."""


@contextlib.contextmanager
def serving_website(
    api_domain: str,
    *,
    port: int | None = None,
    transfer: TokenTransfer = "cookie",
    built: Path = BUILT,
) -> Iterator[RunningWebsite]:
    """Serve ``built`` at ``http://localhost:<port>`` (a free port unless given), its
    ``/config.js`` pointing the page at ``api_domain``, until the block ends."""
    if not (built / "index.html").is_file():
        raise NotBuilt(
            f"{built} has no index.html: build the frontend (`nox -s demo` does)"
        )
    port = port or free_port()
    handler = type(
        "Handler", (_Handler,), {"config": config_script(api_domain, transfer).encode()}
    )
    server = ThreadingHTTPServer(
        ("127.0.0.1", port), partial(handler, directory=str(built))
    )
    thread = threading.Thread(target=server.serve_forever, name="website", daemon=True)
    thread.start()
    try:
        yield RunningWebsite(f"http://localhost:{port}")
    finally:
        server.shutdown()
        server.server_close()
        thread.join()
