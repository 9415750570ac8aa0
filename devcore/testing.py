"""Run devcore from tests: in a background thread, or as a ``python -m devcore`` process.

    from devcore.testing import running_devcore

    with running_devcore(bcrypt_log_rounds=4) as core:
        init(..., supertokens_config=SupertokensConfig(connection_uri=core.uri))
        ...
        core.stop()    # the core goes away mid-flow
        core.start()   # and comes back on the same port (and the same --db file)

The handle also reads the ``/_devcore/`` hooks: request counts and the core's clock.
"""

from __future__ import annotations

import asyncio
import json
import os
import re
import signal
import subprocess
import sys
import threading
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from typing import Any

from .app import Server, bind_socket, listening_url
from .settings import OPTIONS, Settings

READY_LINE = re.compile(r"^devcore listening on (http://\S+) \(")
START_TIMEOUT_S = 15.0


class RunningDevcore:
    """A devcore the test controls; ``uri`` stays the same across ``stop()``/``start()``."""

    def __init__(self, settings: Settings, *, in_process: bool = True) -> None:
        self.settings = settings
        self.in_process = in_process
        self._uri: str | None = None
        self._thread: threading.Thread | None = None
        self._server: Server | None = None
        self._process: subprocess.Popen[str] | None = None

    @property
    def uri(self) -> str:
        """The connection URI, e.g. ``http://127.0.0.1:41234`` (known once started)."""
        if self._uri is None:
            raise RuntimeError("devcore has not been started")
        return self._uri

    @property
    def running(self) -> bool:
        if self.in_process:
            return self._thread is not None and self._thread.is_alive()
        return self._process is not None and self._process.poll() is None

    def start(self) -> None:
        """Start (or restart on the same port and database); return once it serves."""
        if self.running:
            return
        if self.in_process:
            self._start_thread()
        else:
            self._start_process()
        # From now on restarts reuse the port, so clients keep their connection URI.
        self.settings = replace(self.settings, port=int(self.uri.rsplit(":", 1)[1]))

    def stop(self) -> None:
        """Stop it gracefully; a stopped core refuses connections until ``start()``."""
        if self.in_process:
            if self._server is not None and self._thread is not None:
                self._server.should_exit = True
                self._thread.join(timeout=START_TIMEOUT_S)
            self._server = self._thread = None
        elif self._process is not None:
            process, self._process = self._process, None
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
                try:
                    process.wait(timeout=START_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
            if process.stdout is not None:
                process.stdout.close()

    # -- testing hooks ------------------------------------------------------------------

    def request_counts(self) -> dict[str, int]:
        """``{"METHOD /path": count}`` for every CDI request since the last reset."""
        counts: dict[str, int] = self._hook("GET", "/_devcore/requests")
        return counts

    def reset_request_counts(self) -> None:
        self._hook("DELETE", "/_devcore/requests")

    def advance_clock(self, milliseconds: int) -> None:
        """Move the core's clock forward, e.g. past a code's lifetime."""
        self._hook("POST", "/_devcore/clock", {"advanceMs": milliseconds})

    def _hook(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        headers = {"content-type": "application/json"}
        if self.settings.api_key is not None:
            headers["api-key"] = self.settings.api_key
        data = None if body is None else json.dumps(body).encode()
        # The URL is always our own http:// URI, so urllib's other schemes cannot come in.
        request = urllib.request.Request(self.uri + path, data, headers, method=method)  # noqa: S310
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return json.load(response)

    # -- the two ways to run --------------------------------------------------------------

    def _start_thread(self) -> None:
        sock = bind_socket(self.settings.host, self.settings.port)
        ready = threading.Event()
        server = Server(self.settings, on_ready=ready.set)

        def serve() -> None:
            try:
                asyncio.run(server.serve(sockets=[sock]))
            finally:
                sock.close()
                ready.set()

        thread = threading.Thread(target=serve, name="devcore", daemon=True)
        thread.start()
        if not ready.wait(START_TIMEOUT_S) or not server.started:
            server.should_exit = True
            thread.join(timeout=START_TIMEOUT_S)
            raise RuntimeError("devcore did not start")
        self._server, self._thread = server, thread
        self._uri = listening_url(sock)

    def _start_process(self) -> None:
        command = [sys.executable, "-m", "devcore"]
        for option in OPTIONS:
            value = getattr(self.settings, option.field)
            if value is not None:
                command += [option.flag, str(value)]
        # Settings come from the flags alone, never from the caller's DEVCORE_* variables.
        env = {k: v for k, v in os.environ.items() if not k.startswith("DEVCORE_")}
        process = subprocess.Popen(  # noqa: S603 - our own interpreter and module
            command, stdout=subprocess.PIPE, text=True, env=env
        )
        assert process.stdout is not None
        line = _read_line(process.stdout, START_TIMEOUT_S)
        match = READY_LINE.match(line or "")
        if match is None:
            process.kill()
            process.wait()
            raise RuntimeError(f"devcore did not start (said {line!r})")
        self._process = process
        self._uri = match.group(1)


def _read_line(stream: Any, timeout: float) -> str | None:
    """Read one line, giving up after ``timeout`` seconds."""
    result: list[str] = []
    reader = threading.Thread(
        target=lambda: result.append(stream.readline()), daemon=True
    )
    reader.start()
    reader.join(timeout)
    return result[0] if result else None


@contextmanager
def running_devcore(
    *,
    db: str | os.PathLike[str] | None = None,
    api_key: str | None = None,
    in_process: bool = True,
    **settings: Any,
) -> Iterator[RunningDevcore]:
    """Start devcore on a free loopback port for the duration of the block.

    ``settings`` are any other ``devcore.settings.Settings`` fields, e.g.
    ``bcrypt_log_rounds=4`` or ``passwordless_code_lifetime=1000``.
    """
    config = Settings(
        port=0, api_key=api_key, db=None if db is None else os.fspath(db), **settings
    )
    config.validate()
    core = RunningDevcore(config, in_process=in_process)
    core.start()
    try:
        yield core
    finally:
        core.stop()
