"""A SuperTokens core that breaks on request: a proxy in front of the real one that
answers chosen paths with an error, as a core with a failing database does. It keeps
connections open (HTTP/1.1) and counts them, and the requests that came over them."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import httpx

from tests.harness.examples import free_port

CORE_ERROR = b"General error: database is locked"


@dataclass
class FaultyCore:
    target: str
    uri: str = ""
    failing: set[str] = field(default_factory=set)
    """Paths (``/recipe/signup``) answered ``500`` instead of being passed on, under
    any tenant (``/public/recipe/signup``)."""
    connections: int = 0
    open_connections: int = 0
    requests: int = 0

    def fail(self, *paths: str) -> None:
        self.failing.update(paths)

    def heal(self) -> None:
        self.failing.clear()


@contextlib.contextmanager
def running_faulty_core(target: str) -> Iterator[FaultyCore]:
    core = FaultyCore(target)
    client = httpx.Client(base_url=target, timeout=30)

    counting = threading.Lock()

    class Proxy(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            with counting:
                core.connections += 1
                core.open_connections += 1

        def finish(self) -> None:
            super().finish()
            with counting:
                core.open_connections -= 1

        def _pass_on(self) -> None:
            with counting:
                core.requests += 1
            length = int(self.headers.get("content-length") or 0)
            body = self.rfile.read(length) if length else None
            path = self.path.split("?", 1)[0]
            if any(path.endswith(failing) for failing in core.failing):
                self.send_response(500)
                self.send_header("content-length", str(len(CORE_ERROR)))
                self.end_headers()
                self.wfile.write(CORE_ERROR)
                return
            answer = client.request(
                self.command,
                self.path,
                content=body,
                headers={k: v for k, v in self.headers.items() if k.lower() != "host"},
            )
            self.send_response(answer.status_code)
            for name, value in answer.headers.items():
                if name.lower() not in (
                    "content-length",
                    "transfer-encoding",
                    "connection",
                ):
                    self.send_header(name, value)
            self.send_header("content-length", str(len(answer.content)))
            self.end_headers()
            self.wfile.write(answer.content)

        do_GET = do_POST = do_PUT = do_DELETE = _pass_on

        def log_message(self, *_args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", free_port()), Proxy)
    core.uri = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield core
    finally:
        server.shutdown()
        server.server_close()
        client.close()
