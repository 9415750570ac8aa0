"""The ASGI app: resolves a CDI path to a handler and answers as the real core does.

Request handling, in the real core's order: count the request, resolve the path (an
optional ``/appid-<id>`` and tenant prefix, then the API path), check the API key, check
the ``cdi-version`` header, then let the handler parse its input and do its work.
"""

from __future__ import annotations

import hmac
import json
import logging
import re
import socket
from collections import Counter
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route as StarletteRoute

from . import (
    emailpassword,
    hooks,
    multitenancy,
    passwordless,
    session,
    thirdparty,
    usermetadata,
    users,
)
from .api import PUBLIC_TENANT, Call, JsonObject, Route
from .errors import (
    BadRequest,
    CoreError,
    InvalidApiKey,
    MethodNotAllowed,
    NotFound,
    TenantNotFound,
)
from .keys import Keys
from .settings import Settings
from .store import Store

logger = logging.getLogger("devcore")

CDI_VERSIONS = ("5.4",)
_TENANT_ID = re.compile(r"[a-z0-9-]+")
_VERSION = re.compile(r"\d+\.\d+(\.\d+)?")


async def hello(call: Call) -> str:
    return "Hello"


async def api_version(call: Call) -> JsonObject:
    call.app_wide()
    return {"versions": list(CDI_VERSIONS)}


GENERAL_ROUTES = [
    Route("GET", "/hello", hello, needs_api_key=False, versioned=False),
    Route("POST", "/hello", hello, needs_api_key=False, versioned=False),
    Route("PUT", "/hello", hello, needs_api_key=False, versioned=False),
    Route("DELETE", "/hello", hello, needs_api_key=False, versioned=False),
    Route("GET", "/apiversion", api_version, versioned=False),
]


def _route_table() -> dict[str, dict[str, list[Route]]]:
    table: dict[str, dict[str, list[Route]]] = {}
    for module_routes in (
        GENERAL_ROUTES,
        session.ROUTES,
        emailpassword.ROUTES,
        thirdparty.ROUTES,
        passwordless.ROUTES,
        usermetadata.ROUTES,
        multitenancy.ROUTES,
        users.ROUTES,
    ):
        for route in module_routes:
            table.setdefault(route.path, {}).setdefault(route.method, []).append(route)
    return table


ROUTES = _route_table()


