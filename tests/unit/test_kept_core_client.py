"""The kept client for core calls: the SDK function it replaces, one connection per
loop, and none left open at shutdown, after a fork or with the setting off."""

from __future__ import annotations

import asyncio
import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
from sniffio import AsyncLibraryNotFoundError
from supertokens_python.querier import Querier

from core.additions import kept_core_client
from core.additions.kept_core_client import (
    SDK_API_REQUEST,
    SDK_PARAMETERS,
    api_request_on_kept_client,
)
from core.settings import Settings


@dataclass
class CountingServer:
    url: str = ""
    connections: int = 0
    open_connections: int = 0
    requests: int = 0


@pytest.fixture
def server() -> Iterator[CountingServer]:
    counted, lock = CountingServer(), threading.Lock()

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def setup(self) -> None:
            super().setup()
            with lock:
                counted.connections += 1
                counted.open_connections += 1

        def finish(self) -> None:
            super().finish()
            with lock:
                counted.open_connections -= 1

        def do_GET(self) -> None:
            with lock:
                counted.requests += 1
            self.send_response(200)
            self.send_header("content-length", "2")
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *_args: object) -> None:
            pass

    http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    counted.url = f"http://127.0.0.1:{http.server_address[1]}/hello"
    threading.Thread(target=http.serve_forever, daemon=True).start()
    yield counted
    http.shutdown()
    http.server_close()


@pytest.fixture(autouse=True)
def sdk_function_restored() -> Iterator[None]:
    yield
    Querier.api_request = SDK_API_REQUEST  # type: ignore[method-assign]


def settled(condition: Any) -> bool:
    for _ in range(100):
        if condition():
            return True
        threading.Event().wait(0.02)
    return False


async def calls(url: str, times: int) -> httpx.AsyncClient:
    querier = Querier([])
    for _ in range(times):
        response = await api_request_on_kept_client(querier, url, "GET", 5)
        assert response.json() == {}
    return await kept_core_client.kept_client()


def test_the_sdk_function_replaced_is_still_the_one_this_was_written_against() -> None:
    # Fails when supertokens-python changes Querier.api_request: reread it, then this.
    assert kept_core_client.sdk_shape() == (SDK_PARAMETERS, True)


def test_a_changed_sdk_function_is_refused_loudly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async def changed(self: Querier, url: str, method: str) -> None: ...

    monkeypatch.setattr(kept_core_client, "SDK_API_REQUEST", changed)
    with pytest.raises(RuntimeError, match="POOLED_CORE_CLIENT=false"):
        kept_core_client.replace_sdk_api_request()
    assert Querier.api_request is SDK_API_REQUEST


def test_on_by_default_and_off_with_its_setting() -> None:
    kept_core_client.added([], Settings.from_env({}))
    assert Querier.api_request is api_request_on_kept_client
    kept_core_client.added([], Settings.from_env({"POOLED_CORE_CLIENT": "false"}))
    assert Querier.api_request is SDK_API_REQUEST


def test_calls_on_one_loop_share_a_connection_closed_when_the_loop_ends(
    server: CountingServer,
) -> None:
    client = asyncio.run(calls(server.url, 5))

    assert (server.connections, server.requests) == (1, 5)
    assert client.timeout == httpx.Timeout(30.0)  # the SDK's
    assert client.is_closed
    assert settled(lambda: server.open_connections == 0)


def test_each_thread_keeps_its_own_client_on_its_own_loop(
    server: CountingServer,
) -> None:
    clients: list[list[httpx.AsyncClient]] = [[], []]

    def in_a_thread(kept: list[httpx.AsyncClient]) -> None:
        loop = asyncio.new_event_loop()  # as the SDK's sync() makes one per thread
        kept.append(loop.run_until_complete(calls(server.url, 3)))
        kept.append(loop.run_until_complete(calls(server.url, 3)))

    threads = [threading.Thread(target=in_a_thread, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    [first, again], [second, second_again] = clients
    assert first is again and second is second_again and first is not second
    assert (server.connections, server.requests) == (2, 12)


def test_a_loop_never_shut_down_has_its_client_closed_at_exit(
    server: CountingServer,
) -> None:
    loop = asyncio.new_event_loop()  # a sync worker's, in the main thread
    client = loop.run_until_complete(calls(server.url, 2))
    assert not client.is_closed and server.open_connections == 1

    kept_core_client._close_at_exit()

    assert client.is_closed
    assert settled(lambda: server.open_connections == 0)
    loop.close()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="no fork here")
def test_a_forked_child_starts_without_the_parents_client(
    server: CountingServer,
) -> None:
    loop = asyncio.new_event_loop()
    parents = loop.run_until_complete(calls(server.url, 1))

    child = os.fork()
    if child == 0:  # pragma: no cover (the child's exit code is the assertion)
        fresh = kept_core_client._kept.client is None
        os._exit(0 if fresh and asyncio.run(calls(server.url, 1)) else 1)
    _, status = os.waitpid(child, 0)

    assert os.waitstatus_to_exitcode(status) == 0
    assert server.connections == 2  # the child opened its own
    assert not parents.is_closed
    kept_core_client._forget_in_child()  # what the child ran (its coverage is lost)
    assert kept_core_client._kept.client is None
    loop.run_until_complete(parents.aclose())
    loop.close()


def test_what_the_sdk_refuses_is_refused_the_same(server: CountingServer) -> None:
    querier = Querier([])
    with pytest.raises(Exception, match="Retry request failed"):
        asyncio.run(api_request_on_kept_client(querier, server.url, "GET", 0))
    with pytest.raises(Exception, match="Shouldn't come here"):
        asyncio.run(api_request_on_kept_client(querier, server.url, "PATCH", 5))
    assert server.requests == 0


def test_with_no_async_library_found_the_sdk_function_answers(
    monkeypatch: pytest.MonkeyPatch, server: CountingServer
) -> None:
    async def unrecognised() -> httpx.AsyncClient:
        raise AsyncLibraryNotFoundError("no async library")

    monkeypatch.setattr(kept_core_client, "kept_client", unrecognised)
    response = asyncio.run(
        api_request_on_kept_client(Querier([]), server.url, "GET", 5)
    )
    assert response.json() == {} and server.requests == 1
