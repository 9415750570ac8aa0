"""Telling "a service we depend on did not answer" apart from a bug.

When the SuperTokens core is down, the SDK's querier tries every configured core and
then raises a bare ``Exception("No SuperTokens core available to query")``; a core that
stops mid-request surfaces as an httpx transport error; the JWKS download and the
outboxes fail with ``OSError``. Each is an outage, not a fault of the request or of this
code, so the client is told to retry (503) instead of seeing a 500.
"""

from __future__ import annotations

import httpx

NO_CORE_AVAILABLE = "No SuperTokens core available to query"

UNAVAILABLE_MESSAGE = (
    "The sign-in service is unavailable right now. Please try again shortly."
)


def is_outage(error: BaseException) -> bool:
    if isinstance(error, httpx.TransportError | OSError):
        return True
    return type(error) is Exception and str(error).startswith(NO_CORE_AVAILABLE)
