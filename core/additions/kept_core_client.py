"""One kept HTTP client for the calls to the core, instead of a new one per call.

supertokens-python 0.31 opens a new ``httpx.AsyncClient`` for every call to the core
(``Querier.api_request``). Each one builds a TLS context, loading the whole CA bundle
even for an ``http://`` core, and opens a new connection: about 20 ms of CPU per call,
so a step's latency follows its count of core calls. The SDK has no hook for its
client, so this replaces that one function with ``api_request_on_kept_client``: the
same request, the same timeout and the same fallback, on a client kept per event loop.

* One client per event loop: httpx clients belong to the loop they were used on.
  FastAPI and Django under uvicorn run one loop per process; the SDK runs Flask and
  other sync code on a loop per thread, which then keeps a client per thread. Every
  client shares one TLS context, made once as httpx makes it (``SSL_CERT_FILE`` and
  ``SSL_CERT_DIR`` still count).
* Retries are the SDK's, above this function: the next core on a connection error,
  a wait on 429.
* A forked child (gunicorn) starts with no clients: the parent's connections stay the
  parent's. A client whose loop is still open is closed at exit; a thread's client
  goes with its loop.

``POOLED_CORE_CLIENT=false`` leaves the SDK's own function in place.
"""

from __future__ import annotations

import asyncio
import atexit
import inspect
import os
import ssl
import threading
from collections.abc import AsyncGenerator
from dataclasses import dataclass
from functools import cache
from typing import Any

import httpx
from sniffio import AsyncLibraryNotFoundError  # what the SDK catches
from supertokens_python.querier import Querier
from supertokens_python.supertokens import RecipeInit

from core.settings import Settings, setting

TIMEOUT_SECONDS = 30.0  # the SDK's: AsyncClient(timeout=30.0)
# An idle connection is dropped before a server would drop it (uvicorn: after 5 s), so
# a request never goes out on one the server is closing.
LIMITS = httpx.Limits(keepalive_expiry=2.0)
SDK_API_REQUEST = Querier.api_request
SDK_PARAMETERS = "(self, url, method, attempts_remaining, *args, **kwargs)"


@dataclass(frozen=True)
class KeptClientSettings:
    pooled_core_client: bool = setting(
        "POOLED_CORE_CLIENT",
        True,
        "Keep one HTTP client per event loop for the calls to the core (false: the"
        " SDK's own, a new client and TLS context per call).",
    )


def added(recipes: list[RecipeInit], settings: Settings) -> list[RecipeInit]:
    """``recipes`` as they are; the core calls on a kept client (unless turned off)."""
    if settings.read(KeptClientSettings).pooled_core_client:
        replace_sdk_api_request()
    else:
        Querier.api_request = SDK_API_REQUEST
    return recipes


def replace_sdk_api_request() -> None:
    """Put ``api_request_on_kept_client`` in the SDK's place, if that is still the
    function it was written against (else raise: a silent mismatch could lose a
    timeout or a retry)."""
    shape = sdk_shape()
    if shape != (SDK_PARAMETERS, True):
        raise RuntimeError(
            "supertokens_python.querier.Querier.api_request is not the function"
            f" core.additions.kept_core_client replaces ({shape}):"
            " set POOLED_CORE_CLIENT=false, or update that module"
        )
    Querier.api_request = api_request_on_kept_client


def sdk_shape() -> tuple[str, bool]:
    """The SDK function's parameters, and whether it still makes its client with a 30 s
    timeout, as this module's does."""
    parameters = inspect.signature(SDK_API_REQUEST).parameters.values()
    names = ", ".join(str(p.replace(annotation=p.empty)) for p in parameters)
    source = inspect.getsource(SDK_API_REQUEST)
    return f"({names})", f"AsyncClient(timeout={TIMEOUT_SECONDS})" in source


async def api_request_on_kept_client(
    self: Querier,
    url: str,
    method: str,
    attempts_remaining: int,
    *args: Any,
    **kwargs: Any,
) -> httpx.Response:
    """``Querier.api_request``, on this loop's kept client."""
    if attempts_remaining == 0:
        raise Exception("Retry request failed")
    if method not in ("GET", "POST", "PUT", "DELETE"):
        raise Exception("Shouldn't come here")
    try:
        client = await kept_client()
        return await client.request(method, url, *args, **kwargs)
    except AsyncLibraryNotFoundError:  # as the SDK's: its fallback, with its client
        return await SDK_API_REQUEST(
            self, url, method, attempts_remaining, *args, **kwargs
        )


class _Kept(threading.local):
    loop: asyncio.AbstractEventLoop | None = None
    client: httpx.AsyncClient | None = None
    closer: AsyncGenerator[None] | None = None


_kept = _Kept()


async def kept_client() -> httpx.AsyncClient:
    """The running loop's client, made on first use."""
    loop = asyncio.get_running_loop()
    if _kept.loop is not loop or _kept.client is None:
        _kept.loop = loop
        _kept.client = httpx.AsyncClient(
            timeout=TIMEOUT_SECONDS, verify=tls_context(), limits=LIMITS
        )
        if threading.current_thread() is threading.main_thread():
            _kept.closer = _closed_with_loop(_kept.client)
            await anext(_kept.closer)
    return _kept.client


async def _closed_with_loop(client: httpx.AsyncClient) -> AsyncGenerator[None]:
    """Parked at its ``yield`` until the loop shuts down: ``asyncio.run`` (uvicorn) then
    closes the async generators still open, and so the client. (Only the main thread's:
    a thread's loop is never shut down, it is dropped with the thread.)"""
    try:
        yield
    finally:
        await client.aclose()


@cache
def tls_context() -> ssl.SSLContext:
    return httpx.create_ssl_context(verify=True, trust_env=True)


def _forget_in_child() -> None:
    global _kept
    _kept = _Kept()


def _close_at_exit() -> None:
    """The main thread's client, if its loop was never shut down (a sync worker's)."""
    loop, closer = _kept.loop, _kept.closer
    if loop and closer and not (loop.is_closed() or loop.is_running()):
        loop.run_until_complete(closer.aclose())


os.register_at_fork(after_in_child=_forget_in_child)
atexit.register(_close_at_exit)