class Core:
    """One running devcore: its settings, store, keys and request counters."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.store = Store(settings.db)
        self._keys: Keys | None = None
        self.request_counts: Counter[str] = Counter()

    @property
    def keys(self) -> Keys:
        if self._keys is None:
            raise RuntimeError("devcore is not started")
        return self._keys

    async def start(self) -> None:
        await self.store.open()
        self._keys = await self.store.run(
            lambda conn: Keys.load_or_create(conn, self.store.now_ms())
        )

    async def stop(self) -> None:
        await self.store.close()

    def api_key_matches(self, request: Request) -> bool:
        """The real core accepts the key in ``api-key`` or as an ``Authorization`` bearer."""
        expected = self.settings.api_key
        if expected is None:
            return True
        given = request.headers.get("api-key")
        if given is None:
            authorization = request.headers.get("authorization")
            if authorization is not None:
                given = authorization.strip()
                if given.lower().startswith("bearer "):
                    given = given[len("bearer ") :].strip()
        return given is not None and hmac.compare_digest(
            given.strip().encode("utf-8", "surrogateescape"), expected.encode("utf-8")
        )


def _resolve(path: str) -> tuple[str, str]:
    """Split a request path into (API path, tenant id); raise NotFound for unknown paths."""
    segments = [s for s in path.split("/") if s]
    if segments and segments[0].lower().startswith("appid-"):
        app_id = segments.pop(0)[len("appid-") :].lower()
        if app_id not in ("", PUBLIC_TENANT):
            raise TenantNotFound(PUBLIC_TENANT, app_id=app_id)
    api_path = "/" + "/".join(segments)
    if api_path in ROUTES or not segments:
        return api_path, PUBLIC_TENANT
    tenant_id = segments[0].lower()
    if _TENANT_ID.fullmatch(tenant_id):
        rest = "/" + "/".join(segments[1:])
        if rest in ROUTES or (rest == "/" and tenant_id == PUBLIC_TENANT):
            return rest, tenant_id
    raise NotFound()


def _pick(request: Request, api_path: str) -> Route:
    if api_path == "/":
        return GENERAL_ROUTES[0]
    by_method = ROUTES[api_path]
    candidates = by_method.get(request.method)
    if candidates is None:
        raise MethodNotAllowed()
    rid = request.headers.get("rid")
    return next(
        (r for r in candidates if r.rid is not None and r.rid == rid), candidates[0]
    )


def _check_version(request: Request) -> None:
    version = request.headers.get("cdi-version")
    if version is None:
        return
    if not _VERSION.fullmatch(version):
        raise BadRequest("cdi-version header is invalid")
    if version not in CDI_VERSIONS:
        raise BadRequest(f"cdi-version {version} not supported")


# The real core's labels: its one-line texts (errors, /hello) are served as HTML.
TEXT_TYPE = "text/html;charset=UTF-8"
JSON_TYPE = "application/json;charset=UTF-8"


def _text(status_code: int, message: str) -> Response:
    return Response(f"{message}\n", status_code, media_type=TEXT_TYPE)


def _json(body: Any) -> Response:
    text = json.dumps(body, separators=(",", ":"), ensure_ascii=False)
    return Response(f"{text}\n", 200, media_type=JSON_TYPE)


async def _serve_cdi(request: Request) -> Response:
    core: Core = request.app.state.core
    path = request.url.path
    core.request_counts[f"{request.method} {path}"] += 1
    api_path, tenant_id = _resolve(path)
    route = _pick(request, api_path)
    if route.needs_api_key and not core.api_key_matches(request):
        raise InvalidApiKey()
    if route.versioned:
        _check_version(request)
    call = Call(
        core=core,
        method=request.method,
        tenant_id=tenant_id,
        query=request.query_params,
        headers=request.headers,
        raw_body=await request.body(),
    )
    result = await route.handler(call)
    return _text(200, result) if isinstance(result, str) else _json(result)


async def _endpoint(request: Request) -> Response:
    try:
        if request.url.path == "/_devcore" or request.url.path.startswith("/_devcore/"):
            core: Core = request.app.state.core
            if not core.api_key_matches(request):
                raise InvalidApiKey()
            return _json(await hooks.handle(core, request))
        return await _serve_cdi(request)
    except CoreError as e:
        return _text(e.status_code, e.message)
    except (
        Exception
    ) as e:  # a devcore bug: answer like the real core, keep the traceback
        logger.exception("%s %s failed", request.method, request.url.path)
        return _text(500, f"{type(e).__name__}: {e}")


def create_app(settings: Settings) -> Starlette:
    """Build the ASGI app; its store opens on startup and closes on shutdown."""
    core = Core(settings)

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        await core.start()
        try:
            yield
        finally:
            await core.stop()

    app = Starlette(
        routes=[
            StarletteRoute(
                "/{path:path}",
                _endpoint,
                methods=["GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"],
            )
        ],
        lifespan=lifespan,
    )
    app.state.core = core
    return app


def bind_socket(host: str, port: int) -> socket.socket:
    """Bind the listening socket up front, so port 0 can be resolved before serving."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def listening_url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    if ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


class Server(uvicorn.Server):
    """uvicorn's server, calling ``on_ready`` once the store is open and the socket serves."""

    def __init__(
        self, settings: Settings, on_ready: Callable[[], None] | None = None
    ) -> None:
        config = uvicorn.Config(
            create_app(settings),
            log_level="warning",
            access_log=False,
            lifespan="on",
            timeout_graceful_shutdown=5,
        )
        super().__init__(config)
        self.on_ready = on_ready

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        await super().startup(sockets)
        if self.started and self.on_ready is not None:
            self.on_ready()
