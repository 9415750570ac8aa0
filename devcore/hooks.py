"""Testing hooks under ``/_devcore/``: not part of the CDI, never offered by a real core.

* ``GET /_devcore/requests`` - how many times each ``METHOD /path`` was called, so a
  benchmark can count core round trips per step; ``DELETE`` resets the counters.
* ``GET /_devcore/clock`` - the core's clock; ``POST /_devcore/clock {"advanceMs": N}``
  moves it forward, so a test can expire a code or a session without sleeping.

They are protected by the API key when one is set.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from starlette.requests import Request

from .api import JsonObject, parse_json_object
from .errors import BadRequest, MethodNotAllowed, NotFound, invalid_field

if TYPE_CHECKING:
    from .app import Core

MAX_ADVANCE_MS = 100 * 365 * 24 * 3600 * 1000  # a century is plenty for any expiry test


async def handle(core: Core, request: Request) -> JsonObject:
    path = request.url.path.rstrip("/")
    method = request.method
    if path == "/_devcore/requests":
        if method == "GET":
            return dict(sorted(core.request_counts.items()))
        if method == "DELETE":
            core.request_counts.clear()
            return {"status": "OK"}
        raise MethodNotAllowed()
    if path == "/_devcore/clock":
        store = core.store
        if method == "POST":
            body = parse_json_object(await request.body())
            advance = body.get("advanceMs")
            if not isinstance(advance, int) or isinstance(advance, bool):
                raise invalid_field("advanceMs")
            if not 0 <= advance <= MAX_ADVANCE_MS:
                raise BadRequest(f"advanceMs must be between 0 and {MAX_ADVANCE_MS}")
            store.clock_offset_ms += advance
        elif method != "GET":
            raise MethodNotAllowed()
        return {
            "status": "OK",
            "nowMs": store.now_ms(),
            "offsetMs": store.clock_offset_ms,
        }
    raise NotFound()
